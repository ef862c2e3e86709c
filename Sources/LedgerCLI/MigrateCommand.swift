import ArgumentParser
import Postgres

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the migrations in db/ that are not applied yet (idempotent).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let directory = ProjectPaths.migrations else {
            throw CLIFailure(code: 1, message: "cannot find the migrations (db/); run from the project or set LEDGER_MIGRATIONS")
        }
        let migrator = try Migrator(directory: directory)
        let db = try await database.connect(admin: true)
        let applied = try await db.withConnection { try migrator.migrate($0) }
        if applied.isEmpty {
            print("migrations: up to date (\(migrator.migrations.count) applied)")
        } else {
            print("migrations: applied \(applied.joined(separator: ", "))")
        }
    }
}
