import Foundation
import Logging

/// Applies numbered SQL migrations in order, each once, and records them in the database; then
/// the database functions, each whenever its text changed.
///
/// Migrations are named `NNNN_description.sql`. Each runs in its own transaction together with
/// the row that records it, so a migration is either applied and recorded or neither. A recorded
/// migration whose file has since changed is refused: migrations are history, not configuration.
///
/// Functions live one per file in `functions/` (Message DB's way): `CREATE OR REPLACE FUNCTION`,
/// with the grants it needs, read whole in one place. After the migrations, each file whose text
/// differs from what was last applied runs again (bodies are checked when called, not when
/// created, so files may refer to each other in any order) and is recorded in
/// `schema_functions`. Tables, roles and grants on them stay in migrations.
public struct Migrator: Sendable {
    /// One migration file.
    public struct Migration: Sendable, Equatable {
        public let version: Int
        public let name: String
        public let sql: String

        public init(version: Int, name: String, sql: String) {
            self.version = version
            self.name = name
            self.sql = sql
        }
        /// A checksum of the file's text, so an edited migration is noticed.
        public var checksum: String { Self.fnv1a(sql) }

        static func fnv1a(_ text: String) -> String {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return String(hash, radix: 16)
        }
    }

    /// One function file: its name (`ledger.institution_on.sql`) and its text.
    public struct Function: Sendable, Equatable {
        public let name: String
        public let sql: String

        public init(name: String, sql: String) {
            self.name = name
            self.sql = sql
        }

        public var checksum: String { Migration.fnv1a(sql) }
    }

    public let migrations: [Migration]
    public let functions: [Function]
    let logger = Logger(label: "ledger.migrator")

    public init(migrations: [Migration], functions: [Function] = []) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.functions = functions.sorted { $0.name < $1.name }
    }

    /// Reads every `NNNN_*.sql` file of a directory.
    public init(directory: URL) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        var migrations: [Migration] = []
        for name in names where name.hasSuffix(".sql") {
            guard let version = Int(name.prefix { $0.isNumber }) else { continue }
            let sql = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            migrations.append(Migration(version: version, name: name, sql: sql))
        }
        var functions: [Function] = []
        let functionDirectory = directory.appendingPathComponent("functions")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: functionDirectory.path)) ?? [] where name.hasSuffix(".sql") {
            functions.append(Function(name: name, sql: try String(contentsOf: functionDirectory.appendingPathComponent(name), encoding: .utf8)))
        }
        self.init(migrations: migrations, functions: functions)
    }

    /// Applies what is not applied yet; returns the names it applied. Safe to run concurrently.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> [String] {
        // Serialize concurrent migrators on the whole cluster, not just one database.
        try connection.execute("SELECT pg_advisory_lock(7231178000)")
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(7231178000)") }
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS public.schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        var applied: [Int: String] = [:]
        for row in try connection.execute("SELECT version, checksum FROM public.schema_migrations") {
            applied[try row.decode("version")] = row["checksum"] ?? ""
        }
        var done: [String] = []
        for migration in migrations {
            if let checksum = applied[migration.version] {
                guard checksum == migration.checksum else {
                    throw PostgresError(
                        kind: .client,
                        message: "migration \(migration.name) was changed after it was applied; add a new migration instead")
                }
                continue
            }
            try connection.transaction {
                try connection.executeScript(migration.sql)
                try connection.execute("""
                    INSERT INTO public.schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """)
            }
            logger.debug("applied migration \(migration.name)")
            done.append(migration.name)
        }
        return done + (try applyFunctions(connection))
    }

    /// Runs each function file whose text changed since it was last applied; returns their names.
    private func applyFunctions(_ connection: Connection) throws -> [String] {
        guard !functions.isEmpty else { return [] }
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS public.schema_functions (
                name text PRIMARY KEY,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        var applied: [String: String] = [:]
        for row in try connection.execute("SELECT name, checksum FROM public.schema_functions") {
            applied[row["name"] ?? ""] = row["checksum"] ?? ""
        }
        var done: [String] = []
        for function in functions where applied[function.name] != function.checksum {
            try connection.transaction {
                try connection.execute("SET LOCAL check_function_bodies = off")
                try connection.executeScript(function.sql)
                try connection.execute("""
                    INSERT INTO public.schema_functions (name, checksum) VALUES (\(function.name), \(function.checksum))
                    ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()
                    """)
            }
            logger.debug("applied function \(function.name)")
            done.append(function.name)
        }
        return done
    }
}
