-- The pool of a draw (SPEC §11), keys only, in no order (the caller sorts as §11 sorts): every
-- institution that, in the ledger as it stood before p_position (the plan's position), is
-- registered and not closed on p_day (the plan's occurred_on), in p_district (any when null),
-- and matches each filter that is not null. The institution's state is the one SQL fold
-- (ledger.institution_step folded in (occurred_on, version) order, as ledger.institution_on
-- folds it); DrawPool.members is its Swift twin and FoldEqualityTests holds the two equal.
--
-- Each column's last non-null value is taken as the first of the non-null values in reverse
-- order: the same fold as projections.last_nonnull(… ORDER BY occurred_on, version), at half its
-- cost here (array_agg is built in; last_nonnull calls an SQL function for every row). A
-- district's plan folds only the institutions ever placed in that district, a superset of its pool.
CREATE OR REPLACE FUNCTION ledger.draw_pool(
    p_position bigint, p_day date, p_district text, p_category text, p_licensed boolean, p_specialty text)
RETURNS SETOF text
LANGUAGE sql STABLE
AS $$
    WITH steps AS (
        SELECT e.stream, e.occurred_on, e.version, step.*
          FROM ledger.live_events(p_position - 1) e
         CROSS JOIN LATERAL ledger.institution_step(e.type, e.data) step
         WHERE e.type IN ('InstitutionRegistered', 'InstitutionAmended', 'InstitutionRelocated',
                          'ConvertedToNonAcademic', 'InstitutionClosed', 'InstitutionReopened')
           AND e.stream LIKE 'institution-%' AND e.occurred_on <= p_day
           AND (p_district IS NULL OR e.stream IN (
               SELECT s.stream FROM ledger.events s
                WHERE s.type IN ('InstitutionRegistered', 'InstitutionRelocated')
                  AND s.data ->> 'district' = p_district AND s.position < p_position))
    ),
    folded AS (
        SELECT stream,
               coalesce((array_agg(registered ORDER BY occurred_on DESC, version DESC) FILTER (WHERE registered IS NOT NULL))[1], false) AS registered,
               (array_agg(district ORDER BY occurred_on DESC, version DESC) FILTER (WHERE district IS NOT NULL))[1] AS district,
               (array_agg(category ORDER BY occurred_on DESC, version DESC) FILTER (WHERE category IS NOT NULL))[1] AS category,
               coalesce((array_agg(closed ORDER BY occurred_on DESC, version DESC) FILTER (WHERE closed IS NOT NULL))[1], false) AS closed,
               coalesce((array_agg(licensed ORDER BY occurred_on DESC, version DESC) FILTER (WHERE licensed IS NOT NULL))[1], false) AS licensed,
               nullif((array_agg(specialty ORDER BY occurred_on DESC, version DESC) FILTER (WHERE specialty IS NOT NULL))[1], '') AS specialty
          FROM steps
         GROUP BY stream
    )
    SELECT substr(stream, length('institution-') + 1)
      FROM folded
     WHERE registered AND NOT closed
       AND (p_district IS NULL OR district = p_district)
       AND (p_category IS NULL OR category = p_category)
       AND (p_licensed IS NULL OR licensed = p_licensed)
       AND (p_specialty IS NULL OR specialty = p_specialty)
$$;

GRANT EXECUTE ON FUNCTION ledger.draw_pool(bigint, date, text, text, boolean, text) TO ledger_app, ledger_reader;
