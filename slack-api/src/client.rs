//! The client: one generic [`Client::call`] for every method.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::Url;
use tokio::time::Instant;
use tracing::Instrument;

#[cfg(feature = "oauth")]
use crate::rotation::TokenRotation;
use crate::error::{ApiError, ConfigError, Error, TimeoutKind, snippet};
use crate::method::{HttpMethod, Method, MethodError, MethodInfo};
use crate::ratelimit::RateLimiter;
use crate::retry::RetryPolicy;
use crate::wire::Args;

/// Where Slack's Web API lives.
pub const DEFAULT_BASE_URL: &str = "https://slack.com/api/";

/// The default limit on each attempt: from sending the request to reading the whole answer.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default limit on the size of an answer.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

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

    /// The secret itself, for a refresh.
    #[cfg(feature = "oauth")]
    pub(crate) fn secret(&self) -> &str {
        &self.0
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

/// Where a call's bearer token comes from.
enum Credential {
    /// No token: only the OAuth exchange methods (which authenticate with the app's client ID
    /// and secret) and token-less methods make sense.
    None,
    Fixed { header: HeaderValue, token: Token },
    #[cfg(feature = "oauth")]
    Rotating(TokenRotation),
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    credential: Credential,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    attempt_timeout: Option<Duration>,
    max_response_bytes: u64,
    validate_block_kit: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Client");
        d.field("base_url", &crate::redact::redact_url(self.inner.base_url.as_str()));
        match &self.inner.credential {
            Credential::None => d.field("token", &None::<Token>),
            Credential::Fixed { token, .. } => d.field("token", token),
            #[cfg(feature = "oauth")]
            Credential::Rotating(r) => d.field("token", r),
        };
        d.field("retry", &self.inner.retry)
            .field("timeout", &self.inner.attempt_timeout)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("rate_limiter", &self.inner.limiter.is_some())
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]: [`Client::builder`] with a token, [`Client::without_token`] for the
/// OAuth exchange, then settings, then [`build`](Self::build).
///
/// The defaults: Slack's base URL, a new connection pool, [`RetryPolicy::default`] (which also
/// bounds each call as a whole), a 30 s limit on each attempt, answers of at most 64 MiB, no
/// client-side rate limiter, redirects never followed.
#[must_use]
pub struct ClientBuilder {
    token: Option<Token>,
    #[cfg(feature = "oauth")]
    rotation: Option<TokenRotation>,
    base_url: String,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    timeout: Option<Duration>,
    max_response_bytes: u64,
    validate_block_kit: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token)
            .field("base_url", &crate::redact::redact_url(&self.base_url))
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("validate_block_kit", &self.validate_block_kit)
            .finish_non_exhaustive()
    }
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

    /// Uses this reqwest client (for its proxy or TLS settings) instead of a new one. Build it
    /// with `redirect(reqwest::redirect::Policy::none())`: the client reports a redirect as an
    /// error, but only a client that does not follow redirects guarantees that nothing is sent
    /// to another host. [`timeout`](Self::timeout) and the size limit apply to it too.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// When failed calls are sent again, and how long a call may take in all; see
    /// [`RetryPolicy`] for the defaults and why.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Paces calls to Slack's published limits (off by default); see [`RateLimiter`].
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// The limit on each attempt, from sending the request to reading the whole answer (30 s by
    /// default, as in Slack's own SDKs). A server that accepts the call and then stays silent,
    /// or sends a byte now and then, cannot hold a call longer. The call as a whole is bounded
    /// by [`RetryPolicy::call_timeout`]. Connecting is limited to 10 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No limit on each attempt (the call as a whole stays bounded by
    /// [`RetryPolicy::call_timeout`]). Saves a timer per attempt.
    pub fn no_attempt_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// The largest answer accepted, in bytes (64 MiB by default). Enforced while the answer
    /// arrives: a bigger one ends the call with [`Error::ResponseTooLarge`] without being
    /// buffered.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    #[cfg(feature = "oauth")]
    /// Takes the bearer token from a [`TokenRotation`] (refresh-token rotation), refreshed when
    /// it is about to expire. Replaces the builder's token.
    pub fn token_rotation(mut self, rotation: TokenRotation) -> Self {
        self.rotation = Some(rotation);
        self.token = None;
        self
    }

    /// Builds the client. Fails on an empty token, a token that cannot travel in an HTTP
    /// header, a base URL that does not parse, and plain `http://` to a non-loopback host.
    pub fn build(mut self) -> Result<Client, ConfigError> {
        let mut text = self.base_url.clone();
        if !text.ends_with('/') {
            text.push('/');
        }
        let shown = crate::redact::redact_url(&self.base_url);
        let base_url = Url::parse(&text).map_err(|e| ConfigError::InvalidBaseUrl {
            url: shown.clone(),
            reason: crate::redact::scrub(&e.to_string()),
        })?;
        match crate::net::check_url(&base_url, "https", "http") {
            Ok(()) => {}
            Err(crate::net::UrlRefused::Insecure(_)) => return Err(ConfigError::InsecureBaseUrl { url: shown }),
            Err(crate::net::UrlRefused::Scheme(other)) => {
                return Err(ConfigError::InvalidBaseUrl {
                    url: shown,
                    reason: format!("scheme `{other}` is not http or https"),
                });
            }
        }
        #[cfg(feature = "oauth")]
        if let Some(r) = self.rotation.take() {
            return self.http_and(Credential::Rotating(r), base_url);
        }
        let credential = match self.token.take() {
            Some(token) => Credential::Fixed { header: bearer(&token)?, token },
            None => Credential::None,
        };
        self.http_and(credential, base_url)
    }

    fn http_and(self, credential: Credential, base_url: Url) -> Result<Client, ConfigError> {
        let http = match self.http {
            Some(c) => c,
            None => crate::net::http_client().map_err(|e| ConfigError::Http(crate::redact::scrub(&e.to_string())))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credential,
                retry: self.retry,
                limiter: self.limiter,
                attempt_timeout: self.timeout,
                max_response_bytes: self.max_response_bytes,
                validate_block_kit: self.validate_block_kit,
            }),
        })
    }
}

