//! Opens and closes a native `<dialog>` as a modal from a `bool`.

use web_sys::HtmlDialogElement;
use yew::prelude::*;

/// Returns the `NodeRef` to put on a `<dialog>`; the dialog is shown modally while `open` is true.
#[hook]
pub fn use_modal_dialog(open: bool) -> NodeRef {
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with(open, move |open| {
            if let Some(element) = dialog.cast::<HtmlDialogElement>() {
                if *open && !element.open() {
                    let _ = element.show_modal();
                } else if !*open && element.open() {
                    element.close();
                }
            }
        });
    }
    dialog
}
