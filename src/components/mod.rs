//! The parts of the manager's page, one component per file.

mod config_form;
mod config_table;
mod confirm_dialog;
mod conflict_panel;
mod field_row;
mod grant_select;
mod modal;
mod secret_field;
mod token_dialog;

pub use config_form::{ConfigForm, SaveRequest};
pub use config_table::{edit_button_id, ConfigTable};
pub use confirm_dialog::ConfirmDialog;
pub use conflict_panel::Resolution;
pub use field_row::FieldRow;
pub use grant_select::GrantSelect;
pub use token_dialog::TokenDialog;

/// Returns the element id of a field's input inside the manager with `prefix`.
pub fn input_id(prefix: &str, key: &str) -> String {
    format!("{prefix}-{key}")
}
