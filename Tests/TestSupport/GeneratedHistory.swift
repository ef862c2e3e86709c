import HistoryGenerator

/// The lines of a generated history (``HistoryGenerator``): the same seed, the same lines.
public func generatedHistory(seed: UInt64, events: Int) throws -> [String] {
    var generator = HistoryGenerator(options: .init(seed: seed, events: events))
    var lines: [String] = []
    try generator.generate { lines.append($0) }
    return lines
}
