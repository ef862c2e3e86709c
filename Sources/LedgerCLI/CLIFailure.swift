import Foundation
import Ledger

/// Who records an event or a reply when no --actor is given: $LEDGER_ACTOR, else the login name.
func defaultActor() -> String {
    let environment = ProcessInfo.processInfo.environment
    return environment["LEDGER_ACTOR"] ?? environment["USER"] ?? NSUserName()
}

/// The language rejections are reported in: Chinese when the locale is (`LANG=zh_CN.UTF-8`),
/// English otherwise.
let commandLineLanguage = Language.ofLocale(ProcessInfo.processInfo.environment)

/// A failure the command line reports as one line on stderr, with the exit code of SPEC §7.
struct CLIFailure: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    var description: String { message }

    static let usage: Int32 = 2
    static let invalidInput: Int32 = 65
    static let unavailable: Int32 = 69
    static let conflict: Int32 = 75
    /// A check that found the ledger wrong (verify).
    static let checkFailed: Int32 = 1

    static func invalid(_ message: String) -> CLIFailure { CLIFailure(code: invalidInput, message: message) }

}

extension CLIFailure {
    /// A refused append: 69 when it needs what is not configured (the master key), 75 when every
    /// refusal is a version conflict, 65 otherwise; `message` as each command words it.
    init(_ rejected: Appender.Rejected, message: String) {
        let code = rejected.isUnavailable ? Self.unavailable : rejected.isConflict ? Self.conflict : Self.invalidInput
        self.init(code: code, message: message)
    }
}
