use super::*;
use propusk_core::jose::Alg;
use propusk_core::model::TokenFormat;

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("propusk-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

fn env(vars: &[(&str, &str)]) -> EnvLayer {
    EnvLayer::from_vars(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))).expect("env")
}

fn error_of(result: CliResult<Settings>) -> String {
    result.expect_err("an error").to_string()
}

#[test]
fn defaults_are_the_embedded_setup() {
    let s = settings(&Sources::default()).expect("defaults are valid");
    assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(s.provider.issuer, "http://localhost:8080");
    assert_eq!(
        s.database_url.expose(),
        "sqlite://./data/propusk.db?mode=rwc"
    );
    assert!(
        matches!(&s.master_key, MasterKeySource::Embedded(p) if p == Path::new("./data/master.key"))
    );
    assert_eq!(s.provider.default_signing_alg, Alg::RS256);
    assert_eq!(s.provider.own_access_token_format, TokenFormat::Reference);
    assert_eq!(
        (s.provider.keys.prepublish, s.provider.keys.cache_ttl),
        (3600, 30)
    );
    assert_eq!(s.web.operator_name, "Propusk");
    assert!(!s.web.dev_mode);
    assert_eq!(s.log, "info");
}

#[test]
fn layers_override_in_order() {
    let file = temp_file(
        "layers.toml",
        r#"
issuer = "https://id.example"
data_dir = "/srv/propusk"
signing_alg = "ES256"
own_access_token_format = "jwt"
dev_mode = true
[keys]
prepublish_seconds = 10
cache_ttl_seconds = 5
[session]
lifetime_seconds = 100
idle_seconds = 50
[ui]
operator_name = "Example"
logo_url = "https://cdn.example/logo.svg"
"#,
    );
    let sources = Sources {
        file: Some(file),
        env: env(&[
            ("PROPUSK_KEYS__CACHE_TTL_SECONDS", "1"),
            ("PROPUSK_LISTEN", "0.0.0.0:9000"),
            ("HOME", "/x"),
        ]),
        flags: Overrides {
            listen: Some("127.0.0.1:0".into()),
            ..Overrides::default()
        },
    };
    let s = settings(&sources).expect("valid");
    assert_eq!(s.listen.to_string(), "127.0.0.1:0");
    assert_eq!(s.provider.issuer, "https://id.example");
    assert_eq!(
        s.database_url.expose(),
        "sqlite:///srv/propusk/propusk.db?mode=rwc"
    );
    assert_eq!(s.provider.default_signing_alg, Alg::ES256);
    assert_eq!(s.provider.own_access_token_format, TokenFormat::Jwt);
    assert_eq!(
        (s.provider.keys.prepublish, s.provider.keys.cache_ttl),
        (10, 1)
    );
    assert_eq!(
        (
            s.provider.session_lifetime,
            s.provider.session_idle_lifetime
        ),
        (100, 50)
    );
    assert_eq!(s.web.operator_name, "Example");
    assert_eq!(
        s.web.logo_url.as_deref(),
        Some("https://cdn.example/logo.svg")
    );
    assert!(s.web.dev_mode);
}

#[test]
fn a_logo_is_a_local_path_or_https() {
    for (logo, ok) in [
        ("/static/logo.svg", true),
        ("https://cdn.example/l.png", true),
        ("http://cdn.example/l.png", false),
        ("//cdn.example/l.png", false),
        ("javascript:alert(1)", false),
    ] {
        let config = Config {
            ui: UiSection {
                logo_url: Some(logo.into()),
                ..UiSection::default()
            },
            ..Config::default()
        };
        assert_eq!(config.validate().is_ok(), ok, "{logo}");
    }
}

#[test]
fn unknown_keys_in_the_file_are_named() {
    let top = temp_file(
        "unknown-top.toml",
        "listen = \"127.0.0.1:1\"\nlisten_port = 8080\n",
    );
    let err = error_of(check_file(&top));
    assert!(err.contains("listen_port"), "{err}");
    let nested = temp_file("unknown-nested.toml", "[keys]\nprepublish = 5\n");
    let err = error_of(check_file(&nested));
    assert!(
        err.contains("`prepublish`") && err.contains("\"keys.prepublish\""),
        "{err}"
    );
    let section = temp_file("unknown-section.toml", "[cache]\nttl = 5\n");
    let err = error_of(check_file(&section));
    assert!(err.contains("cache"), "{err}");
}

