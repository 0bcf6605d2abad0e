//! A Socket Mode server simulated on 127.0.0.1: `apps.connections.open` on a [`MockServer`]
//! hands out `ws://` URLs of a WebSocket listener, and each accepted connection is given to the
//! test as a [`SimConn`] that it scripts (hello, envelopes, disconnects, silence, abrupt closes).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

use crate::{MockServer, Recorded, Reply};

/// The simulator: a Web API mock and a WebSocket listener.
pub struct SocketSim {
    pub api: MockServer,
    conns: mpsc::UnboundedReceiver<SimConn>,
    /// How many times `apps.connections.open` was called.
    pub opens: Arc<AtomicUsize>,
    others: OtherMethods,
}

type OtherMethods = Arc<std::sync::Mutex<Option<Box<dyn Fn(&Recorded) -> Option<Reply> + Send + Sync>>>>;

impl SocketSim {
    /// Starts both servers; `apps.connections.open` answers with a fresh URL each time.
    pub async fn start() -> SocketSim {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let ws_addr = listener.local_addr().expect("addr");
        let (tx, conns) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut n = 0;
            while let Ok((tcp, _)) = listener.accept().await {
                n += 1;
                let tx = tx.clone();
                tokio::spawn(async move {
                    if let Ok(ws) = tokio_tungstenite::accept_async(tcp).await {
                        let _ = tx.send(SimConn { ws: Some(ws), number: n });
                    }
                });
            }
        });
        let api = MockServer::start().await;
        let opens = Arc::new(AtomicUsize::new(0));
        let counter = opens.clone();
        let others: OtherMethods = Arc::default();
        let others2 = others.clone();
        api.set_handler(move |r: &Recorded| {
            if r.path.ends_with("apps.connections.open") {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                Some(Reply::json(&json!({ "ok": true, "url": format!("ws://{ws_addr}/link/?ticket=t{n}") }).to_string()))
            } else {
                others2.lock().unwrap().as_ref().and_then(|f| f(r))
            }
        });
        SocketSim { api, conns, opens, others }
    }

    /// Answers the Web API methods other than `apps.connections.open` (e.g. `chat.postMessage`).
    pub fn other_methods(&self, handler: impl Fn(&Recorded) -> Option<Reply> + Send + Sync + 'static) {
        *self.others.lock().unwrap() = Some(Box::new(handler));
    }

    /// The Web API base URL to give the client.
    pub fn api_url(&self) -> String {
        self.api.base_url()
    }

    /// The next connection the client opens (panics after `within`).
    pub async fn accept(&mut self, within: Duration) -> SimConn {
        tokio::time::timeout(within, self.conns.recv()).await.expect("the client did not connect in time").expect("listener gone")
    }

    /// A connection, if one arrives within `within`.
    pub async fn try_accept(&mut self, within: Duration) -> Option<SimConn> {
        tokio::time::timeout(within, self.conns.recv()).await.ok().flatten()
    }
}

/// One accepted WebSocket connection, driven by the test.
pub struct SimConn {
    ws: Option<WebSocketStream<TcpStream>>,
    /// 1 for the first connection accepted, 2 for the next, …
    pub number: usize,
}

impl SimConn {
    fn ws(&mut self) -> &mut WebSocketStream<TcpStream> {
        self.ws.as_mut().expect("connection already dropped")
    }

    pub async fn send_json(&mut self, v: Value) {
        self.send_text(&v.to_string()).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        let _ = self.ws().send(Message::text(text.to_owned())).await;
    }

    pub async fn send_binary(&mut self, data: &[u8]) {
        let _ = self.ws().send(Message::binary(data.to_vec())).await;
    }

    pub async fn hello(&mut self) {
        self.send_json(json!({
            "type": "hello", "num_connections": 1,
            "debug_info": { "host": "applink-sim", "approximate_connection_time": 18060 },
            "connection_info": { "app_id": "A123" }
        }))
        .await;
    }

    pub async fn disconnect(&mut self, reason: &str) {
        self.send_json(json!({ "type": "disconnect", "reason": reason, "debug_info": { "host": "applink-sim" } })).await;
    }

    /// An `events_api` envelope with a message event.
    pub async fn event(&mut self, envelope_id: &str, event_id: &str, text: &str, retry_attempt: u32) {
        self.send_json(event_envelope(envelope_id, event_id, text, retry_attempt)).await;
    }

    /// The next text frame from the client (pings answered on the way), as JSON.
    pub async fn recv(&mut self, within: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.ws().next()).await.ok()??;
            match frame {
                Ok(Message::Text(t)) => return serde_json::from_str(t.as_str()).ok(),
                Ok(Message::Close(_)) | Err(_) => return None,
                Ok(_) => {}
            }
        }
    }

    /// Reads until the client closes (true) or `within` passes (false), collecting the acks.
    pub async fn read_until_closed(&mut self, within: Duration) -> (bool, Vec<Value>) {
        let deadline = tokio::time::Instant::now() + within;
        let mut acks = Vec::new();
        loop {
            match tokio::time::timeout_at(deadline, self.ws().next()).await {
                Err(_) => return (false, acks),
                Ok(None) | Ok(Some(Err(_))) | Ok(Some(Ok(Message::Close(_)))) => return (true, acks),
                Ok(Some(Ok(Message::Text(t)))) => acks.extend(serde_json::from_str::<Value>(t.as_str()).ok()),
                Ok(Some(Ok(_))) => {}
            }
        }
    }

    /// A clean close from the server.
    pub async fn close(&mut self) {
        let _ = self.ws().close(None).await;
    }

    /// Drops the TCP connection without a close frame.
    pub fn drop_abruptly(&mut self) {
        self.ws = None;
    }
}

/// An `events_api` envelope carrying a `message` event.
pub fn event_envelope(envelope_id: &str, event_id: &str, text: &str, retry_attempt: u32) -> Value {
    json!({
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": false,
        "retry_attempt": retry_attempt,
        "retry_reason": if retry_attempt > 0 { "timeout" } else { "" },
        "payload": {
            "token": "tok", "team_id": "T123", "api_app_id": "A123", "type": "event_callback",
            "event_id": event_id, "event_time": 1700000000,
            "event": { "type": "message", "channel": "C123", "user": "U123", "text": text, "ts": "1700000000.000100", "channel_type": "channel", "event_ts": "1700000000.000100" }
        }
    })
}

impl SimConn {
    /// The WebSocket itself, for tests that read and write concurrently.
    pub fn into_inner(mut self) -> WebSocketStream<TcpStream> {
        self.ws.take().expect("connection already dropped")
    }
}
