import CLibPQ

extension Connection {
    /// Sends `sql` and runs `work` while the server executes it, then returns both results: the
    /// client's CPU work and the server's overlap instead of taking turns.
    ///
    /// `work` must not use this connection (it is busy). When the statement fails, its error is
    /// thrown after `work` has finished; when `work` throws, the statement's result is still read,
    /// so the connection stays usable, and `work`'s error is thrown.
    ///
    /// ```swift
    /// let (rows, next) = try connection.overlapping("SELECT * FROM ledger.append(\(batch)::jsonb)") {
    ///     validate(nextChunk)
    /// }
    /// ```
    public func overlapping<T>(_ sql: SQL, with work: () throws -> T) throws -> (Rows, T) {
        let (text, binds) = sql.rendered
        for bind in binds where bind?.utf8.contains(0) == true {
            throw PostgresError(kind: .client, message: "a text parameter contains a NUL character", statement: text)
        }
        let name = try statements.name(for: text) { try prepare($0, text, parameters: binds.count) }
        guard send(text, binds, prepared: name) else { throw connectionError(statement: text) }
        let outcome = Result { try work() }
        var rows: Result<Rows, Error>?
        while let result = PQgetResult(handle) {
            let consumed = Result { try consume(result, statement: text) }
            if rows == nil { rows = consumed }
        }
        let value = try outcome.get()
        guard let rows else { throw connectionError(statement: text) }
        return (try rows.get(), value)
    }

    /// Sends one statement without waiting for its result, by its prepared name when it has one.
    func send(_ text: String, _ binds: [String?], prepared name: String?) -> Bool {
        withCStrings(binds) { pointers in
            if let name {
                return PQsendQueryPrepared(handle, name, Int32(binds.count), pointers, nil, nil, 0) == 1
            }
            return PQsendQueryParams(handle, text, Int32(binds.count), nil, pointers, nil, nil, 0) == 1
        }
    }
}
