//! What can go wrong with a call.

use std::fmt;

use crate::response::ResponseMetadata;

/// How much of an unexpected body an error keeps.
pub const SNIPPET_LEN: usize = 512;

/// The error of a call to a method whose error enum is `E`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// Slack answered `"ok": false`: the method's typed error and the rest of the answer
    /// (boxed, so that `Result`s stay small on the success path).
    Api(Box<ApiError<E>>),
    /// An HTTP error status whose body is not a Slack answer (a proxy's HTML page, say).
    Http {
        status: u16,
        /// The start of the body, at most [`SNIPPET_LEN`] bytes, lossily decoded, credentials
        /// removed (see [`redact::scrub`](crate::redact::scrub)).
        body: String,
        /// The answer's `Retry-After`, if it had one (a 503 may).
        retry_after: Option<std::time::Duration>,
    },
    /// A body that is not the JSON the method returns.
    Decode {
        status: u16,
        /// What the decoder said, with the line and column.
        message: String,
        /// The start of the body, at most [`SNIPPET_LEN`] bytes, lossily decoded, credentials
        /// removed (see [`redact::scrub`](crate::redact::scrub)).
        body: String,
    },
    /// Slack kept answering HTTP 429 until the retry policy gave up, or asked to wait longer
    /// than the policy allows (the call then ends at once).
    RateLimited {
        /// What Slack's last `Retry-After` asked for.
        retry_after: Option<std::time::Duration>,
        /// Attempts made, the first included.
        attempts: u32,
    },
    /// An attempt, or the call as a whole, took longer than its limit
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout),
    /// [`RetryPolicy::call_timeout`](crate::RetryPolicy::call_timeout)).
    Timeout {
        /// Which limit ran out.
        kind: TimeoutKind,
        /// That limit.
        limit: std::time::Duration,
        /// Attempts made (started), the first included.
        attempts: u32,
    },
    /// The request could not be sent, or the response could not be read. The error carries no
    /// URL (a `GET` call's query holds its arguments).
    Transport(reqwest::Error),
    /// The server answered with a redirect. Slack's API does not redirect, so the call is not
    /// sent again anywhere.
    Redirect {
        status: u16,
        /// Where it pointed, without user name, password or query.
        location: Option<String>,
    },
    /// The answer is larger than [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes);
    /// reading stopped there.
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// A paginated stream met a cursor it had already followed: the server would lead it round
    /// in a circle. The stream ends here.
    CursorRepeated {
        /// The repeated cursor.
        cursor: String,
        /// Pages received before, the one with the repeated cursor included.
        pages: u64,
    },
    /// The rotating token could not be refreshed ([`TokenRotation`](crate::TokenRotation)).
    TokenRefresh(String),
    /// The request breaks a documented rule (e.g. two mutually exclusive arguments) and was not
    /// sent.
    InvalidRequest(String),
}

/// Which limit a [`Error::Timeout`] ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// One attempt: sending the request and reading the whole answer.
    Attempt,
    /// The whole call, retries and waits included.
    Call,
}

/// Slack's `"ok": false` answer, with the method's error typed.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError<E> {
    /// The method's error, from the `error` code.
    pub error: E,
    /// The HTTP status (200 for almost every Slack error).
    pub status: u16,
    /// For `missing_scope`: the scope the call needed.
    pub needed: Option<String>,
    /// For `missing_scope`: the scopes the token has.
    pub provided: Option<String>,
    /// Warning codes from `warning`, comma-separated there.
    pub warning: Option<String>,
    pub response_metadata: Option<ResponseMetadata>,
    /// Every other field of the answer.
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("error", &self.error)
            .field("status", &self.status)
            .field("needed", &self.needed)
            .field("provided", &self.provided)
            .field("warning", &self.warning)
            .field("response_metadata", &self.response_metadata)
            .field("fields", &crate::redact::RedactedMap(&self.fields))
            .finish()
    }
}

