//! `DeveloperRepo`: integrators, owners of clients, api-key revocation and last use,
//! scope requests decided once, logos, and usage per day.

use super::fixtures::*;
use propusk_core::model::{
    ClientLogo, ClientOwner, Integrator, ScopeRequest, ScopeRequestStatus, UsageDay,
};
use propusk_core::store::{ClientRepo, DeveloperRepo, GrantRepo};
use propusk_store::SqlStore;

fn owner(client_id: &str, account_id: &str, at: i64) -> ClientOwner {
    ClientOwner {
        client_id: client_id.into(),
        account_id: account_id.into(),
        added_at: at,
    }
}

fn request(id: &str, client_id: &str, scope: &str, at: i64) -> ScopeRequest {
    ScopeRequest {
        id: id.into(),
        client_id: client_id.into(),
        audience: "orders".into(),
        scope: scope.into(),
        status: ScopeRequestStatus::Pending,
        requested_by: "acc".into(),
        created_at: at,
        decided_at: None,
    }
}

pub async fn case_integrator_round_trip(store: &SqlStore) {
    assert_eq!(store.get_integrator("acc").await.expect("get"), None);
    let first = Integrator {
        account_id: "acc".into(),
        terms_version: "1".into(),
        accepted_at: NOW,
    };
    store.put_integrator(&first).await.expect("put");
    assert_eq!(store.get_integrator("acc").await.expect("get"), Some(first));
    let renewed = Integrator {
        account_id: "acc".into(),
        terms_version: "2".into(),
        accepted_at: NOW + DAY,
    };
    store.put_integrator(&renewed).await.expect("put again");
    assert_eq!(
        store.get_integrator("acc").await.expect("get"),
        Some(renewed)
    );
}

pub async fn case_client_owners(store: &SqlStore) {
    store.create_client(&client("a")).await.expect("create");
    store.create_client(&client("b")).await.expect("create");
    store
        .add_client_owner(&owner("b", "alice", NOW))
        .await
        .expect("add");
    store
        .add_client_owner(&owner("a", "alice", NOW + 1))
        .await
        .expect("add");
    store
        .add_client_owner(&owner("a", "bob", NOW + 2))
        .await
        .expect("add");
    store
        .add_client_owner(&owner("a", "bob", NOW + 3))
        .await
        .expect("adding twice changes nothing");
    assert_eq!(
        store.client_owners("a").await.expect("owners"),
        vec![owner("a", "alice", NOW + 1), owner("a", "bob", NOW + 2)]
    );
    assert_eq!(
        store.owned_clients("alice").await.expect("owned"),
        vec!["b".to_owned(), "a".to_owned()]
    );
    assert!(store.remove_client_owner("a", "bob").await.expect("remove"));
    assert!(!store.remove_client_owner("a", "bob").await.expect("remove"));
    assert!(store.delete_client("b").await.expect("delete"));
    assert_eq!(
        store.owned_clients("alice").await.expect("owned"),
        vec!["a".to_owned()],
        "owners go with their client"
    );
}

pub async fn case_api_keys_revoke_and_touch(store: &SqlStore) {
    store.create_client(&client("app")).await.expect("create");
    store.create_client(&client("other")).await.expect("create");
    let mut named = client_secret("k1", "app");
    named.name = Some("production".into());
    named.expires_at = Some(NOW + DAY);
    store.add_client_secret(&named).await.expect("add");
    store
        .add_client_secret(&client_secret("k2", "app"))
        .await
        .expect("add");
    assert_eq!(
        store
            .client_secrets("app")
            .await
            .expect("cached read")
            .len(),
        2
    );

    assert!(
        !store
            .revoke_client_secret("other", "k1", NOW + 5)
            .await
            .expect("revoke"),
        "a key of another client is untouched"
    );
    assert!(
        store
            .revoke_client_secret("app", "k1", NOW + 5)
            .await
            .expect("revoke")
    );
    assert!(
        !store
            .revoke_client_secret("app", "k1", NOW + 6)
            .await
            .expect("revoke"),
        "revoked once"
    );
    store
        .client_secrets("app")
        .await
        .expect("cache the keys again");
    store
        .touch_client_secret("app", "k2", NOW + 7)
        .await
        .expect("touch");

    let keys = store.api_keys("app").await.expect("keys");
    assert_eq!(keys[0].name.as_deref(), Some("production"));
    assert_eq!(keys[0].revoked_at, Some(NOW + 5));
    assert_eq!(keys[0].expires_at, Some(NOW + DAY));
    assert_eq!(keys[1].revoked_at, None);
    assert_eq!(keys[1].last_used_at, Some(NOW + 7));
    let cached = store.client_secrets("app").await.expect("secrets");
    assert_eq!(
        cached
            .iter()
            .find(|k| k.id == "k1")
            .and_then(|k| k.revoked_at),
        Some(NOW + 5),
        "a revocation is seen through the cache at once"
    );
    assert_eq!(
        cached
            .iter()
            .find(|k| k.id == "k2")
            .and_then(|k| k.last_used_at),
        Some(NOW + 7),
        "a last use is seen through the cache"
    );
    assert!(!cached[0].is_live(NOW + 10));
    assert!(cached[1].is_live(NOW + 10));
}

