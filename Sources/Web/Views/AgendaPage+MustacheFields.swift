// The MustacheFields tables of the agenda page (see MustacheFields.swift).

extension AgendaPage: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "title": { $0.title },
        "periodLabel": { $0.periodLabel },
        "views": { $0.views },
        "previous": { $0.previous },
        "next": { $0.next },
        "today": { $0.today },
        "formPath": { $0.formPath },
        "dateValue": { $0.dateValue },
        "hiddenFields": { $0.hiddenFields },
        "agentFields": { $0.agentFields },
        "agentChoices": { $0.agentChoices },
        "hasAgentChoices": { $0.hasAgentChoices },
        "isSeveral": { $0.isSeveral },
        "smallScreenPath": { $0.smallScreenPath },
        "todo": { $0.todo },
        "printLink": { $0.printLink },
        "openingPeriodsLink": { $0.openingPeriodsLink },
        "absencesLink": { $0.absencesLink },
        "grid": { $0.grid },
        "month": { $0.month },
        "list": { $0.list },
    ])
}

extension AgendaPage.Link: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "label": { $0.label },
        "path": { $0.path },
        "isCurrent": { $0.isCurrent },
    ])
}

extension HiddenField: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "name": { $0.name },
        "value": { $0.value },
    ])
}

extension AgendaPage.AgentChoice: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "inputID": { $0.inputID },
        "id": { $0.id },
        "name": { $0.name },
        "isChecked": { $0.isChecked },
    ])
}

extension AgendaPage.Cell: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "cssClass": { $0.cssClass },
        "path": { $0.path },
        "startsAt": { $0.startsAt },
        "label": { $0.label },
    ])
}

extension AgendaPage.Block: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "cssClass": { $0.cssClass },
        "title": { $0.title },
        "startsAt": { $0.startsAt },
        "timeLabel": { $0.timeLabel },
        "path": { $0.path },
    ])
}

extension AgendaPage.Event: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "cssClass": { $0.cssClass },
        "startsAt": { $0.startsAt },
        "endsAt": { $0.endsAt },
        "timeLabel": { $0.timeLabel },
        "path": { $0.path },
        "title": { $0.title },
        "details": { $0.details },
        "color": { $0.color },
        "statusLabel": { $0.statusLabel },
        "isArrived": { $0.isArrived },
        "isHighlighted": { $0.isHighlighted },
        "summary": { $0.summary },
    ])
}

extension AgendaPage.Column: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "heading": { $0.heading },
        "headingPath": { $0.headingPath },
        "isToday": { $0.isToday },
        "allDay": { $0.allDay },
        "cells": { $0.cells },
        "blocks": { $0.blocks },
        "events": { $0.events },
    ])
}

extension AgendaPage.HourLabel: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "cssClass": { $0.cssClass },
        "label": { $0.label },
    ])
}

extension AgendaPage.Grid: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "cssClass": { $0.cssClass },
        "hours": { $0.hours },
        "columns": { $0.columns },
    ])
}

extension AgendaPage.MonthItem: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "cssClass": { $0.cssClass },
        "startsAt": { $0.startsAt },
        "timeLabel": { $0.timeLabel },
        "title": { $0.title },
        "path": { $0.path },
        "color": { $0.color },
    ])
}

extension AgendaPage.MonthDay: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "cssClass": { $0.cssClass },
        "label": { $0.label },
        "dayPath": { $0.dayPath },
        "isHoliday": { $0.isHoliday },
        "items": { $0.items },
        "hasItems": { $0.hasItems },
    ])
}

extension AgendaPage.MonthWeek: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "days": { $0.days },
    ])
}

extension AgendaPage.Month: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "cssClass": { $0.cssClass },
        "caption": { $0.caption },
        "weekdays": { $0.weekdays },
        "weeks": { $0.weeks },
    ])
}

extension AgendaPage.ListDay: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "heading": { $0.heading },
        "isHoliday": { $0.isHoliday },
        "events": { $0.events },
    ])
}

extension AgendaPage.ListWeek: MustacheFields {
    public static let mustacheFields = MustacheFieldTable<Self>([
        "days": { $0.days },
        "isEmpty": { $0.isEmpty },
    ])
}
