import Postgres
import Testing

/// Pointing a connection string at another database or user, in either of libpq's forms; no
/// database needed.
@Suite struct ConnectionStringTests {
    @Test func aKeywordStringGetsTheNewValues() throws {
        let url = try ConnectionString.setting(["dbname": "ledger_test", "user": "ledger_app"], in: "host=/run/pg port=5432 dbname=ledger user=postgres")
        #expect(url == "host='/run/pg' port='5432' dbname='ledger_test' user='ledger_app'")
    }

    @Test func aURIBecomesAKeywordStringWithTheNewValues() throws {
        let url = try ConnectionString.setting(["dbname": "postgres"], in: "postgresql://admin@db.example:6543/ledger?sslmode=disable&application_name=x")
        #expect(url.contains("dbname='postgres'"))
        #expect(url.contains("host='db.example'"))
        #expect(url.contains("port='6543'"))
        #expect(url.contains("user='admin'"))
        #expect(url.contains("sslmode='disable'"))
        #expect(!url.contains("ledger'"))
    }

    @Test func valuesAreQuotedAsConninfoWants() throws {
        let url = try ConnectionString.setting(["password": #"it's a \ secret"#], in: "host=/tmp")
        #expect(url == #"host='/tmp' password='it\'s a \\ secret'"#)
    }

    @Test func somethingThatIsNotAConnectionStringIsRefusedWithLibpqsReason() {
        #expect(throws: PostgresError.self) { try ConnectionString.setting([:], in: "host") }
        #expect(throws: PostgresError.self) { try ConnectionString.setting([:], in: "postgresql://[::1") }
    }
}
