-- The integrator cabinet (SQLite): named api-keys with their last use and revocation,
-- integrators and the terms they accepted, owners of clients, requests for a product's
-- scopes, and uploaded client logos. Keys that existed before keep working: they are rows
-- of `client_secrets` already and simply have no name.

ALTER TABLE client_secrets ADD COLUMN name TEXT;
ALTER TABLE client_secrets ADD COLUMN last_used_at INTEGER;
ALTER TABLE client_secrets ADD COLUMN revoked_at INTEGER;

-- A revocation must reach every node's cache; a last use need not.
CREATE TRIGGER client_secrets_revoked AFTER UPDATE OF revoked_at ON client_secrets
BEGIN UPDATE changes SET version = version + 1 WHERE id = 1; END;

CREATE TABLE integrators (
    account_id TEXT PRIMARY KEY,
    terms_version TEXT NOT NULL,
    accepted_at INTEGER NOT NULL
);

CREATE TABLE client_owners (
    client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, account_id)
);
CREATE INDEX client_owners_account_id ON client_owners (account_id);

CREATE TABLE scope_requests (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    audience TEXT NOT NULL,
    scope TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
    requested_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);
CREATE INDEX scope_requests_client_id ON scope_requests (client_id, created_at);
CREATE INDEX scope_requests_status ON scope_requests (status, created_at);

CREATE TABLE client_logos (
    client_id TEXT PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX grants_client_id ON grants (client_id, created_at);
CREATE INDEX access_tokens_client_id ON access_tokens (client_id, created_at);
