//! The supervisor (how many connections, replacements, backoff) and one task per connection
//! (a small state machine: connecting → waiting for `hello` → live → draining → ended).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, sleep, sleep_until};
use tokio_tungstenite::tungstenite::Message;

use super::{Envelope, Settings, SocketModeError, SocketPayload};
use crate::apps::AppsConnectionsOpenRequest;
use crate::events::{Dedupe, EventCallback, Interaction, SlashCommand};
use crate::{Client, Error, MethodError};

/// What the supervisor tells a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Control {
    Run,
    /// Keep reading until this instant (or until Slack closes), then close.
    Drain(Instant),
    Stop,
}

/// What a connection tells the supervisor.
#[derive(Debug)]
enum Report {
    /// `hello` received: the connection is live.
    Hello(u64),
    /// Slack warned that it will close this connection: open the next one now.
    Replace(u64),
    /// The connection task ended; `live` says whether it had said `hello`.
    Ended { id: u64, end: End, live: bool },
}

#[derive(Debug)]
enum End {
    /// Closed by Slack, lost, or found dead: replace it.
    Lost(&'static str),
    /// `apps.connections.open` failed; `fatal` when retrying cannot help.
    OpenFailed { why: String, fatal: bool },
    LinkDisabled,
    /// Closed on the supervisor's request (drained or shut down).
    Done,
}

impl End {
    fn describe(&self) -> String {
        match self {
            End::Lost(why) => (*why).to_owned(),
            End::OpenFailed { why, .. } => format!("could not connect: {why}"),
            End::LinkDisabled => "link_disabled".into(),
            End::Done => "closed".into(),
        }
    }
}

struct Shared {
    client: Client,
    settings: Settings,
    dedupe: Arc<dyn Dedupe>,
    out: mpsc::Sender<Result<Envelope, SocketModeError>>,
    reports: mpsc::UnboundedSender<Report>,
}

struct Conn {
    control: watch::Sender<Control>,
    replaced: bool,
    task: tokio::task::JoinHandle<()>,
}

/// Error codes of `apps.connections.open` that retrying cannot fix.
const FATAL_CODES: &[&str] = &[
    "invalid_auth",
    "not_authed",
    "not_allowed_token_type",
    "missing_scope",
    "forbidden_team",
    "account_inactive",
    "token_revoked",
    "token_expired",
    "no_permission",
    "ekm_access_denied",
];

/// Runs until a fatal error, a shutdown, or the app dropping the stream.
pub(super) async fn supervise(
    client: Client,
    settings: Settings,
    dedupe: Arc<dyn Dedupe>,
    out: mpsc::Sender<Result<Envelope, SocketModeError>>,
    mut stop: watch::Receiver<bool>,
) {
    let (reports, mut inbox) = mpsc::unbounded_channel();
    let shared = Arc::new(Shared { client, settings, dedupe, out, reports });
    let mut conns: HashMap<u64, Conn> = HashMap::new();
    // New connection → the one it replaces.
    let mut replacing: HashMap<u64, u64> = HashMap::new();
    let mut next_id = 0u64;
    let mut failures = 0u32;
    let spawn = |delay: Duration, conns: &mut HashMap<u64, Conn>, next_id: &mut u64| {
        *next_id += 1;
        let id = *next_id;
        let (control, rx) = watch::channel(Control::Run);
        let task = tokio::spawn(connection(id, shared.clone(), delay, rx));
        conns.insert(id, Conn { control, replaced: false, task });
        id
    };
    for _ in 0..shared.settings.connections {
        spawn(Duration::ZERO, &mut conns, &mut next_id);
    }
    loop {
        tokio::select! {
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    break;
                }
            }
            () = shared.out.closed() => break,
            Some(report) = inbox.recv() => match report {
                Report::Hello(id) => {
                    failures = 0;
                    if let Some(old) = replacing.remove(&id) {
                        if let Some(c) = conns.get(&old) {
                            let _ = c.control.send(Control::Drain(Instant::now() + shared.settings.drain_timeout));
                        }
                    }
                }
                Report::Replace(id) => {
                    if let Some(c) = conns.get_mut(&id) {
                        if !c.replaced {
                            c.replaced = true;
                            tracing::info!(connection = id, "Socket Mode: opening a replacement before this connection closes");
                            let new = spawn(Duration::ZERO, &mut conns, &mut next_id);
                            replacing.insert(new, id);
                        }
                    }
                }
                Report::Ended { id, end, live } => {
                    let replaced = conns.remove(&id).is_some_and(|c| c.replaced);
                    // A replacement that died before `hello` leaves its old connection to end on its own.
                    replacing.remove(&id);
                    match end {
                        End::LinkDisabled => {
                            let _ = shared.out.send(Err(SocketModeError::LinkDisabled)).await;
                            break;
                        }
                        End::OpenFailed { why, fatal: true } => {
                            let _ = shared.out.send(Err(SocketModeError::Refused(why))).await;
                            break;
                        }
                        End::Done if *stop.borrow() => {}
                        end => {
                            if !replaced {
                                let delay = if live {
                                    failures = 0;
                                    Duration::ZERO
                                } else {
                                    failures += 1;
                                    backoff(&shared.settings, failures)
                                };
                                tracing::warn!(connection = id, reason = %end.describe(), retry_in = ?delay, "Socket Mode connection ended; reconnecting");
                                spawn(delay, &mut conns, &mut next_id);
                            }
                        }
                    }
                }
            },
        }
    }
    for c in conns.values() {
        let _ = c.control.send(Control::Stop);
    }
    for (_, c) in conns.drain() {
        // A connection closes within a second or two; do not hang a shutdown on a dead peer.
        let _ = tokio::time::timeout(Duration::from_secs(5), c.task).await;
    }
}

