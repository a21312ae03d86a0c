//! The delivery worker with real adapters against loopback stand-ins: a local SMTP sink
//! and a local HTTP gateway stub receive the codes; with nothing configured the outbox
//! keeps them; a failing gateway is retried later.

use propusk_core::accounts::{AccountPolicy, Accounts, Channel, Sender, deliver_due};
use propusk_core::clock::ManualClock;
use propusk_core::crypto::{MasterKey, PasswordHasher, SystemRng, random_token};
use propusk_core::model::{Account, Profile};
use propusk_core::provider::{Provider, ProviderConfig};
use propusk_delivery::{
    Channels, DevOutbox, HttpSms, HttpSmsConfig, Smtp, SmtpConfig, SmtpSecurity,
};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const PHONE: &str = "+79001234567";
const EMAIL: &str = "alice@example.com";

async fn accounts() -> (Accounts, Arc<ManualClock>) {
    let rng = Arc::new(SystemRng);
    let path = std::env::temp_dir().join(format!(
        "propusk-delivery-{}.db",
        random_token(rng.as_ref(), 9)
    ));
    let store = propusk_store::connect(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    let clock = Arc::new(ManualClock::new(1_700_000_000));
    let mut provider = Provider::new(
        ProviderConfig::new("http://127.0.0.1:1"),
        Arc::new(store),
        MasterKey::generate(rng.as_ref()),
        clock.clone(),
        rng,
    );
    provider.passwords = PasswordHasher::with_params(64, 1, 1).expect("params");
    let accounts = Accounts::new(Arc::new(provider), AccountPolicy::default());
    let account = Account {
        id: "alice".into(),
        login: "alice".into(),
        email: Some(EMAIL.into()),
        phone: Some(PHONE.into()),
        password_hash: None,
        profile: Profile {
            email_verified: true,
            phone_number_verified: true,
            ..Profile::default()
        },
        disabled: false,
        created_at: 0,
        updated_at: 0,
    };
    accounts
        .provider
        .store
        .create_account(&account)
        .await
        .expect("account");
    (accounts, clock)
}

/// A one-connection-at-a-time SMTP server that records each message's DATA.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let sink = got.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (read, mut write) = stream.into_split();
            let mut lines = BufReader::new(read).lines();
            let _ = write.write_all(b"220 sink ESMTP\r\n").await;
            let mut data: Option<String> = None;
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(body) = data.as_mut() {
                    if line == "." {
                        sink.lock()
                            .expect("lock")
                            .push(data.take().unwrap_or_default());
                        let _ = write.write_all(b"250 queued\r\n").await;
                    } else {
                        body.push_str(&line);
                        body.push('\n');
                    }
                    continue;
                }
                let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                let reply: &[u8] = match verb.as_str() {
                    "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                    "DATA" => {
                        data = Some(String::new());
                        b"354 go ahead\r\n"
                    }
                    "QUIT" => {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    }
                    _ => b"250 ok\r\n",
                };
                let _ = write.write_all(reply).await;
            }
        }
    });
    (port, got)
}

/// An HTTP gateway stub: answers `statuses` in turn (then 200) and records the bodies.
async fn gateway_stub(statuses: Vec<u16>) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    tokio::spawn(async move {
        let mut statuses = statuses.into_iter();
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 4096];
            while let Ok(n) = stream.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
                buffer.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buffer).to_string();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if body.len() >= length {
                        seen.lock()
                            .expect("lock")
                            .push(format!("{}\n{body}", head.lines().next().unwrap_or("")));
                        break;
                    }
                }
            }
            let status = statuses.next().unwrap_or(200);
            let reply =
                format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            let _ = stream.write_all(reply.as_bytes()).await;
        }
    });
    (port, got)
}

fn code_in(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .map(str::to_owned)
}

fn sms_gateway(port: u16) -> HttpSms {
    HttpSms::new(HttpSmsConfig {
        url: format!("http://127.0.0.1:{port}/send?to={{to_url}}"),
        method: "POST".into(),
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("authorization".into(), "Bearer k".into()),
        ],
        body: r#"{"phone":{to_json},"text":{text_json}}"#.into(),
    })
    .expect("gateway")
}

