//! The form that adds or edits one configuration. Validation runs in Rust on every keystroke;
//! errors block Save, warnings do not.

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use oauth2_config::{validate, Config, Context, Draft, Field, GrantType, Problem, Validation};
use web_sys::{BeforeUnloadEvent, HtmlInputElement};
use yew::prelude::*;

use super::conflict_panel::{ConflictPanel, Resolution};
use super::field_row::described_by;
use super::grant_select::CUSTOM_KEY;
use super::secret_field::SecretField;
use super::{input_id, ConfirmDialog, FieldRow, GrantSelect};
use crate::api::SecretChange;
use crate::dom::focus;
use crate::state::form::{FormAction, FormState, SecretMode};
use crate::state::request::RequestState;
use crate::storage::StoredConfig;
use crate::sync::drafts::SavedDraft;

/// A valid configuration the admin asked to save.
#[derive(Clone, Debug, PartialEq)]
pub struct SaveRequest {
    pub config: Config,
    pub secret: SecretChange,
    /// The revision to send as `If-Match` in place of the one the edit started from, after the
    /// admin merged with the server's newer version.
    pub base_revision: Option<u64>,
}

#[derive(Properties, PartialEq)]
pub struct ConfigFormProps {
    pub prefix: AttrValue,
    pub heading: AttrValue,
    pub initial: Draft,
    /// Names of the other configurations, for the unique-name rule.
    pub other_names: Rc<Vec<String>>,
    /// The description of the stored secret, such as "Configured"; `None` when none is stored.
    #[prop_or_default]
    pub secret_on_file: Option<AttrValue>,
    /// The state of the last save. The form keeps everything typed whatever happens.
    #[prop_or_default]
    pub request: RequestState,
    /// Problems the server found, shown on their fields until the next save.
    #[prop_or_default]
    pub server_problems: Rc<Vec<Problem>>,
    /// The server's version, when it changed while the admin edited.
    #[prop_or_default]
    pub conflict: Option<Rc<StoredConfig>>,
    /// Whether the conflict comes from a queued change, whose starting version is not known, so
    /// the comparison cannot tell which side changed a field.
    #[prop_or_default]
    pub conflict_from_queue: bool,
    /// The hint under the Client Secret field, stating where the secret goes.
    pub secret_hint: AttrValue,
    pub on_save: Callback<SaveRequest>,
    pub on_cancel: Callback<()>,
    #[prop_or_default]
    pub on_resolve: Callback<Resolution>,
    /// An autosaved draft of this form to offer back, with when it was saved.
    #[prop_or_default]
    pub offer: Option<Rc<SavedDraft>>,
    /// Called shortly after each change with the draft to autosave, or `None` once nothing differs.
    #[prop_or_default]
    pub on_autosave: Callback<Option<Draft>>,
    #[prop_or_default]
    pub on_restore: Callback<()>,
    #[prop_or_default]
    pub on_discard_draft: Callback<()>,
}

/// Delay between the last keystroke and the autosave, in milliseconds.
const AUTOSAVE_DELAY_MS: u32 = 300;

