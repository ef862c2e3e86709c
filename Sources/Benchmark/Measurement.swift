import Foundation

/// Wall-clock time of a piece of work, in seconds, from a monotonic clock.
func seconds(_ work: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try work()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Latency samples, in seconds.
public struct Latencies: Sendable {
    public private(set) var samples: [Double] = []
    init() {}

    mutating func record(_ work: () throws -> Void) rethrows {
        samples.append(try seconds(work))
    }

    /// The `p`-th percentile (nearest rank), e.g. 0.99.
    public func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

/// The process's peak resident memory, reset between measured operations (Linux).
public enum ResidentMemory {
    /// Resets the peak to the current resident size (`/proc/self/clear_refs`, value 5).
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// A size from `/proc/self/status` in bytes (`VmHWM`, `VmRSS`), or nil off Linux.
    static func status(_ field: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return digits.map { $0 * 1024 }
        }
        return nil
    }

    /// Runs `work` and returns how far the resident size rose above where it stood before: the
    /// memory the work itself needed, whatever earlier work left allocated.
    static func peak(during work: () throws -> Void) rethrows -> Int? {
        resetPeak()
        let before = status("VmRSS")
        try work()
        guard let before, let peak = status("VmHWM") else { return nil }
        return max(0, peak - before)
    }
}
