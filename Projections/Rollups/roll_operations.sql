-- Created in each generation's schema by its projection (Projections/*.swift), which attaches it
-- as a statement-level trigger; a change here is a change of the projection's `definition`.
--
-- operations → operation_daily(day, district, operations, inspectors), live operations only.
CREATE FUNCTION roll_operations() RETURNS trigger
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
