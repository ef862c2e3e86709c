import CLibPQ

extension Connection {
    /// Sends `statements` in one round trip (libpq pipeline mode) and returns their rows in order.
    ///
    /// The server runs them one after the other; after the first failure it skips the rest, and
    /// that failure is thrown once every result has been read.
    ///
    /// ```swift
    /// let (events, streams) = try connection.pipeline([
    ///     "SELECT … WHERE id = ANY(\(ids)::uuid[])", "SELECT … WHERE stream = ANY(\(names)::text[])",
    /// ])
    /// ```
    public func pipeline(_ batch: [SQL]) throws -> [Rows] {
        guard batch.count > 1 else { return try batch.map { try execute($0) } }
        let rendered = batch.map(\.rendered)
        for (text, binds) in rendered {
            for bind in binds where bind?.utf8.contains(0) == true {
                throw PostgresError(kind: .client, message: "a text parameter contains a NUL character", statement: text)
            }
        }
        // Prepared (when due) before the pipeline starts, so the pipeline itself only executes.
        let names = try rendered.map { text, binds in try statements.name(for: text) { try prepare($0, text, parameters: binds.count) } }
        guard PQenterPipelineMode(handle) == 1 else { throw connectionError(statement: "(pipeline)") }
        defer { PQexitPipelineMode(handle) }
        for ((text, binds), name) in zip(rendered, names) {
            guard send(text, binds, prepared: name) else { throw connectionError(statement: text) }
        }
        guard PQpipelineSync(handle) == 1 else { throw connectionError(statement: "(pipeline sync)") }

        var results: [Rows] = []
        var failure: PostgresError?
        for (text, _) in rendered {
            // Each statement's results end with a NULL.
            var rows = Rows(columns: [], values: [], affectedRows: 0)
            while let result = PQgetResult(handle) {
                if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                    PQclear(result)
                    continue
                }
                do { rows = try consume(result, statement: text) } catch let error as PostgresError {
                    failure = failure ?? error
                }
            }
            results.append(rows)
        }
        // The sync point.
        while let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        if let failure { throw failure }
        return results
    }

    /// Runs `statements` as one transaction in one round trip: BEGIN, the statements, COMMIT.
    /// Rolls back and throws the first failure; returns the statements' rows.
    public func transaction(pipelining statements: [SQL]) throws -> [Rows] {
        do {
            let results = try pipeline(["BEGIN"] + statements + ["COMMIT"])
            return Array(results.dropFirst().dropLast())
        } catch {
            rollbackQuietly()
            throw error
        }
    }
}
