//! Reading one `multipart/form-data` body (RFC 7578): its parts by name, each with its
//! bytes. Enough for the cabinet's upload form (a CSRF field and one file); anything
//! malformed reads as no parts.

use axum::http::{HeaderMap, header};

pub struct Part {
    pub name: String,
    pub data: Vec<u8>,
}

/// The boundary of the request's `Content-Type`.
pub fn boundary(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let (kind, params) = value.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim_matches('"').to_owned())
        .filter(|b| !b.is_empty() && b.len() <= 70)
}

/// The parts of `body` delimited by `boundary`.
pub fn parts(body: &[u8], boundary: &str) -> Vec<Part> {
    let delimiter = format!("--{boundary}");
    let mut found = Vec::new();
    let mut rest = body;
    let Some(start) = find(rest, delimiter.as_bytes()) else {
        return found;
    };
    rest = &rest[start + delimiter.len()..];
    while let Some(after) = rest.strip_prefix(b"\r\n") {
        let Some(end) = find(after, format!("\r\n{delimiter}").as_bytes()) else {
            break;
        };
        if let Some(part) = part(&after[..end]) {
            found.push(part);
        }
        rest = &after[end + 2 + delimiter.len()..];
    }
    found
}

fn part(raw: &[u8]) -> Option<Part> {
    let split = find(raw, b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let name = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == "name")
        .map(|(_, v)| v.trim_matches('"').to_owned())?;
    Some(Part {
        name,
        data: raw[split + 4..].to_vec(),
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_files() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"a.png\"\r\n\
Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\nrest\r\n--XyZ--\r\n";
        let found = parts(body, "XyZ");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].name, "csrf");
        assert_eq!(found[0].data, b"tok");
        assert_eq!(found[1].name, "logo");
        assert_eq!(found[1].data, b"\x89PNG\r\n\x1a\nrest");
    }

    #[test]
    fn malformed_bodies_have_no_parts() {
        assert!(parts(b"garbage", "XyZ").is_empty());
        assert!(parts(b"--XyZ\r\nno end", "XyZ").is_empty());
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=\"abc\""
                .parse()
                .expect("header"),
        );
        assert_eq!(boundary(&headers).as_deref(), Some("abc"));
        headers.insert(header::CONTENT_TYPE, "text/plain".parse().expect("header"));
        assert_eq!(boundary(&headers), None);
    }
}
