//! The Grant Type list: standard grants, legacy grants, and a custom URI typed by the admin.

use oauth2_config::{Field, GrantType};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::field_row::described_by;
use super::input_id;

/// The list value that stands for "type a custom URI".
const CUSTOM: &str = "custom";

/// The id suffix of the custom URI input.
pub const CUSTOM_KEY: &str = "grant_type_custom";

#[derive(Properties, PartialEq)]
pub struct GrantSelectProps {
    pub prefix: AttrValue,
    pub value: AttrValue,
    pub custom: bool,
    pub invalid: bool,
    pub on_choose: Callback<Option<GrantType>>,
    pub on_custom_input: Callback<String>,
}

#[component]
pub fn GrantSelect(props: &GrantSelectProps) -> Html {
    let on_change = {
        let on_choose = props.on_choose.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            let grant = GrantType::STANDARD.into_iter().find(|grant| grant.as_str() == value);
            on_choose.emit(grant);
        })
    };
    let on_custom_input = {
        let on_custom_input = props.on_custom_input.clone();
        Callback::from(move |event: InputEvent| {
            on_custom_input.emit(event.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let option = |grant: GrantType| {
        let selected = !props.custom && props.value == grant.as_str();
        html! { <option value={grant.as_str().to_owned()} {selected}>{ format!("{} — {}", grant.title(), grant.as_str()) }</option> }
    };
    let (current, legacy): (Vec<GrantType>, Vec<GrantType>) =
        GrantType::STANDARD.into_iter().partition(|grant| !grant.is_legacy());
    let invalid = props.invalid.to_string();
    let custom_id = input_id(&props.prefix, CUSTOM_KEY);

    html! {
        <>
            <select id={input_id(&props.prefix, Field::GrantType.key())} name={Field::GrantType.key()} class="oa-input"
                aria-invalid={(!props.custom).then(|| invalid.clone())} aria-describedby={described_by(&props.prefix, Field::GrantType)}
                onchange={on_change}>
                <optgroup label="Standard">{ for current.into_iter().map(option) }</optgroup>
                <optgroup label="Legacy (removed in OAuth 2.1)">{ for legacy.into_iter().map(option) }</optgroup>
                <optgroup label="Extension">
                    <option value={CUSTOM} selected={props.custom}>{ "Custom grant type (absolute URI)…" }</option>
                </optgroup>
            </select>
            if props.custom {
                <div class="oa-subfield">
                    <label class="oa-label" for={custom_id.clone()}>{ "Custom grant type URI" }</label>
                    <input id={custom_id} name={CUSTOM_KEY} class="oa-input" type="text" spellcheck="false" autocomplete="off"
                        placeholder="urn:example:params:oauth:grant-type:custom" value={props.value.clone()}
                        aria-invalid={invalid} aria-describedby={described_by(&props.prefix, Field::GrantType)}
                        oninput={on_custom_input} />
                </div>
            }
        </>
    }
}
