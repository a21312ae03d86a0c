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

/// Reads a cookie from the request headers: the first non-empty value of that name
/// made of visible ASCII (what this provider sets). Scanned as bytes, without
/// allocating until found: every page reads two or three cookies.
pub fn get(headers: &HeaderMap, base: &str, https: bool) -> Option<String> {
    let named = |k: &[u8]| match https {
        true => k.strip_prefix(b"__Host-") == Some(base.as_bytes()),
        false => k == base.as_bytes(),
    };
    let (_, value) = headers
        .get_all(header::COOKIE)
        .iter()
        .flat_map(|v| v.as_bytes().split(|b| *b == b';'))
        .filter_map(|pair| {
            let pair = pair.trim_ascii();
            let at = pair.iter().position(|b| *b == b'=')?;
            Some((&pair[..at], &pair[at + 1..]))
        })
        .find(|(k, _)| named(k))?;
    let visible = !value.is_empty() && value.iter().all(|b| (0x21..0x7f).contains(b));
    visible.then(|| String::from_utf8_lossy(value).into_owned())
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

    #[test]
    fn reads_the_first_visible_non_empty_value_of_the_name() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("x=1;propusk_lang= ; y"),
        );
        h.append(
            header::COOKIE,
            HeaderValue::from_bytes(b"  propusk_lang=ru ;propusk_csrf=a\xd0\x96b")
                .unwrap_or_else(|_| HeaderValue::from_static("")),
        );
        assert_eq!(get(&h, LANG, false), None, "the first of the name is empty");
        assert_eq!(get(&h, CSRF, false), None, "not ASCII");
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("propusk_lang=ru ;b=2"),
        );
        assert_eq!(get(&h, LANG, false).as_deref(), Some("ru"));
        assert_eq!(get(&h, "b", false).as_deref(), Some("2"));
        assert_eq!(get(&h, "propusk", false), None);
    }
}
