import Postgres
import Testing
import TestSupport

@Suite struct ConnectionPoolTests {
    /// More borrowers than connections: each waits its turn, none is lost, and no more than
    /// `size` connections are ever open at once.
    @Test func borrowersBeyondTheSizeWaitTheirTurn() async throws {
        let database = try TestDatabase.create("pool_wait")
        let pool = ConnectionPool(database.appURL, size: 2)
        let backends = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    try await pool.read { connection in
                        _ = try connection.execute("SELECT pg_sleep(0.02)")
                        return try connection.execute("SELECT pg_backend_pid() AS pid")[0].decode("pid")
                    }
                }
            }
            var pids: [Int] = []
            for try await pid in group { pids.append(pid) }
            return pids
        }
        #expect(backends.count == 12)
        #expect(Set(backends).count <= 2)
    }

    /// A connection the server dropped is not given back: the next borrower gets a new one.
    @Test func aBrokenConnectionIsReplaced() async throws {
        let database = try TestDatabase.create("pool_broken")
        let pool = ConnectionPool(database.appURL, size: 1)
        let first: Int = try await pool.read { try $0.execute("SELECT pg_backend_pid() AS pid")[0].decode("pid") }
        _ = try database.connectAdmin().execute("SELECT pg_terminate_backend(\(first))")
        await #expect(throws: PostgresError.self) {
            _ = try await pool.read { try $0.execute("SELECT 1 AS one") }
        }
        let second: Int = try await pool.read { try $0.execute("SELECT pg_backend_pid() AS pid")[0].decode("pid") }
        #expect(second != first)
    }
}
