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
        /// The start of the body, at most [`SNIPPET_LEN`] bytes, lossily decoded.
        body: String,
    },
    /// A body that is not the JSON the method returns.
    Decode {
        status: u16,
        /// What the decoder said, with the line and column.
        message: String,
        /// The start of the body, at most [`SNIPPET_LEN`] bytes, lossily decoded.
        body: String,
    },
    /// Slack kept answering HTTP 429 until the retry policy gave up.
    RateLimited {
        /// What Slack's last `Retry-After` asked for.
        retry_after: Option<std::time::Duration>,
        /// Attempts made, the first included.
        attempts: u32,
    },
    /// The request or the response took longer than the client's timeout.
    Timeout(reqwest::Error),
    /// The request could not be sent, or the response could not be read.
    Transport(reqwest::Error),
    /// The request breaks a documented rule (e.g. two mutually exclusive arguments) and was not
    /// sent.
    InvalidRequest(String),
}

/// Slack's `"ok": false` answer, with the method's error typed.
#[derive(Debug, Clone, PartialEq)]
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
            Error::Http { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(429),
            Error::Transport(e) | Error::Timeout(e) => e.status().map(|s| s.as_u16()),
            Error::InvalidRequest(_) => None,
        }
    }

    /// Whether trying the same call again later may succeed: rate limiting, timeouts,
    /// connection failures, 5xx answers, and Slack's `service_unavailable`, `internal_error`,
    /// `fatal_error`, `request_timeout` and `ratelimited` codes. (Whether it is *safe* to send a
    /// call again is another matter: see [`RetryPolicy`](crate::RetryPolicy).)
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Timeout(_) | Error::Transport(_) => true,
            Error::Http { status, .. } => *status >= 500 || *status == 429,
            Error::Api(e) => matches!(
                e.error.code(),
                "service_unavailable" | "internal_error" | "fatal_error" | "request_timeout" | "ratelimited"
            ),
            Error::Decode { .. } | Error::InvalidRequest(_) => false,
        }
    }

    /// For rate limiting: how long Slack asked to wait.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
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
            Error::Http { status, body } => write!(f, "HTTP {status} without a Slack answer; body starts: {body:?}"),
            Error::Decode { status, message, body } => {
                write!(f, "cannot decode the response (HTTP {status}): {message}; body starts: {body:?}")
            }
            Error::RateLimited { retry_after, attempts } => {
                write!(f, "rate limited by Slack after {attempts} attempt(s)")?;
                match retry_after {
                    Some(d) => write!(f, "; Slack asked to wait {}s", d.as_secs()),
                    None => Ok(()),
                }
            }
            Error::Timeout(e) => write!(f, "timed out: {e}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::InvalidRequest(why) => write!(f, "invalid request, not sent: {why}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(e) => Some(&e.error),
            Error::Transport(e) | Error::Timeout(e) => Some(e),
            _ => None,
        }
    }
}

/// The start of a body as text, cut at a character boundary.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_LEN)]).into_owned();
    // A multi-byte character cut by the limit decodes to U+FFFD; that is fine for a snippet.
    text
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
            ConfigError::Http(e) => write!(f, "cannot build the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for ConfigError {}
