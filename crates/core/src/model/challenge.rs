//! A step of a sign-in, registration, reset or enrolment that spans several pages: the
//! stored record behind `/account/challenge/{id}` URLs. The id in the URL is random; only
//! its keyed hash is stored. A one-time code, when the step has one, is 6 digits, lives 5
//! minutes, allows a few wrong guesses and is stored as a keyed hash (NIST SP 800-63B
//! §5.1.3).

use crate::clock::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChallengePurpose {
    /// Phone + SMS code sign-in, no password.
    SignInCode,
    /// The first factor is done; a second one is due.
    SecondFactor,
    /// A new account waits for its contact to be verified.
    Register,
    /// A password reset: code first, then a second factor if enabled, then the password.
    Reset,
    /// A TOTP secret shown to a signed-in user, waiting for its first code.
    EnrolTotp,
    /// A signed-in user's new e-mail or phone, used only once its code is entered.
    ChangeContact,
    /// A value to sign with an e-signature on the signed-challenge page (the value in
    /// `data.value`, base64).
    SignInSignature,
    /// A sign-in by TLS client certificate, handed from the certificate listener to the
    /// provider's origin (`data.browser`: keyed hash of the browser's token).
    CertificateHandoff,
    /// A WebAuthn registration of a signed-in user: the id is the ceremony's challenge.
    PasskeyEnrol,
    /// A WebAuthn authentication (passkey sign-in or second factor): the id is the
    /// ceremony's challenge.
    PasskeyAssert,
    /// A certificate waiting for its owner's proof of possession before it is bound
    /// (the certificate, the keyed hash of the encrypted value and the value to sign in
    /// `data`).
    BindCertificate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    pub fn of(destination: &str) -> Self {
        if destination.contains('@') {
            Self::Email
        } else {
            Self::Sms
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Email => "email",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Challenge {
    /// Keyed hash of the id in the URL.
    pub id_hash: String,
    pub purpose: ChallengePurpose,
    /// The authorization request to continue afterwards, if any.
    pub interaction_id: Option<String>,
    /// The account, once known (never revealed to the browser before the code is right).
    pub account_id: Option<String>,
    /// Where the code went (E.164 phone or e-mail), as typed after normalisation.
    pub destination: Option<String>,
    /// Keyed hash of the current one-time code.
    pub code_hash: Option<String>,
    pub code_expires_at: Option<Timestamp>,
    /// Wrong guesses of the current code (counted atomically by the store).
    pub attempts: i64,
    /// Methods done so far (`pwd`, `sms`, `otp`…), RFC 8176 values.
    pub amr: Vec<String>,
    /// Step data: a registration draft, a sealed TOTP secret, the verified state of a reset.
    pub data: serde_json::Value,
    pub locale: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}
