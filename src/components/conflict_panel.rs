//! Shown when the server's copy changed while the admin edited: both versions side by side, field
//! by field, and the admin chooses which to keep. Nothing typed is dropped unless the admin chooses the server's version.

use std::collections::BTreeMap;

use oauth2_config::{Draft, Field};
use yew::prelude::*;

use crate::storage::{SecretState, StoredConfig};
use crate::sync::merge::{default_pick, differing_fields, merge, Pick, MERGED_FIELDS};

/// The admin's choice in a conflict, besides saving a merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Drop the admin's edits and show the server's version.
    TakeTheirs,
    /// Close the comparison and keep editing; the next save replaces the server's version.
    KeepEditing,
}

#[derive(Properties, PartialEq)]
pub struct ConflictPanelProps {
    pub prefix: AttrValue,
    pub mine: Draft,
    pub theirs: StoredConfig,
    /// The version the admin's edit started from, when known. Fields only the server changed
    /// since then default to the server's value.
    #[prop_or_default]
    pub base: Option<Draft>,
    /// Called with the merged draft when the admin saves the chosen fields.
    pub on_save_merge: Callback<Draft>,
    pub on_resolve: Callback<Resolution>,
}

#[component]
pub fn ConflictPanel(props: &ConflictPanelProps) -> Html {
    let picks = use_state(BTreeMap::<Field, Pick>::new);

    let theirs = props.theirs.config.to_draft();
    let changed = differing_fields(&props.mine, &theirs);
    let resolve = |resolution: Resolution| props.on_resolve.reform(move |_: MouseEvent| resolution);
    let chosen: BTreeMap<Field, Pick> = changed
        .iter()
        .map(|field| {
            (
                *field,
                picks
                    .get(field)
                    .copied()
                    .unwrap_or_else(|| default_pick(&props.mine, props.base.as_ref(), *field)),
            )
        })
        .collect();
    let save_merge = {
        let (chosen, mine, theirs, on_save_merge) = (
            chosen.clone(),
            props.mine.clone(),
            theirs.clone(),
            props.on_save_merge.clone(),
        );
        Callback::from(move |_: MouseEvent| on_save_merge.emit(merge(&mine, &theirs, &chosen)))
    };
    let rows = MERGED_FIELDS.into_iter().map(|field| {
        let (mine, server) = (props.mine.get(field).trim().to_owned(), theirs.get(field).to_owned());
        let is_changed = changed.contains(&field);
        let pick = chosen.get(&field).copied().unwrap_or(Pick::Mine);
        let choose = |choice: Pick| {
            let picks = picks.clone();
            Callback::from(move |_: Event| {
                let mut next = (*picks).clone();
                next.insert(field, choice);
                picks.set(next);
            })
        };
        let group = format!("{}-pick-{}", props.prefix, field.key());
        html! {
            <tr class={classes!(is_changed.then_some("oa-conflict-changed"))} data-field={field.key()} data-changed={is_changed.to_string()}>
                <th scope="row">{ field.label() }</th>
                <td>
                    if is_changed {
                        <label class="oa-pick"><input type="radio" name={group.clone()} value="mine" checked={pick == Pick::Mine}
                            aria-label={format!("Keep your {}", field.label())} onchange={choose(Pick::Mine)} />
                            <code class="oa-code">{ mine }</code></label>
                    } else {
                        <code class="oa-code">{ mine }</code>
                    }
                </td>
                <td>
                    if is_changed {
                        <label class="oa-pick"><input type="radio" name={group} value="theirs" checked={pick == Pick::Theirs}
                            aria-label={format!("Take the server's {}", field.label())} onchange={choose(Pick::Theirs)} />
                            <code class="oa-code">{ server }</code></label>
                    } else {
                        <code class="oa-code">{ server }</code>
                    }
                </td>
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
                { format!("{} field(s) differ: for each, keep yours or take the server's. Your edits stay in the form until you choose.", changed.len()) }
            </p>
            <table class="oa-table oa-conflict-table">
                <thead><tr><th scope="col">{ "Field" }</th><th scope="col">{ "Your version" }</th><th scope="col">{ "Server version" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="oa-hint">{ format!("Client Secret on the server: {their_secret}. A secret you typed is sent only if you keep your version.") }</p>
            <div class="oa-form-actions">
                <button type="button" class="oa-button oa-button-primary" data-action="save-merge" onclick={save_merge}>{ "Save these choices" }</button>
                <button type="button" class="oa-button" data-action="take-theirs" onclick={resolve(Resolution::TakeTheirs)}>{ "Use the server version" }</button>
                <button type="button" class="oa-button" data-action="keep-editing" onclick={resolve(Resolution::KeepEditing)}>{ "Keep editing" }</button>
            </div>
        </div>
    }
}
