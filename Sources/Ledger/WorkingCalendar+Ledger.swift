import EventStore
import Postgres

extension WorkingCalendar {
    /// Publishes (or corrects) the calendar of `year` as a `CalendarPublished` gives it.
    public mutating func publish(_ published: EventPayload.CalendarPublished, for year: Int) {
        publish(Year(holidays: Set(published.holidays), workdays: Set(published.workdays)), for: year)
    }

    /// The calendar the ledger holds (SPEC §8): for each `calendar-<year>` stream, its latest live
    /// `CalendarPublished` (a later one corrects the earlier), as the ledger stood at `position`
    /// (now, when nil). So a deadline computed years later is the one that applied then.
    public static func published(
        atPosition position: Int64? = nil, configuration: LedgerConfiguration, _ connection: Connection
    ) throws -> WorkingCalendar {
        let rows = try connection.execute("""
            SELECT DISTINCT ON (stream) stream, data::text AS data
              FROM ledger.live_events(\(position ?? Int64.max))
             WHERE type = \(type: .calendarPublished)
             ORDER BY stream, version DESC
            """)
        var calendar = WorkingCalendar()
        for row in rows {
            guard let stream = row["stream"].flatMap(StreamName.init), let year = Int(stream.key),
                  let data = row["data"], let json = try? JSONParser.parse(Array(data.utf8)),
                  case .valid(.calendarPublished(let published)) = EventPayload.decode(.calendarPublished, json, configuration: configuration)
            else { continue }
            calendar.publish(published, for: year)
        }
        return calendar
    }
}
