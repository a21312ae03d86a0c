//! Passkeys ([WebAuthn Level 3](https://www.w3.org/TR/webauthn-3/)): enrolment by a
//! signed-in user with a fresh proof of identity, passwordless sign-in with discoverable
//! credentials (the browser's account chooser or its autofill UI), and a passkey as the
//! second factor after a password. Every ceremony's challenge is random, stored as a
//! keyed hash, single use and lives [`CEREMONY_LIFETIME`] seconds; every assertion is
//! throttled and audited like other credential checks.
//!
//! `amr` ([RFC 8176](https://www.rfc-editor.org/rfc/rfc8176) §2): `swk` for a passkey
//! that may be synced between devices (backup eligible: the key is not bound to one
//! piece of hardware), `hwk` for a device-bound one; then `pin` when the authenticator
//! verified the user (UV: PIN or biometrics), else `user` (presence only). A verified
//! passkey is two factors (something held, something known or are), so its sign-in
//! counts as multi-factor and no second factor is asked for.

use super::{Accounts, AuditKind, SignInOutcome};
use crate::crypto::{b64url, constant_time_eq};
use crate::error::{Error, Result};
use crate::model::{Account, Challenge, ChallengePurpose, Passkey, PasskeyUse, Session};
use crate::store::StoreError;
use crate::webauthn::json::{
    self, AssertionCredential, AuthenticatorSelection, CreationOptions, CredentialDescriptor,
    CredentialParameter, RegistrationCredential, RequestOptions, Rp, User,
};
use crate::webauthn::{
    Asserted, AssertionBytes, Refusal, RelyingParty, client_data_challenge, cose, verify_assertion,
    verify_registration,
};

/// How long a ceremony may take, seconds.
pub const CEREMONY_LIFETIME: i64 = 300;
/// The longest credential id accepted, in base64url characters (1023 bytes).
const MAX_ID_TEXT: usize = 1364;
/// The longest name of a passkey, characters.
pub const PASSKEY_NAME_MAX: usize = 64;

impl Accounts {
    /// Our RP id (the issuer's host) and origin.
    pub fn relying_party(&self) -> Result<RelyingParty> {
        let issuer = url::Url::parse(&self.provider.config.issuer)
            .map_err(|_| Error::Internal("the issuer is not a URL".into()))?;
        let id = issuer
            .host_str()
            .ok_or_else(|| Error::Internal("the issuer has no host".into()))?;
        Ok(RelyingParty {
            id: id.to_owned(),
            origin: issuer.origin().ascii_serialization(),
        })
    }

    pub async fn passkeys(&self, account_id: &str) -> Result<Vec<Passkey>> {
        Ok(self.provider.store.account_passkeys(account_id).await?)
    }

    /// A new ceremony challenge, stored by its keyed hash.
    async fn ceremony(
        &self,
        purpose: ChallengePurpose,
        account_id: Option<String>,
        interaction_id: Option<&str>,
        data: serde_json::Value,
    ) -> Result<String> {
        let p = &self.provider;
        let value = p.random(32);
        let now = p.now();
        let challenge = Challenge {
            id_hash: p.hasher.hash(&value),
            purpose,
            interaction_id: interaction_id.map(str::to_owned),
            account_id,
            destination: None,
            code_hash: None,
            code_expires_at: None,
            attempts: 0,
            amr: Vec::new(),
            data,
            locale: String::new(),
            created_at: now,
            expires_at: now + CEREMONY_LIFETIME,
        };
        p.store.create_challenge(&challenge).await?;
        Ok(value)
    }

    /// Finds the ceremony the client data names and uses it up: a challenge answers
    /// once, so a replayed response finds nothing.
    async fn take_ceremony(
        &self,
        client_data_json: &[u8],
        purpose: ChallengePurpose,
    ) -> Result<(String, Challenge)> {
        let value = client_data_challenge(client_data_json).map_err(refused)?;
        let p = &self.provider;
        let id_hash = p.hasher.hash(&value);
        let found = p.store.get_challenge(&id_hash).await?;
        let Some(challenge) = found.filter(|c| c.purpose == purpose && c.expires_at > p.now())
        else {
            return Err(Error::ChallengeExpired);
        };
        if !p.store.delete_challenge(&id_hash).await? {
            return Err(Error::ChallengeExpired);
        }
        Ok((value, challenge))
    }

