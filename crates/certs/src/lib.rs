//! X.509 certificates for sign-in: reading them ([`Certificate`]), the identity they
//! carry ([`Identity`], with the Russian identifiers of qualified certificates), the
//! trusted roots, intermediates and CRLs of the operator ([`TrustStore`], path validation
//! by RFC 5280 §6), and the CMS EnvelopedData that carries a challenge to the holder of
//! the certificate's key ([`envelope`], RFC 5652 §6, RFC 5753), or the detached
//! signature over a challenge by keys that can only sign ([`verify_detached`], §5).
//!
//! GOST R 34.10-2012 certificates go through the system OpenSSL with its GOST engine
//! when the crate is built with the `gost` feature ([`gost`]); without it they are
//! refused as [`CertError::UnsupportedKey`] ([`GOST_UNSUPPORTED`]).
//!
//! Kept apart from the protocol engine so that the ASN.1 and PKI code builds once.

mod envelope;
mod error;
#[cfg(feature = "gost")]
pub mod gost;
mod identity;
mod mtls;
mod parse;
#[cfg(all(test, feature = "test-support"))]
mod properties;
mod signed;
mod trust;

pub use envelope::{RsaPadding, envelope};
pub use error::CertError;
pub use identity::Identity;
pub use mtls::{AltNames, PublicKeyParts};
pub use parse::{Certificate, normalize_thumbprint, sha1_hex};
pub use signed::{read_signature, signed_data_certificates, verify_detached};
pub use trust::{TrustStore, TrustedFile};

#[cfg(feature = "test-support")]
pub mod test_gost;
#[cfg(feature = "test-support")]
pub mod test_pki;

/// Why a GOST certificate is refused by a build without the `gost` feature.
pub const GOST_UNSUPPORTED: &str =
    "GOST R 34.10-2012 keys need a build of Propusk with the gost feature";
