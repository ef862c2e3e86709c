-- The rollups' trigger functions now live with their projections (Projections/Rollups/*.sql) and
-- are created in each generation's schema. Read models built before (institutions definition < 8,
-- operations < 3) are rebuilt before use, so the shared functions and the triggers of those old
-- generations (dropped with them here) are no longer read.
DROP FUNCTION IF EXISTS projections.roll_institution_events(), projections.roll_institution_states(),
    projections.roll_operations(), projections.roll_list_segments() CASCADE;
