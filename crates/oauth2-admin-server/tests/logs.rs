//! What the server logs: where the token is, one line per request with the matched route, one
//! line per internal error, and never a secret or the token.
//!
//! The log subscriber is global to this test binary, so each test only looks at lines that name
//! its own values.

mod common;

use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use common::{config_body, config_path, options, with_secret, TestServer, SECRET};
use oauth2_admin_server::AppState;
use reqwest::header::AUTHORIZATION;
use reqwest::Method;
use serde_json::json;
use tempfile::TempDir;
use uuid::Uuid;

/// Everything logged by this test binary.
fn captured() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&logs);
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_ansi(false)
            .with_writer(move || LogWriter(Arc::clone(&sink)))
            .init();
        logs
    })
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn log_text() -> String {
    String::from_utf8(captured().lock().unwrap().clone()).unwrap()
}

fn read_token(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap().trim_end().to_owned()
}

#[tokio::test]
async fn logs_route_never_secret_or_token() {
    captured();
    let data = TempDir::new().unwrap();
    let options = options(&data.path().join("config.sqlite3"), &[]);
    let state = AppState::open(&options, None).unwrap();
    let token_file = data.path().join("admin-token");
    let token = read_token(&token_file);
    let server = TestServer::start_with(state, data.path(), &token).await;
    let id = Uuid::new_v4();

    let etag = server
        .create(id, &with_secret(config_body("Logged"), json!(SECRET)))
        .await;
    server.get(&config_path(id)).await;
    server
        .put(id, &with_secret(config_body("Logged"), json!(SECRET)), Some("\"9\""))
        .await;
    server
        .put(id, &json!({ "name": 5, "client_secret": SECRET }), Some(&etag))
        .await;
    let wrong_token = "wrong-token-7Hc2-never-logged";
    let unauthorized = server
        .anonymous(Method::GET, &config_path(id))
        .header(AUTHORIZATION, format!("Bearer {wrong_token}"));
    server.send(unauthorized).await;
    server.stop().await;

    let logs = log_text();
    assert!(
        logs.contains(&token_file.display().to_string()),
        "the token file's path should be logged:\n{logs}"
    );
    assert!(!logs.contains(&token), "the admin token was logged:\n{logs}");
    assert!(!logs.contains(wrong_token), "a presented token was logged:\n{logs}");
    assert!(!logs.contains(SECRET), "the client secret was logged:\n{logs}");

    let requests: Vec<&str> = logs
        .lines()
        .filter(|line| line.contains("request finished") && line.contains(r#"route="/api/oauth2-configs/{id}""#))
        .collect();
    for (method, status) in [("PUT", 201), ("GET", 200), ("PUT", 412), ("PUT", 400), ("GET", 401)] {
        let expected = format!("method={method}");
        let found = requests
            .iter()
            .any(|line| line.contains(&expected) && line.contains(&format!("status={status}")));
        assert!(found, "no request line for {method} {status}:\n{logs}");
    }
    let raw_paths: Vec<&&str> = requests.iter().filter(|line| line.contains(&id.to_string())).collect();
    assert!(
        raw_paths.is_empty(),
        "request lines should show the route, not the path: {raw_paths:?}"
    );
    assert!(logs.contains("listening"), "{logs}");
    assert!(logs.contains("stopped"), "{logs}");
}

#[tokio::test]
async fn internal_error_logged_once_and_hidden() {
    captured();
    let data = TempDir::new().unwrap();
    let server = TestServer::start_in(data.path(), &[]).await;
    let id = Uuid::new_v4();
    server.create(id, &config_body("Damaged")).await;
    // Damage the row behind the server's back, as a hand edit of the database would.
    let connection = rusqlite::Connection::open(data.path().join("config.sqlite3")).unwrap();
    connection.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    connection
        .execute(
            "UPDATE oauth2_configs SET scopes = 'not json' WHERE id = ?1",
            [id.to_string()],
        )
        .unwrap();
    drop(connection);

    let reply = server.get(&config_path(id)).await;

    assert_eq!(reply.status, 500);
    let problem = reply.json();
    assert_eq!(problem["status"], 500);
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        !detail.contains("json") && !detail.contains(&id.to_string()),
        "internal text leaked: {detail}"
    );
    let errors = log_text()
        .lines()
        .filter(|line| line.contains("ERROR") && line.contains(&id.to_string()))
        .count();
    assert_eq!(errors, 1, "the error should be logged once:\n{}", log_text());
}
