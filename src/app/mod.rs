//! The root component: the table, the form, and the storage or server behind them.

mod actions;
mod replay;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use gloo::events::EventListener;

use oauth2_config::{Draft, GrantType};
use yew::prelude::*;

use self::actions::{Actions, Backend, Events, LoadState, View};
use crate::api::ApiClient;
use crate::components::{input_id, ConfigForm, ConfigTable, ConfirmDialog, TokenDialog};
use crate::dom::{focus, next_instance_prefix};
use crate::state::list::ConfigList;
use crate::state::request::RequestState;
use crate::storage::{LocalStore, SecretState};
use crate::sync::outbox::EntryState;
use crate::sync::store::{load_drafts, load_outbox};

/// An event the manager reports to its host. It never carries a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigEvent {
    /// The configuration's id.
    pub id: String,
    /// The configuration's name.
    pub name: String,
    /// A message for `error` events; empty otherwise.
    pub message: String,
}

/// The manager's properties. Every one is optional: with none, the manager keeps configurations
/// in this browser's `localStorage` and shows the list.
#[derive(Properties, PartialEq, Default, Clone)]
pub struct ConfigManagerProps {
    /// Base URL of the admin server's API, such as `/api` or `https://admin.example.com/api`.
    /// Without one, configurations are kept in this browser's `localStorage`.
    #[prop_or_default]
    pub api_base: Option<AttrValue>,
    /// Admin token sent as `Authorization: Bearer`. Without one, the manager relies on the
    /// portal's same-origin cookies, and prompts the admin for a token if the server returns 401.
    #[prop_or_default]
    pub token: Option<AttrValue>,
    /// The first screen: `list` (the default), `new` (the Add form) or `edit:<id>`.
    #[prop_or_default]
    pub initial_route: Option<AttrValue>,
    /// Called after a configuration was saved (to the server, or in this browser).
    #[prop_or_default]
    pub on_saved: Callback<ConfigEvent>,
    /// Called after a configuration was deleted.
    #[prop_or_default]
    pub on_deleted: Callback<ConfigEvent>,
    /// Called when the server's copy changed while the admin edited it.
    #[prop_or_default]
    pub on_conflict: Callback<ConfigEvent>,
    /// Called when a save or delete failed, with the message shown to the admin.
    #[prop_or_default]
    pub on_error: Callback<ConfigEvent>,
}

/// Manages a list of OAuth2 client configurations, on an admin server or in this browser.
/// Changing `api_base` starts over with the new backend; the other properties apply in place.
#[component]
pub fn ConfigManager(props: &ConfigManagerProps) -> Html {
    let key = props.api_base.as_deref().unwrap_or("").to_owned();
    html! { <ManagerView {key} ..props.clone() /> }
}

