//! UI state as reducers. The logic here does not touch the DOM, so it is tested natively.

pub mod form;
pub mod list;
pub mod request;