impl<E> ApiError<E> {
    /// Slack's `"ok": false` answer: the usual fields taken where they have their usual shape;
    /// everything else, those of another shape included, stays in `fields`.
    pub(crate) fn from_fields(error: E, status: u16, mut fields: serde_json::Map<String, serde_json::Value>) -> Self {
        use crate::response::take_string;
        let (needed, provided, warning) =
            (take_string(&mut fields, "needed"), take_string(&mut fields, "provided"), take_string(&mut fields, "warning"));
        let response_metadata = match fields.remove("response_metadata") {
            Some(serde_json::Value::Object(m)) => Some(ResponseMetadata::from_map(m)),
            Some(other) => {
                fields.insert("response_metadata".into(), other);
                None
            }
            None => None,
        };
        ApiError { error, status, needed, provided, warning, response_metadata, fields }
    }

    /// The same answer with the method's error changed by `f`.
    fn map<F>(self, f: impl FnOnce(E) -> F) -> ApiError<F> {
        let ApiError { error, status, needed, provided, warning, response_metadata, fields } = self;
        ApiError { error: f(error), status, needed, provided, warning, response_metadata, fields }
    }
}

impl<E> Error<E> {
    /// The same error with the method's error changed by `f`; every other variant is the same
    /// for every method. What [`into_untyped`](Self::into_untyped) and its inverse are made of.
    fn map_method_error<F>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Error::Api(e) => Error::Api(Box::new(e.map(f))),
            Error::Http { status, body, retry_after } => Error::Http { status, body, retry_after },
            Error::Decode { status, message, body } => Error::Decode { status, message, body },
            Error::RateLimited { retry_after, attempts } => Error::RateLimited { retry_after, attempts },
            Error::Timeout { kind, limit, attempts } => Error::Timeout { kind, limit, attempts },
            Error::Transport(e) => Error::Transport(e),
            Error::Redirect { status, location } => Error::Redirect { status, location },
            Error::ResponseTooLarge { limit } => Error::ResponseTooLarge { limit },
            Error::CursorRepeated { cursor, pages } => Error::CursorRepeated { cursor, pages },
            Error::TokenRefresh(why) => Error::TokenRefresh(why),
            Error::InvalidRequest(why) => Error::InvalidRequest(why),
        }
    }
}

impl<E: crate::MethodError> Error<E> {
    /// The method's typed error, if Slack answered `"ok": false`.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(&e.error),
            _ => None,
        }
    }

    /// The wire error code, if Slack answered `"ok": false`.
    pub fn code(&self) -> Option<&str> {
        self.api_error().map(crate::MethodError::code)
    }

    /// The HTTP status, where a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Http { status, .. } | Error::Decode { status, .. } | Error::Redirect { status, .. } => {
                Some(*status)
            }
            Error::RateLimited { .. } => Some(429),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::Timeout { .. }
            | Error::ResponseTooLarge { .. }
            | Error::CursorRepeated { .. }
            | Error::TokenRefresh(_)
            | Error::InvalidRequest(_) => None,
        }
    }

    /// Whether trying the same call again later may succeed: rate limiting, timeouts,
    /// connection failures, 5xx answers, and Slack's `service_unavailable`, `internal_error`,
    /// `fatal_error`, `request_timeout` and `ratelimited` codes. (Whether it is *safe* to send a
    /// call again is another matter: see [`RetryPolicy`](crate::RetryPolicy).)
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Timeout { .. } | Error::Transport(_) | Error::TokenRefresh(_) => true,
            Error::Http { status, .. } => *status >= 500 || *status == 429,
            Error::Api(e) => matches!(
                e.error.code(),
                "service_unavailable" | "internal_error" | "fatal_error" | "request_timeout" | "ratelimited"
            ),
            Error::Decode { .. }
            | Error::Redirect { .. }
            | Error::ResponseTooLarge { .. }
            | Error::CursorRepeated { .. }
            | Error::InvalidRequest(_) => false,
        }
    }

    /// How long Slack asked to wait (`Retry-After` of a 429, or of a 503).
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Error::RateLimited { retry_after, .. } | Error::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Any method's error code, without the method's own error type: what
/// [`Error::into_untyped`] turns a typed error into, so that calls of different methods can
/// meet in one `match` or one `?` chain.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AnyMethodError {
    /// The method's wire name (`chat.postMessage`).
    pub method: &'static str,
    /// The code as Slack sent it.
    pub code: String,
    /// Whether the method documents the code.
    pub documented: bool,
    description: String,
}

