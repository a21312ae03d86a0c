//! Strict reading of `application/x-www-form-urlencoded` bodies (RFC 6749 Appendix B):
//! a wrong content type, a malformed percent escape or bytes that are not UTF-8 are
//! refused as `invalid_request` instead of being read as something else. Repetition is
//! judged by the engine on the resulting pairs (RFC 6749 §3.2).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, header};
use propusk_core::error::Error;
use propusk_core::request::Params;

const FORM: &str = "application/x-www-form-urlencoded";

/// Whether the request declares a form body (parameters such as `charset` allowed).
pub fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case(FORM))
}

/// The body of a POST that must be a form.
pub fn parse(headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Params, Error> {
    if !is_form(headers) {
        return Err(Error::MalformedBody(format!("the body must be {FORM}")));
    }
    let body = body.map_err(|_| Error::MalformedBody("the body could not be read".into()))?;
    parse_pairs(&body).map(Params::from_pairs)
}

pub fn parse_pairs(body: &[u8]) -> Result<Vec<(String, String)>, Error> {
    let text = std::str::from_utf8(body)
        .map_err(|_| Error::MalformedBody("the body is not UTF-8".into()))?;
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decode(name)?, decode(value)?))
        })
        .collect()
}

/// Form-urldecodes one component: `+` is a space, `%XX` a byte; the result must be UTF-8.
pub fn decode(component: &str) -> Result<String, Error> {
    let malformed = || Error::MalformedBody("malformed percent-encoding".into());
    let bytes = component.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let (Some(high), Some(low)) =
                    (hex_digit(bytes.get(i + 1)), hex_digit(bytes.get(i + 2)))
                else {
                    return Err(malformed());
                };
                out.push(high << 4 | low);
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| Error::MalformedBody("a parameter is not UTF-8".into()))
}

fn hex_digit(byte: Option<&u8>) -> Option<u8> {
    char::from(*byte?)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_and_escapes() {
        assert_eq!(decode("a+b%20c%2B%3A").expect("valid"), "a b c+:");
        assert_eq!(decode("%D0%BF").expect("valid"), "п");
    }

    #[test]
    fn refuses_bad_escapes_and_non_utf8() {
        for bad in ["%", "%4", "%zz", "%+1", "%FF", "%C3"] {
            assert!(decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn splits_pairs() {
        let pairs = parse_pairs(b"a=1&&b=&c").expect("valid");
        assert_eq!(
            pairs,
            [
                ("a".into(), "1".into()),
                ("b".into(), String::new()),
                ("c".into(), String::new())
            ]
        );
    }
}
