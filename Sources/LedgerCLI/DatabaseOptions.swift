import ArgumentParser
import Foundation
import Postgres

/// `--database-url`, shared by every command that talks to the ledger.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "libpq conninfo or URI. Default: $DATABASE_URL, else the local PostgreSQL started by ops/db-start.",
        valueName: "url"))
    var databaseURL: String?

    /// The connection string for ordinary work (the application role).
    func conninfo() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let url = databaseURL ?? environment["DATABASE_URL"] ?? ProjectPaths.localFile("database-url") {
            return url
        }
        throw CLIFailure(code: CLIFailure.unavailable, message: "no database: pass --database-url, set DATABASE_URL, or start the local one with ops/db-start")
    }

    /// The connection string for migrations, which create schemas and roles.
    func adminConninfo() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let url = databaseURL ?? environment["LEDGER_ADMIN_URL"] ?? environment["DATABASE_URL"] ?? ProjectPaths.localFile("admin-url") {
            return url
        }
        throw CLIFailure(code: CLIFailure.unavailable, message: "no database: pass --database-url, set LEDGER_ADMIN_URL, or start the local one with ops/db-start")
    }

    func connect(admin: Bool = false) async throws -> DatabaseConnection {
        let conninfo = try admin ? adminConninfo() : conninfo()
        do {
            return try await DatabaseConnection.connect(conninfo, label: "ledger.cli")
        } catch let error as PostgresError {
            throw CLIFailure(code: CLIFailure.unavailable, message: "database unreachable: \(error.message.replacingOccurrences(of: "\n", with: " "))")
        }
    }
}
