import EventStore
import Ledger
import Postgres
import Statistics
import TestSupport
import Testing

/// The trends (issue 19): each month of `ledger stats --by month` is `ledger stats` for that
/// month's days, on the Changzhou fixture and on a generated history, city-wide and per district,
/// for the policy baseline and another.
@Suite struct MonthlySeriesTests {
    func expectMonthsAreStats(_ ledger: TestLedger, from: String, to: String, district: String?, baseline: String = "2021-07-24") throws {
        let connection = try ledger.database.connect()
        let service = StatisticsService(configuration: .changzhou)
        let request = StatisticsRequest(from: CalendarDate(from)!, to: CalendarDate(to)!, district: district, baseline: CalendarDate(baseline)!)
        let series = try service.monthly(request, connection)
        #expect(series.months.first?.from == request.from)
        #expect(series.months.last?.to == request.to)
        #expect(series.months.count > 1)
        for month in series.months {
            var asked = request
            asked.from = month.from
            asked.to = month.to
            let stats = try service.statistics(asked, connection)
            let place = "\(month.label) \(district ?? "全市")"
            #expect(month.operations == stats.operations, "\(place)")
            #expect(month.institutionInspections == stats.institutionInspections, "\(place)")
            #expect(month.violations == stats.violations, "\(place)")
            #expect(month.finesFen == stats.finesFen, "\(place)")
            #expect(month.compression == stats.compression, "\(place)")
        }
    }

    @Test func eachMonthIsTheStatsOfItsDaysOnTheFixture() throws {
        let ledger = try TestLedger("monthlyfixture")
        _ = try ledger.importFixture()
        for district in [nil, "天宁区", "钟楼区"] {
            try expectMonthsAreStats(ledger, from: "2021-07-24", to: "2024-06-30", district: district)
        }
        try expectMonthsAreStats(ledger, from: "2022-01-10", to: "2022-06-20", district: nil, baseline: "2022-01-01")
    }

    @Test func eachMonthIsTheStatsOfItsDaysOnAGeneratedHistory() throws {
        let ledger = try TestLedger("monthlygenerated")
        _ = try ledger.append(try generatedHistory(seed: 17, events: 6_000))
        for district in [nil, "武进区"] {
            try expectMonthsAreStats(ledger, from: "2021-03-15", to: "2024-12-31", district: district)
        }
    }
}
