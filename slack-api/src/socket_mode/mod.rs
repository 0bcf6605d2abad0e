//! A Socket Mode client: events, interactivity and slash commands over WebSockets, without a
//! public Request URL.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use slack_api::socket_mode::{SocketMode, SocketPayload};
//! use slack_api::stream::StreamExt;
//!
//! let mut envelopes = SocketMode::builder("xapp-1-…").connections(2).build()?.start();
//! while let Some(envelope) = envelopes.next().await {
//!     let envelope = envelope?; // an error here is fatal (bad token, Socket Mode disabled)
//!     if let SocketPayload::Event(cb) = &envelope.payload {
//!         println!("event {:?}", cb.event.as_ref().map(|e| e.kind()));
//!     }
//!     envelope.ack(); // within 3 seconds; dropping an envelope acknowledges it too
//! }
//! # Ok(()) }
//! ```
//!
//! # What the client does
//!
//! - Opens each connection with `apps.connections.open` and the app-level token (`xapp-…`),
//!   then a WebSocket over the same rustls + ring stack as the Web API client.
//! - Keeps [`SocketModeBuilder::connections`] connections open (Slack allows up to 10); an
//!   envelope arrives on one of them.
//! - On `disconnect` with reason `warning` or `refresh_requested`, opens the next connection
//!   *before* the old one closes, and keeps reading the old one until Slack closes it (or for
//!   [`SocketModeBuilder::drain_timeout`] after the new one is up), so no envelope is lost.
//!   `link_disabled` (Socket Mode turned off for the app) ends the stream with an error.
//! - Sends a WebSocket ping every [`SocketModeBuilder::ping_interval`]; a connection whose pong
//!   does not come within [`SocketModeBuilder::pong_timeout`] is declared dead and replaced —
//!   a connection that looks open but receives nothing is caught within `ping_interval +
//!   pong_timeout`.
//! - Abrupt closes and failures to connect are retried with exponential backoff
//!   ([`SocketModeBuilder::backoff`]), reset once a connection says `hello`.
//! - Hands each envelope to the app once: envelope IDs (and the event IDs of events) go through a
//!   [`Dedupe`] store; a redelivery is acknowledged and dropped.
//! - Malformed frames are logged (never their contents) and skipped; nothing panics.

mod connection;

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{mpsc, watch};

use crate::events::{Dedupe, EventCallback, Interaction, MemoryDedupe, SlashCommand, DEFAULT_DEDUPE_TTL};
use crate::{Client, ConfigError};

/// What an envelope carries.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SocketPayload {
    /// `events_api`: an Events API event callback.
    Event(Box<EventCallback>),
    /// `interactive`: an interactivity payload.
    Interactive(Box<Interaction>),
    /// `slash_commands`: a slash command.
    SlashCommand(Box<SlashCommand>),
    /// An envelope type this version does not know, kept whole.
    Unknown { kind: String, payload: Value },
}

/// One delivery from Slack. Acknowledge it with [`Envelope::ack`] or [`Envelope::ack_with`]
/// within 3 seconds; dropping it acknowledges it with no payload.
pub struct Envelope {
    pub envelope_id: String,
    pub payload: SocketPayload,
    /// How many times Slack sent this before (0 for the first delivery).
    pub retry_attempt: u32,
    pub retry_reason: Option<String>,
    /// Whether [`Envelope::ack_with`]'s payload is used (interactivity and slash commands).
    pub accepts_response_payload: bool,
    /// The connection it arrived on (for logs and tests).
    pub connection: u64,
    acker: Option<mpsc::UnboundedSender<String>>,
}

impl fmt::Debug for Envelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Envelope")
            .field("envelope_id", &self.envelope_id)
            .field("payload", &self.payload)
            .field("retry_attempt", &self.retry_attempt)
            .field("connection", &self.connection)
            .finish_non_exhaustive()
    }
}

impl Envelope {
    /// Acknowledges receipt.
    pub fn ack(mut self) {
        self.send_ack(None);
    }

    /// Acknowledges with a response payload (a message for a slash command, `response_action`
    /// or options for interactivity).
    pub fn ack_with(mut self, payload: Value) {
        self.send_ack(Some(payload));
    }

    fn send_ack(&mut self, payload: Option<Value>) {
        if let Some(tx) = self.acker.take() {
            let mut ack = serde_json::Map::new();
            ack.insert("envelope_id".into(), Value::String(self.envelope_id.clone()));
            if let Some(p) = payload {
                ack.insert("payload".into(), p);
            }
            // The connection may be gone; Slack then redelivers on another one, where the
            // duplicate is acknowledged and dropped.
            let _ = tx.send(Value::Object(ack).to_string());
        }
    }
}

impl Drop for Envelope {
    fn drop(&mut self) {
        self.send_ack(None);
    }
}

/// A failure that ends the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SocketModeError {
    /// `apps.connections.open` refused the token (its error code): not retried.
    Refused(String),
    /// Slack sent `disconnect` with `link_disabled`: Socket Mode is off for the app.
    LinkDisabled,
    /// The client could not be built (an empty token, a base URL that is not https).
    Config(ConfigError),
}

impl fmt::Display for SocketModeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SocketModeError::Refused(code) => write!(f, "apps.connections.open refused the app-level token: {code}"),
            SocketModeError::LinkDisabled => f.write_str("Slack disabled Socket Mode for this app (link_disabled)"),
            SocketModeError::Config(e) => write!(f, "cannot build the Socket Mode client: {e}"),
        }
    }
}

impl std::error::Error for SocketModeError {}

