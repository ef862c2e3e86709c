import EventStore
import Foundation
import Ledger
import Postgres
import Statistics

/// Produces council replies, records each in the ledger (a `ReplyIssued` event in a `reply-…`
/// stream), lists them, and explains what changed between two.
public struct ReplyService: Sendable {
    public var statistics: StatisticsService
    public var configuration: LedgerConfiguration
    let store = EventStore()

    public init(configuration: LedgerConfiguration) {
        self.configuration = configuration
        statistics = StatisticsService(configuration: configuration)
    }

    /// The reply for `request`, now or as the ledger stood at `position`; for a proposal, headed
    /// by it and for its district (SPEC §10).
    public func produce(
        _ request: StatisticsRequest, atPosition position: Int64? = nil, proposal: String? = nil, _ connection: Connection
    ) throws -> Reply {
        var request = request
        var heading: Reply.Proposal?
        if let proposal {
            let received = try self.proposal(proposal, atPosition: position, connection)
            if let district = request.district, district != received.district {
                throw StatisticsRequest.Invalid(
                    parameter: "district", reason: .proposalDistrict(district, proposal: proposal, its: received.district),
                    isMalformed: false)
            }
            request.district = received.district
            heading = Reply.Proposal(key: proposal, session: received.session, number: received.number, title: received.title)
        }
        let figures = try statistics.statistics(request, atPosition: position, connection)
        let digest = try store.digest(atPosition: figures.position, connection)
        return Reply(statistics: figures, digest: digest.digest, proposal: heading)
    }

    /// What `proposal-<key>` received, as the ledger stood at `position`.
    func proposal(_ key: String, atPosition position: Int64?, _ connection: Connection) throws -> EventPayload.ProposalReceived {
        let stream = "proposal-\(key)"
        let events = try store.events(inStreams: [stream], connection)
            .filter { $0.type == EventType.proposalReceived.rawValue && $0.position <= (position ?? Int64.max) }
        guard let first = events.first,
              case .valid(.proposalReceived(let received)) = EventPayload.decode(.proposalReceived, first.data, configuration: configuration) else {
            throw StatisticsService.Unavailable(description: "no proposal \(key) is recorded (\(stream))", isMissing: true)
        }
        return received
    }

    /// A reply as the ledger recorded it.
    public struct Record: Sendable, Equatable {
        /// The key of its stream (`reply-<key>`), what `--diff` takes.
        public var key: String
        public var recordedAtPosition: Int64
        public var recordedAt: String
        public var actor: String
        public var issued: EventPayload.ReplyIssued
    }

    /// Records that `reply` was produced (in `format`, by `actor`). Producing the same reply again
    /// on the same day by the same person is the same record: the append is an idempotent retry.
    @discardableResult
    public func record(_ reply: Reply, format: Reply.Format, actor: String, today: CalendarDate? = nil, _ connection: Connection) throws -> Record {
        let textHash = try sha256(reply.text, connection)
        let day = today ?? configuration.today
        let request = reply.statistics.request
        let identity = try sha256([textHash, actor, day.description, format.rawValue].joined(separator: "|"), connection)
        let chars = Array(identity)
        let id = [String(chars[0..<8]), String(chars[8..<12]), "5" + String(chars[13..<16]), "8" + String(chars[17..<20]), String(chars[20..<32])]
            .joined(separator: "-")
        let key = "R\(reply.statistics.position)-\(identity.prefix(16))"
        var data: [String: JSON] = [
            "from": .string(request.from.description), "to": .string(request.to.description),
            "baseline": .string(request.baseline.description), "position": .integer(reply.statistics.position),
            "digest": .string(reply.digest), "text_sha256": .string(textHash), "format": .string(format.rawValue),
        ]
        if let district = request.district { data["district"] = .string(district) }
        if let proposal = reply.proposal { data["proposal"] = .string(proposal.key) }
        let line = JSON.object([
            "id": .string(id), "stream": .string("reply-\(key)"), "type": .string(EventType.replyIssued.rawValue),
            "occurred_on": .string(day.description), "actor": .string(actor), "data": .object(data),
        ]).canonicalText
        _ = try Appender(configuration: configuration, today: day).append(json: line, on: connection)
        guard let record = try records(inStreams: ["reply-\(key)"], connection).first else {
            throw LedgerError("the reply record \(key) was not found after it was appended")
        }
        return record
    }

