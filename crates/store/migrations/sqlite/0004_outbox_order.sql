-- Messages of one second must still list newest first (the development outbox page and
-- tests read the latest code): a sequence number fixes the order of insertion.
ALTER TABLE outbox ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX outbox_seq ON outbox (seq);