/// Exponential backoff with jitter: `min · 2^(n−1)`, capped, times a factor in [0.5, 1).
fn backoff(s: &Settings, failures: u32) -> Duration {
    let exp = s.backoff_min.saturating_mul(1u32 << failures.saturating_sub(1).min(16));
    let capped = exp.min(s.backoff_max);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let jitter = 0.5 + f64::from(nanos % 1000) / 2000.0;
    capped.mul_f64(jitter)
}

fn tls_config() -> Result<Arc<rustls::ClientConfig>, String> {
    static CONFIG: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            use rustls_platform_verifier::BuilderVerifierExt;
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(|e| e.to_string())?
                .with_platform_verifier()
                .map_err(|e| e.to_string())
                .map(|b| Arc::new(b.with_no_client_auth()))
        })
        .clone()
}

/// The fields of a Socket Mode frame; the payload is decoded once its type is known.
#[derive(Deserialize)]
struct Frame<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    envelope_id: Option<String>,
    #[serde(borrow)]
    payload: Option<&'a RawValue>,
    reason: Option<String>,
    retry_attempt: Option<u32>,
    retry_reason: Option<String>,
    accepts_response_payload: Option<bool>,
}

async fn connection(id: u64, shared: Arc<Shared>, delay: Duration, mut control: watch::Receiver<Control>) {
    let mut live = false;
    let end = run(id, &shared, delay, &mut control, &mut live).await;
    let _ = shared.reports.send(Report::Ended { id, end, live });
}

async fn open_url(shared: &Shared) -> Result<String, End> {
    match shared.client.call(&AppsConnectionsOpenRequest::new()).await {
        Ok(resp) => resp.url.ok_or(End::OpenFailed { why: "apps.connections.open returned no url".into(), fatal: false }),
        Err(Error::Api(e)) => {
            let code = e.error.code().to_owned();
            Err(End::OpenFailed { fatal: FATAL_CODES.contains(&code.as_str()), why: code })
        }
        Err(other) => Err(End::OpenFailed { why: other.to_string(), fatal: false }),
    }
}

