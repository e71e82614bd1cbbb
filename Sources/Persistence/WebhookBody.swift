import Foundation

/// The body of a webhook request (notifications.md §13):
/// `{"data":<record>,"meta":{"model":"Rdv","event":"created","webhook_reason":null,"timestamp":"…+02:00"}}`.
/// Built as text, keys in this fixed order, because the exact bytes are signed and stored.
public enum WebhookBody {
    public enum Event: String, Sendable, CaseIterable {
        case created, updated, destroyed
    }

    public enum Reason: String, Sendable {
        /// The record is deleted by the data-retention job.
        case rgpd
    }

    /// `dataJSON` is the record's API serialisation (api.md §7), already encoded; `model` its
    /// class name (`Rdv`, `PlageOuverture`…); the timestamp is written in the territory's zone.
    public static func make(
        dataJSON: String, model: String, event: Event, reason: Reason? = nil, timestamp: Date, timeZone: TimeZone
    ) -> String {
        let meta = [
            "\"model\":\(quoted(model))", "\"event\":\(quoted(event.rawValue))",
            "\"webhook_reason\":\(reason.map { quoted($0.rawValue) } ?? "null")",
            "\"timestamp\":\(quoted(ISO8601.format(timestamp, in: timeZone)))",
        ]
        return "{\"data\":\(dataJSON),\"meta\":{\(meta.joined(separator: ","))}}"
    }

    /// A JSON string literal (RFC 8259 §7).
    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    /// The receipt event of a body: `rdv_created`, `plage_ouverture_updated`…, or `webhook`.
    public static func receiptEvent(of body: String) -> String {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let meta = json["meta"] as? [String: Any], let model = meta["model"] as? String,
            let event = meta["event"] as? String
        else { return "webhook" }
        var snake = ""
        for character in model {
            if character.isUppercase, !snake.isEmpty { snake.append("_") }
            snake += character.lowercased()
        }
        let name = "\(snake)_\(event)"
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
        return allowed ? name : "webhook"
    }
}
