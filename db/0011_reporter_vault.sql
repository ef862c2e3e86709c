-- The reporters' keys (SPEC §12), outside ledger.events: one data key per complaint with a
-- reporter, stored wrapped by the operator's master key (which is never here). Erasing a
-- reporter deletes its row: the one deletion the ledger makes, and it deletes no event.
-- vault.master_key holds an HMAC of the master key (not the key), so that a different key is
-- refused before it wraps anything. The read-only role sees neither.
CREATE SCHEMA vault;

CREATE TABLE vault.reporter_keys (
    stream text PRIMARY KEY CHECK (stream ~ '^complaint-'),
    wrapped bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE vault.master_key (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    mac bytea NOT NULL
);

-- This ledger's identity: the erasure list beside the master key names each erasure by it, so a
-- list shared by several ledgers (or kept from an earlier one) re-applies only to its own, and a
-- backup restored keeps it.
CREATE TABLE vault.ledger (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    id uuid NOT NULL DEFAULT gen_random_uuid()
);
INSERT INTO vault.ledger DEFAULT VALUES;

GRANT USAGE ON SCHEMA vault TO ledger_app;
GRANT SELECT ON vault.ledger TO ledger_app;
GRANT SELECT, INSERT, DELETE ON vault.reporter_keys TO ledger_app;
GRANT SELECT, INSERT ON vault.master_key TO ledger_app;

-- The complaint officer (投诉举报受理人员): records complaints, and alone reads or erases reporters.
ALTER TABLE accounts.users DROP CONSTRAINT users_role_check;
ALTER TABLE accounts.users ADD CONSTRAINT users_role_check
    CHECK (role IN ('inspector', 'analyst', 'auditor', 'admin', 'complaint_officer'));
