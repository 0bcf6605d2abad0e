//! The client: one generic [`Client::call`] for every method.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::Url;
use serde::Deserialize;

use std::time::Duration;

use tracing::Instrument;

use crate::error::{ApiError, ConfigError, Error, snippet};
use crate::method::{HttpMethod, Method, MethodError, MethodInfo};
use crate::ratelimit::RateLimiter;
use crate::retry::RetryPolicy;
use crate::response::ResponseMetadata;
use crate::wire::Args;

/// Where Slack's Web API lives.
pub const DEFAULT_BASE_URL: &str = "https://slack.com/api/";

/// A Slack token (`xoxb-…`, `xoxp-…`, …). Its `Debug` shows the kind, never the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token's kind prefix (`xoxb`, `xoxp`, …), if it has a recognisable one.
    pub fn kind(&self) -> Option<&str> {
        let prefix = self.0.split('-').next()?;
        (prefix.len() < self.0.len() && prefix.len() <= 10 && prefix.starts_with("xox")
            || prefix == "xapp")
            .then_some(prefix)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind() {
            Some(kind) => write!(f, "Token({kind}-<redacted>)"),
            None => f.write_str("Token(<redacted>)"),
        }
    }
}

impl From<&str> for Token {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<String> for Token {
    fn from(s: String) -> Self {
        Self(s)
    }
}

/// A Slack Web API client. Cheap to clone: clones share one connection pool.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use slack_api::Client;
/// use slack_api::admin::AdminUsersListRequest;
///
/// let client = Client::new("xoxp-your-token")?;
/// let page = client.call(&AdminUsersListRequest::new().limit(100)).await?;
/// println!("{} users", page.users.as_ref().map_or(0, Vec::len));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    authorization: HeaderValue,
    token: Token,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    validate_block_kit: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("token", &self.inner.token)
            .field("retry", &self.inner.retry)
            .field("rate_limiter", &self.inner.limiter.is_some())
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    token: Token,
    base_url: String,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    timeout: Option<Duration>,
    validate_block_kit: bool,
}

impl ClientBuilder {
    /// Whether [`Client::call`] checks Block Kit arguments (blocks, attachments, views,
    /// metadata, unfurls) against Slack's limits and returns [`Error::InvalidRequest`], with
    /// every violation, instead of sending a payload Slack would refuse. On by default.
    pub fn validate_block_kit(mut self, on: bool) -> Self {
        self.validate_block_kit = on;
        self
    }

    /// Sends calls to `url` instead of `https://slack.com/api/` (a proxy, a test server). Plain
    /// `http://` is accepted only for loopback addresses.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Uses this reqwest client (for its proxy, timeout or TLS settings) instead of a new one.
    /// Its own timeout applies then, not [`timeout`](Self::timeout).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// When failed calls are sent again; see [`RetryPolicy`] for the default and why.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Paces calls to Slack's published limits (off by default); see [`RateLimiter`].
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// A limit on each attempt, from sending the request to reading the whole response. None by
    /// default (as in reqwest): it arms a timer per call, which costs about as much as the rest
    /// of the client's per-call work (see BENCHMARKS.md). Connecting is always limited to 10 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn build(self) -> Result<Client, ConfigError> {
        let mut text = self.base_url.clone();
        if !text.ends_with('/') {
            text.push('/');
        }
        let base_url = Url::parse(&text)
            .map_err(|e| ConfigError::InvalidBaseUrl { url: self.base_url.clone(), reason: e.to_string() })?;
        match base_url.scheme() {
            "https" => {}
            "http" if is_loopback(&base_url) => {}
            "http" => return Err(ConfigError::InsecureBaseUrl { url: self.base_url }),
            other => {
                return Err(ConfigError::InvalidBaseUrl {
                    url: self.base_url,
                    reason: format!("scheme `{other}` is not http or https"),
                });
            }
        }
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", self.token.0))
            .map_err(|_| ConfigError::InvalidToken)?;
        authorization.set_sensitive(true);
        let http = match self.http {
            Some(c) => c,
            None => {
                // reqwest is built without a bundled crypto provider; ring compiles much faster
                // than aws-lc-rs. An application that installed its own provider keeps it.
                let _ = rustls::crypto::ring::default_provider().install_default();
                let mut builder = reqwest::Client::builder()
                    .user_agent(concat!("slack-api-rs/", env!("CARGO_PKG_VERSION")))
                    .connect_timeout(Duration::from_secs(10));
                if let Some(t) = self.timeout {
                    builder = builder.timeout(t);
                }
                builder.build()
                    .map_err(|e| ConfigError::Http(e.to_string()))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                authorization,
                token: self.token,
                retry: self.retry,
                limiter: self.limiter,
                validate_block_kit: self.validate_block_kit,
            }),
        })
    }
}

pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The parts of Slack's envelope the client reads before deciding how to decode the rest.
#[derive(Deserialize)]
struct Envelope {
    ok: Option<bool>,
}

/// Slack's `"ok": false` body.
#[derive(Deserialize)]
struct ErrorBody {
    error: Option<String>,
    #[serde(default)]
    needed: Option<String>,
    #[serde(default)]
    provided: Option<String>,
    #[serde(default)]
    warning: Option<String>,
    #[serde(default)]
    response_metadata: Option<ResponseMetadata>,
    #[serde(flatten)]
    fields: serde_json::Map<String, serde_json::Value>,
}

/// The non-generic outcome of sending a call, before the method's types are applied.
enum Outcome {
    /// `"ok": true`.
    Ok,
    Failed(Failure),
}

enum Failure {
    Api { status: u16, code: String, body: Box<ErrorBody> },
    Http { status: u16, body: String },
    Decode { status: u16, message: String, body: String },
    RateLimited { retry_after: Option<Duration>, attempts: u32 },
    Timeout(reqwest::Error),
    Transport(reqwest::Error),
    Invalid(String),
}

impl Failure {
    /// A short, secret-free word for logs.
    fn outcome(&self) -> String {
        match self {
            Failure::Api { code, .. } => format!("api_error:{code}"),
            Failure::Http { status, .. } => format!("http_{status}"),
            Failure::Decode { .. } => "decode_error".into(),
            Failure::RateLimited { .. } => "rate_limited".into(),
            Failure::Timeout(_) => "timeout".into(),
            Failure::Transport(_) => "transport_error".into(),
            Failure::Invalid(_) => "invalid_request".into(),
        }
    }
}

/// What a failed attempt says about sending the call again.
enum Verdict {
    /// Slack did not take the call: safe to send again (after this long, if Slack said).
    NotProcessed(Option<Duration>),
    /// The call may have taken effect.
    MaybeProcessed,
    /// Sending it again will not help.
    Final,
}

fn verdict(f: &Failure) -> Verdict {
    match f {
        Failure::Api { code, .. } if code == "service_unavailable" => Verdict::NotProcessed(None),
        Failure::Api { code, .. } if matches!(code.as_str(), "internal_error" | "fatal_error" | "request_timeout") => {
            Verdict::MaybeProcessed
        }
        Failure::Http { status: 503, .. } => Verdict::NotProcessed(None),
        Failure::Http { status, .. } if *status >= 500 => Verdict::MaybeProcessed,
        Failure::Transport(e) if e.is_connect() => Verdict::NotProcessed(None),
        Failure::Transport(_) | Failure::Timeout(_) => Verdict::MaybeProcessed,
        _ => Verdict::Final,
    }
}

impl Failure {
    fn typed<E: MethodError>(self) -> Error<E> {
        match self {
            Failure::Api { status, code, body } => Error::Api(Box::new(ApiError {
                error: E::from_code(&code),
                status,
                needed: body.needed,
                provided: body.provided,
                warning: body.warning,
                response_metadata: body.response_metadata,
                fields: body.fields,
            })),
            Failure::Http { status, body } => Error::Http { status, body },
            Failure::Decode { status, message, body } => Error::Decode { status, message, body },
            Failure::RateLimited { retry_after, attempts } => Error::RateLimited { retry_after, attempts },
            Failure::Timeout(e) => Error::Timeout(e),
            Failure::Transport(e) => Error::Transport(e),
            Failure::Invalid(why) => Error::InvalidRequest(why),
        }
    }
}

impl Client {
    /// A client for `https://slack.com/api/` with a new connection pool.
    pub fn new(token: impl Into<Token>) -> Result<Self, ConfigError> {
        Self::builder(token).build()
    }

    pub fn builder(token: impl Into<Token>) -> ClientBuilder {
        ClientBuilder {
            token: token.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            http: None,
            retry: RetryPolicy::default(),
            limiter: None,
            timeout: None,
            validate_block_kit: true,
        }
    }

