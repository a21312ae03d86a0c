-- Operators and the audit trail of operator actions (PostgreSQL): the accounts that hold
-- operator rights, and on each audit event who acted (an operator account, an API client
-- or the command line) and the client it concerns, so the log filters by client; and
-- the lower-cased name of each account, so that operators find accounts by name.

CREATE TABLE operators (
    account_id TEXT PRIMARY KEY,
    granted_at BIGINT NOT NULL
);

ALTER TABLE audit_events ADD COLUMN actor TEXT;
ALTER TABLE audit_events ADD COLUMN client_id TEXT;
CREATE INDEX audit_events_client ON audit_events (client_id, at);
CREATE INDEX audit_events_kind ON audit_events (kind, at);

ALTER TABLE accounts ADD COLUMN search_name TEXT;
UPDATE accounts SET search_name = lower(profile::json->>'name');