    /// Produces the reply `answer` plans for its proposal, records it, and records it sent (with
    /// the proposer's feedback) in one call. Nil when the answer was already recorded.
    /// - Throws: ``Appender/Rejected`` when the proposal refuses the answer (sent already, a day
    ///   before it was received), or what producing the reply throws.
    public func answer(_ answer: ProposalAnswer, _ connection: Connection) throws -> Record? {
        let recorded = try connection.execute("SELECT 1 FROM ledger.events WHERE id = \(answer.sentID.lowercasedText)::uuid")
        guard recorded.isEmpty else { return nil }
        let reply = try produce(StatisticsRequest(from: answer.from, to: answer.to), proposal: answer.proposal, connection)
        let record = try self.record(reply, format: .text, actor: answer.actor, today: answer.sentOn, connection)
        _ = try Appender(configuration: configuration).append(answer.events(reply: record.key).map { Submission(text: $0) }, on: connection)
        return record
    }

    func sha256(_ text: String, _ connection: Connection) throws -> String {
        try connection.execute("SELECT encode(sha256(convert_to(\(text), 'UTF8')), 'hex') AS h")[0].decode("h")
    }

    /// Every reply recorded, oldest first.
    public func list(_ connection: Connection) throws -> [Record] {
        let streams = try connection.execute("""
            SELECT DISTINCT stream FROM ledger.events WHERE type = \(type: .replyIssued)
            """).compactMap { $0["stream"] }
        return try records(inStreams: streams, connection)
    }

    /// The replies recorded in `streams`, oldest first.
    func records(inStreams streams: [String], _ connection: Connection) throws -> [Record] {
        try store.events(inStreams: streams, connection)
            .filter { $0.type == EventType.replyIssued.rawValue }
            .sorted { $0.position < $1.position }
            .compactMap { event in
                guard case .valid(.replyIssued(let issued)) = EventPayload.decode(.replyIssued, event.data, configuration: configuration) else {
                    return nil
                }
                return Record(
                    key: String(event.stream.dropFirst("reply-".count)), recordedAtPosition: event.position,
                    recordedAt: event.recordedAt, actor: event.actor, issued: issued)
            }
    }

    /// One figure that differs between two replies, and the events between them that bear on it.
    public struct Change: Sendable, Equatable {
        public var figure: String
        public var before: String
        public var after: String
        /// `position stream type occurred_on` of events appended between the two replies that feed this figure.
        public var events: [String]
    }

    /// What changed from reply `a` to reply `b`: each figure, and the events that changed it.
    public func diff(_ a: String, _ b: String, _ connection: Connection) throws -> (Record, Record, [Change]) {
        let records = try list(connection)
        guard let first = records.first(where: { $0.key == a }) else { throw StatisticsService.Unavailable(description: "no reply \(a) is recorded (see ledger replies)", isMissing: true) }
        guard let second = records.first(where: { $0.key == b }) else { throw StatisticsService.Unavailable(description: "no reply \(b) is recorded (see ledger replies)", isMissing: true) }
        func figures(_ record: Record) throws -> [Provenance.Figure] {
            let request = StatisticsRequest(from: record.issued.from, to: record.issued.to, district: record.issued.district, baseline: record.issued.baseline)
            return try produce(request, atPosition: record.issued.position, connection).figures
        }
        let before = try figures(first), after = try figures(second)
        // Pair figures by key: a city reply has a per-district line a district reply lacks.
        let afterByKey = Dictionary(uniqueKeysWithValues: after.map { ($0.key, $0) })
        let beforeKeys = Set(before.map(\.key))
        let pairs = before.map { ($0, $0.value, afterByKey[$0.key]?.value ?? "—") }
            + after.filter { !beforeKeys.contains($0.key) }.map { ($0, "—", $0.value) }
        var changes: [Change] = []
        for (figure, old, new) in pairs where old != new {
            let label = figure.label
            let types = figure.types.map(\.rawValue)
            let low = min(first.issued.position, second.issued.position), high = max(first.issued.position, second.issued.position)
            let rows = try connection.execute("""
                SELECT e.position, e.stream, e.type, e.occurred_on::text AS occurred_on, t.type AS voided_type
                  FROM ledger.events e
                  LEFT JOIN ledger.events t ON e.type = \(type: .entryVoided) AND t.stream = e.stream AND t.id::text = e.data ->> 'event_id'
                 WHERE e.position > \(low) AND e.position <= \(high)
                   AND (e.type = ANY(\(TextArray(types))::text[]) OR t.type = ANY(\(TextArray(types))::text[]))
                 ORDER BY e.position LIMIT 50
                """)
            let events = rows.map { row in
                let voided = row["voided_type"].map { " (voids a \($0))" } ?? ""
                return "\(row["position"] ?? "") \(row["stream"] ?? "") \(row["type"] ?? "")\(voided) \(row["occurred_on"] ?? "")"
            }
            changes.append(Change(figure: label, before: old, after: new, events: events))
        }
        return (first, second, changes)
    }
}
