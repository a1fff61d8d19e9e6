//! A modal question with a confirm and a cancel button, on the native `<dialog>` element, which
//! traps focus and closes on Escape.

use yew::prelude::*;

use super::modal::use_modal_dialog;

#[derive(Properties, PartialEq)]
pub struct ConfirmDialogProps {
    pub id: AttrValue,
    pub open: bool,
    pub title: AttrValue,
    pub message: AttrValue,
    pub confirm_label: AttrValue,
    /// Styles the confirm button as destructive.
    #[prop_or_default]
    pub danger: bool,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn ConfirmDialog(props: &ConfirmDialogProps) -> Html {
    let dialog = use_modal_dialog(props.open);

    let on_cancel_event = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |event: Event| {
            // The owner decides whether the dialog closes, so Escape only requests it.
            event.prevent_default();
            on_cancel.emit(());
        })
    };
    let confirm = props.on_confirm.reform(|_: MouseEvent| ());
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    let title_id = format!("{}-title", props.id);
    let message_id = format!("{}-message", props.id);
    let confirm_class = if props.danger {
        "oa-button oa-button-danger"
    } else {
        "oa-button oa-button-primary"
    };

    html! {
        <dialog ref={dialog} id={props.id.clone()} class="oa-dialog" role="alertdialog"
            aria-labelledby={title_id.clone()} aria-describedby={message_id.clone()} oncancel={on_cancel_event}>
            <h2 id={title_id} class="oa-dialog-title">{ &props.title }</h2>
            <p id={message_id}>{ &props.message }</p>
            <div class="oa-dialog-actions">
                <button type="button" class="oa-button" autofocus=true onclick={cancel}>{ "Cancel" }</button>
                <button type="button" class={confirm_class} onclick={confirm}>{ &props.confirm_label }</button>
            </div>
        </dialog>
    }
}
