import Crypto
import Foundation
import Postgres

/// Recomputes hash chains on the client from rows read in the table's own order (what
/// ``EventStore/verify(stream:limit:_:)`` reads a chunk at a time, without sorting): each event's
/// hash must be SHA-256 of its stream's previous stored hash and its canonical bytes, its version
/// must follow the previous one, and its position must come after it — "previous" in version
/// order, as the database's own check reads it. Rows arrive in the order they were written, so a
/// stream's next version nearly always follows the one before it; one that comes early (a row
/// moved, a version deleted) waits until its predecessor comes, or the end. The canonical bytes
/// are the text of `ledger.canonical_bytes` (db/functions), the jsonb array of the event's
/// fields, built here from the columns the database sends (the data as jsonb text, the instant
/// as microseconds).
struct ChainVerifier {
    private(set) var events = 0
    /// The breaks at the smallest positions (at most `kept`, once trimmed).
    private(set) var breaks: [ChainBreak] = []
    let kept: Int
    /// Each stream's last event checked in version order.
    private var last: [String: Link] = [:]
    /// Events that came before their predecessor, by stream and version.
    private var early: [String: [Int: Event]] = [:]

    struct Link {
        var version: Int
        var position: Int64
        var hash: [UInt8]
    }

    struct Event {
        var position: Int64
        var id: String
        var version: Int
        var canonical: [UInt8]
        var stored: [UInt8]
    }

    init(kept: Int) {
        self.kept = kept
    }

    /// The streams checked (every one once ``finish()`` has run).
    var streams: Int { last.count }

    /// Checks rows of (position, id, stream, version, type, day, microseconds, actor, data, hash
    /// in hex).
    mutating func check(_ rows: Rows) {
        for row in rows {
            let position = Int64(row[0] ?? "") ?? 0, id = row[1] ?? "", name = row[2] ?? "", version = Int(row[3] ?? "") ?? 0
            events += 1
            var canonical: [UInt8] = []
            canonical.reserveCapacity(256 + (row[8]?.utf8.count ?? 0))
            canonical.append(UInt8(ascii: "["))
            canonical += String(position).utf8
            // id, stream, version, type, day, microseconds, actor, data: strings quoted, the rest as they come.
            for (index, isString) in Self.fields {
                canonical += Self.separator
                if isString { Self.appendQuoted(row[index], to: &canonical) } else { canonical += (row[index] ?? "null").utf8 }
            }
            canonical.append(UInt8(ascii: "]"))
            let event = Event(position: position, id: id, version: version, canonical: canonical, stored: Self.bytes(hex: row[9] ?? ""))
            let index = last.index(forKey: name)
            guard version == (index.map { last.values[$0].version } ?? 0) + 1 else {
                early[name, default: [:]][version] = event
                continue
            }
            link(event, in: name, at: index)
            // The events that waited for this one.
            guard !early.isEmpty, early[name] != nil else { continue }
            while let next = early[name]?.removeValue(forKey: (last[name]?.version ?? 0) + 1) { link(next, in: name) }
            if early[name]?.isEmpty == true { early[name] = nil }
        }
    }

    private static let separator: [UInt8] = Array(", ".utf8)
    private static let fields = [(1, true), (2, true), (3, false), (4, true), (5, true), (6, false), (7, true), (8, false)]

    /// Checks what still waits, in version order after each stream's last checked event (a
    /// version is missing before each of them).
    mutating func finish() {
        for (name, waiting) in early {
            for version in waiting.keys.sorted() { link(waiting[version]!, in: name) }
        }
        early = [:]
    }

    /// Checks `event` against the event before it in its stream's version order (kept at
    /// `index` of `last` when known).
    private mutating func link(_ event: Event, in stream: String, at index: Dictionary<String, Link>.Index? = nil) {
        let index = index ?? last.index(forKey: stream)
        let previous = index.map { last.values[$0] }
        var hasher = SHA256()
        if let previous { hasher.update(data: previous.hash) }
        hasher.update(data: event.canonical)
        let hashHolds = hasher.finalize().elementsEqual(event.stored)
        if !hashHolds || event.version != (previous?.version ?? 0) + 1 || event.position <= (previous?.position ?? 0) {
            breaks.append(ChainBreak(
                position: event.position, stream: stream, version: event.version, id: UUID(uuidString: event.id) ?? UUID(),
                reason: ChainBreak.reason(version: event.version, previousVersion: previous?.version, hashHolds: hashHolds)))
            if breaks.count >= 2 * max(kept, 1) {
                breaks.sort { $0.position < $1.position }
                breaks.removeLast(breaks.count - kept)
            }
        }
        let link = Link(version: event.version, position: event.position, hash: event.stored)
        if let index { last.values[index] = link } else { last[stream] = link }
    }

    /// Appends `text` as PostgreSQL writes a string in jsonb (`escape_json`); `null` for SQL NULL.
    static func appendQuoted(_ text: String?, to out: inout [UInt8]) {
        guard var text else {
            out += "null".utf8
            return
        }
        out.append(UInt8(ascii: "\""))
        let plain = text.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if !plain {
            let bytes = text.utf8
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""): out += "\\\"".utf8
                case UInt8(ascii: "\\"): out += "\\\\".utf8
                case 0x08: out += "\\b".utf8
                case 0x0C: out += "\\f".utf8
                case 0x0A: out += "\\n".utf8
                case 0x0D: out += "\\r".utf8
                case 0x09: out += "\\t".utf8
                case _ where byte < 0x20:
                    out += "\\u00".utf8
                    out.append(digits[Int(byte >> 4)])
                    out.append(digits[Int(byte & 0x0F)])
                default: out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static let digits = Array("0123456789abcdef".utf8)

    static func bytes(hex: String) -> [UInt8] {
        func value(_ c: UInt8) -> UInt8 { c >= 97 ? c - 87 : c >= 65 ? c - 55 : c - 48 }
        var hex = hex
        return hex.withUTF8 { text in
            [UInt8](unsafeUninitializedCapacity: text.count / 2) { buffer, count in
                for i in 0..<text.count / 2 { buffer[i] = value(text[2 * i]) << 4 | value(text[2 * i + 1]) }
                count = text.count / 2
            }
        }
    }
}

extension ChainBreak {
    /// Why a row breaks its chain: a version skipped, else (its hash holding) a position out of
    /// order, else content changed.
    static func reason(version: Int, previousVersion: Int?, hashHolds: Bool) -> String {
        if version != (previousVersion ?? 0) + 1 {
            return "the chain skips from version \(previousVersion ?? 0) to \(version): an event was deleted"
        }
        if hashHolds { return "the event sits at a position before the one it follows: rows were reordered" }
        return "the stored content no longer matches its hash: the row was changed after it was recorded"
    }
}
