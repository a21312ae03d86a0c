//! `TokenHolderRepo`: the recorded access token, its grant and its account in one joined
//! read, for UserInfo (OIDC Core §5.3). Only the columns UserInfo uses are read, and the
//! token's recorded claims are parsed only for a reference token (a JWT carries its own).

use crate::SqlStore;
use crate::error::{backend, corrupt};
use async_trait::async_trait;
use propusk_core::model::Account;
use propusk_core::store::{
    HolderGrant, StoreError, StoreResult, TokenHolder, TokenHolderRepo, TokenKey,
};
use sqlx::any::AnyRow;
use sqlx::{Any, Decode, Row, Type};

/// The columns of the account joined as `u`, each named `u_<column>` for
/// [`prefixed_account`].
macro_rules! holder_account_columns {
    () => {
        "u.id AS u_id, u.login AS u_login, u.email AS u_email, u.phone AS u_phone, \
         u.password_hash AS u_password_hash, u.profile AS u_profile, \
         u.disabled AS u_disabled, u.created_at AS u_created_at, \
         u.updated_at AS u_updated_at"
    };
}
pub(crate) use holder_account_columns;

macro_rules! holder_query {
    ($key:literal) => {
        concat!(
            "SELECT t.revoked_at AS t_revoked_at, t.expires_at AS t_expires_at, \
             t.account_id AS t_account_id, t.grant_id AS t_grant_id, t.claims AS t_claims, \
             g.id AS g_id, g.revoked_at AS g_revoked_at, g.claims AS g_claims, ",
            holder_account_columns!(),
            " FROM access_tokens t \
             LEFT JOIN grants g ON g.id = t.grant_id \
             LEFT JOIN accounts u ON u.id = t.account_id \
             WHERE t.",
            $key,
            " = $1"
        )
    };
}

#[async_trait]
impl TokenHolderRepo for SqlStore {
    async fn token_holder(&self, key: TokenKey<'_>) -> StoreResult<Option<TokenHolder>> {
        let (statement, value, with_claims) = match key {
            TokenKey::Jti(jti) => (holder_query!("jti"), jti, false),
            TokenKey::Hash(hash) => (holder_query!("token_hash"), hash, true),
        };
        let row = sqlx::query(statement)
            .bind(value)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.map(|row| holder(&row, with_claims)).transpose()
    }
}

fn get<'r, T: Decode<'r, Any> + Type<Any>>(row: &'r AnyRow, column: &str) -> StoreResult<T> {
    row.try_get(column).map_err(backend)
}

fn opt_json<T: serde::de::DeserializeOwned>(row: &AnyRow, column: &str) -> StoreResult<Option<T>> {
    let text: Option<String> = get(row, column)?;
    text.map(|t| serde_json::from_str(&t).map_err(|e| corrupt(column, &e)))
        .transpose()
}

/// The account of a row that joined it with [`holder_account_columns`]; `None` when the
/// join found none.
pub(crate) fn prefixed_account(row: &AnyRow) -> StoreResult<Option<Account>> {
    Ok(match get::<Option<String>>(row, "u_id")? {
        Some(id) => Some(Account {
            id,
            login: get(row, "u_login")?,
            email: get(row, "u_email")?,
            phone: get(row, "u_phone")?,
            password_hash: get(row, "u_password_hash")?,
            profile: opt_json(row, "u_profile")?
                .ok_or_else(|| StoreError::Backend("stored profile is missing".into()))?,
            disabled: get::<i64>(row, "u_disabled")? != 0,
            created_at: get(row, "u_created_at")?,
            updated_at: get(row, "u_updated_at")?,
        }),
        None => None,
    })
}

fn holder(row: &AnyRow, with_claims: bool) -> StoreResult<TokenHolder> {
    let grant = match get::<Option<String>>(row, "g_id")? {
        Some(_) => Some(HolderGrant {
            revoked_at: get(row, "g_revoked_at")?,
            claims: opt_json(row, "g_claims")?,
        }),
        None => None,
    };
    let account = prefixed_account(row)?;
    Ok(TokenHolder {
        revoked_at: get(row, "t_revoked_at")?,
        expires_at: get(row, "t_expires_at")?,
        account_id: get(row, "t_account_id")?,
        claims: if with_claims {
            opt_json(row, "t_claims")?
        } else {
            None
        },
        grant_id: get(row, "t_grant_id")?,
        grant,
        account,
    })
}
