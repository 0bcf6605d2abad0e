//! Slack's side of the conversation with an app: payloads posted, signed, to the app's HTTP
//! endpoint, or sent in Socket Mode envelopes, and the app's acknowledgements read back typed.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use slack_api::app::{Ack, App};
use slack_api::block_kit::{OptionGroup, OptionObject, View};
use slack_api::events::Verifier;
use tokio::sync::Mutex;

use crate::FakeSlack;
use crate::payloads::Delivery;
use crate::socket::{SocketConn, SocketError};

/// How long [`AppUnderTest::send`] waits for an acknowledgement: longer than Slack's 3 s, so
/// that an app that acks late is seen acking late rather than not at all.
pub const ACK_WAIT: Duration = Duration::from_secs(10);

/// What the app answered to one payload.
#[derive(Clone, Debug, PartialEq)]
pub struct Acked {
    /// The HTTP status (over Socket Mode: 200 once the envelope is acknowledged).
    pub status: u16,
    /// The answer's body (over Socket Mode: the ack's `payload`, or empty without one).
    pub body: String,
    /// The reply in the answer, typed; `None` for an empty acknowledgement.
    pub ack: Option<Ack>,
    /// How long the app took to answer.
    pub took: Duration,
}

impl Acked {
    /// Whether the app acknowledged without a reply (`200` and an empty body).
    pub fn is_empty(&self) -> bool {
        self.status == 200 && self.ack.is_none()
    }

    /// The view errors of a `response_action: errors` reply, by block id.
    pub fn errors(&self) -> Option<&BTreeMap<String, String>> {
        match &self.ack {
            Some(Ack::Errors(e)) => Some(e),
            _ => None,
        }
    }

    /// The options of an options reply.
    pub fn options(&self) -> Option<&[OptionObject]> {
        match &self.ack {
            Some(Ack::Options(o)) => Some(o),
            _ => None,
        }
    }

    /// The body as JSON (`Null` when it is empty or not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// Why a payload could not be delivered, or its answer not read.
#[derive(Debug)]
#[non_exhaustive]
pub enum DeliveryError {
    /// The app's HTTP endpoint could not be reached or did not answer in time.
    Http(String),
    /// The Socket Mode connection failed.
    Socket(SocketError),
    /// The app answered with a reply Slack would not understand: what and why.
    Reply { body: String, why: String },
}

impl std::fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeliveryError::Http(why) => write!(f, "posting to the app failed: {why}"),
            DeliveryError::Socket(e) => write!(f, "Socket Mode: {e}"),
            DeliveryError::Reply { body, why } => write!(f, "the app's reply is not one Slack understands ({why}): {body}"),
        }
    }
}

impl std::error::Error for DeliveryError {}

/// Reads an acknowledgement's body as the reply it carries; an empty body is the empty ack.
pub fn parse_ack(body: &str) -> Result<Option<Ack>, String> {
    if body.trim().is_empty() {
        return Ok(None);
    }
    let v: Value = serde_json::from_str(body).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(map) = v else { return Err("not a JSON object".into()) };
    let field = |name: &str| map.get(name).cloned().unwrap_or(Value::Null);
    let view = || serde_json::from_value::<View>(field("view")).map(Box::new).map_err(|e| format!("`view`: {e}"));
    let ack = match map.get("response_action").and_then(Value::as_str) {
        Some("errors") => Ack::Errors(serde_json::from_value(field("errors")).map_err(|e| format!("`errors`: {e}"))?),
        Some("update") => Ack::Update(view()?),
        Some("push") => Ack::Push(view()?),
        Some("clear") => Ack::Clear,
        Some(other) => return Err(format!("unknown response_action `{other}`")),
        None if map.contains_key("options") => {
            Ack::Options(serde_json::from_value::<Vec<OptionObject>>(field("options")).map_err(|e| format!("`options`: {e}"))?)
        }
        None if map.contains_key("option_groups") => Ack::OptionGroups(
            serde_json::from_value::<Vec<OptionGroup>>(field("option_groups")).map_err(|e| format!("`option_groups`: {e}"))?,
        ),
        None => Ack::Message(crate::respond::message_of(map)),
    };
    Ok(Some(ack))
}

enum Transport {
    Http { url: String, verifier: Verifier, http: reqwest::Client },
    Socket { conn: Mutex<SocketConn> },
}

/// An app connected to the fake, over HTTP or Socket Mode: [`AppUnderTest::send`] delivers a
/// payload the way Slack would and returns the acknowledgement.
pub struct AppUnderTest {
    transport: Transport,
    task: Option<tokio::task::JoinHandle<()>>,
    next_envelope: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for AppUnderTest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.transport {
            Transport::Http { url, .. } => format!("HTTP {url}"),
            Transport::Socket { .. } => "Socket Mode".to_owned(),
        };
        f.debug_struct("AppUnderTest").field("transport", &kind).finish()
    }
}

