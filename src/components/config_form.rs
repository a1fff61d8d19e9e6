//! The form that adds or edits one configuration. Validation runs in Rust on every keystroke;
//! errors block Save, warnings do not.

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use oauth2_config::{validate, Config, Context, Draft, Field, GrantType, Problem, Severity, Validation};
use web_sys::{BeforeUnloadEvent, HtmlInputElement};
use yew::prelude::*;

use super::field_row::described_by;
use super::grant_select::CUSTOM_KEY;
use super::{input_id, ConfirmDialog, FieldRow, GrantSelect};
use crate::dom::focus;
use crate::state::form::{FormAction, FormState};

/// A valid configuration the admin asked to save.
pub struct SaveRequest {
    pub config: Config,
    /// Whether a new secret was typed. The secret itself does not leave the form here.
    pub secret_typed: bool,
}

#[derive(Properties, PartialEq)]
pub struct ConfigFormProps {
    pub prefix: AttrValue,
    pub heading: AttrValue,
    pub initial: Draft,
    /// Names of the other configurations, for the unique-name rule.
    pub other_names: Rc<Vec<String>>,
    /// Whether this configuration already has a secret on record.
    pub secret_on_file: bool,
    /// The reason the last save failed. The form keeps everything typed.
    #[prop_or_default]
    pub save_error: Option<AttrValue>,
    pub on_save: Callback<SaveRequest>,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn ConfigForm(props: &ConfigFormProps) -> Html {
    let state = use_reducer({
        let initial = props.initial.clone();
        move || FormState::new(initial)
    });
    let confirm_discard = use_state(|| false);
    let secret_visible = use_state(|| false);

    let dirty = state.is_dirty();
    use_effect_with(dirty, |dirty| {
        let listener = dirty.then(|| {
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&gloo::utils::window(), "beforeunload", options, |event| {
                let event: &BeforeUnloadEvent = wasm_bindgen::JsCast::unchecked_ref(event);
                event.prevent_default();
                event.set_return_value("");
            })
        });
        move || drop(listener)
    });
    {
        let prefix = props.prefix.clone();
        use_effect_with((), move |_| focus(&input_id(&prefix, Field::Name.key())));
    }

    let context = Context {
        other_names: props.other_names.to_vec(),
        secret_on_file: props.secret_on_file,
    };
    let validation = validate(&state.draft, &context);
    let grant = GrantType::try_from(state.draft.grant_type.clone()).ok();

