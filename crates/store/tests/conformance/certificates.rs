//! `CertificateRepo`: bindings by thumbprint (one account each), listed per account and
//! removed with their challenges; a challenge is used once, even by racing requests.

use super::fixtures::*;
use propusk_core::model::{
    CertificateBinding, CertificateChallenge, ChallengeMethod, ChallengeUse,
};
use propusk_core::store::{AccountRepo, CertificateRepo, StoreError};
use propusk_store::SqlStore;

fn binding(thumbprint: &str, account_id: &str, at: i64) -> CertificateBinding {
    CertificateBinding {
        thumbprint: thumbprint.into(),
        account_id: account_id.into(),
        der: vec![0x30, 0x03, 0x02, 0x01, 0x01],
        subject: "CN=Ivanov".into(),
        issuer: "CN=Test CA".into(),
        identity: propusk_certs::Identity {
            common_name: Some("Ivanov".into()),
            inn: Some("500100732259".into()),
            snils: Some("11223344595".into()),
            ..Default::default()
        },
        not_after: NOW + 86_400,
        created_at: at,
    }
}

fn challenge(hash: &str, thumbprint: &str) -> CertificateChallenge {
    CertificateChallenge {
        value_hash: hash.into(),
        method: ChallengeMethod::Encrypted,
        thumbprint: thumbprint.into(),
        client_id: "app".into(),
        account_id: "acc-1".into(),
        created_at: NOW,
        expires_at: NOW + 600,
        used_at: None,
    }
}

pub async fn case_certificate_bindings(store: &SqlStore) {
    store
        .create_account(&account("acc-1", "ivanov"))
        .await
        .expect("account");
    store
        .create_account(&account("acc-2", "petrov"))
        .await
        .expect("account");
    let first = binding("AA", "acc-1", NOW);
    store.bind_certificate(&first).await.expect("bind");
    store
        .bind_certificate(&binding("BB", "acc-1", NOW + 1))
        .await
        .expect("bind");
    assert!(matches!(
        store.bind_certificate(&binding("AA", "acc-2", NOW)).await,
        Err(StoreError::Conflict("thumbprint"))
    ));
    assert_eq!(
        store.find_certificate("AA").await.expect("find"),
        Some(first)
    );
    assert_eq!(store.find_certificate("CC").await.expect("find"), None);
    let listed = store.account_certificates("acc-1").await.expect("list");
    let thumbprints: Vec<&str> = listed.iter().map(|b| b.thumbprint.as_str()).collect();
    assert_eq!(thumbprints, ["AA", "BB"]);
    assert!(
        store
            .account_certificates("acc-2")
            .await
            .expect("list")
            .is_empty()
    );

    store
        .insert_certificate_challenge(&challenge("h1", "AA"))
        .await
        .expect("challenge");
    assert!(
        !store
            .unbind_certificate("acc-2", "AA")
            .await
            .expect("not hers")
    );
    assert!(
        store
            .unbind_certificate("acc-1", "AA")
            .await
            .expect("unbind")
    );
    assert!(
        !store
            .unbind_certificate("acc-1", "AA")
            .await
            .expect("again")
    );
    assert_eq!(store.find_certificate("AA").await.expect("find"), None);
    assert_eq!(
        store
            .use_certificate_challenge("h1", NOW)
            .await
            .expect("use"),
        ChallengeUse::NotFound
    );
}

pub async fn case_certificate_challenge_used_once(store: &SqlStore) {
    store
        .insert_certificate_challenge(&challenge("h1", "AA"))
        .await
        .expect("challenge");
    store
        .insert_certificate_challenge(&challenge("h2", "AA"))
        .await
        .expect("challenge");
    let tries: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.use_certificate_challenge("h1", NOW + 5).await })
        })
        .collect();
    let mut outcomes = Vec::new();
    for attempt in tries {
        outcomes.push(attempt.await.expect("task").expect("use"));
    }
    let fresh = outcomes
        .iter()
        .filter(|o| matches!(o, ChallengeUse::Fresh(_)))
        .count();
    assert_eq!(fresh, 1);
    assert!(outcomes.iter().all(|o| match o {
        ChallengeUse::Fresh(c) | ChallengeUse::AlreadyUsed(c) => c.used_at == Some(NOW + 5),
        ChallengeUse::NotFound => false,
    }));
    assert_eq!(
        store
            .use_certificate_challenge("nope", NOW)
            .await
            .expect("use"),
        ChallengeUse::NotFound
    );
    assert_eq!(
        store
            .purge_certificate_challenges(NOW + 601)
            .await
            .expect("purge"),
        2
    );
}

pub async fn case_erasing_an_account_drops_its_certificates(store: &SqlStore) {
    store
        .create_account(&account("acc-1", "ivanov"))
        .await
        .expect("account");
    store
        .bind_certificate(&binding("AA", "acc-1", NOW))
        .await
        .expect("bind");
    store
        .insert_certificate_challenge(&challenge("h1", "AA"))
        .await
        .expect("challenge");
    assert!(
        store
            .erase_account("acc-1", &[], NOW + 1)
            .await
            .expect("erase")
    );
    assert_eq!(store.find_certificate("AA").await.expect("find"), None);
    assert_eq!(
        store
            .use_certificate_challenge("h1", NOW + 2)
            .await
            .expect("use"),
        ChallengeUse::NotFound
    );
}