pub async fn case_scope_requests_decided_once(store: &SqlStore) {
    store.create_client(&client("app")).await.expect("create");
    store.create_client(&client("other")).await.expect("create");
    store
        .insert_scope_request(&request("r1", "app", "orders.read", NOW))
        .await
        .expect("insert");
    store
        .insert_scope_request(&request("r2", "app", "orders.write", NOW + 1))
        .await
        .expect("insert");
    store
        .insert_scope_request(&request("r3", "other", "orders.read", NOW + 2))
        .await
        .expect("insert");
    let mine = store
        .list_scope_requests(Some("app"), None)
        .await
        .expect("list");
    assert_eq!(
        mine.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["r1", "r2"]
    );

    assert!(
        store
            .decide_scope_request("r1", ScopeRequestStatus::Approved, NOW + 10)
            .await
            .expect("decide")
    );
    assert!(
        !store
            .decide_scope_request("r1", ScopeRequestStatus::Refused, NOW + 11)
            .await
            .expect("decide"),
        "a decision lands once"
    );
    let decided = store
        .get_scope_request("r1")
        .await
        .expect("get")
        .expect("found");
    assert_eq!(decided.status, ScopeRequestStatus::Approved);
    assert_eq!(decided.decided_at, Some(NOW + 10));
    let pending = store
        .list_scope_requests(None, Some(ScopeRequestStatus::Pending))
        .await
        .expect("pending");
    assert_eq!(
        pending.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["r2", "r3"]
    );
    assert_eq!(store.get_scope_request("nope").await.expect("get"), None);
}

pub async fn case_client_logo_round_trip(store: &SqlStore) {
    store.create_client(&client("app")).await.expect("create");
    assert_eq!(store.get_client_logo("app").await.expect("get"), None);
    let mut logo = ClientLogo {
        client_id: "app".into(),
        content_type: "image/png".into(),
        data: vec![0x89, b'P', b'N', b'G', 0, 255],
        updated_at: NOW,
    };
    store.put_client_logo(&logo).await.expect("put");
    assert_eq!(
        store.get_client_logo("app").await.expect("get"),
        Some(logo.clone())
    );
    logo.content_type = "image/gif".into();
    logo.data = b"GIF89a".to_vec();
    logo.updated_at = NOW + 1;
    store.put_client_logo(&logo).await.expect("replace");
    assert_eq!(store.get_client_logo("app").await.expect("get"), Some(logo));
    store.delete_client("app").await.expect("delete");
    assert_eq!(store.get_client_logo("app").await.expect("get"), None);
}

pub async fn case_client_usage_per_day(store: &SqlStore) {
    let day = NOW / DAY;
    let mut earlier = grant("g0");
    earlier.created_at = NOW - DAY;
    store.insert_grant(&earlier).await.expect("grant");
    store.insert_grant(&grant("g1")).await.expect("grant");
    store.insert_grant(&grant("g2")).await.expect("grant");
    let mut elsewhere = grant("g3");
    elsewhere.client_id = "other".into();
    store.insert_grant(&elsewhere).await.expect("grant");
    for jti in ["t1", "t2", "t3"] {
        store
            .insert_access_token(&access(jti, Some("g1")))
            .await
            .expect("token");
    }
    let usage = store
        .client_usage("app", NOW - 2 * DAY)
        .await
        .expect("usage");
    assert_eq!(
        usage,
        vec![
            UsageDay {
                day: day - 1,
                sign_ins: 1,
                tokens: 0
            },
            UsageDay {
                day,
                sign_ins: 2,
                tokens: 3
            },
        ]
    );
    let recent = store.client_usage("app", NOW - 10).await.expect("usage");
    assert_eq!(recent.len(), 1, "only days since `since`");
}
