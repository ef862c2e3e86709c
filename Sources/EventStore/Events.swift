import Foundation
import Postgres

/// An event that passed validation and is ready to be appended at `version` of its stream.
public struct NewEvent: Sendable, Equatable {
    public var id: UUID
    public var stream: String
    public var version: Int
    public var type: String
    public var occurredOn: CalendarDate
    public var actor: String
    public var data: JSON

    public init(id: UUID, stream: String, version: Int, type: String, occurredOn: CalendarDate, actor: String, data: JSON) {
        self.id = id
        self.stream = stream
        self.version = version
        self.type = type
        self.occurredOn = occurredOn
        self.actor = actor
        self.data = data
    }

    /// What an idempotent retry must repeat exactly (see ``RecordedEvent/contentKey``).
    public var contentKey: String {
        RecordedEvent.contentKey(stream: stream, type: type, occurredOn: occurredOn.description, actor: actor, data: data)
    }

    /// Writes the events as the append function takes them: a JSON array of objects with
    /// `id, stream, version, type, occurred_on, actor, data`. Written directly, without building
    /// a ``JSON`` value per event.
    static func batchText(_ events: [NewEvent]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(events.count * 512)
        out.append(UInt8(ascii: "["))
        for (index, event) in events.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: "{\"id\":\"".utf8)
            out.append(contentsOf: event.id.lowercasedText.utf8)
            out.append(contentsOf: "\",\"stream\":".utf8)
            JSON.writeString(event.stream, into: &out)
            out.append(contentsOf: ",\"version\":".utf8)
            out.append(contentsOf: String(event.version).utf8)
            out.append(contentsOf: ",\"type\":".utf8)
            JSON.writeString(event.type, into: &out)
            out.append(contentsOf: ",\"occurred_on\":\"".utf8)
            out.append(contentsOf: event.occurredOn.description.utf8)
            out.append(contentsOf: "\",\"actor\":".utf8)
            JSON.writeString(event.actor, into: &out)
            out.append(contentsOf: ",\"data\":".utf8)
            JSON.write(event.data, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }
}

/// An event as the ledger holds it.
public struct RecordedEvent: Sendable, Equatable {
    /// Global, strictly increasing in commit-visible order.
    public var position: Int64
    public var stream: String
    /// 1, 2, … within the stream.
    public var version: Int
    public var id: UUID
    public var type: String
    public var occurredOn: CalendarDate
    /// When the ledger recorded it, ISO 8601 in UTC with microseconds.
    public var recordedAt: String
    public var actor: String
    public var data: JSON
    /// SHA-256 of (previous hash of the stream ‖ canonical bytes), hex.
    public var hash: String

    /// What an idempotent retry must repeat exactly: everything the client chose except the id.
    public var contentKey: String {
        Self.contentKey(stream: stream, type: type, occurredOn: occurredOn.description, actor: actor, data: data)
    }

    public static func contentKey(stream: String, type: String, occurredOn: String, actor: String, data: JSON) -> String {
        JSON.array([.string(stream), .string(type), .string(occurredOn), .string(actor), data]).canonicalText
    }
}

/// Where an appended event landed.
public struct AppendedEvent: Sendable, Equatable {
    public var id: UUID
    public var stream: String
    public var version: Int
    public var position: Int64
}

/// A place where a stream's stored content no longer matches its hash chain.
public struct ChainBreak: Sendable, Equatable, CustomStringConvertible {
    public var position: Int64
    public var stream: String
    public var version: Int
    public var id: UUID
    public var reason: String

    public var description: String {
        "position \(position), \(stream) version \(version) (id \(id.lowercasedText)): \(reason)"
    }
}

/// The result of recomputing hash chains.
public struct VerifyReport: Sendable {
    public var eventsChecked: Int
    public var streamsChecked: Int
    /// In position order; empty when every chain holds.
    public var breaks: [ChainBreak]
}

/// A digest over every stream's chain head at a position, to be kept outside the system.
public struct LedgerDigest: Sendable, Equatable {
    public var position: Int64
    public var streams: Int
    public var events: Int
    /// SHA-256, hex, over (stream, head version, head hash) of every stream, streams in byte order.
    public var digest: String
}

extension LedgerDigest {
    /// Reads a digest as `ledger digest` printed it, in text (`position P  streams S  events E
    /// digest D`) or JSON; nil when the text is neither.
    public init?(printed text: String) {
        if let json = try? JSONParser.parse(text), case .integer(let position)? = json["position"],
           case .integer(let streams)? = json["streams"], case .integer(let events)? = json["events"],
           let digest = json["digest"]?.stringValue {
            self.init(position: position, streams: Int(streams), events: Int(events), digest: digest)
            return
        }
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        func value(after key: String) -> String? {
            guard let index = words.firstIndex(of: key), index + 1 < words.count else { return nil }
            return words[index + 1]
        }
        guard let position = value(after: "position").flatMap({ Int64($0) }), let streams = value(after: "streams").flatMap({ Int($0) }),
              let events = value(after: "events").flatMap({ Int($0) }), let digest = value(after: "digest"),
              digest.count == 64, digest.allSatisfy(\.isHexDigit) else { return nil }
        self.init(position: position, streams: streams, events: events, digest: digest)
    }

    /// The digest as `ledger digest --format json` and the API show it.
    public var json: JSON {
        .object([
            "position": .integer(position), "streams": .integer(Int64(streams)),
            "events": .integer(Int64(events)), "digest": .string(digest),
        ])
    }
}

extension VerifyReport {
    /// The report as the API shows it: `ok`, what was checked, and each break.
    public var json: JSON {
        .object([
            "ok": .bool(breaks.isEmpty),
            "events_checked": .integer(Int64(eventsChecked)),
            "streams_checked": .integer(Int64(streamsChecked)),
            "breaks": .array(breaks.map { broken in
                .object([
                    "position": .integer(broken.position), "stream": .string(broken.stream),
                    "version": .integer(Int64(broken.version)), "id": .string(broken.id.lowercasedText),
                    "reason": .string(broken.reason),
                ])
            }),
        ])
    }
}
