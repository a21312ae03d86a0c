//! `InteractionRepo`: create, read, advance, delete.

use super::fixtures::*;
use propusk_core::store::{InteractionRepo, StoreError};
use propusk_store::SqlStore;

pub async fn case_interaction_lifecycle(store: &SqlStore) {
    store
        .create_interaction(&interaction("i1"))
        .await
        .expect("create");
    assert_eq!(
        store.get_interaction("i1").await.expect("get"),
        Some(interaction("i1"))
    );
    assert_eq!(store.get_interaction("i2").await.expect("get"), None);
    assert!(matches!(
        store.create_interaction(&interaction("i1")).await,
        Err(StoreError::Conflict(_))
    ));

    let mut advanced = interaction("i1");
    advanced.session_id = Some("sid-1".into());
    advanced.request = r#"{"response_type":"code","prompt":["consent"],"n":1}"#.into();
    advanced.expires_at = NOW + 900;
    store.update_interaction(&advanced).await.expect("update");
    assert_eq!(
        store.get_interaction("i1").await.expect("get"),
        Some(advanced)
    );
    store
        .update_interaction(&interaction("i2"))
        .await
        .expect("update of a missing one");
    assert_eq!(store.get_interaction("i2").await.expect("get"), None);

    assert!(store.delete_interaction("i1").await.expect("delete"));
    assert!(!store.delete_interaction("i1").await.expect("delete again"));
    assert_eq!(store.get_interaction("i1").await.expect("get"), None);
}
