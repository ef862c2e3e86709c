import Dispatch

/// One PostgreSQL connection, serialized on its own thread: the way async code uses the database.
///
/// Access is closure-scoped. The closure runs on the connection's private queue, never on the
/// cooperative pool, and receives the ``Connection`` it may use only inside the closure.
///
/// ```swift
/// let database = try await DatabaseConnection.connect(conninfo)
/// let count = try await database.read { try $0.execute("SELECT count(*) AS n FROM ledger.events")[0]["n"] }
/// ```
public actor DatabaseConnection {
    private let executor: DispatchQueueExecutor
    private var connection: Connection?

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    private init(label: String) {
        executor = DispatchQueueExecutor(label: label)
    }

    /// Connects on the new connection's own queue.
    public static func connect(_ conninfo: String, label: String = "postgres.connection") async throws -> DatabaseConnection {
        let database = DatabaseConnection(label: label)
        try await database.open(conninfo)
        return database
    }

    private func open(_ conninfo: String) throws {
        connection = try Connection(conninfo)
    }

    private func current() throws -> Connection {
        guard let connection else {
            throw PostgresError(kind: .connection, message: "the connection is closed")
        }
        return connection
    }

    /// Runs `body` with the raw connection (autocommit unless `body` opens a transaction).
    public func withConnection<T: Sendable>(_ body: @Sendable (Connection) throws -> T) throws -> T {
        try body(current())
    }

    /// Runs `body` in a read-only transaction with one consistent snapshot.
    public func read<T: Sendable>(_ body: @Sendable (Connection) throws -> T) throws -> T {
        let connection = try current()
        return try connection.transaction(.repeatableRead, readOnly: true) { try body(connection) }
    }

    /// Runs `body` in a read-write transaction: committed when it returns, rolled back when it throws.
    public func transaction<T: Sendable>(
        _ isolation: Connection.Isolation = .readCommitted, _ body: @Sendable (Connection) throws -> T
    ) throws -> T {
        let connection = try current()
        return try connection.transaction(isolation) { try body(connection) }
    }

    /// Closes the connection now rather than when the actor is released.
    public func close() {
        connection = nil
    }
}
