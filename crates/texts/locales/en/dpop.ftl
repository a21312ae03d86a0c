# DPoP (RFC 9449): the docs' explanations of its error codes and refusals.
docs-code-invalid_dpop_proof = The DPoP proof in the DPoP header is malformed, not signed by the key in its jwk header, for another method or URL, too old, already used, or does not name the access token (ath). Send a fresh proof, signed by the client's key, with every request.
docs-code-use_dpop_nonce = Propusk demands a server nonce in DPoP proofs. Repeat the request with a new proof whose nonce claim is the value of the DPoP-Nonce response header.
docs-error-dpop-proof-invalid = The DPoP proof failed a check of RFC 9449 §4.3 (typ, alg, jwk, signature, htm, htu, iat, jti, ath); the description names which.
docs-error-dpop-nonce-required = The DPoP proof lacks the current server nonce; take it from the DPoP-Nonce header of this answer and send a new proof.
docs-error-dpop-proof-required = The client is registered with dpop_bound_access_tokens, so every token request needs a DPoP header.
docs-error-refresh-token-key-mismatch = The refresh token of a public client is bound to the DPoP key it was issued for; refresh with proofs signed by that key.
