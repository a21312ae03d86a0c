-- Certificate sign-in: certificates bound to accounts (found by the hex SHA-1 of the
-- DER), and their one-time challenges (encrypted to the key, or to be signed), kept as
-- keyed hashes of the value.

CREATE TABLE certificate_bindings (
    thumbprint TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    der BYTEA NOT NULL,
    subject TEXT NOT NULL,
    issuer TEXT NOT NULL,
    identity TEXT NOT NULL,
    not_after BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX certificate_bindings_account_id ON certificate_bindings (account_id);

CREATE TABLE certificate_challenges (
    value_hash TEXT PRIMARY KEY,
    method TEXT NOT NULL,
    thumbprint TEXT NOT NULL,
    client_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX certificate_challenges_thumbprint ON certificate_challenges (thumbprint);
CREATE INDEX certificate_challenges_expires_at ON certificate_challenges (expires_at);