/// `Authorization: Bearer …`, marked sensitive; an empty or unsendable token is refused.
pub(crate) fn bearer(token: &Token) -> Result<HeaderValue, ConfigError> {
    if token.0.trim().is_empty() {
        return Err(ConfigError::EmptyToken);
    }
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.0)).map_err(|_| ConfigError::InvalidToken)?;
    value.set_sensitive(true);
    Ok(value)
}

/// The non-generic outcome of sending a call, before the method's types are applied.
enum Outcome {
    /// `"ok": true`.
    Ok,
    Failed(Failure),
}

pub(crate) enum Failure {
    Api { status: u16, code: String, body: Box<crate::error::ErrorBody> },
    Http { status: u16, body: String, retry_after: Option<Duration> },
    Decode { status: u16, message: String, body: String },
    RateLimited { retry_after: Option<Duration>, attempts: u32 },
    Timeout { kind: TimeoutKind, limit: Duration, attempts: u32 },
    Transport(reqwest::Error),
    Redirect { status: u16, location: Option<String> },
    TooLarge { limit: u64 },
    Invalid(String),
    /// A rotating token could not be refreshed.
    #[cfg_attr(not(feature = "oauth"), allow(dead_code))]
    Token(String),
}

impl Failure {
    /// A short, secret-free word for logs.
    fn outcome(&self) -> String {
        match self {
            Failure::Api { code, .. } => format!("api_error:{code}"),
            Failure::Http { status, .. } => format!("http_{status}"),
            Failure::Decode { .. } => "decode_error".into(),
            Failure::RateLimited { .. } => "rate_limited".into(),
            Failure::Timeout { kind: TimeoutKind::Attempt, .. } => "attempt_timeout".into(),
            Failure::Timeout { kind: TimeoutKind::Call, .. } => "call_timeout".into(),
            Failure::Transport(_) => "transport_error".into(),
            Failure::Redirect { status, .. } => format!("redirect_{status}"),
            Failure::TooLarge { .. } => "response_too_large".into(),
            Failure::Invalid(_) => "invalid_request".into(),
            Failure::Token(_) => "token_refresh_failed".into(),
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
        Failure::Http { status: 503, retry_after, .. } => Verdict::NotProcessed(*retry_after),
        Failure::Http { status, .. } if *status >= 500 => Verdict::MaybeProcessed,
        Failure::Transport(e) if e.is_connect() => Verdict::NotProcessed(None),
        Failure::Transport(_) | Failure::Timeout { kind: TimeoutKind::Attempt, .. } => Verdict::MaybeProcessed,
        _ => Verdict::Final,
    }
}

impl Failure {
    pub(crate) fn typed<E: MethodError>(self) -> Error<E> {
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
            Failure::Http { status, body, retry_after } => Error::Http { status, body, retry_after },
            Failure::Decode { status, message, body } => Error::Decode { status, message, body },
            Failure::RateLimited { retry_after, attempts } => Error::RateLimited { retry_after, attempts },
            Failure::Timeout { kind, limit, attempts } => Error::Timeout { kind, limit, attempts },
            Failure::Transport(e) => Error::Transport(e),
            Failure::Redirect { status, location } => Error::Redirect { status, location },
            Failure::TooLarge { limit } => Error::ResponseTooLarge { limit },
            Failure::Invalid(why) => Error::InvalidRequest(why),
            Failure::Token(why) => Error::TokenRefresh(why),
        }
    }
}

