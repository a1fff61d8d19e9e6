//! Asks for the admin token when the server returns 401. The token is kept in `sessionStorage`
//! only, so it is gone when the tab closes.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::modal::use_modal_dialog;
use crate::api::store_token;

#[derive(Properties, PartialEq)]
pub struct TokenDialogProps {
    pub id: AttrValue,
    pub open: bool,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn TokenDialog(props: &TokenDialogProps) -> Html {
    let dialog = use_modal_dialog(props.open);
    let input = use_node_ref();

    let on_submit = {
        let input = input.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(field) = input.cast::<HtmlInputElement>() else {
                return;
            };
            let token = field.value();
            if token.trim().is_empty() {
                return;
            }
            field.set_value("");
            // Storing raises the token event, which every waiting manager, this one included, acts on.
            store_token(token.trim());
        })
    };
    let on_cancel_event = props.on_cancel.reform(|event: Event| event.prevent_default());
    let input_id = format!("{}-token", props.id);

    html! {
        <dialog ref={dialog} id={props.id.clone()} class="oa-dialog" aria-labelledby={format!("{}-title", props.id)} oncancel={on_cancel_event}>
            <form method="dialog" onsubmit={on_submit}>
                <h2 id={format!("{}-title", props.id)} class="oa-dialog-title">{ "Admin token required" }</h2>
                if crate::api::stored_token().is_some() {
                    <p class="oa-banner oa-banner-error" data-role="token-rejected">{ "The server rejected the admin token entered before. Check it and enter it again." }</p>
                }
                <p>{ "The admin server needs its admin token. It is kept in this tab only and forgotten when the tab closes." }</p>
                <label class="oa-label" for={input_id.clone()}>{ "Admin token" }</label>
                <input ref={input} id={input_id} name="admin_token" class="oa-input" type="password" autocomplete="off" required=true />
                <div class="oa-dialog-actions">
                    <button type="button" class="oa-button" onclick={props.on_cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
                    <button type="submit" class="oa-button oa-button-primary">{ "Sign in" }</button>
                </div>
            </form>
        </dialog>
    }
}
