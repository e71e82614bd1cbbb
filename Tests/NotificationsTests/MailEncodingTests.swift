import Foundation
import HTTPTestSupport
import Testing

@testable import Notifications

/// RFC 2045 quoted-printable and RFC 2047 encoded-words, checked line by line and decoded by
/// Python's `quopri` and `email.header` (independent decoders).
@Suite("MIME encodings")
struct MailEncodingTests {
    static let samples = [
        "Bonjour,\nvotre RDV du vendredi 10 décembre 2021 à 13h10 a été confirmé.",
        String(repeating: "é", count: 100),
        String(repeating: "a", count: 75) + "=" + String(repeating: "b", count: 80),
        "fin de ligne avec espace \net tabulation\t\n",
        "=3D n'est pas décodé deux fois ; « guillemets » — tiret cadratin… œuvre",
        String(repeating: "x", count: 74) + "é" + String(repeating: "y", count: 10),
    ]

    /// Decodes with Python; returns the decoded texts in order.
    func python(_ script: String, _ inputs: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SMTPTestServer.python)
        process.arguments = SMTPTestServer.pythonArguments(["-c", script])
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: inputs))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: data) as? [String]) ?? []
    }

    @Test func quotedPrintableLinesAreShortAndDecodeToTheText() throws {
        let encoded = Self.samples.map { MailMessage.quotedPrintable($0) }
        for lines in encoded {
            // An element is one line of the text, soft line breaks ("=" CRLF) included.
            for line in lines.flatMap({ $0.components(separatedBy: "\r\n") }) {
                #expect(line.utf8.count <= 76, "\(line)")
                #expect(line.allSatisfy { $0.isASCII })
                #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"))
            }
        }
        let decoded = try python(
            """
            import json, quopri, sys
            print(json.dumps([quopri.decodestring(t.encode()).decode() for t in json.load(sys.stdin)]))
            """, encoded.map { $0.joined(separator: "\r\n") })
        #expect(decoded == Self.samples.map { $0.replacingOccurrences(of: "\n", with: "\r\n") })
    }

    @Test func encodedWordsStayWithin75CharactersAndDecodeToTheHeader() throws {
        let headers = [
            "RDV Service Public - Plage d'ouverture créée - Permanence du mercredi après-midi à la MDS",
            "RDV confirmé le lundi 3 mai 2021 à 09h00", String(repeating: "é", count: 40), "ASCII only",
            "Plage d'ouverture créée - ‹Béthune>", "👩‍👩‍👧‍👦 famille",
        ]
        let encoded = headers.map(MailMessage.encodeHeader)
        for header in encoded {
            for (index, line) in header.components(separatedBy: "\r\n").enumerated() {
                // The first line follows "Subject: "; every line stays within 76 characters.
                #expect((index == 0 ? "Subject: " + line : line).count <= 76, "\(line)")
                let ascii = line.unicodeScalars.allSatisfy(\.isASCII)
                #expect(ascii)
            }
        }
        let decoded = try python(
            """
            import json, sys
            from email.header import decode_header, make_header
            print(json.dumps([str(make_header(decode_header(t))) for t in json.load(sys.stdin)]))
            """, encoded)
        #expect(decoded == headers)
    }
}
