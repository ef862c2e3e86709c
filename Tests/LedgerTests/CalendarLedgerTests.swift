import EventStore
import Foundation
import Ledger
import TestSupport
import Testing

/// The calendar as ledger data (SPEC §8): imported from the shipped file, corrected by a later
/// `CalendarPublished`, read as the ledger stood at a position.
@Suite struct CalendarLedgerTests {
    /// After the 2026 calendar was published (2025-11-04).
    static let today = CalendarDate("2026-11-30")!

    func importShipped(_ ledger: TestLedger) throws -> Appender.Outcome {
        try ledger.append(TestDatabase.shippedCalendars())
    }

    @Test func theShippedCalendarsImportOnceAndComputeTheIssuesExample() throws {
        let ledger = try TestLedger("calendar_import", today: Self.today)
        #expect(try importShipped(ledger).appended == 6)
        #expect(try importShipped(ledger).duplicates == 6)
        let calendar = try WorkingCalendar.published(configuration: .changzhou, ledger.database.connect())
        #expect(calendar.years.keys.sorted() == Array(2021...2026))
        #expect(calendar.workingDays(7, after: CalendarDate("2024-09-27")!) == .on(CalendarDate("2024-10-12")!))
        #expect(calendar.workingDays(7, after: CalendarDate("2026-12-28")!) == .unknown(missingYear: 2027))
    }

    @Test func aLaterPublicationCorrectsTheYearAndAnEarlierPositionKeepsTheFirst() throws {
        let ledger = try TestLedger("calendar_correction", today: Self.today)
        _ = try importShipped(ledger)
        let connection = try ledger.database.connect()
        let before = try EventStore().headPosition(connection)
        // A correction that makes 2024-10-08 a holiday too.
        let original = try WorkingCalendar.published(configuration: .changzhou, connection).years[2024]!
        let holidays = (original.holidays.map(\.description) + ["2024-10-08"]).sorted().map { "\"\($0)\"" }.joined(separator: ",")
        let workdays = original.workdays.map(\.description).sorted().map { "\"\($0)\"" }.joined(separator: ",")
        let correction = Events.newID()
        try ledger.append([Events.line(
            "calendar-2024", "CalendarPublished", #"{"holidays":[\#(holidays)],"workdays":[\#(workdays)],"source":"更正"}"#,
            id: correction, on: "2024-09-01")])
        let corrected = try WorkingCalendar.published(configuration: .changzhou, connection)
        #expect(corrected.isWorkingDay(CalendarDate("2024-10-08")!) == false)
        #expect(corrected.workingDays(7, after: CalendarDate("2024-09-27")!) == .on(CalendarDate("2024-10-14")!))
        let then = try WorkingCalendar.published(atPosition: before, configuration: .changzhou, connection)
        #expect(then.isWorkingDay(CalendarDate("2024-10-08")!) == true)
        // Voiding the correction restores the published calendar.
        try ledger.append([Events.line("calendar-2024", "EntryVoided", #"{"event_id":"\#(correction)","reason":"误录"}"#, on: "2024-09-02")])
        #expect(try WorkingCalendar.published(configuration: .changzhou, connection).years[2024] == original)
    }

    /// `ledger.working_day_on_or_after` (SQL, for provenance queries) and
    /// `WorkingCalendar.workingDay(onOrAfter:)` agree on every day of 2021–2026 and into 2027.
    @Test func theSQLWorkingDayIsTheSwiftOne() throws {
        let ledger = try TestLedger("calendar_sql", today: Self.today)
        _ = try importShipped(ledger)
        let connection = try ledger.database.connect()
        let calendar = try WorkingCalendar.published(configuration: .changzhou, connection)
        let rows = try connection.execute("""
            SELECT d::date::text AS day, ledger.working_day_on_or_after(d::date, 1000)::text AS working
              FROM generate_series('2021-01-01'::timestamp, '2027-01-10'::timestamp, interval '1 day') AS d
            """)
        #expect(rows.count > 2_000)
        for row in rows {
            let day = CalendarDate(row["day"]!)!
            #expect(row["working"] == calendar.workingDay(onOrAfter: day).day?.description, "\(day)")
        }
    }

    /// The database admits every stream category of the catalogue (its constraint is the last line).
    @Test func theDatabaseAdmitsEveryCategory() throws {
        let ledger = try TestLedger("calendar_categories")
        let definition: String = try ledger.database.connect().execute("""
            SELECT pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE conname = 'events_stream_check'
            """)[0].decode("d")
        for category in StreamCategory.allCases {
            #expect(definition.contains(category.rawValue), "\(category) is not admitted by events_stream_check")
        }
    }
}
