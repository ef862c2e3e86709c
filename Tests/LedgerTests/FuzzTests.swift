import EventStore
import Foundation
import HistoryGenerator
import Ledger
import Postgres
import Testing
import TestSupport

/// Hostile input to the import parser and validator: random and mutated lines of the fixture.
/// Nothing crashes or hangs, every refusal is a rejection with a reason (never a database error),
/// and what is accepted is valid: the whole log, replayed into a fresh ledger through the same
/// checks, is accepted event for event.
@Suite struct FuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["LEDGER_FUZZ_ITERATIONS"] ?? "") ?? 3_000

    @Test func mutatedAndRandomLinesNeverCrashHangOrAppendAnInvalidEvent() throws {
        let harness = try LedgerHarness("fuzz_import")
        let fixture = try String(contentsOf: TestDatabase.fixture("changzhou-2021-2024.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        try harness.append(fixture)
        var mutator = Mutator(seed: 20_261_123, lines: fixture)
        var random = SplitMix64(seed: 7)
        let connection = try harness.database.connect()
        var accepted = 0, rejected = 0, slowest = 0.0
        for iteration in 0..<Self.iterations {
            let line: String
            if iteration % 10 == 0 {
                line = String(decoding: (0..<random.int(0...300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, as: UTF8.self)
            } else {
                line = mutator.next()
            }
            let started = Date()
            do {
                let outcome = try harness.appender.append([Submission(line: 1, text: line)], on: connection)
                accepted += outcome.appended
            } catch let refusal as Appender.Rejected {
                rejected += 1
                #expect(refusal.rejections.allSatisfy { !$0.problems.isEmpty && !$0.description.isEmpty })
            } catch {
                Issue.record("not a rejection but \(error) for: \(line.prefix(300))")
            }
            slowest = max(slowest, Date().timeIntervalSince(started))
        }
        #expect(slowest < 5, "the slowest line took \(slowest) s")
        #expect(rejected > Self.iterations / 2, "most hostile lines are rejected (\(rejected))")
        #expect(accepted > 0, "some mutations are valid events, so the replay below checks something")
        #expect(try EventStore().verify(connection).breaks.isEmpty)

        // The log as a whole is valid: replayed, in order, through the same checks.
        let replay = try LedgerHarness("fuzz_replay")
        let events = try EventStore().events(inStreams: try connection.execute("SELECT DISTINCT stream FROM ledger.events").map { try $0.decode("stream") }, connection)
            .sorted { $0.position < $1.position }
        let lines = events.map { event in
            JSON.object([
                "id": .string(event.id.lowercasedText), "stream": .string(event.stream), "type": .string(event.type),
                "occurred_on": .string(event.occurredOn.description), "actor": .string(event.actor), "data": event.data,
            ]).canonicalText
        }
        let outcome = try replay.append(lines)
        #expect(outcome.appended == fixture.count + accepted)
    }
}
