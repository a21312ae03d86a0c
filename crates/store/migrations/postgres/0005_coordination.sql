-- Coordination between nodes on one database.
--
-- `changes.version` is bumped in the same transaction as every write to what nodes cache
-- (clients, api-keys, products, signing keys), by statement triggers, so a write by any
-- node or by `propusk admin` is seen by every node that polls the one row.
CREATE TABLE changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO changes (id, version) VALUES (1, 0);

CREATE FUNCTION propusk_cached_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE changes SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER clients_changed AFTER INSERT OR UPDATE OR DELETE ON clients
    FOR EACH STATEMENT EXECUTE FUNCTION propusk_cached_data_changed();
CREATE TRIGGER client_secrets_changed
    AFTER INSERT OR UPDATE OF client_id, secret_hash, expires_at OR DELETE ON client_secrets
    FOR EACH STATEMENT EXECUTE FUNCTION propusk_cached_data_changed();
CREATE TRIGGER products_changed AFTER INSERT OR UPDATE OR DELETE ON products
    FOR EACH STATEMENT EXECUTE FUNCTION propusk_cached_data_changed();
CREATE TRIGGER signing_keys_changed AFTER INSERT OR UPDATE OR DELETE ON signing_keys
    FOR EACH STATEMENT EXECUTE FUNCTION propusk_cached_data_changed();

-- Leases of background jobs that must run on one node at a time: a node holds `name`
-- until `expires_at` and renews it while it works; a dead node's lease simply expires.
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
