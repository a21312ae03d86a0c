//! Who a certificate names: the common name, organisation and e-mail (RFC 5280 §4.1.2.6,
//! §4.2.1.6) and the identifiers of Russian qualified certificates (Order of the FSB
//! No. 795): INN of a person (1.2.643.3.131.1.1) and of a legal entity (1.2.643.100.4),
//! OGRN (1.2.643.100.1), OGRNIP (1.2.643.100.5) and SNILS (1.2.643.100.3).

use der::asn1::Any;
use der::{Tag, Tagged};
use serde::{Deserialize, Serialize};
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;

const COMMON_NAME: &str = "2.5.4.3";
const SURNAME: &str = "2.5.4.4";
const GIVEN_NAME: &str = "2.5.4.42";
const ORGANIZATION: &str = "2.5.4.10";
const EMAIL_ADDRESS: &str = "1.2.840.113549.1.9.1";
const INN: &str = "1.2.643.3.131.1.1";
const INN_LEGAL: &str = "1.2.643.100.4";
const OGRN: &str = "1.2.643.100.1";
const OGRNIP: &str = "1.2.643.100.5";
const SNILS: &str = "1.2.643.100.3";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inn_legal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ogrn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ogrnip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snils: Option<String>,
}

impl Identity {
    pub(crate) fn of(cert: &x509_cert::Certificate) -> Self {
        let tbs = &cert.tbs_certificate;
        let mut identity = Self::default();
        for rdn in tbs.subject.0.iter() {
            for atv in rdn.0.iter() {
                let Some(value) = text_of(&atv.value) else {
                    continue;
                };
                let slot = match atv.oid.to_string().as_str() {
                    COMMON_NAME => &mut identity.common_name,
                    SURNAME => &mut identity.surname,
                    GIVEN_NAME => &mut identity.given_name,
                    ORGANIZATION => &mut identity.organization,
                    EMAIL_ADDRESS => &mut identity.email,
                    INN => &mut identity.inn,
                    INN_LEGAL => &mut identity.inn_legal,
                    OGRN => &mut identity.ogrn,
                    OGRNIP => &mut identity.ogrnip,
                    SNILS => &mut identity.snils,
                    _ => continue,
                };
                slot.get_or_insert(value);
            }
        }
        if identity.email.is_none()
            && let Ok(Some((_, names))) = tbs.get::<SubjectAltName>()
        {
            identity.email = names.0.iter().find_map(|name| match name {
                GeneralName::Rfc822Name(mail) => Some(mail.to_string()),
                _ => None,
            });
        }
        identity
    }
}

/// The text of a directory string (UTF8, Printable, Numeric, IA5, Teletex as Latin-1,
/// BMP); `None` for other types.
fn text_of(value: &Any) -> Option<String> {
    let bytes = value.value();
    let text = match value.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::NumericString | Tag::Ia5String => {
            String::from_utf8(bytes.to_vec()).ok()?
        }
        Tag::TeletexString => bytes.iter().map(|&b| char::from(b)).collect(),
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            String::from_utf16(&units).ok()?
        }
        _ => return None,
    };
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}