/// Timing and sizing of the client. See the module documentation for what each does.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub connections: usize,
    pub ping_interval: Duration,
    pub pong_timeout: Duration,
    pub hello_timeout: Duration,
    pub backoff_min: Duration,
    pub backoff_max: Duration,
    pub drain_timeout: Duration,
    pub dedupe_ttl: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            connections: 1,
            ping_interval: Duration::from_secs(10),
            pong_timeout: Duration::from_secs(5),
            hello_timeout: Duration::from_secs(10),
            backoff_min: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            drain_timeout: Duration::from_secs(10),
            dedupe_ttl: DEFAULT_DEDUPE_TTL,
        }
    }
}

/// Configures a [`SocketMode`] client.
#[must_use]
pub struct SocketModeBuilder {
    client: crate::ClientBuilder,
    settings: Settings,
    dedupe: Arc<dyn Dedupe>,
}

impl fmt::Debug for SocketModeBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SocketModeBuilder").field("client", &self.client).field("settings", &self.settings).finish_non_exhaustive()
    }
}

impl SocketModeBuilder {
    /// The Web API base URL for `apps.connections.open` (a local simulator in tests).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.client = self.client.base_url(url);
        self
    }

    /// How many connections to keep open (1 by default; Slack allows up to 10). More than one
    /// keeps envelopes flowing while a connection is being replaced.
    pub fn connections(mut self, n: usize) -> Self {
        self.settings.connections = n.clamp(1, 10);
        self
    }

    /// How often to ping (10 s by default).
    pub fn ping_interval(mut self, d: Duration) -> Self {
        self.settings.ping_interval = d;
        self
    }

    /// How long a pong may take before the connection is declared dead (5 s by default).
    pub fn pong_timeout(mut self, d: Duration) -> Self {
        self.settings.pong_timeout = d;
        self
    }

    /// How long to wait for `hello` after connecting (10 s by default).
    pub fn hello_timeout(mut self, d: Duration) -> Self {
        self.settings.hello_timeout = d;
        self
    }

    /// The first and the longest wait between attempts after a failure (0.5 s and 30 s by
    /// default; doubling, with jitter).
    pub fn backoff(mut self, min: Duration, max: Duration) -> Self {
        self.settings.backoff_min = min;
        self.settings.backoff_max = max.max(min);
        self
    }

    /// How long a connection being replaced is still read after its replacement is up, unless
    /// Slack closes it first (10 s by default; Slack closes a warned connection about 10 s after
    /// the warning).
    pub fn drain_timeout(mut self, d: Duration) -> Self {
        self.settings.drain_timeout = d;
        self
    }

    /// A shared dedupe store (e.g. Redis for several replicas) and how long IDs are kept.
    pub fn dedupe(mut self, store: Arc<dyn Dedupe>, ttl: Duration) -> Self {
        self.dedupe = store;
        self.settings.dedupe_ttl = ttl;
        self
    }

    pub fn build(self) -> Result<SocketMode, ConfigError> {
        Ok(SocketMode { client: self.client.build()?, settings: self.settings, dedupe: self.dedupe })
    }
}

/// A Socket Mode client, configured; [`SocketMode::start`] connects.
pub struct SocketMode {
    client: Client,
    settings: Settings,
    dedupe: Arc<dyn Dedupe>,
}

impl fmt::Debug for SocketMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SocketMode").field("client", &self.client).field("settings", &self.settings).finish_non_exhaustive()
    }
}

impl SocketMode {
    /// A client for the app-level token (`xapp-…`, scope `connections:write`).
    pub fn builder(app_token: impl Into<crate::Token>) -> SocketModeBuilder {
        SocketModeBuilder {
            client: Client::builder(app_token),
            settings: Settings::default(),
            dedupe: Arc::new(MemoryDedupe::new()),
        }
    }

    /// Connects (in a background task on the current Tokio runtime) and returns the stream of
    /// envelopes. Dropping the stream, or [`EnvelopeStream::shutdown`], closes every connection.
    pub fn start(self) -> EnvelopeStream {
        let (tx, rx) = mpsc::channel(1024);
        let (stop_tx, stop_rx) = watch::channel(false);
        let task = tokio::spawn(connection::supervise(self.client, self.settings, self.dedupe, tx, stop_rx));
        EnvelopeStream { rx, stop: stop_tx, task: Some(task) }
    }

    /// Connects and calls `handler` for each envelope, each in its own task, until a fatal error
    /// (returned) or until `shutdown` completes.
    pub async fn run<F, Fut>(self, handler: F, shutdown: impl std::future::Future<Output = ()>) -> Result<(), SocketModeError>
    where
        F: Fn(Envelope) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        use futures_util::StreamExt;
        let mut stream = self.start();
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                item = stream.next() => match item {
                    Some(Ok(env)) => {
                        tokio::spawn(handler(env));
                    }
                    Some(Err(e)) => return Err(e),
                    None => return Ok(()),
                },
                () = &mut shutdown => {
                    stream.shutdown().await;
                    return Ok(());
                }
            }
        }
    }
}

/// The envelopes of every connection, in arrival order. Ends after a fatal error (yielded
/// first) or a shutdown.
#[derive(Debug)]
pub struct EnvelopeStream {
    rx: mpsc::Receiver<Result<Envelope, SocketModeError>>,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl EnvelopeStream {
    /// Closes every connection (a WebSocket close, after the acknowledgements already given
    /// are sent) and waits for them.
    pub async fn shutdown(&mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.rx.close();
    }
}

impl futures_util::Stream for EnvelopeStream {
    type Item = Result<Envelope, SocketModeError>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

impl Drop for EnvelopeStream {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
