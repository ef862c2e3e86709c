import ArgumentParser
import Benchmark
import Foundation
import Ledger
import Postgres

/// `ledger bench`: every ledger operation against the raw PostgreSQL floor, in one run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the ledger against raw PostgreSQL doing the same work, and print the table.",
        discussion: """
            Creates (and first drops) the database ledger_bench on the server of the admin connection, \
            generates a history, imports it, rebuilds the projections, times stats, history, verify and \
            single-event appends, each beside its raw floor. Progress goes to stderr, the table to stdout \
            as Markdown.
            """)

    @Option(help: "Events in the generated history.") var events = 1_000_000
    @Option(help: "Seed of the generated history.") var seed: UInt64 = 1
    @Option(help: "Single-event appends for each client count.") var appends = 2_000
    @Option(help: "Latency samples for stats.") var statsSamples = 100
    @Option(help: "Latency samples for history.") var historySamples = 500
    @Option(help: "Runs of the plain SQL that stats is compared with.") var rawSamples = 3
    @Option(help: "The database to create for the run (dropped first).") var name = "ledger_bench"
    @Option(help: ArgumentHelp(
        "Admin connection string (conninfo or URI) of the server. Default: $LEDGER_ADMIN_URL, else the local PostgreSQL.",
        valueName: "url"))
    var adminURL: String?

    func run() throws {
        guard let directory = ProjectPaths.migrations else {
            throw CLIFailure(code: 1, message: "cannot find the migrations (db/); run from the project or set LEDGER_MIGRATIONS")
        }
        guard let server = adminURL ?? ProcessInfo.processInfo.environment["LEDGER_ADMIN_URL"] ?? ProjectPaths.localFile("admin-url") else {
            throw CLIFailure(code: CLIFailure.unavailable, message: "no database: pass --admin-url, set LEDGER_ADMIN_URL, or start the local one with ops/db-start")
        }
        let version: String
        let admin: String
        do {
            admin = try ConnectionString.setting(["dbname": name], in: server)
            let maintenance = try Connection(ConnectionString.setting(["dbname": "postgres"], in: server))
            try maintenance.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
            try maintenance.execute("CREATE DATABASE \(identifier: name)")
            version = try maintenance.execute("SHOW server_version")[0][0] ?? "?"
            try Migrator(directory: directory).migrate(try Connection(admin))
            // The working-day calendars the history's deadlines and rules read (SPEC §8), as the setup imports them.
            if let calendars = ProjectPaths.root?.appendingPathComponent("ops/data/calendar-2021-2026.jsonl").path,
               let handle = FileHandle(forReadingAtPath: calendars) {
                _ = try Appender(configuration: .changzhou).append(JSONLinesReader(handle: handle), on: Connection(admin))
            }
        } catch let error as PostgresError where error.isConnectionFailure {
            throw CLIFailure(code: CLIFailure.unavailable, message: "database unreachable: \(error.message)")
        }

        var options = Benchmark.Options()
        options.events = events
        options.seed = seed
        options.appends = appends
        options.statsSamples = statsSamples
        options.historySamples = historySamples
        options.rawSamples = rawSamples
        let started = Date()
        let benchmark = Benchmark(options: options, adminConninfo: admin, appConninfo: try ConnectionString.setting(["user": "ledger_app"], in: admin)) {
            printError("bench: \($0) (\(Int(Date().timeIntervalSince(started))) s)")
        }
        let results = try benchmark.run()
        print(BenchmarkTable.markdown(results, machine: Self.machine(postgres: version), seconds: Date().timeIntervalSince(started)))
    }

    /// What the figures were measured on.
    static func machine(postgres: String) -> String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        let memory = ProcessInfo.processInfo.physicalMemory / (1 << 30)
        return "\(ProcessInfo.processInfo.activeProcessorCount) cores (\(cpu)), \(memory) GiB, PostgreSQL \(postgres)"
    }
}

/// The benchmark's results as a Markdown table.
enum BenchmarkTable {
    static func markdown(_ results: [Benchmark.Result], machine: String, seconds: Double) -> String {
        var lines = [
            "Machine: \(machine). Run took \(Int(seconds.rounded())) s.",
            "",
            "| operation | ledger | raw PostgreSQL | raw work | ledger ÷ raw | target | RSS growth |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in results {
            let ratio = r.ratio.map { String(format: "%.2f×", $0) } ?? ""
            let target = r.target.map { "\($0) \(r.met == true ? "✓" : "✗")" } ?? ""
            let memory = r.peakMemory.map { "\($0 / (1 << 20)) MB" } ?? ""
            lines.append("| \(r.operation) | \(format(r.ledger)) | \(r.raw.map(format) ?? "") | \(r.rawWork ?? "") | \(ratio) | \(target) | \(memory) |")
        }
        lines += [
            "",
            "ledger ÷ raw: the ledger's rate over raw's, or raw's p50 over the ledger's p50 for latencies; above 1 the ledger is faster.",
            "RSS growth: how far the benchmark process's resident size rose above where it stood before the operation.",
        ]
        return lines.joined(separator: "\n")
    }

    static func format(_ figure: Benchmark.Figure) -> String {
        switch figure {
        case .rate(let value, let unit): return value < 10 ? "\(String(format: "%.2f", value)) \(unit)" : "\(Int(value.rounded())) \(unit)"
        case .latency(let p50, let p99): return String(format: "p50 %.2f ms, p99 %.2f ms", p50 * 1000, p99 * 1000)
        }
    }
}
