-- Kept here, one function a file, and re-applied by `ledger migrate` whenever this text changes;
-- the migrations that first created it are history.

-- One lock serializes appends from assigning positions to commit, so positions become visible in
-- order: a reader that has seen position P never later sees a smaller one.
CREATE OR REPLACE FUNCTION ledger.lock_appends() RETURNS void
LANGUAGE sql
AS $$ SELECT pg_advisory_xact_lock(7231178001) $$;

GRANT EXECUTE ON FUNCTION ledger.lock_appends() TO ledger_app;