async fn run(id: u64, shared: &Shared, delay: Duration, control: &mut watch::Receiver<Control>, live: &mut bool) -> End {
    let s = &shared.settings;
    if !delay.is_zero() {
        tokio::select! {
            () = sleep(delay) => {}
            _ = wait_stop(control) => return End::Done,
        }
    }
    let url = match open_url(shared).await {
        Ok(u) => u,
        Err(end) => return end,
    };
    let connector = match url.split_once("://").map(|(scheme, _)| scheme) {
        Some("wss") => match tls_config() {
            Ok(c) => tokio_tungstenite::Connector::Rustls(c),
            Err(e) => return End::OpenFailed { why: format!("TLS setup failed: {e}"), fatal: true },
        },
        // Plain WebSockets only to a local simulator; the URL (which holds a ticket) is never logged.
        Some("ws") if url::Url::parse(&url).is_ok_and(|u| crate::net::check_url(&u, "wss", "ws").is_ok()) => {
            tokio_tungstenite::Connector::Plain
        }
        _ => return End::OpenFailed { why: "apps.connections.open returned a URL that is not wss://".into(), fatal: false },
    };
    let connect = tokio_tungstenite::connect_async_tls_with_config(url.as_str(), None, true, Some(connector));
    let ws = match tokio::time::timeout(s.hello_timeout, connect).await {
        Ok(Ok((ws, _))) => ws,
        Ok(Err(e)) => return End::OpenFailed { why: format!("WebSocket connect failed: {}", ws_error(&e)), fatal: false },
        Err(_) => return End::OpenFailed { why: "WebSocket connect timed out".into(), fatal: false },
    };
    let (mut sink, mut source) = ws.split();
    let (ack_tx, mut ack_rx) = mpsc::unbounded_channel::<String>();
    let hello_deadline = Instant::now() + s.hello_timeout;
    let mut next_ping = Instant::now() + s.ping_interval;
    let mut pong_deadline: Option<Instant> = None;
    let mut drain_deadline: Option<Instant> = None;
    let mut warned = false;
    let end = loop {
        let mut timer = pong_deadline.unwrap_or(next_ping);
        if !*live {
            timer = timer.min(hello_deadline);
        }
        if let Some(d) = drain_deadline {
            timer = timer.min(d);
        }
        tokio::select! {
            biased;
            Some(ack) = ack_rx.recv() => {
                if sink.send(Message::text(ack)).await.is_err() {
                    break End::Lost("the connection failed while acknowledging");
                }
            }
            changed = control.changed() => {
                let c = if changed.is_err() { Control::Stop } else { *control.borrow() };
                match c {
                    Control::Stop => break End::Done,
                    Control::Drain(d) => drain_deadline = Some(d),
                    Control::Run => {}
                }
            }
            frame = source.next() => match frame {
                None => break End::Lost("closed without a close frame"),
                Some(Err(e)) => {
                    tracing::warn!(connection = id, error = %ws_error(&e), "Socket Mode connection lost");
                    break End::Lost("connection error");
                }
                Some(Ok(Message::Text(text))) => match on_text(id, shared, text.as_str(), &ack_tx, live, &mut warned).await {
                    Step::Continue => {}
                    Step::Ack(ack) => {
                        if sink.send(Message::text(ack)).await.is_err() {
                            break End::Lost("the connection failed while acknowledging");
                        }
                    }
                    Step::End(end) => break end,
                },
                Some(Ok(Message::Ping(p))) => {
                    let _ = sink.send(Message::Pong(p)).await;
                }
                Some(Ok(Message::Pong(_))) => pong_deadline = None,
                Some(Ok(Message::Close(_))) => break if drain_deadline.is_some() || warned { End::Done } else { End::Lost("closed by Slack") },
                Some(Ok(_)) => tracing::warn!(connection = id, "Socket Mode: skipped a binary frame"),
            },
            () = sleep_until(timer) => {
                let now = Instant::now();
                if !*live && now >= hello_deadline {
                    break End::Lost("no hello");
                }
                if pong_deadline.is_some_and(|d| now >= d) {
                    tracing::warn!(connection = id, timeout = ?s.pong_timeout, "Socket Mode: no pong in time; replacing the connection");
                    break End::Lost("no pong in time");
                }
                if drain_deadline.is_some_and(|d| now >= d) {
                    break End::Done;
                }
                if now >= next_ping {
                    if sink.send(Message::Ping(bytes::Bytes::new())).await.is_err() {
                        break End::Lost("the connection failed while pinging");
                    }
                    pong_deadline.get_or_insert(now + s.pong_timeout);
                    next_ping = now + s.ping_interval;
                }
            }
        }
    };
    // Acknowledgements already given go out before the close.
    while let Ok(ack) = ack_rx.try_recv() {
        if sink.send(Message::text(ack)).await.is_err() {
            break;
        }
    }
    if matches!(end, End::Done) {
        let _ = tokio::time::timeout(Duration::from_secs(1), sink.close()).await;
    }
    end
}

async fn wait_stop(control: &mut watch::Receiver<Control>) {
    loop {
        if control.changed().await.is_err() || *control.borrow() == Control::Stop {
            return;
        }
    }
}

