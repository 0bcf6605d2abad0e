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
pub mod web_api;

use std::net::SocketAddr;

pub use web_api::{Call, CallRecord, Identity, Program, Reply, WebApi};

/// The fake Slack: one loopback server; stops when dropped.
pub struct FakeSlack {
    addr: SocketAddr,
    web: WebApi,
    server: tokio::task::JoinHandle<()>,
}

impl FakeSlack {
    /// Starts the fake on `127.0.0.1` (a free port).
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound (a test environment without networking).
    pub async fn start() -> FakeSlack {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0 for the fake Slack");
        let addr = listener.local_addr().expect("the fake Slack's local address");
        let web = WebApi::new();
        let router = axum::Router::new().nest("/api", web.router());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        FakeSlack { addr, web, server }
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
