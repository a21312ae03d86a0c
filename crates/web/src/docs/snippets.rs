//! The code samples of each scheme — curl, Python (authlib), Node (openid-client 6), Rust
//! (openidconnect 4) — filled with this deployment's endpoints and the reader's
//! application. Each sample is a whole program that runs as it is (a Rust one is the
//! `src/main.rs` of a crate whose dependencies its first lines name; the test command runs
//! every sample against a live server): secrets come from the
//! environment (`CLIENT_SECRET`, `USER_LOGIN`, `USER_PASSWORD`, `SUBJECT_TOKEN`), and where
//! a person acts in a browser the program prints the address to open and reads back the
//! address the browser returned to.

/// What the samples are filled with.
pub struct Filled {
    pub issuer: String,
    pub authorize: String,
    pub token: String,
    pub device: String,
    /// The challenge endpoint of certificate sign-in.
    pub certificate: String,
    pub client_id: String,
    pub redirect_uri: String,
    /// Scope of user sign-ins (`openid …` and product scopes of the application).
    pub scope: String,
    /// Product scopes, for client credentials and token exchange.
    pub product_scope: String,
}

impl Filled {
    /// A plain-http issuer (a development deployment): the libraries that refuse http
    /// unless told otherwise are told.
    fn insecure(&self) -> bool {
        self.issuer.starts_with("http://")
    }
}

/// The schemes that have samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Code,
    Pkce,
    Device,
    ClientCredentials,
    Password,
    TokenExchange,
    Certificate,
}

/// One sample: its language (`curl`, `python`, `node`, `rust`) and code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    pub language: &'static str,
    pub code: String,
}

/// The samples of a scheme, in the order the page shows them.
pub fn samples(scheme: Scheme, f: &Filled) -> Vec<Sample> {
    let mut samples = vec![
        Sample {
            language: "curl",
            code: curl(scheme, f),
        },
        Sample {
            language: "python",
            code: python(scheme, f),
        },
    ];
    if let Some(code) = node(scheme, f) {
        samples.push(Sample {
            language: "node",
            code,
        });
    }
    if let Some(code) = rust(scheme, f) {
        samples.push(Sample {
            language: "rust",
            code,
        });
    }
    samples
}

