-- Created in each generation's schema by its projection (Projections/*.swift), which attaches it
-- as a statement-level trigger; a change here is a change of the projection's `definition`.
--
-- obligations whose due day is given in the data (due_on: a notice's deadline, a draw's window)
-- → obligation_daily(kind, day, district, …), each obligation counted on up to three days:
--   created            on created_on;
--   discharged         on discharged_on, and discharged_on_time there when on or before due_on;
--   opened_overdue     on d = greatest(due_on, created_on - 1) unless discharged by d, and
--   closed_overdue     on discharged_on when that is after d.
-- An obligation is open past its due day on T (created by T, due before T, not discharged by T)
-- exactly when it opened before T and did not close by T, so that figure is
--   sum(opened_overdue) over day < T  -  sum(closed_overdue) over day <= T,
-- and every figure of SPEC §8 for these kinds is a sum over days: flat in the log's size.
-- Obligations whose due day comes from the working-day calendar are not rolled up: the calendar
-- is ledger data and a correction moves their due days (StatisticsQuery reads them one by one).
CREATE FUNCTION roll_obligations() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
    EXECUTE format($q$
        INSERT INTO %I.obligation_daily AS d
               (kind, day, district, created, discharged, discharged_on_time, opened_overdue, closed_overdue)
        SELECT c.kind, x.day, coalesce(c.district, ''),
               $1 * sum(x.created), $1 * sum(x.discharged), $1 * sum(x.on_time), $1 * sum(x.opened), $1 * sum(x.closed)
          FROM (SELECT *, greatest(due_on, created_on - 1) AS overdue_from FROM changed WHERE due_on IS NOT NULL) c
         CROSS JOIN LATERAL (VALUES
               (c.created_on, 1, 0, 0, 0, 0),
               (c.discharged_on, 0, 1, (c.discharged_on <= c.due_on)::integer, 0, (c.discharged_on > c.overdue_from)::integer),
               (c.overdue_from, 0, 0, 0, (c.discharged_on IS NULL OR c.discharged_on > c.overdue_from)::integer, 0)
         ) AS x (day, created, discharged, on_time, opened, closed)
         WHERE x.day IS NOT NULL
         GROUP BY 1, 2, 3
        ON CONFLICT (kind, day, district) DO UPDATE SET
            created = d.created + excluded.created, discharged = d.discharged + excluded.discharged,
            discharged_on_time = d.discharged_on_time + excluded.discharged_on_time,
            opened_overdue = d.opened_overdue + excluded.opened_overdue, closed_overdue = d.closed_overdue + excluded.closed_overdue
        $q$, TG_TABLE_SCHEMA)
        USING CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
    RETURN NULL;
END
$$;
