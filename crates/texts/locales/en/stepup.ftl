## Request objects (RFC 9101) and step-up authentication

docs-error-request-object-invalid = The signed request object (the request parameter) was refused: not a JWT, alg none or an HMAC or otherwise not allowed algorithm, no key of the client verifies it, iss or client_id not the client, aud not this issuer, expired, not yet valid, a replayed jti, or a request or request_uri inside it; the description says which.
docs-error-signed-request-object-required = The client is registered with require_signed_request_object: its authorization requests must carry their parameters in a signed request object (request), directly or pushed to the PAR endpoint.
docs-error-unmet-authentication-requirements = The client asked (acr_values, an essential acr claim, or its own minimum) for an authentication context the account cannot reach: a second factor was required and the account has none enrolled.
docs-code-unmet_authentication_requirements = The provider cannot authenticate the user at the level the request asked for (OpenID Connect Unmet Authentication Requirements 1.0).
