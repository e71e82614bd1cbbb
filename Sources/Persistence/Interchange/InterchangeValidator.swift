import Domain
import Foundation

/// Checks a decoded document before anything is written: refs unique and resolvable, formats,
/// and the rules between records (admin.md §9: every error, at its JSON path).
public struct InterchangeValidator {
    enum Kind: String {
        case service, territory, organisation, agent, place, motif
        case openingPeriod = "opening period", absence, user, sector, appointment
    }

    let document: InterchangeDocument
    private(set) var errors: [InterchangeError] = []
    /// ref → (kind, JSON path of its definition)
    private(set) var refs: [String: (kind: Kind, path: String)] = [:]
    /// A provisional id per ref, so that domain rules can relate records before they exist.
    private(set) var provisional: [String: Int64] = [:]

    public static func validate(_ document: InterchangeDocument, clock: any Clock) -> [InterchangeError] {
        var validator = InterchangeValidator(document: document)
        validator.collectRefs()
        validator.checkReferences()
        // Domain rules relate records: they run once every ref resolves (records whose fields
        // are malformed are skipped by them, their format errors being reported already).
        let referencesResolve = validator.errors.isEmpty
        validator.checkFormats()
        if referencesResolve { validator.checkDomainRules(clock: clock) }
        return validator.errors
    }

    mutating func fail(_ path: String, _ message: String) {
        errors.append(InterchangeError(path: path, message: message))
    }

    // MARK: refs

    private mutating func define(_ ref: String, _ kind: Kind, _ path: String) {
        if ref.trimmingCharacters(in: .whitespaces).isEmpty {
            fail(path, "must not be empty")
        } else if let first = refs[ref] {
            fail(path, "duplicate ref \"\(ref)\" (already used at \(first.path))")
        } else {
            refs[ref] = (kind, path)
            provisional[ref] = Int64(provisional.count + 1)
        }
    }

    private mutating func collectRefs() {
        let d = document
        for (i, r) in d.services.enumerated() { define(r.ref, .service, "services[\(i)].ref") }
        for (i, r) in d.territories.enumerated() { define(r.ref, .territory, "territories[\(i)].ref") }
        for (i, r) in d.organisations.enumerated() { define(r.ref, .organisation, "organisations[\(i)].ref") }
        for (i, r) in d.agents.enumerated() { define(r.ref, .agent, "agents[\(i)].ref") }
        for (i, r) in d.places.enumerated() { define(r.ref, .place, "places[\(i)].ref") }
        for (i, r) in d.motifs.enumerated() { define(r.ref, .motif, "motifs[\(i)].ref") }
        for (i, r) in d.opening_periods.enumerated() { define(r.ref, .openingPeriod, "opening_periods[\(i)].ref") }
        for (i, r) in d.absences.enumerated() { define(r.ref, .absence, "absences[\(i)].ref") }
        for (i, r) in d.users.enumerated() { define(r.ref, .user, "users[\(i)].ref") }
        for (i, r) in d.sectors.enumerated() { define(r.ref, .sector, "sectors[\(i)].ref") }
        for (i, r) in d.appointments.enumerated() { define(r.ref, .appointment, "appointments[\(i)].ref") }
    }

    /// Checks that `ref` names a record of `kind`.
    mutating func expect(_ ref: String, _ kind: Kind, at path: String) {
        guard let target = refs[ref] else {
            fail(path, "unknown ref \"\(ref)\" (expected a \(kind.rawValue))")
            return
        }
        if target.kind != kind {
            fail(path, "ref \"\(ref)\" is a \(target.kind.rawValue), expected a \(kind.rawValue)")
        }
    }

    mutating func expect(_ refs: [String], _ kind: Kind, at path: String) {
        for (j, ref) in refs.enumerated() { expect(ref, kind, at: "\(path)[\(j)]") }
    }

    private mutating func checkReferences() {
        let d = document
        for (i, t) in d.territories.enumerated() { expect(t.services, .service, at: "territories[\(i)].services") }
        for (i, o) in d.organisations.enumerated() {
            expect(o.territory, .territory, at: "organisations[\(i)].territory")
        }
        for (i, a) in d.agents.enumerated() {
            let path = "agents[\(i)]"
            expect(a.services, .service, at: "\(path).services")
            for (j, role) in a.roles.enumerated() {
                expect(role.organisation, .organisation, at: "\(path).roles[\(j)].organisation")
            }
            expect(a.territorial_admin_of ?? [], .territory, at: "\(path).territorial_admin_of")
        }
        for (i, p) in d.places.enumerated() { expect(p.organisation, .organisation, at: "places[\(i)].organisation") }
        for (i, m) in d.motifs.enumerated() {
            expect(m.organisation, .organisation, at: "motifs[\(i)].organisation")
            expect(m.service, .service, at: "motifs[\(i)].service")
        }
        for (i, p) in d.opening_periods.enumerated() {
            let path = "opening_periods[\(i)]"
            expect(p.agent, .agent, at: "\(path).agent")
            expect(p.organisation, .organisation, at: "\(path).organisation")
            if let place = p.place { expect(place, .place, at: "\(path).place") }
            expect(p.motifs, .motif, at: "\(path).motifs")
        }
        for (i, a) in d.absences.enumerated() {
            expect(a.agent, .agent, at: "absences[\(i)].agent")
            if let organisation = a.organisation {
                expect(organisation, .organisation, at: "absences[\(i)].organisation")
            }
        }
        for (i, u) in d.users.enumerated() {
            if let responsible = u.responsible { expect(responsible, .user, at: "users[\(i)].responsible") }
            expect(u.organisations ?? [], .organisation, at: "users[\(i)].organisations")
        }
        for (i, r) in d.referents.enumerated() {
            expect(r.user, .user, at: "referents[\(i)].user")
            expect(r.agent, .agent, at: "referents[\(i)].agent")
        }
        for (i, s) in d.sectors.enumerated() {
            expect(s.territory, .territory, at: "sectors[\(i)].territory")
            for (j, a) in s.attributions.enumerated() {
                expect(a.organisation, .organisation, at: "sectors[\(i)].attributions[\(j)].organisation")
                if let agent = a.agent { expect(agent, .agent, at: "sectors[\(i)].attributions[\(j)].agent") }
            }
        }
        for (i, a) in d.appointments.enumerated() {
            let path = "appointments[\(i)]"
            expect(a.organisation, .organisation, at: "\(path).organisation")
            expect(a.motif, .motif, at: "\(path).motif")
            if let place = a.place { expect(place, .place, at: "\(path).place") }
            expect(a.agents, .agent, at: "\(path).agents")
            expect(a.users, .user, at: "\(path).users")
        }
    }
}
