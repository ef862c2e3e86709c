-- Created in each generation's schema by its projection (Projections/*.swift), which attaches it
-- as a statement-level trigger; a change here is a change of the projection's `definition`.
--
-- institution_events (one row per event) and institution_counts (events counted per institution,
-- day and type) → institution_daily(day, district, type, events, amount), and the same per month
-- (institution_monthly, month = its first day) so a long period reads months plus the days at its
-- ends. TG_ARGV[0] says how a row counts: 'row' (one event) or 'events' (its events column).
-- One event a row (institution_events) is rolled up by type, a closure by type and reason
-- ('InstitutionClosed:unlicensed_shutdown'), and a penalty's amount only while it is not revoked
-- (settled_on), so the period's fines net of revocations are a sum over days.
CREATE FUNCTION roll_institution_events() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
    rollup text[];
BEGIN
    FOREACH rollup SLICE 1 IN ARRAY ARRAY[['institution_daily', 'day', 'occurred_on'],
                                          ['institution_monthly', 'month', 'date_trunc(''month'', occurred_on)::date']] LOOP
        EXECUTE format($q$
            INSERT INTO %1$I.%2$I AS d (%3$I, district, type, events, amount)
            SELECT %4$s, coalesce(district, ''), %6$s, $1 * %5$s, $1 * coalesce(%7$s, 0)
              FROM changed
             GROUP BY 1, 2, 3
            ON CONFLICT (%3$I, district, type)
            DO UPDATE SET events = d.events + excluded.events, amount = d.amount + excluded.amount
            $q$, TG_TABLE_SCHEMA, rollup[1], rollup[2], rollup[3],
            CASE TG_ARGV[0] WHEN 'events' THEN 'sum(events)' ELSE 'count(*)' END,
            CASE TG_ARGV[0] WHEN 'events' THEN 'type'
                 ELSE $t$CASE type WHEN 'InstitutionClosed' THEN type || ':' || coalesce(key, '') ELSE type END$t$ END,
            CASE TG_ARGV[0] WHEN 'events' THEN 'sum(amount)' ELSE 'sum(amount) FILTER (WHERE settled_on IS NULL)' END)
            USING CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
    END LOOP;
    RETURN NULL;
END
$$;
