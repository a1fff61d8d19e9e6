//! Small browser helpers: element ids, focus, clock and random ids.

use std::sync::atomic::{AtomicUsize, Ordering};

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

static INSTANCES: AtomicUsize = AtomicUsize::new(0);

/// Returns a prefix for element ids that no other mounted manager on the page uses.
pub fn next_instance_prefix() -> String {
    format!("oauth2-admin-{}", INSTANCES.fetch_add(1, Ordering::Relaxed))
}

/// Moves keyboard focus to the element with `id`, if it exists.
pub fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id))
        .and_then(|element| element.dyn_into::<HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Returns a random UUID from the browser's cryptographic generator.
pub fn random_id() -> String {
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        .unwrap_or_else(|| format!("local-{}", js_sys::Date::now() as u64))
}

/// Returns the current time as an ISO 8601 string in UTC.
pub fn now_iso() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

thread_local! {
    static TAB_ID: String = random_id();
}

/// Returns an id for this page load, to tell this tab's drafts from other tabs'.
pub fn tab_id() -> String {
    TAB_ID.with(Clone::clone)
}
