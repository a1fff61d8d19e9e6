//! Shown when the server's copy changed while the admin edited: both versions side by side, and
//! the admin chooses which one to keep. Nothing typed is dropped unless the admin says so.

use oauth2_config::{Draft, Field};
use yew::prelude::*;

use crate::storage::{SecretState, StoredConfig};

/// The admin's answer to a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Save the admin's version over the server's.
    KeepMine,
    /// Drop the admin's edits and show the server's version.
    TakeTheirs,
    /// Close the comparison and keep editing; the next save overwrites the server's version.
    KeepEditing,
}

#[derive(Properties, PartialEq)]
pub struct ConflictPanelProps {
    pub mine: Draft,
    pub theirs: StoredConfig,
    pub on_resolve: Callback<Resolution>,
}

#[component]
pub fn ConflictPanel(props: &ConflictPanelProps) -> Html {
    let theirs = props.theirs.config.to_draft();
    let resolve = |resolution: Resolution| props.on_resolve.reform(move |_: MouseEvent| resolution);
    let rows = Field::ALL.into_iter().filter(|field| *field != Field::ClientSecret).map(|field| {
        let (mine, server) = (props.mine.get(field).trim(), theirs.get(field));
        let changed = mine != server;
        html! {
            <tr class={classes!(changed.then_some("oa-conflict-changed"))} data-field={field.key()} data-changed={changed.to_string()}>
                <th scope="row">{ field.label() }</th>
                <td><code class="oa-code">{ mine }</code></td>
                <td><code class="oa-code">{ server }</code></td>
            </tr>
        }
    });
    let their_secret = match props.theirs.secret {
        SecretState::Configured => "configured",
        SecretState::NotStored => "not stored in this browser",
        SecretState::None => "not set",
    };

    html! {
        <div class="oa-conflict" role="alert" data-role="conflict">
            <p>
                { format!("Someone changed \u{201C}{}\u{201D} on the server (now revision {}) while you were editing. ",
                    props.theirs.config.name.as_str(), props.theirs.revision.unwrap_or_default()) }
                { "Compare the versions and choose which to keep; your edits stay in the form until you choose." }
            </p>
            <table class="oa-table oa-conflict-table">
                <thead><tr><th scope="col">{ "Field" }</th><th scope="col">{ "Your version" }</th><th scope="col">{ "Server version" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="oa-hint">{ format!("Client Secret on the server: {their_secret}.") }</p>
            <div class="oa-form-actions">
                <button type="button" class="oa-button oa-button-primary" data-action="keep-mine" onclick={resolve(Resolution::KeepMine)}>{ "Save my version" }</button>
                <button type="button" class="oa-button" data-action="take-theirs" onclick={resolve(Resolution::TakeTheirs)}>{ "Use the server version" }</button>
                <button type="button" class="oa-button" data-action="keep-editing" onclick={resolve(Resolution::KeepEditing)}>{ "Keep editing" }</button>
            </div>
        </div>
    }
}
