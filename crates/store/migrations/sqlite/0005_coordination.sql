-- Coordination between nodes on one database.
--
-- `changes.version` is bumped in the same transaction as every write to what nodes cache
-- (clients, api-keys, products, signing keys), by triggers, so a write by any node or by
-- `propusk admin` is seen by every node that polls the one row.
CREATE TABLE changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO changes (id, version) VALUES (1, 0);

CREATE TRIGGER clients_inserted AFTER INSERT ON clients
BEGIN UPDATE changes SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER clients_updated AFTER UPDATE ON clients
BEGIN UPDATE changes SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER clients_deleted AFTER DELETE ON clients
BEGIN UPDATE changes SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER client_secrets_inserted AFTER INSERT ON client_secrets
BEGIN UPDATE changes SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER client_secrets_updated AFTER UPDATE OF client_id, secret_hash, expires_at ON client_secrets
BEGIN UPDATE changes SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER client_secrets_deleted AFTER DELETE ON client_secrets
BEGIN UPDATE changes SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER products_inserted AFTER INSERT ON products
BEGIN UPDATE changes SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER products_updated AFTER UPDATE ON products
BEGIN UPDATE changes SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER products_deleted AFTER DELETE ON products
BEGIN UPDATE changes SET version = version + 1 WHERE id = 1; END;

CREATE TRIGGER signing_keys_inserted AFTER INSERT ON signing_keys
BEGIN UPDATE changes SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER signing_keys_updated AFTER UPDATE ON signing_keys
BEGIN UPDATE changes SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER signing_keys_deleted AFTER DELETE ON signing_keys
BEGIN UPDATE changes SET version = version + 1 WHERE id = 1; END;

-- Leases of background jobs that must run on one node at a time: a node holds `name`
-- until `expires_at` and renews it while it works; a dead node's lease simply expires.
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
