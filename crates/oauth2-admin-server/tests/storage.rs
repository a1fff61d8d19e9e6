//! What the server leaves on disk: encrypted secrets, the key and token files, restarts on the
//! same files, and the start-up errors for damaged ones.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{config_body, config_path, open_state, options, with_secret, TestServer, SECRET};
use oauth2_admin_server::AppState;
use serde_json::json;
use tempfile::TempDir;
use uuid::Uuid;

/// Asserts that no file in `dir` contains `needle` as raw bytes.
fn assert_no_file_contains(dir: &Path, needle: &str) {
    let mut checked = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        let bytes = fs::read(&path).unwrap();
        let found = bytes.windows(needle.len()).any(|window| window == needle.as_bytes());
        assert!(!found, "{} contains the secret in plaintext", path.display());
        checked.push(path.file_name().unwrap().to_string_lossy().into_owned());
    }
    checked.sort();
    assert!(checked.contains(&"config.sqlite3".to_owned()), "checked {checked:?}");
    assert!(
        checked.contains(&"client-secrets.key".to_owned()),
        "checked {checked:?}"
    );
}

fn start_error(data: &Path) -> String {
    match open_state(data, &[]) {
        Ok(_) => panic!("the server started on damaged files"),
        Err(error) => error.to_string(),
    }
}

#[tokio::test]
async fn files_hold_no_plaintext_secret() {
    let data = TempDir::new().unwrap();
    let server = TestServer::start_in(data.path(), &[]).await;
    let id = Uuid::new_v4();
    let etag = server
        .create(id, &with_secret(config_body("GitHub"), json!(SECRET)))
        .await;
    let mut renamed = config_body("GitHub Enterprise");
    renamed["client_id"] = json!("client-456");
    server.put(id, &renamed, Some(&etag)).await;
    server
        .create(Uuid::new_v4(), &with_secret(config_body("GitLab"), json!(SECRET)))
        .await;

    // While the server runs, the changes sit in the -wal file.
    let wal = data.path().join("config.sqlite3-wal");
    assert!(wal.exists(), "the database should be in WAL mode");
    assert!(data.path().join("config.sqlite3-shm").exists());
    assert_no_file_contains(data.path(), SECRET);

    server.stop().await;
    assert_no_file_contains(data.path(), SECRET);
}

#[tokio::test]
async fn key_file_is_private_and_32_bytes() {
    let data = TempDir::new().unwrap();
    let server = TestServer::start_in(data.path(), &[]).await;

    let key = data.path().join("client-secrets.key");
    let metadata = fs::metadata(&key).unwrap();
    assert_eq!(metadata.len(), 32);
    assert_eq!(metadata.permissions().mode() & 0o777, 0o600);
    server.stop().await;
}

#[tokio::test]
async fn restart_keeps_data_and_secrets() {
    let data = TempDir::new().unwrap();
    let id = Uuid::new_v4();
    let body = with_secret(config_body("GitHub"), json!(SECRET));
    let first = TestServer::start_in(data.path(), &[]).await;
    let etag = first.create(id, &body).await;
    let mut changed = body.clone();
    changed["client_id"] = json!("client-456");
    assert_eq!(first.put(id, &changed, Some(&etag)).await.status, 200);
    let before = first.get(&config_path(id)).await.json();
    first.stop().await;

    let second = TestServer::start_in(data.path(), &[]).await;

    assert_eq!(second.get(&config_path(id)).await.json(), before);
    // The same secret again changes nothing, which needs the stored secret to decrypt.
    let retry = second.put(id, &changed, None).await;
    assert_eq!(retry.status, 200, "{}", retry.text);
    assert_eq!(retry.json()["revision"], 2);
    let other = second.put(id, &with_secret(changed, json!("other-secret")), None).await;
    assert_eq!(other.status, 428, "{}", other.text);
    second.stop().await;
}

