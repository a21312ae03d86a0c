//! The client's address for throttling and the audit trail, and the scheme it used.
//!
//! The peer address of the connection (`ConnectInfo`) is the client unless the peer is
//! one of the operator's trusted proxies (`[http] trusted_proxies`). Only then are the
//! forwarding headers read: `Forwarded` (RFC 7239 §4, `for=` and `proto=`) or, when that
//! is absent, `X-Forwarded-For` / `X-Forwarded-Proto`. The hops are walked from the
//! right (the one nearest to us) and trusted proxies are skipped; the first untrusted
//! address is the client. An entry that is not an address (`unknown`, an obfuscated
//! identifier, garbage) ends the walk: the last address that could be checked is used,
//! so a forged header never moves a request out of its proxy's throttling bucket into
//! one of its own choosing.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// One CIDR block such as `10.0.0.0/8` or `fd00::/8`; a bare address is a single host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{text}` is not an IP address or CIDR block"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{text}` has a prefix length outside 0..={max}"))?,
        };
        Ok(Self {
            network: network.to_canonical(),
            prefix,
        })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => same_prefix(
                u128::from(net.to_bits()) << 96,
                u128::from(ip.to_bits()) << 96,
                self.prefix,
            ),
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                same_prefix(net.to_bits(), ip.to_bits(), self.prefix)
            }
            _ => false,
        }
    }
}

fn same_prefix(a: u128, b: u128, prefix: u8) -> bool {
    let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
    a & mask == b & mask
}

/// The proxies whose forwarding headers are believed; empty trusts nobody.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    pub fn parse<S: AsRef<str>>(blocks: &[S]) -> Result<Self, String> {
        blocks
            .iter()
            .map(|b| Cidr::parse(b.as_ref()))
            .collect::<Result<_, _>>()
            .map(Self)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|cidr| cidr.contains(ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Where a request came from, after the forwarding headers of trusted proxies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The client address; `None` when the server runs without connection info (tests).
    pub ip: Option<IpAddr>,
    /// The scheme the client used, as a trusted proxy reported it.
    pub forwarded_proto: Option<String>,
}

/// One hop of a forwarding header: the node (`for=`) and, when given, its `proto=`.
struct Hop {
    node: Option<IpAddr>,
    proto: Option<String>,
}

/// Resolves the client of a request that arrived from `peer`.
pub fn resolve(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &TrustedProxies) -> Origin {
    let direct = Origin {
        ip: peer.map(|p| p.to_canonical()),
        forwarded_proto: None,
    };
    let Some(peer) = direct.ip else {
        return direct;
    };
    if !trusted.contains(peer) {
        return direct;
    }
    let Some(hops) = forwarded_hops(headers).or_else(|| x_forwarded_hops(headers)) else {
        return direct;
    };
    let mut client = peer;
    let mut proto = None;
    for hop in hops.iter().rev() {
        let Some(node) = hop.node else {
            break;
        };
        client = node;
        proto.clone_from(&hop.proto);
        if !trusted.contains(node) {
            break;
        }
    }
    Origin {
        ip: Some(client),
        forwarded_proto: proto,
    }
}

/// The hops of every `Forwarded` header (RFC 7239 §4), in order; `None` without one.
fn forwarded_hops(headers: &HeaderMap) -> Option<Vec<Hop>> {
    let values: Vec<&str> = headers
        .get_all("forwarded")
        .iter()
        .map(|v| v.to_str().unwrap_or(""))
        .collect();
    if values.is_empty() {
        return None;
    }
    let hops = values
        .iter()
        .flat_map(|v| v.split(','))
        .map(|element| {
            let mut hop = Hop {
                node: None,
                proto: None,
            };
            for pair in element.split(';') {
                let Some((name, value)) = pair.split_once('=') else {
                    continue;
                };
                let value = value.trim().trim_matches('"');
                match name.trim().to_ascii_lowercase().as_str() {
                    "for" => hop.node = parse_node(value),
                    "proto" => hop.proto = parse_proto(value),
                    _ => {}
                }
            }
            hop
        })
        .collect();
    Some(hops)
}

/// The hops of `X-Forwarded-For`, each paired with the `X-Forwarded-Proto` entry at the
/// same position when the two lists have the same length, or else with its last entry.
fn x_forwarded_hops(headers: &HeaderMap) -> Option<Vec<Hop>> {
    let list = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .flat_map(|v| {
                v.to_str()
                    .unwrap_or("")
                    .split(',')
                    .map(|s| s.trim().to_owned())
            })
            .collect()
    };
    let nodes = list("x-forwarded-for");
    if nodes.is_empty() {
        return None;
    }
    let protos = list("x-forwarded-proto");
    let aligned = protos.len() == nodes.len();
    let hops = nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let proto = if aligned {
                protos.get(i)
            } else {
                protos.last()
            };
            Hop {
                node: parse_node(node),
                proto: proto.and_then(|p| parse_proto(p)),
            }
        })
        .collect();
    Some(hops)
}

/// A node of RFC 7239 §6: `192.0.2.43`, `192.0.2.43:47011`, `[2001:db8::1]` or
/// `[2001:db8::1]:4711`; `unknown` and obfuscated identifiers are not addresses.
fn parse_node(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix('[') {
        let (addr, _) = rest.split_once(']')?;
        return addr.parse().ok().map(|ip: IpAddr| ip.to_canonical());
    }
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    text.parse::<SocketAddr>()
        .ok()
        .map(|s| s.ip().to_canonical())
}