    /// Options for `navigator.credentials.create()`: a resident key (so it can sign in
    /// without a login), UV preferred, `none` attestation, the account's passkeys
    /// excluded. Needs a fresh proof of identity.
    pub async fn begin_passkey(
        &self,
        account: &Account,
        session: &Session,
    ) -> Result<CreationOptions> {
        self.require_fresh(session).await?;
        let rp = self.relying_party()?;
        let existing = self.passkeys(&account.id).await?;
        let handle = match existing.first() {
            Some(p) => p.user_handle.clone(),
            None => self.provider.random(32),
        };
        let challenge = self
            .ceremony(
                ChallengePurpose::PasskeyEnrol,
                Some(account.id.clone()),
                None,
                serde_json::json!({ "user_handle": handle }),
            )
            .await?;
        let label = account
            .email
            .clone()
            .or_else(|| account.phone.clone())
            .unwrap_or_else(|| account.login.clone());
        Ok(CreationOptions {
            challenge,
            rp: Rp {
                id: rp.id,
                name: self.policy.operator.clone(),
            },
            user: User {
                id: handle,
                display_name: account
                    .profile
                    .name
                    .clone()
                    .unwrap_or_else(|| label.clone()),
                name: label,
            },
            pub_key_cred_params: cose::ALGORITHMS
                .iter()
                .map(|alg| CredentialParameter {
                    kind: "public-key",
                    alg: *alg,
                })
                .collect(),
            timeout: CEREMONY_LIFETIME * 1000,
            exclude_credentials: existing.iter().map(descriptor).collect(),
            authenticator_selection: AuthenticatorSelection {
                resident_key: "required",
                require_resident_key: true,
                user_verification: "preferred",
            },
            attestation: "none",
        })
    }

    /// Checks a registration (§7.1) and stores the passkey under `name`.
    pub async fn finish_passkey(
        &self,
        account: &Account,
        session: &Session,
        credential: &str,
        name: &str,
        ip: &str,
    ) -> Result<Passkey> {
        self.require_fresh(session).await?;
        let credential: RegistrationCredential =
            json::parse(credential).map_err(Error::PasskeyRefused)?;
        if credential.kind != "public-key" {
            return Err(Error::PasskeyRefused(
                "the credential type must be public-key",
            ));
        }
        let client_data =
            json::bytes(&credential.response.client_data_json).map_err(Error::PasskeyRefused)?;
        let object =
            json::bytes(&credential.response.attestation_object).map_err(Error::PasskeyRefused)?;
        let (value, challenge) = self
            .take_ceremony(&client_data, ChallengePurpose::PasskeyEnrol)
            .await?;
        if challenge.account_id.as_deref() != Some(&account.id) {
            return Err(Error::ChallengeExpired);
        }
        let handle = challenge
            .data
            .get("user_handle")
            .and_then(|h| h.as_str())
            .ok_or(Error::ChallengeExpired)?
            .to_owned();
        let rp = self.relying_party()?;
        let registered =
            verify_registration(&rp, &value, false, &client_data, &object).map_err(refused)?;
        let p = &self.provider;
        let count = self.passkeys(&account.id).await?.len();
        let name = clean_name(name).unwrap_or_else(|| format!("Passkey {}", count + 1));
        let passkey = Passkey {
            id: b64url(&registered.credential_id),
            account_id: account.id.clone(),
            user_handle: handle,
            public_key: registered.public_key,
            algorithm: registered.algorithm,
            sign_count: i64::from(registered.sign_count),
            name,
            transports: credential
                .response
                .transports
                .into_iter()
                .filter(|t| t.len() <= 32)
                .take(8)
                .collect(),
            backup_eligible: registered.backup_eligible,
            backed_up: registered.backed_up,
            attestation_format: registered.format.chars().take(32).collect(),
            created_at: p.now(),
            last_used_at: None,
        };
        p.store.add_passkey(&passkey).await.map_err(|e| match e {
            StoreError::Conflict(_) => Error::PasskeyRefused("this passkey is registered already"),
            other => other.into(),
        })?;
        self.audit(
            AuditKind::PasskeyAdded,
            Some(&account.id),
            ip,
            Some(amr_key(&passkey)),
        )
        .await;
        Ok(passkey)
    }

    /// Renames a passkey of the account; false when it has none by that id.
    pub async fn rename_passkey(&self, account: &Account, id: &str, name: &str) -> Result<bool> {
        let name = clean_name(name).ok_or(Error::NameMissing)?;
        Ok(self
            .provider
            .store
            .rename_passkey(&account.id, id, &name)
            .await?)
    }

    /// Removes a passkey of the account (a fresh proof is required); false when it has
    /// none by that id.
    pub async fn remove_passkey(
        &self,
        account: &Account,
        session: &Session,
        id: &str,
        ip: &str,
    ) -> Result<bool> {
        self.require_fresh(session).await?;
        let removed = self.provider.store.remove_passkey(&account.id, id).await?;
        if removed {
            self.audit(AuditKind::PasskeyRemoved, Some(&account.id), ip, None)
                .await;
        }
        Ok(removed)
    }