#[component]
fn ManagerView(props: &ConfigManagerProps) -> Html {
    let prefix: AttrValue = use_memo((), |_| next_instance_prefix()).as_str().to_owned().into();
    let setup = use_memo(props.api_base.clone(), |api_base| {
        let mut notices = Vec::new();
        let drafts = load_drafts(&mut notices);
        match api_base {
            Some(base) => {
                let client = ApiClient::new(base);
                let mut outbox = load_outbox(&mut notices);
                // Secrets live in memory only, so after a reload a queued secret must be typed again.
                for entry in &mut outbox.entries {
                    if matches!(
                        entry.change,
                        crate::sync::outbox::Change::Put {
                            secret: crate::sync::outbox::SecretIntent::Set,
                            ..
                        }
                    ) {
                        entry.state = EntryState::SecretNeeded;
                    }
                }
                (Backend::Server(client), Vec::new(), notices, outbox, drafts)
            }
            None => {
                let (store, loaded) = LocalStore::load();
                notices.extend(loaded.notices);
                (Backend::Local(store), loaded.items, notices, Default::default(), drafts)
            }
        }
    });
    let list = use_reducer({
        let items = setup.1.clone();
        move || ConfigList { items }
    });
    let notices = use_state({
        let notices = setup.2.clone();
        move || notices
    });
    let load = use_state(|| {
        if matches!(setup.0, Backend::Server(_)) {
            LoadState::Loading
        } else {
            LoadState::Ready
        }
    });
    let view = use_state(|| View::Table);
    let request = use_state(RequestState::default);
    let server_problems = use_state(Rc::<Vec<oauth2_config::Problem>>::default);
    let conflict = use_state(|| None);
    let conflict_queued = use_state(|| false);
    let status = use_state(String::new);
    let auth_prompt = use_state(|| None::<Callback<()>>);
    let pending_delete = use_state(|| None::<String>);
    let focus_target = use_state(|| None::<(String, u64)>);
    let outbox = use_mut_ref({
        let outbox = setup.3.clone();
        move || outbox
    });
    let drafts = use_mut_ref({
        let drafts = setup.4.clone();
        move || drafts
    });
    let secrets = use_mut_ref(HashMap::new);
    let replaying: Rc<Cell<bool>> = (*use_memo((), |_| Rc::new(Cell::new(false)))).clone();
    let replay_timer: Rc<RefCell<Option<gloo::timers::callback::Timeout>>> = use_mut_ref(|| None);
    let redraw = use_force_update();
    let update_ready = use_state(|| false);

    let actions = Actions {
        backend: setup.0.clone(),
        prefix: prefix.clone(),
        list: list.clone(),
        view: view.clone(),
        load: load.clone(),
        request: request.clone(),
        server_problems: server_problems.clone(),
        conflict: conflict.clone(),
        conflict_queued: conflict_queued.clone(),
        status: status.clone(),
        notices: notices.clone(),
        auth_prompt: auth_prompt.clone(),
        focus_target: focus_target.clone(),
        outbox,
        secrets,
        drafts,
        replaying,
        replay_timer: replay_timer.clone(),
        redraw,
        events: Events {
            on_saved: props.on_saved.clone(),
            on_deleted: props.on_deleted.clone(),
            on_conflict: props.on_conflict.clone(),
            on_error: props.on_error.clone(),
        },
    };
    if let Backend::Server(client) = &actions.backend {
        client.set_token(props.token.as_ref().map(|token| token.to_string()));
    }
    {
        // The replay timer refers back to the manager, so it is dropped by hand on unmount.
        use_effect_with((), move |_| move || drop(replay_timer.borrow_mut().take()));
    }
    {
        let (actions, route) = (actions.clone(), props.initial_route.clone());
        use_effect_with((), move |_| match parse_route(route.as_deref()) {
            Some(Route::New) => actions.open_form(None),
            Some(Route::Edit(id)) => actions.open_form(Some(id)),
            None => {}
        });
    }
    {
        let actions = actions.clone();
        use_effect_with(props.api_base.clone(), move |_| actions.load());
    }
    {
        // Other tabs write the same keys; the `storage` event keeps this tab in step with them.
        let (actions, update_ready) = (actions.clone(), update_ready.clone());
        use_effect_with(props.api_base.clone(), move |_| {
            let window = gloo::utils::window();
            let online = {
                let actions = actions.clone();
                EventListener::new(&window, "online", move |_| actions.retry_now())
            };
            let storage = EventListener::new(&window, "storage", move |event| {
                let event: &web_sys::StorageEvent = wasm_bindgen::JsCast::unchecked_ref(event);
                actions.reload_from_storage(event.key().as_deref());
            });
            // boot.js raises this when the service worker has cached a newer build.
            let update = EventListener::new(&window, "oauth2-admin-update", move |_| update_ready.set(true));
            move || drop((online, storage, update))
        });
    }
    use_effect_with((*focus_target).clone(), |target| {
        if let Some((id, _)) = target {
            focus(id);
        }
    });

    let is_server = matches!(actions.backend, Backend::Server(_));
    let sync = replay::sync_labels(&actions);
    let open_form = {
        let actions = actions.clone();
        Callback::from(move |id: Option<String>| actions.open_form(id))
    };
    let confirm_delete = {
        let (actions, pending_delete) = (actions.clone(), pending_delete.clone());
        Callback::from(move |_| {
            if let Some(id) = (*pending_delete).clone() {
                actions.delete(id);
            }
            pending_delete.set(None);
        })
    };
    let dismiss_notices = {
        let notices = notices.clone();
        Callback::from(move |_: MouseEvent| notices.set(Vec::new()))
    };
    let token_done = {
        let (auth_prompt, actions) = (auth_prompt.clone(), actions.clone());
        Callback::from(move |_| {
            let retry = (*auth_prompt).clone();
            auth_prompt.set(None);
            if let Some(retry) = retry {
                retry.emit(());
            }
            // The list may never have loaded if the first request was the one rejected.
            if *actions.load != LoadState::Ready {
                actions.load();
            }
        })
    };
    {
        // Another manager on the page may get the token entered; this one then goes on with it.
        let (token_done, waiting) = (token_done.clone(), auth_prompt.is_some());
        use_effect_with(waiting, move |waiting| {
            let listener = waiting.then(|| {
                EventListener::new(&gloo::utils::window(), crate::api::TOKEN_STORED_EVENT, move |_| {
                    token_done.emit(())
                })
            });
            move || drop(listener)
        });
    }
    let token_cancel = {
        let (auth_prompt, load) = (auth_prompt.clone(), load.clone());
        Callback::from(move |_| {
            auth_prompt.set(None);
            if *load == LoadState::Loading {
                load.set(LoadState::Failed(
                    "the admin server needs the admin token. Choose Retry to enter it.".to_owned(),
                ));
            }
        })
    };

    let pending_name = (*pending_delete)
        .as_ref()
        .and_then(|id| list.find(id))
        .map(|item| item.config.name.as_str().to_owned());
    let storage_note = if is_server {
        "Saved to the admin server. Secrets are sent only when you type a new one and are never shown again."
    } else {
        "Saved in this browser only. Client secrets are never stored here."
    };

    let body = match &*view {
        View::Table => html! {
            <>
                <div class="oa-toolbar">
                    <button type="button" id={input_id(&prefix, "add")} class="oa-button oa-button-primary" data-action="add"
                        onclick={open_form.reform(|_: MouseEvent| None)}>{ "Add OAuth2" }</button>
                    <span class="oa-storage-note" data-role="storage-note">{ storage_note }</span>
                </div>
                { view_load_state(&load, &actions) }
                <ConfigTable prefix={prefix.clone()} items={Rc::new(list.items.clone())} sync={sync.clone()}
                    on_edit={open_form.reform(Some)}
                    on_delete={{ let pending_delete = pending_delete.clone(); Callback::from(move |id| pending_delete.set(Some(id))) }} />
            </>
        },
        View::Form {
            id, existing, offer, ..
        } => {
            let current = existing.then(|| list.find(id)).flatten();
            let needs_secret = actions
                .outbox
                .borrow()
                .find(id)
                .is_some_and(|entry| entry.state == EntryState::SecretNeeded);
            let initial = current.map(|item| item.config.to_draft()).unwrap_or_else(new_draft);
            let heading = match current {
                Some(item) => format!("Edit \u{201C}{}\u{201D}", item.config.name.as_str()),
                None => "Add OAuth2 configuration".to_owned(),
            };
            let secret_on_file = current.filter(|_| !needs_secret).and_then(|item| match item.secret {
                SecretState::Configured => Some(AttrValue::from("Configured")),
                SecretState::NotStored => Some(AttrValue::from("Secret not stored in this browser")),
                SecretState::None => None,
            });
            let secret_hint = if needs_secret {
                "The secret typed for this waiting change was not kept when the page reloaded, because secrets never go into browser storage. Type it again to send the change."
            } else if is_server {
                "Sent to the admin server only when you type a new one. The server never sends it back."
            } else {
                "This browser never stores the secret: it is checked, then discarded when you save here."
            };
            let on_save = {
                let actions = actions.clone();
                Callback::from(move |request| actions.save(request))
            };
            let on_cancel = {
                let actions = actions.clone();
                Callback::from(move |_| actions.close_form(false))
            };
            let on_resolve = {
                let actions = actions.clone();
                Callback::from(move |resolution| actions.resolve(resolution))
            };
            let on_autosave = {
                let actions = actions.clone();
                Callback::from(move |draft| actions.autosave(draft))
            };
            let on_restore = {
                let actions = actions.clone();
                Callback::from(move |_| actions.restore_draft())
            };
            let on_discard_draft = {
                let actions = actions.clone();
                Callback::from(move |_| actions.discard_draft())
            };
            html! {
                <ConfigForm key={id.clone()} prefix={prefix.clone()} {heading} {initial}
                    other_names={Rc::new(list.other_names(Some(id)))} {secret_on_file} {secret_hint}
                    request={(*request).clone()} server_problems={(*server_problems).clone()} conflict={(*conflict).clone()} conflict_from_queue={*conflict_queued}
                    offer={offer.clone()} {on_save} {on_cancel} {on_resolve} {on_autosave} {on_restore} {on_discard_draft} />
            }
        }
    };

    html! {
        <div class="oauth2-admin" data-oauth2-admin="" data-mode={if is_server { "server" } else { "local" }}>
            <h1 class="oa-title">{ "OAuth2 configurations" }</h1>
            if !notices.is_empty() {
                <div class="oa-banner oa-banner-warning" role="alert" data-role="notices">
                    <ul>{ for notices.iter().map(|notice| html! { <li>{ notice }</li> }) }</ul>
                    <button type="button" class="oa-button oa-button-small" onclick={dismiss_notices}>{ "Dismiss" }</button>
                </div>
            }
            if *update_ready {
                <div class="oa-banner oa-banner-warning" role="status" data-role="update-ready">
                    <span>{ "A new version of this page is available. Reload to use it; drafts and queued changes are kept." }</span>
                    <button type="button" class="oa-button oa-button-small" data-action="reload"
                        onclick={Callback::from(|_: MouseEvent| { let _ = gloo::utils::window().location().reload(); })}>{ "Reload" }</button>
                </div>
            }
            <p class="oa-status" role="status" aria-live="polite" data-role="status">{ &*status }</p>
            { view_sync_line(&actions, is_server, &load) }
            { body }
            <ConfirmDialog id={format!("{prefix}-delete")} open={pending_name.is_some()}
                title={format!("Delete \u{201C}{}\u{201D}?", pending_name.clone().unwrap_or_default())}
                message={format!("The configuration \u{201C}{}\u{201D} will be deleted. This cannot be undone.", pending_name.unwrap_or_default())}
                confirm_label="Delete" danger=true on_confirm={confirm_delete}
                on_cancel={{ let pending_delete = pending_delete.clone(); Callback::from(move |_| pending_delete.set(None)) }} />
            <TokenDialog id={format!("{prefix}-auth")} open={auth_prompt.is_some()} on_cancel={token_cancel} />
        </div>
    }
}

