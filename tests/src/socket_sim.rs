//! A Socket Mode server simulated on 127.0.0.1 for the client's own tests: the test kit's
//! [`SocketModeServer`] behind a scripted [`MockServer`] Web API (so that tests can also script
//! hostile `apps.connections.open` answers); each accepted connection is given to the test as a
//! [`SimConn`] that it scripts (hello, envelopes, disconnects, silence, abrupt closes).

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use slack_api_testkit::{SocketConn, SocketModeServer};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;

use crate::{MockServer, Recorded, Reply};

/// The simulator: a Web API mock and a WebSocket listener.
pub struct SocketSim {
    pub api: MockServer,
    ws: Arc<SocketModeServer>,
    others: OtherMethods,
}

type OtherMethods = Arc<std::sync::Mutex<Option<Box<dyn Fn(&Recorded) -> Option<Reply> + Send + Sync>>>>;

impl SocketSim {
    /// Starts both servers; `apps.connections.open` answers with a fresh URL each time.
    pub async fn start() -> SocketSim {
        let ws = Arc::new(SocketModeServer::start().await.expect("bind the Socket Mode server"));
        let api = MockServer::start().await;
        let others: OtherMethods = Arc::default();
        let others2 = others.clone();
        let server = ws.clone();
        api.set_handler(move |r: &Recorded| {
            if r.path.ends_with("apps.connections.open") {
                Some(Reply::json(&server.open_answer().to_string()))
            } else {
                others2.lock().unwrap().as_ref().and_then(|f| f(r))
            }
        });
        SocketSim { api, ws, others }
    }

    /// Answers the Web API methods other than `apps.connections.open` (e.g. `chat.postMessage`).
    pub fn other_methods(&self, handler: impl Fn(&Recorded) -> Option<Reply> + Send + Sync + 'static) {
        *self.others.lock().unwrap() = Some(Box::new(handler));
    }

    /// How many times `apps.connections.open` was answered.
    pub fn opens(&self) -> usize {
        self.ws.opens()
    }

    /// The Web API base URL to give the client.
    pub fn api_url(&self) -> String {
        self.api.base_url()
    }

    /// The next connection the client opens (panics after `within`).
    pub async fn accept(&mut self, within: Duration) -> SimConn {
        self.try_accept(within).await.expect("the client did not connect in time")
    }

    /// A connection, if one arrives within `within`.
    pub async fn try_accept(&mut self, within: Duration) -> Option<SimConn> {
        self.ws.accept(within).await.map(|conn| SimConn { number: conn.number, conn })
    }
}

/// One accepted WebSocket connection, driven by the test: the test kit's [`SocketConn`], whose
/// failures (a connection the client already closed) these tests read from what follows.
pub struct SimConn {
    conn: SocketConn,
    /// 1 for the first connection accepted, 2 for the next, …
    pub number: usize,
}

impl SimConn {
    pub async fn send_json(&mut self, v: Value) {
        let _ = self.conn.send_json(&v).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        let _ = self.conn.send_text(text).await;
    }

    pub async fn send_binary(&mut self, data: &[u8]) {
        let _ = self.conn.send_binary(data).await;
    }

    pub async fn hello(&mut self) {
        let _ = self.conn.hello().await;
    }

    pub async fn disconnect(&mut self, reason: &str) {
        let _ = self.conn.disconnect(reason).await;
    }

    /// An `events_api` envelope with a message event.
    pub async fn event(&mut self, envelope_id: &str, event_id: &str, text: &str, retry_attempt: u32) {
        self.send_json(event_envelope(envelope_id, event_id, text, retry_attempt)).await;
    }

    /// The next text frame from the client (pings answered on the way), as JSON.
    pub async fn recv(&mut self, within: Duration) -> Option<Value> {
        self.conn.recv(within).await.ok()
    }

    /// Reads until the client closes (true) or `within` passes (false), collecting the acks.
    pub async fn read_until_closed(&mut self, within: Duration) -> (bool, Vec<Value>) {
        self.conn.read_until_closed(within).await
    }

    /// A clean close from the server.
    pub async fn close(&mut self) {
        self.conn.close().await;
    }

    /// Drops the TCP connection without a close frame.
    pub fn drop_abruptly(&mut self) {
        self.conn.drop_abruptly();
    }

    /// The WebSocket itself, for tests that read and write concurrently.
    pub fn into_inner(self) -> WebSocketStream<TcpStream> {
        self.conn.into_inner().expect("connection already dropped")
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
