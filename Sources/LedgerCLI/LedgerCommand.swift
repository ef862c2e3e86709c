import ArgumentParser
import EventStore
import Foundation
import Postgres
import Statistics

/// `ledger`: the enforcement ledger's command line.
public struct LedgerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The enforcement ledger of off-campus training institutions: append, audit, verify.",
        discussion: """
            Exit codes: 0 success, 1 verification failed, 2 usage, 65 invalid input (nothing appended), \
            69 database unreachable, 75 concurrency conflict.
            """,
        subcommands: [
            MigrateCommand.self, ImportCommand.self, AppendCommand.self, HistoryCommand.self,
            VerifyCommand.self, DigestCommand.self, WorkerCommand.self, RebuildCommand.self, StatsCommand.self,
            ReplyCommand.self, RepliesCommand.self, AnswerCommand.self, DrawCommand.self, ReporterCommand.self, ForgetCommand.self, DeadlinesCommand.self, ServeCommand.self, UserCommand.self,
            GenerateCommand.self, BenchCommand.self,
        ])

    public init() {}

    /// Runs the command line and returns the process's exit code.
    public static func run(_ arguments: [String]) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let failure as CLIFailure {
            printError("error: \(failure.message)")
            return failure.code
        } catch let failure as LedgerError {
            printError("error: \(failure.message)")
            return 1
        } catch let unavailable as StatisticsService.Unavailable {
            printError("error: \(unavailable.description)")
            return CLIFailure.invalidInput
        } catch let invalid as StatisticsRequest.Invalid {
            printError("error: --\(invalid.description)")
            return invalid.isMalformed ? CLIFailure.usage : CLIFailure.invalidInput
        } catch let error as PostgresError where error.refusesWrites != nil {
            printError("error: \(error.refusesWrites ?? ""): nothing was written; retry once it takes writes again")
            return CLIFailure.unavailable
        } catch let error as PostgresError {
            let code = error.isConnectionFailure ? CLIFailure.unavailable : 1
            printError("error: database: \(error.description.replacingOccurrences(of: "\n", with: " "))")
            return code
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                return 0
            }
            printError(fullMessage(for: error))
            return code == .validationFailure ? CLIFailure.usage : code.rawValue
        }
    }
}
