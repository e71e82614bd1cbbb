import Domain
import Foundation
import Testing

@Suite("Notification planner: events × recipients × channels (notifications.md §2–§3)")
struct NotificationPlannerTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var label: String
        var plan: @Sendable () -> [PlannedMessage]
        var expected: [String]
        var testDescription: String { label }
    }

    static let moved = NF.appointment(startsAt: instant("2021-12-11T10:00:00+01:00"))
    static let renamedPlace = NotifiedPlace(id: 5, name: "MDS Nord", address: "10 rue d'Ici 62000 Arras")

    /// One row per line of the §2 table (and its triggers); agent 10 holds the appointment at
    /// level `others`, the author is agent 99 unless stated.
    static let table: [Row] = [
        Row(
            label: "rdv_created by the agent wizard: user e-mail + SMS, agent e-mail",
            plan: { NF.plan(.rdvCreated) },
            expected: ["user-1:mail:rdv_created", "user-1:sms:rdv_created", "agent-10:mail:rdv_created"]),
        Row(
            label: "rdv_created by online booking: the same",
            plan: { NF.plan(.rdvCreated, author: .user(1)) },
            expected: ["user-1:mail:rdv_created", "user-1:sms:rdv_created", "agent-10:mail:rdv_created"]),
        Row(
            label: "rdv_created by a prescription: the same",
            plan: { NF.plan(.rdvCreated, author: .prescriber) },
            expected: ["user-1:mail:rdv_created", "user-1:sms:rdv_created", "agent-10:mail:rdv_created"]),
        Row(
            label: "rdv_created, participant added in the participants form: that user only, no agent",
            plan: {
                NF.plan(
                    .rdvCreated, change: NotificationChange(concernedUserIDs: [2], viaParticipantsForm: true),
                    participants: [NF.participant(), NF.participant(NF.contact(2, "Paul"))],
                    motif: NF.motif(collectif: true))
            },
            expected: ["user-2:mail:rdv_created", "user-2:sms:rdv_created"]),
        Row(
            label: "rdv_created, re-activated (cancelled -> unknown): every participant and agent",
            plan: {
                NF.plan(
                    .rdvCreated,
                    participants: [
                        NF.participant(before: .revoked), NF.participant(NF.contact(2, "Paul"), before: .revoked),
                    ])
            },
            expected: [
                "user-1:mail:rdv_created", "user-1:sms:rdv_created", "user-2:mail:rdv_created",
                "user-2:sms:rdv_created", "agent-10:mail:rdv_created",
            ]),
        Row(
            label: "rdv_updated, start changed: user e-mail + SMS, kept agent updated",
            plan: { NF.plan(.rdvUpdated, appointment: moved, previous: NF.appointment()) },
            expected: ["user-1:mail:rdv_updated", "user-1:sms:rdv_updated", "agent-10:mail:rdv_updated"]),
        Row(
            label: "rdv_updated, place name edited: users notified",
            plan: {
                NF.plan(.rdvUpdated, appointment: NF.appointment(place: renamedPlace), previous: NF.appointment())
            },
            expected: ["user-1:mail:rdv_updated", "user-1:sms:rdv_updated", "agent-10:mail:rdv_updated"]),
        Row(
            label: "rdv_updated, only the agents changed: no user; kept updated, added created, removed cancelled",
            plan: {
                NF.plan(
                    .rdvUpdated, appointment: NF.appointment(agentIDs: [10, 11]),
                    previous: NF.appointment(agentIDs: [10, 12]), agents: [NF.agent(10), NF.agent(11), NF.agent(12)])
            },
            expected: ["agent-10:mail:rdv_updated", "agent-11:mail:rdv_created", "agent-12:mail:rdv_cancelled"]),
        Row(
            label: "rdv_cancelled by an agent: user e-mail + SMS, agent e-mail",
            plan: {
                NF.plan(
                    .rdvCancelled, appointment: NF.appointment(status: .revoked),
                    participants: [NF.participant(status: .revoked, before: .unknown)])
            },
            expected: ["user-1:mail:rdv_cancelled", "user-1:sms:rdv_cancelled", "agent-10:mail:rdv_cancelled"]),
        Row(
            label: "rdv_cancelled by the user: e-mail only, agents e-mailed (S45)",
            plan: {
                NF.plan(
                    .rdvCancelled, appointment: NF.appointment(status: .excused),
                    participants: [NF.participant(status: .excused, before: .unknown)], author: .user(1))
            },
            expected: ["user-1:mail:rdv_cancelled", "agent-10:mail:rdv_cancelled"]),
        Row(
            label: "rdv_cancelled in the participants form: the removed user, no agent",
            plan: {
                NF.plan(
                    .rdvCancelled, change: NotificationChange(concernedUserIDs: [2], viaParticipantsForm: true),
                    participants: [
                        NF.participant(), NF.participant(NF.contact(2, "Paul"), status: .revoked, before: .unknown),
                    ],
                    motif: NF.motif(collectif: true))
            },
            expected: ["user-2:mail:rdv_cancelled", "user-2:sms:rdv_cancelled"]),
        Row(
            label: "rdv_cancelled: a participation cancelled before gets nothing",
            plan: {
                NF.plan(
                    .rdvCancelled, appointment: NF.appointment(status: .revoked),
                    participants: [
                        NF.participant(status: .revoked, before: .unknown),
                        NF.participant(NF.contact(2, "Paul"), status: .excused, before: .excused),
                    ])
            },
            expected: ["user-1:mail:rdv_cancelled", "user-1:sms:rdv_cancelled", "agent-10:mail:rdv_cancelled"]),
        Row(
            label: "rdv_upcoming_reminder: user e-mail + SMS, no agent",
            plan: { NF.plan(.rdvUpcomingReminder, author: .system) },
            expected: ["user-1:mail:rdv_upcoming_reminder", "user-1:sms:rdv_upcoming_reminder"]),
        Row(
            label: "rdv_upcoming_reminder: an excused participation gets none (S42)",
            plan: { NF.plan(.rdvUpcomingReminder, participants: [NF.participant(status: .excused)], author: .system) },
            expected: []),
        Row(
            label: "rdv_upcoming_reminder: send_reminder_notification off",
            plan: { NF.plan(.rdvUpcomingReminder, participants: [NF.participant(reminder: false)], author: .system) },
            expected: []),
        Row(
            label: "rdv_upcoming_reminder: a cancelled appointment gets none",
            plan: { NF.plan(.rdvUpcomingReminder, appointment: NF.appointment(status: .revoked), author: .system) },
            expected: []),
        Row(
            label: "new_creneau_available: user e-mail + SMS, no agent",
            plan: { NF.plan(.newCreneauAvailable, author: .system) },
            expected: ["user-1:mail:new_creneau_available", "user-1:sms:new_creneau_available"]),
        Row(
            label: "send_lifecycle_notifications off: agents only (S46)",
            plan: { NF.plan(.rdvCreated, participants: [NF.participant(lifecycle: false)]) },
            expected: ["agent-10:mail:rdv_created"]),
        Row(
            label: "an updated excused participation gets nothing (S42)",
            plan: {
                NF.plan(
                    .rdvUpdated, appointment: moved, previous: NF.appointment(),
                    participants: [NF.participant(status: .excused)])
            },
            expected: ["agent-10:mail:rdv_updated"]),
        Row(
            label: "an intervenant (no e-mail) receives nothing",
            plan: {
                NF.plan(
                    .rdvCreated, participants: [],
                    agents: [NotifiedAgent(id: 10, firstName: nil, lastName: "Aide", email: nil, level: .none)])
            },
            expected: []),
    ]

    @Test("Each event and trigger reaches the spec's recipients and channels", arguments: table)
    func recipients(row: Row) {
        // Given the row's appointment and change
        // When it is planned
        let messages = row.plan()
        // Then exactly the expected recipients, channels and events come out
        #expect(messages.map(\.summary) == row.expected)
    }

    struct LevelCase: Sendable, CustomTestStringConvertible {
        var level: Agent.RdvNotificationsLevel
        var authorIsAgent: Bool
        var startsAt: String
        var oldStart: String?
        var receives: Bool
        var testDescription: String {
            "\(level.rawValue), \(authorIsAgent ? "author" : "other agent"), start \(startsAt)"
                + (oldStart.map { ", old start \($0)" } ?? "") + " -> \(receives)"
        }
    }

    /// notifications.md §3 level table; now = Wed 1 Dec 2021 09:00 Paris.
    static let levels: [LevelCase] = [
        LevelCase(level: .all, authorIsAgent: true, startsAt: "2021-12-10T13:10:00+01:00", receives: true),
        LevelCase(level: .all, authorIsAgent: false, startsAt: "2021-12-10T13:10:00+01:00", receives: true),
        LevelCase(level: .others, authorIsAgent: true, startsAt: "2021-12-10T13:10:00+01:00", receives: false),
        LevelCase(level: .others, authorIsAgent: false, startsAt: "2021-12-10T13:10:00+01:00", receives: true),
        LevelCase(level: .soon, authorIsAgent: false, startsAt: "2021-12-10T13:10:00+01:00", receives: false),
        LevelCase(level: .soon, authorIsAgent: false, startsAt: "2021-12-01T18:00:00+01:00", receives: true),
        LevelCase(level: .soon, authorIsAgent: false, startsAt: "2021-12-02T23:30:00+01:00", receives: true),
        LevelCase(level: .soon, authorIsAgent: false, startsAt: "2021-12-03T00:10:00+01:00", receives: false),
        LevelCase(
            level: .soon, authorIsAgent: false, startsAt: "2021-12-10T13:10:00+01:00",
            oldStart: "2021-12-02T10:00:00+01:00", receives: true),
        LevelCase(level: .soon, authorIsAgent: true, startsAt: "2021-12-01T18:00:00+01:00", receives: false),
        LevelCase(level: .none, authorIsAgent: false, startsAt: "2021-12-01T18:00:00+01:00", receives: false),
    ]

    @Test("rdv_notifications_level decides the agent e-mail", arguments: levels)
    func agentLevel(row: LevelCase) {
        // Given agent 10 at the level, the author being agent 10 or agent 99
        let appointment = NF.appointment(startsAt: instant(row.startsAt))
        let previous = row.oldStart.map { NF.appointment(startsAt: instant($0)) }
        // When the appointment is updated (or created without an old start)
        let messages = NF.plan(
            previous == nil ? .rdvCreated : .rdvUpdated, appointment: appointment, previous: previous,
            participants: [], agents: [NF.agent(10, level: row.level)],
            author: row.authorIsAgent ? .agent(10) : .agent(99))
        // Then the agent gets its e-mail exactly when the level allows it
        #expect(messages.contains { $0.recipient == .agent(10) } == row.receives)
    }

    @Test("A cancellation by an agent: the others are e-mailed, the author only at level all (S44)")
    func authorAtOthersThenAll() {
        // Given agents 10 (author) and 11, both at `others`; then the author at `all`
        let appointment = NF.appointment(status: .revoked, agentIDs: [10, 11])
        let cancelled = [NF.participant(status: .revoked, before: .unknown)]
        // When agent 10 cancels
        let first = NF.plan(
            .rdvCancelled, appointment: appointment, participants: cancelled, agents: [NF.agent(10), NF.agent(11)],
            author: .agent(10))
        let second = NF.plan(
            .rdvCancelled, appointment: appointment, participants: cancelled,
            agents: [NF.agent(10, level: .all), NF.agent(11)], author: .agent(10))
        // Then the author is skipped, then included
        #expect(
            first.map(\.summary) == [
                "user-1:mail:rdv_cancelled", "user-1:sms:rdv_cancelled", "agent-11:mail:rdv_cancelled",
            ])
        #expect(
            second.map(\.summary) == [
                "user-1:mail:rdv_cancelled", "user-1:sms:rdv_cancelled", "agent-10:mail:rdv_cancelled",
                "agent-11:mail:rdv_cancelled",
            ])
    }

    @Test("Relatives' messages go to their responsible, once per person (S47)")
    func relativesToResponsible() {
        // Given two relatives of responsible 1, who has no participation, with their own contacts
        let responsible = NF.contact(1, "Jeanne", "Dupont")
        let children = [
            NF.participant(
                NF.contact(3, "Léo", "Dupont", email: "leo@example.fr", phone: "0698765432"), responsible: responsible,
                token: "TokLeo00"),
            NF.participant(
                NF.contact(2, "Ana", "Dupont", email: nil, phone: nil), responsible: responsible, token: "TokAna00"),
        ]
        // When the appointment is created
        let messages = NF.plan(.rdvCreated, participants: children, agents: [])
        // Then the responsible gets one e-mail and one SMS, for both, on her own addresses
        #expect(messages.map(\.summary) == ["user-1:mail:rdv_created", "user-1:sms:rdv_created"])
        #expect(messages.map(\.address) == ["jeanne@example.fr", "+33612345678"])
        // And the SMS names them, sorted; over 160 characters, the place keeps its name alone
        #expect(
            messages[1].body == """
                RDV PMI vendredi 10/12 à 13h10.
                MDS Centre pour Ana DUPONT et Léo DUPONT
                Infos et annulation: rdv.example.fr/r/123456/TokLeo00 / 03 21 00 00 00
                """)
    }

    @Test("Nothing about an appointment whose start is past (S43)", arguments: NotificationEvent.allCases)
    func pastAppointment(event: NotificationEvent) {
        // Given an appointment that started one minute before now
        let appointment = NF.appointment(startsAt: NF.now.addingTimeInterval(-60))
        // When any event is planned
        let messages = NF.plan(event, appointment: appointment, previous: NF.appointment())
        // Then nothing is sent to anyone
        #expect(messages.isEmpty)
    }

    struct ConsentCase: Sendable, CustomTestStringConvertible {
        var label: String
        var contact: NotifiedContact
        var smsEnabled = true
        var channels: [String]
        var testDescription: String { label }
    }

    static let consents: [ConsentCase] = [
        ConsentCase(label: "both allowed", contact: NF.contact(1), channels: ["mail", "sms"]),
        ConsentCase(label: "notify_by_email off", contact: NF.contact(1, byEmail: false), channels: ["sms"]),
        ConsentCase(label: "notify_by_sms off (S48)", contact: NF.contact(1, bySMS: false), channels: ["mail"]),
        ConsentCase(
            label: "a landline never gets SMS (S48)", contact: NF.contact(1, phone: "03 21 00 00 00"),
            channels: ["mail"]),
        ConsentCase(
            label: "an overseas mobile gets SMS", contact: NF.contact(1, email: nil, phone: "0690 12 34 56"),
            channels: ["sms"]),
        ConsentCase(label: "no e-mail address", contact: NF.contact(1, email: nil), channels: ["sms"]),
        ConsentCase(label: "an invalid e-mail address", contact: NF.contact(1, email: "jeanne"), channels: ["sms"]),
        ConsentCase(
            label: "effective SMS provider none", contact: NF.contact(1), smsEnabled: false, channels: ["mail"]),
    ]

    @Test("Consent flags and contact rules pick the channels", arguments: consents)
    func consent(row: ConsentCase) {
        // Given the user's contact data and the territory's SMS setting
        var settings = NF.settings
        settings.smsEnabled = row.smsEnabled
        // When the appointment is created
        let messages = NF.plan(.rdvCreated, participants: [NF.participant(row.contact)], agents: [], settings: settings)
        // Then only the allowed channels are used
        #expect(messages.map(\.channel.rawValue) == row.channels)
    }

    @Test("Participation flags follow the motif's visibility by default (S46)", arguments: VisibilityType.allCases)
    func visibilityDefaults(visibility: VisibilityType) {
        // Given a participation created with the motif's default flags
        let motif = Motif(organisationID: 3, serviceID: 1, name: "Suivi", color: "#000000", visibilityType: visibility)
        let participation = Participation(
            appointmentID: 123456, userID: 1, motif: motif, createdByType: .agent, createdByID: 99)
        let participant = NF.participant(
            lifecycle: participation.sendLifecycleNotifications, reminder: participation.sendReminderNotification)
        // When the appointment is created and reminded
        let created = NF.plan(.rdvCreated, participants: [participant], agents: [])
        let reminded = NF.plan(.rdvUpcomingReminder, participants: [participant], agents: [], author: .system)
        // Then users hear of it only for visible_and_notified motifs
        #expect(created.count == (visibility == .visibleAndNotified ? 2 : 0))
        #expect(reminded.count == (visibility == .visibleAndNotified ? 2 : 0))
    }

    @Test("Idempotency keys are deterministic per event, appointment, start, recipient and channel")
    func idempotencyKeys() {
        // Given the same change planned twice (a retry)
        let first = NF.plan(.rdvCreated)
        let again = NF.plan(.rdvCreated)
        // Then the keys are equal and literal (notifications.md §12)
        #expect(first.map(\.idempotencyKey) == again.map(\.idempotencyKey))
        #expect(
            first.map(\.idempotencyKey) == [
                "rdv_created:123456:2021-12-10T12:10:00Z:user-1:mail",
                "rdv_created:123456:2021-12-10T12:10:00Z:user-1:sms",
                "rdv_created:123456:2021-12-10T12:10:00Z:agent-10:mail",
            ])
        // And reminders use the reminder row's key, and a change id separates distinct changes
        let reminder = NF.plan(.rdvUpcomingReminder, author: .system)
        #expect(
            reminder.map(\.idempotencyKey) == [
                "reminder:123456:2021-12-10T12:10:00Z:user-1:mail", "reminder:123456:2021-12-10T12:10:00Z:user-1:sms",
            ])
        let versioned = NF.plan(
            .rdvCancelled, appointment: NF.appointment(status: .revoked), change: NotificationChange(changeID: "v42"),
            participants: [NF.participant(status: .revoked, before: .unknown)], agents: [])
        #expect(versioned.first?.idempotencyKey == "rdv_cancelled:123456:2021-12-10T12:10:00Z:v42:user-1:mail")
    }

    @Test("ICS methods: REQUEST and CANCEL for agents, PUBLISH and CANCEL for users (notifications.md §10)")
    func calendarMethods() {
        // Given an update that adds agent 11 and removes agent 12
        let messages = NF.plan(
            .rdvUpdated,
            appointment: NF.appointment(startsAt: instant("2021-12-11T10:00:00+01:00"), agentIDs: [10, 11]),
            previous: NF.appointment(agentIDs: [10, 12]), agents: [NF.agent(10), NF.agent(11), NF.agent(12)])
        // Then each e-mail carries its METHOD, SMS none
        #expect(messages.map(\.calendarMethod) == [.publish, nil, .request, .request, .cancel])
    }
}
