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

    /// Function files run after the migrations, again whenever their text changes, in any order
    /// of reference, and a failing one leaves what was there.
    @Test func appliesEachFunctionFileWhenItsTextChanges() throws {
        let database = try TestDatabase.create("migrator_functions")
        let connection = try database.connectAdmin()
        let caller = Migrator.Function(name: "a_caller.sql", sql: "CREATE OR REPLACE FUNCTION public.m_caller() RETURNS int LANGUAGE sql AS $$ SELECT public.m_value() $$;")
        let value = { (n: Int) in Migrator.Function(name: "m_value.sql", sql: "CREATE OR REPLACE FUNCTION public.m_value() RETURNS int LANGUAGE sql AS $$ SELECT \(n) $$;") }
        // The caller sorts first and refers to a function not created yet.
        #expect(try Migrator(migrations: [], functions: [caller, value(1)]).migrate(connection) == ["a_caller.sql", "m_value.sql"])
        #expect(try Migrator(migrations: [], functions: [caller, value(1)]).migrate(connection) == [])
        #expect(try Migrator(migrations: [], functions: [caller, value(2)]).migrate(connection) == ["m_value.sql"])
        #expect(try connection.execute("SELECT public.m_caller() AS n")[0]["n"] == "2")
        let broken = Migrator.Function(name: "m_value.sql", sql: "CREATE OR REPLACE FUNCTION public.m_value() RETURNS int LANGUAGE sql AS $$ SELECT 3 $$; SELECT 1/0;")
        #expect(throws: PostgresError.self) { try Migrator(migrations: [], functions: [caller, broken]).migrate(connection) }
        #expect(try connection.execute("SELECT public.m_caller() AS n")[0]["n"] == "2")
        #expect(try Migrator(migrations: [], functions: [caller, value(2)]).migrate(connection) == [])
    }

    /// The project's own functions are applied by the migrator on every fresh database.
    @Test func theProjectsFunctionFilesAreApplied() throws {
        let database = try TestDatabase.create("migrator_project")
        let recorded = try database.connectAdmin().execute("SELECT name FROM public.schema_functions ORDER BY name").compactMap { $0["name"] }
        #expect(recorded.contains("ledger.institution_step.sql"))
        #expect(recorded.contains("ledger.institution_on.sql"))
    }
}
