import EventStore
import Foundation

/// What a deployment configures: its districts, in the order reports list them, and its time zone.
public struct LedgerConfiguration: Sendable {
    /// District names in reporting order (常州: 溧阳市, 金坛区, 武进区, 新北区, 天宁区, 钟楼区, 经开区).
    public var districts: [String]
    /// Where the bureau is: decides when "today" begins for the not-after-today rule.
    public var timeZone: TimeZone
    /// A fixed "today" instead of the clock's (tests, and a service shown as of a day).
    public var fixedToday: CalendarDate?

    public init(districts: [String], timeZone: TimeZone) {
        self.districts = districts
        self.timeZone = timeZone
    }

    /// Changzhou, the reference city.
    public static let changzhou = LedgerConfiguration(
        districts: ["溧阳市", "金坛区", "武进区", "新北区", "天宁区", "钟楼区", "经开区"],
        timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    /// Changzhou unless the environment says otherwise: `LEDGER_DISTRICTS` (comma-separated) and
    /// `LEDGER_TIMEZONE` (an IANA name).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> LedgerConfiguration {
        var configuration = LedgerConfiguration.changzhou
        if let list = environment["LEDGER_DISTRICTS"], !list.isEmpty {
            configuration.districts = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        if let name = environment["LEDGER_TIMEZONE"], let zone = TimeZone(identifier: name) {
            configuration.timeZone = zone
        }
        return configuration
    }

    /// Today in the bureau's time zone (or the fixed day).
    public var today: CalendarDate { fixedToday ?? CalendarDate.today(in: timeZone) }
}
