//! The Web API side of the fake.

/// The fake Web API: every method of the spec.
#[derive(Clone, Default)]
pub struct WebApi {}

impl WebApi {
    /// A Web API with the default answers.
    pub fn new() -> WebApi {
        WebApi {}
    }

    /// The routes, to be nested under `/api`.
    pub fn router(&self) -> axum::Router {
        axum::Router::new()
    }
}
