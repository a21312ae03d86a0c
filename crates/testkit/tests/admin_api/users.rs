//! Users through the API: blocking and unblocking, search, pages and ETags, and which
//! tokens may read and write.

use crate::*;
use propusk_testkit::{ClientBuilder, TestServer};
use propusk_types::routes;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn blocking_stops_sign_in_and_every_token_until_unblocked() {
    let server = TestServer::start().await;
    let api = admin(&server).await;
    let alice = server.alice().await;
    let web = server.client(ClientBuilder::confidential("web")).await;
    let code = server.code_for(&alice, &web, &[]).await;
    let tokens = server.redeem(&web.basic(), &code, &[]).await.issued();
    let refresh = tokens.refresh_token.clone().expect("refresh token");
    assert!(server.is_active(&web.basic(), &tokens.access_token).await);

    let user = api
        .post(
            &routes::with_id(routes::API_USER_BLOCK, &alice.id),
            json!({}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(user["blocked"], true);
    assert!(
        !signs_in(&server, &alice, &web).await,
        "a blocked user signed in"
    );
    let refused = server.refresh(&web.basic(), &refresh).await;
    refused.assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
    assert!(!server.is_active(&web.basic(), &tokens.access_token).await);

    let user = api
        .post(
            &routes::with_id(routes::API_USER_UNBLOCK, &alice.id),
            json!({}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(user["blocked"], false);
    assert!(
        signs_in(&server, &alice, &web).await,
        "an unblocked user cannot sign in"
    );

    let events = api
        .get(&format!(
            "{}?account_id={}",
            routes::API_AUDIT_EVENTS,
            alice.id
        ))
        .await
        .expect(StatusCode::OK);
    let kinds: Vec<(&str, &str)> = events["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["actor"].is_string())
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or(""),
                e["actor"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("account_unblocked", "client:ops"),
            ("account_blocked", "client:ops")
        ]
    );
}

#[tokio::test]
async fn users_are_found_paged_and_edited_with_etags() {
    let server = TestServer::start().await;
    let api = admin(&server).await;
    for login in ["ann", "bob", "cid"] {
        api.post(
            routes::API_USERS,
            json!({"login": login, "email": format!("{login}@example.com")}),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    let taken = api.post(routes::API_USERS, json!({"login": "ANN"})).await;
    taken.problem(StatusCode::CONFLICT);
    let first = api
        .get(&format!("{}?limit=2", routes::API_USERS))
        .await
        .expect(StatusCode::OK);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let second = api
        .get(&format!("{}?limit=2&cursor={cursor}", routes::API_USERS))
        .await
        .expect(StatusCode::OK);
    assert_eq!(first["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(second["items"].as_array().map(Vec::len), Some(1));
    assert!(second["next_cursor"].is_null());
    api.get(&format!("{}?limit=0", routes::API_USERS))
        .await
        .problem(StatusCode::BAD_REQUEST);
    api.get(&format!("{}?cursor=%21", routes::API_USERS))
        .await
        .problem(StatusCode::BAD_REQUEST);

    let id = second["items"][0]["id"].as_str().expect("id").to_owned();
    let path = routes::with_id(routes::API_USER, &id);
    let read = api.get(&path).await;
    let tag = read
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("etag")
        .to_owned();
    let changed = api
        .send(
            Method::PATCH,
            &path,
            Some(json!({"name": "Cid Campeador"})),
            Some(&tag),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(changed["name"], "Cid Campeador");
    api.send(
        Method::PATCH,
        &path,
        Some(json!({"name": "Again"})),
        Some(&tag),
    )
    .await
    .problem(StatusCode::PRECONDITION_FAILED);
    api.send(Method::PATCH, &path, Some(json!({"email": "nope"})), None)
        .await
        .problem(StatusCode::BAD_REQUEST);
    api.get(&routes::with_id(routes::API_USER, "missing"))
        .await
        .problem(StatusCode::NOT_FOUND);
    api.send(Method::DELETE, &path, None, None)
        .await
        .expect(StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn scopes_decide_who_reads_and_who_writes() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let block = routes::with_id(routes::API_USER_BLOCK, &alice.id);

    let nobody = Api {
        server: &server,
        token: None,
    };
    let answer = nobody.get(routes::API_USERS).await;
    answer.problem(StatusCode::UNAUTHORIZED);
    let challenge = answer
        .headers
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok());
    assert!(
        challenge.is_some_and(|c| c.starts_with("Bearer")),
        "{challenge:?}"
    );

    let reader = Api {
        server: &server,
        token: Some(token(&server, "auditor", "propusk:admin.read").await),
    };
    let users = reader
        .get(&format!("{}?q=liddell", routes::API_USERS))
        .await
        .expect(StatusCode::OK);
    assert_eq!(users["items"][0]["login"], "alice");
    let refused = reader.post(&block, json!({})).await;
    refused.problem(StatusCode::FORBIDDEN);
    assert_eq!(refused.body["code"], "insufficient_scope");

    server
        .product(propusk_testkit::ProductBuilder::new("extern.api").scopes(&["extern.api"]))
        .await;
    let other = Api {
        server: &server,
        token: Some(token(&server, "svc", "extern.api").await),
    };
    other
        .get(routes::API_USERS)
        .await
        .problem(StatusCode::FORBIDDEN);
    other
        .post(&block, json!({}))
        .await
        .problem(StatusCode::FORBIDDEN);

    let garbage = Api {
        server: &server,
        token: Some("not-a-token".into()),
    };
    garbage
        .get(routes::API_USERS)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    let stored = server
        .store()
        .get_account(&alice.id)
        .await
        .expect("read")
        .expect("account");
    assert!(!stored.disabled, "a refused request changed something");
}