#[tokio::test]
async fn configured_adapters_receive_the_codes() {
    let (accounts, _) = accounts().await;
    let (smtp_port, mails) = smtp_sink().await;
    let (sms_port, texts) = gateway_stub(vec![]).await;
    let smtp = Smtp::new(&SmtpConfig {
        host: "127.0.0.1".into(),
        port: smtp_port,
        security: SmtpSecurity::None,
        username: None,
        password: None,
        from: "Propusk <no-reply@propusk.test>".into(),
    })
    .expect("smtp");
    let channels = Channels {
        email: Some(Arc::new(smtp)),
        sms: Some(Arc::new(sms_gateway(sms_port))),
        fallback: DevOutbox { log_bodies: false },
    };
    accounts
        .start_code_sign_in(PHONE, "127.0.0.1", "en", None)
        .await
        .expect("sms");
    accounts
        .start_reset(EMAIL, "127.0.0.1", "en", None)
        .await
        .expect("mail");
    let sent = deliver_due(&accounts.provider, &channels, 10)
        .await
        .expect("deliver");
    assert_eq!(sent, 2);
    let mails = mails.lock().expect("lock").clone();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].contains("To: alice@example.com"), "{}", mails[0]);
    assert!(code_in(&mails[0]).is_some(), "{}", mails[0]);
    let texts = texts.lock().expect("lock").clone();
    assert_eq!(texts.len(), 1);
    assert!(
        texts[0].starts_with("POST /send?to=%2B79001234567 "),
        "{}",
        texts[0]
    );
    assert!(
        texts[0].contains(r#""phone":"+79001234567""#) && code_in(&texts[0]).is_some(),
        "{}",
        texts[0]
    );
    let outbox = accounts
        .provider
        .store
        .recent_messages(10)
        .await
        .expect("outbox");
    assert!(
        outbox
            .iter()
            .all(|m| m.sent_at.is_some() && m.body.is_empty()),
        "codes erased once sent"
    );
}

#[tokio::test]
async fn with_nothing_configured_the_outbox_keeps_them() {
    let (accounts, _) = accounts().await;
    let channels = Channels {
        email: None,
        sms: None,
        fallback: DevOutbox { log_bodies: true },
    };
    assert!(channels.keeps_body(Channel::Sms) && channels.keeps_body(Channel::Email));
    accounts
        .start_code_sign_in(PHONE, "127.0.0.1", "ru", None)
        .await
        .expect("sms");
    assert_eq!(
        deliver_due(&accounts.provider, &channels, 10)
            .await
            .expect("deliver"),
        1
    );
    let outbox = accounts
        .provider
        .store
        .recent_messages(10)
        .await
        .expect("outbox");
    assert_eq!(outbox.len(), 1);
    assert!(
        outbox[0].sent_at.is_some() && code_in(&outbox[0].body).is_some(),
        "{:?}",
        outbox[0]
    );
}

#[tokio::test]
async fn a_failing_gateway_is_retried_later() {
    let (accounts, clock) = accounts().await;
    let (sms_port, texts) = gateway_stub(vec![503]).await;
    let channels = Channels {
        email: None,
        sms: Some(Arc::new(sms_gateway(sms_port))),
        fallback: DevOutbox { log_bodies: false },
    };
    accounts
        .start_code_sign_in(PHONE, "127.0.0.1", "ru", None)
        .await
        .expect("sms");
    assert_eq!(
        deliver_due(&accounts.provider, &channels, 10)
            .await
            .expect("first"),
        0
    );
    assert_eq!(
        deliver_due(&accounts.provider, &channels, 10)
            .await
            .expect("too soon"),
        0
    );
    clock.advance(11);
    assert_eq!(
        deliver_due(&accounts.provider, &channels, 10)
            .await
            .expect("retry"),
        1
    );
    assert_eq!(texts.lock().expect("lock").len(), 2);
    let outbox = accounts
        .provider
        .store
        .recent_messages(10)
        .await
        .expect("outbox");
    assert_eq!((outbox[0].attempts, outbox[0].sent_at.is_some()), (2, true));
}

#[tokio::test]
async fn a_message_given_up_loses_its_body_while_the_development_channel_keeps_its_own() {
    let (accounts, _) = accounts().await;
    let (sms_port, _) = gateway_stub(vec![400]).await;
    let channels = Channels {
        email: None,
        sms: Some(Arc::new(sms_gateway(sms_port))),
        fallback: DevOutbox { log_bodies: false },
    };
    assert!(!channels.keeps_body(Channel::Sms) && channels.keeps_body(Channel::Email));
    accounts
        .start_code_sign_in(PHONE, "127.0.0.1", "en", None)
        .await
        .expect("sms");
    accounts
        .start_reset(EMAIL, "127.0.0.1", "en", None)
        .await
        .expect("mail");
    let sent = deliver_due(&accounts.provider, &channels, 10)
        .await
        .expect("deliver");
    assert_eq!(sent, 1, "only the e-mail, into the development outbox");
    let outbox = accounts
        .provider
        .store
        .recent_messages(10)
        .await
        .expect("outbox");
    let sms = outbox
        .iter()
        .find(|m| m.channel == Channel::Sms)
        .expect("sms");
    assert!(
        sms.sent_at.is_none() && sms.last_error.is_some() && sms.body.is_empty(),
        "refused for good, code erased: {sms:?}"
    );
    let mail = outbox
        .iter()
        .find(|m| m.channel == Channel::Email)
        .expect("mail");
    assert!(
        mail.sent_at.is_some() && code_in(&mail.body).is_some(),
        "{mail:?}"
    );
}
