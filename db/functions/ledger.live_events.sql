-- Kept here, one function a file, and re-applied by `ledger migrate` whenever this text changes;
-- the migrations that first created it are history.

-- The live events as the ledger stood at p_position: recorded by then, and not voided by then.
CREATE OR REPLACE FUNCTION ledger.live_events(p_position bigint)
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

GRANT EXECUTE ON FUNCTION ledger.live_events(bigint) TO ledger_app, ledger_reader;