/// One attempt's answer.
struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    body: bytes::Bytes,
}

/// The error codes after which a rotating token is refreshed and the call sent once more.
const EXPIRED_TOKEN_CODES: &[&str] = &["token_expired", "invalid_auth"];

impl Client {
    /// The same client — connection pool, base URL, retry policy, rate limiter, limits — sending
    /// another token: e.g. the function-scoped `bot_access_token` Slack sends with
    /// `function_executed`, or another workspace's bot token. Cheap: nothing is connected or
    /// copied but the settings. The rate limiter is shared with this client, so calls through
    /// both are paced together (right for tokens of one workspace).
    pub fn with_token(&self, token: impl Into<Token>) -> Result<Client, ConfigError> {
        let token = token.into();
        let credential = Credential::Fixed { header: bearer(&token)?, token };
        let i = &self.inner;
        Ok(Client {
            inner: Arc::new(Inner {
                http: i.http.clone(),
                base_url: i.base_url.clone(),
                credential,
                retry: i.retry.clone(),
                limiter: i.limiter.clone(),
                attempt_timeout: i.attempt_timeout,
                max_response_bytes: i.max_response_bytes,
                validate_block_kit: i.validate_block_kit,
            }),
        })
    }

    /// [`with_token`](Self::with_token) for another workspace's token (an installation's):
    /// the same pool, retry policy and limits, and the same rate limiter drawing on
    /// `workspace`'s own budget ([`RateLimiter::for_workspace`](crate::RateLimiter::for_workspace)) — Slack's limits are per app
    /// and workspace. Name the workspace as the installation does (its team or, for an
    /// org-wide installation, its enterprise ID).
    pub fn with_token_for(&self, workspace: &str, token: impl Into<Token>) -> Result<Client, ConfigError> {
        let mut client = self.with_token(token)?;
        if let Some(limiter) = &self.inner.limiter {
            if let Some(inner) = Arc::get_mut(&mut client.inner) {
                inner.limiter = Some(limiter.for_workspace(workspace));
            }
        }
        Ok(client)
    }

    /// A client for `https://slack.com/api/` with a new connection pool.
    pub fn new(token: impl Into<Token>) -> Result<Self, ConfigError> {
        Self::builder(token).build()
    }

