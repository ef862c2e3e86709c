import Foundation

/// Progress for long work on a terminal: done, rate and ETA on one rewritten stderr line.
/// Silent when stderr is not a terminal (CI, pipes, files).
final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let total: Int?
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let enabled: Bool

    /// `total` is in the unit `update` reports `fraction` of (bytes for imports), when known.
    init(label: String, total: Int?) {
        self.label = label
        self.total = total
        enabled = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
    }

    func update(count: Int, unit: String, done: Int?) {
        guard enabled, Date().timeIntervalSince(lastDraw) >= 0.2 else { return }
        lastDraw = Date()
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(count) / elapsed
        var line = "\(label): \(count) \(unit), \(Int(rate)) \(unit)/s"
        if let total, let done, done > 0, total > 0 {
            let percent = min(100, done * 100 / total)
            let remaining = elapsed * Double(total - done) / Double(done)
            line += ", \(percent)%, ETA \(Self.clock(remaining))"
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    func finish() {
        guard enabled, lastDraw != .distantPast else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return String(format: "%d:%02d", total / 60, total % 60)
    }
}

/// Writes one line to stderr.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
