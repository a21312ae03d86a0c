# The docs' reference of errors (/docs/reference/errors).
docs-code-invalid_request = The request is missing a parameter, repeats one, has an invalid value or cannot be parsed. Read error_description, fix the request and send it again; retrying it unchanged will fail the same way.
docs-code-invalid_client = Client authentication failed or the client is unknown: answered 401 (with WWW-Authenticate when you used HTTP Basic), or 429 with Retry-After after too many failures. Check client_id, the api-key and the authentication method registered for the client.
docs-code-invalid_grant = The authorization code, refresh token, device code, assertion or password grant is invalid, expired, already used, revoked or issued to another client. Do not retry with the same value: send the user through authorization again.
docs-code-unauthorized_client = The client is authenticated but may not use this grant type or response type. Register the grant for the client in the developer cabinet, or use a flow it is allowed.
docs-code-unsupported_grant_type = Propusk does not know the grant_type sent to the token endpoint. Use one of the grant types listed in the discovery document under grant_types_supported.
docs-code-invalid_scope = A requested scope is unknown, not allowed for the client, wider than the original grant, or cannot be combined with the others in one token. Request only scopes enabled for the client, and no more than were granted.
docs-code-access_denied = The user or the provider refused the request, for example the user declined consent or denied a device. Tell the user that access was not given; do not start the flow again on your own.
docs-code-unsupported_response_type = Propusk offers only the authorization code flow, so response_type must be code. Change the authorization request to response_type=code.
docs-code-server_error = Propusk failed internally; the description is generic and the detail stays in the provider's log. Retry later, and contact the operator with the time of the request if it persists.
docs-code-temporarily_unavailable = Too many attempts were made and Propusk asks to wait; the token endpoint answers it with 429 and Retry-After. Wait the given number of seconds before trying again.
docs-code-interaction_required = Defined by OpenID Connect for prompt=none when the user must interact; Propusk answers login_required or consent_required instead. Handle it like them: repeat the request without prompt=none.
docs-code-login_required = The request had prompt=none but the user is not signed in, or the session does not satisfy max_age or id_token_hint. Send the user to the authorization endpoint without prompt=none.
docs-code-account_selection_required = Defined by OpenID Connect for prompt=none when the user must choose an account; Propusk does not currently send it. If you receive it, repeat the request without prompt=none.
docs-code-consent_required = The request had prompt=none but the user has not yet approved all the requested scopes for the client. Send the user to the authorization endpoint without prompt=none so they can consent.
docs-code-invalid_request_uri = Defined by OpenID Connect for a request_uri that cannot be fetched or is invalid; Propusk does not send it because it does not accept request_uri at all. Pass the parameters directly in the authorization request.
docs-code-invalid_request_object = Defined by OpenID Connect for an invalid request object; Propusk does not send it because it does not accept request objects. Pass the parameters directly in the authorization request.
docs-code-request_not_supported = Propusk does not accept request objects in the request parameter. Send the authorization parameters directly in the query or form body.
docs-code-request_uri_not_supported = Propusk does not accept the request_uri parameter. Send the authorization parameters directly in the query or form body.
docs-code-registration_not_supported = Defined by OpenID Connect for the registration parameter of an authorization request; Propusk does not send it. Register clients in the developer cabinet or by dynamic client registration where the operator allows it.
docs-code-invalid_token = The access token is missing, malformed, expired, revoked or not issued by this provider (401 with WWW-Authenticate: Bearer); dynamic client registration answers it for a bad registration access token. Get a new access token, with the refresh token if you have one.
docs-code-insufficient_scope = The access token is valid but lacks the scope the resource needs, answered 403; the userinfo endpoint needs openid. Request the missing scope in a new authorization.
docs-code-authorization_pending = The device flow: the user has not yet approved or denied the device. Keep polling the token endpoint at the interval given, no faster.
docs-code-slow_down = The device flow: the device polled sooner than the interval allows, and Propusk added 5 seconds to it. Increase your polling interval by 5 seconds and go on polling.
docs-code-expired_token = The device flow: the device code expired before the user approved it. Start a new device authorization and show the user the new code.
docs-code-invalid_redirect_uri = Dynamic client registration refused one of redirect_uris or post_logout_redirect_uris. Fix the URI named in error_description, or add one if the client uses the authorization_code grant, and register again.
docs-code-invalid_client_metadata = Dynamic client registration refused a metadata field, or the body is not a JSON object of client metadata. Fix the field named in error_description and register again.
docs-code-unsupported_token_type = Token exchange was asked for a token type Propusk does not handle. Use urn:ietf:params:oauth:token-type:access_token for subject_token_type and requested_token_type.
docs-error-missing-parameter = A required parameter such as client_id, response_type, scope, grant_type, code or client_assertion_type is absent, or the scope is empty after the client's limits are applied; send it.
docs-error-duplicate-parameter = A parameter appears more than once in the request, which OAuth forbids; send each parameter once, with several scopes space-separated in one scope value.
docs-error-invalid-parameter = A parameter has a value Propusk cannot accept, such as an unknown prompt value, a negative max_age, invalid characters in scope, an actor_token or an unsupported client_assertion_type; the description names the parameter and the reason.
docs-error-malformed-body = The request body or query cannot be read: not form-encoded (application/x-www-form-urlencoded), not UTF-8 or with broken percent-encoding; send a proper form body.
docs-error-unknown-client = The client_id of an authorization or logout request names no registered client; Propusk shows the user an error page instead of redirecting, so check the client_id you configured.
docs-error-redirect-uri-not-registered = The redirect_uri of the authorization request is not exactly one of the client's registered URIs (only a loopback IP port of a native client may vary); Propusk shows an error page instead of redirecting, so register the URI or send it exactly.
docs-error-redirect-uri-missing = The authorization request has no redirect_uri and the client registered several, so Propusk cannot tell where to answer and shows an error page; send redirect_uri.
docs-error-unsupported-response-type = The authorization request asked for a response_type other than code; Propusk offers only the authorization code flow.
docs-error-unsupported-response-mode = The authorization request asked for a response_mode other than query, fragment or form_post.
docs-error-scope-not-allowed = A requested scope is not enabled for the client, or, with client credentials, is not a scope of a product; enable it for the client in the developer cabinet or stop requesting it.
docs-error-nonce-without-openid = The authorization request carries nonce but its scope lacks openid; add openid or drop nonce.
docs-error-pkce-required = A public client (single-page, mobile or desktop application) sent an authorization request without code_challenge; PKCE is mandatory for such clients.
docs-error-pkce-method-refused = The code_challenge_method is plain or absent (which means plain); Propusk accepts only S256, so send code_challenge_method=S256.
docs-error-pkce-challenge-malformed = The code_challenge is not a SHA-256 hash in base64url without padding (exactly 43 characters of A-Z, a-z, 0-9, - and _).
docs-error-prompt-none-combined = The prompt parameter combines none with other values; none must stand alone.
docs-error-grant-not-allowed = The client may not use this grant: it is not registered for the client, a public client asked for client credentials, or product credentials tried anything but introspection and permitted token exchange; register the grant or use another flow.
docs-error-request-object-not-supported = The authorization request carries the request parameter, and Propusk does not accept request objects; send the parameters directly.
docs-error-request-uri-not-supported = The authorization request carries request_uri, and Propusk does not accept it; send the parameters directly.
docs-error-login-required = The authorization request had prompt=none and there is no suitable session (none, too old for max_age, or another user than id_token_hint names); repeat it without prompt=none.
docs-error-consent-required = The authorization request had prompt=none and the user has not approved every requested scope for the client; repeat it without prompt=none so the user can consent.
docs-error-interaction-required = Reserved for prompt=none when the user must interact; Propusk does not currently answer with it and uses login-required or consent-required instead.
docs-error-account-selection-required = Reserved for prompt=none when the user must choose an account; Propusk does not currently answer with it.
docs-error-access-denied = The user declined the request on the consent page; Propusk redirects with access_denied, and your application should tell the user that access was not given.
docs-error-id-token-hint-invalid = The id_token_hint of an authorization or logout request is not an ID token issued by this provider with a valid signature, or at authorization it was issued to another client or has no subject; send the ID token you received for this client, or omit the hint.
docs-error-interaction-expired = Shown to people: the sign-in or consent step was unknown or took too long; the user should start again from your application.
docs-error-invalid-credentials = Shown to people: the identifier or password typed on the sign-in page is wrong; integrators never receive it (the password grant answers resource-owner-credentials-invalid).
docs-error-client-auth-failed = Client authentication at the token, introspection or revocation endpoint failed: no credentials, an unknown client_id, a wrong, expired or revoked api-key, malformed Basic credentials, or a public client calling introspection; check the credentials you send.
docs-error-client-assertion-invalid = The client_assertion of private_key_jwt was refused: not a JWT, bad signature or algorithm, iss or sub not the client_id, aud not naming this server, expired or not yet valid, missing or replayed jti, or the client's jwks_uri unreadable; the description says which.
docs-error-unsupported-grant-type = The grant_type sent to the token endpoint is not one Propusk knows; see grant_types_supported in the discovery document.
docs-error-code-not-found = The authorization code is unknown, for example mistyped, truncated or from another environment; start a new authorization.
docs-error-code-expired = The authorization code was redeemed after its short lifetime; exchange codes as soon as you receive them, and start a new authorization.
docs-error-code-replayed = The authorization code had already been used, so Propusk revokes the whole grant and every token issued from it; redeem each code once and send the user through authorization again.
docs-error-code-client-mismatch = The authorization code was issued to another client, so Propusk revokes its grant; redeem codes only with the client that requested them.
docs-error-redirect-uri-mismatch = The token request does not repeat exactly the redirect_uri that the authorization request carried; send the same value.
docs-error-pkce-mismatch = The code_verifier does not hash (SHA-256, base64url) to the code_challenge of the authorization request; send the verifier that belongs to this code.
docs-error-pkce-verifier-missing = The authorization request carried code_challenge but the token request has no code_verifier; send it.
docs-error-pkce-verifier-unexpected = The token request has code_verifier but the authorization request carried no code_challenge, which Propusk treats as a possible PKCE downgrade; send code_challenge at authorization or no verifier.
docs-error-grant-revoked = The grant behind the code or refresh token was revoked, because the user withdrew the application's access, or a replayed code or reused refresh token was detected; send the user through authorization again.
docs-error-refresh-token-not-found = The refresh token is unknown; start a new authorization.
docs-error-refresh-token-expired = The refresh token has outlived its lifetime; start a new authorization.
docs-error-refresh-token-reused = A refresh token that was already exchanged was used again, so Propusk revokes the whole grant; always keep only the newest refresh token, avoid concurrent refreshes, and send the user through authorization again.
docs-error-refresh-token-client-mismatch = The refresh token was issued to another client, so Propusk revokes its grant; use refresh tokens only with the client they were issued to.
docs-error-scope-widened = A refresh or token exchange request asks for scope beyond what was originally granted; request the same scopes or fewer, or send the user through authorization for more.
docs-error-account-unavailable = The account that authorized the grant is disabled or was deleted, so no more tokens are issued for it.
docs-error-invalid-token = The access token at userinfo is malformed, not signed by this provider, not an access token, expired, revoked or unknown; obtain a new one.
docs-error-insufficient-scope = The access token is valid but lacks the scope needed, such as openid for userinfo; answered 403, request that scope in a new authorization.
docs-error-store = Propusk's storage failed while handling the request; answered server_error with a generic description, retry later.
docs-error-internal = Propusk failed internally, for example while signing a token; answered server_error with a generic description, retry later and report it to the operator if it persists.
docs-error-client-auth-method-mismatch = The client authenticated with a method other than its registered token_endpoint_auth_method, named in the description (for example it sent only client_id while an api-key is required); use the registered method.
docs-error-no-product-scope = A client credentials or token exchange request leaves no product scope to put in the token (openid and offline_access do not count); request a scope of a product the client is allowed.
docs-error-product-subjects-differ = The requested scopes belong to products that each see the user under their own subject, so they cannot share one access token; request one token per product.
docs-error-missing-bearer-token = The userinfo request carries no access token; Propusk answers 401 with a bare WWW-Authenticate: Bearer challenge and no error code, so send the token in the Authorization header.
docs-error-user-code-unknown = Shown to people: the code typed on the device page is unknown, expired or already used; the user should check the code on the device or start again there.
docs-error-user-code-throttled = Shown to people: too many wrong codes were typed on the device page, answered 429; the user should wait and try again.
docs-error-device-authorization-pending = The device polls the token endpoint and the user has not decided yet; keep polling at the given interval.
docs-error-device-slow-down = The device polled sooner than its interval; Propusk adds 5 seconds to the interval, so poll less often from now on.
docs-error-device-code-expired = The device code expired before the user approved it; start a new device authorization.
docs-error-device-access-denied = The user denied the device on the device page; stop polling and tell the user access was not given.
docs-error-device-code-not-found = The device code is unknown; start a new device authorization.
docs-error-device-code-redeemed = The device code was already exchanged for tokens; stop polling once you have received them.
docs-error-device-code-client-mismatch = The device code was issued to another client; poll with the client that started the device authorization.
docs-error-resource-owner-credentials-invalid = The password grant received a wrong username or password; ask the user to type them again, or better use the authorization code flow.
docs-error-second-factor-unavailable = The account signs in with a second factor, which the password grant cannot ask for; use the authorization code flow for this user.
docs-error-assertion-invalid = The JWT bearer assertion was refused: issuer not trusted, bad signature, aud not naming this server, expired or not yet valid, sub missing, or jti missing or replayed; the description stays generic, so check the assertion against these rules.
docs-error-subject-token-invalid = The subject_token of a token exchange is not a valid access token of this provider (invalid, expired or revoked) or not a token of a user.
docs-error-unsupported-token-type = The subject_token_type or requested_token_type of a token exchange is not urn:ietf:params:oauth:token-type:access_token, the only type Propusk exchanges.
docs-error-target-not-allowed = The audience of a token exchange names no product that owns the requested scopes, or the request used resource, which Propusk does not support; use audience with a product's identifier.
docs-error-post-logout-redirect-uri-not-registered = The post_logout_redirect_uri of a logout request is not registered for the client; Propusk shows an error page instead of redirecting, so register the URI.
docs-error-logout-client-mismatch = The client_id of a logout request differs from the audience of its id_token_hint; send the client_id the ID token was issued to, or omit it.
docs-error-throttled = Too many failed attempts for an identifier or address; shown to people on the account pages, and answered 429 with Retry-After by the password grant, so wait that many seconds.
docs-error-send-cap-reached = Shown to people: too many one-time codes were sent to a phone or e-mail address within an hour; the user should wait before asking for another.
docs-error-client-throttled = Too many failed client authentications from this client_id or address, so Propusk refuses further attempts unchecked with 429 and Retry-After; fix the credentials and wait that many seconds.
docs-error-password-rejected = Shown to people: a new password was refused as too short, too long, too common or breached, or repeating the login, e-mail or phone.
docs-error-one-time-code-invalid = Shown to people: the one-time code typed is wrong.
docs-error-one-time-code-expired = Shown to people: the one-time code expired or its attempts are used up; the user should ask for a new one.
docs-error-challenge-expired = Shown to people: the sign-in or verification step is unknown or expired; the user should start it again.
docs-error-contact-invalid = Shown to people: what was typed is not a valid phone number or e-mail address.
docs-error-terms-not-accepted = Shown to people: registration needs the terms to be accepted.
docs-error-name-missing = Shown to people: registration needs a display name.
docs-error-already-registered = Shown to people: an account with this phone or e-mail already exists; the user should sign in instead.
docs-error-registration-closed = Shown to people: the operator has closed registration of new accounts.
docs-error-factor-unavailable = Shown to people: the chosen second factor is not available for the account.
docs-error-reauthentication-required = Shown to people: a sensitive change to one's own account needs a fresh proof of identity, so the account pages ask for the password or a code again.
