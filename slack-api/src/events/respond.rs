//! Answering through a `response_url` (slash commands, block actions, message shortcuts).
//! The URL itself authorises the answer: no token is ever sent to it.

use std::fmt;
use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::objects::Block;

/// A message sent to a `response_url`.
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct ResponseMessage {
    body: Map<String, Value>,
}

impl ResponseMessage {
    /// Visible only to the user who interacted (Slack's default for commands).
    pub fn ephemeral(text: impl Into<String>) -> Self {
        Self::with("ephemeral", text)
    }

    /// Posted to the conversation for everyone.
    pub fn in_channel(text: impl Into<String>) -> Self {
        Self::with("in_channel", text)
    }

    /// Replaces the message the interaction came from.
    pub fn replace(text: impl Into<String>) -> Self {
        let mut m = Self::default();
        m.body.insert("replace_original".into(), Value::Bool(true));
        m.body.insert("text".into(), Value::String(text.into()));
        m
    }

    /// Deletes the message the interaction came from.
    pub fn delete() -> Self {
        let mut m = Self::default();
        m.body.insert("delete_original".into(), Value::Bool(true));
        m
    }

    fn with(response_type: &str, text: impl Into<String>) -> Self {
        let mut m = Self::default();
        m.body.insert("response_type".into(), Value::String(response_type.into()));
        m.body.insert("text".into(), Value::String(text.into()));
        m
    }

    /// Block Kit layout (the text becomes the notification fallback).
    pub fn blocks(mut self, blocks: Vec<Block>) -> Self {
        self.body.insert("blocks".into(), crate::block_kit::to_json_value(&blocks));
        self
    }

    /// Posts in a thread.
    pub fn thread_ts(mut self, ts: impl Into<String>) -> Self {
        self.body.insert("thread_ts".into(), Value::String(ts.into()));
        self
    }

    /// Any other field of the message.
    pub fn field(mut self, key: impl Into<String>, value: Value) -> Self {
        self.body.insert(key.into(), value);
        self
    }

    /// The JSON body.
    pub fn to_json(&self) -> Value {
        Value::Object(self.body.clone())
    }
}

/// An ephemeral message with this text.
impl From<&str> for ResponseMessage {
    fn from(text: &str) -> Self {
        Self::ephemeral(text)
    }
}

/// An ephemeral message with this text.
impl From<String> for ResponseMessage {
    fn from(text: String) -> Self {
        Self::ephemeral(text)
    }
}

/// Why an answer through a `response_url` failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RespondError {
    /// Not an `https://` URL (plain `http://` is accepted for loopback addresses only).
    InvalidUrl(String),
    /// Slack answered with an error status (e.g. 404 `expired_url` after 30 minutes or five uses).
    Http { status: u16, body: String },
    /// The request did not complete.
    Transport(String),
}

impl fmt::Display for RespondError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RespondError::InvalidUrl(why) => write!(f, "invalid response_url: {why}"),
            RespondError::Http { status, body } => write!(f, "response_url answered HTTP {status}: {body}"),
            RespondError::Transport(e) => write!(f, "response_url request failed: {e}"),
        }
    }
}

impl std::error::Error for RespondError {}

/// The most of a `response_url`'s answer that is read (Slack answers `ok` or a short JSON).
pub const MAX_RESPOND_ANSWER_BYTES: u64 = 64 * 1024;

/// How long an answer through a `response_url` may take, sending and reading included.
pub const RESPOND_TIMEOUT: Duration = Duration::from_secs(30);

/// Sends [`ResponseMessage`]s to `response_url`s. It holds no token, so none can leak to the URL.
///
/// Follows the SDK's network policy: `https` only (plain `http` to loopback addresses, for
/// tests), redirects never followed (a redirect is an error), at most
/// [`MAX_RESPOND_ANSWER_BYTES`] of the answer read, [`RESPOND_TIMEOUT`] in all.
#[derive(Clone, Debug)]
pub struct Responder {
    http: reqwest::Client,
}

impl Default for Responder {
    fn default() -> Self {
        Self::new()
    }
}

impl Responder {
    pub fn new() -> Self {
        Self { http: crate::net::http_client().unwrap_or_default() }
    }

    /// Uses this `reqwest::Client` (which must not add an `Authorization` header by default,
    /// and should not follow redirects).
    pub fn with_http(http: reqwest::Client) -> Self {
        Self { http }
    }

    /// Posts `message` to `response_url`.
    pub async fn send(&self, response_url: &str, message: &ResponseMessage) -> Result<(), RespondError> {
        let url = reqwest::Url::parse(response_url).map_err(|e| RespondError::InvalidUrl(e.to_string()))?;
        crate::net::check_url(&url, "https", "http").map_err(|e| RespondError::InvalidUrl(e.to_string()))?;
        let exchange = async {
            let mut resp = self
                .http
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, "application/json; charset=utf-8")
                .body(message.to_json().to_string())
                .send()
                .await
                .map_err(|e| RespondError::Transport(e.without_url().to_string()))?;
            let status = resp.status().as_u16();
            let body = crate::net::read_capped(&mut resp, MAX_RESPOND_ANSWER_BYTES).await.map_err(|e| match e {
                crate::net::ReadError::TooLarge => {
                    RespondError::Transport(format!("the answer is larger than {MAX_RESPOND_ANSWER_BYTES} bytes"))
                }
                crate::net::ReadError::Transport(e) => RespondError::Transport(e.to_string()),
            })?;
            Ok::<_, RespondError>((status, body))
        };
        let (status, body) = tokio::time::timeout(RESPOND_TIMEOUT, exchange)
            .await
            .map_err(|_| RespondError::Transport(format!("no answer within {} s", RESPOND_TIMEOUT.as_secs())))??;
        let snippet = || crate::error::snippet(&body);
        if !(200..300).contains(&status) {
            return Err(RespondError::Http { status, body: snippet() });
        }
        // Slack answers `ok` or `{"ok":true}`; a JSON `ok: false` is an error too.
        if let Ok(v) = serde_json::from_slice::<Value>(&body) {
            if v.get("ok") == Some(&json!(false)) {
                return Err(RespondError::Http { status, body: snippet() });
            }
        }
        Ok(())
    }
}
