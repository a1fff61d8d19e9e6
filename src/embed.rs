//! The JavaScript entry point for portals that are not written in Yew.
//!
//! `mountManager(host, options)` renders the manager into a shadow root on `host`, so the portal's
//! styles cannot reach it and its styles cannot leak out, and returns a handle to update or unmount
//! it. What happens is announced as `CustomEvent`s that bubble out of `host`; their `detail` has
//! the configuration's `id` and `name`, never a secret.

use serde::Deserialize;
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, Element, ShadowRoot, ShadowRootInit, ShadowRootMode};
use yew::{AppHandle, Callback};

use crate::dom::{register_shadow_root, unregister_shadow_root};
use crate::{ConfigEvent, ConfigManager, ConfigManagerProps};

/// Options of `mountManager`, in camelCase as JavaScript writes them.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct MountOptions {
    api_base: Option<String>,
    token: Option<String>,
    initial_route: Option<String>,
    /// URL of the manager's stylesheet, loaded inside the shadow root.
    stylesheet: Option<String>,
}

/// A mounted manager.
#[wasm_bindgen]
pub struct ManagerHandle {
    app: Option<AppHandle<ConfigManager>>,
    props: ConfigManagerProps,
    shadow: ShadowRoot,
}

#[wasm_bindgen]
impl ManagerHandle {
    /// Replaces the bearer token sent to the API; `null` or `undefined` removes it.
    #[wasm_bindgen(js_name = setToken)]
    pub fn set_token(&mut self, token: Option<String>) {
        self.props.token = token.map(Into::into);
        self.update();
    }

    /// Points the manager at another API base; `null` or `undefined` switches to browser storage.
    #[wasm_bindgen(js_name = setApiBase)]
    pub fn set_api_base(&mut self, api_base: Option<String>) {
        self.props.api_base = api_base.filter(|base| !base.trim().is_empty()).map(Into::into);
        self.update();
    }

    /// Removes the manager, its listeners and its timers. The handle is unusable afterwards.
    pub fn unmount(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        unregister_shadow_root(&self.shadow);
        self.shadow.set_inner_html("");
    }

    fn update(&mut self) {
        if let Some(app) = self.app.as_mut() {
            app.update(self.props.clone());
        }
    }
}

/// Renders the manager into a shadow root on `host` and returns its handle.
#[wasm_bindgen(js_name = mountManager)]
pub fn mount_manager(host: Element, options: JsValue) -> Result<ManagerHandle, JsError> {
    let options: MountOptions = if options.is_undefined() || options.is_null() {
        MountOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options)
            .map_err(|error| JsError::new(&format!("invalid mountManager options: {error}")))?
    };

    let shadow = match host.shadow_root() {
        Some(shadow) => shadow,
        None => host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(|_| JsError::new("the host element cannot have a shadow root; use a <div> or a custom element"))?,
    };
    shadow.set_inner_html("");
    let document = gloo::utils::document();
    if let Some(href) = &options.stylesheet {
        let link = document
            .create_element("link")
            .map_err(|_| JsError::new("cannot create the stylesheet link"))?;
        link.set_attribute("rel", "stylesheet").ok();
        link.set_attribute("href", href).ok();
        shadow
            .append_child(&link)
            .map_err(|_| JsError::new("cannot add the stylesheet"))?;
    }
    let container = document
        .create_element("div")
        .map_err(|_| JsError::new("cannot create the container"))?;
    shadow
        .append_child(&container)
        .map_err(|_| JsError::new("cannot add the container"))?;
    register_shadow_root(&shadow);

    let props = ConfigManagerProps {
        api_base: options.api_base.filter(|base| !base.trim().is_empty()).map(Into::into),
        token: options.token.map(Into::into),
        initial_route: options.initial_route.map(Into::into),
        on_saved: announce(&host, "oauth2-config-saved"),
        on_deleted: announce(&host, "oauth2-config-deleted"),
        on_conflict: announce(&host, "oauth2-config-conflict"),
        on_error: announce(&host, "oauth2-config-error"),
    };
    let app = yew::Renderer::<ConfigManager>::with_root_and_props(container, props.clone()).render();
    Ok(ManagerHandle {
        app: Some(app),
        props,
        shadow,
    })
}

/// Returns a callback that dispatches `name` on `host`, bubbling out of the shadow root.
fn announce(host: &Element, name: &'static str) -> Callback<ConfigEvent> {
    let host = host.clone();
    Callback::from(move |event: ConfigEvent| {
        let detail = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&detail, &"id".into(), &event.id.into());
        let _ = js_sys::Reflect::set(&detail, &"name".into(), &event.name.into());
        if !event.message.is_empty() {
            let _ = js_sys::Reflect::set(&detail, &"message".into(), &event.message.into());
        }
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(custom) = CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = host.dispatch_event(&custom);
        }
    })
}
