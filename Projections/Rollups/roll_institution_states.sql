-- Created in each generation's schema by its projection (Projections/*.swift), which attaches it
-- as a statement-level trigger; a change here is a change of the projection's `definition`.
--
-- institution_states → member_changes(day, district, members, non_profit, fund_custody,
-- guidance_price): +1 where a member interval starts, -1 where it ends. The members on day T are
-- the sum over day <= T.
--
-- And, against the policy baseline B (TG_ARGV[0]), baseline_changes(day, district, compressed):
-- each institution that is a member on B counts +1 from the beginning of time, -1 while it is a
-- member; the sum over day <= T is how many of B's members are not members on T, by their
-- district on B. The projection always deletes and inserts all of an institution's intervals in
-- one statement, so each statement's rows hold whole institutions.
CREATE FUNCTION roll_institution_states() RETURNS trigger
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