impl AnyMethodError {
    /// The error code `code` of `method`, as Slack sent it.
    pub(crate) fn new(method: &'static str, code: String) -> Self {
        AnyMethodError { method, description: code.clone(), code, documented: false }
    }
}

impl fmt::Display for AnyMethodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.method, self.description)
    }
}

impl std::error::Error for AnyMethodError {}

/// `METHOD` is `"*"`: the method is in each value's `method`.
impl crate::MethodError for AnyMethodError {
    const METHOD: &'static str = "*";
    fn from_code(code: &str) -> Self {
        AnyMethodError { method: Self::METHOD, code: code.to_owned(), documented: false, description: code.to_owned() }
    }
    fn code(&self) -> &str {
        &self.code
    }
    fn is_documented(&self) -> bool {
        self.documented
    }
}

/// The error of a call to any method: [`Error::into_untyped`].
pub type AnyError = Error<AnyMethodError>;

impl<E: crate::MethodError> Error<E> {
    /// The same error with the method's code as an [`AnyMethodError`] (method name, code,
    /// description kept), so that errors of different methods have one type:
    ///
    /// ```no_run
    /// # async fn run(client: slack_api::Client) -> Result<(), slack_api::AnyError> {
    /// use slack_api::chat::ChatPostMessageRequest;
    /// use slack_api::reactions::ReactionsAddRequest;
    ///
    /// client.call(&ChatPostMessageRequest::new("C1").text("hi")).await.map_err(slack_api::Error::into_untyped)?;
    /// client.call(&ReactionsAddRequest::new("C1", "wave", "1.2")).await.map_err(slack_api::Error::into_untyped)?;
    /// # Ok(()) }
    /// ```
    pub fn into_untyped(self) -> AnyError {
        self.map_method_error(|e| AnyMethodError {
            method: E::METHOD,
            code: e.code().to_owned(),
            documented: e.is_documented(),
            description: e.to_string(),
        })
    }

    /// A short, secret-free word for logs (`api_error:channel_not_found`, `http_502`,
    /// `attempt_timeout`…).
    pub(crate) fn outcome(&self) -> String {
        match self {
            Error::Api(e) => format!("api_error:{}", e.error.code()),
            Error::Http { status, .. } => format!("http_{status}"),
            Error::Decode { .. } => "decode_error".into(),
            Error::RateLimited { .. } => "rate_limited".into(),
            Error::Timeout { kind: TimeoutKind::Attempt, .. } => "attempt_timeout".into(),
            Error::Timeout { kind: TimeoutKind::Call, .. } => "call_timeout".into(),
            Error::Transport(_) => "transport_error".into(),
            Error::Redirect { status, .. } => format!("redirect_{status}"),
            Error::ResponseTooLarge { .. } => "response_too_large".into(),
            Error::CursorRepeated { .. } => "cursor_repeated".into(),
            Error::InvalidRequest(_) => "invalid_request".into(),
            Error::TokenRefresh(_) => "token_refresh_failed".into(),
        }
    }
}

