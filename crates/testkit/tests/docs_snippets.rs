//! The snippet runner: every curl, Python, Node and Rust sample of the docs, as the docs
//! serve it to an integrator who opened them from their application, runs against a live
//! server and must end with tokens. Where a sample asks a person to open an address, a
//! browser here signs in (or confirms a device) and, for redirects, answers the sample
//! with the address it was sent back to.
//!
//! A Rust sample is built as the `src/main.rs` of a scratch crate with the dependencies its
//! first lines name, the features the workspace enables on them added, and the workspace's
//! `Cargo.lock` and profiles, `cargo build --offline` into the workspace's target
//! directory: the dependencies the workspace already built are reused.
//!
//! It needs curl, openssl, jq, Node with `interop/node`'s packages and the Python of
//! `target/pyvenv` (with authlib), which `scripts/test` installs; so it is ignored in the
//! plain Rust run and run by the test command's `docs-snippets` stage
//! (`cargo nextest run -p propusk-testkit --test docs_snippets --run-ignored only`).

use propusk_certs::test_pki::{KeyKind, Leaf, TestCa};
use propusk_certs::{Certificate, TrustStore, TrustedFile};
use propusk_core::model::{ClientOwner, GrantType, Integrator};
use propusk_testkit::{
    Browser, ClientBuilder, ProductBuilder, TestAccount, TestClient, TestServer,
};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

const PRODUCT: &str = "https://orders.example";
const SCOPE: &str = "openid profile orders.read";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One sample as the docs page shows it.
#[derive(Debug)]
struct Sample {
    page: String,
    id: String,
    language: String,
    code: String,
}

/// The samples of a docs page: every `<code … data-language="…">` block.
fn samples_of(page: &str, html: &str) -> Vec<Sample> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<code id=\"sample-") {
        let tail = &rest[at..];
        let Some(open_end) = tail.find('>') else {
            break;
        };
        let open = &tail[..open_end];
        let attr = |name: &str| {
            let start = open.find(&format!("{name}=\""))? + name.len() + 2;
            let end = start + open[start..].find('"')?;
            Some(open[start..end].to_owned())
        };
        let Some(close) = tail.find("</code>") else {
            break;
        };
        found.push(Sample {
            page: page.to_owned(),
            id: attr("id").unwrap_or_default(),
            language: attr("data-language").unwrap_or_default(),
            code: propusk_testkit::unescape(&tail[open_end + 1..close]),
        });
        rest = &tail[close..];
    }
    found
}

