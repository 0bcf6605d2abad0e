//! A fake Slack on 127.0.0.1 for an app's tests: the Web API of every method, generated from
//! the same spec as the SDK, and Slack's sending side — signed events, slash commands and
//! interactions posted to the app, a Socket Mode server, `response_url`s, the OAuth install.
//! Offline, in process, a few milliseconds per payload.
//!
//! # Testing your app
//!
//! Add the kit as a dev-dependency, beside the SDK:
//!
//! ```toml
//! [dev-dependencies]
//! slack-api-testkit = { git = "https://github.com/slack-api-rs/slack-api" }
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! Build the app as in production, but give it a client of the fake
//! ([`FakeSlack::client`]); connect it over HTTP ([`FakeSlack::serve_http`]) or Socket Mode
//! ([`FakeSlack::run_socket_mode`]); send it what Slack would send ([`AppUnderTest::send`],
//! with the [payload builders](payloads)); then look at its acknowledgement ([`Acked`]) and at
//! the calls it made, typed ([`FakeSlack::wait_for`], [`FakeSlack::calls`]). A complete test:
//!
//! ```
//! use slack_api::app::{Ack, App, Cx};
//! use slack_api::chat::ChatPostMessageRequest;
//! use slack_api::events::{AppMentionEvent, SlashCommand};
//! use slack_api_testkit::FakeSlack;
//! use slack_api_testkit::payloads::CHANNEL_ID;
//!
//! /// The app under test: greets mentions in their thread, answers `/echo` at once.
//! fn my_app(client: slack_api::Client) -> App {
//!     let mut app = App::new(client);
//!     app.event(|_: AppMentionEvent, cx: Cx| async move {
//!         cx.reply("Hello!").await?;
//!         Ok(())
//!     });
//!     app.command("/echo", |cmd: SlashCommand, cx: Cx| async move {
//!         cx.ack_with(Ack::ephemeral(cmd.text))?;
//!         Ok(())
//!     });
//!     app
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let slack = FakeSlack::start().await;
//! let app = slack.serve_http(&my_app(slack.client("xoxb-test")), "signing-secret").await;
//!
//! // A slash command: the reply is in the acknowledgement, typed.
//! let acked = app.send(slack.slash_command("/echo", "ping")).await.unwrap();
//! assert_eq!(acked.ack, Some(Ack::ephemeral("ping")));
//!
//! // A mention: acknowledged empty at once; the reply is a Web API call made afterwards.
//! let mention = slack.app_mention("hi");
//! assert!(app.send(mention.clone()).await.unwrap().is_empty());
//! let posted = slack.wait_for::<ChatPostMessageRequest>(1).await;
//! assert_eq!(posted[0].channel.as_str(), CHANNEL_ID);
//! assert_eq!(posted[0].thread_ts, mention.ts);
//! # }
//! ```
//!
//! The same test over Socket Mode changes one line:
//! `slack.run_socket_mode(&my_app(slack.client("xoxb-test"))).await` (feature `socket-mode`, on
//! by default; the app needs the SDK's `socket-mode` feature too).
//!
//! ## What the fake checks
//!
//! Every call is checked as Slack checks it, and a misuse gets Slack's own answer, so that the
//! test sees what production would: the verb and content type (`invalid_post_type`, …), the
//! token (`not_authed`, `invalid_auth`, `token_revoked`, `not_allowed_token_type`), scopes for
//! tokens the test [granted](FakeSlack::grant) scopes to (`missing_scope` with `needed` and
//! `provided`), the arguments — decoded into the method's typed request by a decoder generated
//! from the spec: required ones, types, enumerated values (`invalid_arguments`, with Slack's
//! `response_metadata.messages`) — the method's argument groups and Block Kit limits, checked by
//! the very functions the client runs before sending (`invalid_blocks`, …), and optionally the
//! rate limits of each method's tier ([`WebApi::rate_limits`]). The order and every code are in
//! the [`web_api`] module.
//!
//! ## Answers
//!
//! By default a method answers its documentation example (`chat.postMessage` with a fresh `ts`
//! and the channel it was given; `auth.test` with the workspace and bot of the payload
//! builders). Program any method, typed, with [`FakeSlack::on`]:
//!
//! ```
//! # async fn run() {
//! use std::time::Duration;
//! use slack_api::chat::{ChatPostMessageError, ChatPostMessageRequest};
//! # let slack = slack_api_testkit::FakeSlack::start().await;
//! slack.on::<ChatPostMessageRequest>().once().fail(ChatPostMessageError::ChannelNotFound);
//! slack.on::<ChatPostMessageRequest>().once().rate_limited(Duration::from_secs(1));
//! slack.on::<ChatPostMessageRequest>().once().status(503);
//! slack.on::<ChatPostMessageRequest>().once().drop_connection();
//! slack.on::<ChatPostMessageRequest>().delay(Duration::from_millis(200)); // the default, late
//! # }
//! ```
//!
//! A typed response ([`Program::respond`]), raw JSON ([`Program::json`]), an answer computed
//! from the typed request ([`Program::reply_with`]), or any method by name
//! ([`WebApi::handle`]).
//!
//! ## Slack's side of the conversation
//!
//! - [`AppUnderTest::send`] signs each HTTP request with the app's signing secret (or wraps it
//!   in a Socket Mode envelope) and returns the app's [`Acked`]: status, body, the reply typed as
//!   an [`Ack`](slack_api::app::Ack), and how long it took. [`AppUnderTest::post_raw`] sends
//!   anything, forged signatures included.
//! - Socket Mode: [`AppUnderTest::reconnect`] asks for a refresh or drops the connection;
//!   [`AppUnderTest::socket`] scripts raw frames; [`FakeSlack::socket_opens`] counts
//!   `apps.connections.open`.
//! - `response_url`s from the builders point at the fake, which records what the app posts
//!   ([`FakeSlack::responses`]) and refuses what Slack refuses (a sixth use, invalid blocks).
//! - Installs: give the app's install flow [`FakeSlack::authorize_url`], then
//!   [`FakeSlack::install`] walks the install page, the authorize page and the redirect as a
//!   browser would; the tokens `oauth.v2.access` issues are granted the scopes the app asked
//!   for. [`FakeSlack::consent`] makes the user cancel.
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
        web.handle_stateful("apps.connections.open", move |_| Some(socket::answer(ws_addr, &opens)));
        let oauth_shared = shared.clone();
        let granting = web.downgrade();
        web.handle_stateful("oauth.v2.access", move |call| {
            Some(match oauth::access(&oauth_shared, call) {
                Ok((answer, tokens)) => {
                    if let Some(web) = WebApi::upgrade(&granting) {
                        for (token, scopes) in tokens {
                            let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
                            web.grant(&token, &scopes);
                        }
                    }
                    answer
                }
                Err(code) => serde_json::json!({ "ok": false, "error": code }),
            })
        });
        let router = axum::Router::new()
            .nest("/api", web.router())
            .merge(respond::router(shared.clone()))
            .merge(oauth::router(shared.clone(), web.clone()));
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
