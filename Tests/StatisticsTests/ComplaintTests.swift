import EventStore
import Foundation
import HistoryGenerator
import Ledger
import Postgres
import Statistics
import TestSupport
import Testing

/// Complaints and their reporters (SPEC §12): the reporter kept only sealed, read only with a
/// record, erased for good by destroying its key while the chain, the digests and the figures
/// stay; the three clocks in `ledger deadlines`; the `complaints` figures.
@Suite struct ComplaintTests {
    static let today = CalendarDate("2026-11-30")!
    static let name = "孙丽华", phone = "13800001111", idNumber = "11010519491231002X"
    static let reporter = #"{"name":"\#(name)","phone":"\#(phone)","id_number":"\#(idNumber)"}"#
    static let secrets = [name, phone, idNumber]

    /// A master key of its own for each test: erasures are listed beside it.
    static func vault() throws -> ReporterVault {
        ReporterVault(keyFile: try temporaryMasterKeyFile())
    }

    struct ComplaintLedger {
        let ledger: TestLedger
        var appender: Appender
        var connection: Connection { get throws { try ledger.database.connect() } }

        init(_ label: String, vault: ReporterVault) throws {
            ledger = try TestLedger(label, today: ComplaintTests.today)
            appender = ledger.appender
            appender.vault = vault
            try append(TestDatabase.shippedCalendars())
        }

        @discardableResult
        func append(_ lines: [String]) throws -> Appender.Outcome {
            try appender.append(lines.enumerated().map { Submission(line: $0.offset + 1, text: $0.element) }, on: try connection)
        }
    }

    static func line(_ stream: String, _ type: String, _ data: String, id: String = UUID().lowercasedText, on day: String, actor: String = "operator") -> String {
        #"{"id":"\#(id)","stream":"\#(stream)","type":"\#(type)","occurred_on":"\#(day)","actor":"\#(actor)","data":\#(data)}"#
    }

