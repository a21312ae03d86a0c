//! The TLS side of the certificate listener: its server certificate, and a handshake
//! that asks the browser for a client certificate (RFC 8446 §4.3.2) without requiring
//! one and without judging its chain. The handshake only establishes that the client
//! holds the certificate's private key (its `CertificateVerify` signature is checked
//! here); whether the certificate is trusted, valid, unrevoked and fit for sign-in is
//! decided afterwards by the provider's own chain validation, so that each failure gets
//! its own page instead of a broken TLS connection. Certificate authorities are not
//! listed in the request, so browsers offer every certificate they hold.

use crate::error::{CliError, CliResult};
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme};
use std::path::Path;
use std::sync::Arc;
use tokio_rustls::TlsAcceptor;

/// Accepts any client certificate, or none, whose key signed the handshake.
#[derive(Debug)]
struct AnyClientCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for AnyClientCertificate {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The acceptor of the certificate listener, serving `cert` (PEM chain, leaf first)
/// with `key` (PEM).
pub fn acceptor(cert: &Path, key: &Path) -> CliResult<TlsAcceptor> {
    let unreadable = |what: &str, path: &Path, e: &dyn std::fmt::Display| {
        CliError::Config(format!("certificates.{what}: {}: {e}", path.display()))
    };
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|items| items.collect::<Result<Vec<_>, _>>())
        .map_err(|e| unreadable("mtls_cert", cert, &e))?;
    if chain.is_empty() {
        return Err(unreadable("mtls_cert", cert, &"no certificate in the file"));
    }
    let private = PrivateKeyDer::from_pem_file(key).map_err(|e| unreadable("mtls_key", key, &e))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = AnyClientCertificate {
        algorithms: provider.signature_verification_algorithms,
    };
    let mut config = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| CliError::Config(format!("certificates: TLS: {e}")))?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(chain, private)
        .map_err(|e| unreadable("mtls_cert", cert, &e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
