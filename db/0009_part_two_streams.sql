-- The stream categories of SPEC Part II: calendar-<year> (§8), case- (§9), proposal- (§10),
-- draw- (§11), complaint- (§12). The application checks each event against the catalogue; this
-- constraint is the last line. Added NOT VALID, then validated: the scan takes no lock that
-- stops appends.
ALTER TABLE ledger.events DROP CONSTRAINT events_stream_check;
ALTER TABLE ledger.events ADD CONSTRAINT events_stream_check
    CHECK (stream ~ '^(institution|operation|bulletin|reply|calendar|case|proposal|draw|complaint)-[A-Za-z0-9][A-Za-z0-9._-]{0,63}$')
    NOT VALID;
ALTER TABLE ledger.events VALIDATE CONSTRAINT events_stream_check;
