//! The HTTP side: the app as a `tower::Service` any server can mount, an axum router, and a
//! server in one call.

use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};

use super::dispatch::{AppInner, BoxFuture};
use super::payload::Payload;
use crate::events::{Answer, HttpHandler, Incoming, Verifier};

/// The largest request body the app reads by default: 1 MiB. Slack's payloads are far
/// smaller (a modal's submission, with 100 blocks' state, is tens of kilobytes); a bigger body
/// is answered 413 without being read further, before its signature is checked.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;

/// The app over HTTP: verifies each request's signature on the raw bytes, decodes it, answers
/// `url_verification` and `ssl_check`, drops retried deliveries of an event already handled
/// (by `event_id`, like Socket Mode), and hands the rest to the listeners; the HTTP answer is
/// the acknowledgement. A `tower::Service` for any tower-based server (hyper, axum, a
/// serverless adapter); [`App::router`](super::App::router) and
/// [`App::serve_http`](super::App::serve_http) (feature `axum`) wrap it.
///
/// Requests that are not `POST` get 405, bodies over the cap 413, forged or stale
/// signatures 401 and signed bodies that are not Slack payloads 400 — none reaches a
/// listener.
#[derive(Clone)]
pub struct HttpApp {
    app: Arc<AppInner>,
    handler: HttpHandler,
    max_body: usize,
}

impl std::fmt::Debug for HttpApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpApp").field("handler", &self.handler).field("max_body", &self.max_body).finish_non_exhaustive()
    }
}

/// An HTTP response of the app.
pub type HttpResponse = http::Response<Full<Bytes>>;

impl HttpApp {
    pub(crate) fn new(app: Arc<AppInner>, handler: HttpHandler) -> Self {
        HttpApp { app, handler, max_body: DEFAULT_MAX_BODY_BYTES }
    }

    /// Another cap on request bodies ([`DEFAULT_MAX_BODY_BYTES`] by default).
    #[must_use]
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body = limit;
        self
    }

    /// Handles one request: verify, decode, route, acknowledge.
    pub async fn handle<B>(&self, req: http::Request<B>) -> HttpResponse
    where
        B: http_body::Body,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let (parts, body) = req.into_parts();
        #[cfg(feature = "install")]
        if let Some(flow) = &self.app.flow {
            // Boxed, as the install flow's pages are kilobytes of future that every request
            // would otherwise carry.
            if let Some(page) = Box::pin(flow.route(&parts, &self.app.client)).await {
                return page;
            }
        }
        if parts.method != http::Method::POST {
            return plain(405, "Slack posts to this endpoint; use POST");
        }
        let body = match Limited::new(body, self.max_body).collect().await {
            Ok(b) => b.to_bytes(),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => {
                tracing::warn!(limit = self.max_body, "slack_api.app: refused a request body over the limit");
                return plain(413, "the body is larger than this endpoint accepts");
            }
            Err(_) => return plain(400, "the body could not be read"),
        };
        let lookup = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let received = match self.handler.handle(lookup, &body).await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(status = e.status(), error = %e, "slack_api.app: refused a request to the Slack endpoint");
                return answer(e.answer());
            }
        };
        let payload = match received.incoming {
            Incoming::Event(cb) => Payload::Event(cb),
            Incoming::Interaction(i) => Payload::Interaction(i),
            Incoming::Command(c) => Payload::Command(c),
            _ => return answer(received.answer),
        };
        let permit = self.app.admit().await;
        match self.app.clone().handle(payload, permit).await {
            Some(body) => answer(Answer::json(&body)),
            None => answer(Answer::ack()),
        }
    }
}

fn plain(status: u16, text: &'static str) -> HttpResponse {
    answer(Answer { status, content_type: Some("text/plain"), body: text.as_bytes().to_vec() })
}

fn answer(a: Answer) -> HttpResponse {
    let mut resp = http::Response::new(Full::new(Bytes::from(a.body)));
    *resp.status_mut() = http::StatusCode::from_u16(a.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(ct) = a.content_type {
        resp.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(ct));
    }
    resp
}

impl<B> tower_service::Service<http::Request<B>> for HttpApp
where
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = HttpResponse;
    type Error = Infallible;
    type Future = BoxFuture<Result<HttpResponse, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let this = self.clone();
        Box::pin(async move { Ok(this.handle(req).await) })
    }
}

impl super::App {
    /// The app over HTTP with this signing secret (the app's Basic Information page), as a
    /// `tower::Service`.
    pub fn http(&self, signing_secret: impl Into<String>) -> HttpApp {
        self.http_with(HttpHandler::new(Verifier::new(signing_secret.into())))
    }

    /// The app over HTTP with a configured handler (another clock or timestamp tolerance, a
    /// dedupe store shared by replicas).
    pub fn http_with(&self, handler: HttpHandler) -> HttpApp {
        HttpApp::new(self.build(), handler)
    }
}

#[cfg(feature = "axum")]
impl super::App {
    /// An axum router serving the app at `path` (events, interactivity and commands may share
    /// it, or each use it under another path).
    /// With [`App::oauth`](super::App::oauth), the install page and the OAuth redirect are
    /// routed too.
    pub fn router(&self, path: &str, signing_secret: impl Into<String>) -> axum::Router {
        let service = self.http(signing_secret);
        let router = axum::Router::new().route_service(path, service.clone());
        #[cfg(feature = "install")]
        if let Some(flow) = &self.flow {
            let i = &flow.inner;
            let mut router = router;
            for p in [&i.install_path, &i.redirect_path] {
                if p.as_str() != path {
                    router = router.route_service(p, service.clone());
                }
            }
            return router;
        }
        router
    }

    /// Serves the app over HTTP at `addr` (`"0.0.0.0:3000"`), on every path, until the
    /// process ends or the server fails.
    pub async fn serve_http(&self, addr: &str, signing_secret: impl Into<String>) -> std::io::Result<()> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        self.serve_http_on(listener, signing_secret).await
    }

    /// Serves the app over HTTP on a bound listener (a port chosen by the system, in tests).
    pub async fn serve_http_on(&self, listener: tokio::net::TcpListener, signing_secret: impl Into<String>) -> std::io::Result<()> {
        let router = axum::Router::new().fallback_service(self.http(signing_secret));
        axum::serve(listener, router).await
    }
}
