import Postgres
import Testing

@Suite struct SQLTests {
    @Test func interpolatedValuesBecomeBinds() {
        let stream = "institution-x'; DROP TABLE ledger.events; --"
        let sql: SQL = "SELECT * FROM t WHERE stream = \(stream) AND version > \(3)"
        let (text, binds) = sql.rendered
        #expect(text == "SELECT * FROM t WHERE stream = $1 AND version > $2")
        #expect(binds == [stream, "3"])
        #expect(!sql.description.contains("DROP"))
    }

    @Test func fragmentsKeepTheirBindsInOrder() {
        let filter: SQL = "WHERE a = \("x")"
        let sql: SQL = "SELECT \(1) FROM t \(filter) LIMIT \(5)"
        #expect(sql.rendered.text == "SELECT $1 FROM t WHERE a = $2 LIMIT $3")
        #expect(sql.rendered.binds == ["1", "x", "5"])
    }

    @Test func identifiersAreQuoted() {
        let sql: SQL = "CREATE DATABASE \(identifier: "we\"ird")"
        #expect(sql.rendered.text == "CREATE DATABASE \"we\"\"ird\"")
    }

    @Test func nilIsNull() {
        let value: String? = nil
        let sql: SQL = "SELECT \(value)"
        #expect(sql.rendered.binds == [nil])
    }

    @Test func textArraysEscapeQuotesAndBackslashes() {
        #expect(TextArray(["a\"b", "c\\d", nil]).sqlText == #"{"a\"b","c\\d",NULL}"#)
    }
}
