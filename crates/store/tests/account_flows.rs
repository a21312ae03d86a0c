//! The account flows of `propusk_core::accounts` end to end over a real `SqlStore`
//! (SQLite) with a manual clock: throttling and lockout, SMS caps, phone sign-in,
//! registration, TOTP (a code is refused the second time), recovery codes, password
//! reset (ends sessions, revokes grants, never skips the second factor), and imported
//! bcrypt/PBKDF2 hashes upgraded to argon2id.

use propusk_core::accounts::*;
use propusk_core::clock::{Clock, ManualClock};
use propusk_core::crypto::{MasterKey, PasswordHasher, SystemRng};
use propusk_core::error::Error;
use propusk_core::model::{Account, Profile};
use propusk_core::provider::{Provider, ProviderConfig};
use propusk_core::store::Store;
use std::sync::Arc;

const START: i64 = 1_700_000_000;
const IP: &str = "203.0.113.7";
const PHONE: &str = "+79001234567";
const PASSWORD: &str = "correct horse battery";

struct Fixture {
    accounts: Accounts,
    clock: Arc<ManualClock>,
    _dir: tempdir::Dir,
}

mod tempdir {
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

async fn fixture() -> Fixture {
    let rng = Arc::new(SystemRng);
    let dir = std::env::temp_dir().join(format!(
        "propusk-flows-{}",
        propusk_core::crypto::random_token(rng.as_ref(), 9)
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.join("db").display());
    let store = propusk_store::connect(&url).await.expect("connect");
    store.migrate().await.expect("migrate");
    let clock = Arc::new(ManualClock::new(START));
    let mut provider = Provider::new(
        ProviderConfig::new("http://127.0.0.1:1"),
        Arc::new(store),
        MasterKey::generate(rng.as_ref()),
        clock.clone(),
        rng,
    );
    provider.passwords = PasswordHasher::with_params(64, 1, 1).expect("params");
    let accounts = Accounts::new(Arc::new(provider), AccountPolicy::default());
    Fixture {
        accounts,
        clock,
        _dir: tempdir::Dir(dir),
    }
}

impl Fixture {
    fn store(&self) -> &dyn Store {
        self.accounts.provider.store.as_ref()
    }

    async fn add_account(&self, id: &str, password_hash: Option<String>) -> Account {
        let p = &self.accounts.provider;
        let hash = match password_hash {
            Some(h) => h,
            None => p.hash_password(PASSWORD).await.expect("hash"),
        };
        let account = Account {
            id: id.into(),
            login: id.into(),
            email: Some(format!("{id}@example.com")),
            phone: Some(PHONE.into()),
            password_hash: Some(hash),
            profile: Profile {
                phone_number_verified: true,
                email_verified: true,
                ..Profile::default()
            },
            disabled: false,
            created_at: START,
            updated_at: START,
        };
        self.store()
            .create_account(&account)
            .await
            .expect("account");
        account
    }

    /// The code in the newest outbox message to `to`.
    async fn last_code(&self, to: &str) -> String {
        let messages = self.store().recent_messages(50).await.expect("outbox");
        let body = &messages
            .iter()
            .find(|m| m.to == to)
            .expect("a message")
            .body;
        body.split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .expect("a 6-digit code")
            .to_owned()
    }

    async fn audit_kinds(&self, account: &str) -> Vec<AuditKind> {
        let events = self
            .store()
            .list_audit(Some(account), 100)
            .await
            .expect("audit");
        events.into_iter().map(|e| e.kind).collect()
    }
}

fn signed_in(outcome: SignInOutcome) -> SignedIn {
    match outcome {
        SignInOutcome::SignedIn(s) => s,
        other => panic!("expected a session, got {other:?}"),
    }
}

fn second_factor(outcome: SignInOutcome) -> (String, Vec<SecondFactorMethod>) {
    match outcome {
        SignInOutcome::SecondFactor { challenge, methods } => (challenge, methods),
        other => panic!("expected a second factor, got {other:?}"),
    }
}

#[tokio::test]
async fn bad_passwords_slow_down_then_lock_known_and_unknown_alike() {
    let f = fixture().await;
    f.add_account("alice", None).await;
    for login in ["alice", "nobody"] {
        let mut outcomes = Vec::new();
        for _ in 0..12 {
            let result = f
                .accounts
                .sign_in_password(login, "wrong password", IP, None)
                .await;
            outcomes.push(match result {
                Err(Error::InvalidCredentials) => "bad".to_owned(),
                Err(Error::Throttled { retry_after }) => {
                    f.clock.advance(retry_after);
                    format!("wait {retry_after}")
                }
                other => panic!("{other:?}"),
            });
        }
        assert_eq!(
            outcomes[..10],
            [
                "bad", "bad", "bad", "wait 1", "bad", "wait 2", "bad", "wait 4", "bad", "wait 8"
            ],
            "{login}"
        );
        // Ten failures lock for 15 minutes, even with the right password.
        for _ in 0..7 {
            let _ = f
                .accounts
                .sign_in_password(login, "wrong password", IP, None)
                .await;
            f.clock.advance(60);
        }
        let locked = f.accounts.sign_in_password(login, PASSWORD, IP, None).await;
        assert!(
            matches!(locked, Err(Error::Throttled { retry_after }) if retry_after > 60),
            "{locked:?}"
        );
        f.clock.advance(3 * 3600);
    }
    assert!(f.audit_kinds("alice").await.contains(&AuditKind::Lockout));
    // After the lock and the window, the right password works and clears the counter.
    signed_in(
        f.accounts
            .sign_in_password("alice", PASSWORD, "198.51.100.1", None)
            .await
            .expect("sign in"),
    );
}

#[tokio::test]
async fn sms_sends_are_capped_per_phone() {
    let f = fixture().await;
    f.add_account("alice", None).await;
    for i in 0..5 {
        f.accounts
            .start_code_sign_in("8 900 123-45-67", &format!("10.0.0.{i}"), "ru", None)
            .await
            .expect("sent");
    }
    let capped = f
        .accounts
        .start_code_sign_in(PHONE, "10.0.0.9", "ru", None)
        .await;
    assert!(
        matches!(capped, Err(Error::SendCapReached { .. })),
        "{capped:?}"
    );
    assert_eq!(
        f.store().recent_messages(50).await.expect("outbox").len(),
        5
    );
    f.clock.advance(3601);
    f.accounts
        .start_code_sign_in(PHONE, IP, "ru", None)
        .await
        .expect("an hour later");
}

#[tokio::test]
async fn phone_and_code_sign_in_and_attempt_limits() {
    let f = fixture().await;
    f.add_account("alice", None).await;
    let id = f
        .accounts
        .start_code_sign_in(PHONE, IP, "en", None)
        .await
        .expect("sent");
    let code = f.last_code(PHONE).await;
    let wrong = f.accounts.finish_code_sign_in(&id, "000000", IP).await;
    assert!(matches!(wrong, Err(Error::OneTimeCodeInvalid)) || code == "000000");
    let session = signed_in(
        f.accounts
            .finish_code_sign_in(&id, &code, IP)
            .await
            .expect("ok"),
    );
    assert_eq!(session.session.amr, vec!["sms"]);
    assert!(
        f.accounts
            .finish_code_sign_in(&id, &code, IP)
            .await
            .is_err(),
        "used once"
    );

    // An unknown phone: the same answer, no message, and no code works.
    let unknown = f
        .accounts
        .start_code_sign_in("+79990000000", IP, "en", None)
        .await
        .expect("same");
    assert!(
        f.store()
            .recent_messages(50)
            .await
            .expect("outbox")
            .iter()
            .all(|m| m.to != "+79990000000")
    );
    assert!(matches!(
        f.accounts.finish_code_sign_in(&unknown, "123456", IP).await,
        Err(Error::OneTimeCodeInvalid)
    ));

    // Five guesses, then the code is void; and it expires after 5 minutes.
    let id = f
        .accounts
        .start_code_sign_in(PHONE, IP, "en", None)
        .await
        .expect("sent");
    let code = f.last_code(PHONE).await;
    for _ in 0..5 {
        let _ = f
            .accounts
            .finish_code_sign_in(&id, "99999x", "10.1.1.1")
            .await;
        f.clock.advance(40);
    }
    assert!(
        f.accounts
            .finish_code_sign_in(&id, &code, IP)
            .await
            .is_err()
    );
    let id = f
        .accounts
        .start_code_sign_in(PHONE, IP, "en", None)
        .await
        .expect("sent");
    let code = f.last_code(PHONE).await;
    f.clock.advance(301);
    assert!(matches!(
        f.accounts.finish_code_sign_in(&id, &code, IP).await,
        Err(Error::OneTimeCodeExpired)
    ));
}

fn base32_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        let v = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".find(c).expect("base32") as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

async fn enrol_totp(f: &Fixture, account: &Account) -> (Totp, Vec<String>) {
    let enrolment = f.accounts.begin_totp(account).await.expect("begin");
    assert!(enrolment.uri.starts_with("otpauth://totp/"));
    let totp = Totp::new(base32_decode(&enrolment.manual_key));
    let code = totp.code_at(f.clock.now());
    let shown = f
        .accounts
        .confirm_totp(&enrolment.challenge, account, &code, IP)
        .await
        .expect("confirm");
    let codes = f
        .accounts
        .take_recovery_codes(&shown, account)
        .await
        .expect("codes");
    assert!(
        f.accounts
            .take_recovery_codes(&shown, account)
            .await
            .is_err(),
        "shown once"
    );
    f.clock.advance(30);
    (totp, codes)
}

#[tokio::test]
async fn attack_totp_code_replay() {
    let f = fixture().await;
    let alice = f.add_account("alice", None).await;
    let (totp, recovery) = enrol_totp(&f, &alice).await;
    assert_eq!(recovery.len(), 10);
    assert!(
        f.audit_kinds("alice")
            .await
            .contains(&AuditKind::FactorEnabled)
    );

    let (challenge, methods) = second_factor(
        f.accounts
            .sign_in_password("alice", PASSWORD, IP, None)
            .await
            .expect("pwd"),
    );
    assert_eq!(
        methods,
        vec![SecondFactorMethod::Totp, SecondFactorMethod::Recovery]
    );
    let code = totp.code_at(f.clock.now());
    let done = f
        .accounts
        .finish_second_factor(&challenge, SecondFactorMethod::Totp, &code, IP)
        .await
        .expect("totp")
        .map(signed_in)
        .expect("signed in");
    assert_eq!(done.session.amr, vec!["pwd", "otp", "mfa"]);
    assert_eq!(
        done.session.acr.as_deref(),
        Some(propusk_core::authorize::ACR_MFA)
    );

    // The same code in a new sign-in is refused: its step was used.
    let (again, _) = second_factor(
        f.accounts
            .sign_in_password("alice", PASSWORD, IP, None)
            .await
            .expect("pwd"),
    );
    let replay = f
        .accounts
        .finish_second_factor(&again, SecondFactorMethod::Totp, &code, IP)
        .await;
    assert!(
        matches!(replay, Err(Error::OneTimeCodeInvalid)),
        "{replay:?}"
    );

    // A recovery code works once.
    let with_recovery = f
        .accounts
        .finish_second_factor(
            &again,
            SecondFactorMethod::Recovery,
            &recovery[0].to_lowercase(),
            IP,
        )
        .await
        .expect("recovery");
    assert!(with_recovery.is_some());
    let (third, _) = second_factor(
        f.accounts
            .sign_in_password("alice", PASSWORD, IP, None)
            .await
            .expect("pwd"),
    );
    assert!(
        f.accounts
            .finish_second_factor(&third, SecondFactorMethod::Recovery, &recovery[0], IP)
            .await
            .is_err()
    );
    assert!(
        f.audit_kinds("alice")
            .await
            .contains(&AuditKind::RecoveryCodeUsed)
    );
}

#[tokio::test]
async fn sms_second_factor() {
    let f = fixture().await;
    let alice = f.add_account("alice", None).await;
    let shown = f.accounts.enable_sms_factor(&alice, IP).await.expect("on");
    assert!(shown.is_some(), "first factor brings recovery codes");
    let (challenge, methods) = second_factor(
        f.accounts
            .sign_in_password("alice", PASSWORD, IP, None)
            .await
            .expect("pwd"),
    );
    assert!(methods.contains(&SecondFactorMethod::Sms));
    f.accounts
        .send_second_factor_sms(&challenge, IP, "en")
        .await
        .expect("sms");
    let code = f.last_code(PHONE).await;
    let done = f
        .accounts
        .finish_second_factor(&challenge, SecondFactorMethod::Sms, &code, IP)
        .await
        .expect("sms")
        .map(signed_in)
        .expect("signed in");
    assert_eq!(done.session.amr, vec!["pwd", "sms", "mfa"]);
}

#[tokio::test]
async fn registration_by_phone_with_policy() {
    let f = fixture().await;
    let mut form = Registration {
        contact: "8 (901) 000-11-22".into(),
        password: "password123".into(),
        name: "Ivan".into(),
        terms: true,
        locale: "ru".into(),
    };
    let refused = f.accounts.start_registration(&form, IP, None).await;
    assert!(
        matches!(
            refused,
            Err(Error::PasswordRejected(PasswordRejected::Common))
        ),
        "{refused:?}"
    );
    form.password = "a long and unusual passphrase".into();
    form.terms = false;
    assert!(matches!(
        f.accounts.start_registration(&form, IP, None).await,
        Err(Error::TermsNotAccepted)
    ));
    form.terms = true;
    let id = f
        .accounts
        .start_registration(&form, IP, None)
        .await
        .expect("started");
    let code = f.last_code("+79010001122").await;
    let done = f
        .accounts
        .finish_registration(&id, &code, IP)
        .await
        .expect("registered");
    let account = f
        .store()
        .get_account(&done.session.account_id)
        .await
        .expect("get")
        .expect("account");
    assert_eq!(account.phone.as_deref(), Some("+79010001122"));
    assert!(account.profile.phone_number_verified);
    assert_eq!(account.profile.name.as_deref(), Some("Ivan"));
    signed_in(
        f.accounts
            .sign_in_password("+79010001122", "a long and unusual passphrase", IP, None)
            .await
            .expect("sign in"),
    );
    // The same phone again: same pages, and only the right code says it is taken.
    let id = f
        .accounts
        .start_registration(&form, IP, None)
        .await
        .expect("same answer");
    let code = f.last_code("+79010001122").await;
    assert!(matches!(
        f.accounts.finish_registration(&id, &code, IP).await,
        Err(Error::AlreadyRegistered)
    ));
}

#[tokio::test]
async fn attack_password_reset_skipping_the_second_factor() {
    let f = fixture().await;
    let alice = f.add_account("alice", None).await;
    let (totp, _) = enrol_totp(&f, &alice).await;
    let old = f
        .accounts
        .provider
        .start_session(&alice, vec!["pwd".into()], None)
        .await
        .expect("session");

    let id = f
        .accounts
        .start_reset(PHONE, IP, "en", None)
        .await
        .expect("reset");
    let code = f.last_code(PHONE).await;
    let stage = f
        .accounts
        .verify_reset_code(&id, &code, IP)
        .await
        .expect("code");
    assert!(
        matches!(stage, ResetStage::SecondFactor(ref m) if !m.contains(&SecondFactorMethod::Sms)),
        "{stage:?}"
    );
    assert!(
        f.accounts
            .finish_reset(&id, "a brand new passphrase", IP)
            .await
            .is_err(),
        "factor first"
    );
    let factor = f
        .accounts
        .finish_second_factor(
            &id,
            SecondFactorMethod::Totp,
            &totp.code_at(f.clock.now()),
            IP,
        )
        .await
        .expect("factor");
    assert!(factor.is_none());
    f.accounts
        .finish_reset(&id, "a brand new passphrase", IP)
        .await
        .expect("reset");
    let ended = f
        .store()
        .get_session(&old.0.id)
        .await
        .expect("get")
        .expect("session");
    assert!(ended.ended_at.is_some());
    assert!(
        f.accounts
            .provider
            .session_from_secret(&old.1)
            .await
            .expect("lookup")
            .is_none()
    );
    assert!(
        f.audit_kinds("alice")
            .await
            .contains(&AuditKind::PasswordReset)
    );
    assert!(
        f.accounts
            .sign_in_password("alice", PASSWORD, IP, None)
            .await
            .is_err()
    );
    second_factor(
        f.accounts
            .sign_in_password("alice", "a brand new passphrase", IP, None)
            .await
            .expect("new password"),
    );
}

#[tokio::test]
async fn imported_hashes_sign_in_and_are_upgraded() {
    let f = fixture().await;
    let bcrypt_hash = bcrypt::hash("imported pass phrase", 4).expect("bcrypt");
    let pbkdf2_hash = "pbkdf2_sha256$1000$seasalt$90Xo6knr/f+giKqV9BA7jL1voXwfvYzKk7/pv7yUwKU=";
    for (id, hash) in [("bob", bcrypt_hash), ("carol", pbkdf2_hash.to_owned())] {
        assert!(LegacyHash::importable(&hash));
        let mut account = f.add_account(id, Some(hash)).await;
        account.phone = None;
        f.store()
            .update_account(&account)
            .await
            .expect("no phone clash");
        assert!(
            f.accounts
                .sign_in_password(id, "wrong", IP, None)
                .await
                .is_err()
        );
        signed_in(
            f.accounts
                .sign_in_password(id, "imported pass phrase", IP, None)
                .await
                .expect(id),
        );
        let stored = f
            .store()
            .get_account(id)
            .await
            .expect("get")
            .expect("account");
        assert!(
            stored
                .password_hash
                .as_deref()
                .is_some_and(|h| h.starts_with("$argon2id$")),
            "{id}"
        );
        signed_in(
            f.accounts
                .sign_in_password(id, "imported pass phrase", IP, None)
                .await
                .expect(id),
        );
        assert!(
            f.audit_kinds(id)
                .await
                .contains(&AuditKind::PasswordRehashed)
        );
    }
}
