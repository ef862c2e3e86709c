import Foundation
import Postgres
import TestSupport
import Testing

/// The wrapper's ways of saving round trips: pipelines, overlapped statements, prepared
/// statements, and COPY out.
@Suite struct RoundTripTests {
    let database: TestDatabase

    init() throws {
        database = try TestDatabase.create("roundtrip")
    }

    @Test func aPipelineReturnsEachStatementsRowsInOrder() throws {
        let connection = try database.connectAdmin()
        let results = try connection.pipeline(["SELECT \(1) AS n", "SELECT \("二") AS n", "SELECT generate_series(1, 3) AS n"])
        #expect(results.map(\.count) == [1, 1, 3])
        #expect(results[1][0]["n"] == "二")
    }

    @Test func aFailingStatementSkipsTheRestAndLeavesTheConnectionUsable() throws {
        let connection = try database.connectAdmin()
        try connection.execute("CREATE TABLE piped (n integer PRIMARY KEY)")
        #expect(throws: PostgresError.self) {
            try connection.transaction(pipelining: [
                "INSERT INTO piped VALUES (1)", "INSERT INTO piped VALUES (1)", "INSERT INTO piped VALUES (2)",
            ])
        }
        #expect(try connection.execute("SELECT count(*) AS n FROM piped")[0].decode("n", as: Int.self) == 0,
                "the whole transaction was rolled back")
        _ = try connection.transaction(pipelining: ["INSERT INTO piped VALUES (3)"])
        #expect(try connection.execute("SELECT count(*) AS n FROM piped")[0].decode("n", as: Int.self) == 1)
    }

    @Test func workOverlapsAStatementAndItsErrorComesAfterTheWork() throws {
        let connection = try database.connectAdmin()
        let (rows, value) = try connection.overlapping("SELECT pg_sleep(0.05), \(7) AS n") { 6 * 7 }
        #expect(rows[0]["n"] == "7")
        #expect(value == 42)
        var worked = false
        #expect(throws: PostgresError.self) {
            _ = try connection.overlapping("SELECT 1 / 0") { worked = true }
        }
        #expect(worked)
        #expect(try connection.execute("SELECT 1 AS n")[0]["n"] == "1")
    }

    @Test func aRepeatedStatementIsPreparedAndFollowsATableThatWasReplaced() throws {
        let connection = try database.connectAdmin()
        try connection.execute("CREATE TABLE replaced (n integer)")
        try connection.execute("INSERT INTO replaced VALUES (1)")
        for _ in 0..<3 {
            #expect(try connection.execute("SELECT count(*) AS n FROM replaced WHERE n > \(0)")[0]["n"] == "1")
        }
        let prepared = try connection.execute("SELECT count(*) AS n FROM pg_prepared_statements")[0].decode("n", as: Int.self)
        #expect(prepared >= 1)
        try connection.execute("DROP TABLE replaced")
        try connection.execute("CREATE TABLE replaced (n integer)")
        #expect(try connection.execute("SELECT count(*) AS n FROM replaced WHERE n > \(0)")[0]["n"] == "0")
    }

    @Test func copyOutReturnsWhatCopyInWrote() throws {
        let connection = try database.connectAdmin()
        try connection.execute("CREATE TABLE copied (name text, note text)")
        try connection.copyIn("COPY copied FROM STDIN") { writer in
            try writer.row(["天宁区", "tab\there"])
            try writer.row(["钟楼区", nil])
        }
        var bytes: [UInt8] = []
        let rows = try connection.copyOut("COPY (SELECT * FROM copied ORDER BY name) TO STDOUT") { bytes += $0 }
        #expect(rows == 2)
        #expect(String(decoding: bytes, as: UTF8.self) == "天宁区\ttab\\there\n钟楼区\t\\N\n")
    }

    @Test func uuidTextRoundTripsAndRejectsMalformedText() {
        let id = UUID()
        #expect(id.lowercasedText == id.uuidString.lowercased())
        #expect(UUID(text: id.lowercasedText) == id)
        #expect(UUID(text: id.uuidString) == id)
        #expect(UUID(text: "not-a-uuid") == nil)
        #expect(UUID(text: String(id.lowercasedText.dropLast()) + "g") == nil)
    }
}
