-- Kept here, one function a file, and re-applied by `ledger migrate` whenever this text changes.

-- SPEC §8 in SQL, for the provenance queries a reviewer runs: `p_day` when it is a working day,
-- else the next one, on the calendars the ledger held at p_position (each year's latest live
-- CalendarPublished); NULL when that day falls in a year with no calendar (never a guess). The
-- same as WorkingCalendar.workingDay(onOrAfter:) in Swift; WorkingCalendarSQLTests holds them equal.
CREATE OR REPLACE FUNCTION ledger.working_day_on_or_after(p_day date, p_position bigint)
RETURNS date
LANGUAGE sql STABLE
AS $$
    WITH calendars AS (
        SELECT DISTINCT ON (stream) substr(stream, 10)::integer AS year, data
          FROM ledger.live_events(p_position)
         WHERE type = 'CalendarPublished'
         ORDER BY stream, version DESC
    ), first AS (
        SELECT d::date AS day, c.year IS NULL AS unknown
          FROM generate_series(p_day::timestamp, p_day::timestamp + interval '60 days', interval '1 day') AS d
          LEFT JOIN calendars c ON c.year = extract(year FROM d)::integer
         WHERE c.year IS NULL
            OR (c.data -> 'workdays') ? to_char(d, 'YYYY-MM-DD')
            OR (extract(isodow FROM d) < 6 AND NOT (c.data -> 'holidays') ? to_char(d, 'YYYY-MM-DD'))
         ORDER BY d
         LIMIT 1
    )
    SELECT CASE WHEN unknown THEN NULL ELSE day END FROM first
$$;

GRANT EXECUTE ON FUNCTION ledger.working_day_on_or_after(date, bigint) TO ledger_app, ledger_reader;
