-- The step of the one SQL fold of an institution (SPEC §3): what one live event sets in the
-- institution's state, each column the value the event gives it, or null where the event leaves
-- it as it was. ledger.institution_on, ledger.draw_pool and the institutions projection fold these
-- with projections.last_nonnull in (occurred_on, version) order; StreamState.apply is its Swift
-- twin, and FoldEqualityTests holds the two folds equal.
--
-- A registration without a specialty sets it to '' (none), so that a conversion dated before the
-- registration does not outlast it, as in the Swift fold; the folds read '' back as null.
--
-- A single SELECT, IMMUTABLE, set-returning: PostgreSQL inlines it where it is called in FROM,
-- so the fold costs what the same CASEs written in place cost.
--
-- Dropped first: a new column changes the function's type, which CREATE OR REPLACE cannot.
DROP FUNCTION IF EXISTS ledger.institution_step(text, jsonb);
CREATE FUNCTION ledger.institution_step(p_type text, p_data jsonb)
RETURNS TABLE (registered boolean, district text, category text, mode text, compulsory boolean,
               for_profit boolean, closed boolean, fund_custody boolean, guidance_price boolean,
               licensed boolean, specialty text)
LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE WHEN p_type = 'InstitutionRegistered' THEN true END,
           CASE WHEN p_type IN ('InstitutionRegistered', 'InstitutionRelocated') THEN p_data ->> 'district' END,
           CASE WHEN p_type = 'InstitutionRegistered' THEN p_data ->> 'category'
                WHEN p_type = 'ConvertedToNonAcademic' THEN 'non_academic' END,
           CASE WHEN p_type IN ('InstitutionRegistered', 'InstitutionAmended') THEN p_data ->> 'mode' END,
           CASE WHEN p_type IN ('InstitutionRegistered', 'InstitutionAmended') AND p_data ? 'stages'
                THEN p_data -> 'stages' @> '["compulsory"]' END,
           CASE WHEN p_type IN ('InstitutionRegistered', 'InstitutionAmended') THEN (p_data ->> 'for_profit')::boolean
                WHEN p_type = 'ConvertedToNonProfit' THEN false END,
           CASE WHEN p_type = 'InstitutionClosed' THEN true
                WHEN p_type IN ('InstitutionReopened', 'InstitutionRegistered') THEN false END,
           CASE WHEN p_type = 'FundCustodyEnrolled' THEN true END,
           CASE WHEN p_type = 'GuidancePriceAdopted' THEN true END,
           CASE WHEN p_type IN ('InstitutionRegistered', 'InstitutionAmended') THEN (p_data ->> 'licensed')::boolean END,
           CASE WHEN p_type = 'InstitutionRegistered' THEN coalesce(p_data ->> 'specialty', '')
                WHEN p_type = 'ConvertedToNonAcademic' THEN p_data ->> 'specialty' END
$$;

GRANT EXECUTE ON FUNCTION ledger.institution_step(text, jsonb) TO ledger_app, ledger_reader;
