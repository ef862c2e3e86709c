import EventStore
import Foundation
import Ledger
import TestSupport
import Testing

@Suite struct ImportTests {
    /// An import past its entry budget sheds cold streams' entries; a void on such a stream reads
    /// it back, merged with what is not written yet. With a budget of 200 entries every chunk
    /// sheds, and the fixture's voids, closures, reopenings and notices must all still pass.
    @Test func anImportThatShedsStreamStatesAcceptsTheSameEvents() throws {
        let ledger = try LedgerHarness("shedding")
        var appender = Appender(configuration: .changzhou)
        appender.entryBudget = 200
        appender.chunkSize = 500
        let handle = try FileHandle(forReadingFrom: TestDatabase.fixture("changzhou-2021-2024.jsonl"))
        defer { try? handle.close() }
        let outcome = try appender.append(JSONLinesReader(handle: handle), on: ledger.database.connect())
        #expect(outcome.appended == 12_511)
        #expect(try ledger.count() == 12_511)
    }

    @Test func theChangzhouFixtureImportsOnceAndThenAppendsNothing() throws {
        let ledger = try LedgerHarness("fixture")
        let appender = Appender(configuration: .changzhou)
        let url = TestDatabase.fixture("changzhou-2021-2024.jsonl")
        func importFixture() throws -> Appender.Outcome {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            return try appender.append(JSONLinesReader(handle: handle), on: ledger.database.connect())
        }
        let first = try importFixture()
        #expect(first.appended == 12_511)
        #expect(first.duplicates == 0)
        let second = try importFixture()
        #expect(second.appended == 0)
        #expect(second.duplicates == 12_511)
        #expect(try ledger.count() == 12_511)
    }

    @Test func everyBadLineIsReportedByLineNumberAndNothingIsAppended() throws {
        let ledger = try LedgerHarness("badlines")
        let lines = [
            Events.registered("I1"),
            Events.line("institution-I1", "InterviewHeld", #"{"reason":"x"}"#),
            Events.line("institution-I1", "InterviewHeld", #"{"reason":"x"}"#, on: "2031-01-01"),
            Events.operation("O1"),
            #"{"broken"#,
            Events.line("institution-I1", "PenaltyImposed", #"{"decision_no":"D","fine_fen":1.5,"confiscated_fen":0}"#),
            Events.line("institution-I1", "WarningIssued", #"{"reason":"x"}"#),
        ]
        let submissions = lines.enumerated().map { Submission(line: $0.offset + 1, text: $0.element) }
        let rejected = try #require(try ledger.rejection(submissions))
        #expect(rejected.count == 3)
        #expect(rejected.rejections.map(\.line) == [3, 5, 6])
        #expect(rejected.rejections[0].description.contains("occurred_on: 2031-01-01 is after today"))
        #expect(try ledger.count() == 0)
    }

    @Test func atMostAHundredRejectionsAreKeptButAllAreCounted() throws {
        let ledger = try LedgerHarness("manybad")
        let submissions = (1...150).map { (n: Int) in Submission(line: n, text: "not json \(n)") }
        let rejected = try #require(try ledger.rejection(submissions))
        #expect(rejected.count == 150)
        #expect(rejected.rejections.count == Appender.maximumRejections)
    }

    @Test func aRepeatedIdInOneFileIsARetryWhenTheSameAndRejectedWhenNot() throws {
        let ledger = try LedgerHarness("repeat")
        let id = Events.newID()
        let same = Events.line("institution-I1", "InterviewHeld", #"{"reason":"x"}"#, id: id)
        let outcome = try ledger.append([Events.registered("I1"), same, same])
        #expect(outcome.appended == 2)
        #expect(outcome.duplicates == 1)
        let different = Events.line("institution-I1", "InterviewHeld", #"{"reason":"y"}"#, id: id)
        let rejected = try #require(try ledger.rejection([Submission(line: 1, text: different)]))
        #expect(rejected.rejections[0].description.contains("already recorded as institution-I1 version 2 with different content"))
    }

    @Test func theReaderCountsLinesSkipsBlankOnesAndCutsOversizedOnes() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID()).jsonl")
        let huge = String(repeating: "x", count: Submission.maximumBytes + 10)
        try "a\r\n\n  \nb\n\(huge)\nc".write(to: path, atomically: true, encoding: .utf8)
        let reader = JSONLinesReader(handle: try FileHandle(forReadingFrom: path))
        let submissions = Array(reader)
        #expect(submissions.map(\.line) == [1, 4, 5, 6])
        #expect(submissions[0].bytes == Array("a".utf8))
        #expect(submissions[2].tooLong == Submission.maximumBytes + 10)
        #expect(submissions[3].bytes == Array("c".utf8))
    }
}

@Suite struct GeneratorTests {
    func history(seed: UInt64, events: Int) throws -> [String] {
        try generatedHistory(seed: seed, events: events)
    }

    @Test func theSameSeedGivesTheSameHistory() throws {
        #expect(try history(seed: 11, events: 2_000) == history(seed: 11, events: 2_000))
        #expect(try history(seed: 11, events: 2_000) != history(seed: 12, events: 2_000))
    }

    @Test func aGeneratedHistoryIsValidWithTheFixturesTraps() throws {
        let lines = try history(seed: 5, events: 6_000)
        #expect(lines.count == 6_000)
        let ledger = try LedgerHarness("generated")
        let outcome = try ledger.append(lines)
        #expect(outcome.appended == 6_000)
        let types = try ledger.database.connect().execute("SELECT DISTINCT type FROM ledger.events").compactMap { $0["type"] }
        for trap in ["EntryVoided", "InstitutionRelocated", "InstitutionClosed", "ConvertedToNonAcademic", "PenaltyImposed", "Whitelisted"] {
            #expect(types.contains(trap), "no \(trap) in the generated history")
        }
        // Late entries: some events were appended after a later-dated event of their stream.
        let late = try ledger.database.connect().execute("""
            SELECT count(*) AS n FROM (
                SELECT occurred_on < max(occurred_on) OVER (
                           PARTITION BY stream ORDER BY version ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS late
                  FROM ledger.events) e
             WHERE late
            """)
        #expect(Int(late[0]["n"] ?? "0")! > 0)
    }
}
