import Foundation
import Testing

@testable import Web

@Suite("Page models read through their field tables")
struct MustacheFieldsTests {
    /// Every stored property of the agenda's models and of the layout is in its table, with
    /// the value `Mirror` would give (nil for an absent optional).
    @Test func theTablesListEveryStoredPropertyWithItsValue() throws {
        let link = AgendaPage.Link(label: "Semaine", path: "/a?view=week", isCurrent: true)
        let cell = AgendaPage.Cell(cssClass: "rdv-cell rdv-r-1", path: nil, startsAt: "2026-12-07T07:00:00+01:00", label: "")
        var layout = LayoutModel(csrfToken: "t")
        layout.mainMenu = [LayoutModel.MenuLink(label: "Agenda", path: "/", isCurrent: true)]
        let chart = BarChart(
            id: "c", title: "RDV", periodHeader: "Semaine", periods: ["semaine du 1er", "semaine du 8"],
            axisLabels: ["1 déc.", "8 déc."], axisEvery: 1, series: [(label: "Agent", values: [3, 5])])
        let statistics = StatisticsPage(
            heading: "Statistiques", intro: "…",
            content: .init(counters: [.init(label: "RDV", value: "8")], charts: [chart], computedAt: "lundi"))
        let values: [any MustacheFields] = [
            link, cell, layout, layout.mainMenu[0], statistics, statistics.content, statistics.content.counters[0], chart,
            chart.series[0], chart.series[0].bars[0], chart.yTicks[0], chart.rows[0],
        ]
        for value in values {
            let mirror = Mirror(reflecting: value)
            let labels = Set(mirror.children.compactMap(\.label))
            #expect(labels == Self.names(of: value), "\(type(of: value))")
            for child in mirror.children {
                let label = try #require(child.label)
                let expected = Self.unwrapped(child.value).map { "\($0)" }
                #expect(value.child(named: label).map { "\($0)" } == expected, "\(type(of: value)).\(label)")
            }
        }
        #expect(cell.child(named: "path") == nil)
        #expect(cell.child(named: "layout") == nil)
    }

    @Test func anAbsentOptionalClimbsToTheEnclosingContextAsWithMirror() throws {
        let renderer = try TemplateRenderer(templates: [
            "cells": "{{#cells}}{{#path}}<a href=\"{{path}}\">{{label}}</a>{{/path}}{{^path}}<span>{{title}}</span>{{/path}}{{/cells}}",
        ])
        struct Page: PageModel, MustacheFields {
            static let template = "cells"
            static let mustacheFields = MustacheFieldTable<Self>(["cells": { $0.cells }, "title": { $0.title }])
            let cells: [AgendaPage.Cell]
            let title: String
        }
        let html = try renderer.render(
            Page(
                cells: [
                    AgendaPage.Cell(cssClass: "c", path: "/new?x=1&y=2", startsAt: "s", label: "Créer"),
                    AgendaPage.Cell(cssClass: "c", path: nil, startsAt: "s", label: ""),
                ], title: "occupé"))
        // The absent path climbs to the page's title, as Mirror lookups did.
        #expect(html == "<a href=\"/new?x=1&amp;y=2\">Créer</a><span>occupé</span>")
    }

    static func names(of value: some MustacheFields) -> Set<String> { type(of: value).mustacheFields.names }

    static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}
