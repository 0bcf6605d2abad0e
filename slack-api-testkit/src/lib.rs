//! A fake Slack on 127.0.0.1 for an app's tests.
//!
//! [`FakeSlack::start`] serves, on one loopback port:
//!
//! - the **Web API** (`/api/<method>`): every method of the spec, checked as Slack checks a
//!   call and answered with the documentation's example unless the test programs another
//!   answer (see the `web_api` module);
//! - Slack's **sending side**: signed events, slash commands and interactions posted to the
//!   app's HTTP endpoint, a Socket Mode server, the OAuth authorize redirect, and `response_url`
//!   endpoints that record what the app posted.
#![forbid(unsafe_code)]

mod generated;
mod oauth;
pub mod payloads;
mod respond;
mod socket;
mod to_app;
pub mod web_api;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

pub use oauth::{Consent, Grant};
pub use payloads::{Delivery, EventPayload};
pub use respond::{RESPONSE_URL_USES, Response};
pub use socket::{SocketConn, SocketError, SocketModeServer};
pub use to_app::{ACK_WAIT, AppUnderTest, Acked, CALL_WAIT, DeliveryError, parse_ack};
pub use web_api::{Call, CallRecord, Identity, Program, Reply, WebApi};

/// State of Slack's sending side, shared with the server's routes.
#[derive(Default)]
pub(crate) struct Shared {
    pub(crate) ids: AtomicU64,
    pub(crate) responses: respond::Responses,
    pub(crate) oauth: oauth::OAuth,
}

/// The fake Slack: one loopback server (Web API, `response_url`s, OAuth) and a Socket Mode
/// server; stops when dropped.
pub struct FakeSlack {
    addr: SocketAddr,
    web: WebApi,
    shared: Arc<Shared>,
    socket: socket::SocketModeServer,
    server: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for FakeSlack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeSlack").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl FakeSlack {
    /// Starts the fake on `127.0.0.1` (free ports).
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound (a test environment without networking).
    pub async fn start() -> FakeSlack {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0 for the fake Slack");
        let addr = listener.local_addr().expect("the fake Slack's local address");
        let socket = socket::SocketModeServer::start().await.expect("bind 127.0.0.1:0 for the fake Socket Mode server");
        let shared = Arc::new(Shared { ids: AtomicU64::new(100), ..Shared::default() });
        let web = WebApi::new();
        let (ws_addr, opens) = (socket.addr, socket.opens.clone());
        web.handle("apps.connections.open", move |_| Some(socket::answer(ws_addr, &opens)));
        let oauth_shared = shared.clone();
        let granting = web.clone();
        web.handle("oauth.v2.access", move |call| {
            Some(match oauth::access(&oauth_shared, call) {
                Ok((answer, tokens)) => {
                    for (token, scopes) in tokens {
                        let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
                        granting.grant(&token, &scopes);
                    }
                    answer
                }
                Err(code) => serde_json::json!({ "ok": false, "error": code }),
            })
        });
        let router = axum::Router::new()
            .nest("/api", web.router())
            .merge(respond::router(shared.clone()))
            .merge(oauth::router(shared.clone()));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        FakeSlack { addr, web, shared, socket, server }
    }
    /// The Web API base URL to give a client: `http://127.0.0.1:<port>/api/`.
    pub fn base_url(&self) -> String {
        format!("http://{}/api/", self.addr)
    }

    /// The address the fake listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The Web API side, to program answers and read calls.
    pub fn web(&self) -> &WebApi {
        &self.web
    }

    /// A client for the fake's Web API with `token`.
    ///
    /// # Panics
    ///
    /// Never for a loopback base URL (the client accepts `http://` only on loopback).
    pub fn client(&self, token: &str) -> slack_api::Client {
        slack_api::Client::builder(token).base_url(self.base_url()).build().expect("a client for the fake Slack")
    }
}

impl Drop for FakeSlack {
    fn drop(&mut self) {
        self.server.abort();
    }
}