    let edit = {
        let state = state.clone();
        Callback::from(move |(field, value): (Field, String)| state.dispatch(FormAction::Edit(field, value)))
    };
    let cancel = {
        let (on_cancel, confirm_discard) = (props.on_cancel.clone(), confirm_discard.clone());
        Callback::from(move |_: ()| {
            if dirty {
                confirm_discard.set(true)
            } else {
                on_cancel.emit(())
            }
        })
    };
    let on_submit = {
        let (state, on_save, prefix) = (state.clone(), props.on_save.clone(), props.prefix.clone());
        let (config, first_invalid) = (validation.config.clone(), validation.first_invalid_field());
        let secret_typed = validation.secret.is_some();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            state.dispatch(FormAction::Submit);
            match (&config, first_invalid) {
                (Some(config), None) => on_save.emit(SaveRequest {
                    config: config.clone(),
                    secret_typed,
                }),
                (_, Some(field)) => focus(&field_input_id(&prefix, field, state.custom_grant)),
                (None, None) => {}
            }
        })
    };
    let on_keydown = {
        let (cancel, confirm_discard) = (cancel.clone(), confirm_discard.clone());
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" && !*confirm_discard {
                event.prevent_default();
                cancel.emit(());
            }
        })
    };

    let row = |field: Field, required: bool, hint: Option<Html>, input: Html| {
        let problems = state.visible_problems(&validation, field);
        let (errors, warnings) = split_by_severity(&validation, problems);
        html! {
            <FieldRow prefix={props.prefix.clone()} {field} {required} {hint} {errors} {warnings} on_fix={edit.clone()}>
                { input }
            </FieldRow>
        }
    };
    let invalid = |field: Field| {
        state
            .visible_problems(&validation, field)
            .iter()
            .any(|problem| validation.errors.contains(problem))
    };
    let text_input = |field: Field, kind: &'static str, placeholder: Option<String>| {
        let on_input = {
            let edit = edit.clone();
            Callback::from(move |event: InputEvent| {
                edit.emit((field, event.target_unchecked_into::<HtmlInputElement>().value()))
            })
        };
        html! {
            <input id={input_id(&props.prefix, field.key())} name={field.key()} type={kind} class="oa-input"
                value={state.draft.get(field).to_owned()} {placeholder} spellcheck="false"
                autocomplete={if field == Field::ClientSecret { "new-password" } else { "off" }}
                aria-invalid={invalid(field).to_string()} aria-describedby={described_by(&props.prefix, field)}
                oninput={on_input} />
        }
    };

    let uses_token_url = grant.as_ref().is_none_or(GrantType::uses_token_url);
    let uses_auth_url = grant.as_ref().is_some_and(GrantType::uses_auth_url);
    let show_auth_url = uses_auth_url || !state.draft.auth_url.trim().is_empty() || grant.is_none();
    let requires_secret = grant.as_ref().is_some_and(GrantType::requires_secret) && !props.secret_on_file;
    let secret_kind = if *secret_visible { "text" } else { "password" };
    let secret_placeholder = props
        .secret_on_file
        .then(|| "secret not stored in this browser: leave blank to keep it unset".to_owned());
    let toggle_secret = {
        let secret_visible = secret_visible.clone();
        Callback::from(move |_: MouseEvent| secret_visible.set(!*secret_visible))
    };
    let scope_tokens: Vec<String> = state.draft.scopes.split_whitespace().map(str::to_owned).collect();
    let summary = (state.submitted && !validation.is_valid()).then(|| error_summary(&validation));
    let heading_id = format!("{}-form-heading", props.prefix);

    html! {
        <section class="oa-form-panel" aria-labelledby={heading_id.clone()}>
            <h2 id={heading_id} class="oa-form-heading">{ &props.heading }</h2>
            <form class="oa-form" novalidate=true onsubmit={on_submit} onkeydown={on_keydown}>
                if let Some(message) = &props.save_error {
                    <p class="oa-banner oa-banner-error" role="alert" data-role="save-error">{ message }</p>
                }
                if let Some(summary) = summary {
                    <p class="oa-banner oa-banner-error" role="alert" data-role="error-summary">{ summary }</p>
                }
                { row(Field::Name, true, None, text_input(Field::Name, "text", None)) }
                { row(Field::ClientId, true, None, text_input(Field::ClientId, "text", None)) }
                { row(Field::ClientSecret, requires_secret, Some(html! {
                    <>{ "This browser never stores the secret: it is checked, then discarded when you save here." }</>
                }), html! {
                    <div class="oa-input-group">
                        { text_input(Field::ClientSecret, secret_kind, secret_placeholder) }
                        <button type="button" class="oa-button oa-button-small" aria-pressed={secret_visible.to_string()}
                            aria-controls={input_id(&props.prefix, Field::ClientSecret.key())} onclick={toggle_secret}>
                            { if *secret_visible { "Hide" } else { "Show" } }
                        </button>
                    </div>
                }) }
                { row(Field::GrantType, true, None, html! {
                    <GrantSelect prefix={props.prefix.clone()} value={state.draft.grant_type.clone()} custom={state.custom_grant}
                        invalid={invalid(Field::GrantType)}
                        on_choose={{ let state = state.clone(); Callback::from(move |grant| state.dispatch(FormAction::ChooseGrant(grant))) }}
                        on_custom_input={edit.reform(|value| (Field::GrantType, value))} />
                }) }
                { row(Field::TokenUrl, uses_token_url, None,
                    text_input(Field::TokenUrl, "url", Some("https://auth.example.com/oauth/token".to_owned()))) }
                { row(Field::RefreshTokenUrl, false, Some(html! { <>{ "Leave blank to use the Token URL." }</> }),
                    text_input(Field::RefreshTokenUrl, "url", Some("Same as Token URL".to_owned()))) }
                if show_auth_url {
                    { row(Field::AuthUrl, uses_auth_url, None,
                        text_input(Field::AuthUrl, "url", Some("https://auth.example.com/oauth/authorize".to_owned()))) }
                }
                { row(Field::Scopes, false, Some(html! {
                    <>
                        { "Separate scopes with spaces. Leave blank to send no scope parameter." }
                        if !scope_tokens.is_empty() {
                            <ul class="oa-scope-list" aria-label="Scopes as they will be sent">
                                { for scope_tokens.iter().map(|token| html! { <li class="oa-scope">{ token }</li> }) }
                            </ul>
                        }
                    </>
                }), text_input(Field::Scopes, "text", Some("openid profile".to_owned()))) }
                <div class="oa-form-actions">
                    <button type="submit" class="oa-button oa-button-primary" data-action="save">{ "Save" }</button>
                    <button type="button" class="oa-button" data-action="cancel" onclick={cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
                </div>
            </form>
            <ConfirmDialog id={format!("{}-discard", props.prefix)} open={*confirm_discard} title="Discard unsaved changes?"
                message="The changes in this form have not been saved. Discard them?" confirm_label="Discard changes" danger=true
                on_confirm={props.on_cancel.clone()}
                on_cancel={{ let confirm_discard = confirm_discard.clone(); Callback::from(move |_| confirm_discard.set(false)) }} />
        </section>
    }
}

/// Returns the id of the element that takes focus for `field`.
fn field_input_id(prefix: &str, field: Field, custom_grant: bool) -> String {
    match field {
        Field::GrantType if custom_grant => input_id(prefix, CUSTOM_KEY),
        _ => input_id(prefix, field.key()),
    }
}

fn split_by_severity(validation: &Validation, problems: Vec<&Problem>) -> (Vec<Problem>, Vec<Problem>) {
    let (errors, warnings): (Vec<&Problem>, Vec<&Problem>) = problems
        .into_iter()
        .partition(|problem| severity(validation, problem) == Severity::Error);
    (
        errors.into_iter().cloned().collect(),
        warnings.into_iter().cloned().collect(),
    )
}

fn severity(validation: &Validation, problem: &Problem) -> Severity {
    if validation.errors.contains(problem) {
        Severity::Error
    } else {
        Severity::Warning
    }
}

fn error_summary(validation: &Validation) -> String {
    let mut labels: Vec<&str> = validation.errors.iter().map(|problem| problem.field.label()).collect();
    labels.dedup();
    let noun = if labels.len() == 1 {
        "field needs"
    } else {
        "fields need"
    };
    format!(
        "Not saved: {} {noun} fixing first: {}.",
        labels.len(),
        labels.join(", ")
    )
}
