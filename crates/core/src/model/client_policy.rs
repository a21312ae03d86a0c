//! What the operator allows clients to choose: the bounds of the integrator cabinet and
//! the policy of dynamic client registration (RFC 7591). Plain settings, read by the
//! provider's configuration and applied by the cabinet and the registration endpoint.

use super::GrantType;
use super::client_metadata::MetadataLimits;
use propusk_types::scope::Scope;

/// Bounds an integrator may choose token lifetimes within, seconds (`min`, `max`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LifetimeLimits {
    pub access_token: (i64, i64),
    pub id_token: (i64, i64),
    pub refresh_token: (i64, i64),
}

impl LifetimeLimits {
    /// Shortest access or ID token an integrator may choose.
    pub const MIN_TOKEN: i64 = 60;
    /// Shortest refresh token an integrator may choose.
    pub const MIN_REFRESH: i64 = 3600;

    /// The bounds up to the operator's maxima.
    pub fn up_to(max_token: i64, max_refresh: i64) -> Self {
        Self {
            access_token: (Self::MIN_TOKEN, max_token),
            id_token: (Self::MIN_TOKEN, max_token),
            refresh_token: (Self::MIN_REFRESH, max_refresh),
        }
    }
}

impl Default for LifetimeLimits {
    fn default() -> Self {
        Self::up_to(24 * 3600, 90 * 24 * 3600)
    }
}

/// What the operator allows through dynamic registration.
#[derive(Clone, Debug, PartialEq)]
pub struct RegistrationPolicy {
    /// Anyone may register without an initial access token.
    pub open: bool,
    /// The grants and lifetimes a registered client may have.
    pub limits: MetadataLimits,
    /// The scopes a registered client may ask for; also its scope when it names none.
    pub scope: Scope,
}

impl Default for RegistrationPolicy {
    /// Closed; the code, refresh, client-credentials and device grants; the OpenID
    /// Connect scopes.
    fn default() -> Self {
        Self {
            open: false,
            limits: MetadataLimits {
                grant_types: vec![
                    GrantType::AuthorizationCode,
                    GrantType::RefreshToken,
                    GrantType::ClientCredentials,
                    GrantType::DeviceCode,
                ],
                ..MetadataLimits::default()
            },
            scope: Scope::from_tokens([
                "openid",
                "profile",
                "email",
                "phone",
                "address",
                "offline_access",
            ]),
        }
    }
}
