//! SQLite storage of configurations, with their client secrets sealed by [`SecretCipher`].
//!
//! Every call runs on a blocking thread. Writes share one connection behind a mutex, and each
//! write is one `BEGIN IMMEDIATE` transaction that reads the stored revision, checks `If-Match`,
//! validates and writes, so two writers can never both succeed against one revision. Reads take a
//! connection of their own from a small pool, so they run in parallel with each other and, thanks
//! to WAL mode, with the writer.

mod schema;
mod write;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use oauth2_config::Config;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;
use uuid::Uuid;

use crate::secrets::{CipherError, SecretCipher};

pub use write::{ConfigInput, SecretChange, WriteError, Written};

/// How long a statement waits for another connection's lock before failing with `SQLITE_BUSY`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Idle read connections kept open. More may exist while many reads run at once, and those are
/// closed when their read ends.
const MAX_IDLE_READERS: usize = 8;

/// A failure of the database or of secret decryption. Its text may name ids and SQL, never a
/// secret.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored configuration {id} is invalid: {reason}")]
    Corrupt { id: String, reason: String },
    #[error("client secret of configuration {id}: {source}")]
    Cipher { id: Uuid, source: CipherError },
    #[error("database task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// An error opening or migrating the database at start-up.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("cannot open database {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("cannot set up database {path}: {source}")]
    Setup { path: String, source: rusqlite::Error },
    #[error("database migration failed for {path}: {source}")]
    Migration {
        path: String,
        source: rusqlite_migration::Error,
    },
}

/// A stored configuration as the API returns it. It has no secret, only whether one is set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredConfig {
    pub id: Uuid,
    #[serde(flatten)]
    pub config: Config,
    pub client_secret_set: bool,
    /// Starts at 1 and grows by one with every change. Sent as the `ETag`.
    pub revision: i64,
    /// RFC 3339 UTC time, for example `2026-01-31T09:15:00.123Z`.
    pub created_at: String,
    pub updated_at: String,
}

/// A row as read from the database: the configuration and its sealed secret.
struct StoredRow {
    config: StoredConfig,
    sealed_secret: Option<Vec<u8>>,
}

/// The database connections and the key for the secrets in the database.
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    /// Idle read-only connections. A read takes one, or opens one when none is idle.
    readers: Mutex<Vec<Connection>>,
    cipher: SecretCipher,
}

/// The columns that [`read_row`] expects, in order.
const COLUMNS: &str = "id, name, client_id, token_url, refresh_token_url, auth_url, scopes, grant_type, \
                       client_secret_sealed, revision, created_at, updated_at";

