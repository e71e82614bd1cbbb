/// The `rdv-import/1` document (contracts.md §3, docs/import-format.md).
///
/// These types mirror the wire format one to one: property names are the JSON keys (snake_case)
/// so that every error can name its exact JSON path. Optional fields take the defaults of
/// domain.md when omitted.
public struct InterchangeDocument: Codable, Sendable, Equatable {
    public static let formatName = "rdv-import/1"

    public var format: String
    public var services: [ServiceRecord]
    public var territories: [TerritoryRecord]
    public var organisations: [OrganisationRecord]
    public var agents: [AgentRecord]
    public var places: [PlaceRecord]
    public var motifs: [MotifRecord]
    public var opening_periods: [OpeningPeriodRecord]
    public var absences: [AbsenceRecord]
    public var users: [UserRecord]
    public var referents: [ReferentRecord]
    public var sectors: [SectorRecord]
    public var appointments: [AppointmentRecord]

    public init(
        services: [ServiceRecord] = [], territories: [TerritoryRecord] = [],
        organisations: [OrganisationRecord] = [], agents: [AgentRecord] = [], places: [PlaceRecord] = [],
        motifs: [MotifRecord] = [], opening_periods: [OpeningPeriodRecord] = [], absences: [AbsenceRecord] = [],
        users: [UserRecord] = [], referents: [ReferentRecord] = [], sectors: [SectorRecord] = [],
        appointments: [AppointmentRecord] = []
    ) {
        self.format = Self.formatName
        self.services = services
        self.territories = territories
        self.organisations = organisations
        self.agents = agents
        self.places = places
        self.motifs = motifs
        self.opening_periods = opening_periods
        self.absences = absences
        self.users = users
        self.referents = referents
        self.sectors = sectors
        self.appointments = appointments
    }
}

public struct ServiceRecord: Codable, Sendable, Equatable {
    public var ref: String
    public var name: String
    public var short_name: String
}

public struct TerritoryRecord: Codable, Sendable, Equatable {
    public var ref: String
    public var name: String
    public var departement_number: String?
    public var services: [String]
    public var open_on_sundays_and_holidays: Bool?
    public var whit_monday_is_holiday: Bool?
    public var time_zone: String?
}

public struct OrganisationRecord: Codable, Sendable, Equatable {
    public var ref: String
    public var territory: String
    public var name: String
    public var phone_number: String?
    public var email: String?
    public var website: String?
    public var external_id: String?
    public var verticale: String?
}

public struct AgentRoleRecord: Codable, Sendable, Equatable {
    public var organisation: String
    public var access_level: String
}

public struct AgentRecord: Codable, Sendable, Equatable {
    public var ref: String
    public var email: String?
    public var first_name: String?
    public var last_name: String
    /// Import only: never exported.
    public var password: String?
    public var services: [String]
    public var roles: [AgentRoleRecord]
    public var territorial_admin_of: [String]?
    public var rdv_notifications_level: String?
    /// A ready scrypt hash (`PasswordHasher` format) used when `password` is nil: the seed's
    /// demo agents share one (`SeedDocument.demoPasswordHash`). Not part of the JSON format,
    /// neither read nor written.
    public var passwordHash: String? = nil

    private enum CodingKeys: String, CodingKey {
        case ref, email, first_name, last_name, password, services, roles, territorial_admin_of
        case rdv_notifications_level
    }
}

public struct PlaceRecord: Codable, Sendable, Equatable {
    public var ref: String
    public var organisation: String
    public var name: String
    public var address: String
    public var latitude: Double
    public var longitude: Double
    public var phone_number: String?
    public var availability: String?
}

public struct MotifRecord: Codable, Sendable, Equatable {
    public var ref: String
    public var organisation: String
    public var service: String
    public var name: String
    public var color: String
    public var location_type: String?
    public var default_duration_in_min: Int?
    public var bookable_by: String?
    public var min_public_booking_delay: Int?
    public var max_public_booking_delay: Int?
    public var visibility_type: String?
    public var sectorisation_level: String?
    public var collectif: Bool?
    public var follow_up: Bool?
    public var for_secretariat: Bool?
    public var restriction_for_rdv: String?
    public var instruction_for_rdv: String?
    public var custom_cancel_warning_message: String?
    public var rdvs_editable_by_user: Bool?
    public var rdvs_cancellable_by_user: Bool?
}

