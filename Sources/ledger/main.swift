import Foundation
import LedgerCLI

exit(await LedgerCommand.run(Array(CommandLine.arguments.dropFirst())))
