/// A few ``DatabaseConnection``s shared by concurrent tasks (the HTTP service's requests).
///
/// A task borrows a connection for the length of a closure and gives it back; when all are
/// busy it waits its turn, first come, first served. A connection that failed as a connection
/// (the server restarted, the socket closed) is closed instead of given back, and the next
/// borrower opens a new one.
///
/// ```swift
/// let pool = ConnectionPool(conninfo, size: 4)
/// let head = try await pool.read { try EventStore().headPosition($0) }
/// ```
public actor ConnectionPool {
    public let conninfo: String
    public let size: Int
    private var idle: [DatabaseConnection] = []
    private var open = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(_ conninfo: String, size: Int = 4) {
        self.conninfo = conninfo
        self.size = max(1, size)
    }

    /// Runs `body` with a connection of the pool to itself.
    public func withConnection<T: Sendable>(_ body: @Sendable (DatabaseConnection) async throws -> T) async throws -> T {
        let connection = try await borrow()
        do {
            let result = try await body(connection)
            giveBack(connection)
            return result
        } catch let error as PostgresError where error.isConnectionFailure {
            await connection.close()
            discard()
            throw error
        } catch {
            giveBack(connection)
            throw error
        }
    }

    /// Runs `body` in a read-only transaction with one snapshot (``DatabaseConnection/read(_:)``).
    public func read<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withConnection { try await $0.read(body) }
    }

    /// Runs `body` on a connection in autocommit mode (``DatabaseConnection/withConnection(_:)``).
    public func write<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withConnection { try await $0.withConnection(body) }
    }

    private func borrow() async throws -> DatabaseConnection {
        while true {
            if let connection = idle.popLast() { return connection }
            if open < size {
                open += 1
                do {
                    return try await DatabaseConnection.connect(conninfo, label: "postgres.pool")
                } catch {
                    discard()
                    throw error
                }
            }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    private func giveBack(_ connection: DatabaseConnection) {
        idle.append(connection)
        wakeOne()
    }

    private func discard() {
        open -= 1
        wakeOne()
    }

    private func wakeOne() {
        guard !waiters.isEmpty else { return }
        waiters.removeFirst().resume()
    }

    /// Closes the idle connections (the busy ones close when given back and released).
    public func close() async {
        for connection in idle { await connection.close() }
        open -= idle.count
        idle = []
    }
}
