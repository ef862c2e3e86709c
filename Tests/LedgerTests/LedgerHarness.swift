import EventStore
import Foundation
import Ledger
import Postgres
import TestSupport

/// A ledger on a fresh database, with a fixed "today" so date rules are deterministic.
typealias LedgerHarness = TestLedger

extension TestLedger {
    /// The rejection of `submissions`, or nil when they were accepted.
    func rejection(_ submissions: [Submission], on connection: Connection? = nil) throws -> Appender.Rejected? {
        do {
            _ = try appender.append(submissions, on: try connection ?? database.connect())
            return nil
        } catch let rejected as Appender.Rejected {
            return rejected
        }
    }

    /// The rejection of `lines` as one import (line numbers from 1), or nil when they were accepted.
    func rejection(_ lines: [String], on connection: Connection? = nil) throws -> Appender.Rejected? {
        try rejection(lines.enumerated().map { Submission(line: $0.offset + 1, text: $0.element) }, on: connection)
    }

    /// An append to `stream` at `version` in a transaction that holds the append lock and has
    /// not committed: every later append waits for it. Commit it with `COMMIT` on the connection.
    func heldAppend(_ stream: String, version: Int) throws -> (connection: Connection, position: Int64) {
        let connection = try database.connect()
        let store = EventStore()
        try connection.execute("BEGIN")
        try store.lockAppends(connection)
        let held = try store.append([NewEvent(
            id: UUID(), stream: stream, version: version, type: "InterviewHeld",
            occurredOn: CalendarDate("2022-01-01")!, actor: "slow", data: .object(["reason": .string("slow")]))], connection)
        return (connection, held[0].position)
    }

    func count(stream: String? = nil) throws -> Int {
        let connection = try database.connect()
        if let stream {
            return try connection.execute("SELECT count(*) AS n FROM ledger.events WHERE stream = \(stream)")[0].decode("n")
        }
        return try database.eventCount()
    }
}

/// Builds event lines for tests.
enum Events {
    static func line(
        _ stream: String, _ type: String, _ data: String, id: String = newID(),
        on date: String = "2022-03-01", actor: String = "tester", extra: String = ""
    ) -> String {
        #"{"id":"\#(id)","stream":"\#(stream)","type":"\#(type)","occurred_on":"\#(date)","actor":"\#(actor)","data":\#(data)\#(extra)}"#
    }

    static func newID() -> String { UUID().uuidString.lowercased() }

    /// An academic, offline, compulsory, for-profit institution in 天宁区: a member.
    static func registered(_ key: String, id: String = newID(), district: String = "天宁区", on date: String = "2020-01-01") -> String {
        line("institution-\(key)", "InstitutionRegistered",
             #"{"name":"常州天宁测试培训中心","district":"\#(district)","category":"academic","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#,
             id: id, on: date)
    }

    static func operation(_ key: String, district: String = "天宁区", on date: String = "2022-03-01") -> String {
        line("operation-\(key)", "OperationConducted", #"{"district":"\#(district)","kind":"daily_patrol","inspectors":4}"#, on: date)
    }
}
