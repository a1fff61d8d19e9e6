//! Mounts the configuration manager on the page's `#app` element.
//!
//! `<meta name="oauth2-admin-api" content="...">` in the page names the admin server's API base.
//! An empty or missing value keeps configurations in this browser, so the same build works from a
//! plain static host and behind the admin server, which fills the value in. A page without `#app`
//! mounts nothing: portals load the same bundle and call `mountManager` themselves.

use oauth2_admin::{ConfigManager, ConfigManagerProps};

fn main() {
    let document = gloo::utils::document();
    let Some(root) = document.get_element_by_id("app") else {
        return;
    };
    let api_base = document
        .query_selector("meta[name=oauth2-admin-api]")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .filter(|content| !content.trim().is_empty());

    let props = ConfigManagerProps {
        api_base: api_base.map(Into::into),
        ..ConfigManagerProps::default()
    };
    yew::Renderer::<ConfigManager>::with_root_and_props(root, props).render();
}
