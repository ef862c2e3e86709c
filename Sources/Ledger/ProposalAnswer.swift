import EventStore
import Foundation

/// A council proposal's answer to produce and record (SPEC §10): the reply for a period, headed by
/// the proposal, recorded as sent on a day with its classification, and the proposer's feedback.
///
/// A reply is a record the ledger's own reply service writes from the figures at a position, so a
/// generated history cannot hold one: `ledger generate` plans its proposals' answers as these
/// lines, and `ledger answer` (and the benchmark) record them through the reply service. The
/// events' ids are part of the answer, so recording it again is an idempotent retry.
public struct ProposalAnswer: Sendable, Equatable {
    public struct Feedback: Sendable, Equatable {
        public var satisfaction: Satisfaction
        public var on: CalendarDate
        public var id: UUID

        public init(satisfaction: Satisfaction, on: CalendarDate, id: UUID) {
            self.satisfaction = satisfaction
            self.on = on
            self.id = id
        }
    }

    /// The proposal's key (`proposal-<key>`).
    public var proposal: String
    /// The period the reply's figures cover.
    public var from: CalendarDate
    public var to: CalendarDate
    public var sentOn: CalendarDate
    public var classification: ReplyClassification
    public var actor: String
    /// The id of the `ReplySent`.
    public var sentID: UUID
    public var feedback: Feedback?

    public init(
        proposal: String, from: CalendarDate, to: CalendarDate, sentOn: CalendarDate, classification: ReplyClassification,
        actor: String, sentID: UUID, feedback: Feedback? = nil
    ) {
        self.proposal = proposal
        self.from = from
        self.to = to
        self.sentOn = sentOn
        self.classification = classification
        self.actor = actor
        self.sentID = sentID
        self.feedback = feedback
    }

    /// The answer as one JSON line.
    public var line: String {
        var members: [String: JSON] = [
            "proposal": .string(proposal), "from": .string(from.description), "to": .string(to.description),
            "sent_on": .string(sentOn.description), "classification": .string(classification.rawValue),
            "actor": .string(actor), "sent_id": .string(sentID.lowercasedText),
        ]
        if let feedback {
            members["feedback"] = .object([
                "satisfaction": .string(feedback.satisfaction.rawValue), "on": .string(feedback.on.description),
                "id": .string(feedback.id.lowercasedText),
            ])
        }
        return JSON.object(members).canonicalText
    }

    /// The answer a line holds.
    /// - Throws: ``LedgerError`` naming the field that does not read.
    public init(line: String) throws {
        let json = try JSONParser.parse(Array(line.utf8))
        func field<T>(_ value: JSON?, _ name: String, _ read: (String) -> T?) throws -> T {
            guard let text = value?.stringValue, let read = read(text) else { throw LedgerError("\(name) is missing or does not read") }
            return read
        }
        proposal = try field(json["proposal"], "proposal") { StreamName.isValidKey($0) ? $0 : nil }
        from = try field(json["from"], "from", CalendarDate.init)
        to = try field(json["to"], "to", CalendarDate.init)
        sentOn = try field(json["sent_on"], "sent_on", CalendarDate.init)
        classification = try field(json["classification"], "classification", ReplyClassification.init(rawValue:))
        actor = try field(json["actor"], "actor") { $0.isEmpty ? nil : $0 }
        sentID = try field(json["sent_id"], "sent_id", UUID.init(text:))
        if let feedback = json["feedback"] {
            self.feedback = Feedback(
                satisfaction: try field(feedback["satisfaction"], "feedback.satisfaction", Satisfaction.init(rawValue:)),
                on: try field(feedback["on"], "feedback.on", CalendarDate.init),
                id: try field(feedback["id"], "feedback.id", UUID.init(text:)))
        }
    }

    /// The events that record the answer sent, once the reply `reply` (its key) was produced.
    public func events(reply: String) -> [String] {
        func event(_ id: UUID, _ type: EventType, _ day: CalendarDate, _ data: [String: JSON]) -> String {
            JSON.object([
                "id": .string(id.lowercasedText), "stream": .string("proposal-\(proposal)"), "type": .string(type.rawValue),
                "occurred_on": .string(day.description), "actor": .string(actor), "data": .object(data),
            ]).canonicalText
        }
        var events = [event(sentID, .replySent, sentOn, ["reply": .string(reply), "classification": .string(classification.rawValue)])]
        if let feedback {
            events.append(event(feedback.id, .proposerFeedback, feedback.on, ["satisfaction": .string(feedback.satisfaction.rawValue)]))
        }
        return events
    }
}
