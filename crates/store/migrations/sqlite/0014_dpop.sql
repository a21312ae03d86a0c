-- DPoP (RFC 9449): the thumbprint of the key a public client's refresh token is bound
-- to (§5), and of the key an authorization request named in dpop_jkt (§10), so that
-- its code is redeemed only with a proof of that key. Proof jti values are kept in
-- replay_cache, which every node shares and housekeeping purges.

ALTER TABLE refresh_tokens ADD COLUMN dpop_jkt TEXT;
ALTER TABLE auth_codes ADD COLUMN dpop_jkt TEXT;
