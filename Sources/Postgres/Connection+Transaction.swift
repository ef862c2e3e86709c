extension Connection {
    /// How a transaction sees concurrent commits.
    public enum Isolation: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    /// Runs `body` in a transaction that commits when it returns and rolls back when it throws.
    ///
    /// A failure at BEGIN or COMMIT is reported with that statement named, so a caller can tell a
    /// refused commit (a deferred constraint, a serialization failure) from an error in the body.
    public func transaction<T>(
        _ isolation: Isolation = .readCommitted, readOnly: Bool = false, _ body: () throws -> T
    ) throws -> T {
        // Without READ ONLY the server's default applies, so a database an operator made read-only
        // (default_transaction_read_only) refuses writes instead of being overridden.
        let mode = readOnly ? "READ ONLY" : ""
        try execute("BEGIN ISOLATION LEVEL \(unsafeRaw: isolation.rawValue) \(unsafeRaw: mode)")
        let value: T
        do {
            value = try body()
        } catch {
            rollbackQuietly()
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            rollbackQuietly()
            throw error
        }
        return value
    }

    /// Ends a failed transaction; a connection that is already broken has nothing to roll back.
    func rollbackQuietly() {
        guard isHealthy else { return }
        _ = try? execute("ROLLBACK")
    }
}
