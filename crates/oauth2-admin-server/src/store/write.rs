//! Creating, replacing, deleting and dry-run validation of configurations.

use oauth2_config::{validate, ClientSecret, Code, Config, Context, Draft, Problem, Validation};
use rusqlite::{params, Connection, ErrorCode, Transaction, TransactionBehavior};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::{load, Store, StoreError, StoredConfig, StoredRow};
use crate::extract::Precondition;

/// SQLite's extended result code for a violated UNIQUE constraint.
const SQLITE_CONSTRAINT_UNIQUE: i32 = 2067;

/// The change a write request makes to the client secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretChange {
    /// The request has no `client_secret` key: keep the stored secret, if any.
    Keep,
    /// The request has a non-empty `client_secret`, which is in the draft.
    Set,
    /// The request has `client_secret: null` or `""`: remove the stored secret.
    Clear,
}

/// A configuration as a write or validate request sends it.
#[derive(Debug)]
pub struct ConfigInput {
    /// The typed fields. `client_secret` is empty unless `secret` is [`SecretChange::Set`].
    pub draft: Draft,
    pub secret: SecretChange,
}

/// The effect of a successful write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    Created,
    Replaced,
    /// The request matched the stored configuration and secret, so nothing was written.
    Unchanged,
}

/// A rejected or failed write.
#[derive(Debug)]
pub enum WriteError {
    Invalid(Vec<Problem>),
    DuplicateName(Vec<Problem>),
    /// `If-Match` did not match. Contains the stored configuration when there is one.
    Stale(Option<Box<StoredConfig>>),
    PreconditionRequired,
    NotFound,
    Store(StoreError),
}

impl<E: Into<StoreError>> From<E> for WriteError {
    fn from(error: E) -> WriteError {
        WriteError::Store(error.into())
    }
}

impl Store {
    /// Creates or replaces the configuration `id` in one transaction.
    ///
    /// The checks run in this order: `If-Match` (412), validation (422, or 409 for a duplicate
    /// name), then, for an existing configuration without `If-Match`, 428 unless the request
    /// changes nothing. A request that changes nothing writes nothing and keeps the revision.
    pub fn put(
        &self,
        connection: &mut Connection,
        id: Uuid,
        input: ConfigInput,
        precondition: &Precondition,
    ) -> Result<(Written, StoredConfig, Vec<Problem>), WriteError> {
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing = load(&transaction, id)?;
        if !precondition.is_met_by(existing.as_ref().map(|row| row.config.revision)) {
            return Err(WriteError::Stale(existing.map(|row| Box::new(row.config))));
        }

        let context = context(&transaction, Some(id), existing.as_ref(), input.secret)?;
        let validation = validate(&input.draft, &context);
        let Some(config) = validation.config else {
            return Err(rejection(validation.errors));
        };
        let new_secret = validation.secret;

        let written = match existing {
            None => {
                let sealed = match (input.secret, &new_secret) {
                    (SecretChange::Set, Some(secret)) => Some(self.seal(id, secret)?),
                    _ => None,
                };
                insert(&transaction, id, &config, sealed.as_deref())
                    .map_err(|error| unique_name_error(error, &input.draft))?;
                Written::Created
            }
            Some(row) => {
                if row.config.config == config && self.same_secret(id, &row, input.secret, new_secret.as_ref())? {
                    return Ok((Written::Unchanged, row.config, validation.warnings));
                }
                if *precondition == Precondition::Absent {
                    return Err(WriteError::PreconditionRequired);
                }
                let sealed = match (input.secret, &new_secret) {
                    (SecretChange::Keep, _) => row.sealed_secret,
                    (SecretChange::Set, Some(secret)) => Some(self.seal(id, secret)?),
                    (SecretChange::Set | SecretChange::Clear, _) => None,
                };
                update(&transaction, id, &config, sealed.as_deref())
                    .map_err(|error| unique_name_error(error, &input.draft))?;
                Written::Replaced
            }
        };

        let stored = load(&transaction, id)?.ok_or(WriteError::NotFound)?;
        transaction.commit()?;
        Ok((written, stored.config, validation.warnings))
    }

    /// Deletes the configuration `id` if `precondition` names its current revision.
    pub fn delete(connection: &mut Connection, id: Uuid, precondition: &Precondition) -> Result<(), WriteError> {
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(existing) = load(&transaction, id)? else {
            return Err(WriteError::NotFound);
        };
        if *precondition == Precondition::Absent {
            return Err(WriteError::PreconditionRequired);
        }
        if !precondition.is_met_by(Some(existing.config.revision)) {
            return Err(WriteError::Stale(Some(Box::new(existing.config))));
        }

        transaction.execute("DELETE FROM oauth2_configs WHERE id = ?1", [id.to_string()])?;
        transaction.commit()?;
        Ok(())
    }

    /// Validates `input` as a write to `id` would, without writing. Without an id the draft is
    /// checked as a new configuration.
    pub fn check(connection: &mut Connection, id: Option<Uuid>, input: &ConfigInput) -> Result<Validation, StoreError> {
        let transaction = connection.transaction()?;
        let existing = match id {
            Some(id) => load(&transaction, id)?,
            None => None,
        };
        let context = context(&transaction, id, existing.as_ref(), input.secret)?;
        Ok(validate(&input.draft, &context))
    }

