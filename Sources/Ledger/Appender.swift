import EventStore
import Foundation
import Postgres

/// The append path: decodes, validates and appends events, all or nothing.
///
/// Appends take the ledger's append lock first, so the state every rule reads cannot change
/// before the events commit, and positions become visible in order. Events are checked in order,
/// each against the ledger plus the events before it in the same call. When any event is
/// rejected, nothing is appended and every rejection is reported (up to ``maximumRejections``).
///
/// An id already in the ledger with the same content is an idempotent retry: it is skipped.
public struct Appender: Sendable {
    public var configuration: LedgerConfiguration
    public var today: CalendarDate
    /// Events written per round trip.
    public var chunkSize = 2_000
    public static let maximumRejections = 100
    let store = EventStore()

    public init(configuration: LedgerConfiguration, today: CalendarDate? = nil) {
        self.configuration = configuration
        self.today = today ?? configuration.today
    }

    /// Progress of a long append, reported after each chunk.
    public struct Progress: Sendable {
        public var submissions: Int
        public var appended: Int
        public var rejected: Int
        public var bytes: Int
    }

    /// What an append did.
    public struct Outcome: Sendable {
        public var submitted = 0
        public var appended = 0
        /// Idempotent retries: ids already recorded with the same content.
        public var duplicates = 0
        public var firstPosition: Int64?
        public var lastPosition: Int64?
        /// Where each appended event landed, kept for small appends (up to 1,000 events).
        public var events: [AppendedEvent] = []
    }

    /// Thrown when any event is rejected; the transaction was rolled back, nothing appended.
    public struct Rejected: Error, Sendable, CustomStringConvertible {
        public var rejections: [Rejection]
        /// How many events were rejected in all (more than `rejections` holds past the cap).
        public var count: Int
        public var submitted: Int
        /// True when every rejection is an `expected_version` conflict.
        public var isConflict: Bool { rejections.allSatisfy(\.isConflict) }
        public var description: String { rejections.map(\.description).joined(separator: "\n") }
    }

    /// Appends `submissions` in one transaction on `connection`.
    /// - Throws: ``Rejected`` when any event is invalid or conflicts; ``PostgresError`` from the database.
    public func append(
        _ submissions: some Sequence<Submission>, on connection: Connection,
        progress: ((Progress) -> Void)? = nil
    ) throws -> Outcome {
        try connection.transaction {
            try store.lockAppends(connection)
            var run = Run(appender: self, connection: connection)
            var chunk: [Submission] = []
            chunk.reserveCapacity(chunkSize)
            for submission in submissions {
                chunk.append(submission)
                if chunk.count == chunkSize {
                    try run.process(chunk)
                    chunk.removeAll(keepingCapacity: true)
                    progress?(run.progress)
                }
            }
            if !chunk.isEmpty {
                try run.process(chunk)
                progress?(run.progress)
            }
            if run.rejectedCount > 0 {
                throw Rejected(rejections: run.rejections, count: run.rejectedCount, submitted: run.outcome.submitted)
            }
            return run.outcome
        }
    }

    /// Appends one event given as JSON text.
    public func append(json: String, on connection: Connection) throws -> Outcome {
        try append([Submission(text: json)], on: connection)
    }
}

/// The state of one append call: streams seen so far, ids accepted, what was written.
private struct Run {
    let appender: Appender
    let connection: Connection
    var streams: [String: StreamState] = [:]
    /// Streams known to exist or not, for references.
    var existing: [String: Bool] = [:]
    /// Content of the ids accepted since the last write (all of them once an event was rejected),
    /// and of ids found in the ledger.
    var knownContent: [UUID: (content: String, stream: String, version: Int)] = [:]
    var rejections: [Rejection] = []
    var rejectedCount = 0
    var outcome = Appender.Outcome()
    var bytes = 0

    init(appender: Appender, connection: Connection) {
        self.appender = appender
        self.connection = connection
    }

    var progress: Appender.Progress {
        .init(submissions: outcome.submitted, appended: outcome.appended, rejected: rejectedCount, bytes: bytes)
    }

    /// A parsed line: its JSON, or why it is not JSON.
    enum Parsed {
        case json(JSON)
        case unreadable(Problem)
    }

    mutating func process(_ chunk: [Submission]) throws {
        let parsed = chunk.map(Self.parse)
        try prefetch(parsed)
        var pending: [NewEvent] = []
        for (submission, item) in zip(chunk, parsed) {
            outcome.submitted += 1
            bytes += submission.bytes.count + 1
            switch item {
            case .unreadable(let problem):
                reject(submission, id: nil, [problem])
            case .json(let json):
                if let event = try accept(submission, json) { pending.append(event) }
            }
        }
        guard rejectedCount == 0, !pending.isEmpty else { return }
        let appended = try appender.store.append(pending, connection)
        // Written ids are found in the ledger from now on (same transaction): keep memory flat.
        knownContent.removeAll(keepingCapacity: true)
        outcome.appended += appended.count
        if outcome.firstPosition == nil { outcome.firstPosition = appended.first?.position }
        outcome.lastPosition = appended.last?.position ?? outcome.lastPosition
        if outcome.events.count + appended.count <= 1_000 { outcome.events += appended }
    }

