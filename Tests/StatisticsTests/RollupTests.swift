import EventStore
import HistoryGenerator
import Ledger
import Postgres
import Projections
import Statistics
import TestSupport
import Testing

@Suite struct RollupTests {
    /// The figures are sums over days of rollups (enforcement events, fines net of revocations,
    /// unlicensed closures less repeats, obligations opened and closed past their due days, draw
    /// inspections): on a generated history with every kind of event, each figure that has a
    /// provenance query is what that query finds on the log, for periods that start before,
    /// inside and after the activity, on and off month boundaries, city-wide and per district.
    @Test func everyFigureIsWhatTheLogGivesForAnyPeriod() throws {
        let ledger = try TestLedger("rollups")
        var options = HistoryGenerator.Options(seed: 61, events: 16_000)
        options.draws = true
        var generator = HistoryGenerator(options: options)
        var lines: [String] = []
        try generator.generate { lines.append($0) }
        // An unlicensed institution closed three times, in two districts, a penalty revoked.
        let closed = #"{"reason":"unlicensed_shutdown"}"#, reopened = #"{"reason":"x"}"#
        lines += [
            History.member("R-U", licensed: false),
            History.event("R-U", "InstitutionClosed", closed, on: "2022-02-01"),
            History.event("R-U", "InstitutionReopened", reopened, on: "2022-03-01"),
            History.event("R-U", "InstitutionClosed", closed, on: "2022-05-01"),
            History.event("R-U", "InstitutionRelocated", #"{"district":"武进区"}"#, on: "2022-06-01"),
            History.event("R-U", "InstitutionReopened", reopened, on: "2022-07-01"),
            History.event("R-U", "InstitutionClosed", closed, on: "2022-08-01"),
            History.event("R-U", "PenaltyImposed", #"{"decision_no":"R-D1","fine_fen":500000,"confiscated_fen":20000}"#, on: "2022-04-01"),
            History.event("R-U", "PenaltyRevoked", #"{"decision_no":"R-D1","reason":"复议"}"#, on: "2023-02-01"),
        ]
        _ = try ledger.append(lines)
        let connection = try ledger.database.connect()
        let service = StatisticsService(configuration: .changzhou)
        let periods = [
            ("2021-07-01", "2024-12-31"), ("2022-03-15", "2023-02-10"), ("2023-01-01", "2023-12-31"),
            ("2022-06-30", "2022-07-01"), ("2024-02-01", "2026-11-30"),
        ]
        var checked: Set<String> = []
        for (from, to) in periods {
            for district in [nil, "天宁区", "武进区"] {
                let request = StatisticsRequest(from: CalendarDate(from)!, to: CalendarDate(to)!, district: district)
                let statistics = try service.statistics(request, connection)
                let (keys, disagreements) = try statistics.rederived(connection)
                checked.formUnion(keys)
                #expect(disagreements.isEmpty, "\(from)…\(to) \(district ?? "全市"): \(disagreements)")
            }
        }
        #expect(checked.isSuperset(of: ["rectifications_overdue", "unlicensed_closed", "fines_fen", "exposed_institutions", "cases", "random_checks", "proposals"]))
    }
}
