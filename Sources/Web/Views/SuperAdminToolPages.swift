import Domain
import Foundation
import Persistence

/// `super_admins/jobs`: the job dashboard (admin.md §11): the outbox by kind and status, and the
/// rows given up with « Relancer ».
public struct SuperAdminJobsPage: PageModel, Equatable {
    public static let template = "super_admins/jobs"

    public struct CountRow: Sendable, Equatable {
        public let kind: String
        public let cells: [String]
    }

    public struct Failed: Sendable, Equatable {
        public let id: Int64
        public let kind: String
        public let event: String
        public let attempts: Int
        public let error: String
        public let at: String
        public let retryPath: String
        public let canRetry: Bool
    }

    public let statuses = SuperAdminJobsPage.statusLabels.map(\.1)
    public let counts: [CountRow]
    public let hasCounts: Bool
    public let failed: [Failed]
    public let hasFailed: Bool

    public struct Scheduled: Sendable, Equatable {
        public let label: String
        public let nextRun: String
        public let lastRun: String
    }

    /// booking.md §11, by the time they run.
    /// Stored, both: the template reads the page's stored properties.
    public var scheduled: [Scheduled] = [] { didSet { hasScheduled = !scheduled.isEmpty } }
    public private(set) var hasScheduled = false

    static let jobLabels: [(name: String, label: String)] = [
        ("waiting_list", "File d'attente (toutes les 10 minutes, de 9 h à 18 h 50)"),
        ("retention", "Suppression des rendez-vous et usagers anciens (22 h)"),
        ("old_opening_periods", "Suppression des plages d'ouverture terminées depuis un an (22 h 30)"),
        ("versions_retention", "Purge de l'historique (23 h)"),
        ("api_calls_retention", "Purge du journal des appels API (23 h 30)"),
        ("receipts_blanking", "Effacement des coordonnées des accusés d'envoi (23 h 45)"),
        ("expirations", "Mise à jour des plages et indisponibilités expirées (3 h 30)"),
    ]

    static func scheduled(_ jobs: [ScheduledJob], zone: TimeZone) -> [Scheduled] {
        jobLabels.compactMap { entry in
            guard let job = jobs.first(where: { $0.name == entry.name }) else { return nil }
            return Scheduled(
                label: entry.label, nextRun: job.nextRun.map { NotificationFormat.smsDate($0, in: zone) } ?? "—",
                lastRun: job.lastRun.map { NotificationFormat.smsDate($0, in: zone) } ?? "pas encore")
        }
    }

    static let statusLabels = [
        ("pending", "À envoyer"), ("in_flight", "En cours"), ("sent", "Envoyés"), ("failed", "Abandonnés"),
        ("cancelled", "Annulés"),
    ]
    static let kindLabels = ["reminder": "Rappels planifiés", "email": "E-mails", "sms": "SMS", "webhook": "Webhooks"]

    static func load(counts: [OutboxCount], failed: [FailedJob], zone: TimeZone) -> SuperAdminJobsPage {
        let kinds = ["reminder", "email", "sms", "webhook"].filter { kind in counts.contains { $0.kind == kind } }
        return SuperAdminJobsPage(
            counts: kinds.map { kind in
                CountRow(
                    kind: kindLabels[kind] ?? kind,
                    cells: statusLabels.map { status in
                        BarChart.number(counts.first { $0.kind == kind && $0.status == status.0 }?.count ?? 0)
                    })
            }, hasCounts: !kinds.isEmpty,
            failed: failed.map {
                Failed(
                    id: $0.id, kind: kindLabels[$0.kind] ?? $0.kind, event: $0.event, attempts: $0.attempts,
                    error: $0.lastError ?? "", at: NotificationFormat.smsDate($0.failedAt, in: zone),
                    retryPath: SiteURL.superAdmins(.jobRetry(id: $0.id)).path, canRetry: !$0.isErased)
            }, hasFailed: !failed.isEmpty)
    }
}

/// `super_admins/agents`: « Se connecter en tant que » an agent found by name or e-mail.
public struct SuperAdminAgentsPage: PageModel, Equatable {
    public static let template = "super_admins/agents"

    public struct Row: Sendable, Equatable {
        public let name: String
        public let email: String
        public let organisations: String
        public let path: String
    }

    public let formPath = SiteURL.superAdmins(.agents).path
    public let query: String
    public let rows: [Row]
    public let hasRows: Bool
    public let searched: Bool

    static func load(query: String, agents: [SuperAdminAgentRow]) -> SuperAdminAgentsPage {
        SuperAdminAgentsPage(
            query: query,
            rows: agents.map {
                Row(
                    name: $0.name, email: $0.email ?? "(intervenant)", organisations: $0.organisations,
                    path: SiteURL.superAdmins(.impersonation(agentID: $0.id)).path)
            }, hasRows: !agents.isEmpty, searched: !query.isEmpty)
    }
}

/// `super_admins/import`: a territory in the `rdv import` format (admin.md §9), all or nothing,
/// with every error by its JSON path.
public struct SuperAdminImportPage: PageModel, Equatable {
    public static let template = "super_admins/import"

    public let formPath = SiteURL.superAdmins(.territoryImport).path
    public let fileError: String?
    public let errors: [String]
    public let hasErrors: Bool

    static func load(fileError: String? = nil, errors: [String] = []) -> SuperAdminImportPage {
        SuperAdminImportPage(fileError: fileError, errors: errors, hasErrors: !errors.isEmpty)
    }
}