    static func parse(_ submission: Submission) -> Parsed {
        if let length = submission.tooLong {
            return .unreadable(Problem("", "the line is \(length) bytes long, at most \(Submission.maximumBytes) are allowed"))
        }
        guard submission.bytes.count <= Submission.maximumBytes else {
            return .unreadable(Problem("", "the event is \(submission.bytes.count) bytes long, at most \(Submission.maximumBytes) are allowed"))
        }
        do {
            return .json(try JSONParser.parse(submission.bytes))
        } catch {
            return .unreadable(Problem("", "not valid JSON: \(error)"))
        }
    }

    /// Loads, in a few queries per chunk, what the chunk's events need from the ledger: ids that
    /// may be retries, the streams they append to, and the streams they refer to.
    mutating func prefetch(_ parsed: [Parsed]) throws {
        var ids: Set<UUID> = []
        var streamNames: Set<String> = []
        var references: Set<String> = []
        for case .json(let json) in parsed {
            if let id = json["id"]?.stringValue.flatMap(Identifier.uuid), knownContent[id] == nil { ids.insert(id) }
            guard let stream = json["stream"]?.stringValue.flatMap(StreamName.init) else { continue }
            if streams[stream.description] == nil { streamNames.insert(stream.description) }
            for reference in Self.references(json) where existing[reference] == nil {
                references.insert(reference)
            }
        }
        for event in try appender.store.events(withIDs: Array(ids), connection) {
            knownContent[event.id] = (event.contentKey, event.stream, event.version)
        }
        try loadStreams(Array(streamNames))
        let found = try appender.store.existingStreams(Array(references), connection)
        for reference in references { existing[reference] = found.contains(reference) }
    }

    /// The streams an event names in its data, before it is decoded.
    static func references(_ json: JSON) -> [String] {
        switch json["type"]?.stringValue {
        case EventType.institutionInspected.rawValue:
            return [json["data"]?["operation"]?.stringValue].compactMap { $0.map { "operation-\($0)" } }
        case EventType.bulletinPublished.rawValue:
            guard case .array(let items)? = json["data"]?["exposed"] else { return [] }
            return items.compactMap { $0.stringValue.map { "institution-\($0)" } }
        default:
            return []
        }
    }

    mutating func loadStreams(_ names: [String]) throws {
        for name in names {
            guard let streamName = StreamName(name) else { continue }
            streams[name] = StreamState(name: streamName)
        }
        for event in try appender.store.events(inStreams: names, connection) {
            guard let type = EventType(rawValue: event.type),
                  case .valid(let payload) = EventPayload.decode(type, event.data, configuration: appender.configuration) else {
                throw PostgresError(kind: .client, message: "stored event \(event.id) of \(event.stream) no longer decodes as \(event.type)")
            }
            streams[event.stream]?.record(id: event.id.uuidString.lowercased(), type: type, payload: payload)
        }
    }

    /// Checks one event; returns it ready to append, or nil when it is rejected or a retry.
    mutating func accept(_ submission: Submission, _ json: JSON) throws -> NewEvent? {
        let idText = json["id"]?.stringValue
        if let id = idText.flatMap(Identifier.uuid), let known = knownContent[id] {
            let content = RecordedEvent.contentKey(
                stream: json["stream"]?.stringValue ?? "", type: json["type"]?.stringValue ?? "",
                occurredOn: json["occurred_on"]?.stringValue ?? "", actor: json["actor"]?.stringValue ?? "",
                data: json["data"] ?? .null)
            if content == known.content {
                outcome.duplicates += 1
                return nil
            }
            reject(submission, id: idText, [Problem(
                "id", "is already recorded as \(known.stream) version \(known.version) with different content; a new event needs a new id")])
            return nil
        }

        let envelope: Envelope
        switch Envelope.decode(json, configuration: appender.configuration, today: appender.today) {
        case .invalid(let problems):
            reject(submission, id: idText, problems)
            return nil
        case .valid(let decoded):
            envelope = decoded
        }

        let key = envelope.stream.description
        let state = streams[key] ?? StreamState(name: envelope.stream)
        let problems = Rules.check(envelope, against: state) { name in
            existing[name.description] ?? false
        }
        guard problems.isEmpty else {
            reject(submission, id: idText, problems)
            return nil
        }

        let id = envelope.id.uuidString.lowercased()
        let version = state.version + 1
        streams[key, default: state].record(id: id, type: envelope.type, payload: envelope.payload)
        existing[key] = true
        let content = RecordedEvent.contentKey(
            stream: key, type: envelope.type.rawValue, occurredOn: envelope.occurredOn.description,
            actor: envelope.actor, data: envelope.data)
        knownContent[envelope.id] = (content, key, version)
        return NewEvent(
            id: envelope.id, stream: key, version: version, type: envelope.type.rawValue,
            occurredOn: envelope.occurredOn, actor: envelope.actor, data: envelope.data)
    }

    mutating func reject(_ submission: Submission, id: String?, _ problems: [Problem]) {
        rejectedCount += 1
        guard rejections.count < Appender.maximumRejections else { return }
        let shownID = id.map { $0.count > 40 ? String($0.prefix(40)) + "…" : $0 }
        rejections.append(Rejection(line: submission.line, id: shownID, problems: problems))
    }
}