fn parse_proto(text: &str) -> Option<String> {
    let proto = text.trim().to_ascii_lowercase();
    matches!(proto.as_str(), "http" | "https").then_some(proto)
}

/// The client address as text (`unknown` without connection info): what throttling and
/// the audit trail key on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(client_ip(parts)))
    }
}

/// The one computation of the client IP (`unknown` when the server runs without the
/// connection's address, as in some tests); pages read it through their context.
pub fn client_ip(parts: &Parts) -> String {
    origin_of(parts)
        .ip
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// The resolved origin of a request: from the connection info and the trusted proxies
/// the router was built with (an `Extension`).
pub fn origin_of(parts: &Parts) -> Origin {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let empty = TrustedProxies::default();
    let trusted = parts
        .extensions
        .get::<Arc<TrustedProxies>>()
        .map_or(&empty, |t| t.as_ref());
    resolve(peer, &parts.headers, trusted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("ip")
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).expect("value"));
        }
        map
    }

    fn proxies() -> TrustedProxies {
        TrustedProxies::parse(&["10.0.0.0/8", "fd00::/8", "192.0.2.7"]).expect("cidrs")
    }

    fn client(peer: &str, pairs: &[(&'static str, &str)]) -> Origin {
        resolve(Some(ip(peer)), &headers(pairs), &proxies())
    }

    #[test]
    fn cidr_blocks_match_their_addresses() {
        let block = Cidr::parse("10.1.0.0/16").expect("block");
        assert!(block.contains(ip("10.1.255.3")));
        assert!(!block.contains(ip("10.2.0.1")));
        assert!(block.contains(ip("::ffff:10.1.0.9")), "IPv4-mapped peers");
        assert!(
            Cidr::parse("0.0.0.0/0")
                .expect("all")
                .contains(ip("8.8.8.8"))
        );
        assert!(Cidr::parse("fd00::/8").expect("v6").contains(ip("fd12::1")));
        assert!(
            !Cidr::parse("fd00::/8")
                .expect("v6")
                .contains(ip("10.0.0.1"))
        );
        for bad in ["10.0.0.0/33", "nonsense", "10.0.0.0/x", "::/129", ""] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let origin = client(
            "203.0.113.9",
            &[
                ("x-forwarded-for", "1.2.3.4"),
                ("forwarded", "for=5.6.7.8;proto=https"),
                ("x-forwarded-proto", "https"),
            ],
        );
        assert_eq!(origin.ip, Some(ip("203.0.113.9")));
        assert_eq!(origin.forwarded_proto, None);
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let origin = client(
            "10.0.0.2",
            &[
                ("x-forwarded-for", "198.51.100.4"),
                ("x-forwarded-proto", "https"),
            ],
        );
        assert_eq!(origin.ip, Some(ip("198.51.100.4")));
        assert_eq!(origin.forwarded_proto.as_deref(), Some("https"));
    }

    #[test]
    fn the_walk_skips_trusted_hops_from_the_right_and_ignores_spoofed_left_entries() {
        let origin = client(
            "10.0.0.2",
            &[(
                "x-forwarded-for",
                "6.6.6.6, 198.51.100.4, 10.9.9.9, 192.0.2.7",
            )],
        );
        assert_eq!(origin.ip, Some(ip("198.51.100.4")));
        let all_trusted = client("10.0.0.2", &[("x-forwarded-for", "10.1.1.1, 10.2.2.2")]);
        assert_eq!(all_trusted.ip, Some(ip("10.1.1.1")));
    }

    #[test]
    fn forwarded_is_preferred_and_parsed_per_rfc_7239() {
        let origin = client(
            "10.0.0.2",
            &[
                ("x-forwarded-for", "6.6.6.6"),
                (
                    "forwarded",
                    "for=6.6.6.6, for=\"[2001:db8::17]:4711\";proto=https;by=10.0.0.2",
                ),
                ("forwarded", "For=10.3.3.3:80;proto=http"),
            ],
        );
        assert_eq!(origin.ip, Some(ip("2001:db8::17")));
        assert_eq!(origin.forwarded_proto.as_deref(), Some("https"));
    }

    #[test]
    fn malformed_entries_stop_at_the_last_checked_address() {
        let junk = client("10.0.0.2", &[("x-forwarded-for", "1.2.3.4, not-an-ip")]);
        assert_eq!(junk.ip, Some(ip("10.0.0.2")));
        let behind = client(
            "10.0.0.2",
            &[("x-forwarded-for", "1.2.3.4, garbage, 10.4.4.4")],
        );
        assert_eq!(behind.ip, Some(ip("10.4.4.4")));
        let unknown = client("10.0.0.2", &[("forwarded", "for=unknown")]);
        assert_eq!(unknown.ip, Some(ip("10.0.0.2")));
        let empty = client("10.0.0.2", &[("x-forwarded-for", "")]);
        assert_eq!(empty.ip, Some(ip("10.0.0.2")));
        let bad_proto = client(
            "10.0.0.2",
            &[
                ("x-forwarded-for", "1.2.3.4"),
                ("x-forwarded-proto", "gopher"),
            ],
        );
        assert_eq!(bad_proto.ip, Some(ip("1.2.3.4")));
        assert_eq!(bad_proto.forwarded_proto, None);
    }

    #[test]
    fn without_connection_info_the_client_is_unknown() {
        let origin = resolve(
            None,
            &headers(&[("x-forwarded-for", "1.2.3.4")]),
            &proxies(),
        );
        assert_eq!(origin.ip, None);
    }
}
