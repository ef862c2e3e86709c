import EventStore
import Foundation
import Ledger

/// A ledger on a fresh database, with a fixed "today" (2025-06-30) so date rules are
/// deterministic. Each test target's harness extends it with what that target reads back.
public struct TestLedger: Sendable {
    public static let today = CalendarDate("2025-06-30")!
    public let database: TestDatabase
    public let appender: Appender

    public init(_ label: String, today: CalendarDate = TestLedger.today) throws {
        database = try TestDatabase.create(label)
        var appender = Appender(configuration: .changzhou, today: today)
        // Reporters in tests are sealed under a key of the test's own, whatever the environment.
        appender.vault = ReporterVault(keyFile: try temporaryMasterKeyFile())
        self.appender = appender
    }

    /// Appends lines as one import (line numbers from 1); throws ``Appender/Rejected``.
    @discardableResult
    public func append(_ lines: [String]) throws -> Appender.Outcome {
        let submissions = lines.enumerated().map { Submission(line: $0.offset + 1, text: $0.element) }
        return try appender.append(submissions, on: database.connect())
    }

    /// Imports the Changzhou fixture (12,511 events).
    @discardableResult
    public func importFixture() throws -> Appender.Outcome {
        let handle = try FileHandle(forReadingFrom: TestDatabase.fixture("changzhou-2021-2024.jsonl"))
        defer { try? handle.close() }
        return try appender.append(JSONLinesReader(handle: handle), on: database.connect())
    }
}
