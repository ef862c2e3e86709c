import ArgumentParser
import EventStore
import Ledger
import Spreadsheet
import Statistics

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "The figures of SPEC §4 for a period, from the read models (caught up first).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, table, csv, xlsx }
    enum Breakdown: String, ExpressibleByArgument, CaseIterable { case month }

    @Option(help: "First day of the period, YYYY-MM-DD.") var from: String
    @Option(help: "Last day of the period, YYYY-MM-DD (inclusive).") var to: String
    @Option(help: "Only this district (e.g. 天宁区).") var district: String?
    @Option(help: "Baseline day for the compression rate (default 2021-07-24).") var baseline: String?
    @Option(name: .customLong("at-position"), help: "Figures of the ledger as it stood at this position.") var atPosition: Int64?
    @Option(help: "json, table, csv or xlsx (Excel: sheets 总表, 分区 and 月度; needs --output)") var format: Format = .table
    @Option(name: [.short, .long], help: "Write to this file (xlsx).") var output: String?
    @Option(help: "month: the trends, a row per month of the period (operations, 检查机构家次, violations, fines, the compression rate at each month's end).")
    var by: Breakdown?
    @Flag(name: .customLong("no-catch-up"), help: "On a read replica: the figures at the read models' position, without catching them up (which writes).")
    var noCatchUp = false
    @OptionGroup var database: DatabaseOptions

    func request(_ configuration: LedgerConfiguration) throws -> StatisticsRequest {
        try Self.request(from: from, to: to, district: district, baseline: baseline, configuration)
    }

    /// Checks the period, district and baseline a person typed (usage errors exit 2, an unknown
    /// district 65).
    static func request(from: String, to: String, district: String?, baseline: String?, _ configuration: LedgerConfiguration) throws -> StatisticsRequest {
        do {
            return try StatisticsRequest.checked(from: from, to: to, district: district, baseline: baseline, configuration)
        } catch {
            guard error.isMalformed else { throw CLIFailure.invalid(error.because.text(commandLineLanguage)) }
            throw ValidationError("--\(error.description)")
        }
    }

    func run() async throws {
        let configuration = LedgerConfiguration.fromEnvironment()
        let request = try request(configuration)
        let db = try await database.connect()
        var configured = StatisticsService(configuration: configuration)
        configured.catchesUp = !noCatchUp
        let service = configured
        let position = atPosition
        if format == .xlsx {
            guard let output else { throw ValidationError("--format xlsx writes a file: give it with -o FILE") }
            let figures = try await db.withConnection { try service.workbookFigures(request, atPosition: position, $0) }
            do {
                try StatisticsWorkbook.write(figures.statistics, districts: figures.districts, series: figures.series, to: output)
            } catch {
                throw CLIFailure.invalid("cannot write \(output): \(error)")
            }
            print("wrote \(output): 总表, 分区 (\(figures.districts.count)), 月度 (\(figures.series.months.count) months) at position \(figures.statistics.position)")
            return
        }
        if by == .month {
            let series = try await db.withConnection { try service.monthly(request, atPosition: position, $0) }
            switch format {
            case .json: print(series.jsonText)
            case .csv: print(series.csvText, terminator: "")
            case .table, .xlsx: print(series.tableText)
            }
            return
        }
        let statistics = try await db.withConnection { try service.statistics(request, atPosition: position, $0) }
        switch format {
        case .json: print(statistics.jsonText)
        case .table: print(statistics.tableText)
        case .csv: print(statistics.csvText, terminator: "")
        case .xlsx: break
        }
    }
}