#[test]
fn unknown_environment_variables_are_left_out_and_named() {
    let sources = Sources {
        env: env(&[
            ("PROPUSK_PORT", "tcp://10.96.0.12:8080"),
            ("PROPUSK_SERVICE_HOST", "10.96.0.12"),
            ("PROPUSK_PORT_8080_TCP_ADDR", "10.96.0.12"),
            ("PROPUSK_KEYS__TTL", "8"),
            ("PROPUSK_LISTEN", "0.0.0.0:9000"),
            ("PROPUSK_KEYS__CACHE_TTL_SECONDS", "9"),
        ]),
        ..Sources::default()
    };
    let s = settings(&sources).expect("injected variables do not stop the start");
    let mut ignored = s.ignored_env.clone();
    ignored.sort();
    assert_eq!(
        ignored,
        [
            "PROPUSK_KEYS__TTL",
            "PROPUSK_PORT",
            "PROPUSK_PORT_8080_TCP_ADDR",
            "PROPUSK_SERVICE_HOST"
        ]
    );
    assert_eq!(s.listen.to_string(), "0.0.0.0:9000");
    assert_eq!(s.provider.keys.cache_ttl, 9);
}

#[test]
fn a_known_environment_variable_with_a_bad_value_is_still_an_error() {
    let sources = Sources {
        env: env(&[
            ("PROPUSK_SERVICE_HOST", "10.96.0.12"),
            ("PROPUSK_KEYS__CACHE_TTL_SECONDS", "soon"),
        ]),
        ..Sources::default()
    };
    let err = error_of(settings(&sources));
    assert!(err.contains("PROPUSK_KEYS__CACHE_TTL_SECONDS"), "{err}");
}

#[test]
fn http_and_metrics_sections_are_read_from_file_and_environment() {
    let file = temp_file(
        "http.toml",
        "[http]\nheader_read_timeout_seconds = 3\ntrusted_proxies = [\"10.0.0.0/8\"]\n\n[metrics]\nenabled = true\n",
    );
    let s = check_file(&file).expect("valid");
    assert_eq!(s.timeouts.header_read.as_secs(), 3);
    assert_eq!(s.timeouts.body_read.as_secs(), 30);
    assert!(
        s.web
            .trusted_proxies
            .contains("10.1.2.3".parse().expect("ip"))
    );
    assert_eq!(s.metrics, MetricsSettings::MainListener);

    let sources = Sources {
        env: env(&[
            ("PROPUSK_HTTP__TRUSTED_PROXIES", "192.0.2.0/24, fd00::/8"),
            ("PROPUSK_METRICS__LISTEN", "127.0.0.1:9100"),
        ]),
        ..Sources::default()
    };
    let s = settings(&sources).expect("valid");
    assert!(
        s.web
            .trusted_proxies
            .contains("fd00::1".parse().expect("ip"))
    );
    assert!(
        !s.web
            .trusted_proxies
            .contains("10.0.0.1".parse().expect("ip"))
    );
    assert_eq!(
        s.metrics,
        MetricsSettings::Listen("127.0.0.1:9100".parse().expect("addr"))
    );

    let bad = temp_file(
        "bad-proxy.toml",
        "[http]\ntrusted_proxies = [\"10.0.0.0/99\"]\n",
    );
    assert!(error_of(check_file(&bad)).contains("http.trusted_proxies"));
    let zero = temp_file("zero.toml", "[http]\nidle_timeout_seconds = 0\n");
    assert!(error_of(check_file(&zero)).contains("http.idle_timeout_seconds"));
}

