-- The event store: one append-only table, a per-stream SHA-256 hash chain computed by the
-- database itself, and roles that can read it or append through ledger.append() only.

-- Roles are cluster-wide; another database of the same cluster may have created them already.
DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['ledger_app', 'ledger_reader'] LOOP
        BEGIN
            IF role_name = 'ledger_app' THEN
                CREATE ROLE ledger_app LOGIN;
            ELSE
                CREATE ROLE ledger_reader NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END LOOP;
END
$$;

CREATE SCHEMA ledger;
REVOKE ALL ON SCHEMA ledger FROM PUBLIC;

CREATE TABLE ledger.events (
    position    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream      text NOT NULL CHECK (stream ~ '^(institution|operation|bulletin)-[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    version     integer NOT NULL CHECK (version >= 1),
    id          uuid NOT NULL,
    type        text NOT NULL,
    occurred_on date NOT NULL CHECK (occurred_on >= DATE '2000-01-01'),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL CHECK (char_length(actor) BETWEEN 1 AND 64),
    data        jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    hash        bytea NOT NULL,
    CONSTRAINT events_id_key UNIQUE (id),
    CONSTRAINT events_stream_version_key UNIQUE (stream, version)
);
CREATE INDEX events_type_occurred_on_idx ON ledger.events (type, occurred_on);

COMMENT ON TABLE ledger.events IS
    'The enforcement ledger: every event, append-only. hash = sha256(previous hash of the stream || ledger.canonical_bytes(...)).';

-- The canonical bytes of an event: the UTF-8 text of this JSON array, as PostgreSQL's jsonb prints it.
-- Position is included so that moving a row is as visible as editing it.
CREATE FUNCTION ledger.canonical_bytes(
    p_position bigint, p_id uuid, p_stream text, p_version integer, p_type text,
    p_occurred_on date, p_recorded_at timestamptz, p_actor text, p_data jsonb
) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog
AS $$
    SELECT convert_to(jsonb_build_array(
        p_position, p_id::text, p_stream, p_version, p_type,
        to_char(p_occurred_on, 'YYYY-MM-DD'),
        (extract(epoch FROM p_recorded_at) * 1000000)::bigint,
        p_actor, p_data)::text, 'UTF8')
$$;

-- Every insert, by whatever path, gets its version checked against the stream and its hash chained.
CREATE FUNCTION ledger.events_chain() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
    previous bytea;
BEGIN
    NEW.recorded_at := now();
    IF NEW.version = 1 THEN
        previous := ''::bytea;
    ELSE
        SELECT e.hash INTO previous FROM ledger.events e
         WHERE e.stream = NEW.stream AND e.version = NEW.version - 1;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'version % of stream % does not follow its stream', NEW.version, NEW.stream
                USING ERRCODE = 'LE002';
        END IF;
    END IF;
    NEW.hash := sha256(previous || ledger.canonical_bytes(
        NEW.position, NEW.id, NEW.stream, NEW.version, NEW.type,
        NEW.occurred_on, NEW.recorded_at, NEW.actor, NEW.data));
    RETURN NEW;
END
$$;
CREATE TRIGGER events_chain BEFORE INSERT ON ledger.events
    FOR EACH ROW EXECUTE FUNCTION ledger.events_chain();

-- Append-only, even for the owner: corrections are later events, never edits.
CREATE FUNCTION ledger.events_refuse_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'ledger.events is append-only: % is refused', TG_OP
        USING ERRCODE = 'LE001', HINT = 'Correct a mistake with a later event (EntryVoided, PenaltyRevoked, InstitutionReopened).';
END
$$;
CREATE TRIGGER events_refuse_update_delete BEFORE UPDATE OR DELETE ON ledger.events
    FOR EACH ROW EXECUTE FUNCTION ledger.events_refuse_change();
CREATE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON ledger.events
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.events_refuse_change();

-- One lock serializes appends from assigning positions to commit, so positions become visible in
-- order: a reader that has seen position P never later sees a smaller one.
CREATE FUNCTION ledger.lock_appends() RETURNS void
LANGUAGE sql
AS $$ SELECT pg_advisory_xact_lock(7231178001) $$;

-- The append path: a batch of events, already validated by the application under the same lock,
-- as a JSON array of {id, stream, version, type, occurred_on, actor, data}, inserted in order.
CREATE FUNCTION ledger.append(batch jsonb)
RETURNS TABLE (event_id uuid, event_stream text, event_version integer, event_position bigint)
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog
AS $$
    SELECT ledger.lock_appends();
    WITH inserted AS (
        INSERT INTO ledger.events (id, stream, version, type, occurred_on, actor, data)
        SELECT b.id, b.stream, b.version, b.type, b.occurred_on, b.actor, b.data
          FROM ROWS FROM (jsonb_to_recordset(batch) AS (
                   id uuid, stream text, version integer, type text,
                   occurred_on date, actor text, data jsonb))
               WITH ORDINALITY AS b (id, stream, version, type, occurred_on, actor, data, n)
         ORDER BY b.n
        RETURNING id, stream, version, position
    )
    SELECT id, stream, version, position FROM inserted ORDER BY position
$$;

-- Who may do what. The application appends through ledger.append() and reads; it cannot INSERT,
-- UPDATE, DELETE or TRUNCATE the table directly. Readers (auditors, BI tools) only read.
GRANT USAGE ON SCHEMA ledger TO ledger_app, ledger_reader;
GRANT SELECT ON ledger.events TO ledger_app, ledger_reader;
REVOKE ALL ON FUNCTION ledger.append(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger.append(jsonb) TO ledger_app;
GRANT EXECUTE ON FUNCTION ledger.lock_appends() TO ledger_app;
