//! The command line, the management API and the console share one operator layer:
//! blocking a user from any front writes the same audit event, differing only in the
//! actor (`cli`, `client:<id>`, `operator:<account id>`), and the operator commands act
//! on accounts by login. The console is driven as a browser would: an operator signs
//! in, turns TOTP on, signs in again with it and submits the block form.

mod common;

use common::TestDir;
use serde_json::Value;

/// The audit events of `kind`, oldest first, as the API lists them.
async fn events(http: &reqwest::Client, base: &str, token: &str, kind: &str) -> Vec<Value> {
    let url = format!("{base}/api/v1/audit-events?kind={kind}");
    let page: Value = http
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .expect("audit events")
        .json()
        .await
        .expect("json");
    let mut items = page["items"].as_array().cloned().unwrap_or_default();
    items.reverse();
    items
}

#[tokio::test]
async fn blocking_from_the_cli_and_from_the_api_writes_the_same_event() {
    let dir = TestDir::new("admin-fronts");
    let alice = dir.json(&[
        "admin",
        "user",
        "create",
        "--login",
        "alice",
        "--password",
        "pw-alice-1",
    ]);
    let bob = dir.json(&[
        "admin",
        "user",
        "create",
        "--login",
        "bob",
        "--password",
        "pw-bob-12",
    ]);
    let ops = dir.json(&[
        "admin",
        "client",
        "create",
        "--client-id",
        "ops",
        "--name",
        "Ops",
        "--scope",
        "propusk:admin",
        "--grant-type",
        "client_credentials",
    ]);
    let secret = ops["client_secret"].as_str().expect("secret").to_owned();

    let out = dir.ok(&["admin", "user", "block", "--login", "alice"]);
    assert!(out.contains("blocked"), "{out}");
    let out = dir.ok(&["admin", "user", "grant-operator", "--login", "bob"]);
    assert!(out.contains("operator"), "{out}");
    let err = dir.fails(&["admin", "user", "block", "--login", "nobody"]);
    assert!(err.contains("nobody"), "{err}");

    let server = dir.serve(&[]);
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{}/connect/token", server.url))
        .basic_auth("ops", Some(&secret))
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", "propusk:admin"),
        ])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let token = token["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();
    let bob_id = bob["id"].as_str().expect("id");
    let status = http
        .post(format!("{}/api/v1/users/{bob_id}/block", server.url))
        .bearer_auth(&token)
        .send()
        .await
        .expect("block")
        .status();
    assert_eq!(status, 200);

    let blocked = events(&http, &server.url, &token, "account_blocked").await;
    assert_eq!(blocked.len(), 2, "{blocked:?}");
    let (cli, api) = (&blocked[0], &blocked[1]);
    assert_eq!(cli["account_id"], alice["id"]);
    assert_eq!(cli["actor"], "cli");
    assert_eq!(api["account_id"], bob["id"]);
    assert_eq!(api["actor"], "client:ops");
    for field in ["kind", "client_id", "ip", "detail"] {
        assert_eq!(cli[field], api[field], "{field} differs between the fronts");
    }
    let granted = events(&http, &server.url, &token, "operator_granted").await;
    assert_eq!(granted.len(), 1);
    assert_eq!(granted[0]["actor"], "cli");
}

/// A browser: its own cookies, redirects not followed.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client")
}

/// The value after `mark` up to the next `end`, in a page.
fn cut<'a>(html: &'a str, mark: &str, end: char) -> &'a str {
    let start = html
        .find(mark)
        .unwrap_or_else(|| panic!("{mark} in {html}"))
        + mark.len();
    html[start..].split(end).next().expect("value")
}

fn csrf_of(html: &str) -> String {
    cut(html, r#"name="csrf" value=""#, '"').to_owned()
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

/// RFC 4648 base32 without padding, as the manual key shows it.
fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut value, mut out) = (0u32, 0u32, Vec::new());
    for c in text.bytes().filter(|c| *c != b' ') {
        let index = ALPHABET.iter().position(|a| *a == c).expect("base32") as u32;
        value = (value << 5) | index;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((value >> bits) as u8);
            value &= (1 << bits) - 1;
        }
    }
    out
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// A browser on the server at `base`.
struct Browser {
    http: reqwest::Client,
    base: String,
}