impl Drop for AppUnderTest {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

fn http_client() -> reqwest::Client {
    slack_api::install_crypto_provider();
    // Loopback only; a client that does not follow redirects, as Slack does not.
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap_or_default()
}

/// How long the waits below wait for an app's calls (which it makes after acking).
pub const CALL_WAIT: Duration = Duration::from_secs(5);

impl FakeSlack {
    /// Waits until the app has made `n` calls of `M` that decoded (listeners work after their
    /// ack) and returns every one so far, typed.
    ///
    /// # Panics
    ///
    /// After [`CALL_WAIT`] without them, naming the methods that were called.
    pub async fn wait_for<M: slack_api::Method + Clone + 'static>(&self, n: usize) -> Vec<M> {
        self.poll(|| self.calls::<M>(), n, M::INFO.name).await
    }

    /// Waits until the app has made `n` calls of `method` (by wire name), refused ones
    /// included, and returns every one so far.
    ///
    /// # Panics
    ///
    /// After [`CALL_WAIT`] without them, naming the methods that were called.
    pub async fn wait_for_calls(&self, method: &str, n: usize) -> Vec<crate::Call> {
        let read = || self.web().raw_calls().into_iter().map(|r| r.call).filter(|c| c.method == method).collect();
        self.poll(read, n, method).await
    }

    /// Waits until the app has posted `n` messages to `response_url`s and returns every one so
    /// far.
    ///
    /// # Panics
    ///
    /// After [`CALL_WAIT`] without them.
    pub async fn wait_for_responses(&self, n: usize) -> Vec<crate::Response> {
        self.poll(|| self.responses(), n, "response_url").await
    }