    /// The underlying HTTP client.
    #[cfg(feature = "files")]
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// Calls a method. Works for every generated request type.
    ///
    /// Checks the Block Kit arguments (see [`ClientBuilder::validate_block_kit`]) and the method's argument groups, waits for the rate limiter if one is set, sends the
    /// call, and retries under the client's [`RetryPolicy`]. Runs in a `tracing` span
    /// `slack_api.call` with the method, tier, attempt and outcome (never the token or any
    /// argument). Warnings on a successful answer are logged and stay in the response.
    pub async fn call<M: Method>(&self, request: &M) -> Result<M::Response, Error<M::Error>> {
        if self.inner.validate_block_kit {
            if let Err(violations) = request.validate() {
                return Err(Error::InvalidRequest(format!("{}: {violations}", M::INFO.name)));
            }
        }
        let mut args = Args::new();
        request.write_args(&mut args);
        let span = tracing::info_span!(
            "slack_api.call",
            method = M::INFO.name,
            tier = ?M::INFO.rate_limit,
            attempt = tracing::field::Empty,
            outcome = tracing::field::Empty,
        );
        // Each answer is decoded once, straight into the method's response type; only an answer
        // that is not `"ok": true` goes through the slower, precise classification.
        let mut decoded: Option<M::Response> = None;
        let mut decode = |status: u16, body: &[u8]| match decode_ok::<M::Response>(body) {
            Some(response) => {
                decoded = Some(response);
                None
            }
            None => Some(failure::<M::Response>(status, body)),
        };
        self.execute(M::INFO, &args, &span, &mut decode).instrument(span.clone()).await.map_err(Failure::typed)?;
        decoded.ok_or_else(|| Error::Decode {
            status: 0,
            message: "no answer was decoded".into(),
            body: String::new(),
        })
    }

    /// Sends a call, retrying under the policy, until `decode` accepts an answer (returns
    /// `None`) or a failure is final. Shared by every method, so not generic.
    async fn execute(
        &self,
        info: &MethodInfo,
        args: &Args,
        span: &tracing::Span,
        decode: &mut (dyn FnMut(u16, &[u8]) -> Option<Failure> + Send),
    ) -> Result<(), Failure> {
        let names: Vec<&str> = if info.arg_groups.is_empty() {
            Vec::new()
        } else {
            args.pairs().iter().map(|(k, _)| *k).chain(args.files().iter().map(|(k, _)| *k)).collect()
        };
        for group in info.arg_groups {
            if let Err(why) = group.check(&names) {
                span.record("outcome", "invalid_request");
                return Err(Failure::Invalid(format!("{}: {why}", info.name)));
            }
        }
        let policy = &self.inner.retry;
        let mut waited = Duration::ZERO;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            if let Some(limiter) = &self.inner.limiter {
                limiter.until_ready(info, args).await;
            }
            let failure = match self.send(info, args).await {
                Ok((429, retry_after, _)) => {
                    let wait = retry_after.unwrap_or(Duration::from_secs(1));
                    let give_up = attempt >= policy.max_attempts || waited + wait > policy.max_total_wait;
                    if give_up {
                        span.record("outcome", "rate_limited");
                        return Err(Failure::RateLimited { retry_after, attempts: attempt });
                    }
                    tracing::info!(wait_ms = wait.as_millis() as u64, "rate limited by Slack (HTTP 429); waiting as asked");
                    tokio::time::sleep(wait).await;
                    waited += wait;
                    continue;
                }
                Ok((status, _, body)) => match decode(status, &body) {
                    None => {
                        span.record("outcome", "ok");
                        return Ok(());
                    }
                    Some(f) => f,
                },
                Err(f) => f,
            };
            let retry_in = match verdict(&failure) {
                Verdict::NotProcessed(after) => Some(after.unwrap_or_else(|| policy.backoff_for(attempt))),
                Verdict::MaybeProcessed if info.idempotent || policy.retry_non_idempotent => {
                    Some(policy.backoff_for(attempt))
                }
                Verdict::MaybeProcessed | Verdict::Final => None,
            };
            match retry_in {
                Some(wait) if attempt < policy.max_attempts && waited + wait <= policy.max_total_wait => {
                    tracing::info!(
                        failure = %failure.outcome(),
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                    waited += wait;
                }
                _ => {
                    span.record("outcome", failure.outcome().as_str());
                    return Err(failure);
                }
            }
        }
    }