#[test]
fn the_test_suite_variables_are_ignored() {
    let sources = Sources {
        env: env(&[
            ("PROPUSK_TEST_DATABASE_URL", "postgres://x"),
            ("PROPUSK_TEST_BIN", "/bin/true"),
            ("PROPUSK_BENCH_DATABASE_URL", "postgres://y"),
        ]),
        ..Sources::default()
    };
    assert!(settings(&sources).is_ok());
}

#[test]
fn string_keys_are_not_parsed_as_numbers() {
    let key = "0".repeat(64);
    let sources = Sources {
        env: env(&[("PROPUSK_MASTER_KEY", &key), ("PROPUSK_DATA_DIR", "123")]),
        ..Sources::default()
    };
    let s = settings(&sources).expect("valid");
    assert!(matches!(s.master_key, MasterKeySource::Inline(_)));
    assert_eq!(s.database_url.expose(), "sqlite://123/propusk.db?mode=rwc");
}

#[test]
fn secrets_can_come_from_files() {
    let url = temp_file("db-url", "postgres://u:p@db/propusk\n");
    let url = url.to_string_lossy().into_owned();
    let sources = Sources {
        env: env(&[("PROPUSK_DATABASE_URL_FILE", &url)]),
        ..Sources::default()
    };
    let s = settings(&sources).expect("valid");
    assert_eq!(s.database_url.expose(), "postgres://u:p@db/propusk");
    assert_eq!(format!("{:?}", s.database_url), "<redacted>");

    let both = EnvLayer::from_vars([
        ("PROPUSK_DATABASE_URL_FILE".to_owned(), url.clone()),
        (
            "PROPUSK_DATABASE_URL".to_owned(),
            "sqlite::memory:".to_owned(),
        ),
    ]);
    assert!(both.expect_err("error").to_string().contains("both"));

    let missing = EnvLayer::from_vars([(
        "PROPUSK_DATABASE_URL_FILE".to_owned(),
        "/nonexistent/x".to_owned(),
    )]);
    assert!(
        missing
            .expect_err("error")
            .to_string()
            .contains("/nonexistent/x")
    );

    let sources = Sources {
        env: env(&[("PROPUSK_MASTER_KEY_FILE", "/run/secrets/mk")]),
        ..Sources::default()
    };
    let s = settings(&sources).expect("valid");
    assert!(matches!(&s.master_key, MasterKeySource::File(p) if p == Path::new("/run/secrets/mk")));
}

#[test]
fn issuer_rules() {
    use super::validate::check_issuer;
    assert_eq!(
        check_issuer("https://id.example/").ok().as_deref(),
        Some("https://id.example")
    );
    assert_eq!(
        check_issuer("https://id.example/realm").ok().as_deref(),
        Some("https://id.example/realm")
    );
    assert!(check_issuer("http://127.0.0.1:8080").is_ok());
    assert!(check_issuer("http://[::1]:8080").is_ok());
    assert!(check_issuer("http://app.localhost").is_ok());
    let err = check_issuer("http://id.example")
        .expect_err("error")
        .to_string();
    assert!(err.contains("https is required"), "{err}");
    assert!(check_issuer("https://id.example/?a=b").is_err());
    assert!(check_issuer("https://id.example/#x").is_err());
    assert!(check_issuer("id.example").is_err());
    assert!(check_issuer("ftp://id.example").is_err());
    assert!(check_issuer("https://user:pw@id.example").is_err());
}

#[test]
fn values_are_checked() {
    let with = |vars: &[(&str, &str)]| {
        error_of(settings(&Sources {
            env: env(vars),
            ..Sources::default()
        }))
    };
    assert!(with(&[("PROPUSK_LISTEN", "localhost")]).contains("listen"));
    assert!(with(&[("PROPUSK_SIGNING_ALG", "HS256")]).contains("signing_alg"));
    assert!(
        with(&[("PROPUSK_OWN_ACCESS_TOKEN_FORMAT", "paseto")]).contains("own_access_token_format")
    );
    assert!(with(&[("PROPUSK_KEYS__CACHE_TTL_SECONDS", "0")]).contains("cache_ttl_seconds"));
    assert!(with(&[("PROPUSK_MASTER_KEY", "short")]).contains("master_key"));
    assert!(
        with(&[
            ("PROPUSK_MASTER_KEY", &"a".repeat(64)),
            ("PROPUSK_MASTER_KEY_FILE", "/x")
        ])
        .contains("either")
    );
    assert!(with(&[("PROPUSK_LOG", "info,[[[")]).contains("log"));
    assert!(with(&[("PROPUSK_DEV_MODE", "maybe")]).contains("PROPUSK_DEV_MODE"));
}

