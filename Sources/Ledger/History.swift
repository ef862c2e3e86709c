import EventStore
import Postgres

/// One event of a stream's history, with whether a later event voided it.
public struct HistoryEntry: Sendable {
    public var event: RecordedEvent
    /// The id of the `EntryVoided` event that targets this one, if any.
    public var voidedBy: String?
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
        return events.map { HistoryEntry(event: $0, voidedBy: voidedBy[$0.id.lowercasedText]) }
    }
}
