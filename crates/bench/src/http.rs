//! A lean HTTP/1.1 client on hyper: one keep-alive connection per `Conn`, requests built
//! once and cloned (bodies are shared `Bytes`), answers collected whole. Also the few
//! helpers the scripted flows need: form encoding, Basic credentials, cookies, `Location`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use tokio::net::TcpStream;

pub type Req = Request<Full<Bytes>>;
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Where a server listens; also the `Host` header every request carries.
#[derive(Clone, Debug)]
pub struct Target {
    pub addr: SocketAddr,
    host: HeaderValue,
}

impl Target {
    pub fn new(addr: SocketAddr) -> Self {
        let host = HeaderValue::try_from(addr.to_string())
            .unwrap_or(HeaderValue::from_static("127.0.0.1"));
        Self { addr, host }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn get(&self, path: &str, headers: &[(HeaderName, &str)]) -> Req {
        self.request(Method::GET, path, headers, Bytes::new())
    }

    /// A form POST (`application/x-www-form-urlencoded`).
    pub fn post(&self, path: &str, headers: &[(HeaderName, &str)], form: String) -> Req {
        let mut all = vec![(header::CONTENT_TYPE, "application/x-www-form-urlencoded")];
        all.extend_from_slice(headers);
        self.request(Method::POST, path, &all, Bytes::from(form))
    }

    fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(HeaderName, &str)],
        body: Bytes,
    ) -> Req {
        let mut req = Request::new(Full::new(body));
        *req.method_mut() = method;
        *req.uri_mut() = path.parse().unwrap_or_default();
        let map = req.headers_mut();
        map.insert(header::HOST, self.host.clone());
        for (name, value) in headers {
            if let Ok(value) = HeaderValue::try_from(*value) {
                map.append(name.clone(), value);
            }
        }
        req
    }
}

/// A whole answer.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION)?.to_str().ok()
    }

    /// The value a `Set-Cookie` header gives to `name`.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .find_map(|v| {
                let pair = v.to_str().ok()?.split(';').next()?;
                let (n, value) = pair.split_once('=')?;
                (n.trim() == name).then_some(value.trim())
            })
    }

    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or("<binary>")
    }

    /// A short description for error reports.
    pub fn describe(&self) -> String {
        let text: String = self.text().chars().take(160).collect();
        format!("{} {}", self.status.as_u16(), text)
    }
}

/// One keep-alive HTTP/1.1 connection.
pub struct Conn {
    addr: SocketAddr,
    sender: SendRequest<Full<Bytes>>,
}

impl Conn {
    pub async fn open(addr: SocketAddr) -> Result<Self, Error> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (sender, conn) = http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            let _closed = conn.await;
        });
        Ok(Self { addr, sender })
    }

    /// Sends one request and reads the whole answer.
    pub async fn send(&mut self, req: Req) -> Result<Reply, Error> {
        let resp = self.sender.send_request(req).await?;
        let (parts, body) = resp.into_parts();
        let body = body.collect().await?.to_bytes();
        Ok(Reply {
            status: parts.status,
            headers: parts.headers,
            body,
        })
    }

    /// Replaces a connection that failed.
    pub async fn reopen(&mut self) -> Result<(), Error> {
        *self = Self::open(self.addr).await?;
        Ok(())
    }
}

/// `Basic` credentials (RFC 6749 §2.3.1: form-encoded id and secret).
pub fn basic(id: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", enc(id), enc(secret)))
    )
}

/// `application/x-www-form-urlencoded` encoding of one value.
pub fn enc(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Builds a form body from pairs.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of a query parameter in a URL or path (values here are never encoded).
pub fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let query = url.split_once('?')?.1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

/// The path part of a `Location` that may be absolute.
pub fn path_of(location: &str) -> &str {
    match location
        .strip_prefix("http://")
        .or_else(|| location.strip_prefix("https://"))
    {
        Some(rest) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => location,
    }
}

/// A string member of a compact JSON object, found without parsing the whole answer
/// (tokens never contain escapes).
pub fn json_str<'a>(body: &'a [u8], key: &str) -> Option<&'a str> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let len = text[start..].find('"')?;
    Some(&text[start..start + len])
}

/// The `value` of the `<input>` named `name` in an HTML page.
pub fn input_value<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let value = tag.find("value=\"")? + 7;
    let len = tag[value..].find('"')?;
    Some(&tag[value..value + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_pick_values_apart() {
        assert_eq!(
            json_str(br#"{"a":1,"access_token":"x.y","b":"c"}"#, "access_token"),
            Some("x.y")
        );
        assert_eq!(
            query_param("http://h/cb?code=abc&state=s", "code"),
            Some("abc")
        );
        assert_eq!(
            path_of("http://127.0.0.1:1/interaction/x"),
            "/interaction/x"
        );
        assert_eq!(path_of("/interaction/x"), "/interaction/x");
        let html = r#"<form><input type="hidden" name="csrf" value="t0k"><input name="login" value=""></form>"#;
        assert_eq!(input_value(html, "csrf"), Some("t0k"));
        assert_eq!(enc("a b/c"), "a%20b%2Fc");
        assert_eq!(form(&[("a", "1 2"), ("b", "x")]), "a=1%202&b=x");
    }
}
