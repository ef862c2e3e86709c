-- Kept here, one function a file, and re-applied by `ledger migrate` whenever this text changes.

-- Fresh planner statistics for ledger.events, which the application role does not own: called
-- after a bulk import, so that what reads the log next (a rebuild, the first catch-up) is not
-- planned on statistics from before it (a table thought empty plans nested loops over a million
-- rows). ANALYZE samples; it takes about a second on a million events.
CREATE OR REPLACE FUNCTION ledger.analyze_events()
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog
AS $$
BEGIN
    ANALYZE ledger.events;
END
$$;

REVOKE ALL ON FUNCTION ledger.analyze_events() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.analyze_events() TO ledger_app;
