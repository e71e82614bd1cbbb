import Domain
import Foundation
import GRDB
import Persistence
import Testing

@Suite("Sessions in SQLite")
struct SessionTests {
    @Test func aSessionSlidesThenExpiresAfterItsIdleTime() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(testNow)
        let token = try db.createAgentSession(agentID: 1, ip: nil, userAgent: nil, now: clock.now)
        #expect(token.count == 64)
        // Used 13 days later: still valid, and the idle expiry slides forward
        clock.advance(by: 13 * 86_400)
        #expect(try db.session(token: token, now: clock.now)?.agentID == 1)
        clock.advance(by: 13 * 86_400)
        #expect(try db.session(token: token, now: clock.now) != nil)
        // Unused for 14 days: gone
        clock.advance(by: 14 * 86_400 + 1)
        #expect(try db.session(token: token, now: clock.now) == nil)
    }

    @Test func aSessionEndsAtItsAbsoluteLifetimeEvenWhenUsed() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(testNow)
        let token = try db.createAgentSession(agentID: 1, ip: nil, userAgent: nil, now: clock.now)
        for _ in 1...29 {
            clock.advance(by: 86_400)
            #expect(try db.session(token: token, now: clock.now) != nil)
        }
        clock.advance(by: 86_400)
        #expect(try db.session(token: token, now: clock.now) == nil)
    }

    @Test func onlyTheHashOfTheTokenIsStoredAndSignOutDestroysIt() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let token = try db.createAgentSession(agentID: 1, ip: "127.0.0.1", userAgent: "t", now: testNow)
        let stored = try db.writer.read { try Data.fetchOne($0, sql: "SELECT token_hash FROM sessions") }
        #expect(stored?.count == 32)
        #expect(stored.map { Array($0) } != Array(token.utf8).prefix(32).map { $0 })
        let session = try #require(try db.session(token: token, now: testNow))
        try db.destroySession(id: session.id)
        #expect(try db.session(token: token, now: testNow) == nil)
        #expect(try db.session(token: "not-hex", now: testNow) == nil)
    }

    @Test func eachSignInGetsAFreshToken() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try db.createAgentSession(agentID: 1, ip: nil, userAgent: nil, now: testNow)
        let second = try db.createAgentSession(agentID: 1, ip: nil, userAgent: nil, now: testNow)
        #expect(first != second)
    }
}
