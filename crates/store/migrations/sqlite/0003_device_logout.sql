-- Device authorizations (RFC 8628), user code attempt counters, back-channel logout
-- deliveries, trusted partner issuers (RFC 7523), and the session index of grants.

CREATE TABLE device_authorizations (
    device_code_hash TEXT PRIMARY KEY,
    user_code_hash TEXT NOT NULL,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    status TEXT NOT NULL,
    account_id TEXT,
    grant_id TEXT,
    interval_seconds INTEGER NOT NULL,
    last_polled_at INTEGER,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    CONSTRAINT device_authorizations_user_code_hash_key UNIQUE (user_code_hash)
);
CREATE INDEX device_authorizations_expires_at ON device_authorizations (expires_at);

CREATE TABLE device_attempts (
    key TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    attempts INTEGER NOT NULL
);

CREATE TABLE logout_deliveries (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    uri TEXT NOT NULL,
    sid TEXT NOT NULL,
    sub TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER,
    abandoned_at INTEGER,
    last_error TEXT
);
CREATE INDEX logout_deliveries_due ON logout_deliveries (next_attempt_at);
CREATE INDEX logout_deliveries_client_id ON logout_deliveries (client_id, created_at);

CREATE TABLE trusted_issuers (
    issuer TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX grants_session_id ON grants (session_id);
