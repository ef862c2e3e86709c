import EventStore

/// The working-day calendar of SPEC §8 and its deadline arithmetic: pure, no database.
///
/// A working day is a Monday–Friday not in the year's `holidays`, or a day in its `workdays`
/// (调休上班). A computation that needs a year with no calendar is never guessed: it is
/// ``Due/unknown(missingYear:)``.
public struct WorkingCalendar: Sendable, Equatable {
    /// One year's calendar (a `CalendarPublished`).
    public struct Year: Sendable, Equatable {
        /// Every day off that is not an ordinary Saturday or Sunday, and the weekend days inside a holiday.
        public var holidays: Set<CalendarDate>
        /// Weekend days worked (调休上班).
        public var workdays: Set<CalendarDate>

        public init(holidays: Set<CalendarDate>, workdays: Set<CalendarDate>) {
            self.holidays = holidays
            self.workdays = workdays
        }
    }

    /// A deadline: a day, or unknown because a year it needs has no calendar.
    public enum Due: Sendable, Equatable, CustomStringConvertible {
        case on(CalendarDate)
        case unknown(missingYear: Int)

        public var day: CalendarDate? {
            if case .on(let day) = self { day } else { nil }
        }

        public var description: String {
            switch self {
            case .on(let day): day.description
            case .unknown(let year): "unknown (no working-day calendar for \(year))"
            }
        }
    }

    /// The calendar of each year published.
    public private(set) var years: [Int: Year]

    public init(years: [Int: Year] = [:]) {
        self.years = years
    }

    /// Publishes (or corrects: the later replaces the earlier) the calendar of `year`.
    public mutating func publish(_ calendar: Year, for year: Int) {
        years[year] = calendar
    }

    /// Whether `day` is a working day; nil when its year has no calendar.
    public func isWorkingDay(_ day: CalendarDate) -> Bool? {
        guard let year = years[day.year] else { return nil }
        if year.workdays.contains(day) { return true }
        if year.holidays.contains(day) { return false }
        return !Self.isWeekend(day)
    }

    /// Saturday or Sunday (1970-01-01, day 0, was a Thursday).
    public static func isWeekend(_ day: CalendarDate) -> Bool {
        let weekday = ((day.dayNumber % 7) + 7 + 3) % 7  // 0 = Monday … 6 = Sunday
        return weekday >= 5
    }

    /// The N-th working day strictly after `day`, whether or not `day` is one ("within N working
    /// days of d").
    public func workingDays(_ count: Int, after day: CalendarDate) -> Due {
        var current = day, found = 0
        while found < count {
            current = current.next
            guard let working = isWorkingDay(current) else { return .unknown(missingYear: current.year) }
            if working { found += 1 }
        }
        return .on(current)
    }

    /// `day` itself when it is a working day, otherwise the next one.
    public func workingDay(onOrAfter day: CalendarDate) -> Due {
        var current = day
        while true {
            guard let working = isWorkingDay(current) else { return .unknown(missingYear: current.year) }
            if working { return .on(current) }
            current = current.next
        }
    }

    /// `day` + N calendar days, moved to the next working day when that is not one.
    public func days(_ count: Int, after day: CalendarDate) -> Due {
        workingDay(onOrAfter: day.adding(days: count))
    }

    /// The same day-of-month N months later (that month's last day when it has fewer), moved to
    /// the next working day when that is not one: 04-30 + 3 months = 07-30; 11-30 + 3 = 02-28/29.
    public func months(_ count: Int, after day: CalendarDate) -> Due {
        workingDay(onOrAfter: Self.sameDay(count, monthsAfter: day))
    }

    /// The same day-of-month `count` months later, or that month's last day when it has fewer;
    /// not moved (a limitation period, Art 36).
    public static func sameDay(_ count: Int, monthsAfter day: CalendarDate) -> CalendarDate {
        let index = day.year * 12 + (day.month - 1) + count
        let year = index / 12, month = index % 12 + 1
        var dayOfMonth = day.day
        while CalendarDate(year: year, month: month, day: dayOfMonth) == nil { dayOfMonth -= 1 }
        return CalendarDate(year: year, month: month, day: dayOfMonth)!
    }

    /// Working days left on `today` until `due`: when `due` ≥ `today`, the working days in
    /// (today, due] (0 = due today); otherwise minus the working days in (due, today]. Nil when a
    /// year between has no calendar.
    public func workingDaysLeft(on today: CalendarDate, until due: CalendarDate) -> Int? {
        due >= today ? workingDays(after: today, through: due) : workingDays(after: due, through: today).map { -$0 }
    }

    /// The working days in (`low`, `high`]; nil when a year in it has no calendar. Counted, not
    /// walked: the weekdays between, less the holidays on weekdays, plus the weekend days worked,
    /// so a notice overdue for years costs what one due tomorrow does.
    public func workingDays(after low: CalendarDate, through high: CalendarDate) -> Int? {
        guard low < high else { return 0 }
        var count = Self.weekdays(through: high) - Self.weekdays(through: low)
        for number in low.next.year...high.year {
            guard let year = years[number] else { return nil }
            for day in year.holidays where day > low && day <= high && !Self.isWeekend(day) { count -= 1 }
            for day in year.workdays where day > low && day <= high && Self.isWeekend(day) { count += 1 }
        }
        return count
    }

    /// How many Mondays to Fridays there are up to `day`, from a fixed origin: only differences
    /// mean anything.
    static func weekdays(through day: CalendarDate) -> Int {
        // `day.dayNumber + 3` is 0 on a Monday (day 0 was a Thursday); count the days 0…4 of
        // each week up to it, with floor division so days before the origin count too.
        let days = day.dayNumber + 3 + 1
        let weeks = days >= 0 ? days / 7 : -((-days + 6) / 7)
        return 5 * weeks + min(days - 7 * weeks, 5)
    }
}
