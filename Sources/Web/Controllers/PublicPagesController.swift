import Domain
import Foundation
import HTTP
import Persistence

/// The public information pages linked from every footer (DSFR: « Accessibilité », « Mentions
/// légales » and the privacy policy are mandatory), and the « Aide » centre.
struct PublicPagesController: Sendable {
    let db: AppDatabase
    let responses: PageResponses

    func accessibility(_ exchange: inout Exchange) throws -> HTTPResponse {
        try responses.page(AccessibilityPage(), layout: exchange.layout)
    }

    func privacy(_ exchange: inout Exchange) throws -> HTTPResponse {
        try responses.page(PrivacyPage(), layout: exchange.layout)
    }

    func legalNotice(_ exchange: inout Exchange) throws -> HTTPResponse {
        try responses.page(LegalNoticePage(), layout: exchange.layout)
    }

    func help(_ exchange: inout Exchange) throws -> HTTPResponse {
        // A signed-in agent's links lead to the screens of its first organisation.
        let organisationID = try exchange.agent.flatMap { try db.agentOrganisations(agentID: $0.id).first?.id }
        return try responses.page(
            HelpPage.load(query: exchange.query["q"] ?? "", organisationID: organisationID), layout: exchange.layout)
    }
}

/// `pages/accessibilite`: the accessibility statement (RGAA 4.1 model). No audit has been made,
/// so the site is declared non-compliant, as the RGAA requires; the page says what is measured
/// on every build instead.
public struct AccessibilityPage: PageModel {
    public static let template = "pages/accessibilite"
    public let searchPath = SiteURL.publicSearch.path
}

/// `pages/politique_de_confidentialite`: what is kept, how long (booking.md §11), who to contact.
public struct PrivacyPage: PageModel {
    public static let template = "pages/politique_de_confidentialite"
    public let searchPath = SiteURL.publicSearch.path
}

/// `pages/mentions_legales`.
public struct LegalNoticePage: PageModel {
    public static let template = "pages/mentions_legales"
    public let searchPath = SiteURL.publicSearch.path
}

/// `pages/aide`: the frequent questions, or those matching `q`. Matching ignores case and
/// accents and needs every word of the query in the question or the answer (like the user
/// search's FTS5 prefix query, on a dozen answers held in memory).
public struct HelpPage: PageModel, Equatable {
    public static let template = "pages/aide"

    public struct Article: Sendable, Equatable {
        public let slug: String
        public let question: String
        public let answer: [String]
        public let links: [HelpLink]
        public let hasLinks: Bool
    }

    public let query: String
    public let articles: [Article]
    public let hasArticles: Bool
    public let resultSentence: String?
    public let formPath = SiteURL.help.path

    /// `organisationID` fills the `{organisation}` of the links; without it those links are left out.
    static func load(query: String, organisationID: Int64? = nil, articles: [HelpArticle] = HelpArticles.all) -> HelpPage {
        let words = fold(query).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).filter { $0.count > 1 }
        let found = articles.filter { article in
            let text = fold(([article.question] + article.answer).joined(separator: " "))
            return words.allSatisfy { text.contains($0) }
        }
        let shown = found.map { article in
            let links = article.links.compactMap { link -> HelpLink? in
                guard link.path.contains("{organisation}") else { return link }
                return organisationID.map {
                    HelpLink(label: link.label, path: link.path.replacingOccurrences(of: "{organisation}", with: "\($0)"))
                }
            }
            return Article(
                slug: article.slug, question: article.question, answer: article.answer, links: links,
                hasLinks: !links.isEmpty)
        }
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        let sentence: String? =
            trimmed.isEmpty
            ? nil
            : found.isEmpty
                ? "Aucune réponse ne contient tous ces mots. Essayez d'autres mots, ou parcourez toutes les questions."
                : found.count == 1 ? "1 réponse contient ces mots." : "\(found.count) réponses contiennent ces mots."
        return HelpPage(query: trimmed, articles: shown, hasArticles: !shown.isEmpty, resultSentence: sentence)
    }

    static func fold(_ text: String) -> String {
        TextFolding.folded(text)
    }
}
