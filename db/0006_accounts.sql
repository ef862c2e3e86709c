-- People who use the ledger over HTTP: users with a role, and their sign-in sessions.
-- Passwords are bcrypt hashes; a session is kept only as the SHA-256 of its token, so a copy of
-- this table signs nobody in. Users are never deleted (the ledger names them as actors): they are
-- disabled, which ends their sessions.
CREATE SCHEMA accounts;
REVOKE ALL ON SCHEMA accounts FROM PUBLIC;

CREATE TABLE accounts.users (
    name          text PRIMARY KEY CHECK (name ~ '^[^[:space:][:cntrl:]]{1,64}$'),
    role          text NOT NULL CHECK (role IN ('inspector', 'analyst', 'auditor', 'admin')),
    -- An inspector's district; null for an inspector of the whole city and for the other roles.
    district      text CHECK (district IS NULL OR role = 'inspector'),
    password_hash text NOT NULL CHECK (password_hash ~ '^\$2[aby]\$'),
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL,
    disabled_at   timestamptz,
    disabled_by   text
);

CREATE TABLE accounts.sessions (
    token_sha256 bytea PRIMARY KEY CHECK (length(token_sha256) = 32),
    user_name    text NOT NULL REFERENCES accounts.users (name),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_name ON accounts.sessions (user_name);

GRANT USAGE ON SCHEMA accounts TO ledger_app;
GRANT SELECT, INSERT, UPDATE ON accounts.users TO ledger_app;
GRANT SELECT, INSERT, DELETE ON accounts.sessions TO ledger_app;
