import EventStore
import Ledger
import Postgres
import Projections
import Statistics
import TestSupport
import Testing

@Suite struct ReadReplicaTests {
    /// On a read replica the figures come from the read models as they are, without the catch-up
    /// (which would write): a read-only session stands in for the standby.
    @Test func withoutCatchingUpTheFiguresAreTheReadModelsAtTheirPosition() throws {
        let database = try TestDatabase.create("engine_replica")
        let app = try database.connect()
        let lines = try generatedHistory(seed: 5, events: 3_000)
        _ = try Appender(configuration: .changzhou).append(lines.prefix(2_000).map { Submission(text: $0) }, on: app)
        let service = StatisticsService(configuration: .changzhou)
        let request = StatisticsRequest(from: CalendarDate("2021-07-24")!, to: CalendarDate("2024-06-30")!)
        let atCheckpoint = try service.statistics(request, app)
        _ = try Appender(configuration: .changzhou).append(lines.dropFirst(2_000).map { Submission(text: $0) }, on: app)

        let standby = try database.connect()
        try standby.execute("SET default_transaction_read_only = on")
        #expect(throws: PostgresError.self) { try service.statistics(request, standby) }
        var replica = service
        replica.catchesUp = false
        let replicated = try replica.statistics(request, standby)
        #expect(replicated == atCheckpoint)
        #expect(replicated.position < (try EventStore().headPosition(standby)))
    }
}
