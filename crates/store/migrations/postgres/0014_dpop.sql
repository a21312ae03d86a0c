-- DPoP (RFC 9449): the thumbprint of the key a public client's refresh token is bound
-- to (§5). Proof jti values are kept in replay_cache, which every node shares and
-- housekeeping purges.

ALTER TABLE refresh_tokens ADD COLUMN dpop_jkt TEXT;