/// `null`, weekly or monthly (contracts.md §3, slots.md §2).
public struct RecurrenceRecord: Codable, Sendable, Equatable {
    public var every: String
    /// Defaults to 1 when absent (slots.md §2).
    public var interval: Int
    /// Weekly: the weekdays; absent means the weekday of `first_day` (slots.md §2).
    public var on: [String]?
    /// Monthly: `{"<weekday>": k}`, the k-th such weekday of the month.
    public var day: [String: Int]?
    public var until: String?
    /// Optional; a date or a datetime (only its date counts), which must equal `first_day`.
    public var starts: String?

    public init(
        every: String, interval: Int = 1, on: [String]? = nil, day: [String: Int]? = nil, until: String? = nil,
        starts: String? = nil
    ) {
        self.every = every
        self.interval = interval
        self.on = on
        self.day = day
        self.until = until
        self.starts = starts
    }

    private enum CodingKeys: String, CodingKey {
        case every, interval, on, day, until, starts
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            every: try container.decode(String.self, forKey: .every),
            interval: try container.decodeIfPresent(Int.self, forKey: .interval) ?? 1,
            on: try container.decodeIfPresent([String].self, forKey: .on),
            day: try container.decodeIfPresent([String: Int].self, forKey: .day),
            until: try container.decodeIfPresent(String.self, forKey: .until),
            starts: try container.decodeIfPresent(String.self, forKey: .starts))
    }
}

public struct ExceptionRecord: Codable, Sendable, Equatable {
    public var date: String
    public var cancelled: Bool?
    public var day: String?
    public var start_time: String?
    public var end_time: String?
}

public struct OpeningPeriodRecord: Codable, Sendable, Equatable {
    public var ref: String
    public var agent: String
    public var organisation: String
    public var place: String?
    public var title: String
    public var first_day: String
    public var start_time: String
    public var end_time: String
    public var motifs: [String]
    public var recurrence: RecurrenceRecord?
    public var exceptions: [ExceptionRecord]?
}

public struct AbsenceRecord: Codable, Sendable, Equatable {
    public var ref: String
    public var agent: String
    public var organisation: String?
    public var title: String
    public var first_day: String
    public var start_time: String
    public var end_day: String?
    public var end_time: String
    public var recurrence: RecurrenceRecord?
    public var exceptions: [ExceptionRecord]?
}

public struct UserRecord: Codable, Sendable, Equatable {
    public var ref: String
    public var first_name: String
    public var last_name: String
    public var birth_name: String?
    public var email: String?
    public var phone_number: String?
    public var birth_date: String?
    public var responsible: String?
    public var organisations: [String]?
    public var address: String?
    public var city_code: String?
    public var post_code: String?
    public var city_name: String?
    public var notify_by_sms: Bool?
    public var notify_by_email: Bool?
}

public struct ReferentRecord: Codable, Sendable, Equatable {
    public var user: String
    public var agent: String
}

public struct ZoneRecord: Codable, Sendable, Equatable {
    public var level: String
    public var city_code: String
    public var city_name: String
    public var street_name: String?
    public var street_ban_id: String?
}

public struct AttributionRecord: Codable, Sendable, Equatable {
    public var organisation: String
    public var level: String
    public var agent: String?
}

public struct SectorRecord: Codable, Sendable, Equatable {
    public var ref: String
    public var territory: String
    public var name: String
    public var human_id: String
    public var zones: [ZoneRecord]
    public var attributions: [AttributionRecord]
}

public struct AppointmentRecord: Codable, Sendable, Equatable {
    public var ref: String
    public var organisation: String
    public var motif: String
    public var place: String?
    public var starts_at: String
    public var duration_in_min: Int
    public var agents: [String]
    public var users: [String]
    public var status: String?
    public var created_by: String?
    public var max_participants_count: Int?
    public var name: String?
    public var context: String?
}
