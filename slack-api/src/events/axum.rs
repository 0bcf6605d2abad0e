//! The HTTP entry point as an axum route (feature `axum`).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use slack_api::events::{HttpHandler, Incoming, Received, Verifier};
//!
//! let handler = HttpHandler::new(Verifier::new(std::env::var("SLACK_SIGNING_SECRET")?));
//! let app: axum::Router = axum::Router::new().route(
//!     "/slack/events",
//!     slack_api::events::axum::route(handler, |received: Received| async move {
//!         if let Incoming::Event(cb) = &received.incoming {
//!             println!("event {:?}", cb.event.as_ref().map(|e| e.kind()));
//!         }
//!         received.answer // the acknowledgement (or the url_verification challenge)
//!     }),
//! );
//! # let _ = app;
//! # Ok(()) }
//! ```

use std::future::Future;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::{Answer, HttpHandler, Received};

/// A `POST` route: verifies and decodes each request with `handler`, asks `app` for the answer
/// (it may return `received.answer`, the default), and sends it. Refused requests get 401/400
/// without reaching `app`.
pub fn route<F, Fut, S>(handler: HttpHandler, app: F) -> axum::routing::MethodRouter<S>
where
    F: Fn(Received) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Answer> + Send + 'static,
    S: Clone + Send + Sync + 'static,
{
    axum::routing::post(move |headers: HeaderMap, body: Bytes| {
        let (handler, app) = (handler.clone(), app.clone());
        async move {
            let lookup = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
            match handler.handle(lookup, &body).await {
                Ok(received) => response(app(received).await),
                Err(e) => {
                    tracing::warn!(status = e.status(), error = %e, "refused a request to the Slack endpoint");
                    response(e.answer())
                }
            }
        }
    })
}

/// An [`Answer`] as an axum response.
pub fn response(answer: Answer) -> Response {
    let mut resp = Response::new(Body::from(answer.body));
    *resp.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(ct) = answer.content_type {
        resp.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static(ct));
    }
    resp
}