    /// Options for a passwordless sign-in: no allowed credentials, so the browser offers
    /// every passkey it has for us (also in its autofill UI).
    pub async fn begin_passkey_sign_in(
        &self,
        interaction_id: Option<&str>,
    ) -> Result<RequestOptions> {
        let challenge = self
            .ceremony(
                ChallengePurpose::PasskeyAssert,
                None,
                interaction_id,
                serde_json::Value::Null,
            )
            .await?;
        Ok(RequestOptions {
            challenge,
            rp_id: self.relying_party()?.id,
            timeout: CEREMONY_LIFETIME * 1000,
            allow_credentials: Vec::new(),
            user_verification: "preferred",
        })
    }

    /// Checks a passwordless sign-in (§7.2): the user handle names the account. A
    /// verified user signs in with two factors; presence only is one factor, after which
    /// the account's other second factors are due.
    pub async fn finish_passkey_sign_in(
        &self,
        credential: &str,
        ip: &str,
    ) -> Result<SignInOutcome> {
        let credential: AssertionCredential =
            json::parse(credential).map_err(Error::PasskeyRefused)?;
        let client_data =
            json::bytes(&credential.response.client_data_json).map_err(Error::PasskeyRefused)?;
        let (value, challenge) = self
            .take_ceremony(&client_data, ChallengePurpose::PasskeyAssert)
            .await?;
        if challenge.account_id.is_some() {
            // A second-factor ceremony is not a sign-in.
            return Err(Error::ChallengeExpired);
        }
        let (account, amr) = self.assert_passkey(&credential, &value, None, ip).await?;
        let interaction = challenge.interaction_id.as_deref();
        if amr.iter().any(|m| m == "pin") {
            let done = self.start(&account, amr, interaction, ip).await?;
            return Ok(SignInOutcome::SignedIn(done));
        }
        self.first_factor_done(account, amr, interaction, ip).await
    }

    /// Options for the passkey at the second step `step`: the account's passkeys.
    pub async fn begin_passkey_second_factor(&self, step: &str) -> Result<RequestOptions> {
        let challenge = self.second_step(step).await?;
        let account = self.account_of(&challenge).await?;
        let passkeys = self.passkeys(&account.id).await?;
        if passkeys.is_empty() {
            return Err(Error::FactorUnavailable);
        }
        let value = self
            .ceremony(
                ChallengePurpose::PasskeyAssert,
                Some(account.id.clone()),
                None,
                serde_json::json!({ "step": challenge.id_hash }),
            )
            .await?;
        Ok(RequestOptions {
            challenge: value,
            rp_id: self.relying_party()?.id,
            timeout: CEREMONY_LIFETIME * 1000,
            allow_credentials: passkeys.iter().map(descriptor).collect(),
            user_verification: "discouraged",
        })
    }

    /// Checks the passkey at the second step `step`: for a sign-in this starts the
    /// session; for a reset it lets the user choose the new password (`None`).
    pub async fn finish_passkey_second_factor(
        &self,
        step: &str,
        credential: &str,
        ip: &str,
    ) -> Result<Option<SignInOutcome>> {
        let credential: AssertionCredential =
            json::parse(credential).map_err(Error::PasskeyRefused)?;
        let client_data =
            json::bytes(&credential.response.client_data_json).map_err(Error::PasskeyRefused)?;
        let step_challenge = self.second_step(step).await?;
        let account = self.account_of(&step_challenge).await?;
        let (value, ceremony) = self
            .take_ceremony(&client_data, ChallengePurpose::PasskeyAssert)
            .await?;
        let for_step = ceremony.data.get("step").and_then(|s| s.as_str());
        if ceremony.account_id.as_deref() != Some(&account.id)
            || for_step != Some(step_challenge.id_hash.as_str())
        {
            return Err(Error::ChallengeExpired);
        }
        let (_, amr) = self
            .assert_passkey(&credential, &value, Some(&account), ip)
            .await?;
        let method = amr.first().cloned().unwrap_or_else(|| "hwk".into());
        self.second_factor_passed(step_challenge, &account, &method, ip)
            .await
    }

