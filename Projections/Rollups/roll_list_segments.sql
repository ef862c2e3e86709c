-- Created in each generation's schema by its projection (Projections/*.swift), which attaches it
-- as a statement-level trigger; a change here is a change of the projection's `definition`.
--
-- list_segments (an institution on a white list while registered, open and in one district)
-- → list_changes(day, district, list, institutions, courses, science, arts, sports, general):
-- +1 where a segment starts, -1 where it ends. The institutions on a list on day T, with their
-- courses, are the sum over day <= T.
CREATE FUNCTION roll_list_segments() RETURNS trigger
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