impl Store {
    /// Opens the database at `path`, creating it if missing, and migrates it to the latest schema.
    pub fn open_connection(path: &Path) -> Result<Connection, OpenError> {
        let display_path = path.display().to_string();
        let mut connection = Connection::open(path).map_err(|source| OpenError::Open {
            path: display_path.clone(),
            source,
        })?;
        let setup = |source| OpenError::Setup {
            path: display_path.clone(),
            source,
        };
        connection.busy_timeout(BUSY_TIMEOUT).map_err(setup)?;
        let mode: String = connection
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(setup)?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(path = %display_path, mode, "database is not in WAL mode");
        }
        schema::migrations()
            .to_latest(&mut connection)
            .map_err(|source| OpenError::Migration {
                path: display_path.clone(),
                source,
            })?;
        Ok(connection)
    }

    /// Returns whether any configuration has a sealed secret, so that a missing key file is an
    /// error rather than a reason to create a new key.
    pub fn has_sealed_secrets(connection: &Connection) -> rusqlite::Result<bool> {
        connection.query_row(
            "SELECT EXISTS (SELECT 1 FROM oauth2_configs WHERE client_secret_sealed IS NOT NULL)",
            [],
            |row| row.get(0),
        )
    }

    /// Checks that `cipher` opens one stored secret, so a key file from another database stops
    /// the start-up instead of failing later requests.
    pub fn check_key(connection: &Connection, cipher: &SecretCipher) -> Result<(), StoreError> {
        let sample: Option<(String, Vec<u8>)> = connection
            .query_row(
                "SELECT id, client_secret_sealed FROM oauth2_configs WHERE client_secret_sealed IS NOT NULL LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let Some((id, sealed)) = sample else {
            return Ok(());
        };
        let id = parse_id(&id)?;
        cipher
            .open(id, &sealed)
            .map(drop)
            .map_err(|source| StoreError::Cipher { id, source })
    }

    /// Builds the store on the migrated `writer` connection to the database at `path`.
    pub fn new(path: &Path, writer: Connection, cipher: SecretCipher) -> Store {
        Store {
            path: path.to_owned(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            cipher,
        }
    }

    /// Runs `work` with the write connection on a blocking thread. The only error is a task that
    /// panicked, because `work` returns its own errors inside `T`.
    pub async fn write<T, F>(self: &Arc<Self>, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Store, &mut Connection) -> T + Send + 'static,
    {
        let store = Arc::clone(self);
        let result = tokio::task::spawn_blocking(move || {
            // A panic while the lock was held rolled back its transaction when the transaction
            // was dropped, so the connection is still consistent.
            let mut connection = store.writer.lock().unwrap_or_else(PoisonError::into_inner);
            work(&store, &mut connection)
        })
        .await?;
        Ok(result)
    }

    /// Runs `work` with a read-only connection on a blocking thread.
    pub async fn read<T, F>(self: &Arc<Self>, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let store = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let idle = store.readers.lock().unwrap_or_else(PoisonError::into_inner).pop();
            let mut connection = match idle {
                Some(connection) => connection,
                None => open_reader(&store.path)?,
            };

            let result = work(&mut connection);

            let mut readers = store.readers.lock().unwrap_or_else(PoisonError::into_inner);
            if readers.len() < MAX_IDLE_READERS && !connection.is_busy() {
                readers.push(connection);
            }
            result
        })
        .await?
    }

    /// Returns every configuration, sorted by name ignoring case.
    pub fn list(connection: &Connection) -> Result<Vec<StoredConfig>, StoreError> {
        let mut statement =
            connection.prepare_cached(&format!("SELECT {COLUMNS} FROM oauth2_configs ORDER BY name_key"))?;
        let rows = statement.query_map([], |row| Ok(read_row(row)))?;
        let mut configs = Vec::new();
        for row in rows {
            configs.push(row??.config);
        }
        Ok(configs)
    }

    pub fn get(connection: &Connection, id: Uuid) -> Result<Option<StoredConfig>, StoreError> {
        Ok(load(connection, id)?.map(|row| row.config))
    }
}

/// Opens a connection that can only read, for [`Store::read`].
fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    let connection = Connection::open(path)?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    connection.pragma_update(None, "query_only", true)?;
    Ok(connection)
}

/// Reads one row with its sealed secret.
fn load(connection: &Connection, id: Uuid) -> Result<Option<StoredRow>, StoreError> {
    let mut statement = connection.prepare_cached(&format!("SELECT {COLUMNS} FROM oauth2_configs WHERE id = ?1"))?;
    statement
        .query_row([id.to_string()], |row| Ok(read_row(row)))
        .optional()?
        .transpose()
}

/// Builds a [`StoredRow`] from the columns in [`COLUMNS`]. The configuration goes through the
/// domain crate's deserialiser, which validates it again, so a row edited by hand into an invalid
/// state is reported instead of served.
fn read_row(row: &Row<'_>) -> Result<StoredRow, StoreError> {
    let id: String = row.get(0)?;
    let corrupt = |reason: String| StoreError::Corrupt { id: id.clone(), reason };
    let scopes: String = row.get(6)?;
    let scopes: Vec<String> = serde_json::from_str(&scopes).map_err(|error| corrupt(format!("scopes: {error}")))?;
    let record = serde_json::json!({
        "name": row.get::<_, String>(1)?,
        "client_id": row.get::<_, String>(2)?,
        "token_url": row.get::<_, Option<String>>(3)?,
        "refresh_token_url": row.get::<_, Option<String>>(4)?,
        "auth_url": row.get::<_, Option<String>>(5)?,
        "scopes": scopes,
        "grant_type": row.get::<_, String>(7)?,
    });
    let config: Config = serde_json::from_value(record).map_err(|error| corrupt(error.to_string()))?;
    let sealed_secret: Option<Vec<u8>> = row.get(8)?;

    Ok(StoredRow {
        config: StoredConfig {
            id: parse_id(&id)?,
            config,
            client_secret_set: sealed_secret.is_some(),
            revision: row.get(9)?,
            created_at: row.get(10)?,
            updated_at: row.get(11)?,
        },
        sealed_secret,
    })
}

fn parse_id(id: &str) -> Result<Uuid, StoreError> {
    Uuid::try_parse(id).map_err(|error| StoreError::Corrupt {
        id: id.to_owned(),
        reason: error.to_string(),
    })
}