impl AnyError {
    /// The error typed for the method whose error enum is `E`: the inverse of
    /// [`Error::into_untyped`]. The client works with the method-independent form (every
    /// method's call shares the one path) and types the error when it returns it.
    pub(crate) fn typed<E: crate::MethodError>(self) -> Error<E> {
        self.map_method_error(|e| E::from_code(&e.code))
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => {
                write!(f, "Slack returned an error: {}", e.error)?;
                if let Some(needed) = &e.needed {
                    write!(f, " (needed scope: {needed}")?;
                    if let Some(provided) = &e.provided {
                        write!(f, "; token has: {provided}")?;
                    }
                    f.write_str(")")?;
                }
                Ok(())
            }
            Error::Http { status, body, retry_after } => {
                write!(f, "HTTP {status} without a Slack answer")?;
                if let Some(d) = retry_after {
                    write!(f, " (Retry-After: {} s)", d.as_secs_f64())?;
                }
                write!(f, "; body starts: {body:?}")
            }
            Error::Decode { status, message, body } => {
                write!(f, "cannot decode the response (HTTP {status}): {message}; body starts: {body:?}")
            }
            Error::RateLimited { retry_after, attempts } => {
                write!(f, "rate limited by Slack after {attempts} attempt(s)")?;
                match retry_after {
                    Some(d) => write!(f, "; Slack asked to wait {} s", d.as_secs_f64()),
                    None => Ok(()),
                }
            }
            Error::Timeout { kind: TimeoutKind::Attempt, limit, attempts } => {
                write!(f, "attempt {attempts} took longer than the {} s limit on each attempt", limit.as_secs_f64())
            }
            Error::Timeout { kind: TimeoutKind::Call, limit, attempts } => write!(
                f,
                "the call took longer than its {} s limit ({attempts} attempt(s) started)",
                limit.as_secs_f64()
            ),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Redirect { status, location } => {
                write!(f, "the server answered with a redirect (HTTP {status}")?;
                if let Some(l) = location {
                    write!(f, " to {l}")?;
                }
                f.write_str("); Slack's API does not redirect, so the call was not sent there")
            }
            Error::ResponseTooLarge { limit } => write!(f, "the answer is larger than the {limit}-byte limit"),
            Error::CursorRepeated { cursor, pages } => write!(
                f,
                "page {pages} returned the cursor {cursor:?}, which this stream had already followed; stopping"
            ),
            Error::TokenRefresh(why) => write!(f, "cannot refresh the rotating token: {why}"),
            Error::InvalidRequest(why) => write!(f, "invalid request, not sent: {why}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(e) => Some(&e.error),
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

/// The start of a body as text, credentials removed. A multi-byte character cut by the limit
/// decodes to U+FFFD; that is fine for a snippet.
pub(crate) fn snippet(body: &[u8]) -> String {
    crate::redact::scrub(&String::from_utf8_lossy(&body[..body.len().min(SNIPPET_LEN)]))
}

/// A problem with the client's configuration, found when it is built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The base URL does not parse, or is not `http(s)://…`.
    InvalidBaseUrl { url: String, reason: String },
    /// The base URL is plain `http://` to a host that is not a loopback address: the token would
    /// travel in clear text.
    InsecureBaseUrl { url: String },
    /// The token cannot be an HTTP header value.
    InvalidToken,
    /// The token is empty. For the OAuth exchange, which needs none, use
    /// [`Client::without_token`](crate::Client::without_token).
    EmptyToken,
    /// reqwest could not build its client.
    Http(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::InvalidBaseUrl { url, reason } => write!(f, "invalid base URL {url:?}: {reason}"),
            ConfigError::InsecureBaseUrl { url } => write!(
                f,
                "refusing to send the token over plain http to {url:?}: use https, or a loopback address for tests"
            ),
            ConfigError::InvalidToken => f.write_str("the token contains characters an HTTP header cannot carry"),
            ConfigError::EmptyToken => f.write_str(
                "the token is empty; for the OAuth exchange, which needs none, use Client::without_token()",
            ),
            ConfigError::Http(e) => write!(f, "cannot build the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for ConfigError {}
