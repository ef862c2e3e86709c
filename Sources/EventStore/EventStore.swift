import Foundation
import Postgres

/// The event store: appends validated events and reads, verifies and digests the log.
///
/// It knows streams, versions, hashes and positions, not what the events mean; the domain above it
/// validates. Every function takes the ``Connection`` of the caller's transaction.
public struct EventStore: Sendable {
    public init() {}

    /// Serializes appends until the caller's transaction ends (a long import). Take it before
    /// reading the state that validation depends on, so that state cannot change before the
    /// append commits. Short appends do without it and rely on the uniqueness of (stream,
    /// version) instead.
    public func lockAppends(_ connection: Connection) throws {
        try connection.execute("SELECT ledger.lock_appends()")
    }

    /// Appends events in order through `ledger.append`. Versions must follow their streams.
    public func append(_ events: [NewEvent], _ connection: Connection) throws -> [AppendedEvent] {
        guard !events.isEmpty else { return [] }
        return try appended(connection.execute(appendStatement(events)))
    }

    /// The statement that appends `events` (not empty), for callers that overlap it with other
    /// work (``Connection/overlapping(_:with:)``); read its rows with ``appended(_:)``.
    public func appendStatement(_ events: [NewEvent]) -> SQL {
        "SELECT * FROM ledger.append(\(NewEvent.batchText(events))::jsonb)"
    }

    /// Where the events of an ``appendStatement(_:)`` landed, in position order.
    public func appended(_ rows: Rows) throws -> [AppendedEvent] {
        try rows.map { row in
            AppendedEvent(
                id: try row.decode("event_id"),
                stream: try row.decode("event_stream"),
                version: try row.decode("event_version"),
                position: try row.decode("event_position"))
        }
    }

    /// Every event of the given streams, by stream then version.
    public func events(inStreams streams: [String], _ connection: Connection) throws -> [RecordedEvent] {
        guard !streams.isEmpty else { return [] }
        return try connection.execute(inStreamsStatement(streams)).map(Self.recordedEvent)
    }

    /// What an append must know before it checks its events, read in one round trip.
    public struct Lookup: Sendable {
        /// Events the ledger holds with the ids asked about.
        public var recorded: [RecordedEvent] = []
        /// Every event of the streams asked about, by stream then version.
        public var streamEvents: [RecordedEvent] = []
        /// Which of the referenced streams exist.
        public var existing: Set<String> = []
    }

    /// Reads the events with `ids`, the events of `streams` and which of `references` exist,
    /// pipelined into one round trip. The streams' events of the types in `withoutData` come
    /// with an empty `data` object: a caller that never reads it saves moving and parsing it.
    public func lookup(
        ids: [UUID], streams: [String], references: [String], withoutData: [String] = [], _ connection: Connection
    ) throws -> Lookup {
        var statements: [SQL] = []
        if !ids.isEmpty { statements.append(withIDsStatement(ids)) }
        if !streams.isEmpty { statements.append(inStreamsStatement(streams, withoutData: withoutData)) }
        if !references.isEmpty { statements.append(existingStatement(references)) }
        var results = try connection.pipeline(statements)[...]
        var lookup = Lookup()
        if !ids.isEmpty { lookup.recorded = try results.removeFirst().map(Self.recordedEvent) }
        if !streams.isEmpty { lookup.streamEvents = try results.removeFirst().map(Self.recordedEvent) }
        if !references.isEmpty { lookup.existing = Set(results.removeFirst().compactMap { $0["stream"] }) }
        return lookup
    }

    private func inStreamsStatement(_ streams: [String], withoutData: [String] = []) -> SQL {
        select(
            "WHERE stream = ANY(\(TextArray(streams))::text[]) ORDER BY stream, version",
            data: withoutData.isEmpty ? "data::text" : "CASE WHEN type = ANY(\(TextArray(withoutData))::text[]) THEN '{}' ELSE data::text END")
    }