    static func received(_ key: String, channel: String = "hotline_12345", reporter: String? = Self.reporter, id: String = UUID().lowercasedText, on day: String) -> String {
        let person = reporter.map { #","reporter":\#($0)"# } ?? ""
        return line("complaint-\(key)", "ComplaintReceived",
                    #"{"channel":"\#(channel)","district":"天宁区","venue":{"name":"某辅导点","address":"天宁区和平路1号"},"summary":"反映周末开展学科类培训","anonymous":\#(reporter == nil)\#(person)}"#,
                    id: id, on: day)
    }

    /// Everything `pg_dump` writes of the whole database, as text.
    static func dump(_ database: TestDatabase) throws -> String {
        let bindir = try #require(try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql").sorted().last)
        let (status, data) = try runProcess("/usr/lib/postgresql/\(bindir)/bin/pg_dump", ["--dbname=\(database.adminURL)"])
        #expect(status == 0)
        return String(decoding: data, as: UTF8.self)
    }

    @Test func theReporterIsKeptOnlySealedAndEachReadingIsRecorded() throws {
        let vault = try Self.vault()
        let ledger = try ComplaintLedger("complaint_sealed", vault: vault)
        try ledger.append([Self.received("K1", on: "2026-11-02")])
        let connection = try ledger.connection
        // Nowhere in the database: not in the events, not in any table, not in the dump.
        let dump = try Self.dump(ledger.ledger.database)
        #expect(dump.contains("complaint-K1"))
        for secret in Self.secrets { #expect(!dump.contains(secret), "pg_dump holds a reporter's value") }
        let stored: String = try connection.execute("SELECT data::text AS d FROM ledger.events WHERE stream = 'complaint-K1'")[0].decode("d")
        #expect(stored.contains("ciphertext"))
        // The history says only that it is kept sealed.
        let history = try Ledger_History.of(StreamName("complaint-K1")!, connection)
        #expect(history.first?.reporter == "encrypted")
        // A reading returns it, and is recorded first with who and why; twice, two records.
        for reason in ["核实举报人身份", "回访"] {
            let reading = try ReporterAccess.read(complaint: "K1", actor: "officer.li", reason: reason, appender: ledger.appender, connection)
            #expect(reading == .reporter(Reporter(name: Self.name, phone: Self.phone, idNumber: Self.idNumber)))
        }
        let views = try connection.execute("""
            SELECT actor, data ->> 'reason' AS reason FROM ledger.events WHERE stream = 'complaint-K1' AND type = 'ReporterViewed' ORDER BY version
            """).map { "\($0["actor"] ?? "") \($0["reason"] ?? "")" }
        #expect(views == ["officer.li 核实举报人身份", "officer.li 回访"])
        // A retry of the receipt (same id, same fields, the reporter not compared) appends nothing.
        let id = try connection.execute("SELECT id::text AS id FROM ledger.events WHERE stream = 'complaint-K1' AND version = 1")[0]["id"] ?? ""
        let retry = try ledger.append([Self.received("K1", id: id, on: "2026-11-02")])
        #expect(retry.appended == 0 && retry.duplicates == 1)
        #expect(try connection.execute("SELECT count(*) AS n FROM vault.reporter_keys")[0]["n"] == "1")
    }

    @Test func forgettingDestroysTheKeyAndChangesNoFigureNorDigest() throws {
        let vault = try Self.vault()
        let ledger = try ComplaintLedger("complaint_forget", vault: vault)
        try ledger.append([
            Self.received("K1", on: "2026-11-02"),
            Self.line("complaint-K1", "ComplaintAccepted", "{}", on: "2026-11-03"),
            Self.line("complaint-K1", "ComplaintVerified", #"{"finding":"substantiated"}"#, on: "2026-11-10"),
            Self.line("complaint-K1", "ComplaintAnswered", #"{"summary":"已告知"}"#, on: "2026-11-12"),
        ])
        let connection = try ledger.connection
        let service = StatisticsService(configuration: .changzhou)
        let request = StatisticsRequest(from: CalendarDate("2026-01-01")!, to: Self.today)
        let before = try service.statistics(request, connection)
        let digest = try EventStore().digest(atPosition: nil, connection)
        let wrapped = try connection.execute("SELECT wrapped FROM vault.reporter_keys WHERE stream = 'complaint-K1'")
        #expect(wrapped.count == 1)

        _ = try ReporterAccess.forget(complaint: "K1", actor: "officer.li", reason: "本人申请删除", appender: ledger.appender, connection)
        // The key is gone, not flagged: no row, and the reporter reads as erased for everyone.
        #expect(try connection.execute("SELECT count(*) AS n FROM vault.reporter_keys")[0]["n"] == "0")
        #expect(try ReporterAccess.read(complaint: "K1", actor: "officer.li", reason: "x", appender: ledger.appender, connection) == .erased)
        #expect(try Ledger_History.of(StreamName("complaint-K1")!, connection).first?.reporter == "erased")
        // Every chain holds; the digest at the earlier position is the same; so are the figures.
        #expect(try EventStore().verify(connection).breaks.isEmpty)
        #expect(try EventStore().digest(atPosition: digest.position, connection) == digest)
        var after = try service.statistics(request, connection)
        after.position = before.position
        #expect(after == before)
        #expect(before.complaints.received == 1 && before.complaints.substantiated == 1 && before.complaints.answeredOnTime == 1)
        // A second erasure is refused.
        #expect(throws: ReporterAccess.Failure.self) {
            try ReporterAccess.forget(complaint: "K1", actor: "officer.li", reason: "again", appender: ledger.appender, connection)
        }

        // A backup from before the erasure brings the wrapped key back: the erasure list, kept
        // beside the master key, destroys it again before anyone reads it.
        let key: ByteString = try wrapped[0].decode("wrapped")
        let admin = try ledger.ledger.database.connectAdmin()
        try admin.execute("INSERT INTO vault.reporter_keys (stream, wrapped) VALUES ('complaint-K1', \(key))")
        #expect(try ReporterAccess.read(complaint: "K1", actor: "officer.li", reason: "x", appender: ledger.appender, connection) == .erased)
        #expect(try connection.execute("SELECT count(*) AS n FROM vault.reporter_keys")[0]["n"] == "0")
        try admin.execute("INSERT INTO vault.reporter_keys (stream, wrapped) VALUES ('complaint-K1', \(key))")
        #expect(try vault.reapplyErasures(connection) == ["complaint-K1"])
    }

    @Test func aMissingOrWrongMasterKeyIsOneClearRefusal() throws {
        let vault = try Self.vault()
        var ledger = try ComplaintLedger("complaint_keys", vault: vault)
        try ledger.append([Self.received("K1", on: "2026-11-02")])
        let connection = try ledger.connection
        let before = try ledger.ledger.database.eventCount()
        for (keyFile, reason) in [(nil, "no master key"), ("/nonexistent/master.key", "cannot be read")] as [(String?, String)] {
            ledger.appender.vault = ReporterVault(keyFile: keyFile)
            let rejected = try #require(throws: Appender.Rejected.self) { try ledger.append([Self.received("K2", on: "2026-11-03")]) }
            #expect(rejected.isUnavailable)
            #expect(rejected.description.contains(reason), "\(rejected.description)")
            // Everything else works without it.
            try ledger.append([Self.received("A\(before)\(reason.count)", reporter: nil, on: "2026-11-03")])
        }
        // A file of the wrong size, and a key that is not this ledger's: refused, never used.
        let short = FileManager.default.temporaryDirectory.appendingPathComponent("short-\(UUID().lowercasedText).key")
        try Data([1, 2, 3]).write(to: short)
        ledger.appender.vault = ReporterVault(keyFile: short.path)
        let rejected = try #require(throws: Appender.Rejected.self) { try ledger.append([Self.received("K3", on: "2026-11-03")]) }
        #expect(rejected.description.contains("holds 3 bytes"))
        ledger.appender.vault = try Self.vault()
        let wrong = try #require(throws: Appender.Rejected.self) { try ledger.append([Self.received("K4", on: "2026-11-03")]) }
        #expect(wrong.description.contains("is not the one this ledger's reporter keys are wrapped with"))
        #expect(throws: ReporterVault.Unavailable.self) {
            try ReporterAccess.read(complaint: "K1", actor: "officer.li", reason: "x", appender: ledger.appender, connection)
        }
        for secret in Self.secrets { #expect(!rejected.description.contains(secret) && !wrong.description.contains(secret)) }
        #expect(try connection.execute("SELECT count(*) AS n FROM ledger.events WHERE stream IN ('complaint-K2', 'complaint-K3', 'complaint-K4')")[0]["n"] == "0")
    }

    @Test func theThreeClocksFallDueOnWorkingDaysAndAreCounted() throws {
        let ledger = try ComplaintLedger("complaint_clocks", vault: try Self.vault())
        // Received on 2026-09-25, a holiday (中秋 09-25…27): 7 working days later is 10-12 (National
        // Day 10-01…07 off, Saturday 10-10 worked).
        try ledger.append([
            Self.received("K1", on: "2026-09-25"),
            Self.received("K2", channel: "letter", reporter: nil, on: "2026-11-02"),
            Self.line("complaint-K2", "ComplaintDeclined", #"{"reason":"不属于职责范围"}"#, on: "2026-11-03"),
        ])
        let service = StatisticsService(configuration: .changzhou)
        func open(on day: String) throws -> [Obligation] {
            try service.deadlines(DeadlinesRequest(on: CalendarDate(day)!), try ledger.connection).filter { $0.stream.hasPrefix("complaint-") }
        }
        let acceptance = try #require(try open(on: "2026-10-09").first { $0.stream == "complaint-K1" })
        #expect(acceptance.kind == .complaintAcceptance)
        #expect(acceptance.due == .on(CalendarDate("2026-10-12")!))
        try ledger.append([
            Self.line("complaint-K1", "ComplaintAccepted", "{}", on: "2026-10-14"),
            Self.line("complaint-K1", "ComplaintExtended", #"{"reason":"联合核查"}"#, on: "2026-10-20"),
        ])
        // Extended: 30 working days after the acceptance of 10-14 is 11-25.
        let verification = try #require(try open(on: "2026-10-20").first { $0.stream == "complaint-K1" })
        #expect(verification.kind == .complaintVerification)
        #expect(verification.due == .on(CalendarDate("2026-11-25")!))
        // The declined K2 owes its reporter an answer within 5 working days: 11-10.
        let answer = try #require(try open(on: "2026-11-04").first { $0.stream == "complaint-K2" })
        #expect(answer.kind == .complaintAnswer && answer.due == .on(CalendarDate("2026-11-10")!))
        try ledger.append([
            Self.line("complaint-K1", "ComplaintVerified", #"{"finding":"partly_substantiated"}"#, on: "2026-11-20"),
            Self.line("complaint-K2", "ComplaintAnswered", #"{"summary":"已告知"}"#, on: "2026-11-11"),
        ])
        // received/accepted/declined/substantiated/answered_on_time/open_overdue/by channel (hotline, platform, letter, visit, email, other):
        // K2's answer came a day late (11-11); on 11-30 K1's answer, due 11-27, is open and overdue.
        try expectFigure("complaints", in: ledger.ledger, [
            ("2026-01-01", "2026-11-30", nil, "2/1/1/0/0/1/1/0/1/0/0/0"),
            ("2026-10-01", "2026-10-31", "天宁区", "0/1/0/0/0/0/0/0/0/0/0/0"),
            ("2026-01-01", "2026-11-30", "钟楼区", "0/0/0/0/0/0/0/0/0/0/0/0"),
        ])
    }

    /// A generated history with complaints, imported in bulk (past the checked-first limit, so
    /// under the lock, chunk by chunk): every reporter sealed under a key of its own, the erased
    /// ones without one, and none of the generator's made-up names in the dump.
    @Test func aGeneratedHistorysReportersAreSealedAsItImports() throws {
        let ledger = try ComplaintLedger("complaint_generated", vault: try Self.vault())
        var options = HistoryGenerator.Options(seed: 4, institutions: 1_200, maximumEvents: 14_000)
        options.complaints = true
        var generator = HistoryGenerator(options: options)
        var lines: [String] = []
        try generator.generate { lines.append($0) }
        #expect(lines.count > Appender.checkedFirstLimit)
        let outcome = try ledger.append(lines)
        #expect(outcome.appended == lines.count)
        let connection = try ledger.connection
        let counts = try connection.execute("""
            SELECT count(*) FILTER (WHERE type = 'ComplaintReceived' AND data ? 'reporter') AS reporters,
                   count(*) FILTER (WHERE type = 'ComplaintReceived' AND NOT data ? 'reporter') AS anonymous,
                   count(*) FILTER (WHERE type = 'PersonalDataErased') AS erased,
                   (SELECT count(*) FROM vault.reporter_keys) AS keys
              FROM ledger.events
            """)[0]
        let reporters: Int = try counts.decode("reporters"), erased: Int = try counts.decode("erased"), keys: Int = try counts.decode("keys")
        let anonymous: Int = try counts.decode("anonymous")
        // Seed 4 gives 3 reporters (one erased during the import) and 2 anonymous complaints.
        #expect(reporters >= 3 && anonymous >= 1 && erased >= 1, "too few complaints to show anything")
        #expect(keys == reporters - erased)
        let dump = try Self.dump(ledger.ledger.database)
        #expect(!HistoryGenerator.reporterNames.contains(where: dump.contains), "pg_dump holds a generated reporter's name")
        for row in try connection.execute("SELECT substr(stream, length('complaint-') + 1) AS key FROM ledger.events WHERE type = 'PersonalDataErased'") {
            let key = try #require(row["key"])
            #expect(try ReporterAccess.read(complaint: key, actor: "officer", reason: "x", appender: ledger.appender, connection) == .erased)
        }
    }
}

/// The ledger's `History` (this target has a `History` of its own).
typealias Ledger_History = Ledger.History
