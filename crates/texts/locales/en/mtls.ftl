# Sign-in with a TLS client certificate (the certificate listener).
mtls-link = Sign in with a certificate (TLS)
mtls-title = Sign-in with a certificate
mtls-back = Back to sign-in
mtls-no-certificate = Your browser presented no certificate. Choose a certificate bound to your account when the browser asks, or sign in another way.
mtls-not-bound = This certificate is not bound to any account. Bind it in your account first.
mtls-account-unavailable = The account this certificate is bound to cannot sign in.
mtls-handoff-expired = The certificate sign-in has expired, was already used, or was started in another browser. Start it again from the sign-in page.
mtls-refused-malformed = The certificate could not be read.
mtls-refused-untrusted_root = The certificate was not issued by a certification authority this service trusts.
mtls-refused-expired = The certificate, or one above it, has expired.
mtls-refused-not_yet_valid = The certificate, or one above it, is not valid yet.
mtls-refused-bad_signature = The certificate was not issued by the certification authority it names.
mtls-refused-revoked = The certificate has been revoked by its certification authority.
mtls-refused-wrong_key_usage = The certificate's key usage does not allow signing in.
mtls-refused-name_constraint = The certificate is outside the names its issuer may certify.
mtls-refused-invalid_chain = The certificate chain is not valid.
mtls-refused-unsupported_key = The certificate's key type is not supported here.
