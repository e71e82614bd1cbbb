import Domain
import Foundation
import Persistence

/// domain.md §11 rules on a user an agent is about to save, shared by the user form and the API
/// v1: the model's validation, the responsible (visible here, not deleted, not a relative
/// itself), and the duplicates (e-mail → error, names + birth date or phone → warning).
struct UserRules: Sendable {
    let db: AppDatabase
    let clock: any Clock

    struct Outcome {
        var issues: [ValidationIssue]
        /// The chosen responsible, when it is one the agent may pick.
        var responsible: UserSummary?
        /// The files the duplicate rules compared with, and what they found.
        var candidates: [User]
        var duplicateIssues: [ValidationIssue]
    }

    /// `responsibleGiven`: a responsible was asked for (its id may not have parsed).
    func check(_ user: User, formatIssues: [ValidationIssue], responsibleGiven: Bool, settings: UserFileSettings)
        throws -> Outcome
    {
        var responsible: UserSummary?
        var responsibleIssues: [ValidationIssue] = []
        var responsibleUser: User?
        if responsibleGiven {
            if let id = user.responsibleID, let summary = try visibleResponsible(id, settings: settings) {
                responsible = summary
                responsibleUser = try db.user(id: id)
            } else {
                responsibleIssues.append(.error("responsible_id", "doit être un usager de cette organisation qui n'est pas lui-même un proche"))
            }
        }
        // A relative has no login (domain.md §11; the schema refuses it too).
        if user.responsibleID != nil, user.passwordHash != nil {
            responsibleIssues.append(.error("responsible_id", "ne peut pas être renseigné : cet usager a un compte"))
        }
        if let id = user.id, user.responsibleID != nil, try db.relativesCount(userID: id) > 0 {
            responsibleIssues.append(.error("responsible_id", "ne peut pas être renseigné : cet usager a lui-même des proches"))
        }
        let today = LocalDate(clock.now, in: settings.timeZone)
        let candidates = try db.duplicateCandidates(of: user)
        let duplicateIssues = user.duplicateIssues(among: candidates)
        var issues = formatIssues + user.validate(today: today, responsible: responsibleUser) + responsibleIssues
        issues = issues.filter { issue in
            // A date that did not parse is reported once.
            !(issue.field == "birth_date" && formatIssues.contains { $0.field == "birth_date" } && !formatIssues.contains(issue))
        }
        issues += duplicateIssues
        return Outcome(issues: issues, responsible: responsible, candidates: candidates, duplicateIssues: duplicateIssues)
    }

    /// A responsible the agent may pick: visible here, not deleted, not a relative itself.
    func visibleResponsible(_ id: Int64, settings: UserFileSettings) throws -> UserSummary? {
        guard try !db.visibleUserIDs([id], organisationID: settings.organisationID).isEmpty,
            let user = try db.user(id: id), user.deletedAt == nil, !user.isRelative
        else { return nil }
        return UserSummary(id: id, firstName: user.firstName, lastName: user.lastName, birthDate: user.birthDate)
    }
}
