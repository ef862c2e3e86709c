import EventStore
import Foundation
import Postgres

/// Reading and erasing a complaint's reporter (SPEC §12): a reading is recorded before the
/// reporter is decrypted; an erasure is a `PersonalDataErased` that destroys the key.
public enum ReporterAccess {
    /// Why a reading or an erasure did not happen, for a person to act on.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public enum Kind: Sendable { case notFound, invalid, unavailable }
        public var kind: Kind
        public var description: String
    }

    /// Reads the reporter of `complaint-<key>` for `actor`, who gives `reason`: records
    /// `ReporterViewed` first (when there is a reporter to read), then decrypts it.
    public static func read(
        complaint key: String, actor: String, reason: String, appender: Appender, _ connection: Connection
    ) throws -> ReporterVault.Reading {
        let (received, events) = try receipt(key, connection)
        guard case .object(let data) = received.data, data["reporter"] != nil else { return .none }
        if events.contains(where: { $0.type == EventType.personalDataErased.rawValue }) {
            // Erased: a key a restored backup brought back is destroyed again, list or not.
            try connection.execute("DELETE FROM vault.reporter_keys WHERE stream = \(received.stream)")
            try appender.vault.reapplyErasures(connection)
            return .erased
        }
        let line = Self.line(.reporterViewed, in: received.stream, actor: actor, reason: reason, on: appender.today)
        var recorder = appender
        recorder.writesForLedger = true
        do {
            _ = try recorder.append(json: line, on: connection)
        } catch let rejected as Appender.Rejected {
            throw Failure(kind: .invalid, description: rejected.description)
        }
        return try appender.vault.open(received, connection)
    }

    /// Erases the reporter of `complaint-<key>`: appends `PersonalDataErased` with `reason`, which
    /// destroys the key (``Appender``). A second erasure is refused.
    public static func forget(
        complaint key: String, actor: String, reason: String, appender: Appender, _ connection: Connection
    ) throws -> Appender.Outcome {
        let received = try receipt(key, connection).received
        let line = Self.line(.personalDataErased, in: received.stream, actor: actor, reason: reason, on: appender.today)
        do {
            return try appender.append(json: line, on: connection)
        } catch let rejected as Appender.Rejected {
            throw Failure(kind: rejected.isUnavailable ? .unavailable : .invalid, description: rejected.description)
        }
    }

    /// After a backup is restored: destroys again the keys of every complaint on the erasure list
    /// (``ReporterVault/reapplyErasures(_:)``), and records a `PersonalDataErased` for each whose
    /// erasure the restored ledger does not hold. Returns how many of each.
    public static func reapplyErasures(actor: String, appender: Appender, _ connection: Connection) throws -> (keys: Int, recorded: Int) {
        let destroyed = try appender.vault.reapplyErasures(connection)
        var recorded = 0
        for stream in try appender.vault.erasedStreams(connection).sorted() {
            guard let name = StreamName(stream), name.category == .complaint else { continue }
            let events = try EventStore().events(inStreams: [stream], connection)
            guard let received = events.first(where: { $0.type == EventType.complaintReceived.rawValue }), received.data["reporter"] != nil,
                  !events.contains(where: { $0.type == EventType.personalDataErased.rawValue }) else { continue }
            _ = try forget(complaint: name.key, actor: actor, reason: "re-applied from the erasure list after a restore", appender: appender, connection)
            recorded += 1
        }
        return (destroyed.count, recorded)
    }

    /// A line of `type` for `stream` (a new id, `day`), whose data is its `reason`.
    static func line(_ type: EventType, in stream: String, actor: String, reason: String, on day: CalendarDate) -> String {
        JSON.object([
            "id": .string(UUID().lowercasedText), "stream": .string(stream), "type": .string(type.rawValue),
            "occurred_on": .string(day.description), "actor": .string(actor), "data": .object(["reason": .string(reason)]),
        ]).canonicalText
    }

    /// The complaint's `ComplaintReceived`, and all its events.
    static func receipt(_ key: String, _ connection: Connection) throws -> (received: RecordedEvent, events: [RecordedEvent]) {
        guard let name = StreamName(category: .complaint, key: key) else {
            throw Failure(kind: .invalid, description: "'\(key.prefix(40))' is not a complaint key ([A-Za-z0-9][A-Za-z0-9._-]{0,63})")
        }
        let events = try EventStore().events(inStreams: [name.description], connection)
        guard let received = events.first(where: { $0.type == EventType.complaintReceived.rawValue }) else {
            throw Failure(kind: .notFound, description: "\(name) is not in the ledger")
        }
        return (received, events)
    }
}
