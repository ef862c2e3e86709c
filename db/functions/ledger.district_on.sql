-- Kept here, one function a file, and re-applied by `ledger migrate` whenever this text changes;
-- the migrations that first created it are history.

-- The district an institution-level event is attributed to: the institution's on that day
-- (its registration's for an entry dated before the registration).
CREATE OR REPLACE FUNCTION ledger.district_on(p_stream text, p_day date, p_position bigint)
RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(
        (SELECT district FROM ledger.institution_on(p_stream, p_day, p_position)),
        (SELECT data ->> 'district' FROM ledger.events WHERE stream = p_stream AND version = 1))
$$;

GRANT EXECUTE ON FUNCTION ledger.district_on(text, date, bigint) TO ledger_app, ledger_reader;
