//! The manager mounted in a real browser: typing, validation messages, saving to real
//! `localStorage`, and recovery from damaged stored data.

use std::time::Duration;

use gloo_timers::future::sleep;
use oauth2_admin::storage::STORAGE_KEY;
use std::cell::RefCell;
use std::rc::Rc;

use oauth2_admin::{ConfigEvent, ConfigManager, ConfigManagerProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlInputElement, Storage};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn local_storage() -> Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A manager mounted in its own container; dropping it unmounts it.
struct Mounted {
    root: Element,
    handle: Option<yew::AppHandle<ConfigManager>>,
}

impl Mounted {
    async fn new() -> Mounted {
        Mounted::with_props(ConfigManagerProps::default()).await
    }

    async fn with_props(props: ConfigManagerProps) -> Mounted {
        let root = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&root).unwrap();
        let handle = yew::Renderer::<ConfigManager>::with_root_and_props(root.clone(), props).render();
        let mounted = Mounted {
            root,
            handle: Some(handle),
        };
        mounted
            .wait_for("the manager", |m| m.find("[data-oauth2-admin]").is_some())
            .await;
        mounted
    }

    fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    fn get(&self, selector: &str) -> Element {
        self.find(selector)
            .unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    fn count(&self, selector: &str) -> u32 {
        self.root.query_selector_all(selector).unwrap().length()
    }

    /// Lets Yew render what the last events changed, as happens between two real key presses.
    async fn settle(&self) {
        sleep(Duration::ZERO).await;
    }

    fn click(&self, selector: &str) {
        self.get(selector).unchecked_into::<HtmlElement>().click();
    }

    fn type_into(&self, name: &str, value: &str) {
        let input: HtmlInputElement = self.get(&format!("input[name={name}]")).unchecked_into();
        input.set_value(value);
        let init = EventInit::new();
        init.set_bubbles(true);
        input
            .dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
            .unwrap();
    }

    fn problem_codes(&self, field: &str) -> Vec<String> {
        let list = self
            .root
            .query_selector_all(&format!("[data-field={field}] [data-code]"))
            .unwrap();
        (0..list.length())
            .map(|index| {
                list.item(index)
                    .unwrap()
                    .unchecked_into::<Element>()
                    .get_attribute("data-code")
                    .unwrap()
            })
            .collect()
    }

    /// Waits until `ready` holds, yielding to Yew's scheduler between checks.
    async fn wait_for(&self, what: &str, ready: impl Fn(&Mounted) -> bool) {
        for _ in 0..200 {
            if ready(self) {
                return;
            }
            sleep(Duration::from_millis(10)).await;
        }
        panic!("timed out waiting for {what}");
    }

    async fn open_form(&self) {
        self.wait_for("the Add OAuth2 button", |m| m.find("[data-action=add]").is_some())
            .await;
        self.click("[data-action=add]");
        self.wait_for("the form", |m| m.find("input[name=name]").is_some())
            .await;
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
        self.root.remove();
    }
}

