import EventStore
import Foundation
import Ledger
import LedgerCLI
import Statistics
import TestSupport
import Testing

/// `ledger stats --format xlsx` (issue 19), opened by a real reader (openpyxl, Debian's
/// python3-openpyxl): every figure cell of 总表, 分区 and 月度 holds exactly what `ledger stats
/// --format json` (and `--by month`) says, as a number with its number format.
@Suite struct WorkbookTests {
    let database: TestDatabase

    init() throws {
        database = try TestDatabase.create("cliworkbook")
    }

    /// The sheets as openpyxl reads them: for each sheet, its rows of `[value, number_format]`.
    static let reader = #"""
        import json, sys
        import openpyxl
        book = openpyxl.load_workbook(sys.argv[1])
        print(json.dumps({sheet.title: [[[cell.value, cell.number_format] for cell in row] for row in sheet.iter_rows()]
                          for sheet in book.worksheets}, ensure_ascii=False, default=str))
        """#

    func read(_ path: String) throws -> [String: [[[Any?]]]] {
        let process = Process()
        // Debian's Python, where python3-openpyxl is installed (ops/install), whatever else is on PATH.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.reader, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "openpyxl could not read \(path)")
        let sheets = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [[[Any]]]])
        return sheets.mapValues { $0.map { $0.map { cell in cell.map { $0 is NSNull ? nil : $0 } } } }
    }

    /// The JSON value at a workbook key: `fines_fen`, `cases.opened`, `compression.by_district.天宁区`
    /// (that district's rate), `whitelists.<list>.institutions`.
    static func value(_ key: String, in json: [String: Any]) -> Any? {
        let parts = key.split(separator: ".").map(String.init)
        if parts.count == 3, parts[0] == "compression", parts[1] == "by_district" {
            let rows = (json["compression"] as? [String: Any])?["by_district"] as? [[String: Any]]
            return rows?.first { $0["district"] as? String == parts[2] }?["rate_percent"]
        }
        if parts.count == 3, parts[0] == "whitelists" {
            let lists = json["whitelists"] as? [[String: Any]]
            return lists?.first { $0["list"] as? String == parts[1] }?[parts[2]]
        }
        var node: Any? = json
        for part in parts { node = (node as? [String: Any])?[part] }
        return node
    }

    /// Checks a figure cell `[value, format]` against the JSON value `expected` for `key`.
    static func expectCell(_ cell: [Any?], _ key: String, _ expected: Any?, place: String) {
        let number = (cell[0] as? NSNumber)?.doubleValue
        let format = cell[1] as? String ?? ""
        switch (expected as? NSNumber)?.doubleValue ?? expected {
        case let expected as Double where key.hasSuffix("rate_percent") || key.hasPrefix("compression.by_district") || key == "compression.rate_percent":
            #expect(format == "0.00%", "\(place) \(key) format")
            #expect(number.map { ($0 * 10_000).rounded() } == (expected * 100).rounded(), "\(place) \(key)")
        case let expected as Double where key.hasSuffix("_fen"):
            #expect(format == "0.00", "\(place) \(key) format")
            #expect(number.map { ($0 * 1_000_000).rounded() } == expected, "\(place) \(key)")
        case let expected as Double:
            #expect(format == "0", "\(place) \(key) format")
            #expect(number == expected, "\(place) \(key)")
        case nil:
            #expect(cell[0] == nil || cell[0] as? String == "—", "\(place) \(key) is empty in the JSON")
        default:
            Issue.record("\(place) \(key): unexpected JSON value \(String(describing: expected))")
        }
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func theWorkbookHoldsExactlyTheJSONsFigures() async throws {
        #expect(await LedgerCommand.run(["import", TestDatabase.fixture("changzhou-2021-2024.jsonl").path, "--database-url", database.appURL]) == 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stats-\(UUID()).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let period = ["--from", "2021-07-24", "--to", "2024-06-30"]
        #expect(await LedgerCommand.run(["stats"] + period + ["--format", "xlsx", "--database-url", database.appURL]) == 2)
        #expect(await LedgerCommand.run(["stats"] + period + ["--format", "xlsx", "-o", file, "--database-url", database.appURL]) == 0)
        let sheets = try read(file)
        #expect(Array(sheets.keys).sorted() == ["分区", "总表", "月度"])

        let service = StatisticsService(configuration: .changzhou)
        let connection = try database.connect()
        let request = StatisticsRequest(from: CalendarDate("2021-07-24")!, to: CalendarDate("2024-06-30")!)
        let city = try Self.json(try service.statistics(request, connection).jsonText)

        // 总表: a row per figure from the sixth, its key in the fourth column.
        let summary = try #require(sheets["总表"])
        var keys: Set<String> = []
        for row in summary.dropFirst(5) {
            let key = try #require(row[3][0] as? String)
            keys.insert(String(key.split(separator: ".")[0]))
            Self.expectCell(row[1], key, Self.value(key, in: city), place: "总表")
        }
        let figures = Set(Statistics.jsonKeys).subtracting(["from", "to", "district", "baseline", "position"])
        #expect(figures.subtracting(keys).isEmpty, "figures missing from 总表: \(figures.subtracting(keys).sorted())")

        // 分区: a row per configured district from the third, the keys in the second row.
        let byDistrict = try #require(sheets["分区"])
        let columnKeys = byDistrict[1].map { $0[0] as? String ?? "" }
        #expect(byDistrict.dropFirst(2).map { $0[0][0] as? String ?? "" } == LedgerConfiguration.changzhou.districts)
        for row in byDistrict.dropFirst(2) {
            var asked = request
            asked.district = row[0][0] as? String
            let json = try Self.json(try service.statistics(asked, connection).jsonText)
            for (column, key) in columnKeys.enumerated().dropFirst() {
                Self.expectCell(row[column], key, Self.value(key, in: json), place: "分区 \(asked.district ?? "")")
            }
        }

        // 月度: a row per month from the third, as `ledger stats --by month --format json`.
        let monthly = try #require(sheets["月度"])
        let series = try Self.json(try service.monthly(request, connection).jsonText)
        let months = try #require(series["months"] as? [[String: Any]])
        #expect(monthly.count - 2 == months.count)
        let monthKeys = monthly[1].map { $0[0] as? String ?? "" }
        for (row, month) in zip(monthly.dropFirst(2), months) {
            #expect(row[0][0] as? String == month["month"] as? String)
            for (column, key) in monthKeys.enumerated() where !["month", "from", "to"].contains(key) {
                // The cell holds the fines to the 分 (shown in 万元 with two decimals, as the
                // JSON's fines_wan_yuan rounds them).
                Self.expectCell(row[column], key == "fines_wan_yuan" ? "fines_fen" : key,
                                month[key == "fines_wan_yuan" ? "fines_fen" : key], place: "月度 \(month["month"] ?? "")")
            }
        }
    }
}
