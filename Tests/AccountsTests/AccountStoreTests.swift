import Accounts
import Ledger
import Foundation
import Postgres
import Testing
import TestSupport

@Suite struct AccountStoreTests {
    let store = AccountStore(configuration: .changzhou, cost: 4, sessionHours: 1)

    @Test func passwordsAreBcryptHashesAndOnlyTheRightOneSignsIn() throws {
        let database = try TestDatabase.create("accounts_passwords")
        let connection = try database.connect()
        try store.add(name: "张三", password: "correct horse", role: .inspector, district: "天宁区", createdBy: "test", connection)
        let hash: String = try connection.execute("SELECT password_hash FROM accounts.users WHERE name = '张三'")[0].decode("password_hash")
        #expect(hash.hasPrefix("$2"))
        #expect(!hash.contains("correct horse"))
        #expect(try store.authenticate(name: "张三", password: "correct horse", connection)?.district == "天宁区")
        #expect(try store.authenticate(name: "张三", password: "wrong horse", connection) == nil)
        #expect(try store.authenticate(name: "李四", password: "correct horse", connection) == nil)
    }

    @Test func sessionsAreKeptOnlyAsHashesAndEndWhenTheUserIsDisabled() throws {
        let database = try TestDatabase.create("accounts_sessions")
        let connection = try database.connect()
        let user = try store.add(name: "analyst", password: "long enough", role: .analyst, district: nil, createdBy: "test", connection)
        let session = try store.openSession(for: user, connection)
        #expect(session.token.count == 64)
        let stored: Int = try connection.execute("SELECT count(*) AS n FROM accounts.sessions WHERE token_sha256::text LIKE \("%" + session.token + "%")")[0].decode("n")
        #expect(stored == 0)
        #expect(try store.user(forToken: session.token, connection)?.name == "analyst")
        #expect(try store.user(forToken: String(repeating: "0", count: 64), connection) == nil)
        try store.disable(name: "analyst", by: "admin", connection)
        #expect(try store.user(forToken: session.token, connection) == nil)
        #expect(try store.authenticate(name: "analyst", password: "long enough", connection) == nil)
        #expect(try store.list(connection).first?.isDisabled == true)
    }

    @Test func expiredSessionsSignNobodyIn() throws {
        let database = try TestDatabase.create("accounts_expiry")
        let connection = try database.connect()
        let user = try store.add(name: "auditor", password: "long enough", role: .auditor, district: nil, createdBy: "test", connection)
        let session = try store.openSession(for: user, connection)
        try database.connectAdmin().execute("UPDATE accounts.sessions SET expires_at = now() - interval '1 second'")
        #expect(try store.user(forToken: session.token, connection) == nil)
    }

    @Test func badUsersAreRefusedWithTheFieldAndNothingIsStored() throws {
        let database = try TestDatabase.create("accounts_bad")
        let connection = try database.connect()
        let cases: [(String, String, Role, String?, Bool, String)] = [
            ("", "long enough", .analyst, nil, false, "name"),
            ("has space", "long enough", .analyst, nil, false, "name"),
            (String(repeating: "x", count: 65), "long enough", .analyst, nil, false, "name"),
            ("short", "short", .analyst, nil, false, "password"),
            ("inspector", "long enough", .inspector, nil, false, "district"),
            ("inspector", "long enough", .inspector, "火星区", false, "district"),
            ("inspector", "long enough", .inspector, "天宁区", true, "district"),
            ("analyst", "long enough", .analyst, "天宁区", false, "district"),
        ]
        for (name, password, role, district, cityWide, field) in cases {
            #expect(throws: AccountError.self) {
                try store.add(name: name, password: password, role: role, district: district, cityWide: cityWide, createdBy: "test", connection)
            }
            do {
                try store.add(name: name, password: password, role: role, district: district, cityWide: cityWide, createdBy: "test", connection)
            } catch let error as AccountError {
                #expect(error.field == field, "\(name) \(role)")
            }
        }
        #expect(try store.list(connection).isEmpty)
        try store.add(name: "once", password: "long enough", role: .admin, district: nil, createdBy: "test", connection)
        #expect(throws: AccountError("name", .userExists("once"), kind: .conflict)) {
            try store.add(name: "once", password: "long enough", role: .admin, district: nil, createdBy: "test", connection)
        }
    }

    @Test func theApplicationRoleCannotDeleteUsers() throws {
        let database = try TestDatabase.create("accounts_privileges")
        let connection = try database.connect()
        try store.add(name: "kept", password: "long enough", role: .admin, district: nil, createdBy: "test", connection)
        #expect(throws: PostgresError.self) { try connection.execute("DELETE FROM accounts.users") }
    }

    @Test func rolesHoldSeparateDuties() {
        #expect(Role.allCases.filter { $0.allows(.append) } == [.inspector, .complaintOfficer])
        #expect(Role.allCases.filter { $0.allows(.readReporters) } == [.complaintOfficer])
        #expect(Role.allCases.filter { $0.allows(.manageUsers) } == [.admin])
        #expect(Role.allCases.filter { $0.allows(.verify) } == [.auditor])
        #expect(!Role.admin.allows(.readStatistics))
        #expect(User(name: "x", role: .inspector, district: "天宁区").mayRead(district: "钟楼区") == false)
        #expect(User(name: "x", role: .inspector, district: nil).mayRead(district: "钟楼区"))
    }
}