    fn seal(&self, id: Uuid, secret: &ClientSecret) -> Result<Vec<u8>, StoreError> {
        self.cipher
            .seal(id, secret.expose())
            .map_err(|source| StoreError::Cipher { id, source })
    }

    /// Returns whether applying `change` would leave the stored secret as it is. A newly sent
    /// secret is compared with the stored one after decrypting it, in constant time.
    fn same_secret(
        &self,
        id: Uuid,
        row: &StoredRow,
        change: SecretChange,
        new_secret: Option<&ClientSecret>,
    ) -> Result<bool, StoreError> {
        match (change, &row.sealed_secret, new_secret) {
            (SecretChange::Keep, _, _) => Ok(true),
            (SecretChange::Clear, sealed, _) => Ok(sealed.is_none()),
            (SecretChange::Set, Some(sealed), Some(new_secret)) => {
                let stored = self
                    .cipher
                    .open(id, sealed)
                    .map_err(|source| StoreError::Cipher { id, source })?;
                Ok(stored.as_bytes().ct_eq(new_secret.expose().as_bytes()).into())
            }
            (SecretChange::Set, _, _) => Ok(false),
        }
    }
}

/// Builds the validation context for a write to `id`: the names of every other configuration,
/// and whether a stored secret stays in place. Without an id every name counts as another's.
fn context(
    transaction: &Transaction<'_>,
    id: Option<Uuid>,
    existing: Option<&StoredRow>,
    change: SecretChange,
) -> Result<Context, StoreError> {
    let mut statement = transaction.prepare_cached("SELECT name FROM oauth2_configs WHERE id IS NOT ?1")?;
    let other_names = statement
        .query_map([id.map(|id| id.to_string())], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    let secret_on_file = change == SecretChange::Keep && existing.is_some_and(|row| row.sealed_secret.is_some());
    Ok(Context {
        other_names,
        secret_on_file,
    })
}

/// Returns 409 when a duplicate name is among the errors, else 422. Both carry every error.
fn rejection(errors: Vec<Problem>) -> WriteError {
    if errors.iter().any(|problem| problem.code == Code::DuplicateName) {
        WriteError::DuplicateName(errors)
    } else {
        WriteError::Invalid(errors)
    }
}

/// Turns a UNIQUE violation on the name into the domain's duplicate-name problem. It only happens
/// when another process wrote the same name after this transaction read the names.
fn unique_name_error(error: rusqlite::Error, draft: &Draft) -> WriteError {
    let is_name_conflict = matches!(
        &error,
        rusqlite::Error::SqliteFailure(failure, Some(message))
            if failure.code == ErrorCode::ConstraintViolation
                && failure.extended_code == SQLITE_CONSTRAINT_UNIQUE
                && message.contains("name_key")
    );
    if !is_name_conflict {
        return error.into();
    }
    // Validating against the conflicting name yields the domain crate's own message for it.
    let context = Context {
        other_names: vec![draft.name.clone()],
        secret_on_file: true,
    };
    let errors = validate(draft, &context)
        .errors
        .into_iter()
        .filter(|problem| problem.code == Code::DuplicateName)
        .collect();
    WriteError::DuplicateName(errors)
}

fn insert(transaction: &Transaction<'_>, id: Uuid, config: &Config, sealed: Option<&[u8]>) -> rusqlite::Result<()> {
    write_row(
        transaction,
        "INSERT INTO oauth2_configs (id, name, name_key, client_id, token_url, refresh_token_url, auth_url,
                                     scopes, grant_type, client_secret_sealed, revision, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1,
                 strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        id,
        config,
        sealed,
    )
}

fn update(transaction: &Transaction<'_>, id: Uuid, config: &Config, sealed: Option<&[u8]>) -> rusqlite::Result<()> {
    write_row(
        transaction,
        "UPDATE oauth2_configs
         SET name = ?2, name_key = ?3, client_id = ?4, token_url = ?5, refresh_token_url = ?6, auth_url = ?7,
             scopes = ?8, grant_type = ?9, client_secret_sealed = ?10, revision = revision + 1,
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
         WHERE id = ?1",
        id,
        config,
        sealed,
    )
}

/// Runs `sql`, whose parameters ?1 to ?10 are the id, the configuration's columns and the sealed
/// secret, in that order.
fn write_row(
    transaction: &Transaction<'_>,
    sql: &str,
    id: Uuid,
    config: &Config,
    sealed: Option<&[u8]>,
) -> rusqlite::Result<()> {
    transaction.execute(
        sql,
        params![
            id.to_string(),
            config.name.as_str(),
            config.name.as_str().to_lowercase(),
            config.client_id.as_str(),
            config.token_url.as_ref().map(|url| url.as_str()),
            config.refresh_token_url.as_ref().map(|url| url.as_str()),
            config.auth_url.as_ref().map(|url| url.as_str()),
            scopes_json(config),
            config.grant_type.as_str(),
            sealed,
        ],
    )?;
    Ok(())
}

fn scopes_json(config: &Config) -> String {
    let tokens: Vec<&str> = config.scopes.iter().map(|scope| scope.as_str()).collect();
    serde_json::Value::from(tokens).to_string()
}
