/// A small, fast, deterministic random number generator: the same seed gives the same history
/// on every machine and every Swift version (unlike the system generator).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) / Double(1 << 53) < p
    }

    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    public mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &self)]
    }

    /// A version-4 UUID, in lower case.
    public mutating func uuid() -> String {
        let a = next(), b = next()
        let hex = String(format: "%016llx%016llx", a, (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000)
        let chars = Array(hex)
        let version = Array("4")
        let parts = [String(chars[0..<8]), String(chars[8..<12]), String(version + chars[13..<16]),
                     String(chars[16..<20]), String(chars[20..<32])]
        return parts.joined(separator: "-")
    }
}

import Foundation
