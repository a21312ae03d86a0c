//! Property tests of the parsers of outside input in this crate: form bodies and query
//! strings, the forwarding headers (`Forwarded`, `X-Forwarded-For`, `X-Forwarded-Proto`)
//! and the trusted-proxy blocks. They answer with a value or an error, never a panic,
//! and keep no more than they were given.

use crate::client_ip::{TrustedProxies, resolve};
use crate::endpoints::form::{decode, parse_pairs};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use proptest::collection::vec;
use proptest::prelude::*;
use std::net::IpAddr;

/// Text built from the characters forwarding headers are made of, so that cases reach
/// deep into the parser instead of failing at the first byte.
fn header_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("for=".to_owned()),
        Just("proto=".to_owned()),
        Just("by=".to_owned()),
        Just(";".to_owned()),
        Just(",".to_owned()),
        Just(" ".to_owned()),
        Just("\"".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(":".to_owned()),
        Just("unknown".to_owned()),
        Just("_hidden".to_owned()),
        Just("https".to_owned()),
        any::<IpAddr>().prop_map(|ip| ip.to_string()),
        vec(proptest::sample::select(b"abcf0129.:".to_vec()), 0..8)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ];
    vec(pieces, 0..24).prop_map(|parts| parts.concat())
}

fn form_text() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop_oneof![
        Just(b"&".to_vec()),
        Just(b"=".to_vec()),
        Just(b"+".to_vec()),
        Just(b"%".to_vec()),
        Just(b"%2".to_vec()),
        Just(b"%C3%A9".to_vec()),
        Just(b"%FF".to_vec()),
        Just(b"%00".to_vec()),
        vec(any::<u8>(), 0..6),
    ];
    vec(pieces, 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn form_bodies_are_an_answer_and_never_grow(body in form_text()) {
        if let Ok(pairs) = parse_pairs(&body) {
            let kept: usize = pairs.iter().map(|(n, v)| n.len() + v.len()).sum();
            prop_assert!(kept <= body.len());
        }
    }

    #[test]
    fn form_components_are_an_answer(text in any::<String>()) {
        if let Ok(decoded) = decode(&text) {
            prop_assert!(decoded.len() <= text.len());
        }
    }

    #[test]
    fn forwarding_headers_are_an_answer(
        forwarded in header_text(),
        for_ in header_text(),
        proto in header_text(),
        peer in any::<IpAddr>(),
        trusted_peer in any::<bool>(),
    ) {
        let mut headers = HeaderMap::new();
        for (name, value) in [("forwarded", &forwarded), ("x-forwarded-for", &for_), ("x-forwarded-proto", &proto)] {
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.append(HeaderName::from_static(name), value);
            }
        }
        let block = if trusted_peer { peer.to_string() } else { "192.0.2.0/24".to_owned() };
        let trusted = TrustedProxies::parse(&[block, "10.0.0.0/8".to_owned()]).expect("blocks");
        let origin = resolve(Some(peer), &headers, &trusted);
        // An address other than the peer comes only from a trusted peer's headers.
        if origin.ip != Some(peer.to_canonical()) {
            prop_assert!(trusted_peer || trusted.contains(peer.to_canonical()));
            prop_assert!(!headers.is_empty());
        }
        if let Some(proto) = origin.forwarded_proto {
            prop_assert!(proto == "http" || proto == "https", "{proto}");
        }
    }

    #[test]
    fn proxy_blocks_are_an_answer(blocks in vec(header_text(), 0..4)) {
        let _ = TrustedProxies::parse(&blocks);
    }
}
