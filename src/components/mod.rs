//! The parts of the manager's page, one component per file.

mod config_form;
mod config_table;
mod confirm_dialog;
mod field_row;
mod grant_select;

pub use config_form::{ConfigForm, SaveRequest};
pub use config_table::{edit_button_id, ConfigTable};
pub use confirm_dialog::ConfirmDialog;
pub use field_row::FieldRow;
pub use grant_select::GrantSelect;

/// Returns the element id of a field's input inside the manager with `prefix`.
pub fn input_id(prefix: &str, key: &str) -> String {
    format!("{prefix}-{key}")
}
