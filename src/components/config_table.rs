//! The table of saved configurations with Edit and Delete actions.

use std::rc::Rc;

use oauth2_config::{EndpointUrl, Field};
use yew::prelude::*;

use crate::storage::{SecretState, StoredConfig};

#[derive(Properties, PartialEq)]
pub struct ConfigTableProps {
    pub prefix: AttrValue,
    pub items: Rc<Vec<StoredConfig>>,
    /// Outbox state of rows with a change waiting for the server: id, label, and whether the
    /// change is a deletion.
    #[prop_or_default]
    pub sync: Rc<Vec<(String, String, bool)>>,
    pub on_edit: Callback<String>,
    pub on_delete: Callback<String>,
}

/// Returns the id of a row's Edit button, so focus can come back to it.
pub fn edit_button_id(prefix: &str, config_id: &str) -> String {
    format!("{prefix}-edit-{config_id}")
}

#[component]
pub fn ConfigTable(props: &ConfigTableProps) -> Html {
    let headers = Field::ALL.iter().map(|field| field.label()).chain(["Action"]);
    let caption_id = format!("{}-table-caption", props.prefix);

    html! {
        <div class="oa-table-wrap">
            <table class="oa-table" aria-describedby={caption_id.clone()}>
                <caption id={caption_id} class="oa-visually-hidden">{ "Saved OAuth2 client configurations" }</caption>
                <thead>
                    <tr>{ for headers.map(|header| html! { <th scope="col">{ header }</th> }) }</tr>
                </thead>
                <tbody>
                    if props.items.is_empty() {
                        <tr class="oa-empty-row">
                            <td colspan="9">{ "No OAuth2 configurations yet. Choose \u{201C}Add OAuth2\u{201D} to create the first one." }</td>
                        </tr>
                    } else {
                        { for props.items.iter().map(|item| {
                            let sync = props.sync.iter().find(|(id, _, _)| *id == item.id).map(|(_, label, deleting)| (label.as_str(), *deleting));
                            view_row(&props.prefix, item, sync, &props.on_edit, &props.on_delete)
                        }) }
                    }
                </tbody>
            </table>
        </div>
    }
}

fn view_row(
    prefix: &str,
    item: &StoredConfig,
    sync: Option<(&str, bool)>,
    on_edit: &Callback<String>,
    on_delete: &Callback<String>,
) -> Html {
    let config = &item.config;
    let name = config.name.as_str();
    let edit = {
        let (on_edit, id) = (on_edit.clone(), item.id.clone());
        Callback::from(move |_: MouseEvent| on_edit.emit(id.clone()))
    };
    let delete = {
        let (on_delete, id) = (on_delete.clone(), item.id.clone());
        Callback::from(move |_: MouseEvent| on_delete.emit(id.clone()))
    };
    let secret = match item.secret {
        SecretState::None => html! { <span class="oa-muted">{ "not set" }</span> },
        SecretState::NotStored => html! { <span class="oa-muted">{ "secret not stored in this browser" }</span> },
        SecretState::Configured => html! { <span>{ "configured" }</span> },
    };
    let refresh = match &config.refresh_token_url {
        Some(url) => view_url(Some(url)),
        None if config.token_url.is_some() => html! { <span class="oa-muted">{ "Same as Token URL" }</span> },
        None => view_url(None),
    };
    let scopes = if config.scopes.is_empty() {
        html! { <span class="oa-muted">{ "none" }</span> }
    } else {
        html! { <ul class="oa-scope-list">{ for config.scopes.iter().map(|scope| html! { <li class="oa-scope">{ scope.as_str() }</li> }) }</ul> }
    };

    html! {
        <tr data-config-id={item.id.clone()} data-sync={sync.map(|(label, _)| label.to_owned())}
            class={classes!(sync.is_some_and(|(_, deleting)| deleting).then_some("oa-row-deleting"))}>
            <th scope="row" class="oa-cell-name">
                { name }
                if let Some((label, _)) = sync {
                    <span class="oa-badge oa-sync-badge" data-role="sync-state">{ label }</span>
                }
            </th>
            <td><code class="oa-code">{ config.client_id.as_str() }</code></td>
            <td>{ secret }</td>
            <td>{ view_url(config.token_url.as_ref()) }</td>
            <td>{ refresh }</td>
            <td>{ view_url(config.auth_url.as_ref()) }</td>
            <td>{ scopes }</td>
            <td>
                <code class="oa-code">{ config.grant_type.as_str() }</code>
                if config.grant_type.is_legacy() {
                    <span class="oa-badge">{ "legacy" }</span>
                }
            </td>
            <td class="oa-actions">
                <button type="button" id={edit_button_id(prefix, &item.id)} class="oa-button oa-button-small" data-action="edit"
                    aria-label={format!("Edit {name}")} onclick={edit}>{ "Edit" }</button>
                <button type="button" class="oa-button oa-button-small oa-button-danger" data-action="delete"
                    aria-label={format!("Delete {name}")} onclick={delete}>{ "Delete" }</button>
            </td>
        </tr>
    }
}

/// Shows a URL as text, never as a link: the page does not navigate to endpoints.
fn view_url(url: Option<&EndpointUrl>) -> Html {
    match url {
        Some(url) => html! { <code class="oa-code oa-url">{ url.as_str() }</code> },
        None => html! { <span class="oa-muted">{ "—" }</span> },
    }
}
