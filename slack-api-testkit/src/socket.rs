//! Slack's Socket Mode server: `apps.connections.open` hands out `ws://` URLs of a WebSocket
//! listener on loopback, and every connection the app opens is given to the test as a
//! [`SocketConn`], which it drives: hello, envelopes, acks, `disconnect`, silence, a dropped
//! connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Mutex, mpsc};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

/// Slack's Socket Mode server on loopback: every WebSocket connection an app opens becomes a
/// [`SocketConn`]. [`FakeSlack`](crate::FakeSlack) runs one and answers
/// `apps.connections.open` with its URLs; a test that scripts the Web API itself can run one
/// alone and answer `apps.connections.open` with [`SocketModeServer::open_answer`].
pub struct SocketModeServer {
    pub(crate) addr: std::net::SocketAddr,
    conns: Mutex<mpsc::UnboundedReceiver<SocketConn>>,
    /// How many times `apps.connections.open` answered.
    pub(crate) opens: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for SocketModeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SocketModeServer").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl SocketModeServer {
    /// Starts the server on `127.0.0.1` (a free port).
    pub async fn start() -> std::io::Result<SocketModeServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (tx, conns) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            let mut n = 0;
            while let Ok((tcp, _)) = listener.accept().await {
                n += 1;
                let tx = tx.clone();
                tokio::spawn(async move {
                    let _ = tcp.set_nodelay(true);
                    if let Ok(ws) = tokio_tungstenite::accept_async(tcp).await {
                        let _ = tx.send(SocketConn { ws: Some(ws), number: n, acks: Vec::new() });
                    }
                });
            }
        });
        Ok(SocketModeServer { addr, conns: Mutex::new(conns), opens: Arc::new(AtomicUsize::new(0)), task })
    }

    /// An `apps.connections.open` answer with a fresh URL of this server (counted in
    /// [`SocketModeServer::opens`]).
    pub fn open_answer(&self) -> Value {
        answer(self.addr, &self.opens)
    }

    /// How many answers [`SocketModeServer::open_answer`] has given.
    pub fn opens(&self) -> usize {
        self.opens.load(Ordering::SeqCst)
    }

    /// The next connection an app opens, if one arrives `within`.
    pub async fn accept(&self, within: Duration) -> Option<SocketConn> {
        tokio::time::timeout(within, self.conns.lock().await.recv()).await.ok().flatten()
    }
}

pub(crate) fn answer(addr: std::net::SocketAddr, opens: &AtomicUsize) -> Value {
    let n = opens.fetch_add(1, Ordering::SeqCst) + 1;
    json!({ "ok": true, "url": format!("ws://{addr}/link/?ticket=fake-ticket-{n}") })
}

impl Drop for SocketModeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl crate::FakeSlack {
    /// The next Socket Mode connection the app opens, if one arrives `within`.
    pub async fn accept_socket(&self, within: Duration) -> Option<SocketConn> {
        self.socket.accept(within).await
    }

    /// How many times `apps.connections.open` has been answered (the app's connection
    /// attempts, reconnections included).
    pub fn socket_opens(&self) -> usize {
        self.socket.opens.load(Ordering::SeqCst)
    }
}

/// One Socket Mode connection an app opened, driven by the test.
pub struct SocketConn {
    ws: Option<WebSocketStream<TcpStream>>,
    /// 1 for the first connection accepted, 2 for the next, …
    pub number: usize,
    acks: Vec<Value>,
}

impl std::fmt::Debug for SocketConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SocketConn").field("number", &self.number).field("open", &self.ws.is_some()).finish()
    }
}

/// What went wrong on a Socket Mode connection.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SocketError {
    /// The connection was dropped (by [`SocketConn::drop_abruptly`]) or closed by the app.
    Closed,
    /// The app sent nothing in time.
    Timeout,
    /// The app sent a frame that is not a JSON object.
    Malformed(String),
}

impl std::fmt::Display for SocketError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SocketError::Closed => f.write_str("the Socket Mode connection is closed"),
            SocketError::Timeout => f.write_str("the app sent nothing on the Socket Mode connection in time"),
            SocketError::Malformed(text) => write!(f, "the app sent a frame that is not a JSON object: {text}"),
        }
    }
}

impl std::error::Error for SocketError {}

