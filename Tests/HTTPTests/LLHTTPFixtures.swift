import Foundation

/// One strict-mode request case from llhttp's fixtures.
struct LLHTTPCase: Sendable, CustomStringConvertible {
    let file: String  // e.g. "content-length.md"
    let title: String  // the "## " / "### " heading text
    let bytes: [UInt8]  // the raw request bytes as llhttp's harness feeds them
    let completedMessages: Int  // number of "message complete" log lines before the first error line (or in total)
    let rejected: Bool  // true when the log has an "error code=" line
    let errorReason: String?  // the reason="..." of that error line
    /// Extras (defaulted so the memberwise init above stays usable):
    /// llhttp's numeric error code; 22/23 are "Pause on CONNECT/Upgrade" / "Pause on PRI/Upgrade", not real rejections.
    var errorCode: Int? = nil
    /// meta "noScan": llhttp checks this log only with the whole input in one execute call, not split into chunks.
    var noScan: Bool = false
    /// 1-based line of the heading, to tell apart cases with the same title.
    var line: Int = 0
    var description: String { "\(file): \(title)" }
}

enum LLHTTPFixtures {
    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    /// Directory of the fixtures, found relative to this source file: <package root>/Tests/Fixtures/llhttp/request
    /// (vendored with its LICENSE and SOURCE, so a clone of this repository alone passes).
    static var defaultDirectory: String {
        // #filePath is <root>/Tests/HTTPTests/LLHTTPFixtures.swift; three removals give <root>.
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent("Tests/Fixtures/llhttp/request").standardizedFileURL.path
    }

    /// Loads every case whose meta "type" is exactly "request" (strict mode), from every .md file in the directory,
    /// in file order then document order. Skips cases whose meta has "skipBody": true (or "skip": true, as llhttp does).
    static func load(directory: String = defaultDirectory) throws -> [LLHTTPCase] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw LoadError(description: "llhttp fixture directory not found: \(directory)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".md") }
            .sorted()
        var cases: [LLHTTPCase] = []
        for name in names {
            let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            cases += try parse(file: name, text: text)
        }
        return cases
    }

    /// A heading and the fenced blocks under it, like mdgator's test: info string, body, and preceding meta comment.
    private struct Section {
        let title: String, line: Int, level: Int
        var blocks: [(info: String, body: String, meta: [String: Any]?)] = []
    }

