//! The tower layer that guards routes, and the axum extractor that hands the handler the
//! [`Principal`] the layer found.

use crate::{Principal, Refusal, Validator};
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// Lets through requests with a valid access token holding the scopes; answers the
/// others as RFC 6750 §3 says. Made by [`Validator::require`].
#[derive(Clone)]
pub struct RequireToken {
    validator: Validator,
    scopes: Arc<[String]>,
}

impl RequireToken {
    pub fn new(validator: Validator, scopes: &[&str]) -> Self {
        Self {
            validator,
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

impl<S> tower_layer::Layer<S> for RequireToken {
    type Service = RequireTokenService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        RequireTokenService {
            guard: self.clone(),
            inner,
        }
    }
}

#[derive(Clone)]
pub struct RequireTokenService<S> {
    guard: RequireToken,
    inner: S,
}

impl<S> tower_service::Service<Request> for RequireTokenService<S>
where
    S: tower_service::Service<Request, Response = Response, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        // The clone that was made ready is the one called (tower's readiness contract).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let guard = self.guard.clone();
        Box::pin(async move {
            let authorization = request
                .headers()
                .get(header::AUTHORIZATION)
                .map(|v| v.to_str().unwrap_or("\u{0}"));
            match guard.validator.check(authorization, &guard.scopes).await {
                Ok(principal) => {
                    request.extensions_mut().insert(principal);
                    inner.call(request).await
                }
                Err(refusal) => Ok(refusal.into_response_in(&guard.validator.config().realm)),
            }
        })
    }
}

/// The caller, as the [`RequireToken`] layer in front of the route validated it.
impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Response> {
        match parts.extensions.get::<Principal>() {
            Some(principal) => Ok(principal.clone()),
            None => {
                // A route that extracts the caller without the layer that checks them.
                tracing::error!(
                    path = parts.uri.path(),
                    "Principal extracted on a route without RequireToken"
                );
                Err((StatusCode::INTERNAL_SERVER_ERROR, "access check missing").into_response())
            }
        }
    }
}

/// The refusal itself as a rejection, for handlers that call [`Validator::check`].
impl From<Refusal> for Response {
    fn from(refusal: Refusal) -> Self {
        refusal.into_response()
    }
}
