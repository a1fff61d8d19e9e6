//! The database schema, as migrations applied in order. A released migration is never edited,
//! so a change gets a new migration at the end.

use rusqlite_migration::{Migrations, M};

/// Returns every migration, oldest first. `rusqlite_migration` records the applied count in
/// SQLite's `user_version`.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![M::up(
        // `name_key` is the name lower-cased by Rust's full Unicode rules, the same comparison the
        // domain crate's uniqueness rule uses. SQLite's own lower() folds ASCII only.
        // `scopes` is a JSON array of scope tokens. `client_secret_sealed` is the secret encrypted
        // by `SecretCipher::seal`, never the secret itself.
        "CREATE TABLE oauth2_configs (
            id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            client_id TEXT NOT NULL,
            token_url TEXT,
            refresh_token_url TEXT,
            auth_url TEXT,
            scopes TEXT NOT NULL,
            grant_type TEXT NOT NULL,
            client_secret_sealed BLOB,
            revision INTEGER NOT NULL CHECK (revision >= 1),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX oauth2_configs_name_key ON oauth2_configs (name_key);",
    )])
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_valid() {
        assert!(super::migrations().validate().is_ok());
    }
}
