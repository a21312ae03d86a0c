use super::*;
use serde_json::json;

fn metadata(value: serde_json::Value) -> ClientMetadata {
    serde_json::from_value(value).expect("metadata parses")
}

fn check(value: serde_json::Value) -> Checked<ValidClientMetadata> {
    metadata(value).validate(&MetadataLimits::default())
}

fn refused(value: serde_json::Value) -> (ErrorCode, &'static str) {
    let error = check(value.clone()).expect_err(&value.to_string());
    (error.code, error.field)
}

const RSA_PUBLIC: &str = r#"{"keys":[{"kty":"RSA","kid":"1","n":"sXch","e":"AQAB"}]}"#;

fn rsa_public() -> serde_json::Value {
    serde_json::from_str(RSA_PUBLIC).expect("json")
}

#[test]
fn defaults_make_a_confidential_web_code_client() {
    let valid = check(json!({"redirect_uris": ["https://app.example/cb"]})).expect("valid");
    assert_eq!(valid.kind, ClientKind::Confidential);
    assert_eq!(valid.auth_method, AuthMethod::ClientSecretBasic);
    assert_eq!(valid.application_type, ApplicationType::Web);
    assert_eq!(valid.grant_types, vec![GrantType::AuthorizationCode]);
    assert_eq!(valid.subject_type, SubjectType::Public);
    assert_eq!(valid.lifetimes, Lifetimes::default());
    let client = valid.into_client("c1", &Scope::parse("openid").expect("scope"), 7);
    assert_eq!(client.name, "c1");
    assert_eq!(client.scope.to_string(), "openid");
    assert_eq!(client.created_at, 7);
}

#[test]
fn redirect_uris_follow_the_application_type() {
    for bad in [
        "https://app.example/cb#frag",
        "https://*.app.example/cb",
        "http://app.example/cb",
        "javascript:alert(1)",
        "data:text/html,hi",
        "file:///etc/passwd",
        "com.example.app:/cb",
        "/relative",
    ] {
        assert_eq!(
            refused(json!({"redirect_uris": [bad]})),
            (ErrorCode::InvalidRedirectUri, "redirect_uris"),
            "{bad}"
        );
    }
    let native = check(json!({
        "application_type": "native",
        "redirect_uris": ["com.example.app:/cb", "http://127.0.0.1/cb", "https://app.example/c"]
    }))
    .expect("native");
    assert_eq!(native.kind, ClientKind::Public);
    assert_eq!(native.auth_method, AuthMethod::None);
    assert_eq!(
        refused(json!({"redirect_uris": ["https://a.example/cb"],
                       "post_logout_redirect_uris": ["javascript:alert(1)"]})),
        (ErrorCode::InvalidRedirectUri, "post_logout_redirect_uris")
    );
    assert_eq!(
        refused(json!({})),
        (ErrorCode::InvalidRedirectUri, "redirect_uris")
    );
}

#[test]
fn unknown_enumerated_values_are_invalid_metadata() {
    let base = |extra: serde_json::Value| {
        let mut value = json!({"redirect_uris": ["https://app.example/cb"]});
        if let (Some(target), Some(source)) = (value.as_object_mut(), extra.as_object()) {
            target.extend(source.clone());
        }
        value
    };
    for (extra, field) in [
        (json!({"grant_types": ["implicit"]}), "grant_types"),
        (json!({"grant_types": []}), "grant_types"),
        (json!({"response_types": ["token"]}), "response_types"),
        (
            json!({"grant_types": ["client_credentials"], "response_types": ["code"]}),
            "response_types",
        ),
        (
            json!({"token_endpoint_auth_method": "client_secret_jwt"}),
            "token_endpoint_auth_method",
        ),
        (json!({"application_type": "tv"}), "application_type"),
        (json!({"subject_type": "random"}), "subject_type"),
        (
            json!({"id_token_signed_response_alg": "none"}),
            "id_token_signed_response_alg",
        ),
        (json!({"scope": "a\"b"}), "scope"),
        (json!({"client_name": " "}), "client_name"),
    ] {
        assert_eq!(
            refused(base(extra.clone())),
            (ErrorCode::InvalidClientMetadata, field),
            "{extra}"
        );
    }
}