/// What a sample's environment holds.
struct Env {
    secret: Option<String>,
    extra: Vec<(&'static str, String)>,
}

struct Setup {
    server: TestServer,
    alice: TestAccount,
    reader: Browser,
    /// Page path, application, environment.
    pages: Vec<(&'static str, TestClient, Env)>,
}

async fn setup() -> Setup {
    let server = TestServer::start().await;
    server
        .product(ProductBuilder::new(PRODUCT).scopes(&["orders.read"]))
        .await;
    let alice = server.alice().await;
    let web = server
        .client(
            ClientBuilder::confidential("docs-web")
                .scope("openid profile email offline_access orders.read"),
        )
        .await;
    let spa = server
        .client(
            ClientBuilder::public("docs-spa")
                .scope(SCOPE)
                .redirect_uris(&["https://spa.example/callback"]),
        )
        .await;
    let device = server
        .client(
            ClientBuilder::public("docs-tv")
                .scope(SCOPE)
                .redirect_uris(&[])
                .grants(&[GrantType::DeviceCode, GrantType::RefreshToken]),
        )
        .await;
    let service = server
        .client(
            ClientBuilder::confidential("docs-service")
                .scope("orders.read")
                .redirect_uris(&[])
                .grants(&[GrantType::ClientCredentials]),
        )
        .await;
    let legacy = server
        .client(
            ClientBuilder::confidential("docs-legacy")
                .scope(SCOPE)
                .redirect_uris(&[])
                .grants(&[GrantType::Password]),
        )
        .await;
    let partner = server
        .client(
            ClientBuilder::confidential("docs-partner")
                .scope("openid orders.read")
                .grants(&[GrantType::AuthorizationCode, GrantType::TokenExchange]),
        )
        .await;
    let signer = server
        .client(
            ClientBuilder::confidential("docs-signer")
                .scope("openid profile")
                .redirect_uris(&[])
                .grants(&[GrantType::Certificate]),
        )
        .await;
    // A trusted root, and a certificate of it bound to Alice, its files where the
    // certificate samples read them.
    let root = TestCa::root("Docs Test Root");
    let mut trust = TrustStore::default();
    trust.add(TrustedFile::parse(root.pem.as_bytes()).expect("trust file"));
    server.provider.certificates.replace(trust);
    let cert = root.issue(Leaf::new(KeyKind::P256, "Alice"));
    let parsed = Certificate::from_text(&cert.pem).expect("certificate");
    server
        .provider
        .bind_certificate(&alice.id, &parsed)
        .await
        .expect("bound");
    let files = scratch().join(format!("pki-{}", propusk_testkit::random(6)));
    std::fs::create_dir_all(&files).expect("pki folder");
    std::fs::write(files.join("cert.pem"), &cert.pem).expect("cert file");
    std::fs::write(files.join("key.pem"), &cert.key_pem).expect("key file");
    // Alice is the integrator who owns every application, and the person who signs in.
    let store = server.store();
    let now = server.provider.now();
    store
        .put_integrator(&Integrator {
            account_id: alice.id.clone(),
            terms_version: "1".into(),
            accepted_at: now,
        })
        .await
        .expect("integrator");
    for app in [&web, &spa, &device, &service, &legacy, &partner, &signer] {
        store
            .add_client_owner(&ClientOwner {
                client_id: app.id.clone(),
                account_id: alice.id.clone(),
                added_at: now,
            })
            .await
            .expect("owner");
    }
    // A user's access token for the token exchange samples: one the partner obtained
    // itself (a client may exchange only tokens issued to it or naming it).
    let subject_token = server
        .code_exchange(&alice, &partner, "openid orders.read")
        .await
        .issued()
        .access_token;
    let reader = server.signed_in(&alice, &web, "openid").await;
    let with_secret = |app: &TestClient| Env {
        secret: app.secret.clone(),
        extra: Vec::new(),
    };
    let pages = vec![
        ("/docs/schemes/code", web.clone(), with_secret(&web)),
        ("/docs/schemes/pkce", spa.clone(), with_secret(&spa)),
        ("/docs/schemes/device", device.clone(), with_secret(&device)),
        (
            "/docs/schemes/client-credentials",
            service.clone(),
            with_secret(&service),
        ),
        (
            "/docs/schemes/password",
            legacy.clone(),
            Env {
                secret: legacy.secret.clone(),
                extra: vec![
                    ("USER_LOGIN", alice.login.clone()),
                    ("USER_PASSWORD", alice.password.clone()),
                ],
            },
        ),
        (
            "/docs/schemes/partner",
            partner.clone(),
            Env {
                secret: partner.secret.clone(),
                extra: vec![("SUBJECT_TOKEN", subject_token)],
            },
        ),
        (
            "/docs/schemes/certificate",
            signer.clone(),
            Env {
                secret: signer.secret.clone(),
                extra: vec![
                    ("CERT_FILE", files.join("cert.pem").display().to_string()),
                    ("KEY_FILE", files.join("key.pem").display().to_string()),
                ],
            },
        ),
    ];
    Setup {
        server,
        alice,
        reader,
        pages,
    }
}

/// The samples of every scheme page, as served to their owner.
async fn collect(setup: &Setup) -> Vec<(Sample, usize)> {
    let mut all = Vec::new();
    for (index, (path, app, _)) in setup.pages.iter().enumerate() {
        let url = format!("{}?app={}&lang=en", setup.server.url(path), app.id);
        let html = setup
            .reader
            .http()
            .get(&url)
            .send()
            .await
            .expect("GET docs")
            .text()
            .await
            .expect("body");
        assert!(
            html.contains(&format!("“{}”", app.record.name)) || html.contains(&app.record.name),
            "{path}: the page is not personalised for {}",
            app.id
        );
        let samples = samples_of(path, &html);
        assert!(!samples.is_empty(), "{path} shows no samples");
        all.extend(samples.into_iter().map(|s| (s, index)));
    }
    all
}

/// Where the runner keeps the files of a run (ignored by git, as node_modules is), so
/// Node resolves `openid-client` from `interop/node`.
fn scratch() -> PathBuf {
    repo().join("interop/node/node_modules/.snippets")
}

/// Runs one sample to its end, playing the person where it asks; the output on success.
async fn run(setup: &Setup, sample: &Sample, env: &Env) -> Result<String, String> {
    let scratch = scratch();
    let workdir = scratch.join(format!("run-{}", propusk_testkit::random(6)));
    std::fs::create_dir_all(&workdir).map_err(|e| e.to_string())?;
    let mut command = match sample.language.as_str() {
        "curl" => {
            let mut c = Command::new("bash");
            c.arg("-euo").arg("pipefail").arg("-c").arg(&sample.code);
            c
        }
        "python" => {
            let python = std::env::var("PROPUSK_PYTHON")
                .map(PathBuf::from)
                .unwrap_or_else(|_| repo().join("target/pyvenv/bin/python"));
            let mut c = Command::new(python);
            c.arg("-c").arg(&sample.code);
            c
        }
        "node" => {
            std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
            let file = scratch.join(format!("{}.mjs", sample.id));
            std::fs::write(&file, &sample.code).map_err(|e| e.to_string())?;
            let mut c = Command::new("node");
            c.arg(file);
            c
        }
        "rust" => Command::new(build_rust(sample, &workdir).await?),
        other => return Err(format!("no runner for {other}")),
    };
    command.current_dir(&workdir);
    if let Some(secret) = &env.secret {
        command.env("CLIENT_SECRET", secret);
    }
    for (name, value) in &env.extra {
        command.env(name, value);
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", sample.language))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let mut lines = BufReader::new(stdout).lines();
    let mut output = String::new();
    let play = async {
        while let Ok(Some(line)) = lines.next_line().await {
            output.push_str(&line);
            output.push('\n');
            if let Some(url) = address_after(&line, "Open in a browser and sign in:") {
                let answer = setup
                    .server
                    .browser()
                    .authorize(&url, &setup.alice.login, &setup.alice.password)
                    .await;
                let back = format!("{}\n", answer.location);
                stdin
                    .write_all(back.as_bytes())
                    .await
                    .map_err(|e| e.to_string())?;
                stdin.flush().await.map_err(|e| e.to_string())?;
            } else if let Some(url) = address_after(&line, "Open on another device:") {
                confirm_device(setup, &url).await;
            }
        }
        Ok::<(), String>(())
    };
    tokio::time::timeout(Duration::from_secs(90), play)
        .await
        .map_err(|_| format!("timed out; output so far:\n{output}"))??;
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .map_err(|_| "did not exit".to_owned())?
        .map_err(|e| e.to_string())?;
    if sample.language == "rust" {
        // The built program weighs tens of megabytes: not kept from run to run.
        let _ = std::fs::remove_dir_all(&workdir);
    }
    let mut errors = String::new();
    let _ = tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut errors).await;
    if !status.success() {
        return Err(format!("{status}\nstdout:\n{output}\nstderr:\n{errors}"));
    }
    if !output.contains("access_token") {
        return Err(format!(
            "no access_token printed\nstdout:\n{output}\nstderr:\n{errors}"
        ));
    }
    Ok(output)
}

/// The lines of the workspace's `Cargo.toml` in its tables whose header starts with
/// `header`, headers included.
fn workspace_tables(header: &str) -> String {
    let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap_or_default();
    let mut inside = false;
    let mut out = String::new();
    for line in manifest.lines() {
        if line.starts_with('[') {
            inside = line.starts_with(header);
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The `Cargo.toml` of the scratch crate of a Rust sample: the dependencies the sample's
/// first comment lines name (as a reader would copy them), then the same crates as the
/// workspace declares them, so that features add up to what the workspace builds with
/// and its built dependencies are reused (a `cfg(all())` table adds features to a
/// dependency without naming it twice), then the workspace's profiles.
fn rust_manifest(name: &str, code: &str) -> Result<String, String> {
    let named: Vec<&str> = code
        .lines()
        .skip(1)
        .map_while(|line| line.strip_prefix("//   "))
        .collect();
    if named.first() != Some(&"[dependencies]") {
        return Err("the Rust sample does not name its dependencies".into());
    }
    let crates: Vec<&str> = named[1..]
        .iter()
        .filter_map(|line| line.split_once(" = ").map(|(name, _)| name.trim()))
        .collect();
    let declared = workspace_tables("[workspace.dependencies]");
    let mut same_features = String::from("[target.'cfg(all())'.dependencies]\n");
    for line in declared.lines() {
        let Some((dependency, _)) = line.split_once(" = ") else {
            continue;
        };
        if crates.contains(&dependency.trim()) {
            same_features.push_str(line);
            same_features.push('\n');
        }
    }
    Ok(format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         # Not a member of the repository's workspace.\n[workspace]\n\n\
         {}\n\n{same_features}\n{}",
        named.join("\n"),
        workspace_tables("[profile."),
    ))
}

/// Builds a Rust sample in a scratch crate under `workdir`; the program's path.
async fn build_rust(sample: &Sample, workdir: &std::path::Path) -> Result<PathBuf, String> {
    // A name of its own, so that runs in parallel do not replace each other's program.
    let name = format!("sample-{}", propusk_testkit::random(6).to_lowercase());
    let name = name.replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let dir = workdir.join(&name);
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("Cargo.toml"), rust_manifest(&name, &sample.code)?)
        .map_err(|e| e.to_string())?;
    std::fs::copy(repo().join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/main.rs"), &sample.code).map_err(|e| e.to_string())?;
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo().join("target"));
    let started = std::time::Instant::now();
    let built = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--offline", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .await
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    eprintln!(
        "{}: built in {:.1}s",
        sample.id,
        started.elapsed().as_secs_f64()
    );
    if !built.status.success() {
        return Err(format!(
            "cargo build failed:\n{}",
            String::from_utf8_lossy(&built.stderr)
        ));
    }
    // Out of the shared target directory, which keeps only the reusable dependencies.
    let program = workdir.join("program");
    let uplifted = target.join("debug").join(&name);
    std::fs::rename(&uplifted, &program).map_err(|e| format!("{}: {e}", uplifted.display()))?;
    forget_build(&target, &name);
    Ok(program)
}

/// Removes what building the sample crate `name` left in the target directory.
fn forget_build(target: &std::path::Path, name: &str) {
    let debug = target.join("debug");
    let stem = name.replace('-', "_");
    for (folder, prefix) in [
        (debug.join("deps"), format!("{stem}-")),
        (debug.join(".fingerprint"), format!("{name}-")),
    ] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let path = entry.path();
                let _ = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
            }
        }
    }
    let _ = std::fs::remove_file(debug.join(format!("{name}.d")));
}

