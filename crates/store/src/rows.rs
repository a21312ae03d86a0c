//! Rows to domain records, and the column lists the queries select, kept side by side so
//! that they cannot drift apart. Scopes are stored in their wire form (space-delimited).

use crate::error::{backend, corrupt};
use propusk_core::model::*;
use propusk_core::store::{StoreError, StoreResult};
use propusk_types::scope::Scope;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::AnyRow;
use sqlx::{Any, Decode, Row, Type};

/// The columns each mapper below reads, as literals for `concat!`.
macro_rules! columns {
    (client_secret) => {
        "id, client_id, secret_hash, created_at, expires_at, name, last_used_at, revoked_at"
    };
    (account) => {
        "id, login, email, phone, password_hash, profile, disabled, created_at, updated_at"
    };
    (key) => {
        "kid, alg, sealed_private, public_jwk, created_at, active_from, retired_at, unpublish_at"
    };
    (grant) => {
        "id, client_id, account_id, session_id, scope, auth_time, acr, amr, nonce, claims, created_at, revoked_at"
    };
    (code) => {
        "code_hash, grant_id, client_id, redirect_uri, code_challenge, created_at, expires_at, used_at"
    };
    (refresh) => {
        "id, token_hash, grant_id, client_id, scope, created_at, expires_at, used_at, revoked_at, dpop_jkt"
    };
    (access) => {
        "jti, token_hash, grant_id, client_id, account_id, scope, claims, created_at, expires_at, revoked_at"
    };
    (consent) => {
        "account_id, client_id, scope, updated_at"
    };
    (session) => {
        "id, secret_hash, account_id, auth_time, acr, amr, created_at, last_active_at, expires_at, ended_at"
    };
    (interaction) => {
        "id, client_id, request, session_id, created_at, expires_at"
    };
}
pub(crate) use columns;

fn get<'r, T: Decode<'r, Any> + Type<Any>>(row: &'r AnyRow, column: &str) -> StoreResult<T> {
    row.try_get(column).map_err(backend)
}

fn json<T: DeserializeOwned>(row: &AnyRow, column: &str) -> StoreResult<T> {
    let text: String = get(row, column)?;
    serde_json::from_str(&text).map_err(|e| corrupt(column, &e))
}

fn opt_json<T: DeserializeOwned>(row: &AnyRow, column: &str) -> StoreResult<Option<T>> {
    let text: Option<String> = get(row, column)?;
    text.map(|t| serde_json::from_str(&t).map_err(|e| corrupt(column, &e)))
        .transpose()
}

fn scope(row: &AnyRow, column: &str) -> StoreResult<Scope> {
    let text: String = get(row, column)?;
    Scope::parse(&text).map_err(|_| StoreError::Backend(format!("stored {column} is not valid")))
}

/// Serializes a structured field for a JSON text column.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Backend(format!("cannot serialize a record: {:?}", e.classify())))
}

/// Booleans are stored as 0/1.
pub(crate) fn flag(value: bool) -> i64 {
    i64::from(value)
}

pub(crate) fn client(row: &AnyRow) -> StoreResult<Client> {
    json(row, "data")
}

pub(crate) fn client_secret(row: &AnyRow) -> StoreResult<ClientSecret> {
    Ok(ClientSecret {
        id: get(row, "id")?,
        client_id: get(row, "client_id")?,
        secret_hash: get(row, "secret_hash")?,
        created_at: get(row, "created_at")?,
        expires_at: get(row, "expires_at")?,
        name: get(row, "name")?,
        last_used_at: get(row, "last_used_at")?,
        revoked_at: get(row, "revoked_at")?,
    })
}

pub(crate) fn account(row: &AnyRow) -> StoreResult<Account> {
    Ok(Account {
        id: get(row, "id")?,
        login: get(row, "login")?,
        email: get(row, "email")?,
        phone: get(row, "phone")?,
        password_hash: get(row, "password_hash")?,
        profile: json(row, "profile")?,
        disabled: get::<i64>(row, "disabled")? != 0,
        created_at: get(row, "created_at")?,
        updated_at: get(row, "updated_at")?,
    })
}

pub(crate) fn product(row: &AnyRow) -> StoreResult<Product> {
    json(row, "data")
}

