//! Cookies of the provider: the SSO session, the CSRF secret, the chosen language and
//! the console page a sign-in returns to. Behind https they are
//! `__Host-` prefixed and `Secure` (RFC 6265bis §4.1.3.2); always `HttpOnly`, `Path=/`,
//! `SameSite=Lax` (the session must survive the top-level redirect back from a client).

use axum::http::{HeaderMap, HeaderValue, header};

pub const SESSION: &str = "propusk_session";
pub const CSRF: &str = "propusk_csrf";
pub const LANG: &str = "propusk_lang";
/// The console page a sign-in returns to.
pub const NEXT: &str = "propusk_next";

/// The cookie name as set: `__Host-` prefixed over https.
pub fn name(base: &str, https: bool) -> String {
    if https {
        format!("__Host-{base}")
    } else {
        base.to_owned()
    }
}

/// Reads a cookie from the request headers.
pub fn get(headers: &HeaderMap, base: &str, https: bool) -> Option<String> {
    let named = |k: &str| match https {
        true => k.strip_prefix("__Host-") == Some(base),
        false => k == base,
    };
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| named(k))
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value. `max_age` None makes a browser-session cookie.
pub fn set(base: &str, value: &str, https: bool, max_age: Option<i64>) -> HeaderValue {
    let mut text = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Lax",
        name(base, https),
        value
    );
    if https {
        text.push_str("; Secure");
    }
    if let Some(age) = max_age {
        text.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_prefixes() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; __Host-propusk_session=xyz; b=2"),
        );
        assert_eq!(get(&h, SESSION, true).as_deref(), Some("xyz"));
        assert_eq!(get(&h, SESSION, false), None);
        let v = set(SESSION, "v", true, None);
        assert_eq!(
            v.to_str().ok(),
            Some("__Host-propusk_session=v; Path=/; HttpOnly; SameSite=Lax; Secure")
        );
    }
}
