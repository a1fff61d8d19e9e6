//! What `PUT` stores: revisions, retried requests and the client secret's set, keep and clear.

mod common;

use common::{config_body, config_path, with_secret, TestServer, SECRET};
use serde_json::{json, Value};
use uuid::Uuid;

/// Returns a client-credentials configuration, whose grant requires a secret.
fn service_body(name: &str) -> Value {
    json!({
        "name": name,
        "client_id": "service-1",
        "token_url": "https://auth.example.com/oauth/token",
        "scopes": "api.read",
        "grant_type": "client_credentials"
    })
}

#[tokio::test]
async fn retried_create_returns_200() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    let body = with_secret(config_body("GitHub"), json!(SECRET));
    server.create(id, &body).await;

    let retry = server.put(id, &body, None).await;

    assert_eq!(retry.status, 200, "{}", retry.text);
    assert_eq!(retry.etag(), "\"1\"");
    assert_eq!(retry.json()["revision"], 1);
    assert_eq!(retry.json()["client_secret_set"], true);
    assert_eq!(retry.json()["warnings"], json!([]));
}

#[tokio::test]
async fn retry_after_normalization_returns_200() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    server.create(id, &config_body("GitHub")).await;
    let mut same_after_normalizing = config_body("  GitHub ");
    same_after_normalizing["scopes"] = json!("openid  profile");

    let retry = server.put(id, &same_after_normalizing, None).await;

    assert_eq!(retry.status, 200, "{}", retry.text);
    assert_eq!(retry.json()["revision"], 1);
}

#[tokio::test]
async fn retry_with_other_secret_returns_428() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    server
        .create(id, &with_secret(config_body("GitHub"), json!(SECRET)))
        .await;

    let other_secret = server
        .put(id, &with_secret(config_body("GitHub"), json!("another-secret")), None)
        .await;
    let cleared = server
        .put(id, &with_secret(config_body("GitHub"), Value::Null), None)
        .await;

    assert_eq!(other_secret.status, 428, "{}", other_secret.text);
    assert_eq!(cleared.status, 428, "{}", cleared.text);
}

#[tokio::test]
async fn unchanged_put_keeps_revision() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    let etag = server.create(id, &config_body("GitHub")).await;
    let created = server.get(&config_path(id)).await.json();

    let reply = server.put(id, &config_body("GitHub"), Some(&etag)).await;

    assert_eq!(reply.status, 200);
    assert_eq!(reply.etag(), "\"1\"");
    assert_eq!(reply.json()["updated_at"], created["updated_at"]);
}

#[tokio::test]
async fn each_change_adds_one_revision() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    let mut etag = server.create(id, &config_body("GitHub")).await;
    let created = server.get(&config_path(id)).await.json();

    for (revision, client_id) in (2..=4).zip(["client-2", "client-3", "client-4"]) {
        let mut body = config_body("GitHub");
        body["client_id"] = json!(client_id);
        let reply = server.put(id, &body, Some(&etag)).await;

        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json()["revision"], revision);
        assert_eq!(reply.json()["client_id"], client_id);
        etag = reply.etag();
        assert_eq!(etag, format!("\"{revision}\""));
    }

    let stored = server.get(&config_path(id)).await.json();
    assert_eq!(stored["revision"], 4);
    assert_eq!(stored["created_at"], created["created_at"]);
    assert!(stored["updated_at"].as_str() >= created["updated_at"].as_str());
}

#[tokio::test]
async fn get_result_can_be_put_back() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    server
        .create(id, &with_secret(config_body("GitHub"), json!(SECRET)))
        .await;
    let stored = server.get(&config_path(id)).await;

    let mut changed = stored.json();
    changed["client_id"] = json!("client-456");
    let reply = server.put(id, &changed, Some(&stored.etag())).await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["client_id"], "client-456");
    assert_eq!(reply.json()["refresh_token_url"], Value::Null);
    assert_eq!(reply.json()["client_secret_set"], true);
}

