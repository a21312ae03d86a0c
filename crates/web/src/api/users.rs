//! `/api/v1/users`: search (login, e-mail, phone, name), read, create, update, delete,
//! block and unblock, reset of the second factor, and sign-out everywhere.

use super::auth::{Reader, Writer};
use super::extract::{ApiResult, Body, Params, check_if_match, done, json, tagged};
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use propusk_core::admin::{NewUser, PasswordSource, UserChanges, page_size};
use propusk_core::model::Account;
use propusk_types::routes;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A user account as operators see it; never its password hash.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct User {
    pub id: String,
    pub login: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
    pub email_verified: bool,
    pub phone_verified: bool,
    /// A blocked user cannot sign in and holds no working token.
    pub blocked: bool,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<Account> for User {
    fn from(a: Account) -> Self {
        Self {
            id: a.id,
            login: a.login,
            email: a.email,
            phone: a.phone,
            name: a.profile.name,
            email_verified: a.profile.email_verified,
            phone_verified: a.profile.phone_number_verified,
            blocked: a.disabled,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<User>,
    /// Pass as `cursor` for the next page; null on the last one.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserSearch {
    /// Part of a login, e-mail, phone number or name, in any case.
    pub q: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 200 (50 when absent).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    pub login: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
    /// Hashed with argon2id; without one the user signs in by a code or recovers.
    pub password: Option<String>,
}

/// Fields to change; an absent field stays, an empty e-mail, phone or name is cleared.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub login: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SignedOut {
    /// How many live sessions ended.
    pub sessions_ended: usize,
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserSearch),
    responses((status = 200, description = "A page of users, ordered by id", body = UserPage)))]
pub async fn list(Reader(admin): Reader, Params(q): Params<UserSearch>) -> ApiResult {
    let limit = page_size(q.limit)?;
    let page = admin
        .search_users(q.q.as_deref(), q.cursor.as_deref(), limit)
        .await?;
    let page = UserPage {
        items: page.items.into_iter().map(User::from).collect(),
        next_cursor: page.next_cursor,
    };
    Ok(json(StatusCode::OK, &page))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUserBody,
    responses((status = 201, description = "Created", body = User,
        headers(("ETag" = String), ("Location" = String)))))]
pub async fn create(Writer(admin, actor): Writer, Body(body): Body<NewUserBody>) -> ApiResult {
    let new = NewUser {
        login: body.login,
        email: body.email,
        phone: body.phone,
        name: body.name,
        password: body
            .password
            .map_or(PasswordSource::None, PasswordSource::Plain),
    };
    let user = User::from(admin.create_user(&actor, new).await?);
    let mut response = tagged(StatusCode::CREATED, &user);
    if let Ok(location) = HeaderValue::from_str(&routes::with_id(routes::API_USER, &user.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, description = "The user", body = User, headers(("ETag" = String)))))]
pub async fn read(Reader(admin): Reader, Path(id): Path<String>) -> ApiResult {
    let user = User::from(admin.user(&id).await?);
    Ok(tagged(StatusCode::OK, &user))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", request_body = UserPatch,
    params(("id" = String, Path, description = "User id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version read")),
    responses((status = 200, description = "The updated user", body = User, headers(("ETag" = String)))))]
pub async fn update(
    Writer(admin, actor): Writer,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(body): Body<UserPatch>,
) -> ApiResult {
    check_if_match(&headers, &User::from(admin.user(&id).await?))?;
    let changes = UserChanges {
        login: body.login,
        email: body.email,
        phone: body.phone,
        name: body.name,
    };
    let user = User::from(admin.update_user(&actor, &id, changes).await?);
    Ok(tagged(StatusCode::OK, &user))
}

#[utoipa::path(delete, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses((status = 204, description = "Erased: identifiers, password and profile gone, \
        sessions ended, grants revoked")))]
pub async fn remove(Writer(admin, actor): Writer, Path(id): Path<String>) -> ApiResult {
    admin.delete_user(&actor, &id).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/api/v1/users/{id}/block", tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, description = "Blocked: sign-in refused, sessions ended, \
        refresh and access tokens revoked", body = User)))]
pub async fn block(Writer(admin, actor): Writer, Path(id): Path<String>) -> ApiResult {
    let user = User::from(admin.block_user(&actor, &id).await?);
    Ok(tagged(StatusCode::OK, &user))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/unblock", tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, description = "The user may sign in again", body = User)))]
pub async fn unblock(Writer(admin, actor): Writer, Path(id): Path<String>) -> ApiResult {
    let user = User::from(admin.unblock_user(&actor, &id).await?);
    Ok(tagged(StatusCode::OK, &user))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/reset-second-factor", tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses((status = 204, description = "Every second factor and recovery code removed")))]
pub async fn reset_second_factor(
    Writer(admin, actor): Writer,
    Path(id): Path<String>,
) -> ApiResult {
    admin.reset_second_factor(&actor, &id).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/api/v1/users/{id}/sign-out", tag = "users",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, description = "Every session ended and grant revoked", body = SignedOut)))]
pub async fn sign_out(Writer(admin, actor): Writer, Path(id): Path<String>) -> ApiResult {
    let sessions_ended = admin.sign_out_user(&actor, &id).await?;
    Ok(json(StatusCode::OK, &SignedOut { sessions_ended }))
}
