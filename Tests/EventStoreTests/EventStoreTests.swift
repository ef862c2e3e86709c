import EventStore
import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct EventStoreTests {
    let database: TestDatabase
    let store = EventStore()

    init() throws {
        database = try TestDatabase.create("store")
    }

    func event(_ stream: String, _ version: Int, data: JSON = .object(["n": .integer(1)])) -> NewEvent {
        NewEvent(id: UUID(), stream: stream, version: version, type: "T", occurredOn: CalendarDate("2022-01-01")!, actor: "tester", data: data)
    }

    /// Appends three events to each of two streams as the application would, returns the connection.
    func seeded() throws -> Connection {
        let connection = try database.connect()
        try connection.transaction {
            try store.lockAppends(connection)
            _ = try store.append((1...3).flatMap { [event("institution-A", $0), event("institution-B", $0)] }, connection)
        }
        return connection
    }

    @Test func appendChainsEachStreamAndVerifyAgrees() throws {
        let connection = try seeded()
        let report = try store.verify(connection)
        #expect(report.breaks.isEmpty)
        #expect(report.eventsChecked == 6)
        #expect(report.streamsChecked == 2)
        let events = try store.events(inStreams: ["institution-A"], connection)
        #expect(events.map(\.version) == [1, 2, 3])
        #expect(Set(events.map(\.hash)).count == 3)
    }

    @Test func aVersionThatDoesNotFollowItsStreamIsRefused() throws {
        let connection = try seeded()
        #expect(throws: PostgresError.self) {
            try connection.transaction { _ = try store.append([event("institution-A", 5)], connection) }
        }
        #expect(throws: PostgresError.self) {
            try connection.transaction { _ = try store.append([event("institution-A", 3)], connection) }
        }
    }

    @Test func theTableRefusesChangesEvenFromASuperuser() throws {
        _ = try seeded()
        let admin = try database.connectAdmin()
        for statement: SQL in ["UPDATE ledger.events SET actor = 'x'", "DELETE FROM ledger.events", "TRUNCATE ledger.events"] {
            do {
                try admin.execute(statement)
                Issue.record("\(statement) was allowed")
            } catch let error as PostgresError {
                #expect(error.sqlState == "LE001")
            }
        }
        #expect(try database.eventCount() == 6)
    }

    @Test func theApplicationRoleCanOnlyAppendThroughTheAppendPath() throws {
        let app = try seeded()
        let statements: [SQL] = [
            "INSERT INTO ledger.events (stream, version, id, type, occurred_on, actor, data, hash) VALUES ('institution-Z', 1, gen_random_uuid(), 'T', '2022-01-01', 'a', '{}', '')",
            "UPDATE ledger.events SET actor = 'x'",
            "DELETE FROM ledger.events",
            "TRUNCATE ledger.events",
        ]
        for statement in statements {
            do {
                try app.execute(statement)
                Issue.record("the application role could run \(statement)")
            } catch let error as PostgresError {
                #expect(error.sqlState == SQLState.insufficientPrivilege)
            }
        }
        #expect(try database.eventCount() == 6)
    }

    @Test func verifyNamesTheFirstEditedRowAfterASuperuserBypassesTheTriggers() throws {
        let app = try seeded()
        let target = try store.events(inStreams: ["institution-B"], app)[1]
        let admin = try database.connectAdmin()
        try admin.execute("SET session_replication_role = replica")
        try admin.execute("UPDATE ledger.events SET data = '{\"n\": 2}' WHERE id = \(target.id)")
        let report = try store.verify(app)
        #expect(report.breaks.first?.id == target.id)
        #expect(report.breaks.first?.reason.contains("no longer matches") == true)
        #expect(try store.verify(stream: "institution-A", app).breaks.isEmpty)
    }

    @Test func verifyNoticesADeletedAndAMovedRow() throws {
        let app = try seeded()
        let events = try store.events(inStreams: ["institution-A"], app)
        let admin = try database.connectAdmin()
        try admin.execute("SET session_replication_role = replica")
        try admin.execute("DELETE FROM ledger.events WHERE id = \(events[1].id)")
        let deleted = try store.verify(stream: "institution-A", app)
        #expect(deleted.breaks.first?.version == 3)
        #expect(deleted.breaks.first?.reason.contains("deleted") == true)

        let other = try store.events(inStreams: ["institution-B"], app)
        // Move B's first event after everything else: same content, later position.
        try admin.execute("CREATE TEMP TABLE moved AS SELECT * FROM ledger.events WHERE id = \(other[0].id)")
        try admin.execute("DELETE FROM ledger.events WHERE id = \(other[0].id)")
        try admin.execute("INSERT INTO ledger.events OVERRIDING SYSTEM VALUE SELECT position + 1000, stream, version, id, type, occurred_on, recorded_at, actor, data, hash FROM moved")
        let moved = try store.verify(stream: "institution-B", app)
        #expect(!moved.breaks.isEmpty)
    }

    /// The whole ledger's verify hashes on the client what `ledger.canonical_bytes` makes in the
    /// database: on content that jsonb escapes (quotes, backslashes, control characters, Chinese,
    /// an emoji, numbers) and after each kind of tampering, it reports what the database's own
    /// computation reports.
    @Test func verifyOnTheClientReportsWhatTheDatabaseReports() throws {
        let app = try seeded()
        let awkward: JSON = .object([
            "text": .string("引号\"反斜杠\\ 换行\n制表\t\u{01}\u{1F} 😀 </script>"), "n": .number("12.50"), "big": .integer(9_007_199_254_740_993),
            "list": .array([.null, .bool(true), .string("")]), "nested": .object(["b": .integer(1), "aa": .string("x")]),
        ])
        var strange = event("institution-Z.9_x-1", 1, data: awkward)
        strange.actor = "张三\t\"quoted\""
        try app.transaction {
            try store.lockAppends(app)
            _ = try store.append([strange, event("institution-A", 4, data: awkward)], app)
        }
        func same() throws {
            let client = try store.verify(app), database = try store.verifyInDatabase(app)
            #expect(client.breaks == database.breaks)
            #expect(client.eventsChecked == database.eventsChecked && client.streamsChecked == database.streamsChecked)
        }
        #expect(try store.verify(app).breaks.isEmpty)
        try same()
        let admin = try database.connectAdmin()
        try admin.execute("SET session_replication_role = replica")
        let a = try store.events(inStreams: ["institution-A"], app)
        try admin.execute("UPDATE ledger.events SET data = '{\"n\": 3}' WHERE id = \(a[3].id)")
        try same()
        try admin.execute("DELETE FROM ledger.events WHERE id = \(a[1].id)")
        try same()
        let b = try store.events(inStreams: ["institution-B"], app)
        for (from, to) in [(2, 1002), (3, 2), (1002, 3)] {
            try admin.execute("UPDATE ledger.events SET version = \(to) WHERE stream = 'institution-B' AND version = \(from)")
        }
        try same()
        try admin.execute("CREATE TEMP TABLE moved AS SELECT * FROM ledger.events WHERE id = \(b[0].id)")
        try admin.execute("DELETE FROM ledger.events WHERE id = \(b[0].id)")
        try admin.execute("INSERT INTO ledger.events OVERRIDING SYSTEM VALUE SELECT position + 1000, stream, version, id, type, occurred_on, recorded_at, actor, data, hash FROM moved")
        let report = try store.verify(app)
        #expect(report.breaks.count >= 4)
        try same()
    }

    @Test func aKeptDigestStillMatchesAfterTheLedgerGrowsButNotAfterAnEdit() throws {
        let app = try seeded()
        let kept = try store.digest(app)
        #expect(kept.position > 0)
        #expect(kept.events == 6)
        try app.transaction {
            try store.lockAppends(app)
            _ = try store.append([event("institution-C", 1), event("institution-A", 4)], app)
        }
        #expect(try store.digest(app).digest != kept.digest)
        #expect(try store.digest(atPosition: kept.position, app) == kept)

        let admin = try database.connectAdmin()
        try admin.execute("SET session_replication_role = replica")
        try admin.execute("UPDATE ledger.events SET hash = sha256(hash) WHERE stream = 'institution-B' AND version = 3")
        #expect(try store.digest(atPosition: kept.position, app).digest != kept.digest)
    }

    /// A superuser who edits an event and recomputes its stream's whole chain passes `verify`;
    /// a digest kept from before proves the ledger changed.
    @Test func aKeptDigestCatchesAChainRewrittenConsistently() throws {
        let app = try seeded()
        let kept = try store.digest(app)
        #expect(LedgerDigest(printed: "position \(kept.position)  streams \(kept.streams)  events \(kept.events)  digest \(kept.digest)") == kept)
        #expect(LedgerDigest(printed: kept.json.canonicalText) == kept)
        try app.transaction {
            try store.lockAppends(app)
            _ = try store.append([event("institution-A", 4)], app)
        }
        let grown = try store.consistency(with: kept, app)
        #expect(grown.hasOnlyGrown)
        #expect(grown.head.events == kept.events + 1)

        let admin = try database.connectAdmin()
        try admin.execute("SET session_replication_role = replica")
        try admin.execute("UPDATE ledger.events SET data = '{\"n\": 2}' WHERE stream = 'institution-B' AND version = 2")
        try admin.execute("""
            WITH RECURSIVE chain AS (
                SELECT position, version, hash FROM ledger.events WHERE stream = 'institution-B' AND version = 1
                UNION ALL
                SELECT e.position, e.version, sha256(c.hash || ledger.canonical_bytes(
                    e.position, e.id, e.stream, e.version, e.type, e.occurred_on, e.recorded_at, e.actor, e.data))
                  FROM ledger.events e JOIN chain c ON e.stream = 'institution-B' AND e.version = c.version + 1
            )
            UPDATE ledger.events e SET hash = chain.hash FROM chain WHERE e.position = chain.position
            """)
        #expect(try store.verify(app).breaks.isEmpty, "the rewritten chain verifies on its own")
        let rewritten = try store.consistency(with: kept, app)
        #expect(!rewritten.hasOnlyGrown)
        #expect(rewritten.recomputed.digest != kept.digest)

        try admin.execute("DELETE FROM ledger.events WHERE stream = 'institution-A' AND version = 4")
        #expect(!(try store.consistency(with: kept, app).hasOnlyGrown))
    }
}
