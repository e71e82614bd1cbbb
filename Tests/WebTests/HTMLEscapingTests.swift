import Foundation
import Testing

@testable import Web

/// `{{x}}` escapes & < > " ' per Unicode scalar: swift-mustache's own escaper walks Characters,
/// and `"` + U+0301 (one grapheme) used to pass raw and end the attribute.
@Suite("HTML escaping in templates")
struct HTMLEscapingTests {
    struct Value: PageModel {
        static let template = "value"
        let value: String
    }

    struct Outer: PageModel {
        static let template = "outer"
        let items: [Value]
    }

    static let marks: [(String, String)] = [("\u{0301}", "U+0301"), ("\u{0338}", "U+0338"), ("\u{20D2}", "U+20D2")]
    static let specials: [(String, String)] = [
        ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&quot;"), ("'", "&#39;"),
    ]

    /// Every special character, followed by every combining mark.
    static let cases: [(input: String, expected: String)] = specials.flatMap { special, entity in
        marks.map { mark, _ in ("a\(special)\(mark) b", "a\(entity)\(mark) b") }
    }

    @Test(arguments: cases)
    func aSpecialCharacterBeforeACombiningMarkIsEscaped(input: String, expected: String) throws {
        // Given a template writing the value in an attribute and in text
        let renderer = try TemplateRenderer(templates: ["value": #"<input value="{{value}}">{{value}}"#])
        // When
        let html = try renderer.render(Value(value: input))
        // Then
        #expect(html == #"<input value="\#(expected)">\#(expected)"#)
        #expect(Array(html.unicodeScalars.filter { $0 == "\"" }).count == 2)
    }

    @Test func thePlainCharactersAreEscapedAsBefore() throws {
        let renderer = try TemplateRenderer(templates: ["value": "{{value}}"])
        #expect(try renderer.render(Value(value: #"<a href="x">'&'</a> é"#)) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; é")
        #expect(try renderer.render(Value(value: "")) == "")
    }

    @Test func partialsAndLayoutsUseTheSameEscaping() throws {
        // Given a partial and a parent template with a block, as the pages use them
        let renderer = try TemplateRenderer(templates: [
            "outer": "{{<layout}}{{$body}}{{#items}}{{>item}}{{/items}}{{/body}}{{/layout}}",
            "layout": "<main>{{$body}}{{/body}}</main>\n",
            "item": "<b title=\"{{value}}\">{{value}}</b>\n",
        ])
        // When
        let html = try renderer.render(Outer(items: [Value(value: "\"\u{0301}"), Value(value: "<\u{0338}")]))
        // Then
        #expect(html == "<main><b title=\"&quot;\u{0301}\">&quot;\u{0301}</b>\n<b title=\"&lt;\u{0338}\">&lt;\u{0338}</b>\n</main>\n")
    }

    @Test(arguments: ["{{{value}}}", "{{&value}}", "{{% CONTENT_TYPE: TEXT }}{{value}}", "{{=<% %>=}}<%{value}%>"])
    func aTemplateCannotTurnEscapingOff(text: String) {
        #expect(throws: TemplateRenderer.UnescapedTag.self) {
            try TemplateRenderer(templates: ["value": text])
        }
    }

    @Test func theSignInPageKeepsAQuoteWithACombiningMarkInsideTheEmailValue() throws {
        // Given the real templates and a refused sign-in whose e-mail tries to leave the attribute
        let renderer = try TemplateRenderer(directory: packageRoot.appendingPathComponent("Templates"))
        let email = "x\"\u{0301} autofocus onfocus=alert(1) x=\"\u{0301}"
        // When
        let html = try renderer.render(
            AgentSignInPage(email: email, errorMessage: "Identifiants invalides"), layout: LayoutModel(csrfToken: "t"))
        // Then the value is one attribute, its quotes escaped
        #expect(html.contains("value=\"x&quot;\u{0301} autofocus onfocus=alert(1) x=&quot;\u{0301}\""))
        // (a variable: the #expect macro cannot quote a literal whose quote carries a combining mark)
        let rawQuoteWithMark = "\"" + "\u{0301}"
        #expect(!html.contains(rawQuoteWithMark))
    }
}
