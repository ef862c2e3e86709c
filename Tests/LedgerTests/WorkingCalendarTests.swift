import EventStore
import Foundation
import Ledger
import TestSupport
import Testing

/// SPEC §8's deadline arithmetic on the published 2021–2026 schedules the project ships
/// (`ops/data/calendar-2021-2026.jsonl`). No database.
@Suite struct WorkingCalendarTests {
    /// Each year's holidays and 调休 workdays as the shipped file publishes them.
    static let published: [(year: Int, holidays: [CalendarDate], workdays: [CalendarDate])] = {
        return ((try? TestDatabase.shippedCalendars()) ?? []).compactMap { line in
            guard let json = try? JSONParser.parse(Array(line.utf8)), let stream = json["stream"]?.stringValue,
                  let year = Int(stream.dropFirst("calendar-".count)), let data = json["data"] else { return nil }
            func days(_ key: String) -> [CalendarDate] {
                guard case .array(let items)? = data[key] else { return [] }
                return items.compactMap { $0.stringValue.flatMap(CalendarDate.init) }
            }
            return (year, days("holidays"), days("workdays"))
        }
    }()

    static let calendar = WorkingCalendar(years: Dictionary(uniqueKeysWithValues: published.map {
        ($0.year, WorkingCalendar.Year(holidays: Set($0.holidays), workdays: Set($0.workdays)))
    }))

    func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test func theShippedFileHoldsEveryYearFrom2021To2026() {
        #expect(Self.published.map(\.year) == Array(2021...2026))
        for year in Self.published {
            #expect(Set(year.holidays).isDisjoint(with: year.workdays), "\(year.year)")
            #expect((year.holidays + year.workdays).allSatisfy { $0.year == year.year })
        }
    }

    @Test func theIssuesExample() {
        // 9-29 and 10-12 are 调休 workdays, 10-01…10-07 a holiday.
        #expect(Self.calendar.workingDays(7, after: day("2024-09-27")) == .on(day("2024-10-12")))
    }

    /// Every 调休 workday of 2021–2026 is a working day although it is a weekend day, and is the
    /// first working day after the working day before it.
    @Test func everyAdjustedWorkdayIsAWorkingDay() {
        let all = Self.published.flatMap(\.workdays)
        #expect(all.count >= 30)
        for workday in all {
            #expect(WorkingCalendar.isWeekend(workday), "\(workday) is published as 调休 but is not a weekend day")
            #expect(Self.calendar.isWorkingDay(workday) == true, "\(workday)")
            var before = workday.adding(days: -1)
            while Self.calendar.isWorkingDay(before) == false { before = before.adding(days: -1) }
            #expect(Self.calendar.workingDays(1, after: before) == .on(workday), "\(workday)")
        }
    }

    /// Every published holiday is a day off, and a period starting on it counts from the day after.
    @Test func everyHolidayIsADayOff() {
        for holiday in Self.published.flatMap(\.holidays) {
            #expect(Self.calendar.isWorkingDay(holiday) == false, "\(holiday)")
            let next = Self.calendar.workingDays(1, after: holiday).day!
            #expect(next > holiday)
            #expect(Self.calendar.days(0, after: holiday) == .on(next), "a calendar deadline on \(holiday) moves to \(next)")
        }
    }

    @Test func ordinaryWeekendsAndWeekdays() {
        #expect(Self.calendar.isWorkingDay(day("2024-03-09")) == false)  // a Saturday
        #expect(Self.calendar.isWorkingDay(day("2024-03-11")) == true)   // a Monday
        #expect(WorkingCalendar.isWeekend(day("1970-01-03")))             // a Saturday, before day 0
        #expect(WorkingCalendar.isWeekend(day("1969-12-28")))             // a Sunday
        #expect(!WorkingCalendar.isWeekend(day("1969-12-31")))            // a Wednesday
    }

    @Test func workingDaysCountStrictlyAfterTheDay() {
        // From a Saturday: the Monday is the first.
        #expect(Self.calendar.workingDays(1, after: day("2024-03-09")) == .on(day("2024-03-11")))
        // From a Friday: the Monday too, then on through the week.
        #expect(Self.calendar.workingDays(1, after: day("2024-03-08")) == .on(day("2024-03-11")))
        #expect(Self.calendar.workingDays(5, after: day("2024-03-08")) == .on(day("2024-03-15")))
        // Across the 2025 Spring Festival (01-28…02-04 off; 01-26 and 02-08 worked).
        #expect(Self.calendar.workingDays(1, after: day("2025-01-24")) == .on(day("2025-01-26")))
        #expect(Self.calendar.workingDays(2, after: day("2025-01-24")) == .on(day("2025-01-27")))
        #expect(Self.calendar.workingDays(3, after: day("2025-01-24")) == .on(day("2025-02-05")))
        // Across a year end.
        #expect(Self.calendar.workingDays(3, after: day("2022-12-29")) == .on(day("2023-01-04")))
    }