    /// One attempt: the status, `Retry-After`, and the body.
    async fn send(&self, info: &MethodInfo, args: &Args) -> Result<(u16, Option<Duration>, bytes::Bytes), Failure> {
        let mut url = self.inner.base_url.join(info.name).map_err(|e| Failure::Decode {
            status: 0,
            message: format!("cannot build the URL for `{}`: {e}", info.name),
            body: String::new(),
        })?;
        let request = match info.http_method {
            HttpMethod::Get => {
                if !args.pairs().is_empty() {
                    url.set_query(Some(&args.to_form()));
                }
                self.inner.http.get(url)
            }
            HttpMethod::Post if !args.files().is_empty() => {
                let mut form = reqwest::multipart::Form::new();
                for (name, value) in args.pairs() {
                    form = form.text(*name, value.clone());
                }
                for (name, file) in args.files() {
                    let part = reqwest::multipart::Part::stream(file.data.clone())
                        .file_name(file.filename.clone())
                        .mime_str(file.content_type.as_deref().unwrap_or("application/octet-stream"))
                        .map_err(|e| Failure::Invalid(format!("invalid content type for `{name}`: {e}")))?;
                    form = form.part(*name, part);
                }
                self.inner.http.post(url).multipart(form)
            }
            HttpMethod::Post => self
                .inner
                .http
                .post(url)
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(args.to_form()),
        };
        let transport = |e: reqwest::Error| if e.is_timeout() { Failure::Timeout(e) } else { Failure::Transport(e) };
        let response = request
            .header(AUTHORIZATION, self.inner.authorization.clone())
            .send()
            .await
            .map_err(transport)?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response.bytes().await.map_err(transport)?;
        Ok((status, retry_after, body))
    }
}

/// Decodes a complete answer to a call of `M` as [`Client::call`] does, without sending
/// anything: for tests, and for answers obtained some other way. Never panics, whatever the
/// bytes.
pub fn decode_response<M: Method>(status: u16, body: &[u8]) -> Result<M::Response, Error<M::Error>> {
    decode_ok::<M::Response>(body).ok_or_else(|| failure::<M::Response>(status, body).typed())
}

/// The answer as `R`, if it decodes and says `"ok": true` (its warnings are logged).
fn decode_ok<R: serde::de::DeserializeOwned + crate::method::Response>(body: &[u8]) -> Option<R> {
    let response: R = serde_json::from_slice(body).ok()?;
    if !response.is_ok() {
        return None;
    }
    let warnings = response.warnings();
    if !warnings.is_empty() {
        tracing::warn!(warnings = %warnings.join(","), "Slack answered with warnings");
    }
    Some(response)
}

/// Why an answer is not a success, precisely: a Slack error, an HTTP error, or a body that is
/// not the expected JSON.
fn failure<R: serde::de::DeserializeOwned>(status: u16, body: &[u8]) -> Failure {
    match classify(status, body) {
        Outcome::Failed(f) => f,
        // The envelope says ok, but the body is not what the method returns.
        Outcome::Ok => Failure::Decode {
            status,
            message: serde_json::from_slice::<R>(body)
                .err()
                .map_or_else(|| "the response does not match the method's type".into(), |e| e.to_string()),
            body: snippet(body),
        },
    }
}

/// Reads the envelope: is this a success, a Slack error, or something else?
fn classify(status: u16, body: &[u8]) -> Outcome {
    let http_ok = (200..300).contains(&status);
    let envelope = match serde_json::from_slice::<Envelope>(body) {
        Ok(e) => e,
        Err(_) if !http_ok => return Outcome::Failed(Failure::Http { status, body: snippet(body) }),
        Err(e) => {
            return Outcome::Failed(Failure::Decode { status, message: e.to_string(), body: snippet(body) });
        }
    };
    match envelope.ok {
        Some(true) => Outcome::Ok,
        Some(false) => match serde_json::from_slice::<ErrorBody>(body) {
            Ok(ErrorBody { error: Some(code), .. }) if code.is_empty() => Outcome::Failed(Failure::Decode {
                status,
                message: "`ok` is false but `error` is empty".into(),
                body: snippet(body),
            }),
            Ok(mut b) => match b.error.take() {
                Some(code) => Outcome::Failed(Failure::Api { status, code, body: Box::new(b) }),
                None => Outcome::Failed(Failure::Decode {
                    status,
                    message: "`ok` is false but there is no `error` code".into(),
                    body: snippet(body),
                }),
            },
            Err(e) => Outcome::Failed(Failure::Decode { status, message: e.to_string(), body: snippet(body) }),
        },
        None if !http_ok => Outcome::Failed(Failure::Http { status, body: snippet(body) }),
        None => Outcome::Failed(Failure::Decode {
            status,
            message: "the response has no `ok` field".into(),
            body: snippet(body),
        }),
    }
}
