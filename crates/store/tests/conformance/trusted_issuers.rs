//! `TrustedIssuerRepo` (RFC 7523 partners): upsert replaces, lookups, list, delete.

use super::fixtures::*;
use propusk_core::jose::JwkSet;
use propusk_core::model::{SubjectMapping, TrustedIssuer};
use propusk_core::store::TrustedIssuerRepo;
use propusk_store::SqlStore;

fn issuer(iss: &str, clients: &[&str]) -> TrustedIssuer {
    TrustedIssuer {
        issuer: iss.into(),
        jwks: JwkSet { keys: vec![] },
        client_ids: clients.iter().map(|c| (*c).to_owned()).collect(),
        subject: SubjectMapping::Login,
        created_at: NOW,
    }
}

pub async fn case_trusted_issuer_round_trip(store: &SqlStore) {
    let first = issuer("https://a.example", &["app"]);
    store.upsert_trusted_issuer(&first).await.expect("insert");
    store
        .upsert_trusted_issuer(&issuer("https://b.example", &["x"]))
        .await
        .expect("insert");
    assert_eq!(
        store
            .get_trusted_issuer("https://a.example")
            .await
            .expect("get"),
        Some(first)
    );
    let replaced = issuer("https://a.example", &["app", "app2"]);
    store
        .upsert_trusted_issuer(&replaced)
        .await
        .expect("replace");
    assert_eq!(
        store
            .get_trusted_issuer("https://a.example")
            .await
            .expect("get"),
        Some(replaced)
    );
    assert_eq!(store.list_trusted_issuers().await.expect("list").len(), 2);
    assert!(
        store
            .delete_trusted_issuer("https://b.example")
            .await
            .expect("delete")
    );
    assert!(
        !store
            .delete_trusted_issuer("https://b.example")
            .await
            .expect("again")
    );
    assert_eq!(
        store
            .get_trusted_issuer("https://b.example")
            .await
            .expect("get"),
        None
    );
}
