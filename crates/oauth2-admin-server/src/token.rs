//! The admin token that every API request must send as `Authorization: Bearer <token>`.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::{files, AppState};

/// Environment variable that may hold the admin token.
pub const TOKEN_ENV: &str = "OAUTH2_ADMIN_TOKEN";

/// Random bytes in a generated token, written as 64 hexadecimal digits.
const GENERATED_TOKEN_BYTES: usize = 32;

/// An error reading or creating the admin token.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("both {TOKEN_ENV} and --token-file are set; use only one")]
    TwoSources,
    #[error("cannot read token file {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot create token file {path}: {source}")]
    Create { path: PathBuf, source: io::Error },
    #[error("admin token from {source_name} is empty or contains whitespace or non-printable characters; use printable ASCII without spaces")]
    Invalid { source_name: String },
    #[error("token file {path} has mode {mode:03o}, so other users can read it; run `chmod 600 {path}`")]
    LoosePermissions { path: PathBuf, mode: u32 },
    #[error("cannot create random bytes for a new admin token: {0}")]
    Random(getrandom::Error),
}

/// The admin token. `Debug` prints `[redacted]` and there is no `Display`.
#[derive(Clone)]
pub struct AdminToken(String);

impl fmt::Debug for AdminToken {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("AdminToken([redacted])")
    }
}

impl AdminToken {
    /// Compares `presented` with the token in constant time. `ct_eq` returns early on a length
    /// mismatch, so the token's length is not hidden. A generated token's length is public anyway.
    fn matches(&self, presented: &str) -> bool {
        self.0.as_bytes().ct_eq(presented.as_bytes()).into()
    }

    /// Finds the token: in `token_file`, else in `from_env` (the value of [`TOKEN_ENV`]), else in
    /// `generated_file`, which is created with a new random token when missing. Logs where the
    /// token is, never the token itself.
    pub fn resolve(
        token_file: Option<&Path>,
        from_env: Option<String>,
        generated_file: &Path,
    ) -> Result<AdminToken, TokenError> {
        match (token_file, from_env) {
            (Some(_), Some(_)) => Err(TokenError::TwoSources),
            (Some(path), None) => {
                let token = read_token_file(path)?;
                if let Ok(Err(mode)) = files::check_private(path) {
                    tracing::warn!(path = %path.display(), mode = format!("{mode:03o}"), "token file is readable by other users");
                }
                tracing::info!(path = %path.display(), "admin token read from file");
                Ok(token)
            }
            (None, Some(value)) => {
                let token = parse(&value, TOKEN_ENV)?;
                tracing::info!(variable = TOKEN_ENV, "admin token read from environment variable");
                Ok(token)
            }
            (None, None) => read_or_generate(generated_file),
        }
    }
}

/// Rejects an API request without the admin token with 401 before any handler runs.
pub async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Result<Response, ApiError> {
    let headers = request.headers();
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    // A cookie counts only with X-Requested-With, which a cross-site form cannot send and which
    // makes a cross-origin script need a CORS preflight, so the cookie cannot be used for CSRF.
    let cookie = headers
        .contains_key(REQUESTED_WITH)
        .then(|| token_cookie(headers))
        .flatten();

    match bearer.or(cookie.as_deref()) {
        None => Err(ApiError::Unauthorized { token_sent: false }),
        Some(token) if !state.token.matches(token) => Err(ApiError::Unauthorized { token_sent: true }),
        Some(_) => Ok(next.run(request).await),
    }
}

/// Name of the cookie that may carry the admin token for a page served on the same origin.
pub const TOKEN_COOKIE: &str = "oauth2_admin_token";

/// The header the page sends with every API request.
pub const REQUESTED_WITH: &str = "x-requested-with";

/// Returns the value of the [`TOKEN_COOKIE`] cookie, if the request has one.
fn token_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == TOKEN_COOKIE)
        .map(|(_, value)| value.trim().to_owned())
}

fn parse(text: &str, source_name: &str) -> Result<AdminToken, TokenError> {
    // A trailing line break is what `echo` and most editors leave at the end of a file.
    let token = text.trim_end_matches(['\n', '\r']);
    let printable = !token.is_empty() && token.bytes().all(|byte| byte.is_ascii_graphic());
    if !printable {
        return Err(TokenError::Invalid {
            source_name: source_name.to_owned(),
        });
    }
    Ok(AdminToken(token.to_owned()))
}

fn read_token_file(path: &Path) -> Result<AdminToken, TokenError> {
    let text = fs::read_to_string(path).map_err(|source| TokenError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&text, &path.display().to_string())
}

/// Reads the generated token file, or creates it with a new token on the first start.
fn read_or_generate(path: &Path) -> Result<AdminToken, TokenError> {
    if path.exists() {
        if let Ok(Err(mode)) = files::check_private(path) {
            return Err(TokenError::LoosePermissions {
                path: path.to_owned(),
                mode,
            });
        }
        let token = read_token_file(path)?;
        tracing::info!(path = %path.display(), "admin token read from the generated token file");
        return Ok(token);
    }

    let mut bytes = [0u8; GENERATED_TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(TokenError::Random)?;
    let token: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    match files::create_private(path, format!("{token}\n").as_bytes()) {
        Ok(()) => {
            tracing::info!(path = %path.display(), "generated a new admin token; read it from this file");
            Ok(AdminToken(token))
        }
        // Another process created the file between the check and the write: use its token.
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => read_token_file(path),
        Err(source) => Err(TokenError::Create {
            path: path.to_owned(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_file_line_break_ignored() {
        let token = parse("abc123\n", "test").unwrap();

        assert!(token.matches("abc123"));
        assert!(!token.matches("abc123\n"));
    }

    #[test]
    fn token_with_space_rejected() {
        assert!(parse("abc 123", "test").is_err());
        assert!(parse("", "test").is_err());
        assert!(parse("\n", "test").is_err());
    }

    #[test]
    fn token_debug_redacted() {
        let token = parse("abc123", "test").unwrap();

        assert_eq!(format!("{token:?}"), "AdminToken([redacted])");
    }

    #[test]
    fn other_token_rejected() {
        let token = parse("abc123", "test").unwrap();

        assert!(!token.matches("abc124"));
        assert!(!token.matches("abc12"));
        assert!(!token.matches(""));
    }
}
