-- Accounts (postgres): throttling counters, the audit trail, multi-step sign-in challenges,
-- the outbox of codes to deliver, second factors and recovery codes. Secrets (codes,
-- challenge ids, recovery codes) are stored as keyed hashes; TOTP secrets sealed.

CREATE TABLE counters (
    key TEXT PRIMARY KEY,
    hits BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    last_at BIGINT NOT NULL
);
CREATE INDEX counters_last_at ON counters (last_at);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    account_id TEXT,
    ip TEXT,
    detail TEXT
);
CREATE INDEX audit_events_account ON audit_events (account_id, at);
CREATE INDEX audit_events_at ON audit_events (at);

CREATE TABLE challenges (
    id_hash TEXT PRIMARY KEY,
    account_id TEXT,
    data TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX challenges_expires_at ON challenges (expires_at);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
CREATE INDEX outbox_created_at ON outbox (created_at);

CREATE TABLE account_factors (
    account_id TEXT PRIMARY KEY,
    totp_sealed BYTEA,
    totp_last_step BIGINT,
    sms SMALLINT NOT NULL DEFAULT 0 CHECK (sms IN (0, 1)),
    updated_at BIGINT NOT NULL
);

CREATE TABLE recovery_codes (
    account_id TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (account_id, code_hash)
);
