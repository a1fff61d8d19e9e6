//! The Client Secret input. A stored secret is never shown: the form states that it is on file and offers
//! to replace or remove it.

use oauth2_config::Field;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::field_row::described_by;
use super::input_id;
use crate::state::form::SecretMode;

#[derive(Properties, PartialEq)]
pub struct SecretFieldProps {
    pub prefix: AttrValue,
    pub mode: SecretMode,
    /// The description of a stored secret, for example "Configured"; `None` when none is on file.
    pub on_file: Option<AttrValue>,
    pub value: AttrValue,
    pub invalid: bool,
    pub on_input: Callback<String>,
    pub on_mode: Callback<SecretMode>,
}

#[component]
pub fn SecretField(props: &SecretFieldProps) -> Html {
    let visible = use_state(|| false);

    let id = input_id(&props.prefix, Field::ClientSecret.key());
    let set_mode = |mode: SecretMode| props.on_mode.reform(move |_: MouseEvent| mode);

    match (&props.on_file, props.mode) {
        (Some(status), SecretMode::Keep) => html! {
            <div class="oa-input-group oa-secret-on-file">
                <span class="oa-secret-status" data-role="secret-status">{ status }</span>
                <button type="button" {id} class="oa-button oa-button-small" aria-label="Replace the client secret"
                    onclick={set_mode(SecretMode::Replace)}>{ "Replace" }</button>
                <button type="button" class="oa-button oa-button-small oa-button-danger" aria-label="Remove the client secret"
                    onclick={set_mode(SecretMode::Remove)}>{ "Remove" }</button>
            </div>
        },
        (Some(_), SecretMode::Remove) => html! {
            <div class="oa-input-group oa-secret-on-file">
                <span class="oa-secret-status" data-role="secret-status">{ "The stored secret will be removed when you save." }</span>
                <button type="button" {id} class="oa-button oa-button-small" onclick={set_mode(SecretMode::Keep)}>{ "Undo" }</button>
            </div>
        },
        (on_file, _) => {
            let on_input = props
                .on_input
                .reform(|event: InputEvent| event.target_unchecked_into::<HtmlInputElement>().value());
            let toggle = {
                let visible = visible.clone();
                Callback::from(move |_: MouseEvent| visible.set(!*visible))
            };
            html! {
                <div class="oa-input-group">
                    <input id={id.clone()} name={Field::ClientSecret.key()} class="oa-input"
                        type={if *visible { "text" } else { "password" }} autocomplete="new-password" spellcheck="false"
                        value={props.value.clone()} aria-invalid={props.invalid.to_string()}
                        aria-describedby={described_by(&props.prefix, Field::ClientSecret)} oninput={on_input} />
                    <button type="button" class="oa-button oa-button-small" aria-pressed={visible.to_string()} aria-controls={id}
                        onclick={toggle}>{ if *visible { "Hide" } else { "Show" } }</button>
                    if on_file.is_some() {
                        <button type="button" class="oa-button oa-button-small" onclick={set_mode(SecretMode::Keep)}>{ "Keep current" }</button>
                    }
                </div>
            }
        }
    }
}