fn encoded(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The shell lines that take `code` out of the address the browser returned to, after
/// checking its `state`.
const READ_CALLBACK_SH: &str = "read -r -p 'Paste the address the browser was sent back to: ' CALLBACK\n\
     param() { printf %s \"$CALLBACK\" | sed -n \"s/.*[?&]$1=\\([^&]*\\).*/\\1/p\"; }\n\
     [ \"$(param state)\" = \"$STATE\" ] || { echo 'state does not match' >&2; exit 1; }\n\
     CODE=$(param code)\n";

fn curl(scheme: Scheme, f: &Filled) -> String {
    let Filled {
        authorize,
        token,
        device,
        certificate,
        client_id,
        redirect_uri,
        scope,
        product_scope,
        ..
    } = f;
    let redirect = encoded(redirect_uri);
    let scope_q = encoded(scope);
    match scheme {
        Scheme::Code => format!(
            "# CLIENT_SECRET: an api-key of the application, from your secret storage\n\
             STATE=$(openssl rand -hex 16)\n\
             echo \"Open in a browser and sign in: {authorize}?response_type=code&client_id={client_id}&redirect_uri={redirect}&scope={scope_q}&state=$STATE\"\n\
             {READ_CALLBACK_SH}\
             curl -sS --fail-with-body -u \"{client_id}:$CLIENT_SECRET\" \\\n  \
             -d grant_type=authorization_code -d \"code=$CODE\" \\\n  \
             --data-urlencode 'redirect_uri={redirect_uri}' \\\n  \
             {token}\n"
        ),
        Scheme::Pkce => format!(
            "STATE=$(openssl rand -hex 16)\n\
             VERIFIER=$(openssl rand -hex 32)\n\
             CHALLENGE=$(printf %s \"$VERIFIER\" | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')\n\
             echo \"Open in a browser and sign in: {authorize}?response_type=code&client_id={client_id}&redirect_uri={redirect}&scope={scope_q}&state=$STATE&code_challenge=$CHALLENGE&code_challenge_method=S256\"\n\
             {READ_CALLBACK_SH}\
             # A public client has no secret: the verifier proves the code is yours.\n\
             curl -sS --fail-with-body -d grant_type=authorization_code -d client_id={client_id} \\\n  \
             -d \"code=$CODE\" -d \"code_verifier=$VERIFIER\" \\\n  \
             --data-urlencode 'redirect_uri={redirect_uri}' \\\n  \
             {token}\n"
        ),
        Scheme::Device => format!(
            "START=$(curl -sS --fail-with-body -d client_id={client_id} --data-urlencode 'scope={scope}' \\\n  \
             {device})\n\
             echo \"Open on another device: $(echo \"$START\" | jq -r .verification_uri_complete)\"\n\
             echo \"or go to $(echo \"$START\" | jq -r .verification_uri) and enter $(echo \"$START\" | jq -r .user_code)\"\n\
             DEVICE_CODE=$(echo \"$START\" | jq -r .device_code)\n\
             INTERVAL=$(echo \"$START\" | jq -r '.interval // 5')\n\
             while :; do\n  \
             sleep \"$INTERVAL\"\n  \
             ANSWER=$(curl -sS -d grant_type=urn:ietf:params:oauth:grant-type:device_code \\\n    \
             -d client_id={client_id} -d \"device_code=$DEVICE_CODE\" {token})\n  \
             case $(echo \"$ANSWER\" | jq -r '.error // empty') in\n    \
             '') echo \"$ANSWER\"; break ;;\n    \
             authorization_pending) ;;\n    \
             slow_down) INTERVAL=$((INTERVAL + 5)) ;;\n    \
             *) echo \"$ANSWER\" >&2; exit 1 ;;\n  \
             esac\n\
             done\n"
        ),
        Scheme::ClientCredentials => format!(
            "# CLIENT_SECRET: an api-key of the application, from your secret storage\n\
             curl -sS --fail-with-body -u \"{client_id}:$CLIENT_SECRET\" \\\n  \
             -d grant_type=client_credentials --data-urlencode 'scope={product_scope}' \\\n  \
             {token}\n"
        ),
        Scheme::Password => format!(
            "# Only for an application the operator enabled the password grant for.\n\
             curl -sS --fail-with-body -u \"{client_id}:$CLIENT_SECRET\" \\\n  \
             -d grant_type=password --data-urlencode \"username=$USER_LOGIN\" \\\n  \
             --data-urlencode \"password=$USER_PASSWORD\" --data-urlencode 'scope={scope}' \\\n  \
             {token}\n"
        ),
        Scheme::Certificate => format!(
            "# CERT_FILE: the person's certificate (PEM), bound to their account;\n\
             # KEY_FILE: its private key, which only the person's side holds.\n\
             ANSWER=$(curl -sS --fail-with-body -u \"{client_id}:$CLIENT_SECRET\" \\\n  \
             --data-urlencode \"certificate@$CERT_FILE\" {certificate})\n\
             THUMBPRINT=$(echo \"$ANSWER\" | jq -r .thumbprint)\n\
             echo \"$ANSWER\" | jq -r .encrypted_key | openssl base64 -d -A > challenge.der\n\
             VALUE=$(openssl cms -decrypt -inform DER -in challenge.der \\\n  \
             -inkey \"$KEY_FILE\" -recip \"$CERT_FILE\" | openssl base64 -A)\n\
             curl -sS --fail-with-body -u \"{client_id}:$CLIENT_SECRET\" \\\n  \
             -d grant_type=certificate -d \"thumbprint=$THUMBPRINT\" \\\n  \
             --data-urlencode \"decrypted_key=$VALUE\" --data-urlencode 'scope={scope}' \\\n  \
             {token}\n"
        ),
        Scheme::TokenExchange => format!(
            "# SUBJECT_TOKEN: an access token a person's sign-in gave your partner application\n\
             curl -sS --fail-with-body -u \"{client_id}:$CLIENT_SECRET\" \\\n  \
             -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange \\\n  \
             -d \"subject_token=$SUBJECT_TOKEN\" \\\n  \
             -d subject_token_type=urn:ietf:params:oauth:token-type:access_token \\\n  \
             --data-urlencode 'scope={product_scope}' \\\n  \
             {token}\n"
        ),
    }
}

fn python(scheme: Scheme, f: &Filled) -> String {
    let Filled {
        authorize,
        token,
        device,
        certificate,
        client_id,
        redirect_uri,
        scope,
        product_scope,
        ..
    } = f;
    let head = if f.insecure() {
        "import json, os\n\
         # A development deployment on plain http:\n\
         os.environ[\"AUTHLIB_INSECURE_TRANSPORT\"] = \"1\"\n"
    } else {
        "import json, os\n"
    };
    let body = match scheme {
        Scheme::Code => format!(
            "from authlib.integrations.requests_client import OAuth2Session\n\n\
             client = OAuth2Session(\"{client_id}\", os.environ[\"CLIENT_SECRET\"],\n    \
             scope=\"{scope}\", redirect_uri=\"{redirect_uri}\")\n\
             url, state = client.create_authorization_url(\"{authorize}\")\n\
             print(\"Open in a browser and sign in:\", url, flush=True)\n\
             callback = input(\"Paste the address the browser was sent back to: \")\n\
             tokens = client.fetch_token(\"{token}\", authorization_response=callback, state=state)\n\
             print(json.dumps(tokens, indent=2))\n"
        ),
        Scheme::Pkce => format!(
            "from authlib.common.security import generate_token\n\
             from authlib.integrations.requests_client import OAuth2Session\n\n\
             client = OAuth2Session(\"{client_id}\", scope=\"{scope}\", redirect_uri=\"{redirect_uri}\",\n    \
             code_challenge_method=\"S256\", token_endpoint_auth_method=\"none\")\n\
             verifier = generate_token(48)\n\
             url, state = client.create_authorization_url(\"{authorize}\", code_verifier=verifier)\n\
             print(\"Open in a browser and sign in:\", url, flush=True)\n\
             callback = input(\"Paste the address the browser was sent back to: \")\n\
             tokens = client.fetch_token(\"{token}\", authorization_response=callback, state=state,\n    \
             code_verifier=verifier)\n\
             print(json.dumps(tokens, indent=2))\n"
        ),
        Scheme::Device => format!(
            "import time\nimport requests\n\n\
             start = requests.post(\"{device}\",\n    \
             data={{\"client_id\": \"{client_id}\", \"scope\": \"{scope}\"}}).json()\n\
             print(\"Open on another device:\", start[\"verification_uri_complete\"], flush=True)\n\
             interval = start.get(\"interval\", 5)\n\
             while True:\n    \
             time.sleep(interval)\n    \
             answer = requests.post(\"{token}\", data={{\n        \
             \"grant_type\": \"urn:ietf:params:oauth:grant-type:device_code\",\n        \
             \"client_id\": \"{client_id}\", \"device_code\": start[\"device_code\"]}}).json()\n    \
             error = answer.get(\"error\")\n    \
             if error is None:\n        \
             print(json.dumps(answer, indent=2))\n        \
             break\n    \
             if error == \"slow_down\":\n        \
             interval += 5\n    \
             elif error != \"authorization_pending\":\n        \
             raise SystemExit(answer)\n"
        ),
        Scheme::ClientCredentials => format!(
            "from authlib.integrations.requests_client import OAuth2Session\n\n\
             client = OAuth2Session(\"{client_id}\", os.environ[\"CLIENT_SECRET\"], scope=\"{product_scope}\")\n\
             tokens = client.fetch_token(\"{token}\", grant_type=\"client_credentials\")\n\
             print(json.dumps(tokens, indent=2))\n"
        ),
        Scheme::Password => format!(
            "from authlib.integrations.requests_client import OAuth2Session\n\n\
             client = OAuth2Session(\"{client_id}\", os.environ[\"CLIENT_SECRET\"], scope=\"{scope}\")\n\
             tokens = client.fetch_token(\"{token}\",\n    \
             username=os.environ[\"USER_LOGIN\"], password=os.environ[\"USER_PASSWORD\"])\n\
             print(json.dumps(tokens, indent=2))\n"
        ),
        Scheme::Certificate => format!(
            "import base64, subprocess\nimport requests\n\n\
             auth = (\"{client_id}\", os.environ[\"CLIENT_SECRET\"])\n\
             cert_file, key_file = os.environ[\"CERT_FILE\"], os.environ[\"KEY_FILE\"]\n\
             with open(cert_file) as f:\n    \
             certificate = f.read()\n\
             asked = requests.post(\"{certificate}\", auth=auth, data={{\"certificate\": certificate}})\n\
             asked.raise_for_status()\n\
             challenge = asked.json()\n\
             # The value is encrypted to the certificate's key (CMS); the key's holder opens it.\n\
             value = subprocess.run(\n    \
             [\"openssl\", \"cms\", \"-decrypt\", \"-inform\", \"DER\", \"-inkey\", key_file, \"-recip\", cert_file],\n    \
             input=base64.b64decode(challenge[\"encrypted_key\"]), capture_output=True, check=True).stdout\n\
             answer = requests.post(\"{token}\", auth=auth, data={{\n    \
             \"grant_type\": \"certificate\",\n    \
             \"thumbprint\": challenge[\"thumbprint\"],\n    \
             \"decrypted_key\": base64.b64encode(value).decode(),\n    \
             \"scope\": \"{scope}\",\n\
             }})\n\
             answer.raise_for_status()\n\
             print(json.dumps(answer.json(), indent=2))\n"
        ),
        Scheme::TokenExchange => format!(
            "import requests\n\n\
             answer = requests.post(\"{token}\", auth=(\"{client_id}\", os.environ[\"CLIENT_SECRET\"]), data={{\n    \
             \"grant_type\": \"urn:ietf:params:oauth:grant-type:token-exchange\",\n    \
             \"subject_token\": os.environ[\"SUBJECT_TOKEN\"],\n    \
             \"subject_token_type\": \"urn:ietf:params:oauth:token-type:access_token\",\n    \
             \"scope\": \"{product_scope}\",\n\
             }})\n\
             answer.raise_for_status()\n\
             print(json.dumps(answer.json(), indent=2))\n"
        ),
    };
    format!("{head}{body}")
}

fn node(scheme: Scheme, f: &Filled) -> Option<String> {
    let Filled {
        issuer,
        client_id,
        redirect_uri,
        scope,
        product_scope,
        ..
    } = f;
    let options = if f.insecure() {
        ", {\n  execute: [client.allowInsecureRequests], // a development deployment on plain http\n}"
    } else {
        ""
    };
    let read_callback = "const rl = createInterface({ input: process.stdin, output: process.stderr });\n\
         const callback = await rl.question('Paste the address the browser was sent back to: ');\n\
         rl.close();\n";
    let code = match scheme {
        Scheme::Code => format!(
            "import * as client from 'openid-client';\n\
             import {{ createInterface }} from 'node:readline/promises';\n\n\
             const config = await client.discovery(new URL('{issuer}'), '{client_id}',\n  \
             process.env.CLIENT_SECRET, undefined{options});\n\
             const state = client.randomState();\n\
             const url = client.buildAuthorizationUrl(config, {{\n  \
             redirect_uri: '{redirect_uri}', scope: '{scope}', state,\n\
             }});\n\
             console.log('Open in a browser and sign in:', url.href);\n\
             {read_callback}\
             const tokens = await client.authorizationCodeGrant(config, new URL(callback), {{ expectedState: state }});\n\
             console.log(JSON.stringify(tokens, null, 2));\n"
        ),
        Scheme::Pkce => format!(
            "import * as client from 'openid-client';\n\
             import {{ createInterface }} from 'node:readline/promises';\n\n\
             const config = await client.discovery(new URL('{issuer}'), '{client_id}',\n  \
             undefined, client.None(){options});\n\
             const verifier = client.randomPKCECodeVerifier();\n\
             const state = client.randomState();\n\
             const url = client.buildAuthorizationUrl(config, {{\n  \
             redirect_uri: '{redirect_uri}', scope: '{scope}', state,\n  \
             code_challenge: await client.calculatePKCECodeChallenge(verifier),\n  \
             code_challenge_method: 'S256',\n\
             }});\n\
             console.log('Open in a browser and sign in:', url.href);\n\
             {read_callback}\
             const tokens = await client.authorizationCodeGrant(config, new URL(callback), {{\n  \
             pkceCodeVerifier: verifier, expectedState: state,\n\
             }});\n\
             console.log(JSON.stringify(tokens, null, 2));\n"
        ),
        Scheme::Device => format!(
            "import * as client from 'openid-client';\n\n\
             const config = await client.discovery(new URL('{issuer}'), '{client_id}',\n  \
             undefined, client.None(){options});\n\
             const start = await client.initiateDeviceAuthorization(config, {{ scope: '{scope}' }});\n\
             console.log('Open on another device:', start.verification_uri_complete);\n\
             const tokens = await client.pollDeviceAuthorizationGrant(config, start);\n\
             console.log(JSON.stringify(tokens, null, 2));\n"
        ),
        Scheme::ClientCredentials => format!(
            "import * as client from 'openid-client';\n\n\
             const config = await client.discovery(new URL('{issuer}'), '{client_id}',\n  \
             process.env.CLIENT_SECRET, undefined{options});\n\
             const tokens = await client.clientCredentialsGrant(config, {{ scope: '{product_scope}' }});\n\
             console.log(JSON.stringify(tokens, null, 2));\n"
        ),
        Scheme::Password | Scheme::TokenExchange | Scheme::Certificate => return None,
    };
    Some(code)
}

/// The `[dependencies]` the Rust samples are built with (the versions the workspace itself
/// builds and tests with); each sample names them in its first lines, indented under
/// [`RUST_HEADER`], and the snippet runner builds it with exactly those.
pub const RUST_DEPENDENCIES: [&str; 3] = [
    "[dependencies]",
    "openidconnect = \"4\" # default features: reqwest over rustls",
    "tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"time\"] }",
];

/// The first line of every Rust sample.
pub const RUST_HEADER: &str = "// src/main.rs of a binary crate whose Cargo.toml has:";

/// A Rust expression of the scopes in `scope` other than `openid` (which the library asks
/// for itself), for `add_scopes`.
fn rust_scopes(scope: &str) -> String {
    let quoted: Vec<String> = scope
        .split_whitespace()
        .filter(|s| *s != "openid")
        .map(|s| format!("\"{s}\""))
        .collect();
    format!("[{}].map(|s| Scope::new(s.into()))", quoted.join(", "))
}

/// Each Rust sample is the whole `src/main.rs` of a binary crate with the dependencies of
/// [`RUST_DEPENDENCIES`].
fn rust(scheme: Scheme, f: &Filled) -> Option<String> {
    let Filled {
        issuer,
        device,
        client_id,
        redirect_uri,
        scope,
        product_scope,
        ..
    } = f;
    let secret = match scheme {
        Scheme::Code | Scheme::ClientCredentials => {
            "Some(ClientSecret::new(std::env::var(\"CLIENT_SECRET\")?))"
        }
        _ => "None",
    };
    let manifest: String = std::iter::once(RUST_HEADER.to_owned())
        .chain(RUST_DEPENDENCIES.iter().map(|line| format!("//   {line}")))
        .map(|line| line + "\n")
        .collect();
    let head = format!(
        "{manifest}\
         use openidconnect::core::*;\n\
         use openidconnect::*;\n\n\
         #[tokio::main]\n\
         async fn main() -> Result<(), Box<dyn std::error::Error>> {{\n    \
         // No redirects followed: an answer of the provider never leads the client elsewhere.\n    \
         let http = openidconnect::reqwest::ClientBuilder::new()\n        \
         .redirect(openidconnect::reqwest::redirect::Policy::none())\n        \
         .build()?;\n    \
         let issuer = IssuerUrl::new(\"{issuer}\".into())?;\n    \
         let metadata = CoreProviderMetadata::discover_async(issuer, &http).await?;\n    \
         let client = CoreClient::from_provider_metadata(\n        \
         metadata,\n        \
         ClientId::new(\"{client_id}\".into()),\n        \
         {secret},\n    \
         )"
    );
    let body = match scheme {
        Scheme::Code | Scheme::Pkce => format!(
            "\n    .set_redirect_uri(RedirectUrl::new(\"{redirect_uri}\".into())?);\n    \
             let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();\n    \
             let (url, state, nonce) = client\n        \
             .authorize_url(\n            \
             CoreAuthenticationFlow::AuthorizationCode,\n            \
             CsrfToken::new_random,\n            \
             Nonce::new_random,\n        \
             )\n        \
             .add_scopes({scopes})\n        \
             .set_pkce_challenge(challenge)\n        \
             .url();\n    \
             println!(\"Open in a browser and sign in: {{url}}\");\n    \
             eprint!(\"Paste the address the browser was sent back to: \");\n    \
             let mut callback = String::new();\n    \
             std::io::stdin().read_line(&mut callback)?;\n    \
             let callback = openidconnect::url::Url::parse(callback.trim())?;\n    \
             let param = |name: &str| {{\n        \
             callback\n            \
             .query_pairs()\n            \
             .find(|(key, _)| key == name)\n            \
             .map(|(_, value)| value.into_owned())\n    \
             }};\n    \
             if param(\"state\").as_deref() != Some(state.secret().as_str()) {{\n        \
             return Err(\"state does not match\".into());\n    \
             }}\n    \
             let code = param(\"code\").ok_or(\"no code in the address\")?;\n    \
             let tokens = client\n        \
             .exchange_code(AuthorizationCode::new(code))?\n        \
             .set_pkce_verifier(verifier)\n        \
             .request_async(&http)\n        \
             .await?;\n    \
             let id_token = tokens.id_token().ok_or(\"no ID token\")?;\n    \
             let claims = id_token.claims(&client.id_token_verifier(), &nonce)?;\n    \
             println!(\"signed in: {{}}\", claims.subject().as_str());\n    \
             println!(\"access_token: {{}}\", tokens.access_token().secret());\n    \
             Ok(())\n\
             }}\n",
            scopes = rust_scopes(scope),
        ),
        Scheme::Device => format!(
            "\n    .set_device_authorization_url(DeviceAuthorizationUrl::new(\"{device}\".into())?);\n    \
             let details: CoreDeviceAuthorizationResponse = client\n        \
             .exchange_device_code()\n        \
             .add_scopes({scopes})\n        \
             .request_async(&http)\n        \
             .await?;\n    \
             match details.verification_uri_complete() {{\n        \
             Some(complete) => println!(\"Open on another device: {{}}\", complete.secret()),\n        \
             None => println!(\n            \
             \"Open on another device: {{}} and enter {{}}\",\n            \
             details.verification_uri().as_str(),\n            \
             details.user_code().secret()\n        \
             ),\n    \
             }}\n    \
             let tokens = client\n        \
             .exchange_device_access_token(&details)?\n        \
             .request_async(&http, tokio::time::sleep, None)\n        \
             .await?;\n    \
             println!(\"access_token: {{}}\", tokens.access_token().secret());\n    \
             Ok(())\n\
             }}\n",
            scopes = rust_scopes(scope),
        ),
        Scheme::ClientCredentials => format!(
            ";\n    \
             let tokens = client\n        \
             .exchange_client_credentials()?\n        \
             .add_scopes({scopes})\n        \
             .request_async(&http)\n        \
             .await?;\n    \
             println!(\"access_token: {{}}\", tokens.access_token().secret());\n    \
             Ok(())\n\
             }}\n",
            scopes = rust_scopes(product_scope),
        ),
        Scheme::Password | Scheme::TokenExchange | Scheme::Certificate => return None,
    };
    Some(head + &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(issuer: &str) -> Filled {
        Filled {
            issuer: issuer.into(),
            authorize: format!("{issuer}/connect/authorize"),
            token: format!("{issuer}/connect/token"),
            device: format!("{issuer}/connect/deviceauthorization"),
            certificate: format!("{issuer}/authentication/certificate"),
            client_id: "app-1".into(),
            redirect_uri: "https://rp.example/cb".into(),
            scope: "openid profile".into(),
            product_scope: "orders.read".into(),
        }
    }

    const ALL: [Scheme; 7] = [
        Scheme::Code,
        Scheme::Pkce,
        Scheme::Device,
        Scheme::ClientCredentials,
        Scheme::Password,
        Scheme::TokenExchange,
        Scheme::Certificate,
    ];

    #[test]
    fn every_sample_names_the_client_and_the_token_endpoint() {
        let f = filled("https://id.example");
        for scheme in ALL {
            for sample in samples(scheme, &f) {
                let code = &sample.code;
                assert!(
                    code.contains("app-1"),
                    "{scheme:?} {}: {code}",
                    sample.language
                );
                assert!(!code.contains("{client_id}"), "{code}");
                assert!(!code.contains("allowInsecureRequests"), "{code}");
                assert!(!code.contains("INSECURE"), "{code}");
            }
        }
        let web = curl(Scheme::Code, &f);
        assert!(web.contains("redirect_uri=https%3A%2F%2Frp.example%2Fcb"));
        assert!(!curl(Scheme::Pkce, &f).contains("CLIENT_SECRET"));
        assert!(curl(Scheme::Pkce, &f).contains("code_verifier"));
    }

    #[test]
    fn a_rust_sample_is_a_whole_main_rs_that_names_its_dependencies() {
        let f = filled("https://id.example");
        for scheme in [
            Scheme::Code,
            Scheme::Pkce,
            Scheme::Device,
            Scheme::ClientCredentials,
        ] {
            let code = rust(scheme, &f).expect("a Rust sample");
            let manifest: Vec<&str> = code
                .lines()
                .skip(1)
                .map_while(|line| line.strip_prefix("//   "))
                .collect();
            assert!(code.starts_with(RUST_HEADER), "{code}");
            assert_eq!(manifest, RUST_DEPENDENCIES, "{code}");
            assert!(code.contains("async fn main()"), "{code}");
            assert!(code.ends_with("    Ok(())\n}\n"), "{code}");
            assert!(!code.contains("\"openid\""), "{code}");
        }
        let web = rust(Scheme::Code, &f).expect("a Rust sample");
        assert!(web.contains("[\"profile\"].map"), "{web}");
        assert!(web.contains("state does not match"), "{web}");
    }

    #[test]
    fn a_plain_http_deployment_tells_the_libraries_so() {
        let f = filled("http://127.0.0.1:8080");
        assert!(python(Scheme::Code, &f).contains("AUTHLIB_INSECURE_TRANSPORT"));
        assert!(node(Scheme::Code, &f).is_some_and(|c| c.contains("allowInsecureRequests")));
    }
}
