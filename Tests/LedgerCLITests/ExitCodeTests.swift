import Foundation
import LedgerCLI
import Postgres
import TestSupport
import Testing

/// The command line's contract (SPEC §7), run in-process against a real database.
@Suite final class ExitCodeTests {
    let database: TestDatabase
    /// Where a test's input files go, removed when the test is done.
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-cli-\(UUID())")

    init() throws {
        database = try TestDatabase.create("cli")
        setenv("LEDGER_MIGRATIONS", TestDatabase.root.appendingPathComponent("db").path, 1)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func ledger(_ arguments: String...) async -> Int32 {
        await LedgerCommand.run(arguments + ["--database-url", database.appURL])
    }

    func file(_ lines: [String]) throws -> String {
        let url = directory.appendingPathComponent("\(UUID()).jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func line(_ stream: String, _ type: String, _ data: String, extra: String = "") -> String {
        #"{"id":"\#(UUID().uuidString.lowercased())","stream":"\#(stream)","type":"\#(type)","occurred_on":"2022-03-01","actor":"cli","data":\#(data)\#(extra)}"#
    }

    @Test func migrateIsIdempotent() async {
        #expect(await LedgerCommand.run(["migrate", "--database-url", database.adminURL]) == 0)
        #expect(await LedgerCommand.run(["migrate", "--database-url", database.adminURL]) == 0)
    }

    @Test func importAppendsOnceAndAgainAppendsNothing() async throws {
        let fixture = TestDatabase.fixture("changzhou-2021-2024.jsonl").path
        #expect(await ledger("import", fixture) == 0)
        #expect(await ledger("import", fixture) == 0)
        #expect(try database.eventCount() == 12_511)
        #expect(await ledger("verify") == 0)
        #expect(await ledger("verify", "institution-91320404A0M5KWMW63") == 0)
        #expect(await ledger("history", "institution-91320404A0M5KWMW63", "--format", "json") == 0)
        #expect(await ledger("digest") == 0)
    }

    @Test func invalidInputExits65AndAppendsNothing() async throws {
        let registration = #"{"name":"n","district":"天宁区","category":"academic","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#
        let path = try file([
            line("institution-A", "InstitutionRegistered", registration),
            line("institution-A", "PenaltyImposed", #"{"decision_no":"D","fine_fen":"100","confiscated_fen":0}"#),
        ])
        #expect(await ledger("import", path) == 65)
        #expect(try database.eventCount() == 0)
        #expect(await ledger("import", "/nonexistent/file.jsonl") == 65)
        #expect(await ledger("history", "institution-A") == 65)
        #expect(await ledger("history", "not a stream") == 65)
    }

    /// `ledger answer`: an answers file that does not read, or an answer the proposal refuses,
    /// exits 65 and records nothing; a good one records the reply and that it was sent, once.
    @Test func answerRecordsEachProposalsReplyOnce() async throws {
        #expect(await ledger("answer", try file([#"{"proposal":"P1","from":"2022-01-01"}"#])) == 65)
        let answer = #"{"proposal":"P1","from":"2022-01-01","to":"2022-04-30","sent_on":"2022-05-10","classification":"A","actor":"cli","sent_id":"\#(UUID().uuidString.lowercased())"}"#
        #expect(await ledger("answer", try file([answer])) == 65)  // no such proposal
        #expect(try database.eventCount() == 0)
        #expect(await ledger("import", try file([
            line("proposal-P1", "ProposalReceived", #"{"session":"市政协十五届一次会议","number":"0001","title":"t","proposers":["王"],"role":"lead"}"#),
        ])) == 0)
        #expect(await ledger("answer", try file([answer])) == 0)
        #expect(await ledger("answer", try file([answer])) == 0)
        #expect(try database.eventCount() == 3)  // received, the reply's record, sent
    }

    @Test func aConflictExits75() async throws {
        let registration = #"{"name":"n","district":"天宁区","category":"academic","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#
        #expect(await ledger("append", "--stream", "institution-B", "--type", "InstitutionRegistered",
                             "--occurred-on", "2020-01-01", "--actor", "cli", "--data", registration) == 0)
        #expect(await ledger("append", "--stream", "institution-B", "--type", "InterviewHeld",
                             "--data", #"{"reason":"x"}"#, "--expected-version", "0") == 75)
        #expect(await ledger("append", "--stream", "institution-B", "--type", "InterviewHeld",
                             "--data", #"{"reason":"x"}"#, "--expected-version", "1") == 0)
        #expect(await ledger("append", "--json", line("institution-B", "InterviewHeld", #"{"reason":"x"}"#, extra: #","expected_version":1"#)) == 75)
        #expect(await ledger("append", "--stream", "institution-B", "--type", "InterviewHeld", "--data", "{not json") == 65)
        #expect(try database.eventCount() == 2)
    }

    @Test func usageErrorsExit2() async {
        #expect(await LedgerCommand.run(["frobnicate"]) == 2)
        #expect(await LedgerCommand.run(["import"]) == 2)
        #expect(await LedgerCommand.run(["append", "--stream", "institution-B"]) == 2)
        #expect(await LedgerCommand.run(["--help"]) == 0)
    }

    @Test func anUnreachableDatabaseExits69() async {
        #expect(await LedgerCommand.run(["verify", "--database-url", "host=/nonexistent port=1 dbname=x connect_timeout=2"]) == 69)
    }

    @Test func verifyExits1AfterASuperuserEditsARow() async throws {
        let registration = #"{"name":"n","district":"天宁区","category":"academic","stages":["compulsory"],"mode":"offline","licensed":true,"for_profit":true}"#
        #expect(await ledger("import", try file([line("institution-T", "InstitutionRegistered", registration)])) == 0)
        let admin = try database.connectAdmin()
        try admin.execute("SET session_replication_role = replica")
        try admin.execute("UPDATE ledger.events SET actor = 'mallory'")
        #expect(await ledger("verify") == 1)
        #expect(await ledger("verify", "institution-T") == 1)
    }
}
