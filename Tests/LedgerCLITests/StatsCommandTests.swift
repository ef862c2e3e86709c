import Foundation
import LedgerCLI
import TestSupport
import Testing

@Suite struct StatsCommandTests {
    let database: TestDatabase

    init() throws {
        database = try TestDatabase.create("clistats")
    }

    func ledger(_ arguments: String...) async -> Int32 {
        await LedgerCommand.run(arguments + ["--database-url", database.appURL])
    }

    @Test func statsWorkerAndRebuildFollowTheExitCodes() async throws {
        #expect(await ledger("import", TestDatabase.fixture("changzhou-2021-2024.jsonl").path) == 0)
        #expect(await ledger("worker", "--once") == 0)
        for format in ["json", "table", "csv"] {
            #expect(await ledger("stats", "--from", "2021-07-24", "--to", "2024-06-30", "--format", format) == 0)
        }
        #expect(await ledger("stats", "--from", "2021-07-24", "--to", "2024-06-30", "--district", "天宁区", "--at-position", "5000") == 0)
        #expect(await ledger("stats", "--from", "2021-07-24", "--to", "2024-06-30", "--baseline", "2022-01-01") == 0)
        #expect(await ledger("rebuild", "operations") == 0)
        #expect(await ledger("rebuild") == 0)

        #expect(await ledger("stats", "--from", "2021-02-30", "--to", "2024-06-30") == 2)
        #expect(await ledger("stats", "--from", "2024-07-01", "--to", "2024-06-30") == 2)
        #expect(await ledger("stats", "--to", "2024-06-30") == 2)
        #expect(await ledger("stats", "--from", "2021-07-24", "--to", "2024-06-30", "--district", "玄武区") == 65)
        #expect(await ledger("stats", "--from", "2021-07-24", "--to", "2024-06-30", "--at-position", "99999") == 65)
        #expect(await ledger("rebuild", "nothing") == 65)
        #expect(await ledger("worker", "--batch-size", "0") == 2)
    }

    @Test func replyRecordsListsAndDiffs() async throws {
        #expect(await ledger("import", TestDatabase.fixture("changzhou-2021-2024.jsonl").path) == 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("reply-\(UUID()).docx").path
        #expect(await ledger("reply", "--from", "2021-07-24", "--to", "2024-06-30", "--format", "docx", "-o", file) == 0)
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(await ledger("reply", "--from", "2021-07-24", "--to", "2024-06-30", "--district", "天宁区", "--format", "markdown", "-o", file + ".md") == 0)
        #expect(await ledger("replies") == 0)
        let keys = try database.connect().execute("SELECT stream FROM ledger.events WHERE type = 'ReplyIssued' ORDER BY position")
            .compactMap { $0["stream"].map { String($0.dropFirst("reply-".count)) } }
        #expect(keys.count == 2)
        #expect(await ledger("reply", "--diff", keys[0], keys[1]) == 0)
        #expect(await ledger("reply", "--diff", keys[0], "nope") == 65)
        #expect(await ledger("reply", "--diff", keys[0]) == 2)
        #expect(await ledger("reply", "--to", "2024-06-30") == 2)
        #expect(await ledger("reply", "--from", "2021-07-24", "--to", "2024-06-30", "--at-position", "999999") == 65)
    }
}
