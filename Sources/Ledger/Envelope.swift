import EventStore
import Foundation

/// Event ids: UUIDs in their 36-character form, compared in lower case.
enum Identifier {
    static func uuid(_ text: String) -> UUID? {
        guard text.utf8.count == 36 else { return nil }
        return UUID(text: text)
    }
}

/// One event as a client submits it (SPEC §2 envelope), fully decoded and checked on its own.
/// What depends on the ledger's state is checked later, by ``Rules``.
public struct Envelope: Sendable, Equatable {
    public var id: UUID
    public var stream: StreamName
    public var type: EventType
    public var occurredOn: CalendarDate
    public var actor: String
    /// The number of events the stream must hold before this one, when the client asks.
    public var expectedVersion: Int?
    /// `data` as given (what is stored and hashed).
    public var data: JSON
    /// `data` decoded for `type`.
    public var payload: EventPayload

    static let envelopeFields: Set<String> = ["id", "stream", "type", "occurred_on", "actor", "expected_version", "data"]
    /// The earliest business date the ledger accepts.
    public static let earliestDate = CalendarDate(year: 2000, month: 1, day: 1)!

    /// Decodes and checks an envelope: every problem found, with its field, or the event.
    public static func decode(
        _ json: JSON, configuration: LedgerConfiguration, today: CalendarDate
    ) -> Checked<Envelope> {
        var reader = FieldReader(json, path: "")
        guard reader.problems.isEmpty else { return .invalid([Problem("", .notAnObject(found: json.typeName))]) }

        var id: UUID?
        if let text = reader.string("id") {
            id = Identifier.uuid(text)
            if id == nil { reader.problem("id", .notUUID(found: FieldReader.shown(.string(text)))) }
        }

        var stream: StreamName?
        if let text = reader.string("stream", maximumLength: 200) {
            stream = StreamName(text)
            if stream == nil {
                reader.problem("stream", .notStreamName(FieldReader.shown(.string(text))))
            }
        }

        var type: EventType?
        if let text = reader.string("type", maximumLength: 200) {
            type = EventType(rawValue: text)
            if type == nil {
                reader.problem("type", .unknownType(FieldReader.shown(.string(text))))
            } else if let type, let stream, !type.isAllowed(in: stream.category) {
                reader.problem("type", .typeNotInCategory(type.rawValue, category: stream.category.rawValue))
            }
        }

        let occurredOn = reader.date("occurred_on")
        if let occurredOn {
            if occurredOn > today {
                reader.problem("occurred_on", .afterToday(occurredOn, today: today))
            } else if occurredOn < earliestDate {
                reader.problem("occurred_on", .beforeEarliest(occurredOn, earliest: earliestDate))
            }
        }

        let actor = reader.string("actor", maximumLength: 64)
        let expected = reader.integer("expected_version", in: 0...Int64(Int32.max), required: false)

        var payload: EventPayload?
        let data = json["data"] ?? .null
        if data == .null {
            _ = reader.string("data")  // reports "is required"
        } else if let type {
            switch EventPayload.decode(type, data, configuration: configuration) {
            case .valid(let decoded):
                payload = decoded
                if let stream { reader.adopt(decoded.problems(in: stream)) }
            case .invalid(let problems): reader.adopt(problems)
            }
        } else if case .object = data {
            // Without a known type there is nothing to check the data against.
        } else {
            reader.problem("data", .mustBeObject(found: data.typeName))
        }
        reader.known("data")
        reader.finish()

        guard reader.problems.isEmpty, let id, let stream, let type, let occurredOn, let actor, let payload else {
            return .invalid(reader.problems.isEmpty ? [Problem("", .invalidEvent)] : reader.problems)
        }
        return .valid(Envelope(
            id: id, stream: stream, type: type, occurredOn: occurredOn, actor: actor,
            expectedVersion: expected.map { Int($0) }, data: data, payload: payload))
    }
}
