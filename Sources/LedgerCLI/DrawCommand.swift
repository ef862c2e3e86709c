import ArgumentParser
import EventStore
import Foundation
import Ledger
import Postgres

/// `ledger draw`: random inspections anyone can re-run (双随机、一公开, SPEC §11).
struct DrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Random inspections anyone can re-run (双随机、一公开): plan, draw, verify, show.",
        discussion: """
            ledger draw plan KEY … records a plan; ledger draw KEY --beacon B --beacon-date D computes the \
            draw from the plan, its pool and the beacon, and records it; ledger draw verify KEY recomputes \
            it from the ledger; ledger draw show KEY prints it (--format json: what ops/verify-draw takes).
            """,
        subcommands: [Perform.self, Plan.self, Verify.self, Show.self],
        defaultSubcommand: Perform.self)

    /// Appends `lines` as one call; a refusal is the CLI's failure with every reason.
    static func append(_ lines: [String], _ connection: Connection) throws {
        do {
            _ = try Appender(configuration: .fromEnvironment()).append(lines.map { Submission(text: $0) }, on: connection)
        } catch let rejected as Appender.Rejected {
            throw CLIFailure(rejected, message: rejected.rejections.flatMap(\.problems).map { $0.text(commandLineLanguage) }.joined(separator: "; "))
        }
    }

    static func read(_ key: String, _ connection: Connection) throws -> RecordedDraw {
        guard let draw = try RecordedDraw.read(key, configuration: .fromEnvironment(), connection) else {
            throw CLIFailure.invalid("no draw \(key) is planned (draw-\(key))")
        }
        return draw
    }

    static func line(_ key: String, _ type: EventType, occurredOn: String?, _ data: [String: JSON]) -> String {
        JSON.object([
            "id": .string(UUID().lowercasedText), "stream": .string("draw-\(key)"), "type": .string(type.rawValue),
            "occurred_on": .string(occurredOn ?? LedgerConfiguration.fromEnvironment().today.description),
            "actor": .string(defaultActor()), "data": .object(data),
        ]).canonicalText
    }

    struct Perform: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "perform", abstract: "Draw the targets and their inspectors of a plan with a beacon, and record the draw.")

        @Argument(help: "The draw's key (draw-KEY).") var key: String
        @Option(help: "The beacon: a public value published after the plan was made (e.g. 福彩3D 2024-03-04 第2024058期 318).")
        var beacon: String
        @Option(name: .customLong("beacon-date"), help: "The day the beacon was published, YYYY-MM-DD.") var beaconDate: String
        @Option(name: .customLong("occurred-on"), help: "The day of the draw (default today).") var occurredOn: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let db = try await database.connect()
            let draw = try await db.withConnection { connection in
                let performed: (line: String, drawn: RecordedDraw)
                do {
                    performed = try DrawCommand.read(key, connection).performing(
                        beacon: beacon, beaconDate: beaconDate,
                        occurredOn: occurredOn ?? LedgerConfiguration.fromEnvironment().today.description, actor: defaultActor())
                } catch {
                    throw CLIFailure.invalid("draw-\(key): \(error)")
                }
                try DrawCommand.append([performed.line], connection)
                return performed.drawn
            }
            let targets = draw.performed?.targets ?? []
            print("draw-\(key): \(targets.count) of \(draw.pool.count) institutions, seed \(draw.seed(beacon: beacon))")
            for (index, target) in targets.enumerated() {
                print("\(index + 1). institution-\(target.institution)  \(target.inspectors.joined(separator: ", "))")
            }
            if draw.verifiable == false {
                printError("note: the beacon of \(beaconDate) is not after the day the plan was recorded; the draw is shown as not verifiable")
            }
        }
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "plan", abstract: "Record a draw's plan (DrawPlanned).")

        @Argument(help: "The draw's key (draw-KEY).") var key: String
        @Option(help: "The district (default: the whole city).") var district: String?
        @Option(name: .customLong("matter"), help: "A matter inspected (抽查事项); repeat for each.") var matters: [String] = []
        @Option(name: .customLong("ratio-percent"), help: "Draw this percentage of the pool (1–100, rounded up).") var ratioPercent: Int?
        @Option(help: "Draw this many targets.") var count: Int?
        @Option(name: .customLong("inspector"), help: "An inspector of the pool; repeat for each (at least 2).") var inspectors: [String] = []
        @Option(name: .customLong("per-target"), help: "Inspectors drawn for each target (at least 2).") var perTarget = 2
        @Option(name: .customLong("recuse"), help: "INSPECTOR:INSTITUTION, an inspector who may not inspect that institution; repeatable.")
        var recusals: [String] = []
        @Option(name: .customLong("window-from"), help: "First day of the inspections.") var windowFrom: String
        @Option(name: .customLong("window-to"), help: "Last day of the inspections.") var windowTo: String
        @Option(help: "Only institutions of this category (academic, non_academic).") var category: String?
        @Option(help: "Only licensed (true) or unlicensed (false) institutions.") var licensed: Bool?
        @Option(help: "Only institutions of this specialty.") var specialty: String?
        @Option(name: .customLong("occurred-on"), help: "The day of the plan (default today).") var occurredOn: String?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            var data: [String: JSON] = [
                "matters": .array(matters.map(JSON.string)), "inspectors": .array(inspectors.map(JSON.string)),
                "per_target": .integer(Int64(perTarget)),
                "window": .object(["from": .string(windowFrom), "to": .string(windowTo)]),
            ]
            if let district { data["district"] = .string(district) }
            if let ratioPercent { data["ratio_percent"] = .integer(Int64(ratioPercent)) }
            if let count { data["count"] = .integer(Int64(count)) }
            var filter: [String: JSON] = [:]
            if let category { filter["category"] = .string(category) }
            if let licensed { filter["licensed"] = .bool(licensed) }
            if let specialty { filter["specialty"] = .string(specialty) }
            if !filter.isEmpty { data["filter"] = .object(filter) }
            if !recusals.isEmpty {
                data["recusals"] = .array(try recusals.map { text in
                    let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { throw CLIFailure.invalid("--recuse takes INSPECTOR:INSTITUTION, found '\(text)'") }
                    return .object(["inspector": .string(parts[0]), "institution": .string(parts[1])])
                })
            }
            let db = try await database.connect()
            let line = DrawCommand.line(key, .drawPlanned, occurredOn: occurredOn, data)
            let draw = try await db.withConnection { connection in
                try DrawCommand.append([line], connection)
                return try DrawCommand.read(key, connection)
            }
            print("planned draw-\(key): a pool of \(draw.pool.count) institutions, \(Draw.targetCount(draw.plan, poolSize: draw.pool.count)) to draw")
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify", abstract: "Recompute a recorded draw from the ledger: exit 0, or 1 naming the first difference.")

        @Argument(help: "The draw's key (draw-KEY).") var key: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let db = try await database.connect()
            let draw = try await db.withConnection { try DrawCommand.read(key, $0) }
            guard let performed = draw.performed else { throw CLIFailure.invalid("draw-\(key) is planned but not drawn yet") }
            let expected: [Draw.Target]
            do {
                expected = try draw.expected(beacon: performed.beacon)
            } catch {
                throw CLIFailure(code: CLIFailure.checkFailed, message: "draw-\(key): \(error)")
            }
            if let difference = Draw.difference(performed.targets, expected) {
                throw CLIFailure(code: CLIFailure.checkFailed, message: "draw-\(key) does not match its plan, pool and beacon: \(difference)")
            }
            print("draw-\(key) verified: \(expected.count) targets from a pool of \(draw.pool.count), seed \(draw.seed(beacon: performed.beacon))"
                + (draw.verifiable == false ? " (not verifiable: the beacon predates the plan's recording)" : ""))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "A draw: its plan, pool, seed, targets with their inspectors, which are inspected, whether it is verifiable.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Argument(help: "The draw's key (draw-KEY).") var key: String
        @Option(help: "text, or json (what ops/verify-draw takes)") var format: Format = .text
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let db = try await database.connect()
            let draw = try await db.withConnection { try DrawCommand.read(key, $0) }
            guard format == .text else {
                print(draw.published.canonicalText)
                return
            }
            let size = switch draw.plan.size {
            case .count(let count): "\(count) targets"
            case .ratio(let percent): "\(percent)% of the pool"
            }
            print("draw-\(key)  planned \(draw.plannedOn) for \(draw.plan.district ?? "全市"): \(size), \(draw.plan.perTarget) inspectors each")
            print("matters: \(draw.plan.matters.joined(separator: "、"))   window \(draw.plan.windowFrom) … \(draw.plan.windowTo)")
            print("pool: \(draw.pool.count) institutions   inspectors: \(Draw.sorted(draw.plan.inspectors).joined(separator: ", "))")
            guard let performed = draw.performed else {
                print("not drawn yet")
                return
            }
            print("beacon: \(performed.beacon) (\(performed.beaconDate))   seed \(draw.seed(beacon: performed.beacon))")
            print("verifiable: \(draw.verifiable == true ? "yes" : "no (the beacon is not after the day the plan was recorded)")")
            for (index, target) in performed.targets.enumerated() {
                let state = draw.inspected.contains(target.institution) ? "inspected" : "not inspected"
                print("\(index + 1). institution-\(target.institution)  \(target.inspectors.joined(separator: ", "))  \(state)")
            }
            print(draw.publishedOn.map { "results published \($0)" } ?? "results not published yet")
        }
    }
}
