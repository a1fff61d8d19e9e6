//! Start-up: the database, the encryption key and the admin token, gathered into the state that
//! every request shares.

use std::path::PathBuf;
use std::sync::Arc;

use axum::http::HeaderValue;

use crate::files;
use crate::secrets::{KeyFileError, SecretCipher};
use crate::store::{OpenError, Store, StoreError};
use crate::token::{AdminToken, TokenError};
use crate::Options;

/// An error that stops the server at start-up. Each message names the file or value and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot create data folder {path}: {source}")]
    DataDir { path: PathBuf, source: std::io::Error },
    #[error("invalid --cors-origin {origin:?}: write a scheme and host with an optional port, such as https://portal.example.com")]
    CorsOrigin { origin: String },
    #[error(transparent)]
    Database(#[from] OpenError),
    #[error(transparent)]
    KeyFile(#[from] KeyFileError),
    #[error("key file {path} does not decrypt the secrets in the database; use the key file that was created with it ({source})")]
    KeyMismatch { path: PathBuf, source: StoreError },
    #[error("cannot check the database for stored secrets: {0}")]
    SecretScan(rusqlite::Error),
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error("--frame-ancestors {0:?} is not a valid header value; list sources separated by spaces")]
    InvalidFrameAncestors(String),
    #[error("PORT {0:?} is not a port number from 0 to 65535")]
    InvalidPort(String),
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("server stopped with an error: {0}")]
    Serve(std::io::Error),
}

/// Settings for serving the built page.
#[derive(Debug)]
pub struct PageSettings {
    /// The built page's folder, or `None` to serve the API only.
    pub dist: Option<PathBuf>,
    /// The `Content-Security-Policy` header of every response.
    pub content_security_policy: HeaderValue,
    /// Origins allowed to call the API cross-origin; empty allows none.
    pub cors_origins: Vec<HeaderValue>,
}

/// The state shared by every request handler.
#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Arc<Store>,
    pub(crate) token: Arc<AdminToken>,
    pub(crate) page: Arc<PageSettings>,
}

impl AppState {
    /// Opens and migrates the database, loads or creates the key file, finds the admin token and
    /// checks the page folder. `token_from_env` is the value of [`crate::TOKEN_ENV`], if set.
    pub fn open(options: &Options, token_from_env: Option<String>) -> Result<AppState, StartupError> {
        let content_security_policy = content_security_policy(&options.frame_ancestors)?;
        let cors_origins = cors_origins(&options.cors_origins)?;
        let data_dir = options.data_dir();
        files::create_private_dir(data_dir).map_err(|source| StartupError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;

        let connection = Store::open_connection(&options.database)?;
        tracing::info!(path = %options.database.display(), "database opened");

        let key_file = options.key_file();
        let has_secrets = Store::has_sealed_secrets(&connection).map_err(StartupError::SecretScan)?;
        let cipher = SecretCipher::load_or_create(&key_file, !has_secrets)?;
        Store::check_key(&connection, &cipher).map_err(|source| StartupError::KeyMismatch {
            path: key_file.clone(),
            source,
        })?;

        let token = AdminToken::resolve(
            options.token_file.as_deref(),
            token_from_env,
            &options.generated_token_file(),
        )?;

        let dist = if options.dist.is_dir() {
            Some(options.dist.clone())
        } else {
            tracing::warn!(path = %options.dist.display(), "page folder not found, so only the API is served");
            None
        };

        Ok(AppState {
            store: Arc::new(Store::new(&options.database, connection, cipher)),
            token: Arc::new(token),
            page: Arc::new(PageSettings {
                dist,
                content_security_policy,
                cors_origins,
            }),
        })
    }
}

/// Checks each `--cors-origin`: a scheme, a host and an optional port, nothing else.
fn cors_origins(origins: &[String]) -> Result<Vec<HeaderValue>, StartupError> {
    origins
        .iter()
        .map(|origin| {
            let valid = (origin.starts_with("https://") || origin.starts_with("http://"))
                && !origin
                    .trim_end_matches('/')
                    .split("://")
                    .nth(1)
                    .unwrap_or("")
                    .contains('/')
                && !origin.ends_with('/');
            match (valid, HeaderValue::from_str(origin)) {
                (true, Ok(value)) => Ok(value),
                _ => Err(StartupError::CorsOrigin { origin: origin.clone() }),
            }
        })
        .collect()
}

fn content_security_policy(frame_ancestors: &str) -> Result<HeaderValue, StartupError> {
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; frame-ancestors {frame_ancestors}"
    );
    let valid = !frame_ancestors.trim().is_empty() && !frame_ancestors.contains(';');
    match HeaderValue::from_str(&policy) {
        Ok(value) if valid => Ok(value),
        _ => Err(StartupError::InvalidFrameAncestors(frame_ancestors.to_owned())),
    }
}