/// The address printed after `prompt` on `line`.
fn address_after(line: &str, prompt: &str) -> Option<url::Url> {
    let rest = &line[line.find(prompt)? + prompt.len()..];
    url::Url::parse(rest.split_whitespace().next()?).ok()
}

/// Signs in on the device page of `url` and allows the device.
async fn confirm_device(setup: &Setup, url: &url::Url) {
    let browser = setup.server.browser();
    let mut page = browser.navigate(url).await;
    if page.login_form().is_some() {
        page = browser
            .sign_in(&page, &setup.alice.login, &setup.alice.password)
            .await;
    }
    let done = browser.consent(&page, true).await;
    assert!(
        done.status.is_success(),
        "device not confirmed: {}",
        done.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs curl, jq, Node and the Python venv: run by scripts/test's docs-snippets stage"]
async fn every_sample_of_the_docs_runs_against_a_live_server() {
    let setup = setup().await;
    let samples = collect(&setup).await;
    let languages: Vec<&str> = samples.iter().map(|(s, _)| s.language.as_str()).collect();
    for language in ["curl", "python", "node", "rust"] {
        assert!(languages.contains(&language), "no {language} sample found");
    }
    let mut failures = Vec::new();
    let mut ran = 0;
    for (sample, index) in &samples {
        let env = &setup.pages[*index].2;
        ran += 1;
        if let Err(error) = run(&setup, sample, env).await {
            failures.push(format!(
                "{} {} ({}):\n{error}",
                sample.page, sample.id, sample.language
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} samples failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    eprintln!("{ran} samples ran");
}

/// The runner catches a broken sample: the same sample with one character changed in
/// its request fails (for Rust, in a scope, so that the program builds and the server
/// refuses it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs curl, jq, Node and the Python venv: run by scripts/test's docs-snippets stage"]
async fn a_sample_broken_on_purpose_fails_the_run() {
    let setup = setup().await;
    let samples = collect(&setup).await;
    let env = &setup.pages[3].2;
    for language in ["curl", "python", "rust"] {
        let (sample, _) = samples
            .iter()
            .find(|(s, _)| s.page.ends_with("client-credentials") && s.language == language)
            .expect("a client credentials sample");
        assert!(
            run(&setup, sample, env).await.is_ok(),
            "the sample itself runs"
        );
        // The Rust one still builds, and the server refuses its scope.
        let (good, bad) = match language {
            "rust" => ("\"orders.read\"", "\"orders.reed\""),
            _ => ("client_credentials", "client_credential"),
        };
        assert!(sample.code.contains(good), "{}", sample.code);
        let broken = Sample {
            code: sample.code.replace(good, bad),
            ..Sample {
                page: sample.page.clone(),
                id: format!("{}-broken", sample.id),
                language: sample.language.clone(),
                code: String::new(),
            }
        };
        assert!(
            run(&setup, &broken, env).await.is_err(),
            "a broken {language} sample passed"
        );
    }
}