    /// Line-based subset of what markdown-it + mdgator do for these files: ATX headings, ``` / ~~~ fences,
    /// and `<!-- meta={json} -->` comments, which attach to the next fence under the same heading.
    private static func parse(file: String, text: String) throws -> [LLHTTPCase] {
        func fail(_ line: Int, _ msg: String) -> LoadError { LoadError(description: "\(file):\(line): \(msg)") }
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var sections: [Section] = []
        var meta: [String: Any]? = nil
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let indent = line.prefix { $0 == " " }.count
            if indent <= 3, trimmed.hasPrefix("#") {
                let level = trimmed.prefix { $0 == "#" }.count
                var rest = trimmed.dropFirst(level)
                if level <= 6, rest.isEmpty || rest.first == " " || rest.first == "\t" {
                    rest = rest.drop { $0 == " " || $0 == "\t" }
                    // An optional closing run of '#' is only stripped when preceded by a space ("#2" stays).
                    let closing = rest.reversed().prefix { $0 == "#" }.count
                    if closing > 0, closing == rest.count || rest.dropLast(closing).last == " " {
                        rest = rest.dropLast(closing)
                    }
                    sections.append(
                        Section(title: rest.trimmingCharacters(in: .whitespaces), line: i + 1, level: level))
                    meta = nil  // mdgator forgets pending meta at every heading
                    i += 1; continue
                }
            }
            if indent <= 3, trimmed.hasPrefix("<!--") {
                if let m = trimmed.range(of: "meta=") {
                    guard let end = trimmed.range(of: "-->", options: .backwards), end.lowerBound > m.upperBound,
                        let json = try? JSONSerialization.jsonObject(
                            with: Data(trimmed[m.upperBound..<end.lowerBound].utf8)),
                        let dict = json as? [String: Any]
                    else { throw fail(i + 1, "unparseable meta comment: \(trimmed)") }
                    meta = dict
                }
                i += 1; continue
            }
            if indent <= 3, let mark = trimmed.first, mark == "`" || mark == "~" {
                let width = trimmed.prefix { $0 == mark }.count
                if width >= 3 {
                    let info = trimmed.dropFirst(width).trimmingCharacters(in: .whitespaces)
                    var body = ""
                    var j = i + 1
                    var closed = false
                    while j < lines.count {
                        let t = lines[j].trimmingCharacters(in: .whitespaces)
                        if lines[j].prefix(while: { $0 == " " }).count <= 3,
                            t.prefix(while: { $0 == mark }).count >= width,
                            t.allSatisfy({ $0 == mark })
                        {
                            closed = true; break
                        }
                        // markdown-it strips up to the opening fence's indentation; each content line keeps its "\n".
                        body += String(lines[j].dropFirst(min(indent, lines[j].prefix { $0 == " " }.count))) + "\n"
                        j += 1
                    }
                    guard closed else { throw fail(i + 1, "unterminated ``` block") }
                    // Fences before any heading below the document title are not tests (mdgator needs depth > 1).
                    if let last = sections.indices.last, sections[last].level > 1 {
                        sections[last].blocks.append((info, body, meta))
                    }
                    meta = nil
                    i = j + 1; continue
                }
            }
            i += 1
        }
        return try sections.compactMap { try makeCase(file: file, section: $0) }
    }

    private static func makeCase(file: String, section s: Section) throws -> LLHTTPCase? {
        func fail(_ msg: String) -> LoadError { LoadError(description: "\(file):\(s.line) \"\(s.title)\": \(msg)") }
        // A group heading, or a URL test: not a request case.
        if s.blocks.isEmpty || s.blocks.contains(where: { $0.info == "url" }) { return nil }
        let https = s.blocks.filter { $0.info == "http" }
        let logs = s.blocks.filter { $0.info == "log" }
        guard https.count == 1, logs.count == 1 else {
            throw fail("expected one http and one log block, got \(https.count)/\(logs.count)")
        }
        guard let meta = https[0].meta else { throw fail("http block has no meta comment") }
        guard meta["type"] as? String == "request", meta["skipBody"] as? Bool != true, meta["skip"] as? Bool != true
        else { return nil }
        let bytes = try requestBytes(https[0].body, fail)
        var completed = 0
        var errorCode: Int? = nil
        var reason: String? = nil
        // Like the harness: the log block's final "\n" yields one empty trailing piece, which is dropped.
        for line in logs[0].body.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("/") { throw fail("regex log lines are not supported: \(line)") }
            guard errorCode == nil, let space = line.firstIndex(of: " ") else { continue }
            let event = line[line.index(after: space)...]
            if event == "message complete" { completed += 1 }
            if event.hasPrefix("error code=") {
                errorCode = Int(event.dropFirst("error code=".count).prefix { $0.isNumber }) ?? -1
                if let r = event.range(of: "reason=\""), event.hasSuffix("\"") {
                    reason = String(event[r.upperBound...].dropLast())
                }
            }
        }
        return LLHTTPCase(
            file: file, title: s.title, bytes: bytes, completedMessages: completed,
            rejected: errorCode != nil, errorReason: reason, errorCode: errorCode,
            noScan: meta["noScan"] as? Bool == true, line: s.line)
    }

    /// One left-to-right, non-overlapping pass like JS `str.replace(/re/g, fn)`: replaced text is not rescanned by
    /// the same pass, but later passes do see it. `rule` returns the match length and its replacement.
    private static func pass(_ s: [UInt32], _ rule: (Int) -> (Int, [UInt32])?) -> [UInt32] {
        var out: [UInt32] = []
        var i = 0
        while i < s.count {
            if let (n, with) = rule(i) { out += with; i += n } else { out.append(s[i]); i += 1 }
        }
        return out
    }

    /// Reproduces the input transformation of llhttp's test/md-test.ts, step by step in the same order.
    /// Works on code points (JS works on UTF-16 units; same result here), then UTF-8 encodes like Node's argv.
    private static func requestBytes(_ block: String, _ fail: (String) -> LoadError) throws -> [UInt8] {
        let bs: UInt32 = 92
        let cr: UInt32 = 13
        let lf: UInt32 = 10
        let x: UInt32 = 120
        var s = block.unicodeScalars.map(\.value)
        if s.last == lf { s.removeLast() }  // only the fence's final newline: /\n$/
        func at(_ i: Int) -> UInt32? { i < s.count ? s[i] : nil }
        // Backslash at end of line: continuation, the newline itself is dropped.
        s = pass(s) { i in
            guard s[i] == bs, let n = at(i + 1), n == cr || n == lf else { return nil }
            return (n == cr && at(i + 2) == lf ? 3 : 2, [])
        }
        // Every remaining line ending (\r\n, \r, \n) becomes CRLF.
        s = pass(s) { i in s[i] == cr ? (at(i + 1) == lf ? 2 : 1, [cr, lf]) : s[i] == lf ? (1, [cr, lf]) : nil }
        // Literal two-character escapes \r \n \t \f, one pass each in this order.
        for (letter, value) in [("r", 13), ("n", 10), ("t", 9), ("f", 12)] as [(Unicode.Scalar, UInt32)] {
            s = pass(s) { i in s[i] == bs && at(i + 1) == letter.value ? (2, [value]) : nil }
        }
        // \x followed by greedy hex digits -> String.fromCharCode (value taken modulo 2^16).
        func digit(_ c: UInt32?, radix: UInt32) -> UInt32? {
            guard let c else { return nil }  // ASCII only, like the harness's [0-9a-fA-F] / [0-7]
            let v: UInt32 =
                (48...57).contains(c) ? c - 48 : (97...102).contains(c) ? c - 87 : (65...70).contains(c) ? c - 55 : 99
            return v < radix ? v : nil
        }
        s = pass(s) { i in
            guard s[i] == bs, at(i + 1) == x else { return nil }
            var n = 2
            var v: UInt32 = 0
            while let d = digit(at(i + n), radix: 16) { v = (v &* 16 &+ d) & 0xFFFF; n += 1 }
            return n > 2 ? (n, [v]) : nil
        }
        // Backslash + 1...3 octal digits (greedy), e.g. \0, \01, \033, \325 -> that code point.
        s = pass(s) { i in
            guard s[i] == bs else { return nil }
            var n = 1
            var v: UInt32 = 0
            while n <= 3, let d = digit(at(i + n), radix: 8) { v = v * 8 + d; n += 1 }
            return n > 1 ? (n, [v]) : nil
        }
        // The harness evaluates ${js} inline; we cannot, and no fixture uses it.
        if s.indices.dropLast().contains(where: { s[$0] == 36 && s[$0 + 1] == 123 }) {
            throw fail("inline JavaScript ${...} in http block is not supported")
        }
        // Node passes the string as argv, i.e. UTF-8: "\xff" becomes C3 BF (llhttp logs len=8 for "\xffValue2").
        let scalars = s.map { Unicode.Scalar($0) ?? "\u{FFFD}" }
        return Array(String(String.UnicodeScalarView(scalars)).utf8)
    }
}
