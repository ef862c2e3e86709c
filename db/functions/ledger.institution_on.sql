-- The state of an institution on day p_day (SPEC §3): its live events with occurred_on <= p_day,
-- each read by ledger.institution_step and folded in (occurred_on, version) order, as the ledger
-- stood at p_position. The replies' provenance queries call it, so an auditor can re-derive a
-- figure with SQL alone.
CREATE OR REPLACE FUNCTION ledger.institution_on(p_stream text, p_day date, p_position bigint)
RETURNS TABLE (registered boolean, district text, closed boolean, for_profit boolean,
               fund_custody boolean, guidance_price boolean, member boolean)
LANGUAGE sql STABLE
AS $$
    WITH steps AS (
        SELECT e.occurred_on, e.version, step.*
          FROM ledger.live_events(p_position) e
         CROSS JOIN LATERAL ledger.institution_step(e.type, e.data) step
         WHERE e.stream = p_stream AND e.occurred_on <= p_day
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
