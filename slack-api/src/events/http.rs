//! The HTTP entry point: any server hands over the headers and the raw body of a request Slack
//! sent, and gets back the verified, typed payload and the answer to send.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::dedupe::{DEFAULT_DEDUPE_TTL, Dedupe, MemoryDedupe};
use super::{AppRateLimited, EventCallback, EventsApiPayload, Interaction, SlashCommand};
use super::verify::{Verifier, VerifyError};

/// The header Slack sets on a redelivery (1, 2, 3).
pub const RETRY_NUM_HEADER: &str = "x-slack-retry-num";
/// Why Slack redelivers (`http_timeout`, `http_error`, …).
pub const RETRY_REASON_HEADER: &str = "x-slack-retry-reason";

/// What Slack sent.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Incoming {
    /// An event (`event_callback`) seen for the first time.
    Event(Box<EventCallback>),
    /// A redelivery of an event already handed over (same `event_id`): acknowledged, not to be
    /// handled again.
    DuplicateEvent { event_id: String },
    /// The handshake for a new Request URL; the answer (the challenge) is set already.
    UrlVerification { challenge: String },
    /// Slack dropped events for a minute.
    AppRateLimited(Box<AppRateLimited>),
    /// An interactivity payload.
    Interaction(Box<Interaction>),
    /// A slash command.
    Command(Box<SlashCommand>),
    /// Slack's certificate check of a slash command's Request URL (`ssl_check=1`): answered
    /// 200, nothing to handle. It is answered even unsigned, since it carries nothing.
    SslCheck,
    /// An Events API payload of a `type` this version does not know, kept whole.
    Unknown(Value),
}

/// The HTTP answer to send back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// `None` for an empty body.
    pub content_type: Option<&'static str>,
    pub body: Vec<u8>,
}

impl Answer {
    /// `200 OK`, empty: the acknowledgement Slack waits for (within 3 seconds).
    pub fn ack() -> Self {
        Answer { status: 200, content_type: None, body: Vec::new() }
    }

    /// `200 OK` with a JSON body (e.g. a message answering a slash command, or a
    /// `response_action` answering a view submission).
    pub fn json(value: &Value) -> Self {
        Answer { status: 200, content_type: Some("application/json"), body: value.to_string().into_bytes() }
    }

    /// The answer to `url_verification`.
    pub fn challenge(challenge: &str) -> Self {
        Answer { status: 200, content_type: Some("text/plain"), body: challenge.as_bytes().to_vec() }
    }

    /// Options for an `external_select` (`block_suggestion`): each an option object.
    pub fn options(options: Vec<Value>) -> Self {
        Self::json(&json!({ "options": options }))
    }

    /// Option groups for an `external_select`.
    pub fn option_groups(groups: Vec<Value>) -> Self {
        Self::json(&json!({ "option_groups": groups }))
    }

    /// A view submission refused: error text per input `block_id`.
    pub fn view_errors<'a>(errors: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let errors: serde_json::Map<String, Value> = errors.into_iter().map(|(k, v)| (k.to_owned(), json!(v))).collect();
        Self::json(&json!({ "response_action": "errors", "errors": errors }))
    }

    /// A view submission answered by replacing the modal with `view`.
    pub fn update_view(view: Value) -> Self {
        Self::json(&json!({ "response_action": "update", "view": view }))
    }

    /// A view submission answered by pushing `view` onto the modal stack.
    pub fn push_view(view: Value) -> Self {
        Self::json(&json!({ "response_action": "push", "view": view }))
    }

    /// A view submission answered by closing every modal of the stack.
    pub fn clear_views() -> Self {
        Self::json(&json!({ "response_action": "clear" }))
    }
}

/// A verified request: what it holds and the default answer (acknowledgement, or the challenge),
/// which the app may replace (options, view errors, a message…).
#[derive(Clone, Debug, PartialEq)]
pub struct Received {
    pub incoming: Incoming,
    pub answer: Answer,
    /// `X-Slack-Retry-Num` of a redelivery.
    pub retry_num: Option<u32>,
    /// `X-Slack-Retry-Reason` of a redelivery.
    pub retry_reason: Option<String>,
}

/// A request refused. [`HttpError::answer`] is the response to send; none reveals the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpError {
    /// The signature check failed (401).
    Verify(VerifyError),
    /// Signed correctly, but not a payload Slack sends (400).
    BadRequest(String),
}

impl HttpError {
    pub fn status(&self) -> u16 {
        match self {
            HttpError::Verify(_) => 401,
            HttpError::BadRequest(_) => 400,
        }
    }

    /// The response to send: the status and a short reason.
    pub fn answer(&self) -> Answer {
        Answer { status: self.status(), content_type: Some("text/plain"), body: self.to_string().into_bytes() }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::Verify(e) => e.fmt(f),
            HttpError::BadRequest(why) => write!(f, "bad request: {why}"),
        }
    }
}

impl std::error::Error for HttpError {}

impl From<VerifyError> for HttpError {
    fn from(e: VerifyError) -> Self {
        HttpError::Verify(e)
    }
}

/// Verifies and decodes what Slack posts to an app's Request URLs (events, interactivity and
/// slash commands may share one URL or use three).
///
/// ```
/// # async fn run() {
/// use slack_api::events::{HttpHandler, Incoming, Verifier};
///
/// let handler = HttpHandler::new(Verifier::new("signing-secret"));
/// # let verifier = Verifier::new("signing-secret");
/// let body = br#"{"type":"url_verification","challenge":"abc","token":"t"}"#;
/// # let (ts, sig) = verifier.sign_now(body);
/// let headers = [("x-slack-request-timestamp", ts.as_str()), ("x-slack-signature", sig.as_str())];
/// let received = handler.handle(|name| headers.iter().find(|(k, _)| *k == name).map(|(_, v)| *v), body).await.unwrap();
/// assert_eq!(received.incoming, Incoming::UrlVerification { challenge: "abc".into() });
/// assert_eq!(received.answer.body, b"abc");
/// # }
/// ```
#[derive(Clone)]
pub struct HttpHandler {
    verifier: Verifier,
    dedupe: Arc<dyn Dedupe>,
    ttl: Duration,
}

