import Foundation

/// Case- and accent-insensitive comparison of what people type (« Péri » finds « périnatalité »,
/// « BÉNÉFICIAIRE » is « Bénéficiaire »): the one folding of the product.
public enum TextFolding {
    public static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
            .lowercased()
    }
}
