//! Standard claims of an account (OIDC Core §5.1), released by scope (§5.4) and by the
//! `claims` request parameter (§5.5). When an access token is issued the scope claims go
//! to userinfo only; the ID token carries only what `claims.id_token` asked for (§5.4).

use crate::model::Account;
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

/// Claims a scope value stands for (OIDC Core §5.4).
pub fn claims_of_scope(scope: &str) -> &'static [&'static str] {
    match scope {
        "profile" => PROFILE,
        "email" => EMAIL,
        "address" => ADDRESS,
        "phone" => PHONE,
        _ => &[],
    }
}

/// Every standard claim this provider can release.
fn known(name: &str) -> Option<&'static str> {
    [PROFILE, EMAIL, ADDRESS, PHONE]
        .into_iter()
        .flatten()
        .copied()
        .find(|known| *known == name)
}

/// Names of the claims to release to `target`: those of the scope when `by_scope`, plus
/// the standard claims the `claims` request names for the target.
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
            .filter_map(|name| known(name)),
    );
    names
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
