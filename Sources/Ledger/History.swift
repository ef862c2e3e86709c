import EventStore
import Postgres

/// One event of a stream's history, with whether a later event voided it.
public struct HistoryEntry: Sendable {
    public var event: RecordedEvent
    /// The id of the `EntryVoided` event that targets this one, if any.
    public var voidedBy: String?
    /// For a complaint's receipt with a reporter: `encrypted`, or `erased` once its key is
    /// destroyed (SPEC §12). The reporter is never shown here; its ciphertext stays in `data`,
    /// which the hash covers.
    public var reporter: String?
}

/// The audit view of one stream: every event in version order, voided ones marked, not hidden.
public enum History {
    public static func of(_ stream: StreamName, _ connection: Connection) throws -> [HistoryEntry] {
        let events = try EventStore().events(inStreams: [stream.description], connection)
        var voidedBy: [String: String] = [:]
        for event in events where event.type == EventType.entryVoided.rawValue {
            if let target = event.data["event_id"]?.stringValue?.lowercased() {
                voidedBy[target] = event.id.lowercasedText
            }
        }
        let erased = events.contains { $0.type == EventType.personalDataErased.rawValue }
        return events.map { event in
            var reporter: String?
            if event.type == EventType.complaintReceived.rawValue, event.data["reporter"] != nil {
                reporter = erased ? "erased" : "encrypted"
            }
            return HistoryEntry(event: event, voidedBy: voidedBy[event.id.lowercasedText], reporter: reporter)
        }
    }
}

extension HistoryEntry {
    /// The entry as `ledger history --format json` and the API show it.
    public var json: JSON {
        .object([
            "position": .integer(event.position),
            "version": .integer(Int64(event.version)),
            "id": .string(event.id.lowercasedText),
            "type": .string(event.type),
            "occurred_on": .string(event.occurredOn.description),
            "recorded_at": .string(event.recordedAt),
            "actor": .string(event.actor),
            "data": event.data,
            "hash": .string(event.hash),
            "voided": .bool(voidedBy != nil),
            "voided_by": voidedBy.map(JSON.string) ?? .null,
        ].merging(reporter.map { ["reporter": .string($0)] } ?? [:]) { $1 })
    }

    public var isVoided: Bool { voidedBy != nil }
}
