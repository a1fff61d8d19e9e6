//! The state of one save request, as a single enum so that impossible combinations such as
//! "saving and failed" cannot exist.

#[derive(Clone, Debug, Default, PartialEq)]
pub enum RequestState {
    #[default]
    Idle,
    /// A request is in flight; Save is disabled until it ends.
    Saving,
    /// The last request failed. `retryable` is true when sending the same request again may work,
    /// as after a network failure or a 5xx status.
    Failed { message: String, retryable: bool },
}

impl RequestState {
    pub fn is_saving(&self) -> bool {
        matches!(self, RequestState::Saving)
    }
}
