import Domain
import Testing

@Suite("GSM-7 septets and SMS parts")
struct GSM7Tests {
    static func a(_ count: Int) -> String { String(repeating: "a", count: count) }

    @Test(arguments: [
        (a(160), 160, 1), (a(161), 161, 2), (a(153 * 2), 306, 2), (a(307), 307, 3), (a(153 * 3), 459, 3),
        (a(459 + 1), 460, 4), ("€", 2, 1), (a(158) + "€", 160, 1), (a(159) + "€", 161, 2),
        ("Prix : 5€ [x] {y} \\ ^ ~ |", 34, 1), ("é à ù", 5, 1), ("ligne\r\nsuite", 12, 1),
        // An escape + character pair is never split between two parts: part 1 ends one septet short.
        (a(152) + "€" + a(152), 306, 3), (a(152) + "€" + a(151), 305, 2),
    ])
    func septetsAndParts(text: String, septets: Int, parts: Int) {
        #expect(GSM7.septetCount(text) == septets)
        #expect(GSM7.smsCount(text) == parts)
    }
}
