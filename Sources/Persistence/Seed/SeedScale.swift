/// How much data `rdv seed` writes (contracts.md §1).
public struct SeedScale: Sendable, Equatable {
    public var organisations: Int
    /// Agents per organisation, including its admin, a secretary and an intervenant.
    public var agentsPerOrganisation: Int
    /// Weekly opening periods per agent (plus one monthly period for every third agent).
    public var periodsPerAgent: Int
    public var users: Int
    public var appointments: Int
    /// Days of history and of future covered by appointments.
    public var daysBefore: Int
    public var daysAfter: Int
    /// Appointments tried per agent and weekday of the current week (issue 11: each demo agent's
    /// agenda shows a realistic week); 0 leaves the benchmark data as it was.
    public var currentWeekAppointmentsPerDay = 0

    /// Small and realistic: département 62, 3 organisations, a dozen agents.
    public static let demo = SeedScale(
        organisations: 3, agentsPerOrganisation: 4, periodsPerAgent: 2, users: 200, appointments: 300,
        daysBefore: 60, daysAfter: 45, currentWeekAppointmentsPerDay: 5)

    /// For benchmarks: ≥ 200 agents, 2,000 opening periods, 100,000 appointments, 50,000 users.
    public static let departement = SeedScale(
        organisations: 25, agentsPerOrganisation: 9, periodsPerAgent: 10, users: 50_000, appointments: 100_000,
        daysBefore: 365, daysAfter: 120)

    public static func named(_ name: String) -> SeedScale? {
        switch name {
        case "demo": .demo
        case "departement": .departement
        default: nil
        }
    }
}
