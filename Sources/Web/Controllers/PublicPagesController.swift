import HTTP

/// The public information pages linked from every footer (DSFR: « Accessibilité » is mandatory).
struct PublicPagesController: Sendable {
    let responses: PageResponses

    func accessibility(_ exchange: inout Exchange) throws -> HTTPResponse {
        try responses.page(AccessibilityPage(), layout: exchange.layout)
    }
}

/// `pages/accessibilite`: the accessibility statement (RGAA 4.1 model). No audit has been made,
/// so the site is declared non-compliant, as the RGAA requires; the page says what is measured
/// on every build instead.
public struct AccessibilityPage: PageModel {
    public static let template = "pages/accessibilite"
    public let searchPath = SiteURL.publicSearch.path
}
