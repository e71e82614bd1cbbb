import Foundation

/// The content of an e-mail, written once and rendered as both the text and the HTML part, so
/// the two carry the same content (notifications.md §8 "Envelope").
struct MailBody: Sendable, Equatable {
    struct Row: Sendable, Equatable {
        var label: String
        var value: String
    }

    enum Block: Sendable, Equatable {
        /// A paragraph; `\n` inside is a line break.
        case paragraph(String)
        /// The recap table (notifications.md §8): « Label : value » lines in text.
        case recap([Row])
        /// A link shown as a button: « Label : url » in text.
        case button(label: String, url: String)
        /// A short secret the reader types elsewhere (the sign-in code, notifications.md §8
        /// "Account e-mails"): alone on its line in text, in large type in HTML.
        case code(String)
    }

    var blocks: [Block]
    /// The footer « L'équipe <product name> ».
    var productName: String

    /// Empty paragraphs (an optional sentence left blank) are dropped.
    private var shownBlocks: [Block] { blocks.filter { $0 != .paragraph("") } }

    private var footer: String { "L'équipe \(productName)" }

    /// Blocks separated by a blank line, the footer last, a final line break.
    var text: String {
        let parts = shownBlocks.map { block in
            switch block {
            case .paragraph(let text): text
            case .recap(let rows): rows.map { "\($0.label) : \($0.value)" }.joined(separator: "\n")
            case .button(let label, let url): "\(label) : \(url)"
            case .code(let code): code
            }
        }
        return (parts + [footer]).joined(separator: "\n\n") + "\n"
    }

    /// A small self-contained HTML document (inline styles: mail clients drop style sheets);
    /// every text is escaped.
    func html(title: String) -> String {
        let body = shownBlocks.map { block in
            switch block {
            case .paragraph(let text):
                return "<p>\(Self.escapedLines(text))</p>"
            case .recap(let rows):
                let cells = rows.map { row in
                    "<tr><th style=\"text-align:left;vertical-align:top;padding:4px 16px 4px 0\">"
                        + "\(Self.escape(row.label))</th><td style=\"padding:4px 0\">\(Self.escapedLines(row.value))</td></tr>"
                }
                return (["<table role=\"presentation\" style=\"border-collapse:collapse\">"] + cells + ["</table>"])
                    .joined(separator: "\n")
            case .button(let label, let url):
                return "<p><a href=\"\(Self.escape(url))\" style=\"display:inline-block;padding:10px 16px;"
                    + "background:#000091;color:#ffffff;text-decoration:none;border-radius:4px\">"
                    + "\(Self.escape(label))</a></p>"
            case .code(let code):
                return "<p style=\"font-size:32px;font-weight:bold;letter-spacing:6px;margin:16px 0\">"
                    + "\(Self.escape(code))</p>"
            }
        }
        let lines =
            [
                "<!DOCTYPE html>", "<html lang=\"fr\">",
                "<head><meta charset=\"utf-8\"><title>\(Self.escape(title))</title></head>",
                "<body style=\"font-family:Arial,sans-serif;color:#161616\">",
            ] + body + ["<p>\(Self.escape(footer))</p>", "</body>", "</html>"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// HTML text escaping of `& < > " '`, as the page templates do.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    private static func escapedLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }
            .joined(separator: "<br>")
    }
}
