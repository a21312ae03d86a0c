//! Accounts: how a person gets in and proves who they are, beyond the protocol itself.
//! Password policy (NIST SP 800-63B §5.1.1.2: length, no composition rules, a list of
//! common and breached passwords), hashes imported from other systems, throttling of
//! every credential check, one-time codes and their delivery, TOTP
//! ([RFC 6238](https://www.rfc-editor.org/rfc/rfc6238)), recovery codes, the sign-in,
//! registration and reset flows, and the audit trail. Everything here is methods on
//! [`crate::provider::Provider`]; the records the storage traits carry live in
//! [`crate::model`] and are re-exported here.

mod accesses;
mod audit;
mod client_throttle;
mod common;
mod delivery;
mod erase;
mod flow;
mod legacy;
mod passkeys;
mod password_change;
mod password_policy;
mod profile;
mod reauth;
mod recovery;
mod register;
mod reset;
mod second_factor;
mod security;
mod sessions;
mod throttle;
mod totp;

pub use crate::error::PasswordRejected;
pub use crate::model::{
    AuditEvent, AuditKind, Challenge, ChallengePurpose, Channel, Counter, Factors, OutboxMessage,
    RecoveryCode,
};
pub use accesses::{Access, RevokedAccess};
pub use audit::HistoryPage;
pub use common::is_common_password;
pub use delivery::{DeliveryError, MAX_ATTEMPTS, Message, MessageKind, Sender, deliver_due};
pub use flow::{Contact, SignInOutcome, SignedIn};
pub use legacy::{LegacyHash, verify_legacy};
pub use passkeys::{CEREMONY_LIFETIME, PASSKEY_NAME_MAX};
pub use password_policy::PasswordPolicy;
pub use profile::{NAME_MAX, ProfileEdit, ProfileField};
pub use reauth::{Proof, ProofMethods};
pub use register::Registration;
pub use reset::ResetStage;
pub use second_factor::SecondFactorMethod;
pub use security::{SecurityOverview, TotpEnrolment};
pub use sessions::{BrowserSession, describe_user_agent};
pub use throttle::{ThrottlePolicy, ThrottleRule};
pub use totp::{Totp, totp_uri};

use crate::crypto::MasterKey;
use crate::provider::Provider;
use propusk_texts::Catalogue;
use std::sync::Arc;

/// The account services over the engine: one per process, shared by the handlers.
pub struct Accounts {
    pub provider: Arc<Provider>,
    pub policy: AccountPolicy,
    /// Seals TOTP secrets and recovery codes waiting to be shown; derived from the
    /// engine's token-hash key (HMAC as a KDF), so it follows the master key.
    factor_key: MasterKey,
}

impl Accounts {
    pub fn new(provider: Arc<Provider>, policy: AccountPolicy) -> Self {
        let derived = provider.hasher.hash("propusk factor seal v1");
        let factor_key = match MasterKey::parse(&derived) {
            Ok(key) => key,
            // 43 base64url characters always decode to 32 bytes.
            Err(_) => unreachable!("a keyed hash is 32 bytes"),
        };
        Self {
            provider,
            policy,
            factor_key,
        }
    }
}

/// The settings of everything in this module, with safe defaults.
#[derive(Clone, Debug)]
pub struct AccountPolicy {
    pub password: PasswordPolicy,
    pub throttle: ThrottlePolicy,
    /// Lifetime of a one-time code, seconds (5 minutes).
    pub code_lifetime: i64,
    /// Wrong guesses a one-time code allows before it is void.
    pub code_attempts: i64,
    /// How long a multi-step sign-in, registration or reset may take, seconds.
    pub flow_lifetime: i64,
    /// The operator's name: in messages and, as the issuer, in TOTP apps.
    pub operator: String,
    /// Registration open to the public.
    pub registration: bool,
    /// How long a sign-in or a re-authentication counts as a fresh proof for sensitive
    /// changes (password, contacts, factors off, recovery codes, sessions, deletion), seconds.
    pub reauth_window: i64,
    /// The texts of e-mails and SMS (the pages' catalogue, with the theme's texts).
    pub texts: Arc<Catalogue>,
}

impl Default for AccountPolicy {
    fn default() -> Self {
        Self {
            password: PasswordPolicy::default(),
            throttle: ThrottlePolicy::default(),
            code_lifetime: 300,
            code_attempts: 5,
            flow_lifetime: 900,
            operator: "Propusk".into(),
            registration: true,
            reauth_window: 300,
            texts: Arc::new(Catalogue::builtin()),
        }
    }
}
