import Domain
import Foundation
import Persistence

/// What the wizard's form (or its entry query from the agenda and the slot grid) says, as typed:
/// the GET of `rdvs/new` and the POST to `rdvs` share the field names, so a re-rendered form
/// keeps every value (booking.md §1.4).
struct AppointmentWizardInput {
    var serviceID: Int64?
    var motifID: Int64?
    var userIDs: [Int64] = []
    var userSearch = ""
    var newUserFirstName = ""
    var newUserLastName = ""
    var newUserPhone = ""
    var newUserEmail = ""
    var newUserResponsibleID: Int64?
    var agentIDs: [Int64] = []
    var startDate = ""
    var startTime = ""
    var duration = ""
    /// An enabled place's id, as typed.
    var placeID: Int64?
    var singleUseName = ""
    var singleUseAddress = ""
    var context = ""
    /// The participants whose step-4 toggles were on the page: their unchecked boxes mean "no";
    /// a participant just added gets the motif's defaults.
    var notificationKeys: Set<String> = []
    var lifecycle: Set<String> = []
    var reminder: Set<String> = []
    /// « Enregistrer quand même » (partials/benign_warnings).
    var confirmed = false

    init(_ form: FormData, timeZone: TimeZone) {
        func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        func id(_ name: String) -> Int64? { Int64(text(name)).flatMap { $0 > 0 ? $0 : nil } }
        func ids(_ name: String) -> [Int64] {
            var seen = Set<Int64>()
            return form.values(name).compactMap { Int64($0) }.filter { $0 > 0 && seen.insert($0).inserted }
        }
        serviceID = id("service_id")
        motifID = id("motif_id")
        userIDs = ids("user_ids")
        userSearch = text("user_search")
        newUserFirstName = text("new_user_first_name")
        newUserLastName = text("new_user_last_name")
        newUserPhone = text("new_user_phone")
        newUserEmail = text("new_user_email")
        newUserResponsibleID = id("new_user_responsible_id")
        agentIDs = ids("agent_ids")
        startDate = text("start_date")
        startTime = text("start_time")
        // The entry query of the agenda and the grid: `starts_at`, ISO-8601 with offset.
        if let startsAt = form["starts_at"].flatMap(ISO8601.parse) {
            startDate = LocalDate(startsAt, in: timeZone).description
            startTime = NotificationFormat.time(startsAt, in: timeZone).replacingOccurrences(of: "h", with: ":")
            if startTime.count == 4 { startTime = "0" + startTime }
        }
        duration = text("duration")
        placeID = id("lieu_id")
        singleUseName = text("lieu_ponctuel_name")
        singleUseAddress = text("lieu_ponctuel_address")
        context = text("context")
        notificationKeys = Set(form.values("notification_keys"))
        lifecycle = Set(form.values("notify"))
        reminder = Set(form.values("remind"))
        confirmed = form["ignore_benign_errors"] == "1"
    }

    var hasNewUser: Bool {
        !(newUserFirstName.isEmpty && newUserLastName.isEmpty && newUserPhone.isEmpty && newUserEmail.isEmpty)
    }

    /// The start, from the date and time fields, in the territory's zone.
    func startsAt(in zone: TimeZone) -> Date? {
        guard let day = LocalDate(startDate), let time = TimeOfDay(startTime) else { return nil }
        return day.instant(at: time, in: zone)
    }

    /// 1 to 1440 minutes (motifs' bounds, domain.md §6).
    var durationInMinutes: Int? { Int(duration).flatMap { (1...1440).contains($0) ? $0 : nil } }

    /// The toggles of one participant (`key`: a user id, or `new`), or the motif's defaults.
    func notifications(_ key: String, default value: Bool) -> WizardNotifications {
        notificationKeys.contains(key)
            ? WizardNotifications(lifecycle: lifecycle.contains(key), reminder: reminder.contains(key))
            : WizardNotifications(lifecycle: value, reminder: value)
    }
}