    private func withIDsStatement(_ ids: [UUID]) -> SQL {
        select("WHERE id = ANY(\(TextArray(ids.map(\.lowercasedText)))::uuid[])")
    }

    private func existingStatement(_ streams: [String]) -> SQL {
        "SELECT DISTINCT stream FROM ledger.events WHERE stream = ANY(\(TextArray(streams))::text[])"
    }

    /// The highest position in the ledger (0 when empty).
    public func headPosition(_ connection: Connection) throws -> Int64 {
        try connection.execute("SELECT coalesce(max(position), 0) AS head FROM ledger.events")[0].decode("head")
    }

    private func select(_ condition: SQL, data: SQL = "data::text", from: SQL = "ledger.events") -> SQL {
        """
        SELECT position, stream, version, id, type, occurred_on::text AS occurred_on,
               to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at,
               actor, \(data) AS data, encode(hash, 'hex') AS hash
          FROM \(from) \(condition)
        """
    }

    static func recordedEvent(_ row: Row) throws -> RecordedEvent {
        guard let dataText = row["data"], let data = try? JSONParser.parse(dataText),
              let occurred = row["occurred_on"].flatMap(CalendarDate.init) else {
            throw LedgerError("an event row could not be read")
        }
        return RecordedEvent(
            position: try row.decode("position"),
            stream: try row.decode("stream"),
            version: try row.decode("version"),
            id: try row.decode("id"),
            type: try row.decode("type"),
            occurredOn: occurred,
            recordedAt: try row.decode("recorded_at"),
            actor: try row.decode("actor"),
            data: data,
            hash: try row.decode("hash"))
    }

    /// Recomputes every chain (or one stream's) and reports where stored content no longer
    /// matches: an edited row, a deleted one, or one moved to another position.
    ///
    /// The whole ledger is read once as it lies, a chunk of 2,000 at a time, and hashed here while the
    /// database reads the next chunk (``ChainVerifier``); one stream is checked by the
    /// database alone (``verifyInDatabase(stream:limit:_:)``). The two report the same breaks.
    public func verify(stream: String? = nil, limit: Int = 100, _ connection: Connection) throws -> VerifyReport {
        if let stream { return try verifyInDatabase(stream: stream, limit: limit, connection) }
        guard connection.isInTransaction else {
            return try connection.transaction(.repeatableRead, readOnly: true) { try verify(limit: limit, connection) }
        }
        try connection.execute("""
            DECLARE ledger_verify NO SCROLL CURSOR FOR
            SELECT position, id::text, stream, version, type, to_char(occurred_on, 'YYYY-MM-DD'),
                   (EXTRACT(epoch FROM recorded_at) * 1000000)::bigint, actor, data::text, encode(hash, 'hex')
              FROM ledger.events
            """)
        defer { _ = try? connection.execute("CLOSE ledger_verify") }
        // Small enough that the server keeps each FETCH's rows in memory (a FETCH's result is
        // stored before it is sent, and past work_mem it goes to a temporary file, which a full
        // disk refuses: verify must work on a database that takes no writes).
        let fetch: SQL = "FETCH 2000 FROM ledger_verify"
        var verifier = ChainVerifier(kept: limit)
        var rows = try connection.execute(fetch)
        while !rows.isEmpty {
            let chunk = rows
            (rows, _) = try connection.overlapping(fetch) { verifier.check(chunk) }
        }
        verifier.finish()
        let breaks = verifier.breaks.sorted { $0.position < $1.position }.prefix(limit)
        return VerifyReport(eventsChecked: verifier.events, streamsChecked: verifier.streams, breaks: Array(breaks))
    }

