-- Kept here, one function a file, and re-applied by `ledger migrate` whenever this text changes;
-- the migrations that first created it are history.

-- The bytes of an event that its hash covers (SPEC §6): what it returns must never change, or
-- every stored chain breaks; `ledger verify` recomputes the same bytes.
-- Inlinable into the queries that call it: no SET clause, no SECURITY DEFINER, not STRICT (the
-- planner refuses to inline a strict function whose body calls non-strict ones, as
-- jsonb_build_array is), and STABLE like to_char (an IMMUTABLE one calling it is not inlined).
-- Every function it calls is named with its schema, so a caller's search_path cannot change what
-- it means.
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