#[test]
fn a_missing_config_file_is_an_error() {
    let err = error_of(check_file(Path::new("/nonexistent/propusk.toml")));
    assert!(err.contains("not found"), "{err}");
}

#[test]
fn key_rotation_schedule_and_shutdown_grace() {
    let defaults = settings(&Sources::default()).expect("defaults");
    assert_eq!(defaults.rotate_keys_every, None);
    assert_eq!(defaults.shutdown_grace, std::time::Duration::from_secs(10));
    let file = temp_file(
        "rotation.toml",
        "shutdown_grace_seconds = 3\n[keys]\nrotate_every = \"90d\"\n",
    );
    let s = settings(&Sources {
        file: Some(file),
        ..Sources::default()
    })
    .expect("valid");
    assert_eq!(s.rotate_keys_every, Some(90 * 86_400));
    assert_eq!(s.shutdown_grace, std::time::Duration::from_secs(3));
    for (value, expected) in [("12h", 43_200), ("90m", 5_400), ("7200", 7_200)] {
        let s = settings(&Sources {
            env: env(&[("PROPUSK_KEYS__ROTATE_EVERY", value)]),
            ..Sources::default()
        })
        .expect(value);
        assert_eq!(s.rotate_keys_every, Some(expected), "{value}");
    }
    for (value, message) in [
        ("5x", "keys.rotate_every"),
        ("d", "keys.rotate_every"),
        ("60", "longer than keys.prepublish_seconds"),
    ] {
        let err = error_of(settings(&Sources {
            env: env(&[("PROPUSK_KEYS__ROTATE_EVERY", value)]),
            ..Sources::default()
        }));
        assert!(err.contains(message), "{value}: {err}");
    }
}

#[test]
fn log_format_is_text_or_json() {
    assert!(!settings(&Sources::default()).expect("defaults").log_json);
    let json = settings(&Sources {
        env: env(&[("PROPUSK_LOG_FORMAT", "json")]),
        ..Sources::default()
    })
    .expect("json");
    assert!(json.log_json);
    let err = error_of(settings(&Sources {
        env: env(&[("PROPUSK_LOG_FORMAT", "xml")]),
        ..Sources::default()
    }));
    assert!(err.contains("log_format"), "{err}");
}

#[test]
fn traces_are_exported_only_to_a_configured_endpoint() {
    assert_eq!(
        settings(&Sources::default()).expect("defaults").telemetry,
        None
    );
    let file = temp_file(
        "telemetry.toml",
        "[telemetry]\notlp_endpoint = \"http://collector:4318/\"\nservice_name = \"id-eu\"\n",
    );
    let from_file = settings(&Sources {
        file: Some(file),
        ..Sources::default()
    })
    .expect("file");
    assert_eq!(
        from_file.telemetry,
        Some(TelemetrySettings {
            traces_url: "http://collector:4318/v1/traces".into(),
            service_name: "id-eu".into(),
        })
    );
    let from_env = settings(&Sources {
        env: env(&[(
            "PROPUSK_TELEMETRY__OTLP_ENDPOINT",
            "https://otel.example/base",
        )]),
        ..Sources::default()
    })
    .expect("env");
    assert_eq!(
        from_env.telemetry,
        Some(TelemetrySettings {
            traces_url: "https://otel.example/base/v1/traces".into(),
            service_name: "propusk".into(),
        })
    );
    for (endpoint, message) in [
        ("collector:4318", "must use http or https"),
        ("localhost", "is not an absolute URL"),
        ("http://collector:4318/?k=v", "no query"),
        ("http://user:pw@collector:4318", "no credentials"),
    ] {
        let err = error_of(settings(&Sources {
            env: env(&[("PROPUSK_TELEMETRY__OTLP_ENDPOINT", endpoint)]),
            ..Sources::default()
        }));
        assert!(
            err.contains("telemetry.otlp_endpoint") && err.contains(message),
            "{endpoint}: {err}"
        );
    }
    let err = error_of(settings(&Sources {
        env: env(&[
            ("PROPUSK_TELEMETRY__OTLP_ENDPOINT", "http://collector:4318"),
            ("PROPUSK_TELEMETRY__SERVICE_NAME", " "),
        ]),
        ..Sources::default()
    }));
    assert!(err.contains("telemetry.service_name"), "{err}");
}

