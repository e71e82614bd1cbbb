// The MustacheFields tables of the statistics page (see MustacheFields.swift): ten charts of
// up to 52 bars per series and their tables are ~2,000 lookups a page.

extension StatisticsPage: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "heading": { $0.heading }, "intro": { $0.intro }, "content": { $0.content },
    ])
}

extension StatisticsPage.Content: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "counters": { $0.counters }, "charts": { $0.charts }, "computedAt": { $0.computedAt },
    ])
}

extension StatisticsPage.Counter: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>(["label": { $0.label }, "value": { $0.value }])
}

extension BarChart: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "id": { $0.id }, "title": { $0.title }, "summary": { $0.summary }, "series": { $0.series },
        "yTicks": { $0.yTicks }, "xTicks": { $0.xTicks }, "periodHeader": { $0.periodHeader }, "rows": { $0.rows },
        "totals": { $0.totals }, "isEmpty": { $0.isEmpty }, "width": { $0.width }, "height": { $0.height },
        "plotLeft": { $0.plotLeft }, "plotRight": { $0.plotRight }, "axisY": { $0.axisY }, "xLabelY": { $0.xLabelY },
    ])
}

extension BarChart.Series: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "label": { $0.label }, "colour": { $0.colour }, "total": { $0.total }, "bars": { $0.bars },
    ])
}

extension BarChart.Bar: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "x": { $0.x }, "y": { $0.y }, "width": { $0.width }, "height": { $0.height },
    ])
}

extension BarChart.Tick: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>(["position": { $0.position }, "label": { $0.label }])
}

extension BarChart.TableRow: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>(["period": { $0.period }, "cells": { $0.cells }])
}
