//! Which IP addresses a fetch may connect to: public unicast only. Refused are the
//! unspecified, loopback, private (RFC 1918, RFC 4193), shared (RFC 6598), link-local
//! (RFC 3927, RFC 4291 §2.5.6), multicast, broadcast, documentation and reserved ranges,
//! and IPv4 addresses carried in IPv6 (mapped, NAT64 well-known prefix) by their IPv4
//! rules.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether a fetch may connect to `ip`; `loopback_allowed` lets loopback through.
pub fn is_public(ip: IpAddr, loopback_allowed: bool) -> bool {
    if ip.is_loopback() || ipv4_inside(ip).is_some_and(|v4| v4.is_loopback()) {
        return loopback_allowed;
    }
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match ipv4_inside(ip) {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first & 0xffc0) == 0xfec0
        || first == 0x2001 && ip.segments()[1] == 0x0db8)
}

/// The IPv4 address an IPv6 address carries: `::ffff:a.b.c.d`, `::a.b.c.d` and the
/// NAT64 prefix `64:ff9b::/96` (RFC 6052).
fn ipv4_inside(ip: IpAddr) -> Option<Ipv4Addr> {
    let IpAddr::V6(v6) = ip else {
        return None;
    };
    if let Some(v4) = v6.to_ipv4_mapped() {
        return Some(v4);
    }
    let s = v6.segments();
    let nat64 = s[0] == 0x64 && s[1] == 0xff9b && s[2..6].iter().all(|x| *x == 0);
    let compatible = s[..6].iter().all(|x| *x == 0) && s[6] != 0;
    (nat64 || compatible)
        .then(|| Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(text: &str) -> bool {
        is_public(text.parse().expect("ip"), false)
    }

    #[test]
    fn internal_ranges_are_refused() {
        for ip in [
            "127.0.0.1",
            "127.8.9.10",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "192.0.2.2",
            "::",
            "::1",
            "fe80::1",
            "fd00::2",
            "fc00::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "2001:db8::1",
        ] {
            assert!(!public(ip), "{ip}");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for ip in [
            "93.184.215.14",
            "1.1.1.1",
            "172.32.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(public(ip), "{ip}");
        }
    }

    #[test]
    fn the_allowance_admits_loopback_only() {
        for ip in ["127.0.0.1", "::1", "::ffff:127.0.0.1"] {
            assert!(is_public(ip.parse().expect("ip"), true), "{ip}");
        }
        for ip in ["10.0.0.1", "169.254.169.254", "fd00::2", "0.0.0.0"] {
            assert!(!is_public(ip.parse().expect("ip"), true), "{ip}");
        }
    }
}