impl SocketConn {
    fn ws(&mut self) -> Result<&mut WebSocketStream<TcpStream>, SocketError> {
        self.ws.as_mut().ok_or(SocketError::Closed)
    }

    /// Sends a JSON frame.
    pub async fn send_json(&mut self, v: &Value) -> Result<(), SocketError> {
        self.send_text(&v.to_string()).await
    }

    /// Sends a text frame as it is (malformed frames included).
    pub async fn send_text(&mut self, text: &str) -> Result<(), SocketError> {
        self.ws()?.send(Message::text(text.to_owned())).await.map_err(|_| SocketError::Closed)
    }

    /// Sends a binary frame.
    pub async fn send_binary(&mut self, data: &[u8]) -> Result<(), SocketError> {
        self.ws()?.send(Message::binary(data.to_vec())).await.map_err(|_| SocketError::Closed)
    }

    /// Slack's `hello`, which opens the connection for envelopes.
    pub async fn hello(&mut self) -> Result<(), SocketError> {
        self.send_json(&json!({
            "type": "hello", "num_connections": 1,
            "debug_info": { "host": "applink-fake", "approximate_connection_time": 18060 },
            "connection_info": { "app_id": crate::payloads::APP_ID }
        }))
        .await
    }

    /// Slack's `disconnect` with a reason (`refresh_requested`, `warning`, `link_disabled`):
    /// the app is expected to open a new connection.
    pub async fn disconnect(&mut self, reason: &str) -> Result<(), SocketError> {
        self.send_json(&json!({ "type": "disconnect", "reason": reason, "debug_info": { "host": "applink-fake" } })).await
    }

    /// Sends an envelope and waits for the ack that names it; frames that are not its ack are
    /// kept in [`SocketConn::acks`].
    pub async fn envelope(&mut self, envelope: &Value, within: Duration) -> Result<Value, SocketError> {
        let id = envelope.get("envelope_id").and_then(Value::as_str).unwrap_or_default().to_owned();
        self.send_json(envelope).await?;
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let frame = self.recv(left).await?;
            if frame.get("envelope_id").and_then(Value::as_str) == Some(id.as_str()) {
                return Ok(frame);
            }
            self.acks.push(frame);
        }
    }

    /// The frames received that were not the ack [`SocketConn::envelope`] waited for.
    pub fn acks(&self) -> &[Value] {
        &self.acks
    }

    /// The next text frame from the app, as JSON (pings are answered on the way).
    pub async fn recv(&mut self, within: Duration) -> Result<Value, SocketError> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let ws = self.ws()?;
            let frame = match tokio::time::timeout_at(deadline, ws.next()).await {
                Err(_) => return Err(SocketError::Timeout),
                Ok(frame) => frame,
            };
            match frame {
                Some(Ok(Message::Text(t))) => {
                    return serde_json::from_str::<Value>(t.as_str())
                        .ok()
                        .filter(Value::is_object)
                        .ok_or_else(|| SocketError::Malformed(t.as_str().chars().take(200).collect()));
                }
                None | Some(Ok(Message::Close(_))) | Some(Err(_)) => {
                    self.ws = None;
                    return Err(SocketError::Closed);
                }
                Some(Ok(_)) => {}
            }
        }
    }

    /// Reads until the app closes the connection (`true`) or `within` passes (`false`),
    /// collecting what it sent.
    pub async fn read_until_closed(&mut self, within: Duration) -> (bool, Vec<Value>) {
        let mut frames = Vec::new();
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.recv(left).await {
                Ok(v) => frames.push(v),
                Err(SocketError::Malformed(_)) => {}
                Err(SocketError::Closed) => return (true, frames),
                Err(SocketError::Timeout) => return (false, frames),
            }
        }
    }

    /// A clean close from Slack's side.
    pub async fn close(&mut self) {
        if let Ok(ws) = self.ws() {
            let _ = ws.close(None).await;
        }
    }

    /// Drops the TCP connection without a close frame, as a network failure would.
    pub fn drop_abruptly(&mut self) {
        self.ws = None;
    }

    /// Whether the connection is still open on this side.
    pub fn is_open(&self) -> bool {
        self.ws.is_some()
    }

    /// The WebSocket itself, for tests that read and write at the same time.
    pub fn into_inner(mut self) -> Option<WebSocketStream<TcpStream>> {
        self.ws.take()
    }
}