    /// A builder for a client that sends `token` (`xoxb-…`, `xoxp-…`, `xapp-…`) with each call.
    /// An empty token is refused by [`build`](ClientBuilder::build).
    pub fn builder(token: impl Into<Token>) -> ClientBuilder {
        ClientBuilder { token: Some(token.into()), ..Self::without_token() }
    }

    /// A builder for a client without a token: for the OAuth exchange (`oauth.v2.access`,
    /// `oauth.v2.user.access`, `openid.connect.token`, `oauth.access`, `oauth.v2.exchange`),
    /// which authenticate with the app's client ID and secret, sent as HTTP Basic
    /// authentication. Any other call goes out without `Authorization` (Slack answers
    /// `not_authed`).
    ///
    /// ```no_run
    /// # async fn run(code: String) -> Result<(), Box<dyn std::error::Error>> {
    /// use slack_api::Client;
    /// use slack_api::oauth::OauthV2AccessRequest;
    ///
    /// let oauth = Client::without_token().build()?;
    /// let access = oauth
    ///     .call(&OauthV2AccessRequest::new().client_id("123.456").client_secret("s3cr3t").code(code))
    ///     .await?;
    /// let bot_token = access.access_token.unwrap_or_default();
    /// # Ok(()) }
    /// ```
    pub fn without_token() -> ClientBuilder {
        ClientBuilder {
            token: None,
            #[cfg(feature = "oauth")]
            rotation: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            http: None,
            retry: RetryPolicy::default(),
            limiter: None,
            timeout: Some(DEFAULT_ATTEMPT_TIMEOUT),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            validate_block_kit: true,
        }
    }

