import EventStore
import Foundation
import Ledger
import Postgres
import Testing

/// The stream states a service keeps between calls (issue 18): a kept state that someone else
/// made stale costs a retry from the ledger, never a wrong acceptance nor a wrong refusal.
@Suite struct StreamStateCacheTests {
    /// A service's appender (its states kept in `cache`) and another writer, on one ledger.
    struct Writers {
        let ledger: LedgerHarness
        let cache = StreamStateCache()

        var service: Appender {
            var appender = Appender(configuration: .changzhou, today: LedgerHarness.today)
            appender.streamCache = cache
            return appender
        }

        func byService(_ lines: [String]) throws -> Result<Appender.Outcome, Appender.Rejected> {
            do {
                return .success(try service.append(lines.map { Submission(text: $0) }, on: ledger.database.connect()))
            } catch let rejected as Appender.Rejected {
                return .failure(rejected)
            }
        }

        func byOther(_ lines: [String]) throws { try ledger.append(lines) }
    }

    @Test func aStaleStateIsCheckedAgainFromTheLedger() throws {
        let writers = Writers(ledger: try LedgerHarness("cachestale"))
        try writers.byOther([Events.registered("K1")])
        // The service keeps K1 at version 2; another writer then makes it 3.
        #expect((try? writers.byService([Events.line("institution-K1", "InterviewHeld", #"{"reason":"service"}"#)]).get())?.appended == 1)
        try writers.byOther([Events.line("institution-K1", "InterviewHeld", #"{"reason":"other"}"#)])
        // Expecting version 3 is right (the kept state says 2): accepted, as version 4.
        let right = try writers.byService([Events.line("institution-K1", "InterviewHeld", #"{"reason":"expects 3"}"#, extra: #","expected_version":3"#)])
        #expect((try? right.get())?.events.map(\.version) == [4])
        // Expecting version 3 again is now a conflict.
        guard case .failure(let stale) = try writers.byService([Events.line("institution-K1", "InterviewHeld", #"{"reason":"expects 3 again"}"#, extra: #","expected_version":3"#)]) else {
            Issue.record("a stale expected version was accepted")
            return
        }
        #expect(stale.isConflict)
        #expect(try writers.ledger.count(stream: "institution-K1") == 4)
    }

    @Test func aClosureByAnotherWriterIsSeen() throws {
        let writers = Writers(ledger: try LedgerHarness("cacheclosed"))
        try writers.byOther([Events.registered("K2")])
        _ = try writers.byService([Events.line("institution-K2", "InterviewHeld", #"{"reason":"kept"}"#)])
        try writers.byOther([Events.line("institution-K2", "InstitutionClosed", #"{"reason":"deregistered"}"#, on: "2024-02-01")])
        guard case .failure(let rejected) = try writers.byService([Events.line("institution-K2", "InstitutionClosed", #"{"reason":"deregistered"}"#, on: "2024-03-01")]) else {
            Issue.record("a second closure was accepted on a stale state")
            return
        }
        #expect(rejected.rejections.first?.problems.first?.reason == "the institution is already closed")
        #expect(try writers.ledger.count(stream: "institution-K2") == 3)
    }

    /// A retry of an event the ledger holds, with its expected version, is a retry (not a
    /// conflict) though the kept state already counts it.
    @Test func aRetryOnAKeptStateIsARetry() throws {
        let writers = Writers(ledger: try LedgerHarness("cacheretry"))
        try writers.byOther([Events.registered("K3")])
        let line = Events.line("institution-K3", "InterviewHeld", #"{"reason":"once"}"#, extra: #","expected_version":1"#)
        #expect((try? writers.byService([line]).get())?.appended == 1)
        let again = try writers.byService([line])
        #expect((try? again.get())?.duplicates == 1)
        // Also when the retry comes through another service that never saw it.
        let other = Writers(ledger: writers.ledger)
        _ = try other.byService([Events.line("institution-K3", "InterviewHeld", #"{"reason":"warms the other"}"#)])
        #expect((try? other.byService([line]).get())?.duplicates == 1)
        #expect(try writers.ledger.count(stream: "institution-K3") == 3)
    }
}
