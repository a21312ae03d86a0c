-- Pushed authorization requests (RFC 9126): the posted parameters as JSON, kept under
-- the keyed hash of the request_uri until the authorization endpoint takes them once
-- or they expire.

CREATE TABLE pushed_requests (
    request_uri_hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    params TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX pushed_requests_expires_at ON pushed_requests (expires_at);