fn reset_storage() {
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn form_labels_match_columns() {
    reset_storage();
    let manager = Mounted::new().await;
    manager.open_form().await;

    for (key, label) in [
        ("name", "Name"),
        ("client_id", "Client ID"),
        ("client_secret", "Client Secret"),
        ("token_url", "Token URL"),
        ("refresh_token_url", "Refresh Token URL"),
        ("auth_url", "Auth URL"),
        ("scopes", "Scopes"),
        ("grant_type", "Grant Type"),
    ] {
        let control = manager.get(&format!("[name={key}]"));
        let label_element = manager.get(&format!("label[for='{}']", control.id()));
        assert_eq!(label_element.text_content().unwrap(), label, "label of {key}");
    }
}

#[wasm_bindgen_test]
async fn errors_appear_and_clear_while_typing() {
    reset_storage();
    let manager = Mounted::new().await;
    manager.open_form().await;
    assert_eq!(
        manager.count("[data-severity=error]"),
        0,
        "no error before the first edit"
    );

    manager.type_into("token_url", "http://idp.example.com/token");
    manager
        .wait_for("the https error", |m| {
            m.problem_codes("token_url") == ["insecure_scheme"]
        })
        .await;
    assert_eq!(
        manager
            .get("input[name=token_url]")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );

    manager.type_into("token_url", "https://idp.example.com/token");
    manager
        .wait_for("the error to clear", |m| m.problem_codes("token_url").is_empty())
        .await;
    assert_eq!(
        manager
            .get("input[name=token_url]")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("false")
    );
}

#[wasm_bindgen_test]
async fn scope_split_fix_rewrites_field() {
    reset_storage();
    let manager = Mounted::new().await;
    manager.open_form().await;

    manager.type_into("scopes", "openid,profile,email");
    manager
        .wait_for("the separator warning", |m| {
            m.problem_codes("scopes") == ["scope_separator"]
        })
        .await;
    manager.click("[data-fix=scope_separator]");
    manager
        .wait_for("the split scopes", |m| {
            m.get("input[name=scopes]").unchecked_into::<HtmlInputElement>().value() == "openid profile email"
        })
        .await;
    assert!(manager.problem_codes("scopes").is_empty());
}

#[wasm_bindgen_test]
async fn save_with_errors_focuses_first_invalid() {
    reset_storage();
    let manager = Mounted::new().await;
    manager.open_form().await;

    manager.type_into("client_id", "client-1");
    manager.settle().await;
    manager.click("[data-action=save]");
    manager
        .wait_for("the error summary", |m| m.find("[data-role=error-summary]").is_some())
        .await;

    let active = document().active_element().unwrap();
    assert_eq!(active.get_attribute("name").as_deref(), Some("name"));
    assert!(manager.problem_codes("name").contains(&"required".to_owned()));
    assert_eq!(local_storage().get_item(STORAGE_KEY).unwrap(), None, "nothing is saved");
}

#[wasm_bindgen_test]
async fn save_stores_config_without_secret() {
    reset_storage();
    let manager = Mounted::new().await;
    manager.open_form().await;

    manager.type_into("name", "Billing API");
    manager.type_into("client_id", "billing-client");
    manager.type_into("client_secret", "c2VjcmV0LXZhbHVlLWZvci10ZXN0aW5nMQ==");
    manager.type_into("token_url", "https://auth.example.com/oauth/token");
    manager.type_into("auth_url", "https://auth.example.com/oauth/authorize");
    manager.type_into("scopes", "read  write ");
    manager.settle().await;
    manager.click("[data-action=save]");
    manager
        .wait_for("the saved row", |m| m.count("tr[data-config-id]") == 1)
        .await;

    let stored = local_storage().get_item(STORAGE_KEY).unwrap().expect("stored list");
    assert!(stored.contains("Billing API"));
    assert!(stored.contains(r#""scopes":["read","write"]"#), "stored: {stored}");
    assert!(!stored.contains("c2VjcmV0"), "the secret must not be stored");
    assert!(manager
        .get("tr[data-config-id]")
        .text_content()
        .unwrap()
        .contains("secret not stored in this browser"));
}

#[wasm_bindgen_test]
async fn damaged_storage_is_backed_up() {
    reset_storage();
    local_storage().set_item(STORAGE_KEY, "{not json").unwrap();
    let manager = Mounted::new().await;

    let notice = manager.get("[data-role=notices]").text_content().unwrap();
    assert!(notice.contains("could not be read"), "notice: {notice}");
    let storage = local_storage();
    let backups: Vec<String> = (0..storage.length().unwrap())
        .filter_map(|index| storage.key(index).unwrap())
        .filter(|key| key.starts_with(&format!("{STORAGE_KEY}.backup-")))
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(storage.get_item(&backups[0]).unwrap().as_deref(), Some("{not json"));
    assert!(notice.contains(&backups[0]), "the notice names the backup key");
    assert_eq!(
        storage.get_item(STORAGE_KEY).unwrap().as_deref(),
        Some(r#"{"version":1,"items":[]}"#),
        "the main key is repaired, so a reload does not back it up again"
    );
}

#[wasm_bindgen_test]
async fn stored_configs_load_into_table() {
    reset_storage();
    local_storage()
        .set_item(
            STORAGE_KEY,
            r#"{"version":1,"items":[{"id":"a1","secret":"none","updated_at":"2026-01-01T00:00:00Z","config":{"name":"<img src=x onerror=alert(1)>","client_id":"c","token_url":"https://auth.example.com/token","refresh_token_url":null,"auth_url":null,"scopes":["items:info","user:read"],"grant_type":"refresh_token"}}]}"#,
        )
        .unwrap();
    let manager = Mounted::new().await;

    let row = manager.get("tr[data-config-id=a1]");
    assert_eq!(
        row.query_selector("th").unwrap().unwrap().text_content().unwrap(),
        "<img src=x onerror=alert(1)>"
    );
    assert!(
        row.query_selector("img").unwrap().is_none(),
        "a name is text, never markup"
    );
    assert_eq!(manager.count("tr[data-config-id=a1] .oa-scope"), 2);
}

#[wasm_bindgen_test]
async fn initial_route_new_opens_form() {
    reset_storage();
    let props = ConfigManagerProps {
        initial_route: Some("new".into()),
        ..ConfigManagerProps::default()
    };
    let manager = Mounted::with_props(props).await;

    manager
        .wait_for("the form", |m| m.find("input[name=name]").is_some())
        .await;
}

#[wasm_bindgen_test]
async fn on_saved_reports_id_and_name() {
    reset_storage();
    let seen: Rc<RefCell<Vec<ConfigEvent>>> = Rc::default();
    let on_saved = {
        let seen = seen.clone();
        yew::Callback::from(move |event: ConfigEvent| seen.borrow_mut().push(event))
    };
    let props = ConfigManagerProps {
        on_saved,
        ..ConfigManagerProps::default()
    };
    let manager = Mounted::with_props(props).await;
    manager.open_form().await;

    manager.type_into("name", "Events");
    manager.type_into("client_id", "events-client");
    manager.type_into("client_secret", "events-secret-value");
    manager.type_into("token_url", "https://auth.example.com/oauth/token");
    manager.type_into("auth_url", "https://auth.example.com/oauth/authorize");
    manager.settle().await;
    manager.click("[data-action=save]");
    manager
        .wait_for("the saved row", |m| m.count("tr[data-config-id]") == 1)
        .await;

    let events = seen.borrow();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].name, "Events");
    let row_id = manager
        .get("tr[data-config-id]")
        .get_attribute("data-config-id")
        .unwrap();
    assert_eq!(events[0].id, row_id);
    assert!(
        !format!("{events:?}").contains("events-secret-value"),
        "an event never carries the secret"
    );
}

#[wasm_bindgen_test]
async fn api_base_selects_server_mode() {
    reset_storage();
    let local = Mounted::new().await;
    assert_eq!(
        local.get("[data-oauth2-admin]").get_attribute("data-mode").as_deref(),
        Some("local")
    );

    // The base points at a port nothing listens on, so the list cannot load.
    let props = ConfigManagerProps {
        api_base: Some("http://127.0.0.1:9/api".into()),
        ..ConfigManagerProps::default()
    };
    let server = Mounted::with_props(props).await;
    assert_eq!(
        server.get("[data-oauth2-admin]").get_attribute("data-mode").as_deref(),
        Some("server")
    );
    server
        .wait_for("the offline notice", |m| m.find("[data-role=offline]").is_some())
        .await;
}