    /// ``verify(stream:limit:_:)`` computed by the database alone, in one statement.
    public func verifyInDatabase(stream: String? = nil, limit: Int = 100, _ connection: Connection) throws -> VerifyReport {
        let filter: SQL = stream.map { "WHERE e.stream = \($0)" } ?? ""
        let rows = try connection.execute("""
            WITH checked AS (
                SELECT e.position, e.stream, e.version, e.id,
                       e.hash = sha256(coalesce(lag(e.hash) OVER w, ''::bytea) || ledger.canonical_bytes(
                           e.position, e.id, e.stream, e.version, e.type, e.occurred_on, e.recorded_at, e.actor, e.data
                       )) AS hash_ok,
                       lag(e.version) OVER w AS previous_version,
                       lag(e.position) OVER w AS previous_position
                  FROM ledger.events e \(filter)
                WINDOW w AS (PARTITION BY e.stream ORDER BY e.version)
            )
            SELECT position, stream, version, id, hash_ok, previous_version, previous_position,
                   count(*) OVER () AS broken
              FROM checked
             WHERE NOT hash_ok
                OR version <> coalesce(previous_version, 0) + 1
                OR position <= coalesce(previous_position, 0)
             ORDER BY position
             LIMIT \(limit)
            """)
        let breaks = try rows.map { row -> ChainBreak in
            let version: Int = try row.decode("version")
            return ChainBreak(
                position: try row.decode("position"), stream: try row.decode("stream"), version: version, id: try row.decode("id"),
                reason: ChainBreak.reason(version: version, previousVersion: try row.decodeIfPresent("previous_version"), hashHolds: try row.decode("hash_ok")))
        }
        let totals = try connection.execute("""
            SELECT count(*) AS events, count(DISTINCT stream) AS streams FROM ledger.events e \(filter)
            """)[0]
        return VerifyReport(
            eventsChecked: try totals.decode("events"), streamsChecked: try totals.decode("streams"), breaks: breaks)
    }

    /// The digest of every chain head as the ledger stood at `position` (the head when nil).
    /// A digest kept from earlier equals the digest recomputed now at its position exactly when
    /// nothing at or before that position has changed: the ledger has only grown since.
    public func digest(atPosition position: Int64? = nil, _ connection: Connection) throws -> LedgerDigest {
        let limit: SQL = position.map { "WHERE position <= \($0)" } ?? ""
        let row = try connection.execute("""
            WITH heads AS (
                SELECT DISTINCT ON (stream) stream, version, position, hash
                  FROM ledger.events \(limit)
                 ORDER BY stream, version DESC
            )
            SELECT coalesce(max(position), 0) AS position,
                   count(*) AS streams,
                   coalesce(sum(version), 0) AS events,
                   encode(sha256(coalesce(string_agg(
                       convert_to(stream, 'UTF8') || '\\x00'::bytea || int4send(version) || hash,
                       ''::bytea ORDER BY stream COLLATE "C"), ''::bytea)), 'hex') AS digest
              FROM heads
            """)[0]
        return LedgerDigest(
            position: try row.decode("position"), streams: try row.decode("streams"),
            events: try row.decode("events"), digest: try row.decode("digest"))
    }
}

extension EventStore {
    /// How the ledger now relates to a digest kept from earlier.
    public struct Consistency: Sendable {
        public var earlier: LedgerDigest
        /// The digest recomputed now at the earlier position.
        public var recomputed: LedgerDigest
        public var head: LedgerDigest
        public var chains: VerifyReport

        /// True when the ledger as it stood then is unchanged and every chain holds: it has only
        /// grown since.
        public var hasOnlyGrown: Bool {
            recomputed.digest == earlier.digest && recomputed.position == earlier.position
                && recomputed.events == earlier.events && chains.breaks.isEmpty
        }
    }

    /// Checks the ledger against `earlier`, a digest an auditor kept: the digest recomputed at its
    /// position must equal it (nothing recorded by then was changed, removed, reordered or
    /// slipped in, even with the hashes recomputed), and every chain must hold (nothing since
    /// was edited behind the chain).
    public func consistency(with earlier: LedgerDigest, _ connection: Connection) throws -> Consistency {
        Consistency(
            earlier: earlier,
            recomputed: try digest(atPosition: earlier.position, connection),
            head: try digest(connection),
            chains: try verify(connection))
    }
}
