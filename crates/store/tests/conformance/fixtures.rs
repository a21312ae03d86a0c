//! Records to store, as builder functions with fixed, readable values.

use propusk_core::model::*;
use propusk_types::jwk::Jwk;
use propusk_types::scope::Scope;
use serde_json::json;

/// The time every fixture is created at.
pub const NOW: i64 = 1_700_000_000;
pub const HOUR: i64 = 3600;
pub const DAY: i64 = 24 * HOUR;

pub fn scope(text: &str) -> Scope {
    Scope::parse(text).expect("valid scope")
}

pub fn client(id: &str) -> Client {
    ClientBuilder::confidential(id)
        .redirect_uris(&[&format!("https://{id}.example/cb")])
        .scope("openid profile offline_access")
        .created_at(NOW)
        .build()
}

pub fn client_secret(id: &str, client_id: &str) -> ClientSecret {
    ClientSecret {
        id: id.into(),
        client_id: client_id.into(),
        secret_hash: format!("hash-of-{id}"),
        created_at: NOW,
        expires_at: None,
        name: None,
        last_used_at: None,
        revoked_at: None,
    }
}

pub fn account(id: &str, login: &str) -> Account {
    Account {
        id: id.into(),
        login: login.into(),
        email: None,
        phone: None,
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        profile: Profile::default(),
        disabled: false,
        created_at: NOW,
        updated_at: NOW,
    }
}

pub fn product(audience: &str) -> Product {
    Product {
        audience: audience.into(),
        name: format!("Product {audience}"),
        scopes: vec![ProductScope {
            name: format!("{audience}.read"),
            description_ru: Some("Чтение".into()),
            description_en: Some("Read".into()),
        }],
        token_format: TokenFormat::Jwt,
        signing_alg: None,
        approval_required: false,
        subject_type: propusk_core::model::SubjectType::Public,
        created_at: NOW,
    }
}

pub fn key(kid: &str) -> KeyRecord {
    KeyRecord {
        kid: kid.into(),
        alg: "EdDSA".into(),
        sealed_private: vec![0, 1, 2, 0xff, 0, 42],
        public_jwk: Jwk {
            kty: "OKP".into(),
            kid: Some(kid.into()),
            use_: Some("sig".into()),
            alg: Some("EdDSA".into()),
            crv: Some("Ed25519".into()),
            x: Some("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo".into()),
            ..Jwk::default()
        },
        created_at: NOW,
        active_from: NOW,
        retired_at: None,
        unpublish_at: None,
    }
}

pub fn grant(id: &str) -> Grant {
    Grant {
        id: id.into(),
        client_id: "app".into(),
        account_id: Some("acc".into()),
        session_id: Some("sid".into()),
        scope: scope("openid profile"),
        auth_time: Some(NOW - 10),
        acr: Some("urn:propusk:pwd".into()),
        amr: vec!["pwd".into(), "otp".into()],
        nonce: Some("n-0S6_WzA2Mj".into()),
        claims: Some(json!({"userinfo": {"email": {"essential": true}}})),
        created_at: NOW,
        revoked_at: None,
    }
}

pub fn code(code_hash: &str, grant_id: &str) -> AuthCode {
    AuthCode {
        code_hash: code_hash.into(),
        grant_id: grant_id.into(),
        client_id: "app".into(),
        redirect_uri: "https://app.example/cb".into(),
        code_challenge: Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into()),
        created_at: NOW,
        expires_at: NOW + 300,
        used_at: None,
    }
}

pub fn refresh(id: &str, grant_id: &str) -> RefreshToken {
    RefreshToken {
        id: id.into(),
        token_hash: format!("rt-hash-{id}"),
        grant_id: grant_id.into(),
        client_id: "app".into(),
        scope: scope("openid offline_access"),
        created_at: NOW,
        expires_at: NOW + 30 * DAY,
        used_at: None,
        revoked_at: None,
        dpop_jkt: None,
    }
}

pub fn access(jti: &str, grant_id: Option<&str>) -> AccessTokenRecord {
    AccessTokenRecord {
        jti: jti.into(),
        token_hash: Some(format!("at-hash-{jti}")),
        grant_id: grant_id.map(Into::into),
        client_id: "app".into(),
        account_id: Some("acc".into()),
        scope: scope("api.read"),
        claims: json!({"sub": "acc", "aud": "api", "scope": "api.read", "jti": jti}),
        created_at: NOW,
        expires_at: NOW + HOUR,
        revoked_at: None,
    }
}

pub fn consent(account_id: &str, client_id: &str, text: &str) -> Consent {
    Consent {
        account_id: account_id.into(),
        client_id: client_id.into(),
        scope: scope(text),
        updated_at: NOW,
    }
}

pub fn session(id: &str, account_id: &str) -> Session {
    Session {
        id: id.into(),
        secret_hash: format!("session-hash-{id}"),
        account_id: account_id.into(),
        auth_time: NOW,
        acr: None,
        amr: vec!["pwd".into()],
        created_at: NOW,
        last_active_at: NOW,
        expires_at: NOW + DAY,
        ended_at: None,
    }
}

pub fn interaction(id: &str) -> Interaction {
    Interaction {
        id: id.into(),
        client_id: "app".into(),
        request: r#"{"response_type":"code","scope":"openid","state":"xyz"}"#.into(),
        session_id: None,
        created_at: NOW,
        expires_at: NOW + 600,
    }
}
