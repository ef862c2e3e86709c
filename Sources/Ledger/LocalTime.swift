import EventStore
import Foundation

/// Times as staff read them (issue 19): the ledger stores `recorded_at` in UTC and JSON keeps it
/// so; every page, `history` text and reply shows it in the bureau's time zone
/// (`LEDGER_TIMEZONE`, Asia/Shanghai by default), named: `2026-11-30 13:14:24 北京时间`.
extension LedgerConfiguration {
    /// `recordedAt` (ISO 8601 in UTC, `2026-11-30T05:14:24.414398Z`) in the bureau's time zone,
    /// to the second, with the zone's name; the text as given when it does not read.
    public func localTime(_ recordedAt: String) -> String {
        guard let local = LocalTime(recordedAt, in: timeZone) else { return recordedAt }
        return "\(local.day) \(local.clock) \(zoneName)"
    }

    /// The day of `recordedAt` in the bureau's time zone (`2026-11-30`).
    public func localDay(_ recordedAt: String) -> String {
        LocalTime(recordedAt, in: timeZone)?.day ?? String(recordedAt.prefix(10))
    }

    /// What the time zone is called where the staff read it.
    public var zoneName: String {
        ["Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC"].contains(timeZone.identifier) ? "北京时间" : timeZone.identifier
    }
}

/// A UTC timestamp of the ledger, read and moved into a time zone.
struct LocalTime {
    var day: String
    var clock: String

    init?(_ text: String, in zone: TimeZone) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T"), bytes.last == UInt8(ascii: "Z"),
              let date = CalendarDate(String(text.prefix(10))) else { return nil }
        let fields = text.dropFirst(11).prefix(8).split(separator: ":").compactMap { Int($0) }
        guard fields.count == 3 else { return nil }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        guard let instant = utc.date(from: DateComponents(
            year: date.year, month: date.month, day: date.day, hour: fields[0], minute: fields[1], second: fields[2])) else { return nil }
        var local = Calendar(identifier: .gregorian)
        local.timeZone = zone
        let parts = local.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        guard let year = parts.year, let month = parts.month, let dayOfMonth = parts.day,
              let hour = parts.hour, let minute = parts.minute, let second = parts.second,
              let localDate = CalendarDate(year: year, month: month, day: dayOfMonth) else { return nil }
        day = localDate.description
        clock = [hour, minute, second].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
    }
}
