-- Created in each generation's schema by its projection (Projections/*.swift), which attaches it
-- as a statement-level trigger; a change here is a change of the projection's `definition`.
--
-- draw_inspections (a drawn target's first inspection) → draw_inspection_daily(day, district,
-- inspected, issues_found): the random_checks figures of SPEC §11 as sums over days.
CREATE FUNCTION roll_draw_inspections() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
    EXECUTE format($q$
        INSERT INTO %I.draw_inspection_daily AS d (day, district, inspected, issues_found)
        SELECT inspected_on, coalesce(district, ''), $1 * count(*), $1 * count(*) FILTER (WHERE issues_found)
          FROM changed
         GROUP BY 1, 2
        ON CONFLICT (day, district) DO UPDATE SET
            inspected = d.inspected + excluded.inspected, issues_found = d.issues_found + excluded.issues_found
        $q$, TG_TABLE_SCHEMA)
        USING CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
    RETURN NULL;
END
$$;
