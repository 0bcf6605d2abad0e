//! Programmed answers: per method, typed, for one call, N calls or all of them.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use slack_api::{Method, MethodError};

use super::{Call, WebApi};

/// What the fake answers a call with, for method `M`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Reply<M: Method> {
    /// `"ok": true` with this response (its `ok` is set).
    Ok(M::Response),
    /// `{"ok": false, "error": <code>}` with the variant's code.
    Err(M::Error),
    /// This JSON, as it is, with HTTP 200.
    Json(serde_json::Value),
    /// The default answer (the documentation example, or the fake's own for the few stateful
    /// methods).
    Default,
    /// HTTP 429 with `Retry-After` (whole seconds, rounded up).
    RateLimited(Duration),
    /// This HTTP status (a 5xx, say) with an empty body.
    Status(u16),
    /// The connection is closed in the middle of the answer.
    Drop,
}

/// A handler's answer to a call; `None` falls through.
pub(crate) type DynamicReply = Arc<dyn Fn(&Call) -> Option<Behaviour> + Send + Sync>;

/// The type-erased form of a reply.
#[derive(Clone)]
pub(crate) enum Behaviour {
    Json(u16, serde_json::Value),
    Default,
    RateLimited(Duration),
    Status(u16),
    Drop,
    Dynamic(DynamicReply),
}

impl std::fmt::Debug for Behaviour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Behaviour::Json(s, v) => write!(f, "Json({s}, {v})"),
            Behaviour::Default => f.write_str("Default"),
            Behaviour::RateLimited(d) => write!(f, "RateLimited({d:?})"),
            Behaviour::Status(s) => write!(f, "Status({s})"),
            Behaviour::Drop => f.write_str("Drop"),
            Behaviour::Dynamic(_) => f.write_str("Dynamic"),
        }
    }
}

impl<M: Method> Reply<M>
where
    M::Response: serde::Serialize,
{
    pub(crate) fn into_behaviour(self) -> Behaviour {
        match self {
            Reply::Ok(r) => {
                let mut v = serde_json::to_value(&r).unwrap_or_else(|e| serde_json::json!({ "ok": true, "fake_error": e.to_string() }));
                if let Some(map) = v.as_object_mut() {
                    map.insert("ok".into(), serde_json::Value::Bool(true));
                }
                Behaviour::Json(200, v)
            }
            Reply::Err(e) => Behaviour::Json(200, serde_json::json!({ "ok": false, "error": e.code() })),
            Reply::Json(v) => Behaviour::Json(200, v),
            Reply::Default => Behaviour::Default,
            Reply::RateLimited(d) => Behaviour::RateLimited(d),
            Reply::Status(s) => Behaviour::Status(s),
            Reply::Drop => Behaviour::Drop,
        }
    }
}

/// A programmed answer for one method.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) method: String,
    pub(crate) behaviour: Behaviour,
    pub(crate) delay: Option<Duration>,
    /// Calls left; `None`: every call.
    pub(crate) remaining: Option<usize>,
    /// One of the fake's own stateful answers (Socket Mode URLs, the OAuth exchange), which
    /// `stateful(false)` turns off like the others.
    pub(crate) stateful: bool,
}

/// Programs how the fake answers method `M`: first say for how many calls and after what
/// delay, then what (`respond`, `fail`, …). The newest rule that still applies wins; once a
/// rule's calls are used up the previous one applies again, and then the default answer.
///
/// ```no_run
/// # async fn f() {
/// use slack_api::chat::{ChatPostMessageError, ChatPostMessageRequest};
/// let fake = slack_api_testkit::FakeSlack::start().await;
/// fake.web().on::<ChatPostMessageRequest>().once().fail(ChatPostMessageError::ChannelNotFound);
/// # }
/// ```
#[must_use = "nothing is programmed until an answer is given (`respond`, `fail`, …)"]
pub struct Program<'a, M> {
    web: &'a WebApi,
    remaining: Option<usize>,
    delay: Option<Duration>,
    _method: PhantomData<fn() -> M>,
}

impl<M> std::fmt::Debug for Program<'_, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Program").field("remaining", &self.remaining).field("delay", &self.delay).finish()
    }
}

impl<'a, M> Program<'a, M>
where
    M: Method + Send + Sync + 'static,
    M::Response: serde::Serialize,
{
    pub(crate) fn new(web: &'a WebApi) -> Self {
        Program { web, remaining: None, delay: None, _method: PhantomData }
    }

    /// For the next call only.
    pub fn once(self) -> Self {
        self.times(1)
    }

    /// For the next `n` calls.
    pub fn times(mut self, n: usize) -> Self {
        self.remaining = Some(n);
        self
    }

    /// Waits this long before answering.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    fn set(self, behaviour: Behaviour) {
        self.web.push_rule(Rule { method: M::INFO.name.to_owned(), behaviour, delay: self.delay, remaining: self.remaining, stateful: false });
    }

    /// Answers with this typed reply.
    pub fn reply(self, reply: Reply<M>) {
        self.set(reply.into_behaviour());
    }

    /// Answers `"ok": true` with `response`.
    pub fn respond(self, response: M::Response) {
        self.reply(Reply::Ok(response));
    }

    /// Answers `"ok": false` with the error's code.
    pub fn fail(self, error: M::Error) {
        self.reply(Reply::Err(error));
    }

    /// Answers with this JSON.
    pub fn json(self, body: serde_json::Value) {
        self.reply(Reply::Json(body));
    }

    /// Answers with the default answer after `delay`.
    pub fn delay(self, delay: Duration) {
        self.after(delay).reply(Reply::Default);
    }

    /// Answers HTTP 429 with `Retry-After`.
    pub fn rate_limited(self, retry_after: Duration) {
        self.reply(Reply::RateLimited(retry_after));
    }

    /// Answers with this HTTP status (e.g. 500, 503) and an empty body.
    pub fn status(self, status: u16) {
        self.reply(Reply::Status(status));
    }

    /// Closes the connection in the middle of the answer.
    pub fn drop_connection(self) {
        self.reply(Reply::Drop);
    }

    /// Answers with what `f` returns for the decoded request; `None` falls through to the
    /// older rules and the default answer.
    pub fn reply_with(self, f: impl Fn(&M) -> Option<Reply<M>> + Send + Sync + 'static) {
        let dynamic = move |call: &Call| call.request::<M>().and_then(&f).map(Reply::into_behaviour);
        self.set(Behaviour::Dynamic(Arc::new(dynamic)));
    }
}
