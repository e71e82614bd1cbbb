import Testing

@testable import Web

@Suite("Pagination")
struct PaginationTests {
    @Test(arguments: [
        (nil, 1), ("", 1), ("abc", 1), ("-3", 1), ("0", 1), ("7", 7), ("10000", 10_000),
        ("10001", 10_000), ("9223372036854775807", 10_000), ("99999999999999999999", 1),
    ] as [(String?, Int)])
    func theRequestedPageIsClamped(text: String?, page: Int) {
        #expect(Pagination.requestedPage(text) == page)
    }

    @Test func aLongListShowsTheEndsAndTheNeighboursOfTheCurrentPage() {
        let pagination = Pagination(current: 50, total: 100) { "/rdvs?page=\($0)" }
        #expect(pagination.pages.map { $0.isGap ? "…" : "\($0.number)" } == ["1", "…", "48", "49", "50", "51", "52", "…", "100"])
        #expect(pagination.pages.filter(\.isCurrent).map(\.number) == [50])
        #expect(pagination.previousPath == "/rdvs?page=49")
        #expect(pagination.nextPath == "/rdvs?page=51")
    }

    @Test func aShortListShowsEveryPage() {
        let pagination = Pagination(current: 1, total: 4) { "/p\($0)" }
        #expect(pagination.pages.map(\.number) == [1, 2, 3, 4])
        #expect(pagination.pages.allSatisfy { !$0.isGap })
        #expect(pagination.previousPath == nil)
    }
}
