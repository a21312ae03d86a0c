//! The demo's HTML: one layout, escaped values, a stylesheet of its own and a strict
//! Content-Security-Policy (no script at all).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

pub const STYLESHEET: &str = "\
body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;background:#fff}\n\
header{border-bottom:4px solid var(--accent,#444);margin-bottom:1.5rem}\n\
header p{margin:.2rem 0 .6rem;color:#444}\n\
h1{margin:.3rem 0}\n\
pre{background:#f3f3f3;padding:.8rem;white-space:pre-wrap;word-break:break-all;font-size:.9rem}\n\
a.button{display:inline-block;padding:.5rem .9rem;margin:.2rem .4rem .2rem 0;background:var(--accent,#444);color:#fff;text-decoration:none;border-radius:4px}\n\
.note{background:#fff8d6;border-left:4px solid #c9a400;padding:.5rem .8rem}\n\
.ok{background:#e5f6e8;border-left:4px solid #1e7b34;padding:.5rem .8rem}\n\
dt{font-weight:bold}dd{margin:0 0 .6rem 0;word-break:break-all}\n\
.site-a{--accent:#1f5fa8}.site-b{--accent:#7a3b99}.site-product{--accent:#1e6b3a}\n";

/// A page: `site` picks the accent (`a`, `b`, `product`, `index`).
pub fn page(site: &str, title: &str, subtitle: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/demo.css\">\
         <link rel=\"icon\" href=\"/favicon.svg\"></head>\
         <body class=\"site-{site}\"><header><h1>{title}</h1><p>{subtitle}</p></header>\
         <main>{body}</main></body></html>\n",
        title = esc(title),
        subtitle = esc(subtitle),
    );
    with_headers(StatusCode::OK, "text/html; charset=utf-8", html)
}

/// An error page with its status.
pub fn error(status: StatusCode, site: &str, what: &str, back: &str) -> Response {
    let body = format!(
        "<p class=\"note\">{}</p><p><a href=\"{}\">Back</a></p>",
        esc(what),
        esc(back)
    );
    let mut response = page(site, "Something went wrong", status.as_str(), &body);
    *response.status_mut() = status;
    response
}

pub fn stylesheet() -> Response {
    with_headers(StatusCode::OK, "text/css; charset=utf-8", STYLESHEET.into())
}

pub fn favicon() -> Response {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">\
               <rect width=\"16\" height=\"16\" rx=\"3\" fill=\"#1e6b3a\"/></svg>";
    with_headers(StatusCode::OK, "image/svg+xml", svg.into())
}

fn with_headers(status: StatusCode, content_type: &'static str, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// HTML-escapes text for element content and quoted attributes.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A JSON value, pretty-printed in a `<pre>` with an id for tests.
pub fn json_block(id: &str, value: &Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    format!("<pre id=\"{}\">{}</pre>", esc(id), esc(&text))
}
