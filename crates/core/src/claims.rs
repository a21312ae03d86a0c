//! Standard claims of an account (OIDC Core §5.1), released by scope (§5.4) and by the
//! `claims` request parameter (§5.5). When an access token is issued the scope claims go
//! to userinfo only; the ID token carries only what `claims.id_token` asked for (§5.4).
//!
//! The Russian identifiers in the account's bound certificates — `inn` (of the person),
//! `inn_le` (of the legal entity), `ogrn`, `ogrnip`, `snils` — are claims of the scope
//! [`CERTIFICATE_SCOPE`]. A client gets them only when that scope is granted, which needs
//! it in the client's registered scope (the allow-list, `crate::scope::client_scope`);
//! the `claims` request may then put them into the ID token too.

use crate::model::{Account, CertificateBinding};
use propusk_types::scope::Scope;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Where the claims are going (the member of the `claims` request, §5.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    IdToken,
    Userinfo,
}

impl Target {
    fn member(self) -> &'static str {
        match self {
            Self::IdToken => "id_token",
            Self::Userinfo => "userinfo",
        }
    }
}

const PROFILE: &[&str] = &[
    "name",
    "family_name",
    "given_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "updated_at",
];
const EMAIL: &[&str] = &["email", "email_verified"];
const ADDRESS: &[&str] = &["address"];
const PHONE: &[&str] = &["phone_number", "phone_number_verified"];
/// The scope of the identifiers in the account's certificates.
pub const CERTIFICATE_SCOPE: &str = propusk_types::scope::CERTIFICATE;
/// The claims of [`CERTIFICATE_SCOPE`].
pub const CERTIFICATE: &[&str] = &["inn", "inn_le", "ogrn", "ogrnip", "snils"];

/// Claims a scope value stands for (OIDC Core §5.4).
pub fn claims_of_scope(scope: &str) -> &'static [&'static str] {
    match scope {
        "profile" => PROFILE,
        "email" => EMAIL,
        "address" => ADDRESS,
        "phone" => PHONE,
        CERTIFICATE_SCOPE => CERTIFICATE,
        _ => &[],
    }
}

/// Every standard claim this provider can release.
fn known(name: &str) -> Option<&'static str> {
    [PROFILE, EMAIL, ADDRESS, PHONE, CERTIFICATE]
        .into_iter()
        .flatten()
        .copied()
        .find(|known| *known == name)
}

/// Names of the claims to release to `target`: those of the scope when `by_scope`, plus
/// the standard claims the `claims` request names for the target. The certificate claims
/// only with [`CERTIFICATE_SCOPE`] granted.
pub fn requested(
    scope: &Scope,
    claims_request: Option<&Value>,
    target: Target,
    by_scope: bool,
) -> BTreeSet<&'static str> {
    let mut names = BTreeSet::new();
    if by_scope {
        names.extend(scope.iter().flat_map(claims_of_scope));
    }
    let asked = claims_request
        .and_then(|c| c.get(target.member()))
        .and_then(Value::as_object);
    names.extend(
        asked
            .into_iter()
            .flat_map(|members| members.keys())
            .filter_map(|name| known(name))
            .filter(|name| !CERTIFICATE.contains(name) || scope.contains(CERTIFICATE_SCOPE)),
    );
    names
}

/// Whether any of `names` is a certificate claim (the bound certificates must be read).
pub fn wants_certificate(names: &BTreeSet<&'static str>) -> bool {
    names.iter().any(|name| CERTIFICATE.contains(name))
}

/// Values of the named certificate claims: of the account's unexpired certificates, the
/// most recently bound one that carries the identifier.
pub fn certificate_claims(
    bound: &[CertificateBinding],
    now: crate::clock::Timestamp,
    names: &BTreeSet<&'static str>,
) -> Map<String, Value> {
    let mut live: Vec<&CertificateBinding> = bound.iter().filter(|b| b.not_after > now).collect();
    live.sort_by_key(|b| std::cmp::Reverse(b.created_at));
    names
        .iter()
        .filter(|name| CERTIFICATE.contains(name))
        .filter_map(|name| {
            live.iter()
                .find_map(|b| {
                    let id = &b.identity;
                    match *name {
                        "inn" => id.inn.clone(),
                        "inn_le" => id.inn_legal.clone(),
                        "ogrn" => id.ogrn.clone(),
                        "ogrnip" => id.ogrnip.clone(),
                        "snils" => id.snils.clone(),
                        _ => None,
                    }
                })
                .map(|value| ((*name).to_owned(), Value::String(value)))
        })
        .collect()
}

/// Values of the named claims that the account has.
pub fn standard_claims(account: &Account, names: &BTreeSet<&'static str>) -> Map<String, Value> {
    names
        .iter()
        .filter_map(|name| claim(account, name).map(|value| ((*name).to_owned(), value)))
        .collect()
}

