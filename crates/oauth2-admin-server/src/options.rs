//! Command-line options and the defaults derived from them.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use clap::Parser;

use crate::StartupError;

/// Port used when neither `--bind` nor `PORT` is set.
const DEFAULT_PORT: u16 = 8080;

/// File name of the encryption key when `--key-file` is not given, next to the database.
const DEFAULT_KEY_FILE: &str = "client-secrets.key";

/// File name of the generated admin token, next to the database.
const DEFAULT_TOKEN_FILE: &str = "admin-token";

/// Serves the OAuth2 Admin API and page.
#[derive(Clone, Debug, Parser)]
#[command(name = "oauth2-admin-server", version, about)]
pub struct Options {
    /// SQLite database file. It and its folder are created if missing.
    #[arg(long, value_name = "PATH", default_value = "data/oauth2-admin.sqlite3")]
    pub database: PathBuf,

    /// File with the 32-byte key that encrypts client secrets, mode 0600. Created on first start.
    /// [default: client-secrets.key next to the database]
    #[arg(long, value_name = "PATH")]
    pub key_file: Option<PathBuf>,

    /// File with the admin token that API requests send as `Authorization: Bearer <token>`.
    /// Without it and without the OAUTH2_ADMIN_TOKEN environment variable, a token is generated
    /// into admin-token next to the database.
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,

    /// Address and port to listen on. [default: 127.0.0.1 with the port from the PORT environment
    /// variable, or 127.0.0.1:8080]
    #[arg(long, value_name = "ADDRESS:PORT")]
    pub bind: Option<SocketAddr>,

    /// Folder with the built page (`trunk build --release` output). Without it only the API is
    /// served.
    #[arg(long, value_name = "DIR", default_value = "dist")]
    pub dist: PathBuf,

    /// Sources allowed to embed the page in a frame, as the CSP `frame-ancestors` directive.
    #[arg(long, value_name = "SOURCES", default_value = "'self'")]
    pub frame_ancestors: String,

    /// Origin of a portal allowed to call the API from its own pages, such as
    /// https://portal.example.com. Repeat the flag for several. Without it, cross-origin requests
    /// are not allowed.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,
}

impl Options {
    /// Returns the folder that contains the database, and by default the key and token files.
    pub fn data_dir(&self) -> &Path {
        match self.database.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        }
    }

    pub fn key_file(&self) -> PathBuf {
        self.key_file
            .clone()
            .unwrap_or_else(|| self.data_dir().join(DEFAULT_KEY_FILE))
    }

    /// Returns where a generated admin token is kept.
    pub fn generated_token_file(&self) -> PathBuf {
        self.data_dir().join(DEFAULT_TOKEN_FILE)
    }

    /// Returns the address to listen on: `--bind`, else 127.0.0.1 with the port in `port_env` (the
    /// `PORT` environment variable), else 127.0.0.1:8080.
    pub fn bind_address(&self, port_env: Option<&str>) -> Result<SocketAddr, StartupError> {
        if let Some(address) = self.bind {
            return Ok(address);
        }
        let port = match port_env {
            Some(text) => text
                .trim()
                .parse::<u16>()
                .map_err(|_| StartupError::InvalidPort(text.to_owned()))?,
            None => DEFAULT_PORT,
        };
        Ok(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Options {
        Options::try_parse_from([&["oauth2-admin-server"], args].concat()).unwrap()
    }

    #[test]
    fn bind_defaults_to_loopback_8080() {
        assert_eq!(parse(&[]).bind_address(None).unwrap().to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn port_env_used_without_bind() {
        assert_eq!(
            parse(&[]).bind_address(Some("9000")).unwrap().to_string(),
            "127.0.0.1:9000"
        );
        assert_eq!(
            parse(&["--bind", "127.0.0.2:7000"])
                .bind_address(Some("9000"))
                .unwrap()
                .to_string(),
            "127.0.0.2:7000"
        );
    }

    #[test]
    fn invalid_port_env_rejected() {
        assert!(parse(&[]).bind_address(Some("80x")).is_err());
        assert!(parse(&[]).bind_address(Some("70000")).is_err());
    }

    #[test]
    fn key_and_token_next_to_database() {
        let options = parse(&["--database", "/srv/admin/config.sqlite3"]);

        assert_eq!(options.key_file(), Path::new("/srv/admin/client-secrets.key"));
        assert_eq!(options.generated_token_file(), Path::new("/srv/admin/admin-token"));
        assert_eq!(parse(&["--database", "config.sqlite3"]).data_dir(), Path::new("."));
        assert_eq!(parse(&[]).data_dir(), Path::new("data"));
    }
}