impl fmt::Debug for HttpHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpHandler").field("verifier", &self.verifier).field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

impl HttpHandler {
    /// With an in-memory [`MemoryDedupe`] remembering event IDs for [`DEFAULT_DEDUPE_TTL`].
    pub fn new(verifier: Verifier) -> Self {
        Self { verifier, dedupe: Arc::new(MemoryDedupe::new()), ttl: DEFAULT_DEDUPE_TTL }
    }

    /// Another dedupe store (one shared by every replica of the app).
    #[must_use]
    pub fn dedupe(mut self, store: Arc<dyn Dedupe>, ttl: Duration) -> Self {
        self.dedupe = store;
        self.ttl = ttl;
        self
    }

    /// Verifies the request (`header` looks up a header by lower-case name) and decodes it.
    pub async fn handle<'h>(&self, header: impl Fn(&str) -> Option<&'h str>, body: &[u8]) -> Result<Received, HttpError> {
        if is_ssl_check(body) {
            return Ok(Received { incoming: Incoming::SslCheck, answer: Answer::ack(), retry_num: None, retry_reason: None });
        }
        self.verifier.verify_headers(&header, body)?;
        let retry_num = header(RETRY_NUM_HEADER).and_then(|v| v.trim().parse().ok());
        let retry_reason = header(RETRY_REASON_HEADER).map(str::to_owned);
        let is_json = match header("content-type") {
            Some(ct) => ct.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"json")),
            None => body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'),
        };
        let (incoming, answer) = if is_json { self.events_api(body).await? } else { Self::form(body)? };
        Ok(Received { incoming, answer, retry_num, retry_reason })
    }

    async fn events_api(&self, body: &[u8]) -> Result<(Incoming, Answer), HttpError> {
        let payload: EventsApiPayload =
            serde_json::from_slice(body).map_err(|e| HttpError::BadRequest(format!("the body is not a JSON object: {e}")))?;
        Ok(match payload {
            EventsApiPayload::UrlVerification(v) => {
                let challenge = v.challenge.clone().ok_or_else(|| HttpError::BadRequest("url_verification without a challenge".into()))?;
                let answer = Answer::challenge(&challenge);
                (Incoming::UrlVerification { challenge }, answer)
            }
            EventsApiPayload::EventCallback(cb) if !has_event_object(&cb) => {
                return Err(HttpError::BadRequest(match (&cb.event, cb.extra.get("event")) {
                    (None, None) => "event_callback without an `event`".into(),
                    _ => "event_callback whose `event` is not an object".into(),
                }));
            }
            EventsApiPayload::EventCallback(cb) => {
                let fresh = match cb.event_id.as_deref() {
                    Some(id) => self.dedupe.first_time(&super::dedupe::event_key(id), self.ttl).await,
                    None => true,
                };
                if fresh {
                    (Incoming::Event(cb), Answer::ack())
                } else {
                    (Incoming::DuplicateEvent { event_id: cb.event_id.unwrap_or_default() }, Answer::ack())
                }
            }
            EventsApiPayload::AppRateLimited(r) => (Incoming::AppRateLimited(r), Answer::ack()),
            EventsApiPayload::Unknown(v) if !v.is_object() => {
                return Err(HttpError::BadRequest("the body is JSON but not an object".into()));
            }
            EventsApiPayload::Unknown(v) => (Incoming::Unknown(v), Answer::ack()),
            // A kind a later slack-api-model reads that this handler does not route yet: passed
            // on as the JSON it came from (the body, which has just been read as JSON).
            _ => (Incoming::Unknown(serde_json::from_slice(body).unwrap_or(Value::Null)), Answer::ack()),
        })
    }

    fn form(body: &[u8]) -> Result<(Incoming, Answer), HttpError> {
        let has = |key: &str| form_urlencoded::parse(body).any(|(k, _)| k == key);
        if has("payload") {
            let i = Interaction::from_form(body).map_err(HttpError::BadRequest)?;
            Ok((Incoming::Interaction(Box::new(i)), Answer::ack()))
        } else if has("command") {
            let c = SlashCommand::from_form(body).map_err(|e| HttpError::BadRequest(e.to_string()))?;
            Ok((Incoming::Command(Box::new(c)), Answer::ack()))
        } else {
            Err(HttpError::BadRequest("a form without `payload` or `command`".into()))
        }
    }
}

/// `ssl_check=1` (with Slack's `token`) and nothing that would be handled: no `payload`, no
/// `command`.
pub(crate) fn is_ssl_check(body: &[u8]) -> bool {
    if body.len() > 4096 || body.first() == Some(&b'{') {
        return false;
    }
    let mut ssl = false;
    for (k, v) in form_urlencoded::parse(body) {
        match &*k {
            "ssl_check" => ssl = v == "1",
            "payload" | "command" => return false,
            _ => {}
        }
    }
    ssl
}

/// Whether an `event_callback` carries an event object (an unknown type is fine; a string or
/// an array is not a payload Slack sends).
fn has_event_object(cb: &EventCallback) -> bool {
    match &cb.event {
        Some(super::Event::Unknown(v)) => v.is_object(),
        Some(_) => true,
        None => false,
    }
}