    /// The underlying HTTP client (no token in its default headers: the client adds it per
    /// call).
    #[cfg(any(feature = "files", feature = "app"))]
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// Calls a method. Works for every generated request type.
    ///
    /// Checks the Block Kit arguments (see [`ClientBuilder::validate_block_kit`]) and the
    /// method's argument groups, waits for the rate limiter if one is set, sends the call, and
    /// retries under the client's [`RetryPolicy`], within its
    /// [`call_timeout`](RetryPolicy::call_timeout). Runs in a `tracing` span `slack_api.call`
    /// with the method, tier, attempt and outcome (never the token or any argument). Warnings
    /// on a successful answer are logged and stay in the response.
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
        let result = self.attempts(info, args, span, decode).await;
        span.record(
            "outcome",
            match &result {
                Ok(()) => "ok".to_owned(),
                Err(f) => f.outcome(),
            }
            .as_str(),
        );
        result
    }

    async fn attempts(
        &self,
        info: &MethodInfo,
        args: &Args,
        span: &tracing::Span,
        decode: &mut (dyn FnMut(u16, &[u8]) -> Option<Failure> + Send),
    ) -> Result<(), Failure> {
        if !info.arg_groups.is_empty() {
            let names: Vec<&str> =
                args.pairs().iter().map(|(k, _)| *k).chain(args.files().iter().map(|(k, _)| *k)).collect();
            for group in info.arg_groups {
                if let Err(why) = group.check(&names) {
                    return Err(Failure::Invalid(format!("{}: {why}", info.name)));
                }
            }
        }
        let policy = &self.inner.retry;
        let started = Instant::now();
        // `None`: no limit (a call timeout too large to add to the clock).
        let call_deadline = started.checked_add(policy.call_timeout);
        let mut waited = Duration::ZERO;
        let mut attempt = 0u32;
        let mut refreshed = false;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            if let Some(limiter) = &self.inner.limiter {
                let pace = limiter.until_ready(info, args, call_deadline);
                if !pace.await {
                    return Err(Failure::Timeout { kind: TimeoutKind::Call, limit: policy.call_timeout, attempts: attempt - 1 });
                }
            }
            let (authorization, used) = self.authorization(info, args, None).await?;
            let failure = match self.send(info, args, authorization, call_deadline, attempt).await {
                Ok(Answer { status: 429, retry_after, .. }) => {
                    let wait = retry_after.unwrap_or(Duration::from_secs(1));
                    if attempt >= policy.max_attempts || !fits(waited, wait, policy, call_deadline) {
                        return Err(Failure::RateLimited { retry_after, attempts: attempt });
                    }
                    tracing::info!(
                        wait_ms = wait.as_millis() as u64,
                        "rate limited by Slack (HTTP 429); waiting as asked"
                    );
                    match &self.inner.limiter {
                        // The limiter holds the method back for every client (and replica) that
                        // shares it, this call included: its next slot comes after the pause.
                        Some(limiter) => limiter.pause(info, args, wait).await,
                        None => tokio::time::sleep(wait).await,
                    }
                    waited = waited.saturating_add(wait);
                    continue;
                }
                Ok(Answer { status, retry_after, body }) => match decode(status, &body) {
                    None => return Ok(()),
                    Some(Failure::Http { status, body, .. }) => Failure::Http { status, body, retry_after },
                    Some(f) => f,
                },
                Err(f) => f,
            };
            // A rotating token that Slack says has expired is refreshed, and the call sent
            // once more (Slack did not process it).
            if let (Failure::Api { code, .. }, Some(used), false) = (&failure, &used, refreshed) {
                if EXPIRED_TOKEN_CODES.contains(&code.as_str()) {
                    refreshed = true;
                    self.authorization(info, args, Some(used)).await?;
                    attempt -= 1;
                    continue;
                }
            }
            let retry_in = match verdict(&failure) {
                Verdict::NotProcessed(after) => Some(after.unwrap_or_else(|| policy.backoff_for(attempt))),
                Verdict::MaybeProcessed if info.idempotent || policy.retry_non_idempotent => {
                    Some(policy.backoff_for(attempt))
                }
                Verdict::MaybeProcessed | Verdict::Final => None,
            };
            match retry_in {
                Some(wait) if attempt < policy.max_attempts && fits(waited, wait, policy, call_deadline) => {
                    tracing::info!(failure = %failure.outcome(), wait_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                    waited = waited.saturating_add(wait);
                }
                _ => return Err(failure),
            }
        }
    }

    /// The `Authorization` header of a call: HTTP Basic with the client credentials for the
    /// OAuth exchange methods (which then never carry a bearer token), the bearer token
    /// otherwise. With token rotation, the token is refreshed first when it is about to expire
    /// (or when Slack refused the `stale` one). The rotating token used is returned with it.
    async fn authorization<'a>(
        &self,
        info: &MethodInfo,
        args: &'a Args,
        stale: Option<&Token>,
    ) -> Result<(Option<Auth<'a>>, Option<Token>), Failure> {
        if info.client_auth {
            return Ok((args.client_credentials().map(|(id, secret)| Auth::Basic { id, secret }), None));
        }
        let _ = stale;
        match &self.inner.credential {
            Credential::None => Ok((None, None)),
            Credential::Fixed { header, .. } => Ok((Some(Auth::Bearer(header.clone())), None)),
            #[cfg(feature = "oauth")]
            Credential::Rotating(r) => {
                // Boxed: refreshing is itself a call (of `oauth.v2.access`, which authenticates
                // with the client credentials and so never comes back here).
                let token = Box::pin(r.current(self, stale)).await.map_err(Failure::Token)?;
                let header = bearer(&token).map_err(|e| Failure::Token(e.to_string()))?;
                Ok((Some(Auth::Bearer(header)), Some(token)))
            }
        }
    }

    /// One attempt: the status, `Retry-After`, and the body, all within the attempt's limit and
    /// the call's deadline.
    async fn send(
        &self,
        info: &MethodInfo,
        args: &Args,
        authorization: Option<Auth<'_>>,
        call_deadline: Option<Instant>,
        attempt: u32,
    ) -> Result<Answer, Failure> {
        let mut url = self.inner.base_url.join(info.name).map_err(|e| Failure::Decode {
            status: 0,
            message: format!("cannot build the URL for `{}`: {e}", info.name),
            body: String::new(),
        })?;
        // The client credentials of an exchange travel in `Authorization`, not in the form.
        let skip: &[&str] = if info.client_auth && authorization.is_some() { &["client_id", "client_secret"] } else { &[] };
        let request = match info.http_method {
            HttpMethod::Get => {
                if !args.pairs().is_empty() {
                    url.set_query(Some(&args.to_form_without(skip)));
                }
                self.inner.http.get(url.clone())
            }
            HttpMethod::Post if !args.files().is_empty() => {
                let mut form = reqwest::multipart::Form::new();
                for (name, value) in args.pairs().iter().filter(|(k, _)| !skip.contains(k)) {
                    form = form.text(*name, value.clone());
                }
                for (name, file) in args.files() {
                    let part = reqwest::multipart::Part::stream(file.data.clone())
                        .file_name(file.filename.clone())
                        .mime_str(file.content_type.as_deref().unwrap_or("application/octet-stream"))
                        .map_err(|e| Failure::Invalid(format!("invalid content type for `{name}`: {e}")))?;
                    form = form.part(*name, part);
                }
                self.inner.http.post(url.clone()).multipart(form)
            }
            HttpMethod::Post => self
                .inner
                .http
                .post(url.clone())
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(args.to_form_without(skip)),
        };
        let request = match authorization {
            Some(Auth::Bearer(value)) => request.header(AUTHORIZATION, value),
            // reqwest encodes `id:secret` in base64 and marks the header sensitive.
            Some(Auth::Basic { id, secret }) => request.basic_auth(id, Some(secret)),
            None => request,
        };
        let policy = &self.inner.retry;
        // One timer per attempt: the sooner of the attempt's limit and the call's deadline.
        let attempt_deadline = self.inner.attempt_timeout.and_then(|t| Instant::now().checked_add(t));
        let (deadline, kind) = match (attempt_deadline, call_deadline) {
            (Some(a), Some(c)) if c < a => (Some(c), TimeoutKind::Call),
            (Some(a), _) => (Some(a), TimeoutKind::Attempt),
            (None, c) => (c, TimeoutKind::Call),
        };
        let exchange = self.exchange(request, &url);
        let outcome = match deadline {
            Some(d) => match tokio::time::timeout_at(d, exchange).await {
                Ok(r) => r,
                Err(_) => {
                    let limit = match kind {
                        TimeoutKind::Attempt => self.inner.attempt_timeout.unwrap_or_default(),
                        TimeoutKind::Call => policy.call_timeout,
                    };
                    return Err(Failure::Timeout { kind, limit, attempts: attempt });
                }
            },
            None => exchange.await,
        };
        outcome.map_err(|f| match f {
            // A timeout of an injected reqwest client's own.
            Failure::Transport(e) if e.is_timeout() => Failure::Timeout {
                kind: TimeoutKind::Attempt,
                limit: self.inner.attempt_timeout.unwrap_or_default(),
                attempts: attempt,
            },
            other => other,
        })
    }

    /// Sends the request and reads the answer, at most `max_response_bytes` of it.
    async fn exchange(&self, request: reqwest::RequestBuilder, url: &Url) -> Result<Answer, Failure> {
        let transport = |e: reqwest::Error| Failure::Transport(e.without_url());
        let mut response = request.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        if response.status().is_redirection() || response.url() != url {
            // Slack's API does not redirect. A client that follows redirects (an injected one)
            // has already sent the call elsewhere; either way the answer is not Slack's.
            let location = if response.url() != url {
                Some(response.url().as_str().to_owned())
            } else {
                response.headers().get(reqwest::header::LOCATION).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            };
            return Err(Failure::Redirect { status, location: location.map(|l| crate::redact::redact_url(&l)) });
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let limit = self.inner.max_response_bytes;
        let body = crate::net::read_capped(&mut response, limit).await.map_err(|e| match e {
            crate::net::ReadError::TooLarge => Failure::TooLarge { limit },
            crate::net::ReadError::Transport(e) => Failure::Transport(e),
        })?;
        Ok(Answer { status, retry_after, body })
    }
}