    /// Reads `read` until it has `n` items, for at most [`CALL_WAIT`]; `what` names them in the
    /// panic, beside the calls the app did make.
    async fn poll<T>(&self, read: impl Fn() -> Vec<T>, n: usize, what: &str) -> Vec<T> {
        let deadline = Instant::now() + CALL_WAIT;
        loop {
            let got = read();
            if got.len() >= n {
                return got;
            }
            if Instant::now() > deadline {
                let made: Vec<String> =
                    self.web().raw_calls().into_iter().map(|r| format!("{} ({})", r.call.method, r.error.as_deref().unwrap_or("ok"))).collect();
                panic!("expected {n} of {what} within {CALL_WAIT:?}, got {}; the calls made: {made:?}", got.len());
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// Serves `app` over HTTP on a free loopback port (every path), signed with
    /// `signing_secret`, and connects to it.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound.
    pub async fn serve_http(&self, app: &App, signing_secret: &str) -> AppUnderTest {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0 for the app");
        self.serve_http_on(listener, app, signing_secret)
    }

    /// Serves `app` over HTTP on a listener the test bound (so that the app can know its
    /// own URL first, e.g. for an install flow's redirect URI), and connects to it.
    ///
    /// # Panics
    ///
    /// When the listener has no local address.
    pub fn serve_http_on(&self, listener: tokio::net::TcpListener, app: &App, signing_secret: &str) -> AppUnderTest {
        let url = format!("http://{}/slack/events", listener.local_addr().expect("the app's address"));
        let router = axum::Router::new().fallback_service(app.http(signing_secret.to_owned()));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        let mut connected = self.connect_http(&url, signing_secret);
        connected.task = Some(task);
        connected
    }

    /// Connects to an app already served at `url` (the app's own router or server), signing
    /// each request with `signing_secret`.
    pub fn connect_http(&self, url: &str, signing_secret: &str) -> AppUnderTest {
        AppUnderTest {
            transport: Transport::Http { url: url.to_owned(), verifier: Verifier::new(signing_secret.to_owned()), http: http_client() },
            task: None,
            next_envelope: Default::default(),
        }
    }

    /// Runs `app` over Socket Mode against the fake (app-level token `xapp-1-fake`) and waits
    /// for its connection, which is greeted with `hello`.
    ///
    /// # Panics
    ///
    /// When the app does not connect within 5 seconds.
    #[cfg(feature = "socket-mode")]
    pub async fn run_socket_mode(&self, app: &App) -> AppUnderTest {
        let socket = slack_api::socket_mode::SocketMode::builder("xapp-1-fake")
            .base_url(self.base_url())
            .build()
            .expect("a Socket Mode client for the fake Slack");
        let app = app.clone();
        let task = tokio::spawn(async move {
            let _ = app.run_socket_mode(socket).await;
        });
        let mut connected = self.socket_connection().await;
        connected.task = Some(task);
        connected
    }

    /// Waits for the next Socket Mode connection of an app started by the test (with the
    /// fake's base URL), greets it with `hello` and connects to it.
    ///
    /// # Panics
    ///
    /// When no app connects within 5 seconds.
    pub async fn socket_connection(&self) -> AppUnderTest {
        let mut conn = self.accept_socket(Duration::from_secs(5)).await.expect("the app did not open a Socket Mode connection within 5 s");
        conn.hello().await.expect("the app closed its Socket Mode connection before hello");
        AppUnderTest { transport: Transport::Socket { conn: Mutex::new(conn) }, task: None, next_envelope: Default::default() }
    }
}

impl AppUnderTest {
    /// Delivers a payload as Slack would and returns the app's acknowledgement: over HTTP a
    /// signed POST (JSON for events, a form for commands and interactions); over Socket Mode
    /// an envelope, waiting for the ack that names it.
    pub async fn send(&self, payload: impl Into<Delivery>) -> Result<Acked, DeliveryError> {
        let payload = payload.into();
        match &self.transport {
            Transport::Http { url, verifier, http } => {
                let (content_type, body) = payload.to_http();
                let (ts, sig) = verifier.sign_now(body.as_bytes());
                self.post(http, url, content_type, body, &[("x-slack-request-timestamp", ts), ("x-slack-signature", sig)]).await
            }
            Transport::Socket { conn } => {
                let n = self.next_envelope.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                let kind = payload.socket_type();
                let envelope = json!({
                    "envelope_id": format!("fake-envelope-{n}"), "type": kind, "payload": payload.to_json(),
                    "accepts_response_payload": kind != "events_api", "retry_attempt": 0, "retry_reason": "",
                });
                let started = Instant::now();
                let ack = conn.lock().await.envelope(&envelope, ACK_WAIT).await.map_err(DeliveryError::Socket)?;
                let took = started.elapsed();
                let body = ack.get("payload").map(Value::to_string).unwrap_or_default();
                let reply = parse_ack(&body).map_err(|why| DeliveryError::Reply { body: body.clone(), why })?;
                Ok(Acked { status: 200, body, ack: reply, took })
            }
        }
    }

    /// Posts a body with the given headers as they are (a forged or stale signature, a body
    /// that is not a payload): what a hostile sender would do. HTTP only.
    pub async fn post_raw(&self, content_type: &str, body: &str, headers: &[(&str, String)]) -> Result<Acked, DeliveryError> {
        match &self.transport {
            Transport::Http { url, http, .. } => self.post(http, url, content_type, body.to_owned(), headers).await,
            Transport::Socket { .. } => Err(DeliveryError::Http("post_raw needs an app connected over HTTP".into())),
        }
    }

    async fn post(&self, http: &reqwest::Client, url: &str, content_type: &str, body: String, headers: &[(&str, String)]) -> Result<Acked, DeliveryError> {
        let mut req = http.post(url).header("content-type", content_type).timeout(ACK_WAIT).body(body);
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        let started = Instant::now();
        let resp = req.send().await.map_err(|e| DeliveryError::Http(e.to_string()))?;
        let status = resp.status().as_u16();
        let body = resp.text().await.map_err(|e| DeliveryError::Http(e.to_string()))?;
        let took = started.elapsed();
        let ack = if status == 200 { parse_ack(&body).map_err(|why| DeliveryError::Reply { body: body.clone(), why })? } else { None };
        Ok(Acked { status, body, ack, took })
    }

    /// The URL payloads are posted to (`http://127.0.0.1:PORT/slack/events` for an app served
    /// by [`FakeSlack::serve_http`]); `None` over Socket Mode.
    pub fn url(&self) -> Option<&str> {
        match &self.transport {
            Transport::Http { url, .. } => Some(url),
            Transport::Socket { .. } => None,
        }
    }

    /// The Socket Mode connection, to script it (`disconnect`, silence, raw frames); `None`
    /// over HTTP.
    pub fn socket(&self) -> Option<&Mutex<SocketConn>> {
        match &self.transport {
            Transport::Socket { conn } => Some(conn),
            Transport::Http { .. } => None,
        }
    }

    /// Over Socket Mode, asks the app to reconnect (`disconnect` with `refresh_requested`)
    /// and moves on to its new connection, greeted with `hello`; `dropped` drops the old one
    /// without a word instead, as a failing network would.
    ///
    /// # Panics
    ///
    /// Over HTTP, or when the app does not reconnect within 5 seconds.
    pub async fn reconnect(&self, slack: &FakeSlack, dropped: bool) {
        let Transport::Socket { conn } = &self.transport else { panic!("reconnect needs an app connected over Socket Mode") };
        let mut conn = conn.lock().await;
        if dropped {
            conn.drop_abruptly();
        } else {
            let _ = conn.disconnect("refresh_requested").await;
        }
        let mut fresh = slack.accept_socket(Duration::from_secs(5)).await.expect("the app did not reconnect within 5 s");
        fresh.hello().await.expect("the app closed its new connection before hello");
        *conn = fresh;
    }
}
