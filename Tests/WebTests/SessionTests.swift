import Cryptography
import Domain
import Foundation
import GRDB
@_spi(RawDatabase) import Persistence
import Testing

@Suite("Sessions in SQLite")
struct SessionTests {
    /// A page's use of a session, as `SessionLoader` does it: read, then slide when due.
    func use(_ db: AppDatabase, _ token: String, _ now: Date) throws -> SessionRecord? {
        let session = try db.session(token: token, now: now)
        if let session, session.needsTouch { try db.touchSession(id: session.id, now: now) }
        return session
    }

    @Test func aSessionSlidesThenExpiresAfterItsIdleTime() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(testNow)
        let token = try db.createAgentSession(agentID: 1, ip: nil, userAgent: nil, now: clock.now)
        #expect(token.count == 64)
        // Used 13 days later: still valid, and the idle expiry slides forward
        clock.advance(by: 13 * 86_400)
        #expect(try use(db, token, clock.now)?.agentID == 1)
        clock.advance(by: 13 * 86_400)
        #expect(try use(db, token, clock.now) != nil)
        // Unused for 14 days: gone
        clock.advance(by: 14 * 86_400 + 1)
        #expect(try use(db, token, clock.now) == nil)
    }

    @Test func aSessionEndsAtItsAbsoluteLifetimeEvenWhenUsed() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(testNow)
        let token = try db.createAgentSession(agentID: 1, ip: nil, userAgent: nil, now: clock.now)
        for _ in 1...29 {
            clock.advance(by: 86_400)
            #expect(try use(db, token, clock.now) != nil)
        }
        clock.advance(by: 86_400)
        #expect(try use(db, token, clock.now) == nil)
    }

    @Test func onlyTheHashOfTheTokenIsStoredAndSignOutDestroysIt() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let token = try db.createAgentSession(agentID: 1, ip: "127.0.0.1", userAgent: "t", now: testNow)
        let stored = try db.writer.read { try Data.fetchOne($0, sql: "SELECT token_hash FROM sessions") }
        // The row holds SHA-256 of the cookie's 32 bytes, never the bytes themselves
        let bytes = try #require(Digest.bytes(hex: token))
        #expect(stored.map { Array($0) } == Digest.sha256(bytes))
        #expect(stored.map { Array($0) } != bytes)
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

    /// A page never takes the write lock for its session: with another connection holding it
    /// (an `rdv import`), the lookup still answers, and an unknown token writes nothing.
    @Test func theLookupReadsWhileAnotherWriterHoldsTheLock() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let token = try db.createAgentSession(agentID: 1, ip: nil, userAgent: nil, now: testNow)
        let other = try DatabaseQueue(path: db.path)
        let later = testNow.addingTimeInterval(3600)
        try other.inDatabase { lock in
            try lock.execute(sql: "BEGIN IMMEDIATE")
            defer { try? lock.execute(sql: "ROLLBACK") }
            let session = try #require(try db.session(token: token, now: later))
            #expect(session.needsTouch)
            #expect(try db.session(token: String(repeating: "ab", count: 32), now: later) == nil)
        }
    }

    @Test func theSlideIsWrittenAtMostOncePerMinute() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let token = try db.createAgentSession(agentID: 1, ip: nil, userAgent: nil, now: testNow)
        #expect(try #require(try db.session(token: token, now: testNow.addingTimeInterval(59))).needsTouch == false)
        let minuteLater = testNow.addingTimeInterval(61)
        #expect(try #require(try db.session(token: token, now: minuteLater)).needsTouch)
        try db.touchSession(id: 1, now: minuteLater)
        let slid = try #require(try db.session(token: token, now: minuteLater))
        #expect(slid.needsTouch == false)
        #expect(slid.expiresAt == minuteLater.addingTimeInterval(SessionPolicy.agent.idle))
    }
}
