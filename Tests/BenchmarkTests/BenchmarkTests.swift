import Benchmark
import Foundation
import TestSupport
import Testing

/// The benchmark runs end to end on a small history; it fails when the read models' figures and
/// the plain SQL over the log disagree, so it also cross-checks the rollups. No timing is asserted.
@Suite struct BenchmarkTests {
    @Test func aSmallRunMeasuresEveryOperationAndItsFiguresAgree() throws {
        let database = try TestDatabase.create("bench")
        var options = Benchmark.Options()
        options.events = 3_000
        options.appends = 16
        options.statsSamples = 2
        options.historySamples = 5
        let benchmark = Benchmark(
            options: options, adminConninfo: database.adminURL, appConninfo: database.appURL, progress: { _ in })
        let results = try benchmark.run()
        let operations = results.map(\.operation)
        for expected in ["import", "answer", "rebuild", "draw 1000", "stats, city", "stats, 天宁区", "history", "verify", "append one event, 1 client", "append one event, 8 clients"] {
            #expect(operations.contains { $0.hasPrefix(expected) }, "no \(expected) line")
        }
        #expect(results.filter { $0.raw != nil }.allSatisfy { ($0.ratio ?? 0) > 0 })
    }
}
