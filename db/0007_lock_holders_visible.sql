-- A worker that waits for a lock names who holds it: the session's state, application and last
-- statement. pg_stat_activity shows those of other roles' sessions only to members of
-- pg_read_all_stats (granting a role is cluster-wide; granting it twice is harmless).
GRANT pg_read_all_stats TO ledger_app;
