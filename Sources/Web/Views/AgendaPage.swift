import Domain
import Foundation
import Persistence

/// `agent_agendas/show`: one agent's day, week, month or list-week, or several agents side by
/// side in the day view (booking.md §9). Mustache reads stored properties only: every flag and
/// CSS class is computed here.
public struct AgendaPage: PageModel, Sendable {
    public static let template = "agent_agendas/show"

    public struct Link: Sendable, Equatable {
        public let label: String
        public let path: String
        public var isCurrent = false
    }

    /// « Agents »: the checkboxes of the agents the viewer may see (permissions.md §2).
    public struct AgentChoice: Sendable, Equatable {
        public let inputID: String
        public let id: Int64
        public let name: String
        public let isChecked: Bool
    }

    public struct Cell: Sendable, Equatable {
        public let cssClass: String
        /// The wizard with start, duration and agent (booking.md §1.1); nil when the agent is busy.
        public let path: String?
        public let startsAt: String
        public let label: String
    }

    public struct Block: Sendable, Equatable {
        public let cssClass: String
        public let title: String
        public let startsAt: String
        public let timeLabel: String
        /// The occurrence's form (or the period's page), for a viewer who may change it.
        public let path: String?
    }

    public struct Event: Sendable, Equatable {
        public let cssClass: String
        public let startsAt: String
        public let endsAt: String
        public let timeLabel: String
        public let path: String?
        public let title: String
        public let details: [String]
        /// The motif colour (an SVG fill: the CSP forbids style attributes).
        public let color: String?
        public let statusLabel: String?
        public let isArrived: Bool
        public let isHighlighted: Bool
        public let summary: String
    }

    public struct Column: Sendable, Equatable {
        public let heading: String
        /// The day view of that date (week columns) or nil (agent columns).
        public let headingPath: String?
        public let isToday: Bool
        public let allDay: [String]
        public let cells: [Cell]
        public let blocks: [Block]
        public let events: [Event]
    }

    public struct HourLabel: Sendable, Equatable {
        public let cssClass: String
        public let label: String
    }

    public struct Grid: Sendable, Equatable {
        public let cssClass: String
        public let hours: [HourLabel]
        public let columns: [Column]
    }

    public struct MonthItem: Sendable, Equatable {
        public let cssClass: String
        public let startsAt: String
        public let timeLabel: String
        public let title: String
        public let path: String?
        public let color: String?
    }

    public struct MonthDay: Sendable, Equatable {
        public let cssClass: String
        public let label: String
        /// Named apart from the items' `path`: Mustache looks a missing (nil) value up in the
        /// enclosing contexts.
        public let dayPath: String
        public let isHoliday: Bool
        public let items: [MonthItem]
        public let hasItems: Bool
    }

    public struct MonthWeek: Sendable, Equatable {
        public let days: [MonthDay]
    }

    public struct Month: Sendable, Equatable {
        public let cssClass: String
        /// The table's caption (« décembre 2026 »), for screen readers.
        public let caption: String
        public let weekdays: [String]
        public let weeks: [MonthWeek]
    }

    public struct ListDay: Sendable, Equatable {
        public let heading: String
        public let isHoliday: Bool
        public let events: [Event]
    }

    public struct ListWeek: Sendable, Equatable {
        public let days: [ListDay]
        public let isEmpty: Bool
    }

    public let title: String
    public let periodLabel: String
    public let views: [Link]
    public let previous: Link
    public let next: Link
    public let today: Link
    public let formPath: String
    public let dateValue: String
    public let hiddenFields: [HiddenField]
    public let agentFields: [HiddenField]
    public let agentChoices: [AgentChoice]
    public let hasAgentChoices: Bool
    /// Several agents side by side (the selector stays open).
    public let isSeveral: Bool
    /// The day view, where `agenda.js` goes on a small screen when the week is only the
    /// default (booking.md §9: day by default on small screens); nil when a view was chosen.
    public let smallScreenPath: String?
    /// « RDV à renseigner (n) » with the « Liste des RDV » filtered on it; nil when n = 0.
    public let todo: Link?
    public let printLink: Link
    /// The agent's « Plages d'ouverture » (domain.md §7).
    public let openingPeriodsLink: Link
    /// The agent's « Indisponibilités » (domain.md §8).
    public let absencesLink: Link
    public let grid: Grid?
    public let month: Month?
    public let list: ListWeek?
}

/// `agent_agendas/print`: « Liste détaillée des RDV du <date> ».
public struct AgendaPrintPage: PageModel, Sendable, Equatable {
    public static let template = "agent_agendas/print"

    public struct Row: Sendable, Equatable {
        public let startsAt: String
        public let timeLabel: String
        public let duration: String
        public let motif: String
        public let users: String
        public let place: String
        public let status: String
    }

    public let title: String
    public let agentName: String
    public let backPath: String
    public let rows: [Row]
    public let isEmpty: Bool
}
