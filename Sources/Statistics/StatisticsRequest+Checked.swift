import EventStore
import Ledger

extension StatisticsRequest {
    /// A period, district or baseline that cannot be asked for, named by its parameter.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        /// The parameter: `from`, `to`, `district` or `baseline`.
        public var parameter: String
        public var reason: String
        /// True when the value is not even of the right form (a usage error on the command line).
        public var isMalformed: Bool

        public var description: String { "\(parameter) \(reason)" }
    }

    /// The request for what a person typed, checked: dates of the right form, a period that does
    /// not end before it starts, a configured district.
    public static func checked(
        from: String, to: String, district: String?, baseline: String?, _ configuration: LedgerConfiguration
    ) throws(Invalid) -> StatisticsRequest {
        guard let start = CalendarDate(from) else { throw Invalid(parameter: "from", reason: "must be a date YYYY-MM-DD", isMalformed: true) }
        guard let end = CalendarDate(to) else { throw Invalid(parameter: "to", reason: "must be a date YYYY-MM-DD", isMalformed: true) }
        guard start <= end else { throw Invalid(parameter: "from", reason: "\(start) is after to \(end)", isMalformed: true) }
        var request = StatisticsRequest(from: start, to: end, district: district)
        if let baseline {
            guard let day = CalendarDate(baseline) else {
                throw Invalid(parameter: "baseline", reason: "must be a date YYYY-MM-DD", isMalformed: true)
            }
            request.baseline = day
        }
        if let district, !configuration.districts.contains(district) {
            throw Invalid(
                parameter: "district",
                reason: "'\(district)' is not a configured district (\(configuration.districts.joined(separator: "、")))",
                isMalformed: false)
        }
        return request
    }
}