#[component]
pub fn ConfigForm(props: &ConfigFormProps) -> Html {
    let state = use_reducer({
        let (initial, on_file) = (props.initial.clone(), props.secret_on_file.is_some());
        move || FormState::new(initial, on_file)
    });
    let confirm_discard = use_state(|| false);

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
    {
        let on_autosave = props.on_autosave.clone();
        use_effect_with((state.draft.clone(), dirty), move |(draft, dirty)| {
            let draft = dirty.then(|| draft.clone());
            let timer = gloo::timers::callback::Timeout::new(AUTOSAVE_DELAY_MS, move || on_autosave.emit(draft));
            move || drop(timer)
        });
    }

    let secret_on_file = props.secret_on_file.is_some() && state.keeps_stored_secret();
    let context = Context {
        other_names: props.other_names.to_vec(),
        secret_on_file,
    };
    let validation = validate(&state.draft, &context);
    let busy = props.request.is_saving();
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
        let secret = match (state.secret_mode, &validation.secret) {
            (SecretMode::Remove, _) => SecretChange::Clear,
            (_, Some(secret)) => SecretChange::Set(secret.clone()),
            (_, None) => SecretChange::Keep,
        };
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if busy {
                return;
            }
            state.dispatch(FormAction::Submit);
            match (&config, first_invalid) {
                (Some(config), None) => on_save.emit(SaveRequest {
                    config: config.clone(),
                    secret: secret.clone(),
                    base_revision: None,
                }),
                (_, Some(field)) => focus(&field_input_id(&prefix, field, state.custom_grant)),
                (None, None) => {}
            }
        })
    };
    let restore_draft = {
        let (state, offer, on_restore) = (state.clone(), props.offer.clone(), props.on_restore.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(offer) = &offer {
                state.dispatch(FormAction::Restore(offer.draft.clone()));
                on_restore.emit(());
            }
        })
    };
    let save_merge = {
        let (state, on_save, on_resolve) = (state.clone(), props.on_save.clone(), props.on_resolve.clone());
        let revision = props.conflict.as_ref().and_then(|theirs| theirs.revision);
        let (context, secret_mode) = (context.clone(), state.secret_mode);
        Callback::from(move |merged: Draft| {
            let validation = validate(&merged, &context);
            state.dispatch(FormAction::Restore(merged));
            match validation.config {
                Some(config) => {
                    let secret = match (secret_mode, validation.secret) {
                        (SecretMode::Remove, _) => SecretChange::Clear,
                        (_, Some(secret)) => SecretChange::Set(secret),
                        (_, None) => SecretChange::Keep,
                    };
                    on_save.emit(SaveRequest {
                        config,
                        secret,
                        base_revision: revision,
                    });
                }
                None => {
                    state.dispatch(FormAction::Submit);
                    on_resolve.emit(Resolution::KeepEditing);
                }
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
        let (mut errors, warnings) = split_by_severity(&validation, problems);
        errors.extend(
            props
                .server_problems
                .iter()
                .filter(|problem| problem.field == field)
                .cloned(),
        );
        html! {
            <FieldRow prefix={props.prefix.clone()} {field} {required} {hint} {errors} {warnings} on_fix={edit.clone()}>
                { input }
            </FieldRow>
        }
    };
    let invalid = |field: Field| {
        let server = props.server_problems.iter().any(|problem| problem.field == field);
        server
            || state
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
                autocomplete="off"
                aria-invalid={invalid(field).to_string()} aria-describedby={described_by(&props.prefix, field)}
                oninput={on_input} />
        }
    };

    let uses_token_url = grant.as_ref().is_none_or(GrantType::uses_token_url);
    let uses_auth_url = grant.as_ref().is_some_and(GrantType::uses_auth_url);
    let show_auth_url = uses_auth_url || !state.draft.auth_url.trim().is_empty() || grant.is_none();
    let requires_secret = grant.as_ref().is_some_and(GrantType::requires_secret) && !secret_on_file;
    let scope_tokens: Vec<String> = state.draft.scopes.split_whitespace().map(str::to_owned).collect();
    let summary = (state.submitted && !validation.is_valid()).then(|| error_summary(&validation));
    let heading_id = format!("{}-form-heading", props.prefix);

    html! {
        <section class="oa-form-panel" aria-labelledby={heading_id.clone()}>
            <h2 id={heading_id} class="oa-form-heading">{ &props.heading }</h2>
            <form class="oa-form" novalidate=true onsubmit={on_submit} onkeydown={on_keydown}>
                if let RequestState::Failed { message, retryable } = &props.request {
                    <div class="oa-banner oa-banner-error" role="alert" data-role="save-error">
                        <span>{ message }</span>
                        if *retryable {
                            <button type="submit" class="oa-button oa-button-small" data-action="retry">{ "Retry" }</button>
                        }
                    </div>
                }
                if let Some(offer) = &props.offer {
                    <div class="oa-banner oa-banner-warning" role="status" data-role="draft-offer">
                        <span>{ format!("An unsaved draft of this form from {} was kept; a client secret is never kept in drafts, so type it again. ", describe_time(offer.saved_at_ms)) }</span>
                        <button type="button" class="oa-button oa-button-small" data-action="restore-draft" onclick={restore_draft}>{ "Restore draft" }</button>
                        <button type="button" class="oa-button oa-button-small" data-action="discard-draft"
                            onclick={props.on_discard_draft.reform(|_: MouseEvent| ())}>{ "Discard draft" }</button>
                    </div>
                }
                if let Some(theirs) = &props.conflict {
                    <ConflictPanel prefix={props.prefix.clone()} mine={state.draft.clone()} base={(!props.conflict_from_queue).then(|| state.initial.clone())} theirs={(**theirs).clone()}
                        on_save_merge={save_merge} on_resolve={props.on_resolve.clone()} />
                }
                if let Some(summary) = summary {
                    <p class="oa-banner oa-banner-error" role="alert" data-role="error-summary">{ summary }</p>
                }
                { row(Field::Name, true, None, text_input(Field::Name, "text", None)) }
                { row(Field::ClientId, true, None, text_input(Field::ClientId, "text", None)) }
                { row(Field::ClientSecret, requires_secret, Some(html! { <>{ props.secret_hint.clone() }</> }), html! {
                    <SecretField prefix={props.prefix.clone()} mode={state.secret_mode} on_file={props.secret_on_file.clone()}
                        value={state.draft.client_secret.clone()} invalid={invalid(Field::ClientSecret)}
                        on_input={edit.reform(|value| (Field::ClientSecret, value))}
                        on_mode={{ let state = state.clone(); Callback::from(move |mode| state.dispatch(FormAction::SetSecretMode(mode))) }} />
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
                    <button type="submit" class="oa-button oa-button-primary" data-action="save" disabled={busy} aria-busy={busy.to_string()}>
                        { if busy { "Saving…" } else { "Save" } }
                    </button>
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
        .partition(|problem| validation.errors.contains(problem));
    (
        errors.into_iter().cloned().collect(),
        warnings.into_iter().cloned().collect(),
    )
}

/// Returns a local time such as "14:05:09" for a draft's timestamp.
fn describe_time(millis: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis));
    String::from(date.to_locale_time_string("en-GB"))
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
