import Foundation
import Logging

/// Applies numbered SQL migrations in order, each once, and records them in the database.
///
/// Files are named `NNNN_description.sql`. Each runs in its own transaction together with the row
/// that records it, so a migration is either applied and recorded or neither. A recorded migration
/// whose file has since changed is refused: migrations are history, not configuration.
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

    public let migrations: [Migration]
    let logger = Logger(label: "ledger.migrator")

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
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
        self.init(migrations: migrations)
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
        return done
    }
}
