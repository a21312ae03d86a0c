//! Raw calls to the token-side endpoints (token, userinfo, introspection, revocation) for
//! the assertions a relying-party library hides: exact status, error code, headers.

use crate::server::TestServer;
use propusk_types::routes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

/// How a request authenticates the client (RFC 6749 §2.3.1, OIDC Core §9).
#[derive(Clone, Debug)]
pub enum Auth<'a> {
    /// `client_secret_basic`, both parts form-urlencoded first as §2.3.1 requires.
    Basic(&'a str, &'a str),
    /// `client_secret_post`.
    Post(&'a str, &'a str),
    /// `private_key_jwt`: the client id and the signed assertion.
    Assertion(&'a str, String),
    /// A public client: only `client_id`.
    Public(&'a str),
    Nothing,
}

/// What a successful token response handed out.
#[derive(Clone, Debug)]
pub struct Issued {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub id_token: Option<String>,
}

/// A JSON answer with its status and headers.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    pub json: Value,
}

impl Answer {
    /// The `error` member of an error body.
    pub fn error(&self) -> Option<&str> {
        self.json.get("error").and_then(Value::as_str)
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        self.json.get(name).and_then(Value::as_str)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a successful token response (RFC 6749 §5.1) and returns its tokens.
    #[track_caller]
    pub fn issued(&self) -> Issued {
        assert_eq!(self.status, StatusCode::OK, "body: {}", self.body);
        Issued {
            access_token: self.str("access_token").expect("access_token").to_owned(),
            refresh_token: self.str("refresh_token").map(str::to_owned),
            id_token: self.str("id_token").map(str::to_owned),
        }
    }

    /// Asserts an RFC 6749 §5.2 error: status, code, `Cache-Control: no-store`, and no token.
    #[track_caller]
    pub fn assert_error(&self, status: StatusCode, code: &str) {
        assert_eq!(
            (self.status, self.error()),
            (status, Some(code)),
            "body: {}",
            self.body
        );
        assert!(
            self.json.get("access_token").is_none(),
            "an error issued a token: {}",
            self.body
        );
        assert!(
            self.json.get("refresh_token").is_none(),
            "an error issued a token: {}",
            self.body
        );
        assert!(
            self.json.get("id_token").is_none(),
            "an error issued a token: {}",
            self.body
        );
    }
}

fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn authenticate(
    request: reqwest::RequestBuilder,
    auth: &Auth<'_>,
    params: &mut Vec<(String, String)>,
) -> reqwest::RequestBuilder {
    let mut push = |name: &str, value: &str| params.push((name.to_owned(), value.to_owned()));
    match auth {
        Auth::Basic(id, secret) => {
            let pair = format!("{}:{}", form_encode(id), form_encode(secret));
            use base64::Engine as _;
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            return request.header(reqwest::header::AUTHORIZATION, format!("Basic {encoded}"));
        }
        Auth::Post(id, secret) => {
            push("client_id", id);
            push("client_secret", secret);
        }
        Auth::Assertion(id, assertion) => {
            push("client_id", id);
            push("client_assertion_type", crate::JWT_BEARER);
            push("client_assertion", assertion);
        }
        Auth::Public(id) => push("client_id", id),
        Auth::Nothing => {}
    }
    request
}

pub(crate) async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.expect("response body");
    let json = serde_json::from_str(&body).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
        json,
    }
}

impl TestServer {
    /// POSTs a form to `route` with the client authenticated as `auth`.
    pub async fn post_form(&self, route: &str, auth: &Auth<'_>, params: &[(&str, &str)]) -> Answer {
        self.post_form_with(route, auth, params, &[]).await
    }

    /// A token request with a `DPoP` header (RFC 9449 §5).
    pub async fn token_dpop(
        &self,
        auth: &Auth<'_>,
        params: &[(&str, &str)],
        proof: &str,
    ) -> Answer {
        self.post_form_with(routes::TOKEN, auth, params, &[("DPoP", proof)])
            .await
    }

    /// UserInfo by GET with `Authorization: DPoP` and, if given, a proof (RFC 9449 §7.1).
    pub async fn userinfo_dpop(&self, access_token: &str, proof: Option<&str>) -> Answer {
        let mut request = crate::http_client().get(self.url(routes::USERINFO)).header(
            reqwest::header::AUTHORIZATION,
            format!("DPoP {access_token}"),
        );
        if let Some(proof) = proof {
            request = request.header("DPoP", proof);
        }
        answer(request.send().await.expect("GET userinfo")).await
    }

    /// POSTs a form to `route` with these extra request headers.
    pub async fn post_form_with(
        &self,
        route: &str,
        auth: &Auth<'_>,
        params: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut params: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let mut request = crate::http_client().post(self.url(route));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = authenticate(request, auth, &mut params);
        answer(request.form(&params).send().await.expect("POST")).await
    }

    /// A token request (RFC 6749 §3.2).
    pub async fn token(&self, auth: &Auth<'_>, params: &[(&str, &str)]) -> Answer {
        self.post_form(routes::TOKEN, auth, params).await
    }

    /// Redeems a code issued for [`crate::REDIRECT_URI`] (RFC 6749 §4.1.3), with `extra`
    /// parameters such as `code_verifier`.
    pub async fn redeem(&self, auth: &Auth<'_>, code: &str, extra: &[(&str, &str)]) -> Answer {
        let mut params = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", crate::REDIRECT_URI),
        ];
        params.extend_from_slice(extra);
        self.token(auth, &params).await
    }

    /// A refresh request (RFC 6749 §6).
    pub async fn refresh(&self, auth: &Auth<'_>, refresh_token: &str) -> Answer {
        self.token(
            auth,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
            ],
        )
        .await
    }

    /// A token request whose body is sent as it is, with this content type.
    pub async fn token_raw(
        &self,
        content_type: Option<&str>,
        body: impl Into<reqwest::Body>,
    ) -> Answer {
        let mut request = crate::http_client()
            .post(self.url(routes::TOKEN))
            .body(body);
        if let Some(content_type) = content_type {
            request = request.header(reqwest::header::CONTENT_TYPE, content_type);
        }
        answer(request.send().await.expect("POST")).await
    }

    /// Introspection (RFC 7662 §2.1) of `token` by the caller `auth`.
    pub async fn introspect(&self, auth: &Auth<'_>, token: &str) -> Answer {
        self.post_form(routes::INTROSPECT, auth, &[("token", token)])
            .await
    }

    /// Whether introspection by `auth` reports `token` active; panics unless it answers 200.
    pub async fn is_active(&self, auth: &Auth<'_>, token: &str) -> bool {
        let answer = self.introspect(auth, token).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "introspection failed: {}",
            answer.body
        );
        answer
            .json
            .get("active")
            .and_then(Value::as_bool)
            .expect("active member")
    }

    /// UserInfo by GET with a bearer token (OIDC Core §5.3.1).
    pub async fn userinfo(&self, access_token: &str) -> Answer {
        let request = crate::http_client()
            .get(self.url(routes::USERINFO))
            .bearer_auth(access_token);
        answer(request.send().await.expect("GET userinfo")).await
    }
}