#[tokio::test]
async fn secret_set_keep_clear() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();

    let created = server.put(id, &config_body("GitHub"), None).await;
    assert_eq!(created.json()["client_secret_set"], false);
    assert_eq!(created.json()["warnings"][0]["code"], "public_client");

    let set = server
        .put(
            id,
            &with_secret(config_body("GitHub"), json!(SECRET)),
            Some(&created.etag()),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.json()["client_secret_set"], true);
    assert_eq!(set.json()["revision"], 2);
    assert_eq!(set.json()["warnings"], json!([]));

    let mut renamed = config_body("GitHub Enterprise");
    renamed["client_id"] = json!("client-456");
    let kept = server.put(id, &renamed, Some(&set.etag())).await;
    assert_eq!(kept.status, 200, "{}", kept.text);
    assert_eq!(kept.json()["client_secret_set"], true);

    // The kept secret is still the one sent: resending it changes nothing.
    let same = server.put(id, &with_secret(renamed.clone(), json!(SECRET)), None).await;
    assert_eq!(same.status, 200, "{}", same.text);
    assert_eq!(same.json()["revision"], 3);

    let cleared = server
        .put(id, &with_secret(renamed.clone(), Value::Null), Some(&kept.etag()))
        .await;
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert_eq!(cleared.json()["client_secret_set"], false);
    assert_eq!(cleared.json()["revision"], 4);

    let stored = server.get(&config_path(id)).await.json();
    assert_eq!(stored["client_secret_set"], false);
    server.assert_no_body_contains(SECRET);
}

#[tokio::test]
async fn empty_secret_clears() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    let etag = server
        .create(id, &with_secret(config_body("GitHub"), json!(SECRET)))
        .await;

    let reply = server
        .put(id, &with_secret(config_body("GitHub"), json!("")), Some(&etag))
        .await;

    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["client_secret_set"], false);
}

#[tokio::test]
async fn required_secret_kept_on_update() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    let etag = server
        .create(id, &with_secret(service_body("Billing"), json!(SECRET)))
        .await;

    let mut changed = service_body("Billing");
    changed["scopes"] = json!("api.read api.write");
    let kept = server.put(id, &changed, Some(&etag)).await;
    assert_eq!(kept.status, 200, "{}", kept.text);
    assert_eq!(kept.json()["client_secret_set"], true);

    let cleared = server
        .put(id, &with_secret(changed, Value::Null), Some(&kept.etag()))
        .await;
    assert_eq!(cleared.status, 422, "{}", cleared.text);
    assert_eq!(cleared.json()["errors"][0]["field"], "client_secret");
    assert_eq!(cleared.json()["errors"][0]["code"], "secret_required");
}

#[tokio::test]
async fn masked_secret_rejected() {
    let server = TestServer::start().await;

    let reply = server
        .put(
            Uuid::new_v4(),
            &with_secret(config_body("GitHub"), json!("••••••••")),
            None,
        )
        .await;

    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.json()["errors"][0]["code"], "masked_secret");
}

#[tokio::test]
async fn warnings_returned_with_config() {
    let server = TestServer::start().await;
    let mut body = config_body("GitHub");
    body["grant_type"] = json!("implicit");
    body["scopes"] = json!("openid,profile");

    let reply = server.put(Uuid::new_v4(), &body, None).await;

    assert_eq!(reply.status, 201, "{}", reply.text);
    let body = reply.json();
    let codes: Vec<&str> = body["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|warning| warning["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"scope_separator"), "{codes:?}");
    assert!(codes.contains(&"legacy_grant"), "{codes:?}");
    assert!(body["warnings"][0]["message"].is_string());
}

#[tokio::test]
async fn implicit_grant_stores_null_token_url() {
    let server = TestServer::start().await;
    let mut body = config_body("Legacy");
    body["grant_type"] = json!("implicit");
    body["token_url"] = Value::Null;

    let reply = server.put(Uuid::new_v4(), &body, None).await;

    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json()["token_url"], Value::Null);
}

#[tokio::test]
async fn if_match_compares_tags_as_strings() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    let mut body = config_body("Tagged");
    server.create(id, &body).await;
    body["scopes"] = json!(["read"]);

    for tag in ["\"01\"", "\"+1\"", "\" 1\""] {
        assert_eq!(
            server.put(id, &body, Some(tag)).await.status,
            412,
            "If-Match {tag} must not match \"1\""
        );
    }
    assert_eq!(server.put(id, &body, Some("\"1\"")).await.status, 200);
}
