//! Passkeys: WebAuthn credentials registered to an account, found by their credential id.
//! The user handle is random per account (never the account id), the same for all of the
//! account's passkeys, so the browser's account chooser shows one entry per account.

use crate::clock::Timestamp;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passkey {
    /// The credential id, base64url without padding.
    pub id: String,
    pub account_id: String,
    /// The WebAuthn user handle, base64url without padding.
    pub user_handle: String,
    /// The COSE public key as the authenticator encoded it.
    pub public_key: Vec<u8>,
    /// The COSE algorithm (-7, -8 or -257).
    pub algorithm: i64,
    /// The last signature counter seen (0 for authenticators that keep none).
    pub sign_count: i64,
    /// The owner's name for it.
    pub name: String,
    /// `AuthenticatorTransport` values the browser reported (`internal`, `usb`, `hybrid`…).
    pub transports: Vec<String>,
    /// The credential may be synced (BE flag).
    pub backup_eligible: bool,
    /// The credential is synced now (BS flag).
    pub backed_up: bool,
    /// The attestation statement format, kept but not verified.
    pub attestation_format: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

/// A successful use: the new counter and backup state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasskeyUse {
    pub sign_count: i64,
    pub backed_up: bool,
    pub at: Timestamp,
}