    @Test func calendarDaysMoveToTheNextWorkingDay() {
        #expect(Self.calendar.days(15, after: day("2024-03-01")) == .on(day("2024-03-18")))  // 03-16 is a Saturday
        #expect(Self.calendar.days(3, after: day("2024-09-28")) == .on(day("2024-10-08")))   // 10-01 is in the holiday
        #expect(Self.calendar.days(2, after: day("2024-09-27")) == .on(day("2024-09-29")))   // 09-29 a 调休 Sunday
    }

    @Test func monthsKeepTheDayOrTakeTheMonthsLast() {
        #expect(Self.calendar.months(3, after: day("2024-04-30")) == .on(day("2024-07-30")))
        #expect(Self.calendar.months(3, after: day("2023-11-30")) == .on(day("2024-02-29")))  // a Thursday, leap year
        #expect(Self.calendar.months(3, after: day("2022-11-30")) == .on(day("2023-02-28")))  // a Tuesday
        #expect(Self.calendar.months(1, after: day("2024-08-31")) == .on(day("2024-09-30")))
        #expect(Self.calendar.months(6, after: day("2024-04-01")) == .on(day("2024-10-08")))  // 10-01 in the holiday
        #expect(Self.calendar.months(2, after: day("2024-10-31")) == .on(day("2024-12-31")))
    }

    @Test func aMissingYearIsUnknownNeverAGuess() {
        #expect(Self.calendar.workingDays(10, after: day("2026-12-24")) == .unknown(missingYear: 2027))
        #expect(Self.calendar.days(30, after: day("2026-12-15")) == .unknown(missingYear: 2027))
        #expect(Self.calendar.months(1, after: day("2026-12-01")) == .unknown(missingYear: 2027))
        #expect(Self.calendar.isWorkingDay(day("2020-06-01")) == nil)
        #expect(WorkingCalendar.Due.unknown(missingYear: 2027).description == "unknown (no working-day calendar for 2027)")
        #expect(Self.calendar.workingDaysLeft(on: day("2026-12-30"), until: day("2027-01-05")) == nil)
    }

    @Test func workingDaysLeftCountBothWays() {
        let due = day("2024-10-12")
        #expect(Self.calendar.workingDaysLeft(on: due, until: due) == 0)
        #expect(Self.calendar.workingDaysLeft(on: day("2024-09-27"), until: due) == 7)
        #expect(Self.calendar.workingDaysLeft(on: day("2024-10-14"), until: due) == -1)  // 10-13 a Sunday
        #expect(Self.calendar.workingDaysLeft(on: day("2024-10-15"), until: due) == -2)
    }

    /// The count of working days between two days (weekdays, less holidays, plus 调休 workdays)
    /// equals walking the days one by one, for spans from a day to six years, both ways.
    @Test func countingWorkingDaysEqualsWalkingThem() {
        let first = day("2021-01-01").dayNumber, last = day("2026-12-31").dayNumber
        for low in stride(from: first - 1, through: last, by: 3) {
            var walked = 0
            for high in (low + 1)...last {
                if Self.calendar.isWorkingDay(CalendarDate(dayNumber: high)) == true { walked += 1 }
                guard high % 29 == 0 || high == last || high - low < 40 else { continue }
                let (a, b) = (CalendarDate(dayNumber: low), CalendarDate(dayNumber: high))
                let counted = Self.calendar.workingDays(after: a, through: b)
                #expect(counted == walked, "\(a) … \(b)")
                #expect(Self.calendar.workingDaysLeft(on: b, until: a) == counted.map { -$0 })
            }
        }
    }

    @Test func aLaterPublicationReplacesTheEarlier() {
        var calendar = Self.calendar
        calendar.publish(.init(holidays: [day("2024-03-11")], workdays: []), for: 2024)
        #expect(calendar.isWorkingDay(day("2024-03-11")) == false)
        #expect(calendar.isWorkingDay(day("2024-10-01")) == true)  // the correction holds only what it says
    }
}
