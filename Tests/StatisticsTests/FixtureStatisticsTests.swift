import EventStore
import Foundation
import Statistics
import TestSupport
import Testing

@Suite struct FixtureStatisticsTests {
    /// Compares JSON values, numbers by their decimal value (95.91 == 95.910, 100.0 == 100).
    static func differences(_ actual: JSON?, _ expected: JSON, path: String = "") -> [String] {
        switch expected {
        case .object(let members):
            return members.keys.sorted().flatMap { differences(actual?[$0], members[$0]!, path: "\(path).\($0)") }
        case .array(let items):
            guard case .array(let got)? = actual, got.count == items.count else { return ["\(path): \(String(describing: actual)) vs \(expected)"] }
            return zip(got, items).enumerated().flatMap { differences($0.element.0, $0.element.1, path: "\(path)[\($0.offset)]") }
        case .integer, .number:
            func decimal(_ value: JSON?) -> Decimal? {
                switch value {
                case .integer(let n)?: return Decimal(n)
                case .number(let text)?: return Decimal(string: text)
                default: return nil
                }
            }
            return decimal(actual) == decimal(expected) ? [] : ["\(path): \(String(describing: actual)) vs \(expected)"]
        default:
            return actual == expected ? [] : ["\(path): \(String(describing: actual)) vs \(expected)"]
        }
    }

    @Test func theFixtureGivesThePublishedFiguresOnEveryKey() throws {
        let ledger = try StatisticsHarness("fixturestats")
        try ledger.importFixture()
        let statistics = try ledger.stats()
        let expected = try JSONParser.parse(Array(Data(contentsOf: TestDatabase.fixture("changzhou-2021-2024.stats.json"))))
        let actual = try JSONParser.parse(statistics.jsonText)
        #expect(Self.differences(actual, expected) == [])
        #expect(statistics.position == 12_511)

        // The same figures from a replay of the log at the head, and the published ones by district.
        #expect(try ledger.stats(at: 12_511) == statistics)
        let tianning = try ledger.stats(district: "天宁区")
        #expect(tianning.compression.ratePercent == "100.00")
        #expect(tianning.compression.byDistrict.map(\.district) == ["天宁区"])
        let zhonglou = try ledger.stats(district: "钟楼区")
        #expect(zhonglou.whitelists.first?.institutions == 35)
        #expect(zhonglou.whitelists.first?.courses == 79)
        // District figures add up to the city's where every event has one district.
        var operations: Int64 = 0, inspections: Int64 = 0, fines: Int64 = 0
        for district in ["溧阳市", "金坛区", "武进区", "新北区", "天宁区", "钟楼区", "经开区"] {
            let figures = try ledger.stats(district: district)
            operations += figures.operations
            inspections += figures.institutionInspections
            fines += figures.finesFen
        }
        #expect(operations == statistics.operations)
        #expect(inspections == statistics.institutionInspections)
        #expect(fines == statistics.finesFen)
    }

    @Test func theTableAndCSVShowTheFiguresForPeopleAndSpreadsheets() throws {
        let ledger = try StatisticsHarness("formats")
        try ledger.importFixture()
        let statistics = try ledger.stats()
        let table = statistics.tableText
        for expected in ["开展检查(次)", "352", "罚没款金额(万元)", "64.88", "95.91%", "天宁区", "100.00%", "35家 79门课程"] {
            #expect(table.contains(expected), "the table lacks \(expected)")
        }
        let csv = statistics.csvText
        #expect(csv.hasPrefix("\u{FEFF}from,to,district,operations"))
        let rows = csv.dropFirst().split(separator: "\r\n")
        #expect(rows.count == 2)
        #expect(rows[0].split(separator: ",").count == rows[1].split(separator: ",", omittingEmptySubsequences: false).count)
        #expect(rows[1].contains(",64880000,64.88,"))
    }

    @Test func anEarlierPositionGivesTheFiguresOfThatDayEvenAfterMoreEvents() throws {
        let ledger = try StatisticsHarness("atposition")
        try ledger.importFixture()
        let before = try ledger.stats()
        try ledger.append([
            History.operation("LATE-1", inspectors: 5, on: "2023-01-05"),
        ])
        let after = try ledger.stats()
        #expect(after.operations == before.operations + 1)
        #expect(after.position == 12_512)
        #expect(try ledger.stats(at: 12_511) == before)
        #expect(try ledger.stats(at: 0).operations == 0)
    }
}

@Suite struct HalfUpTests {
    @Test func percentagesAndWanYuanRoundHalfUpFromIntegers() {
        #expect(HalfUp.percent(446, of: 465) == "95.91")
        #expect(HalfUp.percent(2, of: 3) == "66.67")
        #expect(HalfUp.percent(1, of: 3) == "33.33")
        #expect(HalfUp.percent(1, of: 8) == "12.50")
        #expect(HalfUp.percent(1, of: 16) == "6.25")
        #expect(HalfUp.percent(1, of: 1_600) == "0.06")  // 0.0625 → 0.06
        #expect(HalfUp.percent(1, of: 800) == "0.13")    // 0.125 → 0.13, half up
        #expect(HalfUp.percent(63, of: 63) == "100.00")
        #expect(HalfUp.percent(0, of: 0) == nil)
        #expect(HalfUp.wanYuan(fen: 64_880_000) == "64.88")
        #expect(HalfUp.wanYuan(fen: 5_000) == "0.01")    // exactly half of 0.01 万元
        #expect(HalfUp.wanYuan(fen: 4_999) == "0.00")
        #expect(HalfUp.wanYuan(fen: 0) == "0.00")
        #expect(HalfUp.wanYuan(fen: 1_000_000_000_000) == "1000000.00")
    }
}