enum Step {
    Continue,
    Ack(String),
    End(End),
}

async fn on_text(
    id: u64,
    shared: &Shared,
    text: &str,
    ack_tx: &mpsc::UnboundedSender<String>,
    live: &mut bool,
    warned: &mut bool,
) -> Step {
    let frame: Frame = match serde_json::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(connection = id, len = text.len(), error = %e, "Socket Mode: skipped a frame that is not a JSON object");
            return Step::Continue;
        }
    };
    match frame.kind.as_deref() {
        Some("hello") => {
            if !*live {
                *live = true;
                let _ = shared.reports.send(Report::Hello(id));
            }
            return Step::Continue;
        }
        Some("disconnect") => {
            return match frame.reason.as_deref() {
                Some("link_disabled") => Step::End(End::LinkDisabled),
                reason => {
                    tracing::info!(connection = id, reason = reason.unwrap_or(""), "Socket Mode: disconnect announced");
                    if !*warned {
                        *warned = true;
                        let _ = shared.reports.send(Report::Replace(id));
                    }
                    Step::Continue
                }
            };
        }
        _ => {}
    }
    let Some(envelope_id) = frame.envelope_id else {
        tracing::warn!(connection = id, kind = frame.kind.as_deref().unwrap_or(""), "Socket Mode: skipped a frame without an envelope_id");
        return Step::Continue;
    };
    let raw = frame.payload.map_or("null", RawValue::get);
    let kind = frame.kind.unwrap_or_default();
    let payload = match kind.as_str() {
        // From bytes, as over HTTP: one decoding of each payload type in the program, not one
        // per reader.
        "events_api" => serde_json::from_slice::<EventCallback>(raw.as_bytes()).map(|p| SocketPayload::Event(Box::new(p))).map_err(|e| e.to_string()),
        "interactive" => serde_json::from_slice::<Interaction>(raw.as_bytes()).map(|p| SocketPayload::Interactive(Box::new(p))).map_err(|e| e.to_string()),
        "slash_commands" => serde_json::from_str::<serde_json::Value>(raw)
            .map_err(|e| e.to_string())
            .and_then(|v| SlashCommand::from_json(&v).map_err(|e| e.to_string()))
            .map(|p| SocketPayload::SlashCommand(Box::new(p))),
        _ => serde_json::from_str(raw).map(|payload| SocketPayload::Unknown { kind: kind.clone(), payload }).map_err(|e| e.to_string()),
    };
    let ack = serde_json::json!({ "envelope_id": envelope_id }).to_string();
    let payload = match payload {
        Ok(p) => p,
        Err(e) => {
            // Acknowledged so that Slack does not redeliver what can never be decoded.
            tracing::warn!(connection = id, kind = %kind, error = %e, "Socket Mode: acknowledged and skipped an envelope whose payload does not decode");
            return Step::Ack(ack);
        }
    };
    let ttl = shared.settings.dedupe_ttl;
    // An event by its event ID, as over HTTP; what has no other ID by its envelope ID.
    let event_id = match &payload {
        SocketPayload::Event(cb) => cb.event_id.as_deref(),
        _ => None,
    };
    let key = event_id.map_or_else(|| crate::events::dedupe::envelope_key(&envelope_id), crate::events::dedupe::event_key);
    let fresh = shared.dedupe.first_time(&key, ttl).await;
    if !fresh {
        tracing::debug!(connection = id, "Socket Mode: acknowledged a redelivered envelope already handed over");
        return Step::Ack(ack);
    }
    let envelope = Envelope {
        envelope_id,
        payload,
        retry_attempt: frame.retry_attempt.unwrap_or(0),
        retry_reason: frame.retry_reason.filter(|r| !r.is_empty()),
        accepts_response_payload: frame.accepts_response_payload.unwrap_or(false),
        connection: id,
        acker: Some(ack_tx.clone()),
    };
    if shared.out.send(Ok(envelope)).await.is_err() {
        return Step::End(End::Done);
    }
    Step::Continue
}

/// A WebSocket error without the URL (which carries a connection ticket).
fn ws_error(e: &tokio_tungstenite::tungstenite::Error) -> String {
    use tokio_tungstenite::tungstenite::Error as E;
    match e {
        E::Url(_) => "invalid URL".into(),
        E::Http(resp) => format!("HTTP {}", resp.status()),
        other => other.to_string(),
    }
}
