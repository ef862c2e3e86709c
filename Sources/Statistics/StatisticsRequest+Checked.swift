import EventStore
import Ledger

extension StatisticsRequest {
    /// A period, district or baseline that cannot be asked for, named by its parameter.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        /// The parameter: `from`, `to`, `district` or `baseline`.
        public var parameter: String
        /// Why, in both languages, with its code.
        public var because: Reason
        public var reason: String { because.english }
        /// True when the value is not even of the right form (a usage error on the command line).
        public var isMalformed: Bool

        public var description: String { "\(parameter) \(reason)" }

        public init(parameter: String, reason: Reason, isMalformed: Bool) {
            self.parameter = parameter
            self.because = reason
            self.isMalformed = isMalformed
        }
    }

    /// The days a period or a baseline may name. No event is dated before 2000-01-01 (SPEC §2),
    /// and none after today; the bounds leave room either side and keep the database's date
    /// arithmetic far from its limits.
    public static let askableDays = CalendarDate(year: 1900, month: 1, day: 1)!...CalendarDate(year: 2099, month: 12, day: 31)!

    /// The request for what a person typed, checked: dates of the right form within
    /// ``askableDays``, a period that does not end before it starts, a configured district.
    public static func checked(
        from: String, to: String, district: String?, baseline: String?, _ configuration: LedgerConfiguration
    ) throws(Invalid) -> StatisticsRequest {
        let start = try day(from, parameter: "from")
        let end = try day(to, parameter: "to")
        guard start <= end else { throw Invalid(parameter: "from", reason: .periodReversed(start, to: end), isMalformed: true) }
        var request = StatisticsRequest(from: start, to: end, district: district)
        if let baseline { request.baseline = try day(baseline, parameter: "baseline") }
        try checkDistrict(district, configuration)
        return request
    }

    /// A district that is not configured is refused (not malformed: the command exits 65).
    static func checkDistrict(_ district: String?, _ configuration: LedgerConfiguration) throws(Invalid) {
        guard let district, !configuration.districts.contains(district) else { return }
        throw Invalid(
            parameter: "district",
            reason: .unknownDistrict(district, configured: configuration.districts),
            isMalformed: false)
    }

    static func day(_ text: String, parameter: String) throws(Invalid) -> CalendarDate {
        guard let day = CalendarDate(text) else { throw Invalid(parameter: parameter, reason: .parameterNotDate, isMalformed: true) }
        guard askableDays.contains(day) else {
            throw Invalid(
                parameter: parameter,
                reason: .outsideAskable(day, from: askableDays.lowerBound, to: askableDays.upperBound),
                isMalformed: true)
        }
        return day
    }
}