/// Renders the line that always states where the data is: on the server, in this browser, or
/// waiting to sync.
fn view_sync_line(actions: &Actions, is_server: bool, load: &LoadState) -> Html {
    let waiting = actions.outbox.borrow().waiting();
    let text = match (is_server, waiting, load) {
        (false, _, _) => "Saved in this browser only".to_owned(),
        (true, 0, LoadState::Offline(_)) => "Offline: showing the list as last loaded in this browser".to_owned(),
        (true, 0, _) => "Saved to server".to_owned(),
        (true, 1, _) => "1 change waiting to sync".to_owned(),
        (true, count, _) => format!("{count} changes waiting to sync"),
    };
    let retry = {
        let actions = actions.clone();
        Callback::from(move |_: MouseEvent| actions.retry_now())
    };
    html! {
        <p class="oa-sync-line" data-role="sync-line" data-waiting={waiting.to_string()}>
            <span>{ text }</span>
            if is_server && waiting > 0 {
                <button type="button" class="oa-button oa-button-small" data-action="retry-now" onclick={retry}>{ "Retry now" }</button>
            }
        </p>
    }
}

fn view_load_state(load: &LoadState, actions: &Actions) -> Html {
    match load {
        LoadState::Ready => html! {},
        LoadState::Offline(reason) => html! {
            <p class="oa-banner oa-banner-warning" role="status" data-role="offline" title={reason.clone()}>
                { "The admin server cannot be reached, so this is the list as last loaded in this browser. Changes are kept here and sent when the server is back." }
            </p>
        },
        LoadState::Loading => {
            html! { <p class="oa-muted" data-role="loading">{ "Loading configurations from the server…" }</p> }
        }
        LoadState::Failed(message) => {
            let actions = actions.clone();
            html! {
                <div class="oa-banner oa-banner-error" role="alert" data-role="load-error">
                    <span>{ format!("Could not load configurations: {message}") }</span>
                    <button type="button" class="oa-button oa-button-small" onclick={Callback::from(move |_: MouseEvent| actions.load())}>{ "Retry" }</button>
                </div>
            }
        }
    }
}

/// A place the manager can open on.
enum Route {
    New,
    Edit(String),
}

/// Reads `new` or `edit:<id>`; anything else shows the list.
fn parse_route(route: Option<&str>) -> Option<Route> {
    match route?.trim() {
        "new" => Some(Route::New),
        route => route.strip_prefix("edit:").map(|id| Route::Edit(id.to_owned())),
    }
}

/// Returns the draft that a new configuration starts from.
fn new_draft() -> Draft {
    Draft {
        grant_type: GrantType::AuthorizationCode.as_str().to_owned(),
        ..Draft::default()
    }
}