fn text(value: &Option<String>) -> Option<Value> {
    value.as_ref().map(|v| Value::String(v.clone()))
}

fn claim(account: &Account, name: &str) -> Option<Value> {
    let profile = &account.profile;
    match name {
        "name" => text(&profile.name),
        "family_name" => text(&profile.family_name),
        "given_name" => text(&profile.given_name),
        "middle_name" => text(&profile.middle_name),
        "nickname" => text(&profile.nickname),
        "preferred_username" => Some(Value::String(account.login.clone())),
        "picture" => text(&profile.picture),
        "website" => text(&profile.website),
        "gender" => text(&profile.gender),
        "birthdate" => text(&profile.birthdate),
        "zoneinfo" => text(&profile.zoneinfo),
        "locale" => text(&profile.locale),
        "updated_at" => Some(Value::from(account.updated_at)),
        "email" => text(&account.email),
        "email_verified" => account
            .email
            .as_ref()
            .map(|_| Value::Bool(profile.email_verified)),
        "phone_number" => text(&account.phone),
        "phone_number_verified" => account
            .phone
            .as_ref()
            .map(|_| Value::Bool(profile.phone_number_verified)),
        "address" => profile.address.clone(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Profile;
    use serde_json::json;

    fn account() -> Account {
        Account {
            id: "a1".into(),
            login: "alice".into(),
            email: Some("alice@example.com".into()),
            phone: None,
            password_hash: None,
            profile: Profile {
                name: Some("Alice".into()),
                email_verified: true,
                ..Profile::default()
            },
            disabled: false,
            created_at: 1,
            updated_at: 2,
        }
    }

    #[test]
    fn scope_releases_its_claims() {
        let scope = Scope::parse("openid email").expect("scope");
        let names = requested(&scope, None, Target::Userinfo, true);
        let claims = standard_claims(&account(), &names);
        assert_eq!(
            Value::Object(claims),
            json!({"email": "alice@example.com", "email_verified": true})
        );
    }

    #[test]
    fn id_token_gets_only_claims_requested_for_it() {
        let scope = Scope::parse("openid profile").expect("scope");
        let request = json!({"id_token": {"name": {"essential": true}, "acr": null, "bogus": null}, "userinfo": {"email": null}});
        let names = requested(&scope, Some(&request), Target::IdToken, false);
        assert_eq!(names.into_iter().collect::<Vec<_>>(), ["name"]);
        let names = requested(&Scope::default(), Some(&request), Target::Userinfo, true);
        assert_eq!(names.into_iter().collect::<Vec<_>>(), ["email"]);
    }

    fn binding(created_at: i64, not_after: i64, inn: &str) -> CertificateBinding {
        CertificateBinding {
            thumbprint: format!("{created_at:040}"),
            account_id: "a1".into(),
            der: Vec::new(),
            subject: "CN=Alice".into(),
            issuer: "CN=CA".into(),
            identity: propusk_certs::Identity {
                inn: Some(inn.into()),
                snils: Some("11223344595".into()),
                ..propusk_certs::Identity::default()
            },
            not_after,
            created_at,
        }
    }

    #[test]
    fn certificate_claims_need_their_scope() {
        let request = json!({"id_token": {"inn": null, "snils": null, "name": null}});
        let without = Scope::parse("openid profile").expect("scope");
        let names = requested(&without, Some(&request), Target::IdToken, false);
        assert_eq!(names.into_iter().collect::<Vec<_>>(), ["name"]);
        let with = Scope::parse("openid certificate").expect("scope");
        let names = requested(&with, Some(&request), Target::IdToken, false);
        assert!(wants_certificate(&names));
        assert_eq!(
            names.into_iter().collect::<Vec<_>>(),
            ["inn", "name", "snils"]
        );
        let names = requested(&with, None, Target::Userinfo, true);
        assert_eq!(names.len(), CERTIFICATE.len());
    }

    #[test]
    fn certificate_claims_come_from_the_newest_live_certificate() {
        let names = requested(
            &Scope::parse("certificate").expect("scope"),
            None,
            Target::Userinfo,
            true,
        );
        let bound = [
            binding(10, 1_000, "111"),
            binding(20, 1_000, "222"),
            binding(30, 50, "333"),
        ];
        let claims = certificate_claims(&bound, 100, &names);
        assert_eq!(
            Value::Object(claims),
            json!({"inn": "222", "snils": "11223344595"})
        );
        assert!(certificate_claims(&bound, 2_000, &names).is_empty());
    }

    #[test]
    fn absent_values_are_left_out() {
        let names = requested(
            &Scope::parse("phone profile").expect("scope"),
            None,
            Target::Userinfo,
            true,
        );
        let claims = standard_claims(&account(), &names);
        assert!(!claims.contains_key("phone_number_verified"));
        assert!(!claims.contains_key("picture"));
        assert_eq!(claims["preferred_username"], "alice");
        assert_eq!(claims["updated_at"], 2);
    }
}
