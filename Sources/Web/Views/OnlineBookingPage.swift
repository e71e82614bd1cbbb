import Domain
import Foundation
import Persistence

/// `online_booking/show`: « Réservation en ligne » (admin.md §2): the organisation's public link
/// and, per motif, the two checks that open it to the public.
public struct OnlineBookingPage: PageModel, Equatable {
    public static let template = "online_booking/show"

    public struct Row: Sendable, Equatable {
        public let name: String
        public let serviceName: String
        public let isOpenToUsers: Bool
        public let hasCurrentPeriod: Bool
        public let periodCheckLabel: String
        public let sectorisationNote: String?
        /// The motif's form, where « Réservation en ligne » is set.
        public let editPath: String
    }

    public let publicURL: String
    public let isActive: Bool
    /// What is missing when no motif passes both checks.
    public let missingStep: String?
    public let rows: [Row]
    public let isEmpty: Bool
    public let motifsPath: String
    public let scriptPath = SiteURL.asset(path: "js/copy-link.js").path

    static let sectorisationNotes = [
        "organisation": "Sectorisation : seuls les usagers des secteurs attribués à l'organisation le trouvent.",
        "agent": "Sectorisation : seuls les usagers des secteurs attribués à ses agents le trouvent.",
    ]

    static func load(organisation: AgentOrganisation, motifs: [OnlineBookingMotif], publicURL: String)
        -> OnlineBookingPage
    {
        let slug = Slug.parameterize(organisation.name)
        let isActive = motifs.contains(where: \.isBookableOnline)
        let missing: String? =
            isActive
            ? nil
            : motifs.isEmpty
                ? "Créez d'abord un motif."
                : !motifs.contains(where: \.isOpenToUsers)
                    ? "Aucun motif n'est « Ouvert aux agents et aux usagers » : ouvrez-en un dans son formulaire, section « Réservation en ligne »."
                    : "Aucun motif ouvert aux usagers n'est associé à une plage d'ouverture en cours : ajoutez-le à une plage d'ouverture."
        return OnlineBookingPage(
            publicURL: SiteLinks(publicURL: publicURL).absolute(SiteURL.publicLink(organisationID: organisation.id, slug: slug).path),
            isActive: isActive, missingStep: missing,
            rows: motifs.map {
                Row(
                    name: $0.name, serviceName: $0.serviceName, isOpenToUsers: $0.isOpenToUsers,
                    hasCurrentPeriod: $0.hasCurrentPeriod,
                    periodCheckLabel: $0.isCollectif
                        ? "A au moins un RDV collectif à venir" : "Associé à au moins une plage d'ouverture en cours",
                    sectorisationNote: sectorisationNotes[$0.sectorisationLevel],
                    editPath: SiteURL.organisation(id: organisation.id, .editMotif(id: $0.id)).path)
            }, isEmpty: motifs.isEmpty, motifsPath: SiteURL.organisation(id: organisation.id, .motifs).path)
    }
}
