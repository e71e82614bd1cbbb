import Foundation

/// A stacked bar chart drawn as server-side SVG (admin.md §7: no JavaScript, no chart library),
/// with its data table: the SVG is a picture for sighted readers, the table is the same figures
/// for everyone else (RGAA 1.3: a complex image has an adjacent long description).
/// `partials/bar_chart` draws it; every number here is already in the SVG's coordinate space.
public struct BarChart: Sendable, Equatable {
    public struct Series: Sendable, Equatable {
        public let label: String
        public let colour: String
        public let total: String
        public let bars: [Bar]
    }

    public struct Bar: Sendable, Equatable {
        public let x: String
        public let y: String
        public let width: String
        public let height: String
    }

    public struct Tick: Sendable, Equatable {
        public let position: String
        public let label: String
    }

    public struct TableRow: Sendable, Equatable {
        public let period: String
        public let cells: [String]
    }

    public let id: String
    public let title: String
    public let summary: String
    public let series: [Series]
    public let yTicks: [Tick]
    public let xTicks: [Tick]
    public let periodHeader: String
    public let rows: [TableRow]
    public let totals: [String]
    public let isEmpty: Bool
    public let width = BarChart.width
    public let height = BarChart.height
    public let plotLeft = BarChart.plotLeft
    public let plotRight = BarChart.width - BarChart.plotRight
    public let axisY = BarChart.height - BarChart.plotBottom
    public let xLabelY = BarChart.height - BarChart.plotBottom + 16

    static let width = 720
    static let height = 280
    static let plotLeft = 56
    static let plotRight = 12
    static let plotTop = 12
    static let plotBottom = 36

    /// DSFR illustrative colours (blue France, menthe, tournesol, terre battue, glycine,
    /// cumulus, écume, café crème), dark enough against white for graphical objects (RGAA 3.3).
    static let palette = ["#000091", "#009081", "#b7a73f", "#e4794a", "#a558a0", "#417dc4", "#2f4077", "#8b6d47"]

    /// - Parameters:
    ///   - periods: the table's names of the periods; `axisLabels` their short names, one in
    ///     `axisEvery` drawn under the bars (counted back from the latest period).
    ///   - series: label and one value per period, in legend order.
    ///   - normalised: each bar is 100 % of its period (charts 5 and 6); the table keeps counts.
    init(
        id: String, title: String, periodHeader: String, periods: [String], axisLabels: [String], axisEvery: Int,
        series input: [(label: String, values: [Int])], normalised: Bool = false
    ) {
        let periodCount = periods.count
        let totalsByPeriod = (0..<periodCount).map { index in input.reduce(0) { $0 + ($1.values[safe: index] ?? 0) } }
        let plotHeight = Double(Self.height - Self.plotTop - Self.plotBottom)
        let plotWidth = Double(Self.width - Self.plotLeft - Self.plotRight)
        let scaleMax = normalised ? 100 : Self.niceCeiling(totalsByPeriod.max() ?? 0)
        let slot = plotWidth / Double(max(periodCount, 1))
        let barWidth = slot * 0.7
        var stackTop = Array(repeating: 0.0, count: periodCount)
        func value(_ raw: Int, _ period: Int) -> Double {
            guard normalised else { return Double(raw) }
            let total = totalsByPeriod[period]
            return total == 0 ? 0 : Double(raw) * 100 / Double(total)
        }
        self.series = input.enumerated().map { index, entry in
            var bars: [Bar] = []
            for period in 0..<periodCount {
                let amount = value(entry.values[safe: period] ?? 0, period)
                guard amount > 0 else { continue }
                let height = amount / Double(scaleMax) * plotHeight
                let top = Double(Self.height - Self.plotBottom) - stackTop[period] - height
                stackTop[period] += height
                bars.append(
                    Bar(
                        x: Self.format(Double(Self.plotLeft) + slot * Double(period) + (slot - barWidth) / 2),
                        y: Self.format(top), width: Self.format(barWidth), height: Self.format(height)))
            }
            return Series(
                label: entry.label, colour: Self.palette[index % Self.palette.count],
                total: Self.number(entry.values.reduce(0, +)), bars: bars)
        }
        self.yTicks = (0...4).map { step in
            let amount = scaleMax * step / 4
            return Tick(
                position: Self.format(Double(Self.height - Self.plotBottom) - Double(step) / 4 * plotHeight),
                label: normalised ? "\(amount) %" : Self.number(amount))
        }
        self.xTicks = axisLabels.enumerated().compactMap { index, label in
            (periodCount - 1 - index) % max(axisEvery, 1) == 0
                ? Tick(position: Self.format(Double(Self.plotLeft) + slot * (Double(index) + 0.5)), label: label) : nil
        }
        self.id = id
        self.title = title
        self.periodHeader = periodHeader
        self.rows = periods.enumerated().map { index, label in
            TableRow(
                period: label,
                cells: input.map { Self.number($0.values[safe: index] ?? 0) } + [Self.number(totalsByPeriod[index])])
        }
        self.totals = input.map { Self.number($0.values.reduce(0, +)) } + [Self.number(totalsByPeriod.reduce(0, +))]
        self.isEmpty = totalsByPeriod.allSatisfy { $0 == 0 }
        let legend = input.map(\.label).joined(separator: ", ")
        self.summary =
            "Barres empilées par \(periodHeader.lowercased())\(normalised ? ", en pourcentage de chaque période" : "") : \(legend). Les chiffres sont dans le tableau qui suit."
    }

    /// 1, 2 or 5 times a power of ten, at least `value` (and at least 4, so ticks are whole).
    static func niceCeiling(_ value: Int) -> Int {
        guard value > 4 else { return 4 }
        var magnitude = 1
        while magnitude * 10 <= value { magnitude *= 10 }
        for step in [1, 2, 5, 10] where step * magnitude >= value {
            let candidate = step * magnitude
            return candidate % 4 == 0 ? candidate : ((candidate + 3) / 4) * 4
        }
        return value
    }

    /// « 12 345 » with a narrow no-break space, as French typography writes thousands.
    static func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append("\u{202F}") }
            grouped.append(character)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