#[test]
fn grants_outside_the_operator_limits_are_refused() {
    let limits = MetadataLimits {
        grant_types: vec![GrantType::AuthorizationCode],
        ..MetadataLimits::default()
    };
    let error = metadata(json!({"redirect_uris": ["https://a.example/cb"],
                                "grant_types": ["authorization_code", "password"]}))
    .validate(&limits)
    .expect_err("password is not allowed");
    assert_eq!(error.code, ErrorCode::InvalidClientMetadata);
    assert_eq!(error.field, "grant_types");
}

#[test]
fn public_clients_cannot_use_client_credentials() {
    assert_eq!(
        refused(json!({"grant_types": ["client_credentials"],
                       "token_endpoint_auth_method": "none"})),
        (ErrorCode::InvalidClientMetadata, "grant_types")
    );
    let service = check(json!({"grant_types": ["client_credentials"]})).expect("service");
    assert_eq!(service.kind, ClientKind::Confidential);
    assert!(service.redirect_uris.is_empty());
}

#[test]
fn keys_are_public_jwks_or_one_https_jwks_uri() {
    let pkj = |extra: serde_json::Value| {
        let mut value = json!({"redirect_uris": ["https://app.example/cb"],
                               "token_endpoint_auth_method": "private_key_jwt"});
        if let (Some(target), Some(source)) = (value.as_object_mut(), extra.as_object()) {
            target.extend(source.clone());
        }
        value
    };
    let by_value = check(pkj(json!({"jwks": rsa_public()}))).expect("jwks");
    assert_eq!(by_value.jwks.map(|k| k.keys.len()), Some(1));
    let by_uri = check(pkj(json!({"jwks_uri": "https://app.example/jwks"}))).expect("uri");
    assert_eq!(by_uri.jwks_uri.as_deref(), Some("https://app.example/jwks"));
    for (extra, field) in [
        (
            json!({"jwks": rsa_public(), "jwks_uri": "https://app.example/jwks"}),
            "jwks",
        ),
        (json!({}), "jwks"),
        (json!({"jwks_uri": "http://app.example/jwks"}), "jwks_uri"),
        (json!({"jwks_uri": "http://127.0.0.1/jwks"}), "jwks_uri"),
        (
            json!({"jwks": {"keys": [{"kty": "RSA", "n": "x", "e": "AQAB", "d": "y"}]}}),
            "jwks",
        ),
        (
            json!({"jwks": {"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}}),
            "jwks",
        ),
        (json!({"jwks": {"keys": []}}), "jwks"),
    ] {
        assert_eq!(
            refused(pkj(extra.clone())),
            (ErrorCode::InvalidClientMetadata, field),
            "{extra}"
        );
    }
    assert_eq!(
        refused(json!({"redirect_uris": ["https://app.example/cb"], "jwks": rsa_public()})),
        (ErrorCode::InvalidClientMetadata, "jwks")
    );
    let limits = MetadataLimits {
        loopback_jwks_uri: true,
        ..MetadataLimits::default()
    };
    assert!(
        metadata(pkj(json!({"jwks_uri": "http://127.0.0.1:9/jwks"})))
            .validate(&limits)
            .is_ok()
    );
}

#[test]
fn shown_uris_are_https_only() {
    for field in ["logo_uri", "client_uri", "policy_uri", "tos_uri"] {
        for bad in [
            "http://app.example/x",
            "javascript:alert(1)",
            "https://app.example/x#f",
        ] {
            let mut value = json!({"redirect_uris": ["https://app.example/cb"]});
            value[field] = json!(bad);
            assert_eq!(
                refused(value),
                (ErrorCode::InvalidClientMetadata, field),
                "{field} {bad}"
            );
        }
    }
    let valid = check(json!({"redirect_uris": ["https://app.example/cb"],
                             "logo_uri": "https://app.example/logo.png",
                             "contacts": ["dev@app.example"]}))
    .expect("links");
    assert_eq!(
        valid.links.logo_uri.as_deref(),
        Some("https://app.example/logo.png")
    );
}

#[test]
fn logout_uris_are_https_or_loopback() {
    for field in ["backchannel_logout_uri", "frontchannel_logout_uri"] {
        for bad in [
            "javascript:alert(1)",
            "http://rp.example/logout",
            "https://rp.example/l#x",
        ] {
            let mut value = json!({"redirect_uris": ["https://app.example/cb"]});
            value[field] = json!(bad);
            assert_eq!(
                refused(value),
                (ErrorCode::InvalidClientMetadata, field),
                "{field} {bad}"
            );
        }
    }
}

#[test]
fn lifetimes_stay_within_the_limits() {
    let valid = check(json!({"redirect_uris": ["https://app.example/cb"],
                             "access_token_lifetime": 600}))
    .expect("valid");
    assert_eq!(valid.lifetimes.access_token, 600);
    for (field, value) in [
        ("access_token_lifetime", 0),
        ("access_token_lifetime", 24 * 3600 + 1),
        ("refresh_token_lifetime", -5),
        ("code_lifetime", 601),
    ] {
        let mut metadata = json!({"redirect_uris": ["https://app.example/cb"]});
        metadata[field] = json!(value);
        assert_eq!(refused(metadata), (ErrorCode::InvalidClientMetadata, field));
    }
}

#[test]
fn pairwise_clients_keep_to_one_host() {
    let valid = check(
        json!({"redirect_uris": ["https://a.example/1", "https://a.example/2"],
                             "subject_type": "pairwise"}),
    )
    .expect("one host");
    assert_eq!(valid.subject_type, SubjectType::Pairwise);
    assert_eq!(
        refused(
            json!({"redirect_uris": ["https://a.example/1", "https://b.example/2"],
                       "subject_type": "pairwise"})
        ),
        (ErrorCode::InvalidClientMetadata, "subject_type")
    );
    assert_eq!(
        refused(json!({"redirect_uris": ["https://a.example/1"],
                       "sector_identifier_uri": "https://a.example/s.json"})),
        (ErrorCode::InvalidClientMetadata, "sector_identifier_uri")
    );
}

#[test]
fn a_client_reads_back_as_metadata_that_validates_to_itself() {
    let first = check(json!({
        "redirect_uris": ["https://app.example/cb"],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "client_name": "App",
        "tos_uri": "https://app.example/tos",
        "scope": "openid email",
        "access_token_lifetime": 900
    }))
    .expect("valid");
    let client = first
        .clone()
        .into_client("app", &Scope::parse("openid").expect("scope"), 1);
    let again = ClientMetadata::of_client(&client)
        .validate(&MetadataLimits::default())
        .expect("round trip");
    assert_eq!(again, first);
}

#[test]
fn the_fapi2_profile_needs_private_key_jwt_and_a_strong_id_token_alg() {
    let fapi = |extra: serde_json::Value| {
        let mut value = json!({
            "redirect_uris": ["https://app.example/cb"],
            "token_endpoint_auth_method": "private_key_jwt",
            "jwks": rsa_public(),
            "id_token_signed_response_alg": "PS256",
            "profile": "fapi2",
        });
        for (k, v) in extra.as_object().expect("object") {
            value[k] = v.clone();
        }
        value
    };
    let valid = check(fapi(json!({"code_lifetime": 600}))).expect("valid");
    let client = valid.into_client("f", &Scope::parse("openid").expect("scope"), 0);
    assert_eq!(client.profile, crate::model::ClientProfile::Fapi2);
    assert!(client.requires_par() && client.requires_pkce() && client.requires_dpop());
    assert_eq!(client.code_lifetime(), 60, "codes live at most 60 s");
    let back = ClientMetadata::of_client(&client);
    assert_eq!(back.profile.as_deref(), Some("fapi2"));

    for bad in [
        json!({"token_endpoint_auth_method": "client_secret_basic", "jwks": null}),
        json!({"id_token_signed_response_alg": "RS256"}),
        json!({"id_token_signed_response_alg": null}),
        json!({"profile": "fapi3"}),
    ] {
        assert_eq!(
            refused(fapi(bad.clone())),
            (ErrorCode::InvalidClientMetadata, "profile"),
            "{bad}"
        );
    }
    // Without the profile, the same client keeps its registered settings.
    let plain = check(fapi(json!({"profile": null, "code_lifetime": 600}))).expect("valid");
    let client = plain.into_client("p", &Scope::parse("openid").expect("scope"), 0);
    assert!(!client.requires_par() && !client.requires_dpop() && !client.requires_pkce());
    assert_eq!(client.code_lifetime(), 600);
}
