import EventStore
import Foundation
import Ledger
import Postgres
import Projections
import TestSupport

/// A ledger whose read models the tests read back.
typealias ProjectionsHarness = TestLedger

extension TestLedger {
    /// What the read models hold once caught up: per projection and table, a digest of its rows
    /// (whatever generation holds them), to compare before and after a rebuild.
    func contents() throws -> [String: String] {
        let connection = try database.connect()
        try ProjectionEngine().catchUp(connection)
        var contents: [String: String] = [:]
        for (name, generation) in try ProjectionEngine().currentGenerations(connection) {
            let tables = try connection.execute("""
                SELECT tablename FROM pg_tables WHERE schemaname = \(generation.schema) ORDER BY tablename
                """).compactMap { $0["tablename"] }
            for table in tables {
                contents["\(name).\(table)"] = try connection.execute("""
                    SELECT coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS digest
                      FROM \(identifier: generation.schema).\(identifier: table) t
                    """)[0].decode("digest")
            }
        }
        return contents
    }
}
