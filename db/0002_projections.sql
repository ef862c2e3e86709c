-- Read models. Each projection keeps its tables in a schema of its own per generation
-- (rm_<projection>_<n>): the worker advances the current generation, a rebuild fills a new one
-- while the current keeps answering, then switches in one transaction (blue/green).

CREATE SCHEMA projections;

CREATE TABLE projections.generations (
    projection  text NOT NULL,
    generation  integer NOT NULL,
    schema_name text NOT NULL UNIQUE,
    -- The checkpoint: every event up to this position is applied, moved in the same transaction
    -- as the projection's writes.
    position    bigint NOT NULL DEFAULT 0,
    -- The projection's definition version that built it: a changed definition is rebuilt.
    definition  integer NOT NULL DEFAULT 1,
    state       text NOT NULL CHECK (state IN ('building', 'current')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, generation)
);
CREATE UNIQUE INDEX generations_one_current ON projections.generations (projection) WHERE state = 'current';

-- last_nonnull(x) OVER (ORDER BY …): the latest non-null value so far, to fold state set-based.
CREATE FUNCTION projections.coalesce_last(state anyelement, value anyelement) RETURNS anyelement
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce(value, state) $$;
CREATE AGGREGATE projections.last_nonnull(anyelement) (SFUNC = projections.coalesce_last, STYPE = anyelement);

-- Finding whether an event was voided.
CREATE INDEX events_void_target_idx ON ledger.events ((data ->> 'event_id')) WHERE type = 'EntryVoided';

-- Wake projection workers once per appending transaction: identical notifications raised in one
-- transaction are delivered once, so an import of a million events notifies once.
CREATE OR REPLACE FUNCTION ledger.append(batch jsonb)
RETURNS TABLE (event_id uuid, event_stream text, event_version integer, event_position bigint)
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog
AS $$
    SELECT ledger.lock_appends();
    SELECT pg_notify('ledger_events', '');
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

-- The application maintains the read models: it may create generation schemas and record them.
GRANT USAGE ON SCHEMA projections TO ledger_app, ledger_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON projections.generations TO ledger_app;
GRANT SELECT ON projections.generations TO ledger_reader;
DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO ledger_app', current_database()); END $$;
