//! One labelled form field with its hint, its errors and its warnings.

use oauth2_config::{Field, Problem};
use yew::prelude::*;

use super::input_id;

#[derive(Properties, PartialEq)]
pub struct FieldRowProps {
    pub prefix: AttrValue,
    pub field: Field,
    /// Shown beside the label, outside it, so the label text stays the column name.
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub hint: Option<Html>,
    /// Errors to show now; empty before the field is first edited.
    pub errors: Vec<Problem>,
    /// Warnings to show now. Saving ignores them.
    pub warnings: Vec<Problem>,
    /// Called with the field and its replacement text when the admin presses a fix button.
    pub on_fix: Callback<(Field, String)>,
    pub children: Html,
}

/// Returns the ids of the elements that describe a field's input, for `aria-describedby`.
pub fn described_by(prefix: &str, field: Field) -> String {
    format!("{prefix}-{key}-hint {prefix}-{key}-problems", key = field.key())
}

#[component]
pub fn FieldRow(props: &FieldRowProps) -> Html {
    let key = props.field.key();
    let invalid = !props.errors.is_empty();

    html! {
        <div class={classes!("oa-field", invalid.then_some("oa-field-invalid"))} data-field={key}>
            <div class="oa-field-label-row">
                <label class="oa-label" for={input_id(&props.prefix, key)}>{ props.field.label() }</label>
                if props.required {
                    <span class="oa-required" aria-hidden="true">{ "required" }</span>
                }
            </div>
            { props.children.clone() }
            <div id={format!("{}-{key}-hint", props.prefix)} class="oa-hint">{ props.hint.clone().unwrap_or_default() }</div>
            <ul id={format!("{}-{key}-problems", props.prefix)} class="oa-problems">
                { for props.errors.iter().map(|problem| view_problem(problem, "error", &props.on_fix)) }
                { for props.warnings.iter().map(|problem| view_problem(problem, "warning", &props.on_fix)) }
            </ul>
        </div>
    }
}

fn view_problem(problem: &Problem, severity: &'static str, on_fix: &Callback<(Field, String)>) -> Html {
    let prefix = if severity == "error" { "Error: " } else { "Warning: " };
    let fix = problem.fix.as_ref().map(|fix| {
        let on_fix = on_fix.clone();
        let (field, value) = (problem.field, fix.value.clone());
        let onclick = Callback::from(move |_: MouseEvent| on_fix.emit((field, value.clone())));
        html! { <button type="button" class="oa-button oa-button-small oa-fix" data-fix={problem.code.as_str()} {onclick}>{ &fix.label }</button> }
    });

    html! {
        <li class={format!("oa-problem oa-problem-{severity}")} data-severity={severity} data-code={problem.code.as_str()}>
            <span class="oa-visually-hidden">{ prefix }</span>
            <span class="oa-problem-text">{ &problem.message }</span>
            { for fix }
        </li>
    }
}
