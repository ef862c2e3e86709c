-- The hash chain, computed for a whole batch at once instead of by a trigger row by row.
--
-- The per-row trigger (a PL/pgSQL call, an index probe for the previous hash and a non-inlined
-- SQL function per event) was most of the database's share of an import. ledger.append now
-- reserves the batch's positions under the append lock, chains each stream's events in the batch
-- with one recursive query, and inserts them with their hashes. Nothing else may insert:
-- ledger_app has no INSERT privilege, and the owner appends through the same function.
-- `ledger verify` recomputes the same chain from the stored rows, as before.

-- Inlinable into the queries that call it: no SET clause, no SECURITY DEFINER, not STRICT (the
-- planner refuses to inline a strict function whose body calls non-strict ones, as
-- jsonb_build_array is), and STABLE like to_char (an IMMUTABLE one calling it is not inlined). Every function it calls is named with its schema, so a caller's
-- search_path cannot change what it means.
CREATE OR REPLACE FUNCTION ledger.canonical_bytes(
    p_position bigint, p_id uuid, p_stream text, p_version integer, p_type text,
    p_occurred_on date, p_recorded_at timestamptz, p_actor text, p_data jsonb
) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT pg_catalog.convert_to(pg_catalog.jsonb_build_array(
        p_position, p_id::text, p_stream, p_version, p_type,
        pg_catalog.to_char(p_occurred_on, 'YYYY-MM-DD'),
        (EXTRACT(epoch FROM p_recorded_at) * 1000000)::bigint,
        p_actor, p_data)::text, 'UTF8')
$$;

DROP TRIGGER events_chain ON ledger.events;
DROP FUNCTION ledger.events_chain();

-- A row that reaches the table without a hash (a superuser's INSERT behind the append path)
-- is refused; verify would report it anyway.
ALTER TABLE ledger.events ADD CONSTRAINT events_hash_length CHECK (octet_length(hash) = 32) NOT VALID;

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
