import Foundation
import Postgres

/// A fresh database on the project's local PostgreSQL (or `LEDGER_TEST_ADMIN_URL`), migrated with
/// the real migrations. There is no mock: when PostgreSQL cannot be reached, creating one throws
/// and the test fails, under CI or not. Nothing is skipped.
public struct TestDatabase: Sendable {
    /// The application role's connection string (what the product uses).
    public let appURL: String
    /// A superuser's connection string to the same database, for tampering like an attacker would.
    public let adminURL: String
    public let name: String

    /// The project's root directory (where `db/` and `Tests/Fixtures/` are).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static func fixture(_ name: String) -> URL {
        root.appendingPathComponent("Tests/Fixtures/\(name)")
    }

    /// The lines of the working-day calendars the project ships (`ops/data/`), one a year 2021–2026.
    public static func shippedCalendars() throws -> [String] {
        let url = root.appendingPathComponent("ops/data/calendar-2021-2026.jsonl")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// A connection string (either form) for a superuser on the test cluster.
    static func clusterAdminURL() throws -> String {
        if let url = ProcessInfo.processInfo.environment["LEDGER_TEST_ADMIN_URL"] { return url }
        let file = root.appendingPathComponent(".local/admin-url")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw PostgresError(kind: .connection, message: "no test database: run ops/db-start (or ops/test), or set LEDGER_TEST_ADMIN_URL")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates and migrates a database named after `label`.
    public static func create(_ label: String) throws -> TestDatabase {
        let admin = try clusterAdminURL()
        let name = "ledger_test_\(label.lowercased().filter { $0.isLetter || $0.isNumber })_\(UInt32.random(in: 0...UInt32.max))"
        let server = try Connection(ConnectionString.setting(["dbname": "postgres"], in: admin))
        try server.execute("CREATE DATABASE \(identifier: name)")
        let adminURL = try ConnectionString.setting(["dbname": name], in: admin)
        let connection = try Connection(adminURL)
        try Migrator(directory: root.appendingPathComponent("db")).migrate(connection)
        return TestDatabase(appURL: try ConnectionString.setting(["user": "ledger_app"], in: adminURL), adminURL: adminURL, name: name)
    }

    /// A connection as the application role.
    public func connect() throws -> Connection { try Connection(appURL) }

    /// A connection as a superuser.
    public func connectAdmin() throws -> Connection { try Connection(adminURL) }

    /// How many events the ledger holds.
    public func eventCount() throws -> Int {
        try connect().execute("SELECT count(*) AS n FROM ledger.events")[0].decode("n")
    }
}

/// Runs `executable` with `arguments`; its exit status and what it wrote to standard output.
public func runProcess(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, data)
}

/// A master key of its own (SPEC §12), in a new temporary directory: reporters sealed in a test
/// never depend on the environment, and erasures are listed beside this key only.
public func temporaryMasterKeyFile() throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-vault-\(UUID().uuidString.lowercased())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let file = directory.appendingPathComponent("master.key")
    try Data((0..<32).map { _ in UInt8.random(in: 0...255) }).write(to: file)
    return file.path
}