impl Browser {
    async fn page(&self, path: &str) -> String {
        let page = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("get");
        assert_eq!(page.status(), 200, "{path}");
        page.text().await.expect("html")
    }

    /// POSTs the form of the page at `page` to `action` with its CSRF token; returns
    /// where the 303 goes.
    async fn submit(&self, page: &str, action: &str, form: &[(&str, &str)]) -> String {
        let csrf = csrf_of(&self.page(page).await);
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(form);
        let done = self
            .http
            .post(format!("{}{action}", self.base))
            .form(&all)
            .send()
            .await
            .expect("post");
        assert_eq!(done.status(), 303, "{action}");
        location(&done)
    }
}

#[tokio::test]
async fn blocking_from_the_console_writes_the_event_the_cli_writes() {
    use propusk_core::accounts::Totp;
    let dir = TestDir::new("admin-console-front");
    let password = "pw-carol-12";
    dir.json(&[
        "admin",
        "user",
        "create",
        "--login",
        "carol",
        "--password",
        password,
    ]);
    dir.ok(&["admin", "user", "grant-operator", "--login", "carol"]);
    let alice = dir.json(&[
        "admin",
        "user",
        "create",
        "--login",
        "alice",
        "--password",
        "pw-alice-1",
    ]);
    let dave = dir.json(&[
        "admin",
        "user",
        "create",
        "--login",
        "dave",
        "--password",
        "pw-dave-12",
    ]);
    dir.ok(&["admin", "user", "block", "--login", "alice"]);
    let ops = dir.json(&[
        "admin",
        "client",
        "create",
        "--client-id",
        "ops",
        "--name",
        "Ops",
        "--scope",
        "propusk:admin.read",
        "--grant-type",
        "client_credentials",
    ]);
    let secret = ops["client_secret"].as_str().expect("secret").to_owned();
    let server = dir.serve(&[]);
    let carol = Browser {
        http: browser(),
        base: server.url.clone(),
    };
    let login = [("login", "carol"), ("password", password)];
    let landed = carol
        .submit("/account/login", "/account/login", &login)
        .await;
    assert_eq!(landed, "/account");
    let step = carol
        .submit(
            "/account/security",
            "/account/security/totp",
            &[("on", "yes")],
        )
        .await;
    let enrolment = carol.page(&step).await;
    let totp = Totp::new(base32_decode(cut(&enrolment, r#"id="manual-key">"#, '<')));
    let code = totp.code_at(unix_now());
    carol.submit(&step, &step, &[("code", &code)]).await;
    carol
        .submit("/account/security", "/account/sign-out", &[])
        .await;
    let factor = carol
        .submit("/account/login", "/account/login", &login)
        .await;
    assert!(factor.starts_with("/account/factor/"), "{factor}");
    let factor = factor.split('?').next().expect("path").to_owned();
    let code = totp.code_at(unix_now() + 30);
    carol.submit(&factor, &factor, &[("code", &code)]).await;
    let dave_page = format!("/admin/users/{}", dave["id"].as_str().expect("id"));
    let done = carol
        .submit(&dave_page, &format!("{dave_page}/block"), &[])
        .await;
    assert_eq!(done, format!("{dave_page}?notice=blocked"));

    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{}/connect/token", server.url))
        .basic_auth("ops", Some(&secret))
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", "propusk:admin.read"),
        ])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let token = token["access_token"].as_str().expect("access token");
    let blocked = events(&http, &server.url, token, "account_blocked").await;
    assert_eq!(blocked.len(), 2, "{blocked:?}");
    let of = |user: &Value| {
        blocked
            .iter()
            .find(|e| e["account_id"] == user["id"])
            .expect("an event of the user")
    };
    let (cli, console) = (of(&alice), of(&dave));
    assert_eq!(cli["actor"], "cli");
    let carol_id = console["actor"].as_str().expect("actor");
    assert!(carol_id.starts_with("operator:"), "{carol_id}");
    for field in ["kind", "client_id", "ip", "detail"] {
        assert_eq!(
            cli[field], console[field],
            "{field} differs between the fronts"
        );
    }
}
