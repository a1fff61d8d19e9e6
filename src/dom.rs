//! Small browser helpers: element ids, focus, clock and random ids.

use std::sync::atomic::{AtomicUsize, Ordering};

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

static INSTANCES: AtomicUsize = AtomicUsize::new(0);

/// Returns a prefix for element ids that no other mounted manager on the page uses.
pub fn next_instance_prefix() -> String {
    format!("oauth2-admin-{}", INSTANCES.fetch_add(1, Ordering::Relaxed))
}

thread_local! {
    /// Shadow roots that managers render into; `document.getElementById` cannot see inside them.
    static SHADOW_ROOTS: std::cell::RefCell<Vec<web_sys::ShadowRoot>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Lets [`focus`] find elements inside `root`.
pub fn register_shadow_root(root: &web_sys::ShadowRoot) {
    SHADOW_ROOTS.with(|roots| roots.borrow_mut().push(root.clone()));
}

pub fn unregister_shadow_root(root: &web_sys::ShadowRoot) {
    SHADOW_ROOTS.with(|roots| roots.borrow_mut().retain(|known| known != root));
}

/// Moves keyboard focus to the element with `id`, in the page or in a manager's shadow root.
pub fn focus(id: &str) {
    let in_document = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id));
    let element = in_document
        .or_else(|| SHADOW_ROOTS.with(|roots| roots.borrow().iter().find_map(|root| root.get_element_by_id(id))));
    if let Some(element) = element.and_then(|element| element.dyn_into::<HtmlElement>().ok()) {
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
