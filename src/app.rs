//! The root component: the table, the form, and the browser storage behind them.

use std::rc::Rc;

use oauth2_config::{Draft, GrantType};
use yew::prelude::*;

use crate::components::{input_id, ConfigForm, ConfigTable, ConfirmDialog, SaveRequest};
use crate::dom::{focus, next_instance_prefix, now_iso, random_id};
use crate::state::list::{ConfigList, ListAction};
use crate::storage::{LocalStore, SecretState, StoredConfig};

/// The screen the manager shows below its heading.
#[derive(Clone, Debug, PartialEq)]
enum View {
    Table,
    /// The form, for a new configuration (`None`) or the one with this id.
    Form(Option<String>),
}

/// Manages a list of OAuth2 client configurations kept in this browser.
#[component]
pub fn ConfigManager() -> Html {
    let prefix: AttrValue = use_memo((), |_| next_instance_prefix()).as_str().to_owned().into();
    let loaded = use_memo((), |_| LocalStore::load());
    let store = loaded.0.clone();
    let list = use_reducer({
        let items = loaded.1.items.clone();
        move || ConfigList { items }
    });
    let notices = use_state({
        let notices = loaded.1.notices.clone();
        move || notices
    });
    let view = use_state(|| View::Table);
    let save_error = use_state(|| None::<AttrValue>);
    let status = use_state(String::new);
    let pending_delete = use_state(|| None::<String>);
    let focus_target = use_state(|| None::<String>);

    use_effect_with((*focus_target).clone(), |target| {
        if let Some(id) = target {
            focus(id);
        }
    });

    let open_form = {
        let (view, save_error) = (view.clone(), save_error.clone());
        Callback::from(move |id: Option<String>| {
            save_error.set(None);
            view.set(View::Form(id));
        })
    };
    let close_form = {
        let (view, focus_target, prefix) = (view.clone(), focus_target.clone(), prefix.clone());
        move |id: Option<String>| {
            focus_target.set(Some(match &id {
                Some(id) => crate::components::edit_button_id(&prefix, id),
                None => input_id(&prefix, "add"),
            }));
            view.set(View::Table);
        }
    };
    let on_save = {
        let (list, view, save_error, status, store) = (
            list.clone(),
            view.clone(),
            save_error.clone(),
            status.clone(),
            store.clone(),
        );
        let close_form = close_form.clone();
        Callback::from(move |request: SaveRequest| {
            let View::Form(editing) = &*view else { return };
            let id = editing.clone().unwrap_or_else(random_id);
            let previous = list.find(&id).map(|item| item.secret);
            let secret = match (request.secret_typed, previous) {
                (true, _) => SecretState::NotStored,
                (false, Some(previous)) => previous,
                (false, None) => SecretState::None,
            };
            let name = request.config.name.as_str().to_owned();
            let item = StoredConfig {
                id: id.clone(),
                config: request.config,
                secret,
                updated_at: now_iso(),
            };
            let next = list.apply(ListAction::Upsert(item.clone()));
            match store.save(&next.items) {
                Ok(()) => {
                    list.dispatch(ListAction::Upsert(item));
                    status.set(format!("Saved \u{201C}{name}\u{201D} in this browser only."));
                    close_form(Some(id));
                }
                Err(error) => save_error.set(Some(error.message().into())),
            }
        })
    };
    let on_cancel = {
        let (view, close_form) = (view.clone(), close_form.clone());
        Callback::from(move |_| {
            let View::Form(editing) = &*view else { return };
            close_form(editing.clone());
        })
    };
    let confirm_delete = {
        let (list, pending_delete, status, notices, store) = (
            list.clone(),
            pending_delete.clone(),
            status.clone(),
            notices.clone(),
            store.clone(),
        );
        let (focus_target, prefix) = (focus_target.clone(), prefix.clone());
        Callback::from(move |_| {
            let Some(id) = (*pending_delete).clone() else { return };
            let name = list
                .find(&id)
                .map(|item| item.config.name.as_str().to_owned())
                .unwrap_or_default();
            let next = list.apply(ListAction::Remove(id.clone()));
            match store.save(&next.items) {
                Ok(()) => {
                    list.dispatch(ListAction::Remove(id));
                    status.set(format!("Deleted \u{201C}{name}\u{201D}."));
                }
                Err(error) => notices.set([(*notices).clone(), vec![error.message()]].concat()),
            }
            pending_delete.set(None);
            focus_target.set(Some(input_id(&prefix, "add")));
        })
    };

    let items = Rc::new(list.items.clone());
    let pending_name = (*pending_delete)
        .as_ref()
        .and_then(|id| list.find(id))
        .map(|item| item.config.name.as_str().to_owned());
    let dismiss_notices = {
        let notices = notices.clone();
        Callback::from(move |_: MouseEvent| notices.set(Vec::new()))
    };

    let body = match &*view {
        View::Table => html! {
            <>
                <div class="oa-toolbar">
                    <button type="button" id={input_id(&prefix, "add")} class="oa-button oa-button-primary" data-action="add"
                        onclick={open_form.reform(|_: MouseEvent| None)}>{ "Add OAuth2" }</button>
                    <span class="oa-storage-note">{ "Saved in this browser only. Client secrets are never stored here." }</span>
                </div>
                <ConfigTable prefix={prefix.clone()} {items}
                    on_edit={open_form.reform(Some)}
                    on_delete={{ let pending_delete = pending_delete.clone(); Callback::from(move |id| pending_delete.set(Some(id))) }} />
            </>
        },
        View::Form(editing) => {
            let existing = editing.as_deref().and_then(|id| list.find(id));
            let initial = existing.map(|item| item.config.to_draft()).unwrap_or_else(new_draft);
            let heading = match existing {
                Some(item) => format!("Edit \u{201C}{}\u{201D}", item.config.name.as_str()),
                None => "Add OAuth2 configuration".to_owned(),
            };
            html! {
                <ConfigForm key={editing.clone().unwrap_or_default()} prefix={prefix.clone()} {heading} {initial}
                    other_names={Rc::new(list.other_names(editing.as_deref()))}
                    secret_on_file={existing.is_some_and(|item| item.secret == SecretState::NotStored)}
                    save_error={(*save_error).clone()} {on_save} {on_cancel} />
            }
        }
    };

    html! {
        <div class="oauth2-admin" data-oauth2-admin="">
            <h1 class="oa-title">{ "OAuth2 configurations" }</h1>
            if !notices.is_empty() {
                <div class="oa-banner oa-banner-warning" role="alert" data-role="notices">
                    <ul>{ for notices.iter().map(|notice| html! { <li>{ notice }</li> }) }</ul>
                    <button type="button" class="oa-button oa-button-small" onclick={dismiss_notices}>{ "Dismiss" }</button>
                </div>
            }
            <p class="oa-status" role="status" aria-live="polite" data-role="status">{ &*status }</p>
            { body }
            <ConfirmDialog id={format!("{prefix}-delete")} open={pending_name.is_some()}
                title={format!("Delete \u{201C}{}\u{201D}?", pending_name.clone().unwrap_or_default())}
                message={format!("The configuration \u{201C}{}\u{201D} will be removed from this browser. This cannot be undone.", pending_name.unwrap_or_default())}
                confirm_label="Delete" danger=true on_confirm={confirm_delete}
                on_cancel={{ let pending_delete = pending_delete.clone(); Callback::from(move |_| pending_delete.set(None)) }} />
        </div>
    }
}

/// Returns the draft that a new configuration starts from.
fn new_draft() -> Draft {
    Draft {
        grant_type: GrantType::AuthorizationCode.as_str().to_owned(),
        ..Draft::default()
    }
}
