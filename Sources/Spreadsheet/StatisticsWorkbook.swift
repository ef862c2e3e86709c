import Foundation
import Statistics

/// `ledger stats --format xlsx` and the dashboard's Excel download (issue 19): three sheets with
/// Chinese headers and numbers as numbers — 总表 (the SPEC §4 figures of the period), 分区 (each
/// district's), 月度 (the monthly series). Money is in 万元 with two decimals, rates are
/// percentages. Each row or column also carries its JSON key (`fines_fen`, `cases.opened`), so a
/// reader can hold every cell against `ledger stats --format json`.
public enum StatisticsWorkbook {
    /// One figure's cell: its label and unit as people read them, its JSON key, and the number.
    struct Cell {
        var label: String
        var unit: String
        var key: String
        var value: Double?
        var format: Workbook.NumberFormat
    }

    /// The cells of `statistics`, in the order of ``Statistics/figures``.
    static func cells(_ statistics: Statistics) -> [Cell] {
        var cells: [Cell] = []
        for figure in Statistics.figures {
            switch (figure.value(statistics), figure.unit) {
            case (.integer(let fen), .fen):
                cells.append(Cell(label: figure.label, unit: "万元", key: figure.key, value: Double(fen) / 1_000_000, format: .twoDecimals))
            case (.integer(let n), .of(let unit)):
                cells.append(Cell(label: figure.label, unit: unit, key: figure.key, value: Double(n), format: .integer))
            case (.integer(let n), _):
                cells.append(Cell(label: figure.label, unit: "", key: figure.key, value: Double(n), format: .integer))
            case (.percent(let p), _):
                cells.append(Cell(label: figure.label, unit: "%", key: figure.key, value: p.flatMap(Double.init).map { $0 / 100 }, format: .percent))
            case (.day, _):
                continue  // the period and the baseline head the sheet
            case (.districts(let entries), _):
                for entry in entries {
                    cells.append(Cell(
                        label: "\(figure.label) · \(entry.district)", unit: "%", key: "\(figure.key).\(entry.district)",
                        value: entry.ratePercent.flatMap(Double.init).map { $0 / 100 }, format: .percent))
                }
            case (.parts(let parts), let unit):
                let suffix = if case .of(let u) = unit { u } else { "" }
                let group = figure.key
                for part in parts {
                    cells.append(Cell(label: part.label, unit: suffix, key: "\(group).\(part.key)", value: Double(part.value), format: .integer))
                }
            case (.whitelists(let lists), _):
                for list in lists {
                    cells.append(Cell(label: "\(figure.label) \(list.list) 机构", unit: "家", key: "\(figure.key).\(list.list).institutions",
                                      value: Double(list.institutions), format: .integer))
                    cells.append(Cell(label: "\(figure.label) \(list.list) 课程", unit: "门", key: "\(figure.key).\(list.list).courses",
                                      value: Double(list.courses), format: .integer))
                }
            }
        }
        return cells
    }

    /// Writes the workbook for `statistics` (the period and scope asked), `districts` (the same
    /// period for each district) and `series` to `path`.
    public static func write(_ statistics: Statistics, districts: [Statistics], series: MonthlySeries, to path: String) throws {
        let workbook = try Workbook(path: path)
        let request = statistics.request

        let summary = try workbook.sheet("总表")
        summary.header(0, 0, "统计范围")
        summary.text(0, 1, "\(request.district ?? "全市") \(request.from) 至 \(request.to)")
        summary.header(1, 0, "压减基数日")
        summary.text(1, 1, request.baseline.description)
        summary.header(2, 0, "账本位置")
        summary.number(2, 1, Double(statistics.position), .integer)
        for (column, title) in ["项目", "数值", "单位", "键"].enumerated() { summary.header(4, column, title) }
        for (index, cell) in cells(statistics).enumerated() {
            summary.text(5 + index, 0, cell.label)
            if let value = cell.value { summary.number(5 + index, 1, value, cell.format) } else { summary.text(5 + index, 1, "—") }
            summary.text(5 + index, 2, cell.unit)
            summary.text(5 + index, 3, cell.key)
        }
        summary.width(0, 34)
        summary.width(1, 16)
        summary.width(3, 36)
        summary.freeze(rows: 5)

        let byDistrict = try workbook.sheet("分区")
        if let first = districts.first {
            let columns = cells(first)
            byDistrict.header(0, 0, "区")
            byDistrict.text(1, 0, "键")
            for (column, cell) in columns.enumerated() {
                byDistrict.header(0, column + 1, cell.unit.isEmpty || cell.unit == "%" ? cell.label : "\(cell.label)(\(cell.unit))")
                byDistrict.text(1, column + 1, cell.key)
            }
            for (row, district) in districts.enumerated() {
                byDistrict.text(row + 2, 0, district.request.district ?? "全市")
                // A district's cells follow the first's columns by key (its compression rows
                // and white lists may differ).
                let values = Dictionary(cells(district).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
                for (column, header) in columns.enumerated() {
                    guard let cell = values[header.key], let value = cell.value else { continue }
                    byDistrict.number(row + 2, column + 1, value, cell.format)
                }
            }
            byDistrict.width(0, 10)
            byDistrict.freeze(rows: 2)
        }

        let monthly = try workbook.sheet("月度")
        let headers = ["月份", "起", "止", "开展检查(次)", "检查机构(家次)", "查处违规行为(起)", "罚没款金额(万元)", "压减率(月末)"]
        let keys = ["month", "from", "to", "operations", "institution_inspections", "violations", "fines_wan_yuan", "compression_rate_percent"]
        for (column, title) in headers.enumerated() {
            monthly.header(0, column, title)
            monthly.text(1, column, keys[column])
        }
        for (index, month) in series.months.enumerated() {
            let row = index + 2
            monthly.text(row, 0, month.label)
            monthly.text(row, 1, month.from.description)
            monthly.text(row, 2, month.to.description)
            monthly.number(row, 3, Double(month.operations), .integer)
            monthly.number(row, 4, Double(month.institutionInspections), .integer)
            monthly.number(row, 5, Double(month.violations), .integer)
            monthly.number(row, 6, Double(month.finesFen) / 1_000_000, .twoDecimals)
            if let rate = month.compression.ratePercent.flatMap(Double.init) { monthly.number(row, 7, rate / 100, .percent) }
        }
        for column in 0..<headers.count { monthly.width(column, column < 3 ? 12 : 16) }
        monthly.freeze(rows: 2)

        try workbook.close()
    }

    /// The workbook's bytes (written to a temporary file and read back).
    public static func bytes(_ statistics: Statistics, districts: [Statistics], series: MonthlySeries) throws -> [UInt8] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try write(statistics, districts: districts, series: series, to: path)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
