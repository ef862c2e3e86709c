import ArgumentParser
import EventStore
import Ledger
import Statistics

struct DeadlinesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadlines",
        abstract: "Every open obligation on a day (SPEC §8), most urgent first, on the working-day calendar.",
        discussion: """
            An obligation is open on D when what creates it is dated on or before D and nothing \
            live dated on or before D discharges it. A deadline the calendar cannot compute (a year \
            without a published calendar) is shown as unknown, never guessed.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @Option(help: "The day, YYYY-MM-DD (default today).") var on: String?
    @Option(help: "Only this district (e.g. 天宁区).") var district: String?
    @Option(help: "Only this kind: \(Obligation.Kind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: String?
    @Option(name: .customLong("at-position"), help: "The ledger as it stood at this position.") var atPosition: Int64?
    @Option(help: "table, json or csv") var format: Format = .table
    @OptionGroup var database: DatabaseOptions

    /// Checked as `ledger stats` checks its request (usage errors exit 2, an unknown district 65).
    func request(_ configuration: LedgerConfiguration) throws -> DeadlinesRequest {
        do {
            return try DeadlinesRequest.checked(on: on, district: district, kind: kind, configuration)
        } catch {
            guard error.isMalformed else { throw CLIFailure.invalid(error.reason) }
            throw ValidationError("--\(error.description)")
        }
    }

    func run() async throws {
        let configuration = LedgerConfiguration.fromEnvironment()
        let request = try request(configuration)
        let db = try await database.connect()
        let service = StatisticsService(configuration: configuration)
        let position = atPosition
        let open = try await db.withConnection { try service.deadlines(request, atPosition: position, $0) }
        switch format {
        case .json: print(open.jsonText)
        case .table: print(open.tableText)
        case .csv: print(open.csvText, terminator: "")
        }
    }
}
