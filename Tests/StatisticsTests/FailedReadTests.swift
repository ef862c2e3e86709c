import EventStore
import Ledger
import Postgres
import Statistics
import TestSupport
import Testing

@Suite struct FailedReadTests {
    /// A read that fails inside the catch-up (here a read model its role may not read) ends every
    /// transaction it began: the pooled connection answers the next ask with the same reason,
    /// not "current transaction is aborted".
    @Test func aFailedReadLeavesNoTransactionOpen() throws {
        let ledger = try TestLedger("failedread")
        _ = try ledger.append([History.member("A")])
        let connection = try ledger.database.connect()
        _ = try ledger.stats()
        let admin = try ledger.database.connectAdmin()
        let schemas = try admin.execute("SELECT schema_name FROM projections.generations WHERE projection = 'operations'").map { $0["schema_name"] ?? "" }
        for schema in schemas { try admin.execute("REVOKE USAGE ON SCHEMA \(identifier: schema) FROM ledger_app, ledger_reader") }
        _ = try ledger.append([History.operation("O1", on: "2022-01-05")])
        for _ in 0..<2 {
            let request = StatisticsRequest(from: CalendarDate("2021-07-24")!, to: CalendarDate("2024-06-30")!)
            #expect { try ledger.service.statistics(request, connection) } throws: { error in
                "\(error)".contains("permission denied")
            }
            #expect(!connection.isInTransaction)
        }
    }
}
