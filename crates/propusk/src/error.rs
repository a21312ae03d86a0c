//! Errors of the binary. Every failure reaches `main` as one of these, is printed as a
//! single `error: …` line and ends the process with exit code 1; nothing panics.

use propusk_core::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The configuration could not be loaded or is invalid.
    #[error("configuration: {0}")]
    Config(String),
    /// An argument is missing, malformed or contradicts another one.
    #[error("{0}")]
    Invalid(String),
    /// Something with this identifier already exists.
    #[error("{0}")]
    Exists(String),
    /// Nothing with this identifier exists.
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Engine(#[from] propusk_core::error::Error),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl CliError {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }
}

impl From<propusk_core::admin::AdminError> for CliError {
    fn from(error: propusk_core::admin::AdminError) -> Self {
        use propusk_core::admin::AdminError as E;
        match error {
            E::NotFound { .. } => Self::NotFound(error.to_string()),
            E::Conflict(text) => Self::Exists(text),
            E::Invalid { field, description } => {
                Self::Invalid(format!("--{}: {description}", field.replace('_', "-")))
            }
            E::Metadata(m) => Self::Invalid(format!("{}: {} ({})", m.field, m.description, m.code)),
            E::Engine(e) => Self::Engine(e),
        }
    }
}

pub type CliResult<T> = Result<T, CliError>;
