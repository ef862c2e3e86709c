-- Rollups, so that `ledger stats` reads a few thousand daily rows however long the log grows.
--
-- Each is kept by statement-level triggers on a read model's table, from the rows the statement
-- changed (transition tables), in the same transaction as the change: a rollup is always exactly
-- the sum of its table. The projections create the rollup tables and attach these triggers in
-- each generation's schema (TG_TABLE_SCHEMA names it).

-- institution_events (one row per event) and institution_counts (events counted per institution,
-- day and type) → institution_daily(day, district, type, events, amount), and the same per month
-- (institution_monthly, month = its first day) so a long period reads months plus the days at its
-- ends. TG_ARGV[0] says how a row counts: 'row' (one event) or 'events' (its events column).
CREATE FUNCTION projections.roll_institution_events() RETURNS trigger
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
            SELECT %4$s, coalesce(district, ''), type, $1 * %5$s, $1 * coalesce(sum(amount), 0)
              FROM changed
             GROUP BY 1, 2, 3
            ON CONFLICT (%3$I, district, type)
            DO UPDATE SET events = d.events + excluded.events, amount = d.amount + excluded.amount
            $q$, TG_TABLE_SCHEMA, rollup[1], rollup[2], rollup[3],
            CASE TG_ARGV[0] WHEN 'events' THEN 'sum(events)' ELSE 'count(*)' END)
            USING CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
    END LOOP;
    RETURN NULL;
END
$$;

-- institution_states → member_changes(day, district, members, non_profit, fund_custody,
-- guidance_price): +1 where a member interval starts, -1 where it ends. The members on day T are
-- the sum over day <= T.
--
-- And, against the policy baseline B (TG_ARGV[0]), baseline_changes(day, district, compressed):
-- each institution that is a member on B counts +1 from the beginning of time, -1 while it is a
-- member; the sum over day <= T is how many of B's members are not members on T, by their
-- district on B. The projection always deletes and inserts all of an institution's intervals in
-- one statement, so each statement's rows hold whole institutions.
CREATE FUNCTION projections.roll_institution_states() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
    sign integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    EXECUTE format($q$
        INSERT INTO %I.member_changes AS d (day, district, members, non_profit, fund_custody, guidance_price)
        SELECT day, district, $1 * sum(members), $1 * sum(non_profit), $1 * sum(fund_custody), $1 * sum(guidance_price)
          FROM (
              SELECT valid_from AS day, coalesce(district, '') AS district, 1 AS members,
                     (for_profit IS FALSE)::integer AS non_profit, fund_custody::integer AS fund_custody,
                     guidance_price::integer AS guidance_price
                FROM changed WHERE member
              UNION ALL
              SELECT valid_to, coalesce(district, ''), -1,
                     -(for_profit IS FALSE)::integer, -fund_custody::integer, -guidance_price::integer
                FROM changed WHERE member AND valid_to IS NOT NULL
          ) c
         GROUP BY 1, 2
        ON CONFLICT (day, district)
        DO UPDATE SET members = d.members + excluded.members, non_profit = d.non_profit + excluded.non_profit,
                      fund_custody = d.fund_custody + excluded.fund_custody,
                      guidance_price = d.guidance_price + excluded.guidance_price
        $q$, TG_TABLE_SCHEMA) USING sign;

    EXECUTE format($q$
        WITH base AS (
            SELECT stream, coalesce(district, '') AS district FROM changed
             WHERE member AND valid_from <= $2 AND (valid_to IS NULL OR $2 < valid_to)
        )
        INSERT INTO %I.baseline_changes AS d (day, district, compressed)
        SELECT day, district, $1 * sum(delta)
          FROM (
              SELECT '-infinity'::date AS day, district, 1 AS delta FROM base
              UNION ALL
              SELECT c.valid_from, base.district, -1 FROM changed c JOIN base USING (stream) WHERE c.member
              UNION ALL
              SELECT c.valid_to, base.district, 1 FROM changed c JOIN base USING (stream)
               WHERE c.member AND c.valid_to IS NOT NULL
          ) x
         GROUP BY 1, 2
        ON CONFLICT (day, district) DO UPDATE SET compressed = d.compressed + excluded.compressed
        $q$, TG_TABLE_SCHEMA) USING sign, TG_ARGV[0]::date;
    RETURN NULL;
END
$$;

-- operations → operation_daily(day, district, operations, inspectors), live operations only.
CREATE FUNCTION projections.roll_operations() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format($q$
            INSERT INTO %I.operation_daily AS d (day, district, operations, inspectors)
            SELECT occurred_on, district, -count(*), -sum(inspectors) FROM before WHERE NOT voided GROUP BY 1, 2
            ON CONFLICT (day, district)
            DO UPDATE SET operations = d.operations + excluded.operations, inspectors = d.inspectors + excluded.inspectors
            $q$, TG_TABLE_SCHEMA);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        EXECUTE format($q$
            INSERT INTO %I.operation_daily AS d (day, district, operations, inspectors)
            SELECT occurred_on, district, count(*), sum(inspectors) FROM after WHERE NOT voided GROUP BY 1, 2
            ON CONFLICT (day, district)
            DO UPDATE SET operations = d.operations + excluded.operations, inspectors = d.inspectors + excluded.inspectors
            $q$, TG_TABLE_SCHEMA);
    END IF;
    RETURN NULL;
END
$$;

GRANT EXECUTE ON FUNCTION projections.roll_institution_events(), projections.roll_institution_states(),
    projections.roll_operations() TO ledger_app;

-- list_segments (an institution on a white list while registered, open and in one district)
-- → list_changes(day, district, list, institutions, courses, science, arts, sports, general):
-- +1 where a segment starts, -1 where it ends. The institutions on a list on day T, with their
-- courses, are the sum over day <= T.
CREATE FUNCTION projections.roll_list_segments() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
    EXECUTE format($q$
        INSERT INTO %I.list_changes AS d (day, district, list, institutions, courses, science, arts, sports, general)
        SELECT day, district, list, $1 * sum(sign), $1 * sum(sign * courses), $1 * sum(sign * science),
               $1 * sum(sign * arts), $1 * sum(sign * sports), $1 * sum(sign * general)
          FROM (
              SELECT valid_from AS day, coalesce(district, '') AS district, list, 1 AS sign,
                     courses, science, arts, sports, general FROM changed
              UNION ALL
              SELECT valid_to, coalesce(district, ''), list, -1, courses, science, arts, sports, general
                FROM changed WHERE valid_to IS NOT NULL
          ) c
         GROUP BY 1, 2, 3
        ON CONFLICT (day, district, list)
        DO UPDATE SET institutions = d.institutions + excluded.institutions, courses = d.courses + excluded.courses,
                      science = d.science + excluded.science, arts = d.arts + excluded.arts,
                      sports = d.sports + excluded.sports, general = d.general + excluded.general
        $q$, TG_TABLE_SCHEMA) USING CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
    RETURN NULL;
END
$$;

GRANT EXECUTE ON FUNCTION projections.roll_list_segments() TO ledger_app;
