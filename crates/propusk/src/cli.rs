//! The command line. Operators script it, so names, flags and `--json` shapes are a
//! contract: change them only compatibly.

use clap::{Args, Parser, Subcommand, ValueEnum};
use propusk_core::jose::Alg;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "propusk",
    version,
    about = "OpenID Connect Provider",
    long_about = "Propusk: an OpenID Connect Provider and OAuth 2.0 authorization server. \
                  Configuration is read from defaults, then --config FILE, then PROPUSK_* \
                  environment variables, then flags."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts, before or after the subcommand.
#[derive(Debug, Default, Args)]
pub struct GlobalArgs {
    /// TOML configuration file.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database URL (sqlite://… or postgres://…).
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Directory of the embedded database and master key.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

/// Print the result as JSON.
#[derive(Debug, Default, Clone, Copy, Args)]
pub struct Output {
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the provider.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Configuration tools.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Signing keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Pages: the theme.
    #[command(subcommand)]
    Ui(UiCommand),
    /// Manage users, clients and products.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Probe a running node's health endpoint; exit 0 when it answers 2xx (a container
    /// health check that needs no curl).
    Health(HealthArgs),
    /// Print the manual page, or write one page per command into a directory.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct HealthArgs {
    /// The endpoint to probe (plain http): `/healthz` answers while the process serves,
    /// `/readyz` while the node can serve requests.
    #[arg(
        long,
        value_name = "URL",
        default_value = "http://127.0.0.1:8080/healthz"
    )]
    pub url: String,
    /// Give up after this many seconds without an answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 5)]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write propusk.1 and a page for every subcommand (propusk-admin-user-create.1, …)
    /// into this directory instead of printing propusk.1.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// Socket address to listen on (port 0 picks a free port).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Issuer URL.
    #[arg(long, value_name = "URL")]
    pub issuer: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate a configuration file (defaults plus the file; the environment is not
    /// read); prints "ok" or the error.
    Check {
        /// The TOML file to check.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum UiCommand {
    /// Write the built-in theme (templates, static files, texts) into DIR, to edit and
    /// use as `[ui] theme_dir`.
    ExportTheme {
        /// The folder to write into; created when missing.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Publish new signing keys that take over after the pre-publication window.
    Rotate {
        /// Algorithm to rotate (repeatable); default: all.
        #[arg(long = "alg", value_name = "ALG", value_parser = parse_alg)]
        algs: Vec<Alg>,
        /// Seconds the new key is published before it signs; default from configuration.
        #[arg(long, value_name = "SECONDS")]
        prepublish: Option<i64>,
        #[command(flatten)]
        out: Output,
    },
    /// List the stored signing keys.
    List {
        #[command(flatten)]
        out: Output,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// User accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// OAuth clients.
    #[command(subcommand)]
    Client(ClientCommand),
    /// Products (APIs that accept access tokens).
    #[command(subcommand)]
    Product(ProductCommand),
    /// Partner issuers whose JWT assertions the jwt-bearer grant accepts (RFC 7523).
    #[command(subcommand)]
    TrustedIssuer(TrustedIssuerCommand),
    /// Requests of integrators' applications for a product's scopes.
    #[command(subcommand)]
    ScopeRequest(ScopeRequestCommand),
    /// Initial access tokens for dynamic client registration (RFC 7591).
    #[command(subcommand)]
    RegistrationToken(RegistrationTokenCommand),
    /// Certificate authorities and CRLs that certificate sign-in trusts: the files of
    /// `[certificates] trust_dir`.
    #[command(subcommand)]
    Ca(CaCommand),
}

#[derive(Debug, Subcommand)]
pub enum CaCommand {
    /// Trust the root or intermediate certificates (and CRLs) of a PEM or DER file: each
    /// is written into the trust folder, which running nodes read again by themselves.
    Add {
        /// A PEM or DER file of certificates or CRLs.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        out: Output,
    },
    /// List the trusted roots and intermediates, the CRLs, and files that were skipped.
    List {
        #[command(flatten)]
        out: Output,
    },
    /// Stop trusting a certificate: FILE (the one added) or its SHA-1 thumbprint.
    Remove {
        /// The file that was added, or the certificate's SHA-1 thumbprint in hex.
        #[arg(value_name = "FILE|THUMBPRINT")]
        what: String,
        #[command(flatten)]
        out: Output,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCertificateCommand {
    /// Bind a certificate (PEM or DER FILE) to an account for certificate sign-in; it
    /// must chain to the trusted roots.
    Add {
        /// The account's login.
        #[arg(long, value_name = "LOGIN")]
        login: String,
        /// The certificate: PEM, DER, or the DER in base64.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        out: Output,
    },
    /// List the certificates bound to an account.
    List {
        /// The account's login.
        #[arg(long, value_name = "LOGIN")]
        login: String,
        #[command(flatten)]
        out: Output,
    },
    /// Unbind a certificate from an account by its SHA-1 thumbprint.
    Remove {
        /// The account's login.
        #[arg(long, value_name = "LOGIN")]
        login: String,
        /// The certificate's SHA-1 thumbprint in hex (any case, spaces allowed).
        #[arg(value_name = "THUMBPRINT")]
        thumbprint: String,
        #[command(flatten)]
        out: Output,
    },
}

#[derive(Debug, Subcommand)]
pub enum ScopeRequestCommand {
    /// List requests (pending ones unless --all).
    List {
        /// Include approved and refused requests.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        out: Output,
    },
    /// Approve a pending request: the scope becomes one the application may ask for.
    Approve {
        /// The request id, as listed.
        id: String,
        #[command(flatten)]
        out: Output,
    },
    /// Refuse a pending request.
    Refuse {
        /// The request id, as listed.
        id: String,
        #[command(flatten)]
        out: Output,
    },
}

#[derive(Debug, Subcommand)]
pub enum RegistrationTokenCommand {
    /// Issue a token that lets its holder register clients at /connect/register; it is
    /// printed once.
    Create {
        /// The token stops working after this many seconds; by default it does not expire.
        #[arg(long, value_name = "SECONDS")]
        expires_in: Option<i64>,
        #[command(flatten)]
        out: Output,
    },
}

#[derive(Debug, Subcommand)]
pub enum TrustedIssuerCommand {
    /// Register (or replace) a partner issuer.
    Add {
        /// The `iss` of the partner's assertions.
        #[arg(long, value_name = "ISS")]
        issuer: String,
        /// The partner's public keys (a JWKS JSON document).
        #[arg(long, value_name = "JSON")]
        jwks: String,
        /// A client that may present this issuer's assertions (repeatable).
        #[arg(long = "client-id", value_name = "ID", required = true)]
        client_ids: Vec<String>,
        /// How the assertion's `sub` names an account: `login` or `id`.
        #[arg(long, value_name = "MAPPING", default_value = "login")]
        subject: String,
        #[command(flatten)]
        out: Output,
    },
    /// List the registered issuers.
    List {
        #[command(flatten)]
        out: Output,
    },
    /// Remove an issuer.
    Delete {
        /// The `iss` of the issuer to remove.
        #[arg(long, value_name = "ISS")]
        issuer: String,
        #[command(flatten)]
        out: Output,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account with a password (hashed with argon2id).
    Create {
        #[command(flatten)]
        profile: UserProfileArgs,
        /// The password; hashed with argon2id.
        #[arg(long, value_name = "PASSWORD")]
        password: String,
        #[command(flatten)]
        out: Output,
    },
    /// Import an account with an existing password hash, stored as is.
    Import {
        #[command(flatten)]
        profile: UserProfileArgs,
        /// An existing password hash, stored as is.
        #[arg(long, value_name = "HASH")]
        password_hash: String,
        #[command(flatten)]
        out: Output,
    },
    /// List accounts.
    List {
        #[command(flatten)]
        out: Output,
    },
    /// Certificates that sign the account in.
    #[command(subcommand)]
    Certificate(UserCertificateCommand),
    /// Block an account: sign-in refused, sessions ended, its tokens revoked.
    Block(UserTarget),
    /// Let a blocked account sign in again.
    Unblock(UserTarget),
    /// Make an account an operator of the console.
    GrantOperator(UserTarget),
    /// Take operator rights away from an account.
    RevokeOperator(UserTarget),
}

/// The account a command acts on.
#[derive(Debug, Args)]
pub struct UserTarget {
    /// Login, e-mail or phone of the account.
    #[arg(long, value_name = "LOGIN")]
    pub login: String,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Debug, Args)]
pub struct UserProfileArgs {
    /// Login (stored lower-cased).
    #[arg(long, value_name = "LOGIN")]
    pub login: String,
    /// E-mail address (stored lower-cased).
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
    /// Phone number (stored as + and digits).
    #[arg(long, value_name = "PHONE")]
    pub phone: Option<String>,
    /// Full name (the `name` claim).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Register a client; a generated secret is printed once.
    Create(Box<ClientCreateArgs>),
    /// List clients.
    List {
        #[command(flatten)]
        out: Output,
    },
    /// Show one client.
    Show {
        /// The client_id.
        #[arg(value_name = "ID")]
        client_id: String,
        #[command(flatten)]
        out: Output,
    },
    /// Delete a client and its secrets.
    Delete {
        /// The client_id.
        #[arg(value_name = "ID")]
        client_id: String,
        #[command(flatten)]
        out: Output,
    },
    /// Client secrets.
    #[command(subcommand)]
    Secret(SecretCommand),
}

#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Add a generated secret to a client; printed once.
    Add {
        /// The client_id.
        #[arg(value_name = "ID")]
        client_id: String,
        /// The secret stops working after this many seconds.
        #[arg(long, value_name = "SECONDS")]
        expires_in: Option<i64>,
        #[command(flatten)]
        out: Output,
    },
}

#[derive(Debug, Args)]
pub struct ClientCreateArgs {
    /// The client_id.
    #[arg(long, value_name = "ID")]
    pub client_id: String,
    /// Name shown to users on the consent page.
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// `web` (a server or a browser application) or `native` (desktop or mobile, RFC 8252):
    /// a native client is public unless it authenticates with `private_key_jwt`, and its
    /// loopback redirect URIs match with any port.
    #[arg(long, value_enum, value_name = "TYPE", default_value = "web")]
    pub application_type: ApplicationTypeArg,
    /// Allowed redirect URI (repeatable), matched exactly (a native client's loopback
    /// `http://127.0.0.1/…` or `http://[::1]/…` with any port).
    #[arg(long = "redirect-uri", value_name = "URI")]
    pub redirect_uris: Vec<String>,
    /// A web origin (`https://app.example`) that may call the token, userinfo,
    /// revocation and device endpoints from a browser, besides the redirect URIs' origins
    /// (repeatable).
    #[arg(long = "allowed-origin", value_name = "ORIGIN")]
    pub allowed_origins: Vec<String>,
    /// Allowed post-logout redirect URI (repeatable).
    #[arg(long = "post-logout-redirect-uri", value_name = "URI")]
    pub post_logout_redirect_uris: Vec<String>,
    /// Back-channel logout URI (OIDC Back-Channel Logout 1.0 §2.2).
    #[arg(long, value_name = "URI")]
    pub backchannel_logout_uri: Option<String>,
    /// Front-channel logout URI (OIDC Front-Channel Logout 1.0 §2).
    #[arg(long, value_name = "URI")]
    pub frontchannel_logout_uri: Option<String>,
    /// Space-separated scopes the client may request.
    #[arg(
        long,
        value_name = "SCOPES",
        default_value = "openid profile email phone offline_access"
    )]
    pub scope: String,
    /// Grant type (repeatable); default authorization_code and refresh_token.
    #[arg(long = "grant-type", value_name = "GRANT")]
    pub grant_types: Vec<String>,
    /// A public client: no secret, PKCE required.
    #[arg(long)]
    pub public: bool,
    /// Import an existing secret (api-key) instead of generating one.
    #[arg(long, value_name = "VALUE")]
    pub secret: Option<String>,
    /// token_endpoint_auth_method; default client_secret_basic (none when --public).
    #[arg(long, value_name = "METHOD")]
    pub auth_method: Option<String>,
    /// Public keys (a JWKS JSON document) for private_key_jwt.
    #[arg(long, value_name = "JSON")]
    pub jwks: Option<String>,
    /// An https URL serving the public keys for private_key_jwt, instead of --jwks; read
    /// through the provider's hardened fetcher.
    #[arg(long, value_name = "URI")]
    pub jwks_uri: Option<String>,
    /// Do not ask users for consent.
    #[arg(long)]
    pub no_consent: bool,
    /// Take authorization requests from this client only through `/connect/par`
    /// (RFC 9126 §6).
    #[arg(long)]
    pub require_par: bool,
    /// Take authorization requests from this client only as signed request objects
    /// (RFC 9101 §10.5).
    #[arg(long)]
    pub require_signed_request_object: bool,
    /// The one JWS alg of this client's request objects.
    #[arg(long, value_name = "ALG", value_parser = parse_alg)]
    pub request_object_alg: Option<Alg>,
    /// The weakest authentication context the client accepts, e.g.
    /// `urn:propusk:acr:mfa` for a second factor on every sign-in for it.
    #[arg(long, value_name = "ACR")]
    pub minimum_acr: Option<String>,
    /// Refuse token requests from this client without a DPoP proof, so that its access
    /// tokens are always DPoP-bound (`dpop_bound_access_tokens`, RFC 9449 §5.2).
    #[arg(long)]
    pub require_dpop: bool,
    /// A security profile: `fapi2` (FAPI 2.0: PAR, PKCE S256, DPoP, `private_key_jwt`,
    /// ID tokens PS256/ES256/EdDSA given with `--id-token-alg`, codes of at most 60 s).
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// RFC 8705 §2.1.2: the subject DN (RFC 4514) a tls_client_auth certificate carries.
    #[arg(long, value_name = "DN")]
    pub tls_client_auth_subject_dn: Option<String>,
    /// The dNSName SAN a tls_client_auth certificate carries.
    #[arg(long, value_name = "NAME")]
    pub tls_client_auth_san_dns: Option<String>,
    /// The URI SAN a tls_client_auth certificate carries.
    #[arg(long, value_name = "URI")]
    pub tls_client_auth_san_uri: Option<String>,
    /// The IP address SAN a tls_client_auth certificate carries.
    #[arg(long, value_name = "IP")]
    pub tls_client_auth_san_ip: Option<String>,
    /// The rfc822Name SAN a tls_client_auth certificate carries.
    #[arg(long, value_name = "EMAIL")]
    pub tls_client_auth_san_email: Option<String>,
    /// RFC 8705 §3: access tokens obtained over mTLS are bound to the certificate.
    #[arg(long)]
    pub tls_client_certificate_bound_access_tokens: bool,
    /// `sub` values: the account id, or pairwise per sector (OIDC Core §8).
    #[arg(long, value_enum, value_name = "TYPE", default_value = "public")]
    pub subject_type: SubjectTypeArg,
    /// Authorization code lifetime, seconds.
    #[arg(long, value_name = "S")]
    pub code_ttl: Option<i64>,
    /// Access token lifetime, seconds.
    #[arg(long, value_name = "S")]
    pub access_token_ttl: Option<i64>,
    /// Refresh token lifetime, seconds.
    #[arg(long, value_name = "S")]
    pub refresh_token_ttl: Option<i64>,
    /// JWS alg of ID tokens for this client.
    #[arg(long, value_name = "ALG", value_parser = parse_alg)]
    pub id_token_alg: Option<Alg>,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ApplicationTypeArg {
    /// A server-side or browser application.
    Web,
    /// A desktop or mobile application (RFC 8252).
    Native,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SubjectTypeArg {
    /// `sub` is the account id, the same for every client.
    Public,
    /// `sub` differs per sector identifier (OIDC Core §8.1).
    Pairwise,
}

#[derive(Debug, Subcommand)]
pub enum ProductCommand {
    /// Register a product and its introspection credentials; the secret is printed once.
    Create {
        /// Audience of the product's tokens; also its client id.
        #[arg(long, value_name = "AUD")]
        audience: String,
        /// Display name; default the audience.
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Scope the product owns (repeatable, or space-separated).
        #[arg(long = "scope", value_name = "SCOPE", required = true)]
        scopes: Vec<String>,
        /// Access tokens as JWT (RFC 9068) or reference tokens checked by introspection.
        #[arg(long, value_enum, value_name = "FORMAT", default_value = "jwt")]
        token_format: TokenFormatArg,
        /// JWS alg of JWT access tokens for this product.
        #[arg(long, value_name = "ALG", value_parser = parse_alg)]
        signing_alg: Option<Alg>,
        /// Applications' requests for these scopes wait for the operator's approval.
        #[arg(long)]
        approval_required: bool,
        /// `sub` of the product's access tokens, the same for a person whichever
        /// application obtained them: derived from the audience (pairwise) or the
        /// account id (public).
        #[arg(long, value_enum, value_name = "TYPE", default_value = "pairwise")]
        subject_type: SubjectTypeArg,
        #[command(flatten)]
        out: Output,
    },
    /// List products.
    List {
        #[command(flatten)]
        out: Output,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenFormatArg {
    /// Signed JWT access tokens (RFC 9068) the product verifies itself.
    Jwt,
    /// Opaque tokens the product checks at the introspection endpoint (RFC 7662).
    Reference,
}

fn parse_alg(text: &str) -> Result<Alg, String> {
    text.parse()
        .map_err(|_| format!("unsupported algorithm `{text}`; use RS256, PS256, ES256 or EdDSA"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    /// `--help` and the manual pages are the CLI's documentation: every command, every
    /// argument and every listed value must say what it is.
    #[test]
    fn every_command_and_argument_has_help() {
        let mut cli = Cli::command();
        cli.build();
        let mut missing = Vec::new();
        undocumented(&cli, "propusk", &mut missing);
        assert!(missing.is_empty(), "without help text: {missing:#?}");
    }

    fn undocumented(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        if command.get_about().is_none() {
            missing.push(path.to_owned());
        }
        for arg in command.get_arguments() {
            let name = format!("{path} {}", arg.get_id());
            if arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(name.clone());
            }
            if arg.get_action().takes_values() {
                for value in arg.get_possible_values() {
                    if value.get_help().is_none() {
                        missing.push(format!("{name}={}", value.get_name()));
                    }
                }
            }
        }
        for sub in command.get_subcommands() {
            undocumented(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }

    #[test]
    fn the_help_walk_finds_what_lacks_help() {
        let bare = clap::Command::new("bare")
            .arg(clap::Arg::new("file"))
            .subcommand(clap::Command::new("sub").about("Has one."));
        let mut missing = Vec::new();
        undocumented(&bare, "bare", &mut missing);
        assert_eq!(missing, ["bare", "bare file"]);
    }

    #[test]
    fn global_options_work_after_the_subcommand() {
        let cli = Cli::try_parse_from([
            "propusk",
            "admin",
            "user",
            "list",
            "--json",
            "--database-url",
            "sqlite::memory:",
            "--data-dir",
            "/x",
        ])
        .expect("parses");
        assert_eq!(cli.global.database_url.as_deref(), Some("sqlite::memory:"));
        assert!(
            matches!(cli.command, Command::Admin(AdminCommand::User(UserCommand::List { out })) if out.json)
        );
    }

    #[test]
    fn global_options_work_before_the_subcommand() {
        let cli = Cli::try_parse_from(["propusk", "admin", "--config", "p.toml", "user", "list"])
            .expect("parses");
        assert_eq!(cli.global.config, Some(PathBuf::from("p.toml")));
    }

    #[test]
    fn rotate_takes_repeated_algs() {
        let cli = Cli::try_parse_from([
            "propusk",
            "keys",
            "rotate",
            "--alg",
            "ES256",
            "--alg",
            "EdDSA",
            "--prepublish",
            "3",
        ])
        .expect("parses");
        let Command::Keys(KeysCommand::Rotate {
            algs, prepublish, ..
        }) = cli.command
        else {
            panic!("not rotate");
        };
        assert_eq!(algs, vec![Alg::ES256, Alg::EdDSA]);
        assert_eq!(prepublish, Some(3));
        assert!(Cli::try_parse_from(["propusk", "keys", "rotate", "--alg", "HS256"]).is_err());
    }
}
