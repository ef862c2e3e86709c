-- Council replies are recorded in the ledger itself, in streams of a fourth category, reply-<key>.
ALTER TABLE ledger.events DROP CONSTRAINT events_stream_check;
ALTER TABLE ledger.events ADD CONSTRAINT events_stream_check
    CHECK (stream ~ '^(institution|operation|bulletin|reply)-[A-Za-z0-9][A-Za-z0-9._-]{0,63}$');

-- Functions a reviewer can use to re-derive every figure of a reply with plain SQL on
-- ledger.events, independently of the read models. They are plain SQL functions without SET
-- clauses, so PostgreSQL inlines them into the calling query (names are schema-qualified).

-- The live events as the ledger stood at p_position: recorded by then, and not voided by then.
CREATE FUNCTION ledger.live_events(p_position bigint)
RETURNS SETOF ledger.events
LANGUAGE sql STABLE
AS $$
    SELECT e.* FROM ledger.events e
     WHERE e.position <= p_position AND e.type <> 'EntryVoided'
       AND NOT EXISTS (
           SELECT 1 FROM ledger.events v
            WHERE v.type = 'EntryVoided' AND v.data ->> 'event_id' = e.id::text
              AND v.stream = e.stream AND v.position <= p_position)
$$;

-- The state of an institution on day p_day (SPEC §3): its live events with occurred_on <= p_day,
-- folded in (occurred_on, version) order, as the ledger stood at p_position.
CREATE FUNCTION ledger.institution_on(p_stream text, p_day date, p_position bigint)
RETURNS TABLE (registered boolean, district text, closed boolean, for_profit boolean,
               fund_custody boolean, guidance_price boolean, member boolean)
LANGUAGE sql STABLE
AS $$
    WITH steps AS (
        SELECT occurred_on, version,
               CASE WHEN type = 'InstitutionRegistered' THEN true END AS registered,
               CASE WHEN type IN ('InstitutionRegistered', 'InstitutionRelocated') THEN data ->> 'district' END AS district,
               CASE WHEN type = 'InstitutionRegistered' THEN data ->> 'category'
                    WHEN type = 'ConvertedToNonAcademic' THEN 'non_academic' END AS category,
               CASE WHEN type IN ('InstitutionRegistered', 'InstitutionAmended') THEN data ->> 'mode' END AS mode,
               CASE WHEN type IN ('InstitutionRegistered', 'InstitutionAmended') AND data ? 'stages'
                    THEN data -> 'stages' @> '["compulsory"]' END AS compulsory,
               CASE WHEN type IN ('InstitutionRegistered', 'InstitutionAmended') THEN (data ->> 'for_profit')::boolean
                    WHEN type = 'ConvertedToNonProfit' THEN false END AS for_profit,
               CASE WHEN type = 'InstitutionClosed' THEN true
                    WHEN type IN ('InstitutionReopened', 'InstitutionRegistered') THEN false END AS closed,
               CASE WHEN type = 'FundCustodyEnrolled' THEN true END AS fund_custody,
               CASE WHEN type = 'GuidancePriceAdopted' THEN true END AS guidance_price
          FROM ledger.live_events(p_position)
         WHERE stream = p_stream AND occurred_on <= p_day
    ),
    folded AS (
        SELECT coalesce(projections.last_nonnull(registered ORDER BY occurred_on, version), false) AS registered,
               projections.last_nonnull(district ORDER BY occurred_on, version) AS district,
               projections.last_nonnull(category ORDER BY occurred_on, version) AS category,
               projections.last_nonnull(mode ORDER BY occurred_on, version) AS mode,
               coalesce(projections.last_nonnull(compulsory ORDER BY occurred_on, version), false) AS compulsory,
               projections.last_nonnull(for_profit ORDER BY occurred_on, version) AS for_profit,
               coalesce(projections.last_nonnull(closed ORDER BY occurred_on, version), false) AS closed,
               coalesce(projections.last_nonnull(fund_custody ORDER BY occurred_on, version), false) AS fund_custody,
               coalesce(projections.last_nonnull(guidance_price ORDER BY occurred_on, version), false) AS guidance_price
          FROM steps
    )
    SELECT registered, district, closed, for_profit, fund_custody, guidance_price,
           registered AND NOT closed AND mode IS NOT DISTINCT FROM 'offline'
               AND category IS NOT DISTINCT FROM 'academic' AND compulsory
      FROM folded
$$;

-- The district an institution-level event is attributed to: the institution's on that day
-- (its registration's for an entry dated before the registration).
CREATE FUNCTION ledger.district_on(p_stream text, p_day date, p_position bigint)
RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(
        (SELECT district FROM ledger.institution_on(p_stream, p_day, p_position)),
        (SELECT data ->> 'district' FROM ledger.events WHERE stream = p_stream AND version = 1))
$$;

GRANT EXECUTE ON FUNCTION ledger.live_events(bigint), ledger.institution_on(text, date, bigint),
    ledger.district_on(text, date, bigint) TO ledger_app, ledger_reader;
