//! Building AWS-LC verification keys from public JWK members
//! ([RFC 7518 §6.2](https://www.rfc-editor.org/rfc/rfc7518#section-6.2) EC,
//! [§6.3](https://www.rfc-editor.org/rfc/rfc7518#section-6.3) RSA,
//! [RFC 8037 §2](https://www.rfc-editor.org/rfc/rfc8037#section-2) OKP) and checking one
//! signature with them.

use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED, ED25519, ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256,
    RSA_PSS_2048_8192_SHA256, RsaPublicKeyComponents,
};

use super::{Alg, JoseError, Jwk};
use crate::crypto::b64url_decode;

const MIN_RSA_BITS: usize = 2048;
const COORDINATE_LEN: usize = 32;

/// Whether `jwk` may be used to verify a signature made with `alg`: right `kty` and
/// `crv`, and `alg`/`use` absent or matching (RFC 7517 §4.2, §4.4).
pub(crate) fn is_usable_for(jwk: &Jwk, alg: Alg) -> bool {
    jwk.kty == alg.kty()
        && jwk.crv.as_deref() == alg.crv()
        && jwk.alg.as_deref().is_none_or(|a| a == alg.as_str())
        && jwk.use_.as_deref().is_none_or(|u| u == "sig")
}

/// The verification key for `alg` built from `jwk`; `InvalidKey` when its members are
/// unusable.
pub(crate) fn parse(alg: Alg, jwk: &Jwk) -> Result<ParsedPublicKey, JoseError> {
    match alg {
        Alg::RS256 => rsa(jwk, &RSA_PKCS1_2048_8192_SHA256),
        Alg::PS256 => rsa(jwk, &RSA_PSS_2048_8192_SHA256),
        Alg::ES256 => {
            let x = member(jwk.x.as_deref(), COORDINATE_LEN)?;
            let y = member(jwk.y.as_deref(), COORDINATE_LEN)?;
            let point = [&[0x04][..], &x, &y].concat();
            ParsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point).map_err(|_| JoseError::InvalidKey)
        }
        Alg::EdDSA => {
            let x = member(jwk.x.as_deref(), COORDINATE_LEN)?;
            ParsedPublicKey::new(&ED25519, x).map_err(|_| JoseError::InvalidKey)
        }
    }
}

fn rsa(
    jwk: &Jwk,
    params: &'static aws_lc_rs::signature::RsaParameters,
) -> Result<ParsedPublicKey, JoseError> {
    let n = unsigned(jwk.n.as_deref())?;
    let e = unsigned(jwk.e.as_deref())?;
    if bit_length(&n) < MIN_RSA_BITS {
        return Err(JoseError::InvalidKey);
    }
    RsaPublicKeyComponents { n, e }
        .to_parsed_public_key(params)
        .map_err(|_| JoseError::InvalidKey)
}

/// A base64url member of exactly `len` bytes.
fn member(value: Option<&str>, len: usize) -> Result<Vec<u8>, JoseError> {
    let bytes =
        b64url_decode(value.ok_or(JoseError::InvalidKey)?).map_err(|_| JoseError::InvalidKey)?;
    if bytes.len() != len {
        return Err(JoseError::InvalidKey);
    }
    Ok(bytes)
}

/// A base64urlUInt member: non-empty, minimal big-endian (RFC 7518 §2).
fn unsigned(value: Option<&str>) -> Result<Vec<u8>, JoseError> {
    let bytes =
        b64url_decode(value.ok_or(JoseError::InvalidKey)?).map_err(|_| JoseError::InvalidKey)?;
    match bytes.first() {
        Some(&first) if first != 0 => Ok(bytes),
        _ => Err(JoseError::InvalidKey),
    }
}

fn bit_length(minimal: &[u8]) -> usize {
    minimal
        .first()
        .map_or(0, |&b| minimal.len() * 8 - b.leading_zeros() as usize)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::crypto::b64url;

    fn ec(x: &[u8], y: &[u8]) -> Jwk {
        Jwk {
            kty: "EC".into(),
            crv: Some("P-256".into()),
            x: Some(b64url(x)),
            y: Some(b64url(y)),
            ..Jwk::default()
        }
    }

    #[test]
    fn usable_checks_kty_crv_alg_and_use() {
        let key = ec(&[1; 32], &[2; 32]);
        assert!(is_usable_for(&key, Alg::ES256));
        assert!(!is_usable_for(&key, Alg::RS256));
        assert!(!is_usable_for(&key, Alg::EdDSA));
        let enc = Jwk {
            use_: Some("enc".into()),
            ..key.clone()
        };
        assert!(!is_usable_for(&enc, Alg::ES256));
        let other_alg = Jwk {
            alg: Some("ES384".into()),
            ..key.clone()
        };
        assert!(!is_usable_for(&other_alg, Alg::ES256));
        let p384 = Jwk {
            crv: Some("P-384".into()),
            ..key
        };
        assert!(!is_usable_for(&p384, Alg::ES256));
    }

    #[test]
    fn rejects_bad_members() {
        let off_curve = ec(&[1; 32], &[2; 32]);
        assert!(matches!(
            parse(Alg::ES256, &off_curve),
            Err(JoseError::InvalidKey)
        ));
        let short = ec(&[1; 31], &[2; 32]);
        assert!(matches!(
            parse(Alg::ES256, &short),
            Err(JoseError::InvalidKey)
        ));
        let missing = Jwk {
            kty: "OKP".into(),
            ..Jwk::default()
        };
        assert!(matches!(
            parse(Alg::EdDSA, &missing),
            Err(JoseError::InvalidKey)
        ));
    }

    #[test]
    fn rsa_requires_minimal_encoding_and_2048_bits() {
        let mut n = vec![0xC5; 256];
        let e = Some(b64url(&[1, 0, 1]));
        let padded = Jwk {
            kty: "RSA".into(),
            n: Some(b64url(&[&[0][..], &n].concat())),
            e: e.clone(),
            ..Jwk::default()
        };
        assert!(matches!(
            parse(Alg::RS256, &padded),
            Err(JoseError::InvalidKey)
        ));
        n[0] = 0x01; // 2041 bits
        let small = Jwk {
            n: Some(b64url(&n)),
            ..padded
        };
        assert!(matches!(
            parse(Alg::RS256, &small),
            Err(JoseError::InvalidKey)
        ));
        assert_eq!(bit_length(&[0x80, 0]), 16);
        assert_eq!(bit_length(&[0x01]), 1);
    }

    #[test]
    fn rfc8037_appendix_a4_ed25519_vector() {
        let jwk = Jwk {
            kty: "OKP".into(),
            crv: Some("Ed25519".into()),
            x: Some("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo".into()),
            ..Jwk::default()
        };
        let input = b"eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
        let signature = b64url_decode(
            "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg",
        )
        .unwrap();
        let key = parse(Alg::EdDSA, &jwk).unwrap();
        assert!(key.verify_sig(input, &signature).is_ok());
        assert!(key.verify_sig(b"other", &signature).is_err());
    }
}
