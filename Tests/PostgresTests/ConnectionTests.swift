import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct ConnectionTests {
    let database: TestDatabase

    init() throws {
        database = try TestDatabase.create("connection")
    }

    @Test func bindsRoundTripUnicodeQuotesAndNull() throws {
        let connection = try database.connectAdmin()
        let text = "常州'天宁\"区\\ \t\n"
        let missing: String? = nil
        let row = try connection.execute("SELECT \(text)::text AS a, \(missing)::text AS b, \(Int64.max) AS c")[0]
        #expect(row["a"] == text)
        #expect(row["b"] == nil)
        #expect(try row.decode("c", as: Int64.self) == Int64.max)
    }

    @Test func aNulInATextBindIsRefusedNotTruncated() throws {
        let connection = try database.connectAdmin()
        #expect(throws: PostgresError.self) {
            try connection.execute("SELECT \("a\u{0}b")::text")
        }
    }

    @Test func serverErrorsCarrySQLStateAndConstraint() throws {
        let connection = try database.connectAdmin()
        try connection.execute("CREATE TABLE t_unique (k text CONSTRAINT t_unique_k UNIQUE)")
        try connection.execute("INSERT INTO t_unique VALUES (\("a"))")
        do {
            try connection.execute("INSERT INTO t_unique VALUES (\("a"))")
            Issue.record("a duplicate was accepted")
        } catch let error as PostgresError {
            #expect(error.kind == .server)
            #expect(error.sqlState == SQLState.uniqueViolation)
            #expect(error.constraint == "t_unique_k")
            #expect(error.statement == "INSERT INTO t_unique VALUES ($1)")
        }
    }

    @Test func transactionsCommitOnReturnAndRollBackOnThrow() throws {
        struct Boom: Error {}
        let connection = try database.connectAdmin()
        try connection.execute("CREATE TABLE t_tx (n int)")
        _ = try connection.transaction { try connection.execute("INSERT INTO t_tx VALUES (1)") }
        #expect(throws: Boom.self) {
            try connection.transaction {
                try connection.execute("INSERT INTO t_tx VALUES (2)")
                throw Boom()
            }
        }
        let rows = try connection.execute("SELECT n FROM t_tx")
        #expect(rows.map { $0["n"] } == ["1"])
    }

    @Test func copyWritesEscapedRowsAndAThrowingCopyKeepsNothing() throws {
        struct Boom: Error {}
        let connection = try database.connectAdmin()
        try connection.execute("CREATE TABLE t_copy (a text, b text)")
        let tricky = "tab\there\nnew line \\ back"
        let copied = try connection.copyIn("COPY t_copy (a, b) FROM STDIN") { writer in
            try writer.row([tricky, nil])
            try writer.row(["二", "三"])
        }
        #expect(copied == 2)
        #expect(throws: Boom.self) {
            try connection.copyIn("COPY t_copy (a, b) FROM STDIN") { writer in
                try writer.row(["never", "kept"])
                throw Boom()
            }
        }
        let rows = try connection.execute("SELECT a, b FROM t_copy ORDER BY a")
        #expect(rows.count == 2)
        #expect(rows.contains { $0["a"] == tricky && $0["b"] == nil })
    }

    @Test func anUnreachableServerIsAConnectionError() {
        do {
            _ = try Connection("host=/nonexistent-socket-dir port=1 dbname=x connect_timeout=2")
            Issue.record("connected to nothing")
        } catch let error as PostgresError {
            #expect(error.isConnectionFailure)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func blockedActorConnectionsDoNotHoldTheCooperativePool() async throws {
        // A connection on a thread of its own holds an advisory lock; forty actor connections then
        // wait for it inside the server. Had their blocking calls run on Swift's cooperative pool
        // (a few threads on two cores), only a few could be waiting at once and the rest would not
        // even have been sent. All forty must be seen waiting. The holder releases the lock after
        // five minutes whatever it saw, so a broken executor fails this test instead of hanging
        // it: the forty tasks need a cooperative thread for a moment to start, and the suite's
        // synchronous tests can hold both of a two-core machine's for most of a full run (three
        // minutes; two minutes were not always enough).
        final class Observed: @unchecked Sendable { var waiting = 0 }
        let count = 40
        let key: Int64 = 4_242_424_242
        let url = database.adminURL
        let ready = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let observed = Observed()
        Thread {
            let holder = try! Connection(url)
            try! holder.execute("SELECT pg_advisory_lock(\(key))")
            ready.signal()
            let observer = try! Connection(url)
            var polls = 0
            while observed.waiting < count, polls < 3_000 {
                polls += 1
                usleep(100_000)
                observed.waiting = try! observer.execute("""
                    SELECT count(*) AS n FROM pg_stat_activity
                     WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'
                    """)[0].decode("n")
            }
            try! holder.execute("SELECT pg_advisory_unlock(\(key))")
            done.signal()
        }.start()
        ready.wait()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let db = try await DatabaseConnection.connect(url)
                    _ = try await db.withConnection {
                        try $0.execute("SELECT pg_advisory_lock(\(key)), pg_advisory_unlock(\(key))")
                    }
                }
            }
            try await group.waitForAll()
        }
        done.wait()
        #expect(observed.waiting == count)
    }
}
