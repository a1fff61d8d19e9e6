//! The OpenAPI document: served as it is in the crate, and in step with the router and with the
//! domain crate's field keys and codes.

mod common;

use common::TestServer;
use oauth2_config::{Code, Field};
use reqwest::header::{CONTENT_TYPE, IF_MATCH};
use serde_json::Value;
use uuid::Uuid;

fn document() -> Value {
    serde_json::from_str(include_str!("../openapi.json")).expect("openapi.json is JSON")
}

/// Returns the position of `code` in the document's list. The match has no wildcard, so a new
/// code in the domain crate fails to compile here until it is added to the list and the document.
fn code_index(code: Code) -> usize {
    match code {
        Code::Required => 0,
        Code::TooLong => 1,
        Code::DuplicateName => 2,
        Code::Trimmed => 3,
        Code::InvalidCharacter => 4,
        Code::InvisibleCharacter => 5,
        Code::NonPrintableSecret => 6,
        Code::SecretWhitespace => 7,
        Code::MaskedSecret => 8,
        Code::SecretRequired => 9,
        Code::PublicClient => 10,
        Code::InvalidUrl => 11,
        Code::InsecureScheme => 12,
        Code::LoopbackHttp => 13,
        Code::UserInfo => 14,
        Code::Fragment => 15,
        Code::CredentialInQuery => 16,
        Code::BaseUrl => 17,
        Code::DoubleSlash => 18,
        Code::DiscoveryDocument => 19,
        Code::SameTokenAndAuthUrl => 20,
        Code::NotUsedByGrant => 21,
        Code::InvalidScope => 22,
        Code::ScopeSeparator => 23,
        Code::DuplicateScope => 24,
        Code::TooManyScopes => 25,
        Code::LegacyGrant => 26,
        Code::InvalidGrantType => 27,
        Code::Rewritten => 28,
    }
}

#[test]
fn codes_match_domain() {
    let listed = document()["components"]["schemas"]["FieldProblem"]["properties"]["code"]["enum"].clone();
    let listed: Vec<String> = serde_json::from_value(listed).unwrap();

    for (index, text) in listed.iter().enumerate() {
        let code: Code = serde_json::from_value(Value::from(text.as_str()))
            .unwrap_or_else(|_| panic!("{text} is not a domain code"));
        assert_eq!(code_index(code), index, "{text} is out of place");
    }
    assert_eq!(
        listed.len(),
        code_index(Code::Rewritten) + 1,
        "codes missing: {listed:?}"
    );
}

#[test]
fn fields_match_domain() {
    let listed = document()["components"]["schemas"]["FieldProblem"]["properties"]["field"]["enum"].clone();
    let listed: Vec<String> = serde_json::from_value(listed).unwrap();

    let keys: Vec<&str> = Field::ALL.iter().map(|field| field.key()).collect();
    assert_eq!(listed, keys);
}

#[tokio::test]
async fn openapi_document_served() {
    let server = TestServer::start().await;

    let reply = server.get("/api/openapi.json").await;

    assert_eq!(reply.status, 200);
    let document = reply.json();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document, self::document());
}

#[tokio::test]
async fn openapi_lists_every_route() {
    let server = TestServer::start().await;
    let document = document();
    let id = Uuid::new_v4();

    let mut documented = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys().filter(|key| *key != "parameters") {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    documented.sort();
    assert_eq!(
        documented,
        [
            "DELETE /oauth2-configs/{id}",
            "GET /oauth2-configs",
            "GET /oauth2-configs/{id}",
            "GET /openapi.json",
            "POST /oauth2-configs/validate",
            "PUT /oauth2-configs/{id}",
        ]
    );
    for route in documented {
        let (method, path) = route.split_once(' ').unwrap();
        let path = format!("/api{}", path.replace("{id}", &id.to_string()));
        let request = server
            .request(method.parse().unwrap(), &path)
            .header(CONTENT_TYPE, "application/json")
            .header(IF_MATCH, "*")
            .body("{}");
        let reply = server.send(request).await;

        assert_ne!(reply.status, 405, "{route} is documented but not routed");
        let is_route_404 = reply.status == 404 && !reply.text.contains("No OAuth2 configuration");
        assert!(!is_route_404, "{route} is documented but not routed");
    }
}
