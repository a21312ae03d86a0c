-- Dynamic client registration (RFC 7591, RFC 7592).
--
-- Initial access tokens that an operator issues to let a developer register clients,
-- and the registration access token of each dynamically registered client. Both are
-- kept only as keyed hashes; a registration goes away with its client.
CREATE TABLE registration_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    expires_at INTEGER
);

CREATE TABLE client_registrations (
    client_id TEXT PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
    access_token_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT client_registrations_access_token_hash_key UNIQUE (access_token_hash)
);