/// Whether waiting `wait` more stays within the policy's total wait and the call's deadline.
fn fits(waited: Duration, wait: Duration, policy: &RetryPolicy, deadline: Option<Instant>) -> bool {
    waited.saturating_add(wait) <= policy.max_total_wait
        && deadline.is_none_or(|d| Instant::now().checked_add(wait).is_some_and(|t| t < d))
}

/// How a call authenticates.
enum Auth<'a> {
    /// `Authorization: Bearer …` (marked sensitive).
    Bearer(HeaderValue),
    /// HTTP Basic with the app's client credentials (the OAuth exchange).
    Basic { id: &'a str, secret: &'a str },
}

/// `Retry-After` as a wait: whole or fractional seconds, or an HTTP date (a date in the past
/// means now). Absurdly large values saturate rather than overflow; the caller reports them.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if value.starts_with(|c: char| c.is_ascii_digit()) {
        if let Ok(secs) = value.parse::<f64>() {
            return (secs.is_finite() && secs >= 0.0)
                .then(|| Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX));
        }
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
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

/// Reads the envelope: is this a success, a Slack error, or something else? Every field but
/// `ok` and `error` is optional and of any shape: one of an unexpected shape is kept in the
/// error's `fields`, never allowed to hide the error code.
fn classify(status: u16, body: &[u8]) -> Outcome {
    let http_ok = (200..300).contains(&status);
    let decode = |message: String| Outcome::Failed(Failure::Decode { status, message, body: snippet(body) });
    let mut fields = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => map,
        Ok(_) | Err(_) if !http_ok => {
            return Outcome::Failed(Failure::Http { status, body: snippet(body), retry_after: None });
        }
        Ok(_) => return decode("the response is not a JSON object".into()),
        Err(e) => return decode(e.to_string()),
    };
    match fields.get("ok") {
        Some(serde_json::Value::Bool(true)) => Outcome::Ok,
        Some(serde_json::Value::Bool(false)) => {
            let code = match fields.remove("error") {
                Some(serde_json::Value::String(code)) if !code.is_empty() => code,
                Some(serde_json::Value::String(_)) => return decode("`ok` is false but `error` is empty".into()),
                Some(other) => {
                    fields.insert("error".into(), other);
                    return decode("`ok` is false but `error` is not a string".into());
                }
                None => return decode("`ok` is false but there is no `error` code".into()),
            };
            fields.remove("ok");
            let body = crate::error::ErrorBody::from_fields(fields);
            Outcome::Failed(Failure::Api { status, code, body: Box::new(body) })
        }
        _ if !http_ok => Outcome::Failed(Failure::Http { status, body: snippet(body), retry_after: None }),
        Some(_) => decode("`ok` is not a boolean".into()),
        None => decode("the response has no `ok` field".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 1.5 ", now), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry_after("18446744073709551615", now), Some(Duration::from_secs(u64::MAX)));
        assert_eq!(parse_retry_after("1e400", now), None);
        assert_eq!(parse_retry_after("99999999999999999999999.5", now), Some(Duration::MAX));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn client_credentials_go_as_http_basic() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder().build().unwrap();
        for ((id, secret), header) in [
            (("123.456", "s3cr3t"), "Basic MTIzLjQ1NjpzM2NyM3Q="),
            (("a", "b"), "Basic YTpi"),
            (("ab", "c"), "Basic YWI6Yw=="),
        ] {
            let request = http.get("https://slack.com/api/x").basic_auth(id, Some(secret)).build().unwrap();
            let value = request.headers().get(AUTHORIZATION).unwrap();
            assert_eq!(value, header);
            assert!(value.is_sensitive());
        }
    }
}
