import EventStore
import Foundation
import HistoryGenerator

/// Hostile variants of good event lines, for fuzzing: bytes flipped, cut, repeated or spliced
/// with dangerous text; fields removed, added, retyped, stretched past their limits; ids,
/// dates, streams and types swapped for wrong ones. Deterministic from its seed.
public struct Mutator {
    var random: SplitMix64
    let lines: [String]

    public init(seed: UInt64, lines: [String]) {
        random = SplitMix64(seed: seed)
        self.lines = lines
    }

    /// A mutated line: one to three mutations of a random good line.
    public mutating func next() -> String {
        var text = random.pick(lines)
        for _ in 0..<random.int(1...3) {
            text = random.chance(0.35) ? mutateText(text) : mutateJSON(text)
        }
        return text
    }

    static let junk = [
        "\"", "\\", "\\u0000", "\\ud800", "\\udc00x", "{", "[", "}", "]", ",", ":", "null", "1e999", "-0", "NaN",
        "99999999999999999999", "\u{0}", "\u{FFFF}", "\u{1F600}", "天宁区", "\u{202E}", "'; DROP TABLE ledger.events; --",
        String(repeating: "[", count: 200), "\"\\u0041\"", "\u{7F}", "\r\n",
    ]

    mutating func mutateText(_ text: String) -> String {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return random.pick(Self.junk) }
        let at = random.int(0...(bytes.count - 1))
        switch random.int(0...5) {
        case 0: bytes[at] ^= UInt8(1 << random.int(0...7))
        case 1: bytes.removeSubrange(at..<min(bytes.count, at + random.int(1...40)))
        case 2: bytes.insert(contentsOf: Array(random.pick(Self.junk).utf8), at: at)
        case 3: bytes = Array(bytes.prefix(at))
        case 4:
            let span = Array(bytes[at..<min(bytes.count, at + random.int(1...30))])
            bytes.insert(contentsOf: span, at: at)
        default: bytes.append(contentsOf: Array(random.pick(Self.junk).utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func hostileValue() -> JSON {
        switch random.int(0...15) {
        case 0: return .null
        case 1: return .bool(random.chance(0.5))
        case 2: return .integer(random.pick([0, -1, 1, Int64.max, Int64.min, 1_000_000_000_000, 1_000_000_000_001]))
        case 3: return .number(random.pick(["1.5", "1e3", "-0.0", "12.345"]))
        case 4: return .string("")
        case 5: return .string(String(repeating: "长", count: random.pick([201, 4_001, 70_000])))
        case 6: return .string(random.pick(["2999-01-01", "1999-12-31", "2023-02-30", "2024-13-01", "2024-1-1", "today"]))
        case 7: return .array([])
        case 8: return .array(Array(repeating: .string("x"), count: random.pick([1, 1_001])))
        case 9: return .object([:])
        case 10: return .object(["unknown": .string("x")])
        case 11: return .string(UUID().uuidString)
        case 12: return .string(random.pick(["institution-", "operation-x", "bulletin-" + String(repeating: "k", count: 65), "reply-x", "institution-!bad"]))
        case 13: return .string(random.pick(["InstitutionRegistered", "EntryVoided", "OperationConducted", "PenaltyImposed", "Nonsense"]))
        case 14: return .string("a\u{0}b")
        default: return .string(random.pick(Self.junk))
        }
    }

    mutating func mutateJSON(_ text: String) -> String {
        guard case .object(var event)? = try? JSONParser.parse(text) else { return mutateText(text) }
        if random.chance(0.5) { event["id"] = .string(UUID().uuidString.lowercased()) }
        var data: [String: JSON] = [:]
        if case .object(let members)? = event["data"] { data = members }
        let envelopeKeys = ["id", "stream", "type", "occurred_on", "actor", "expected_version", "data"]
        switch random.int(0...7) {
        case 0: event[random.pick(envelopeKeys)] = hostileValue()
        case 1: event.removeValue(forKey: random.pick(envelopeKeys))
        case 2: if let key = data.keys.sorted().randomElement(using: &random) { data[key] = hostileValue() }
        case 3: if let key = data.keys.sorted().randomElement(using: &random) { data.removeValue(forKey: key) }
        case 4: data[random.pick(["extra", "fine_fen", "district", "notes", "event_id", "operation"])] = hostileValue()
        case 5:
            // Another line's type, or its data, with this line's stream.
            if case .object(let other)? = try? JSONParser.parse(random.pick(lines)) {
                if random.chance(0.5) { event["type"] = other["type"] } else if case .object(let d)? = other["data"] { data = d }
            }
        case 6: event["expected_version"] = .integer(random.pick([0, 1, 5, -1, 1_000_000]))
        default:
            // A nested value deeper than the parser takes, or a huge batch of keys.
            var deep: JSON = .integer(1)
            for _ in 0..<random.pick([5, 40]) { deep = .array([deep]) }
            data["notes"] = deep
        }
        if event["data"] != nil || random.chance(0.9) { event["data"] = .object(data) }
        return JSON.object(event).canonicalText
    }
}