#[tokio::test]
async fn key_file_with_wrong_length_stops_start() {
    let data = TempDir::new().unwrap();
    let key = data.path().join("client-secrets.key");
    fs::write(&key, [1u8; 16]).unwrap();
    fs::set_permissions(&key, fs::Permissions::from_mode(0o600)).unwrap();

    let error = start_error(data.path());

    assert!(error.contains("16 bytes"), "{error}");
    assert!(error.contains("client-secrets.key"), "{error}");
}

#[tokio::test]
async fn key_file_readable_by_others_stops_start() {
    let data = TempDir::new().unwrap();
    let key = data.path().join("client-secrets.key");
    fs::write(&key, [1u8; 32]).unwrap();
    fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).unwrap();

    let error = start_error(data.path());

    assert!(error.contains("mode 644"), "{error}");
    assert!(error.contains("chmod 600"), "{error}");
}

#[tokio::test]
async fn missing_key_with_secrets_stops_start() {
    let data = TempDir::new().unwrap();
    let server = TestServer::start_in(data.path(), &[]).await;
    server
        .create(Uuid::new_v4(), &with_secret(config_body("GitHub"), json!(SECRET)))
        .await;
    server.stop().await;
    fs::remove_file(data.path().join("client-secrets.key")).unwrap();

    let error = start_error(data.path());

    assert!(error.contains("missing"), "{error}");
    assert!(
        !data.path().join("client-secrets.key").exists(),
        "a new key must not replace the lost one"
    );
}

#[tokio::test]
async fn other_key_stops_start() {
    let data = TempDir::new().unwrap();
    let server = TestServer::start_in(data.path(), &[]).await;
    server
        .create(Uuid::new_v4(), &with_secret(config_body("GitHub"), json!(SECRET)))
        .await;
    server.stop().await;
    let key = data.path().join("client-secrets.key");
    fs::write(&key, [9u8; 32]).unwrap();

    let error = start_error(data.path());

    assert!(error.contains("does not decrypt"), "{error}");
}

#[tokio::test]
async fn database_that_is_not_sqlite_stops_start() {
    let data = TempDir::new().unwrap();
    fs::write(
        data.path().join("config.sqlite3"),
        "this is not a database, but a text file of some length",
    )
    .unwrap();

    let error = start_error(data.path());

    assert!(error.contains("config.sqlite3"), "{error}");
}

#[tokio::test]
async fn newer_schema_stops_start() {
    let data = TempDir::new().unwrap();
    let connection = rusqlite::Connection::open(data.path().join("config.sqlite3")).unwrap();
    connection.pragma_update(None, "user_version", 99).unwrap();
    drop(connection);

    let error = start_error(data.path());

    assert!(error.contains("migration failed"), "{error}");
}

#[tokio::test]
async fn generated_token_file_reused() {
    let data = TempDir::new().unwrap();
    let options = options(&data.path().join("nested").join("config.sqlite3"), &[]);

    drop(AppState::open(&options, None).unwrap());
    let token_file = data.path().join("nested").join("admin-token");
    let first = fs::read_to_string(&token_file).unwrap();
    drop(AppState::open(&options, None).unwrap());
    let second = fs::read_to_string(&token_file).unwrap();

    assert_eq!(first, second);
    assert_eq!(first.trim_end().len(), 64);
    assert_eq!(fs::metadata(&token_file).unwrap().permissions().mode() & 0o777, 0o600);
}

#[tokio::test]
async fn token_file_and_env_together_rejected() {
    let data = TempDir::new().unwrap();
    let token_file = data.path().join("token");
    fs::write(&token_file, "abc").unwrap();
    let database = data.path().join("config.sqlite3");
    let options = options(&database, &["--token-file", token_file.to_str().unwrap()]);

    let error = AppState::open(&options, Some("from-env".to_owned()))
        .err()
        .unwrap()
        .to_string();

    assert!(error.contains("OAUTH2_ADMIN_TOKEN"), "{error}");
}
