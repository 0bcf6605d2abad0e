//! The Socket Mode side: the same listeners, fed from Socket Mode envelopes.

use crate::socket_mode::{SocketMode, SocketModeError, SocketPayload};

use super::payload::Payload;
use super::App;

impl App {
    /// Serves the app over Socket Mode with this app-level token (`xapp-…`, scope
    /// `connections:write`) until Slack disables Socket Mode for the app or refuses the token
    /// (an empty token is refused at once).
    pub async fn serve_socket_mode(&self, app_token: impl Into<crate::Token>) -> Result<(), SocketModeError> {
        let socket = SocketMode::builder(app_token).build().map_err(SocketModeError::Config)?;
        self.run_socket_mode(socket).await
    }

    /// Serves the app over a configured Socket Mode client (several connections, a shared
    /// dedupe store, another base URL). Each envelope is acknowledged the way the same
    /// payload would be answered over HTTP: with the listener's reply, when it acks.
    pub async fn run_socket_mode(&self, socket: SocketMode) -> Result<(), SocketModeError> {
        use futures_util::StreamExt;
        let app = self.build();
        let mut envelopes = socket.start();
        while let Some(envelope) = envelopes.next().await {
            let mut envelope = envelope?;
            let payload = match std::mem::replace(&mut envelope.payload, SocketPayload::Unknown { kind: String::new(), payload: serde_json::Value::Null }) {
                SocketPayload::Event(cb) => Payload::Event(cb),
                SocketPayload::Interactive(i) => Payload::Interaction(i),
                SocketPayload::SlashCommand(c) => Payload::Command(c),
                other => {
                    tracing::debug!(payload = ?other, "slack_api.app: acknowledged a Socket Mode envelope of a kind without listeners");
                    envelope.ack();
                    continue;
                }
            };
            // Back-pressure: wait for room before reading the next envelope.
            let permit = app.admit().await;
            let app = app.clone();
            tokio::spawn(async move {
                match app.handle(payload, permit).await {
                    Some(body) => envelope.ack_with(body),
                    None => envelope.ack(),
                }
            });
        }
        Ok(())
    }
}
