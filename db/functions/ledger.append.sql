-- Kept here, one function a file, and re-applied by `ledger migrate` whenever this text changes;
-- the migrations that first created it are history.

-- The append path: a batch of events, already validated by the application, as a JSON array of
-- {id, stream, version, type, occurred_on, actor, data}, appended in order. Short appends check
-- their events without the append lock and rely on (stream, version) and id uniqueness to catch a
-- writer that got there first; the lock is taken here, for positions and commit order.
CREATE OR REPLACE FUNCTION ledger.append(batch jsonb)
RETURNS TABLE (event_id uuid, event_stream text, event_version integer, event_position bigint)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog
AS $$
DECLARE
    batch_size integer := jsonb_array_length(batch);
    first_position bigint;
    appended integer;
BEGIN
    IF batch_size = 0 THEN
        RETURN;
    END IF;
    -- Held until the transaction ends, so positions become visible in the order they were drawn:
    -- a reader that has seen position P never later sees a smaller one.
    PERFORM ledger.lock_appends();
    PERFORM pg_notify('ledger_events', '');
    -- Positions for the whole batch, in order; under the lock nobody else draws from the sequence.
    first_position := nextval('ledger.events_position_seq');
    IF batch_size > 1 THEN
        PERFORM setval('ledger.events_position_seq', first_position + batch_size - 1);
    END IF;

    IF batch_size = 1 THEN
        -- One event (a form, a single append): a plain insert, its plan cached by the session.
        RETURN QUERY
        INSERT INTO ledger.events (position, id, stream, version, type, occurred_on, recorded_at, actor, data, hash)
        OVERRIDING SYSTEM VALUE
        SELECT first_position, x.id, x.stream, x.version, x.type, x.occurred_on, now(), x.actor, x.data,
               sha256(coalesce(p.hash, ''::bytea) || ledger.canonical_bytes(
                   first_position, x.id, x.stream, x.version, x.type, x.occurred_on, now(), x.actor, x.data))
          FROM jsonb_to_record(batch -> 0) AS x (
                   id uuid, stream text, version integer, type text, occurred_on date, actor text, data jsonb)
          LEFT JOIN ledger.events p ON p.stream = x.stream AND p.version = x.version - 1
         WHERE x.version = 1 OR p.hash IS NOT NULL
        RETURNING id, stream, version, position;
    ELSE
        RETURN QUERY
        WITH RECURSIVE
        submitted AS MATERIALIZED (
            SELECT first_position + b.n - 1 AS position, b.id, b.stream, b.version, b.type, b.occurred_on, b.actor, b.data
              FROM ROWS FROM (jsonb_to_recordset(batch) AS (
                       id uuid, stream text, version integer, type text, occurred_on date, actor text, data jsonb))
                   WITH ORDINALITY AS b (id, stream, version, type, occurred_on, actor, data, n)
        ),
        -- Each stream's first event in the batch follows the stream's last stored event (its
        -- hash), or opens the stream; then each next version chains on the one before.
        chained (position, stream, version, hash) AS (
            SELECT s.position, s.stream, s.version,
                   sha256(coalesce(p.hash, ''::bytea) || ledger.canonical_bytes(
                       s.position, s.id, s.stream, s.version, s.type, s.occurred_on, now(), s.actor, s.data))
              FROM submitted s
              JOIN (SELECT stream, min(version) AS version FROM submitted GROUP BY stream) f USING (stream, version)
              LEFT JOIN ledger.events p ON p.stream = s.stream AND p.version = s.version - 1
             WHERE s.version = 1 OR p.hash IS NOT NULL
            UNION ALL
            SELECT s.position, s.stream, s.version,
                   sha256(c.hash || ledger.canonical_bytes(
                       s.position, s.id, s.stream, s.version, s.type, s.occurred_on, now(), s.actor, s.data))
              FROM chained c JOIN submitted s ON s.stream = c.stream AND s.version = c.version + 1
        ),
        inserted AS (
            INSERT INTO ledger.events (position, id, stream, version, type, occurred_on, recorded_at, actor, data, hash)
            OVERRIDING SYSTEM VALUE
            SELECT s.position, s.id, s.stream, s.version, s.type, s.occurred_on, now(), s.actor, s.data, c.hash
              FROM submitted s JOIN chained c USING (position)
             ORDER BY s.position
            RETURNING id, stream, version, position
        )
        SELECT id, stream, version, position FROM inserted ORDER BY position;
    END IF;

    GET DIAGNOSTICS appended = ROW_COUNT;
    IF appended <> batch_size THEN
        -- Some event neither opens its stream nor follows its stream's last event.
        RAISE EXCEPTION '% of % events do not follow their streams'' last versions', batch_size - appended, batch_size
            USING ERRCODE = 'LE002';
    END IF;
END
$$;

REVOKE ALL ON FUNCTION ledger.append(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.append(jsonb) TO ledger_app;
