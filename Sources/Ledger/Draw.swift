import Crypto
import EventStore
import Foundation

/// The draw of SPEC §11 (双随机), fixed so that anyone can re-run it from public data: the pool,
/// the plan, and a beacon published after the plan was made.
///
/// `seed = SHA-256(UTF-8(plan id ‖ "\n" ‖ beacon))`; the k-th number is the first 8 bytes,
/// big-endian, of `SHA-256(seed ‖ k as 8 bytes big-endian)`; `uniform(m)` rejects numbers at or
/// above ⌊2^64 / m⌋ · m and returns the rest mod m. Targets are a partial Fisher–Yates shuffle of
/// the pool; each target's inspectors a partial shuffle of the plan's inspectors less those
/// recused for it, continuing the same numbers.
public enum Draw {
    /// A drawn institution and the inspectors drawn for it, in the order drawn.
    public struct Target: Sendable, Equatable {
        public var institution: String
        public var inspectors: [String]

        public init(institution: String, inspectors: [String]) {
            self.institution = institution
            self.inspectors = inspectors
        }

        /// As `DrawPerformed.targets` holds it.
        public var json: JSON { .object(["institution": .string(institution), "inspectors": .array(inspectors.map(JSON.string))]) }
    }

    /// A plan's draw as a line to append: its `DrawPerformed`, the targets computed, never chosen.
    public static func performedLine(
        key: String, beacon: String, beaconDate: String, targets: [Target], occurredOn: String, actor: String, id: UUID = UUID()
    ) -> String {
        JSON.object([
            "id": .string(id.lowercasedText), "stream": .string("draw-\(key)"), "type": .string(EventType.drawPerformed.rawValue),
            "occurred_on": .string(occurredOn), "actor": .string(actor),
            "data": .object(["beacon": .string(beacon), "beacon_date": .string(beaconDate), "targets": .array(targets.map(\.json))]),
        ]).canonicalText
    }

    /// Why a plan cannot be drawn.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case tooManyTargets(Int)
        case tooFewInspectors(institution: String, eligible: Int, needed: Int)

        public var description: String { reason.english }

        public var reason: Reason {
            switch self {
            case .tooManyTargets(let count): .drawTooManyTargets(count, maximum: Draw.maximumTargets)
            case .tooFewInspectors(let institution, let eligible, let needed): .drawTooFewEligible(institution, eligible: eligible, needed: needed)
            }
        }
    }

    public static let maximumTargets = 1_000

    /// The numbers a draw consumes, in order.
    public struct Numbers: Sendable {
        public let seed: [UInt8]
        public private(set) var consumed: UInt64 = 0

        public init(planID: UUID, beacon: String) {
            seed = Array(SHA256.hash(data: Array((planID.lowercasedText + "\n" + beacon).utf8)))
        }

        /// The next number of the stream.
        public mutating func next() -> UInt64 {
            var input = seed
            withUnsafeBytes(of: consumed.bigEndian) { input += $0 }
            consumed += 1
            return SHA256.hash(data: input).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
        }

        /// A number in 0 ..< m, without bias: numbers at or above ⌊2^64 / m⌋ · m are rejected.
        public mutating func uniform(_ m: Int) -> Int {
            precondition(m > 0)
            let bound = UInt64(m)
            let quotient = bound == 1 ? 0 : bound.dividingFullWidth((high: 1, low: 0)).quotient
            let limit = quotient.multipliedFullWidth(by: bound)  // ⌊2^64 / m⌋ · m, as (high, low)
            while true {
                let number = next()
                if bound == 1 || limit.high == 1 || number < limit.low { return Int(number % bound) }
            }
        }

        /// The first `count` elements of a partial Fisher–Yates shuffle of `items`.
        mutating func pick<T>(_ count: Int, of items: [T]) -> [T] {
            var items = items
            for i in 0..<count { items.swapAt(i, i + uniform(items.count - i)) }
            return Array(items[0..<count])
        }
    }

    /// Names and keys sorted as SPEC §11 sorts them: by the bytes of their UTF-8.
    public static func sorted(_ texts: [String]) -> [String] {
        texts.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// How many targets `plan` draws from a pool of `poolSize`.
    public static func targetCount(_ plan: EventPayload.DrawPlan, poolSize: Int) -> Int {
        switch plan.size {
        case .count(let count): min(count, poolSize)
        case .ratio(let percent): min(poolSize, (poolSize * percent + 99) / 100)
        }
    }

    /// The draw of `plan` (appended as `planID`) from `pool` (the institutions' keys, in any
    /// order) with `beacon`.
    public static func targets(
        _ plan: EventPayload.DrawPlan, planID: UUID, pool: [String], beacon: String
    ) throws(Failure) -> [Target] {
        let count = targetCount(plan, poolSize: pool.count)
        guard count <= maximumTargets else { throw .tooManyTargets(count) }
        var numbers = Numbers(planID: planID, beacon: beacon)
        let inspectors = sorted(plan.inspectors)
        var targets: [Target] = []
        for institution in numbers.pick(count, of: sorted(pool)) {
            let recused = Set(plan.recusals.filter { $0.institution == institution }.map(\.inspector))
            let eligible = inspectors.filter { !recused.contains($0) }
            guard eligible.count >= plan.perTarget else {
                throw .tooFewInspectors(institution: institution, eligible: eligible.count, needed: plan.perTarget)
            }
            targets.append(Target(institution: institution, inspectors: numbers.pick(plan.perTarget, of: eligible)))
        }
        return targets
    }

    /// The first difference between `given` targets and the `expected` ones, for a person.
    public static func difference(_ given: [Target], _ expected: [Target]) -> String? {
        for (index, pair) in zip(given, expected).enumerated() where pair.0 != pair.1 {
            func shown(_ target: Target) -> String { "\(target.institution) (\(target.inspectors.joined(separator: ", ")))" }
            return "target \(index + 1) is \(shown(pair.0)), expected \(shown(pair.1))"
        }
        if given.count != expected.count { return "\(given.count) targets are given, expected \(expected.count)" }
        return nil
    }
}
