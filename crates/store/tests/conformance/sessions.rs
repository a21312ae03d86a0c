//! `SessionRepo`: lookup by id and secret hash, activity, ending, participating clients.

use super::fixtures::*;
use propusk_core::model::SessionDevice;
use propusk_core::store::{EarlierDevices, SessionRepo, StoreError};
use propusk_store::SqlStore;

pub async fn case_session_lookup(store: &SqlStore) {
    let mut full = session("s1", "acc");
    full.acr = Some("urn:propusk:mfa".into());
    full.amr = vec!["pwd".into(), "otp".into()];
    store.create_session(&full).await.expect("create");
    let mut later = session("s2", "acc");
    later.created_at = NOW + 10;
    store.create_session(&later).await.expect("create");
    store
        .create_session(&session("s3", "other"))
        .await
        .expect("create");

    assert_eq!(
        store.get_session("s1").await.expect("get"),
        Some(full.clone())
    );
    assert_eq!(store.get_session("nope").await.expect("get"), None);
    assert_eq!(
        store
            .find_session_by_secret("session-hash-s1")
            .await
            .expect("find"),
        Some(full.clone())
    );
    assert_eq!(
        store.find_session_by_secret("s1").await.expect("find"),
        None
    );
    assert_eq!(
        store.list_sessions("acc").await.expect("list"),
        vec![full, later]
    );
    assert!(
        store
            .list_sessions("nobody")
            .await
            .expect("list")
            .is_empty()
    );
    let mut clash = session("s4", "acc");
    clash.secret_hash = "session-hash-s1".into();
    assert!(matches!(
        store.create_session(&clash).await,
        Err(StoreError::Conflict(_))
    ));
}

pub async fn case_session_touch_and_end(store: &SqlStore) {
    store
        .create_session(&session("s1", "acc"))
        .await
        .expect("create");
    store.touch_session("s1", NOW + 100).await.expect("touch");
    let got = store.get_session("s1").await.expect("get").expect("exists");
    assert_eq!(got.last_active_at, NOW + 100);
    assert!(got.is_live(NOW + 100));

    store.end_session("s1", NOW + 200).await.expect("end");
    store.end_session("s1", NOW + 300).await.expect("end again");
    store
        .touch_session("s1", NOW + 400)
        .await
        .expect("touch ended");
    let ended = store
        .get_session("s1")
        .await
        .expect("get")
        .expect("still stored");
    assert_eq!(
        (ended.ended_at, ended.last_active_at),
        (Some(NOW + 200), NOW + 100)
    );
    assert!(!ended.is_live(NOW + 201));

    store
        .touch_session("nope", NOW)
        .await
        .expect("touch unknown");
    store.end_session("nope", NOW).await.expect("end unknown");
    assert_eq!(store.get_session("nope").await.expect("get"), None);
}

pub async fn case_session_clients(store: &SqlStore) {
    store
        .create_session(&session("s1", "acc"))
        .await
        .expect("create");
    store
        .create_session(&session("s2", "acc"))
        .await
        .expect("create");
    assert!(store.session_clients("s1").await.expect("list").is_empty());
    for client in ["web", "app", "web"] {
        store.add_session_client("s1", client).await.expect("add");
    }
    store.add_session_client("s2", "other").await.expect("add");
    assert_eq!(
        store.session_clients("s1").await.expect("list"),
        ["app", "web"]
    );
    assert_eq!(store.session_clients("s2").await.expect("list"), ["other"]);
    assert!(
        store
            .session_clients("nope")
            .await
            .expect("list")
            .is_empty()
    );
}

pub async fn case_session_reauthentication(store: &SqlStore) {
    store
        .create_session(&session("s1", "acc"))
        .await
        .expect("create");
    assert_eq!(store.reauthenticated_at("s1").await.expect("read"), None);
    assert_eq!(store.reauthenticated_at("nope").await.expect("read"), None);
    assert!(
        store
            .mark_reauthenticated("s1", NOW + 5)
            .await
            .expect("mark")
    );
    assert!(
        store
            .mark_reauthenticated("s1", NOW + 9)
            .await
            .expect("mark")
    );
    assert_eq!(
        store.reauthenticated_at("s1").await.expect("read"),
        Some(NOW + 9)
    );
    assert!(!store.mark_reauthenticated("nope", NOW).await.expect("mark"));
    store.end_session("s1", NOW + 20).await.expect("end");
    assert!(
        !store
            .mark_reauthenticated("s1", NOW + 30)
            .await
            .expect("mark"),
        "an ended session cannot be proved again"
    );
    assert_eq!(
        store.reauthenticated_at("s1").await.expect("read"),
        Some(NOW + 9)
    );
}

pub async fn case_session_device(store: &SqlStore) {
    store
        .create_session(&session("s1", "acc"))
        .await
        .expect("create");
    assert_eq!(
        store.session_device("s1").await.expect("read"),
        SessionDevice::default()
    );
    let device = SessionDevice {
        user_agent: Some("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0".into()),
        ip: Some("2001:db8::1".into()),
    };
    store.set_session_device("s1", &device).await.expect("set");
    assert_eq!(store.session_device("s1").await.expect("read"), device);
    assert_eq!(
        store.session_device("nope").await.expect("read"),
        SessionDevice::default()
    );
    assert_eq!(
        store.get_session("s1").await.expect("get"),
        Some(session("s1", "acc")),
        "the session itself is unchanged"
    );
}

pub async fn case_earlier_devices(store: &SqlStore) {
    const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";
    let found = |except: &'static str, agent: Option<&'static str>| async move {
        store
            .earlier_devices("acc", except, agent)
            .await
            .expect("earlier devices")
    };
    store
        .create_session(&session("s1", "acc"))
        .await
        .expect("create");
    assert_eq!(
        found("s1", Some(FIREFOX)).await,
        EarlierDevices::default(),
        "the only session is the one being asked about"
    );
    let firefox = SessionDevice {
        user_agent: Some(FIREFOX.into()),
        ip: None,
    };
    store.set_session_device("s1", &firefox).await.expect("set");
    store
        .create_session(&session("s2", "acc"))
        .await
        .expect("create");
    store
        .create_session(&session("s3", "other"))
        .await
        .expect("create");
    let before = |same_browser| EarlierDevices {
        signed_in_before: true,
        same_browser,
    };
    assert_eq!(found("s2", Some(FIREFOX)).await, before(true));
    assert_eq!(found("s2", Some("curl/8.0")).await, before(false));
    assert_eq!(
        found("s2", None).await,
        before(false),
        "no User-Agent is never the same browser"
    );
    assert_eq!(
        store
            .earlier_devices("other", "s3", Some(FIREFOX))
            .await
            .expect("other account"),
        EarlierDevices::default(),
        "another account's sessions do not count"
    );
}