#[test]
fn integrator_lifetime_limits_come_from_the_developer_section() {
    let defaults = settings(&Sources::default()).expect("defaults");
    assert_eq!(
        defaults.provider.integrator_limits.refresh_token,
        (3600, 90 * 24 * 3600)
    );
    let s = settings(&Sources {
        env: env(&[
            ("PROPUSK_DEVELOPER__MAX_TOKEN_LIFETIME_SECONDS", "600"),
            (
                "PROPUSK_DEVELOPER__MAX_REFRESH_TOKEN_LIFETIME_SECONDS",
                "86400",
            ),
        ]),
        ..Sources::default()
    })
    .expect("valid");
    let limits = s.provider.integrator_limits;
    assert_eq!(limits.access_token, (60, 600));
    assert_eq!(limits.id_token, (60, 600));
    assert_eq!(limits.refresh_token, (3600, 86400));
    let error = error_of(settings(&Sources {
        env: env(&[("PROPUSK_DEVELOPER__MAX_TOKEN_LIFETIME_SECONDS", "10")]),
        ..Sources::default()
    }));
    assert!(
        error.contains("developer.max_token_lifetime_seconds"),
        "{error}"
    );
}

#[test]
fn the_certificate_listener_needs_its_certificate_and_key() {
    let with = |vars: &[(&str, &str)]| {
        settings(&Sources {
            env: env(vars),
            ..Sources::default()
        })
    };
    let err = error_of(with(&[(
        "PROPUSK_CERTIFICATES__MTLS_LISTEN",
        "127.0.0.1:0",
    )]));
    assert!(err.contains("mtls_cert and mtls_key"), "{err}");
    let err = error_of(with(&[
        ("PROPUSK_CERTIFICATES__MTLS_LISTEN", "nowhere"),
        ("PROPUSK_CERTIFICATES__MTLS_CERT", "/etc/c.pem"),
        ("PROPUSK_CERTIFICATES__MTLS_KEY", "/etc/k.pem"),
    ]));
    assert!(err.contains("certificates.mtls_listen"), "{err}");
    let err = error_of(with(&[(
        "PROPUSK_CERTIFICATES__MTLS_URL",
        "http://tls.example",
    )]));
    assert!(err.contains("certificates.mtls_url"), "{err}");
    let err = error_of(with(&[(
        "PROPUSK_CERTIFICATES__CLIENT_CERT_HEADER",
        "bad header",
    )]));
    assert!(err.contains("certificates.client_cert_header"), "{err}");
    let s = with(&[
        ("PROPUSK_CERTIFICATES__MTLS_LISTEN", "127.0.0.1:8443"),
        ("PROPUSK_CERTIFICATES__MTLS_CERT", "/etc/c.pem"),
        ("PROPUSK_CERTIFICATES__MTLS_KEY", "/etc/k.pem"),
        ("PROPUSK_CERTIFICATES__MTLS_URL", "https://tls.example/"),
        ("PROPUSK_CERTIFICATES__CLIENT_CERT_HEADER", "X-Client-Cert"),
    ])
    .expect("valid");
    let mtls = s.mtls.expect("the listener");
    assert_eq!(mtls.listen.to_string(), "127.0.0.1:8443");
    assert_eq!(
        s.web.tls_sign_in_url.as_deref(),
        Some("https://tls.example")
    );
    assert_eq!(
        s.web.client_cert_header.as_ref().map(|h| h.as_str()),
        Some("x-client-cert")
    );
}