    /// §7.2 for a stored passkey: finds it by credential id (of `expected` when given),
    /// checks the user handle, verifies the assertion under the throttle, and records
    /// the use. Returns the account and the `amr` values.
    async fn assert_passkey(
        &self,
        credential: &AssertionCredential,
        challenge: &str,
        expected: Option<&Account>,
        ip: &str,
    ) -> Result<(Account, Vec<String>)> {
        if credential.kind != "public-key" {
            return Err(Error::PasskeyRefused(
                "the credential type must be public-key",
            ));
        }
        if credential.id.is_empty() || credential.id.len() > MAX_ID_TEXT {
            return Err(Error::PasskeyRefused("the credential id is not valid"));
        }
        let p = &self.provider;
        let found = p.store.find_passkey(&credential.id).await?;
        let found = found.filter(|k| expected.is_none_or(|a| a.id == k.account_id));
        let key = found
            .as_ref()
            .map_or(credential.id.as_str(), |k| k.account_id.as_str())
            .to_owned();
        let had_failures = self.throttle_check(&key, ip).await?;
        let checked = match &found {
            Some(passkey) => self.check_assertion(passkey, credential, challenge).await,
            None => Err(Error::PasskeyRefused("the passkey is not registered")),
        };
        let account = match (checked, &found) {
            (Ok(asserted), Some(passkey)) => self
                .account_by_id(&passkey.account_id)
                .await
                .map(|account| (account, asserted, passkey)),
            (Err(error), _) => Err(error),
            (Ok(_), None) => Err(Error::PasskeyRefused("the passkey is not registered")),
        };
        let (account, asserted, passkey) = match account {
            Ok(found) => found,
            Err(error) => {
                let account_id = found.as_ref().map(|k| k.account_id.as_str());
                self.failed(&key, account_id, ip, "hwk").await?;
                return Err(error);
            }
        };
        if had_failures {
            self.throttle_pass(&key).await?;
        }
        p.store
            .use_passkey(
                &passkey.id,
                PasskeyUse {
                    sign_count: i64::from(asserted.sign_count),
                    backed_up: asserted.backed_up,
                    at: p.now(),
                },
            )
            .await?;
        let held = if passkey.backup_eligible || asserted.backup_eligible {
            "swk"
        } else {
            "hwk"
        };
        let verified = if asserted.user_verified {
            "pin"
        } else {
            "user"
        };
        Ok((account, vec![held.to_owned(), verified.to_owned()]))
    }

    async fn check_assertion(
        &self,
        passkey: &Passkey,
        credential: &AssertionCredential,
        challenge: &str,
    ) -> Result<Asserted> {
        let r = &credential.response;
        if let Some(handle) = r.user_handle.as_deref().filter(|h| !h.is_empty()) {
            let sent = json::bytes(handle).map_err(Error::PasskeyRefused)?;
            let stored = json::bytes(&passkey.user_handle).map_err(Error::PasskeyRefused)?;
            if !constant_time_eq(&sent, &stored) {
                return Err(Error::PasskeyRefused(
                    "the user handle is not the passkey's",
                ));
            }
        }
        let client_data_json = json::bytes(&r.client_data_json).map_err(Error::PasskeyRefused)?;
        let authenticator_data =
            json::bytes(&r.authenticator_data).map_err(Error::PasskeyRefused)?;
        let signature = json::bytes(&r.signature).map_err(Error::PasskeyRefused)?;
        let stored_count = u32::try_from(passkey.sign_count).unwrap_or(u32::MAX);
        let bytes = AssertionBytes {
            client_data_json: &client_data_json,
            authenticator_data: &authenticator_data,
            signature: &signature,
        };
        let rp = self.relying_party()?;
        verify_assertion(
            &rp,
            challenge,
            false,
            &passkey.public_key,
            stored_count,
            &bytes,
        )
        .map_err(refused)
    }

    async fn account_by_id(&self, id: &str) -> Result<Account> {
        self.provider
            .store
            .get_account(id)
            .await?
            .filter(|a| !a.disabled)
            .ok_or(Error::PasskeyRefused("the passkey is not registered"))
    }
}

fn refused(refusal: Refusal) -> Error {
    Error::PasskeyRefused(refusal.reason())
}

fn descriptor(passkey: &Passkey) -> CredentialDescriptor {
    CredentialDescriptor {
        kind: "public-key",
        id: passkey.id.clone(),
        transports: passkey.transports.clone(),
    }
}

/// The `amr` value of how the key is held, for the audit trail.
fn amr_key(passkey: &Passkey) -> &'static str {
    if passkey.backup_eligible {
        "swk"
    } else {
        "hwk"
    }
}

/// A name trimmed, without control characters, at most [`PASSKEY_NAME_MAX`] characters;
/// None when nothing is left.
fn clean_name(name: &str) -> Option<String> {
    let name: String = name
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(PASSKEY_NAME_MAX)
        .collect();
    (!name.is_empty()).then_some(name)
}