pub(crate) fn key(row: &AnyRow) -> StoreResult<KeyRecord> {
    Ok(KeyRecord {
        kid: get(row, "kid")?,
        alg: get(row, "alg")?,
        sealed_private: get(row, "sealed_private")?,
        public_jwk: json(row, "public_jwk")?,
        created_at: get(row, "created_at")?,
        active_from: get(row, "active_from")?,
        retired_at: get(row, "retired_at")?,
        unpublish_at: get(row, "unpublish_at")?,
    })
}

pub(crate) fn grant(row: &AnyRow) -> StoreResult<Grant> {
    Ok(Grant {
        id: get(row, "id")?,
        client_id: get(row, "client_id")?,
        account_id: get(row, "account_id")?,
        session_id: get(row, "session_id")?,
        scope: scope(row, "scope")?,
        auth_time: get(row, "auth_time")?,
        acr: get(row, "acr")?,
        amr: json(row, "amr")?,
        nonce: get(row, "nonce")?,
        claims: opt_json(row, "claims")?,
        created_at: get(row, "created_at")?,
        revoked_at: get(row, "revoked_at")?,
    })
}

pub(crate) fn code(row: &AnyRow) -> StoreResult<AuthCode> {
    Ok(AuthCode {
        code_hash: get(row, "code_hash")?,
        grant_id: get(row, "grant_id")?,
        client_id: get(row, "client_id")?,
        redirect_uri: get(row, "redirect_uri")?,
        code_challenge: get(row, "code_challenge")?,
        created_at: get(row, "created_at")?,
        expires_at: get(row, "expires_at")?,
        used_at: get(row, "used_at")?,
    })
}

pub(crate) fn refresh_token(row: &AnyRow) -> StoreResult<RefreshToken> {
    Ok(RefreshToken {
        id: get(row, "id")?,
        token_hash: get(row, "token_hash")?,
        grant_id: get(row, "grant_id")?,
        client_id: get(row, "client_id")?,
        scope: scope(row, "scope")?,
        created_at: get(row, "created_at")?,
        expires_at: get(row, "expires_at")?,
        used_at: get(row, "used_at")?,
        revoked_at: get(row, "revoked_at")?,
        dpop_jkt: get(row, "dpop_jkt")?,
    })
}

pub(crate) fn access_token(row: &AnyRow) -> StoreResult<AccessTokenRecord> {
    Ok(AccessTokenRecord {
        jti: get(row, "jti")?,
        token_hash: get(row, "token_hash")?,
        grant_id: get(row, "grant_id")?,
        client_id: get(row, "client_id")?,
        account_id: get(row, "account_id")?,
        scope: scope(row, "scope")?,
        claims: json(row, "claims")?,
        created_at: get(row, "created_at")?,
        expires_at: get(row, "expires_at")?,
        revoked_at: get(row, "revoked_at")?,
    })
}

pub(crate) fn consent(row: &AnyRow) -> StoreResult<Consent> {
    Ok(Consent {
        account_id: get(row, "account_id")?,
        client_id: get(row, "client_id")?,
        scope: scope(row, "scope")?,
        updated_at: get(row, "updated_at")?,
    })
}

pub(crate) fn session(row: &AnyRow) -> StoreResult<Session> {
    Ok(Session {
        id: get(row, "id")?,
        secret_hash: get(row, "secret_hash")?,
        account_id: get(row, "account_id")?,
        auth_time: get(row, "auth_time")?,
        acr: get(row, "acr")?,
        amr: json(row, "amr")?,
        created_at: get(row, "created_at")?,
        last_active_at: get(row, "last_active_at")?,
        expires_at: get(row, "expires_at")?,
        ended_at: get(row, "ended_at")?,
    })
}

pub(crate) fn session_client(row: &AnyRow) -> StoreResult<String> {
    get(row, "client_id")
}

pub(crate) fn interaction(row: &AnyRow) -> StoreResult<Interaction> {
    Ok(Interaction {
        id: get(row, "id")?,
        client_id: get(row, "client_id")?,
        request: get(row, "request")?,
        session_id: get(row, "session_id")?,
        created_at: get(row, "created_at")?,
        expires_at: get(row, "expires_at")?,
    })
}

/// Maps every row of a result, failing on the first bad one.
pub(crate) fn all<T>(rows: &[AnyRow], map: fn(&AnyRow) -> StoreResult<T>) -> StoreResult<Vec<T>> {
    rows.iter().map(map).collect()
}

/// Maps an optional row.
pub(crate) fn maybe<T>(
    row: Option<AnyRow>,
    map: fn(&AnyRow) -> StoreResult<T>,
) -> StoreResult<Option<T>> {
    row.as_ref().map(map).transpose()
}
