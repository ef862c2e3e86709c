-- The public site's institution lookup (SPEC §13) finds institutions by any part of a name, a key
-- or a USCC, for anyone on the internet: a trigram index over the registrations and amendments
-- (names in Chinese included) makes each search an index scan instead of a scan of every
-- registration. InstitutionDirectory.search matches this very expression.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX events_institution_lookup_idx ON ledger.events
    USING gin ((stream || ' ' || coalesce(data ->> 'name', '') || ' ' || coalesce(data ->> 'uscc', '')) gin_trgm_ops)
    WHERE type IN ('InstitutionRegistered', 'InstitutionAmended');
