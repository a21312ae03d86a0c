//! What RFC 8705 reads from a client certificate: the SHA-256 thumbprint that binds an
//! access token to it (§3.1, `x5t#S256`), the subject alternative names that
//! `tls_client_auth` matches (§2.1.2), and the raw public key that
//! `self_signed_tls_client_auth` compares with the client's registered JWKs (§2.2).

use crate::parse::Certificate;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use der::Decode;
use der::asn1::UintRef;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;

const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const ED25519: &str = "1.3.101.112";
const P256: &str = "1.2.840.10045.3.1.7";
const P384: &str = "1.3.132.0.34";
const P521: &str = "1.3.132.0.35";

/// The subject alternative names of a certificate, by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AltNames {
    pub dns: Vec<String>,
    pub uris: Vec<String>,
    /// IP addresses in their textual form (`192.0.2.1`, `2001:db8::1`).
    pub ips: Vec<String>,
    pub emails: Vec<String>,
}

/// A certificate's public key in the members a JWK carries (big-endian bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicKeyParts {
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    Ec {
        crv: &'static str,
        x: Vec<u8>,
        y: Vec<u8>,
    },
    Ed25519 {
        x: Vec<u8>,
    },
}

/// `RSAPublicKey` (RFC 8017 §A.1.1).
#[derive(der::Sequence)]
struct RsaPublicKey<'a> {
    modulus: UintRef<'a>,
    public_exponent: UintRef<'a>,
}

impl Certificate {
    /// base64url SHA-256 of the DER: the `x5t#S256` of RFC 8705 §3.1.
    pub fn x5t_s256(&self) -> String {
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, self.der());
        URL_SAFE_NO_PAD.encode(digest.as_ref())
    }

    pub fn alt_names(&self) -> AltNames {
        let mut names = AltNames::default();
        let Ok(Some((_, san))) = self.parsed().tbs_certificate.get::<SubjectAltName>() else {
            return names;
        };
        for name in san.0 {
            match name {
                GeneralName::DnsName(dns) => names.dns.push(dns.to_string()),
                GeneralName::UniformResourceIdentifier(uri) => names.uris.push(uri.to_string()),
                GeneralName::Rfc822Name(mail) => names.emails.push(mail.to_string()),
                GeneralName::IpAddress(bytes) => {
                    if let Some(ip) = ip_text(bytes.as_bytes()) {
                        names.ips.push(ip);
                    }
                }
                _ => {}
            }
        }
        names
    }

    /// The public key, for RSA, EC (P-256/384/521, uncompressed) and Ed25519 keys.
    pub fn public_key_parts(&self) -> Option<PublicKeyParts> {
        let info = &self.parsed().tbs_certificate.subject_public_key_info;
        let bits = info.subject_public_key.as_bytes()?;
        match info.algorithm.oid.to_string().as_str() {
            RSA_ENCRYPTION => {
                let key = RsaPublicKey::from_der(bits).ok()?;
                Some(PublicKeyParts::Rsa {
                    n: key.modulus.as_bytes().to_vec(),
                    e: key.public_exponent.as_bytes().to_vec(),
                })
            }
            EC_PUBLIC_KEY => {
                let curve = info
                    .algorithm
                    .parameters
                    .as_ref()?
                    .decode_as::<der::asn1::ObjectIdentifier>()
                    .ok()?;
                let (crv, size) = match curve.to_string().as_str() {
                    P256 => ("P-256", 32),
                    P384 => ("P-384", 48),
                    P521 => ("P-521", 66),
                    _ => return None,
                };
                let point = bits.strip_prefix(&[0x04])?;
                if point.len() != 2 * size {
                    return None;
                }
                let (x, y) = point.split_at(size);
                Some(PublicKeyParts::Ec {
                    crv,
                    x: x.to_vec(),
                    y: y.to_vec(),
                })
            }
            ED25519 => Some(PublicKeyParts::Ed25519 { x: bits.to_vec() }),
            _ => None,
        }
    }
}

fn ip_text(bytes: &[u8]) -> Option<String> {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        return Some(std::net::Ipv4Addr::from(v4).to_string());
    }
    let v6 = <[u8; 16]>::try_from(bytes).ok()?;
    Some(std::net::Ipv6Addr::from(v6).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_addresses_as_text() {
        assert_eq!(ip_text(&[192, 0, 2, 1]).as_deref(), Some("192.0.2.1"));
        assert_eq!(ip_text(&[1, 2, 3]), None);
        let mut v6 = [0u8; 16];
        v6[15] = 1;
        assert_eq!(ip_text(&v6).as_deref(), Some("::1"));
    }
}
