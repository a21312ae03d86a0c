//! Errors of the engine, named for what happened. Each knows its wire code (RFC 6749
//! §4.1.2.1 / §5.2, RFC 6750 §3.1, OIDC Core §3.1.2.6) and a description that is safe to
//! show; the `Display` text is the log detail. Only `web/error.rs` maps them to HTTP.

use crate::store::StoreError;
use propusk_types::error::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // --- the request itself
    #[error("missing parameter {0}")]
    MissingParameter(&'static str),
    #[error("parameter {0} given more than once")]
    DuplicateParameter(String),
    #[error("invalid parameter {name}: {reason}")]
    InvalidParameter {
        name: &'static str,
        reason: &'static str,
    },
    #[error("malformed request body: {0}")]
    MalformedBody(String),

    // --- authorization endpoint, fatal (no redirect)
    #[error("unknown client")]
    UnknownClient,
    #[error("redirect_uri not registered for the client")]
    RedirectUriNotRegistered,
    #[error("redirect_uri missing and the client has several")]
    RedirectUriMissing,

    // --- authorization endpoint, redirectable
    #[error("unsupported response_type {0}")]
    UnsupportedResponseType(String),
    #[error("unsupported response_mode {0}")]
    UnsupportedResponseMode(String),
    #[error("scope not allowed: {0}")]
    ScopeNotAllowed(String),
    #[error("nonce given without the openid scope")]
    NonceWithoutOpenid,
    #[error("PKCE code_challenge required for this client")]
    PkceRequired,
    #[error("PKCE method {0} refused; only S256 is accepted")]
    PkceMethodRefused(String),
    #[error("malformed PKCE code_challenge")]
    PkceChallengeMalformed,
    #[error("prompt=none combined with other prompt values")]
    PromptNoneCombined,
    #[error("grant type not allowed for the client: {0}")]
    GrantNotAllowed(&'static str),
    /// RFC 9101 §6: the request object failed a check; the text says which.
    #[error("request object rejected: {0}")]
    RequestObjectInvalid(&'static str),
    /// RFC 9101 §10.5 `require_signed_request_object`.
    #[error("authorization requests of this client must come as a signed request object")]
    SignedRequestObjectRequired,
    #[error("request_uri is not supported here")]
    RequestUriNotSupported,
    /// RFC 9126 §4: not one of ours, expired, used, or pushed by another client.
    #[error("the request_uri is unknown, expired, already used or pushed by another client")]
    RequestUriUnknown,
    /// RFC 9126 §5: the client, or the provider, takes authorization requests only
    /// through the pushed authorization request endpoint.
    #[error("authorization requests of this client must be pushed to the PAR endpoint first")]
    PushedRequestRequired,
    #[error("the user must sign in")]
    LoginRequired,
    #[error("the user must consent")]
    ConsentRequired,
    #[error("interaction required")]
    InteractionRequired,
    #[error("account selection required")]
    AccountSelectionRequired,
    /// OpenID Connect Core Unmet Authentication Requirements 1.0: the requested `acr`
    /// cannot be reached for this account (it has no second factor).
    #[error("the account cannot meet the requested authentication context")]
    UnmetAuthenticationRequirements,
    #[error("the user denied the request")]
    AccessDenied,
    #[error("id_token_hint invalid: {0}")]
    IdTokenHintInvalid(&'static str),
    #[error("interaction unknown or expired")]
    InteractionExpired,
    #[error("sign-in failed: wrong identifier or password")]
    InvalidCredentials,

    // --- client authentication (token, introspection, revocation)
    #[error("client authentication failed: {0}")]
    ClientAuthFailed(&'static str),
    #[error("client assertion rejected: {0}")]
    ClientAssertionInvalid(&'static str),

    // --- token endpoint
    #[error("unsupported grant_type {0}")]
    UnsupportedGrantType(String),
    #[error("authorization code unknown")]
    CodeNotFound,
    #[error("authorization code expired")]
    CodeExpired,
    #[error("authorization code replayed; the grant is revoked")]
    CodeReplayed,
    #[error("authorization code issued to another client")]
    CodeClientMismatch,
    #[error("redirect_uri does not match the authorization request")]
    RedirectUriMismatch,
    #[error("PKCE verifier does not match the challenge")]
    PkceMismatch,
    #[error("PKCE code_verifier missing")]
    PkceVerifierMissing,
    #[error("PKCE code_verifier sent but no challenge was given")]
    PkceVerifierUnexpected,
    #[error("grant revoked")]
    GrantRevoked,
    #[error("refresh token unknown")]
    RefreshTokenNotFound,
    #[error("refresh token expired")]
    RefreshTokenExpired,
    #[error("refresh token reused; the family is revoked")]
    RefreshTokenReused,
    #[error("refresh token issued to another client")]
    RefreshTokenClientMismatch,
    #[error("requested scope exceeds the original grant")]
    ScopeWidened,
    #[error("account disabled or gone")]
    AccountUnavailable,

    // --- DPoP (RFC 9449)
    #[error("DPoP proof invalid: {0}")]
    DpopProofInvalid(&'static str),
    #[error("a DPoP proof with the current server nonce is required")]
    DpopNonceRequired,
    #[error("this client must send a DPoP proof")]
    DpopProofRequired,
    #[error("the refresh token is bound to another DPoP key")]
    RefreshTokenKeyMismatch,

    // --- bearer token use (RFC 6750)
    #[error("access token invalid: {0}")]
    InvalidToken(&'static str),
    #[error("access token lacks scope {0}")]
    InsufficientScope(&'static str),

    // --- everything else
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("internal: {0}")]
    Internal(String),

    // --- token, introspection, revocation and userinfo endpoints
    #[error("client used another method than its registered token_endpoint_auth_method {0}")]
    ClientAuthMethodMismatch(&'static str),
    #[error("no product scope requested or allowed for the client")]
    NoProductScope,
    #[error(
        "the scopes belong to products that each see the person under their own subject; request one token per product"
    )]
    ProductSubjectsDiffer,
    #[error("no access token in the request")]
    MissingBearerToken,

    // --- device authorization (RFC 8628)
    #[error("user code unknown, expired or already used")]
    UserCodeUnknown,
    #[error("too many user code attempts; try again later")]
    UserCodeThrottled,
    #[error("the user has not decided yet")]
    DeviceAuthorizationPending,
    #[error("polling too fast; the interval grows")]
    DeviceSlowDown,
    #[error("the device code expired")]
    DeviceCodeExpired,
    #[error("the user denied the device")]
    DeviceAccessDenied,
    #[error("device code unknown")]
    DeviceCodeNotFound,
    #[error("device code already redeemed")]
    DeviceCodeRedeemed,
    #[error("device code issued to another client")]
    DeviceCodeClientMismatch,

    // --- partner grants (RFC 6749 §4.3, RFC 7523, RFC 8693)
    #[error("resource owner credentials rejected")]
    ResourceOwnerCredentialsInvalid,
    #[error(
        "the account signs in with a second factor, which the password grant cannot ask for; use the authorization code flow"
    )]
    SecondFactorUnavailable,
    #[error("JWT bearer assertion rejected: {0}")]
    AssertionInvalid(&'static str),
    #[error("subject_token rejected: {0}")]
    SubjectTokenInvalid(&'static str),
    #[error("unsupported token type {0}")]
    UnsupportedTokenType(String),
    #[error("target not acceptable: {0}")]
    TargetNotAllowed(String),
    /// RFC 8693 §2.2.2: a subject token the exchanging client was neither given nor the
    /// audience of.
    #[error("the subject_token was not issued to this client or its product")]
    SubjectTokenNotForClient,

    // --- certificate sign-in
    #[error("{0}")]
    CertificateRefused(propusk_certs::CertError),
    #[error("the certificate is not bound to any account")]
    CertificateNotBound,
    #[error("the decrypted key does not answer any challenge")]
    CertificateChallengeUnknown,
    #[error("the challenge was answered already; ask for a new one")]
    CertificateChallengeReused,
    #[error("the challenge has expired; ask for a new one")]
    CertificateChallengeExpired,
    #[error("the thumbprint is not that of the certificate the challenge was made for")]
    CertificateThumbprintMismatch,
    #[error(
        "the challenge must be answered as it was asked for: decrypted_key for an encrypted one, signature for a signed one"
    )]
    CertificateAnswerMismatch,

    // --- logout (RP-Initiated Logout 1.0)
    #[error("post_logout_redirect_uri not registered for the client")]
    PostLogoutRedirectUriNotRegistered,
    #[error("client_id differs from the audience of id_token_hint")]
    LogoutClientMismatch,

    // --- accounts: sign-in, registration, second factor, reset
    #[error("too many attempts; retry in {retry_after} s")]
    Throttled { retry_after: i64 },
    #[error("too many codes sent; retry in {retry_after} s")]
    SendCapReached { retry_after: i64 },
    /// Client authentication refused unchecked after too many failures (RFC 6749 §10.10);
    /// answered 429 with `Retry-After` (RFC 6585 §4).
    #[error("too many failed client authentications; retry in {retry_after} s")]
    ClientThrottled { retry_after: i64 },
    #[error("password refused: {0}")]
    PasswordRejected(PasswordRejected),
    #[error("the one-time code is wrong")]
    OneTimeCodeInvalid,
    #[error("the one-time code expired or its attempts are used up")]
    OneTimeCodeExpired,
    #[error("the sign-in step is unknown or expired")]
    ChallengeExpired,
    #[error("not a valid phone number or e-mail address")]
    ContactInvalid,
    #[error("the terms were not accepted")]
    TermsNotAccepted,
    #[error("the display name is missing")]
    NameMissing,
    #[error("an account with this phone or e-mail exists already")]
    AlreadyRegistered,
    #[error("registration is closed")]
    RegistrationClosed,
    #[error("this second factor is not available for the account")]
    FactorUnavailable,
    /// A WebAuthn registration or assertion that failed a relying-party check.
    #[error("the passkey was refused: {0}")]
    PasskeyRefused(&'static str),
    /// A sensitive change of one's own account without a recent proof of identity.
    #[error("a fresh proof of identity is required for this change")]
    ReauthenticationRequired,
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        use Error::*;
        match self {
            MissingParameter(_)
            | DuplicateParameter(_)
            | InvalidParameter { .. }
            | MalformedBody(_) => ErrorCode::InvalidRequest,
            UnknownClient => ErrorCode::InvalidClient,
            RedirectUriNotRegistered | RedirectUriMissing => ErrorCode::InvalidRequest,
            UnsupportedResponseType(_) => ErrorCode::UnsupportedResponseType,
            UnsupportedResponseMode(_) => ErrorCode::InvalidRequest,
            ScopeNotAllowed(_) | ScopeWidened => ErrorCode::InvalidScope,
            NonceWithoutOpenid
            | PkceRequired
            | PkceMethodRefused(_)
            | PkceChallengeMalformed
            | PromptNoneCombined => ErrorCode::InvalidRequest,
            GrantNotAllowed(_) => ErrorCode::UnauthorizedClient,
            RequestObjectInvalid(_) => ErrorCode::InvalidRequestObject,
            SignedRequestObjectRequired => ErrorCode::InvalidRequest,
            RequestUriNotSupported => ErrorCode::RequestUriNotSupported,
            RequestUriUnknown => ErrorCode::InvalidRequestUri,
            PushedRequestRequired => ErrorCode::InvalidRequest,
            LoginRequired => ErrorCode::LoginRequired,
            ConsentRequired => ErrorCode::ConsentRequired,
            InteractionRequired => ErrorCode::InteractionRequired,
            AccountSelectionRequired => ErrorCode::AccountSelectionRequired,
            UnmetAuthenticationRequirements => ErrorCode::UnmetAuthenticationRequirements,
            AccessDenied => ErrorCode::AccessDenied,
            IdTokenHintInvalid(_) => ErrorCode::InvalidRequest,
            InteractionExpired => ErrorCode::InvalidRequest,
            InvalidCredentials => ErrorCode::AccessDenied,
            ClientAuthFailed(_) | ClientAssertionInvalid(_) => ErrorCode::InvalidClient,
            UnsupportedGrantType(_) => ErrorCode::UnsupportedGrantType,
            CodeNotFound
            | CodeExpired
            | CodeReplayed
            | CodeClientMismatch
            | RedirectUriMismatch
            | PkceMismatch
            | PkceVerifierMissing
            | PkceVerifierUnexpected
            | GrantRevoked
            | RefreshTokenNotFound
            | RefreshTokenExpired
            | RefreshTokenReused
            | RefreshTokenClientMismatch
            | AccountUnavailable => ErrorCode::InvalidGrant,
            InvalidToken(_) => ErrorCode::InvalidToken,
            DpopProofInvalid(_) => ErrorCode::InvalidDpopProof,
            DpopNonceRequired => ErrorCode::UseDpopNonce,
            DpopProofRequired => ErrorCode::InvalidRequest,
            RefreshTokenKeyMismatch => ErrorCode::InvalidGrant,
            InsufficientScope(_) => ErrorCode::InsufficientScope,
            Store(_) | Internal(_) => ErrorCode::ServerError,
            ClientAuthMethodMismatch(_) | ClientThrottled { .. } => ErrorCode::InvalidClient,
            NoProductScope | ProductSubjectsDiffer => ErrorCode::InvalidScope,
            MissingBearerToken => ErrorCode::InvalidToken,
            UserCodeUnknown | UserCodeThrottled => ErrorCode::InvalidRequest,
            DeviceAuthorizationPending => ErrorCode::AuthorizationPending,
            DeviceSlowDown => ErrorCode::SlowDown,
            DeviceCodeExpired => ErrorCode::ExpiredToken,
            DeviceAccessDenied => ErrorCode::AccessDenied,
            DeviceCodeNotFound | DeviceCodeRedeemed | DeviceCodeClientMismatch => {
                ErrorCode::InvalidGrant
            }
            AssertionInvalid(_) | ResourceOwnerCredentialsInvalid | SecondFactorUnavailable => {
                ErrorCode::InvalidGrant
            }
            CertificateRefused(_)
            | CertificateNotBound
            | CertificateChallengeUnknown
            | CertificateChallengeReused
            | CertificateChallengeExpired
            | CertificateThumbprintMismatch
            | CertificateAnswerMismatch => ErrorCode::InvalidGrant,
            SubjectTokenInvalid(_) | SubjectTokenNotForClient => ErrorCode::InvalidRequest,
            TargetNotAllowed(_) => ErrorCode::InvalidTarget,
            UnsupportedTokenType(_) => ErrorCode::UnsupportedTokenType,
            PostLogoutRedirectUriNotRegistered | LogoutClientMismatch => ErrorCode::InvalidRequest,
            Throttled { .. } | SendCapReached { .. } => ErrorCode::TemporarilyUnavailable,
            PasswordRejected(_) | OneTimeCodeInvalid | OneTimeCodeExpired | ChallengeExpired
            | ContactInvalid | TermsNotAccepted | NameMissing | AlreadyRegistered
            | FactorUnavailable | PasskeyRefused(_) => ErrorCode::InvalidRequest,
            ReauthenticationRequired => ErrorCode::LoginRequired,
            RegistrationClosed => ErrorCode::AccessDenied,
        }
    }

    /// Text safe to send to the client. Never names which part of a credential was wrong.
    pub fn description(&self) -> String {
        use Error::*;
        match self {
            Store(_) | Internal(_) => "the server could not complete the request".into(),
            ClientAuthFailed(_) => "client authentication failed".into(),
            ClientAuthMethodMismatch(method) => {
                format!(
                    "the client must authenticate with its registered token_endpoint_auth_method {method}"
                )
            }
            CodeNotFound | CodeExpired | CodeReplayed => {
                "the authorization code is invalid, expired or already used".into()
            }
            RefreshTokenNotFound | RefreshTokenExpired | RefreshTokenReused => {
                "the refresh token is invalid, expired or revoked".into()
            }
            DeviceCodeNotFound | DeviceCodeRedeemed | DeviceCodeClientMismatch => {
                "the device code is invalid or already used".into()
            }
            AssertionInvalid(_) => "the assertion is invalid, expired or already used".into(),
            other => other.to_string(),
        }
    }

    pub fn is_internal(&self) -> bool {
        matches!(self, Error::Store(_) | Error::Internal(_))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a new password was refused; each has a message for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRejected {
    #[error("the password is shorter than {0} characters")]
    TooShort(usize),
    #[error("the password is longer than {0} characters")]
    TooLong(usize),
    #[error("the password is on the list of common or breached passwords")]
    Common,
    #[error("the password repeats the login, e-mail or phone")]
    SameAsIdentifier,
}

/// One error of each kind the provider answers with, for the docs' reference of errors:
/// a stable name (the key of its explanation in the message catalogue) and an instance
/// whose code and description are those sent (`…` stands where a description names the
/// particular parameter, reason or value).
pub fn catalogue() -> Vec<(&'static str, Error)> {
    use Error::*;
    use propusk_certs::CertError;
    const ANY: &str = "…";
    vec![
        ("missing-parameter", MissingParameter(ANY)),
        ("duplicate-parameter", DuplicateParameter(ANY.into())),
        (
            "invalid-parameter",
            InvalidParameter {
                name: ANY,
                reason: ANY,
            },
        ),
        ("malformed-body", MalformedBody(ANY.into())),
        ("unknown-client", UnknownClient),
        ("redirect-uri-not-registered", RedirectUriNotRegistered),
        ("redirect-uri-missing", RedirectUriMissing),
        (
            "unsupported-response-type",
            UnsupportedResponseType(ANY.into()),
        ),
        (
            "unsupported-response-mode",
            UnsupportedResponseMode(ANY.into()),
        ),
        ("scope-not-allowed", ScopeNotAllowed(ANY.into())),
        ("nonce-without-openid", NonceWithoutOpenid),
        ("pkce-required", PkceRequired),
        ("pkce-method-refused", PkceMethodRefused(ANY.into())),
        ("pkce-challenge-malformed", PkceChallengeMalformed),
        ("prompt-none-combined", PromptNoneCombined),
        ("grant-not-allowed", GrantNotAllowed(ANY)),
        ("request-object-invalid", RequestObjectInvalid(ANY)),
        (
            "signed-request-object-required",
            SignedRequestObjectRequired,
        ),
        ("request-uri-not-supported", RequestUriNotSupported),
        ("request-uri-unknown", RequestUriUnknown),
        ("pushed-request-required", PushedRequestRequired),
        ("login-required", LoginRequired),
        ("consent-required", ConsentRequired),
        ("interaction-required", InteractionRequired),
        ("account-selection-required", AccountSelectionRequired),
        ("access-denied", AccessDenied),
        (
            "unmet-authentication-requirements",
            UnmetAuthenticationRequirements,
        ),
        ("id-token-hint-invalid", IdTokenHintInvalid(ANY)),
        ("interaction-expired", InteractionExpired),
        ("invalid-credentials", InvalidCredentials),
        ("client-auth-failed", ClientAuthFailed(ANY)),
        ("client-assertion-invalid", ClientAssertionInvalid(ANY)),
        ("unsupported-grant-type", UnsupportedGrantType(ANY.into())),
        ("code-not-found", CodeNotFound),
        ("code-expired", CodeExpired),
        ("code-replayed", CodeReplayed),
        ("code-client-mismatch", CodeClientMismatch),
        ("redirect-uri-mismatch", RedirectUriMismatch),
        ("pkce-mismatch", PkceMismatch),
        ("pkce-verifier-missing", PkceVerifierMissing),
        ("pkce-verifier-unexpected", PkceVerifierUnexpected),
        ("grant-revoked", GrantRevoked),
        ("refresh-token-not-found", RefreshTokenNotFound),
        ("refresh-token-expired", RefreshTokenExpired),
        ("refresh-token-reused", RefreshTokenReused),
        ("refresh-token-client-mismatch", RefreshTokenClientMismatch),
        ("scope-widened", ScopeWidened),
        ("account-unavailable", AccountUnavailable),
        ("invalid-token", InvalidToken(ANY)),
        ("dpop-proof-invalid", DpopProofInvalid(ANY)),
        ("dpop-nonce-required", DpopNonceRequired),
        ("dpop-proof-required", DpopProofRequired),
        ("refresh-token-key-mismatch", RefreshTokenKeyMismatch),
        ("insufficient-scope", InsufficientScope(ANY)),
        ("store", Store(StoreError::Backend(ANY.into()))),
        ("internal", Internal(ANY.into())),
        ("client-auth-method-mismatch", ClientAuthMethodMismatch(ANY)),
        ("no-product-scope", NoProductScope),
        ("product-subjects-differ", ProductSubjectsDiffer),
        ("missing-bearer-token", MissingBearerToken),
        ("user-code-unknown", UserCodeUnknown),
        ("user-code-throttled", UserCodeThrottled),
        ("device-authorization-pending", DeviceAuthorizationPending),
        ("device-slow-down", DeviceSlowDown),
        ("device-code-expired", DeviceCodeExpired),
        ("device-access-denied", DeviceAccessDenied),
        ("device-code-not-found", DeviceCodeNotFound),
        ("device-code-redeemed", DeviceCodeRedeemed),
        ("device-code-client-mismatch", DeviceCodeClientMismatch),
        (
            "resource-owner-credentials-invalid",
            ResourceOwnerCredentialsInvalid,
        ),
        ("second-factor-unavailable", SecondFactorUnavailable),
        ("passkey-refused", PasskeyRefused(ANY)),
        ("assertion-invalid", AssertionInvalid(ANY)),
        ("subject-token-invalid", SubjectTokenInvalid(ANY)),
        ("unsupported-token-type", UnsupportedTokenType(ANY.into())),
        ("target-not-allowed", TargetNotAllowed(ANY.into())),
        ("subject-token-not-for-client", SubjectTokenNotForClient),
        (
            "certificate-malformed",
            CertificateRefused(CertError::Malformed(ANY.into())),
        ),
        (
            "certificate-untrusted-root",
            CertificateRefused(CertError::UntrustedRoot),
        ),
        (
            "certificate-expired",
            CertificateRefused(CertError::Expired),
        ),
        (
            "certificate-not-yet-valid",
            CertificateRefused(CertError::NotYetValid),
        ),
        (
            "certificate-bad-signature",
            CertificateRefused(CertError::BadSignature),
        ),
        (
            "certificate-revoked",
            CertificateRefused(CertError::Revoked),
        ),
        (
            "certificate-wrong-key-usage",
            CertificateRefused(CertError::WrongKeyUsage),
        ),
        (
            "certificate-name-constraint",
            CertificateRefused(CertError::NameConstraint),
        ),
        (
            "certificate-invalid-chain",
            CertificateRefused(CertError::Invalid(ANY.into())),
        ),
        (
            "certificate-unsupported-key",
            CertificateRefused(CertError::UnsupportedKey(ANY)),
        ),
        (
            "certificate-signature-invalid",
            CertificateRefused(CertError::SignatureInvalid(ANY)),
        ),
        ("certificate-not-bound", CertificateNotBound),
        ("certificate-challenge-unknown", CertificateChallengeUnknown),
        ("certificate-challenge-reused", CertificateChallengeReused),
        ("certificate-challenge-expired", CertificateChallengeExpired),
        (
            "certificate-thumbprint-mismatch",
            CertificateThumbprintMismatch,
        ),
        ("certificate-answer-mismatch", CertificateAnswerMismatch),
        (
            "post-logout-redirect-uri-not-registered",
            PostLogoutRedirectUriNotRegistered,
        ),
        ("logout-client-mismatch", LogoutClientMismatch),
        ("throttled", Throttled { retry_after: 60 }),
        ("send-cap-reached", SendCapReached { retry_after: 60 }),
        ("client-throttled", ClientThrottled { retry_after: 60 }),
        (
            "password-rejected",
            PasswordRejected(self::PasswordRejected::Common),
        ),
        ("one-time-code-invalid", OneTimeCodeInvalid),
        ("one-time-code-expired", OneTimeCodeExpired),
        ("challenge-expired", ChallengeExpired),
        ("contact-invalid", ContactInvalid),
        ("terms-not-accepted", TermsNotAccepted),
        ("name-missing", NameMissing),
        ("already-registered", AlreadyRegistered),
        ("registration-closed", RegistrationClosed),
        ("factor-unavailable", FactorUnavailable),
        ("reauthentication-required", ReauthenticationRequired),
    ]
}

#[cfg(test)]
mod catalogue_tests {
    use super::*;

    /// Every variant of [`Error`] appears (certificate refusals once per reason): the count of `#[error(` attributes of the
    /// enum in this file must match, so a new variant fails here until it is listed.
    #[test]
    fn the_catalogue_lists_every_variant_once() {
        let source = include_str!("error.rs");
        let start = source.find("pub enum Error {").unwrap_or(0);
        let end = start + source[start..].find("\n}\n").unwrap_or(0);
        let variants = source[start..end].matches("#[error(").count();
        let catalogue = catalogue();
        let kinds: std::collections::HashSet<_> = catalogue
            .iter()
            .map(|(_, e)| std::mem::discriminant(e))
            .collect();
        assert_eq!(kinds.len(), variants, "every variant listed");
        let names: std::collections::HashSet<&str> = catalogue.iter().map(|(n, _)| *n).collect();
        assert_eq!(names.len(), catalogue.len(), "names are unique");
    }
}
