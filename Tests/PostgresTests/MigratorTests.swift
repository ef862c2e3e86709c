import Postgres
import TestSupport
import Testing

@Suite struct MigratorTests {
    @Test func appliesEachMigrationOnceAndRefusesAnEditedOne() throws {
        let database = try TestDatabase.create("migrator")
        let connection = try database.connectAdmin()
        let first = Migrator(migrations: [.init(version: 9001, name: "9001_t.sql", sql: "CREATE TABLE m_t (n int);")])
        #expect(try first.migrate(connection) == ["9001_t.sql"])
        #expect(try first.migrate(connection) == [])
        let edited = Migrator(migrations: [.init(version: 9001, name: "9001_t.sql", sql: "CREATE TABLE m_t (n bigint);")])
        #expect(throws: PostgresError.self) { try edited.migrate(connection) }
        let failing = Migrator(migrations: [.init(version: 9002, name: "9002_bad.sql", sql: "CREATE TABLE m_u (n int); SELECT 1/0;")])
        #expect(throws: PostgresError.self) { try failing.migrate(connection) }
        // The failed migration left neither its table nor its record.
        let tables = try connection.execute("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'm_u'")
        #expect(tables[0]["n"] == "0")
        let recorded = try connection.execute("SELECT count(*) AS n FROM public.schema_migrations WHERE version = 9002")
        #expect(recorded[0]["n"] == "0")
    }
}
