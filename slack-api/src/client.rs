//! The client: one generic [`Client::call`] for every method.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::Url;
use tokio::time::Instant;
use tracing::Instrument;

use crate::decode::decode;
use crate::error::{AnyError, ConfigError, Error, TimeoutKind};
use crate::{HttpMethod, Method};
use crate::ratelimit::RateLimiter;
use crate::request::EncodedRequest;
use crate::retry::{Decision, Progress, RetryPolicy, decide};
#[cfg(feature = "oauth")]
use crate::rotation::TokenRotation;
#[cfg(feature = "oauth")]
use crate::token::{Granted, RefreshRequest};
use crate::token::{Token, bearer};

/// Where Slack's Web API lives.
pub const DEFAULT_BASE_URL: &str = "https://slack.com/api/";

/// The default limit on each attempt: from sending the request to reading the whole answer.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default limit on the size of an answer.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

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
    /// Checks the request ([`encode_request`](crate::encode_request): the method's argument
    /// groups, and its Block Kit arguments unless [`ClientBuilder::validate_block_kit`] turned
    /// that off), then sends it — waiting for the rate limiter if one is set — and retries under
    /// the client's [`RetryPolicy`], within its [`call_timeout`](RetryPolicy::call_timeout).
    /// Runs in a `tracing` span `slack_api.call` with the method, tier, attempt and outcome
    /// (never the token or any argument). Warnings on a successful answer are logged and stay
    /// in the response.
    pub async fn call<M: Method>(&self, request: &M) -> Result<M::Response, Error<M::Error>> {
        let request = EncodedRequest::new(request, self.inner.validate_block_kit).map_err(AnyError::typed)?;
        let mut call = Call::new(self, &request);
        let span = call.span.clone();
        // Only this loop knows the method's types; each step it takes is shared by every method.
        async move {
            loop {
                let failure = match call.attempt().await {
                    Ok(raw) => match decode::<M::Response>(M::INFO.name, raw.status, &raw.body, raw.retry_after) {
                        Ok(response) => return Ok(call.succeeded(response)),
                        Err(failure) => failure,
                    },
                    Err(failure) => failure,
                };
                call.after_failure(failure).await?;
            }
        }
        .instrument(span)
        .await
        .map_err(AnyError::typed)
    }

    /// The bearer token's header for a call, and the rotating token it carries: the fixed
    /// token, or with token rotation the current one, refreshed first when it is about to
    /// expire or when it is `stale` (Slack refused it).
    async fn bearer(&self, stale: Option<&Token>) -> Result<(Option<HeaderValue>, Option<Token>), AnyError> {
        let _ = stale;
        match &self.inner.credential {
            Credential::None => Ok((None, None)),
            Credential::Fixed { header, .. } => Ok((Some(header.clone()), None)),
            #[cfg(feature = "oauth")]
            Credential::Rotating(r) => {
                let token = r.current(stale, |request| self.refresh_token(request)).await.map_err(Error::TokenRefresh)?;
                let header = bearer(&token).map_err(|e| Error::TokenRefresh(e.to_string()))?;
                Ok((Some(header), Some(token)))
            }
        }
    }

    /// Exchanges a refresh token for new tokens: `oauth.v2.access` with
    /// `grant_type=refresh_token`, authenticated with the app's credentials. The one refresh
    /// call, for the token rotation of a client and for the installations' bot tokens. An
    /// answer without an access token is an error.
    #[cfg(feature = "oauth")]
    pub(crate) async fn refresh_token(&self, request: RefreshRequest) -> Result<Granted, String> {
        let call = crate::oauth::OauthV2AccessRequest::new()
            .client_id(request.client_id)
            .client_secret(request.client_secret.secret())
            .grant_type("refresh_token")
            .refresh_token(request.refresh_token.secret());
        // Boxed: a client with token rotation refreshes from inside a call; this call
        // authenticates with the client credentials and so never comes back here.
        let answer = Box::pin(self.call(&call)).await.map_err(|e| format!("oauth.v2.access: {e}"))?;
        let Some(access) = answer.access_token.filter(|t| !t.is_empty()) else {
            return Err("oauth.v2.access answered without an `access_token`".into());
        };
        Ok(Granted {
            access_token: Token::new(access),
            refresh_token: answer.refresh_token.filter(|t| !t.is_empty()).map(Token::new),
            expires_at: answer
                .expires_in
                .and_then(|s| u64::try_from(s).ok())
                .and_then(|s| SystemTime::now().checked_add(Duration::from_secs(s))),
            scope: answer.scope,
        })
    }

    /// One attempt: sends `request` with `auth`, and reads the status, `Retry-After` and the
    /// whole body, within the attempt's limit and the call's `deadline`. Every failure to get
    /// an answer is the outcome's error; the answer itself is not judged here.
    async fn send(
        &self,
        request: &EncodedRequest,
        auth: Option<Auth<'_>>,
        deadline: Option<Instant>,
        attempt: u32,
    ) -> Result<RawResponse, AnyError> {
        let name = request.method().name;
        let mut url = self.inner.base_url.join(name).map_err(|e| Error::Decode {
            status: 0,
            message: format!("cannot build the URL for `{name}`: {e}"),
            body: String::new(),
        })?;
        let builder = match request.method().http_method {
            HttpMethod::Get => {
                if !request.args().pairs().is_empty() {
                    url.set_query(Some(&request.form()));
                }
                self.inner.http.get(url.clone())
            }
            HttpMethod::Post if !request.args().files().is_empty() => {
                self.inner.http.post(url.clone()).multipart(multipart(request)?)
            }
            HttpMethod::Post => self
                .inner
                .http
                .post(url.clone())
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(request.form()),
        };
        let builder = match auth {
            Some(Auth::Bearer(value)) => builder.header(AUTHORIZATION, value),
            // reqwest encodes `id:secret` in base64 and marks the header sensitive.
            Some(Auth::Basic { id, secret }) => builder.basic_auth(id, Some(secret)),
            None => builder,
        };
        // One timer per attempt: the sooner of the attempt's limit and the call's deadline.
        let attempt_deadline = self.inner.attempt_timeout.and_then(|t| Instant::now().checked_add(t));
        let (deadline, kind) = match (attempt_deadline, deadline) {
            (Some(a), Some(c)) if c < a => (Some(c), TimeoutKind::Call),
            (Some(a), _) => (Some(a), TimeoutKind::Attempt),
            (None, c) => (c, TimeoutKind::Call),
        };
        let exchange = self.exchange(builder, &url);
        let outcome = match deadline {
            Some(d) => match tokio::time::timeout_at(d, exchange).await {
                Ok(r) => r,
                Err(_) => {
                    let limit = match kind {
                        TimeoutKind::Attempt => self.inner.attempt_timeout.unwrap_or_default(),
                        TimeoutKind::Call => self.inner.retry.call_timeout,
                    };
                    return Err(Error::Timeout { kind, limit, attempts: attempt });
                }
            },
            None => exchange.await,
        };
        outcome.map_err(|f| match f {
            // A timeout of an injected reqwest client's own.
            Error::Transport(e) if e.is_timeout() => Error::Timeout {
                kind: TimeoutKind::Attempt,
                limit: self.inner.attempt_timeout.unwrap_or_default(),
                attempts: attempt,
            },
            other => other,
        })
    }

    /// Sends the request and reads the answer, at most `max_response_bytes` of it.
    async fn exchange(&self, request: reqwest::RequestBuilder, url: &Url) -> Result<RawResponse, AnyError> {
        let transport = |e: reqwest::Error| Error::Transport(e.without_url());
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
            return Err(Error::Redirect { status, location: location.map(|l| crate::redact::redact_url(&l)) });
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let limit = self.inner.max_response_bytes;
        let body = crate::net::read_capped(&mut response, limit).await.map_err(|e| match e {
            crate::net::ReadError::TooLarge => Error::ResponseTooLarge { limit },
            crate::net::ReadError::Transport(e) => Error::Transport(e),
        })?;
        Ok(RawResponse { status, retry_after, body })
    }
}

/// How a call authenticates.
enum Auth<'a> {
    /// `Authorization: Bearer …` (marked sensitive).
    Bearer(HeaderValue),
    /// HTTP Basic with the app's client credentials (the OAuth exchange).
    Basic { id: &'a str, secret: &'a str },
}

/// What one attempt got back, before it is decoded: the status, `Retry-After` and the body.
struct RawResponse {
    status: u16,
    retry_after: Option<Duration>,
    body: bytes::Bytes,
}

/// One call under way: the request, and how far it has got. Its steps are the same for every
/// method; [`Client::call`] strings them together with the method's decoding.
struct Call<'a> {
    client: &'a Client,
    request: &'a EncodedRequest,
    span: tracing::Span,
    started: Instant,
    /// `None`: no limit (a call timeout too large to add to the clock).
    deadline: Option<Instant>,
    attempt: u32,
    waited: Duration,
    /// The rotating token the last attempt carried.
    used: Option<Token>,
    /// Whether the rotating token was refreshed after Slack refused it (once per call).
    refreshed: bool,
}

impl<'a> Call<'a> {
    fn new(client: &'a Client, request: &'a EncodedRequest) -> Self {
        let info = request.method();
        let span = tracing::info_span!(
            "slack_api.call",
            method = info.name,
            tier = ?info.rate_limit,
            attempt = tracing::field::Empty,
            outcome = tracing::field::Empty,
        );
        let started = Instant::now();
        let deadline = started.checked_add(client.inner.retry.call_timeout);
        Call { client, request, span, started, deadline, attempt: 0, waited: Duration::ZERO, used: None, refreshed: false }
    }

    /// The next attempt: paced by the rate limiter, authorized, sent, read. An HTTP 429 is the
    /// outcome [`Error::RateLimited`] (its body is not read as Slack's answer).
    async fn attempt(&mut self) -> Result<RawResponse, AnyError> {
        self.attempt += 1;
        self.span.record("attempt", self.attempt);
        let (info, args) = (self.request.method(), self.request.args());
        if let Some(limiter) = &self.client.inner.limiter {
            if !limiter.until_ready(info, args, self.deadline).await {
                let limit = self.client.inner.retry.call_timeout;
                return Err(Error::Timeout { kind: TimeoutKind::Call, limit, attempts: self.attempt - 1 });
            }
        }
        // The OAuth exchange authenticates with the app's credentials, never with a token.
        let auth = match self.request.basic_auth() {
            Some((id, secret)) => Some(Auth::Basic { id, secret }),
            None if self.request.client_auth() => None,
            None => {
                let (header, used) = self.client.bearer(None).await?;
                self.used = used;
                header.map(Auth::Bearer)
            }
        };
        let raw = self.client.send(self.request, auth, self.deadline, self.attempt).await?;
        if raw.status == 429 {
            return Err(Error::RateLimited { retry_after: raw.retry_after, attempts: self.attempt });
        }
        Ok(raw)
    }

    /// After a failed attempt: `Ok` once it is time to try again, or the failure when it is
    /// final.
    async fn after_failure(&mut self, failure: AnyError) -> Result<(), AnyError> {
        // A rotating token that Slack says has expired is refreshed, and the call sent once
        // more (Slack did not process it): that attempt does not count.
        if let (Error::Api(e), Some(used), false) = (&failure, &self.used, self.refreshed) {
            if EXPIRED_TOKEN_CODES.contains(&e.error.code.as_str()) {
                self.refreshed = true;
                if let Err(e) = self.client.bearer(Some(used)).await {
                    return Err(self.failed(e));
                }
                self.attempt -= 1;
                return Ok(());
            }
        }
        let progress = Progress { attempt: self.attempt, elapsed: self.started.elapsed(), waited: self.waited };
        let wait = match decide(&self.client.inner.retry, &failure, self.request.method().idempotent, progress) {
            Decision::Retry(wait) => wait,
            Decision::GiveUp => return Err(self.failed(failure)),
        };
        let wait_ms = wait.as_millis() as u64;
        match (&failure, &self.client.inner.limiter) {
            (Error::RateLimited { .. }, limiter) => {
                tracing::info!(wait_ms, "rate limited by Slack (HTTP 429); waiting as asked");
                match limiter {
                    // The limiter holds the method back for every client (and replica) that
                    // shares it, this call included: its next slot comes after the pause.
                    Some(limiter) => limiter.pause(self.request.method(), self.request.args(), wait).await,
                    None => tokio::time::sleep(wait).await,
                }
            }
            _ => {
                tracing::info!(failure = %failure.outcome(), wait_ms, "retrying");
                tokio::time::sleep(wait).await;
            }
        }
        self.waited = self.waited.saturating_add(wait);
        Ok(())
    }

    /// The call's answer; the span records its outcome.
    fn succeeded<R>(&self, response: R) -> R {
        self.span.record("outcome", "ok");
        response
    }

    /// The call's final failure; the span records its outcome.
    fn failed(&self, failure: AnyError) -> AnyError {
        self.span.record("outcome", failure.outcome().as_str());
        failure
    }
}

/// The `multipart/form-data` body of a call with files (the client credentials of an
/// exchange left out: they travel as HTTP Basic authentication).
fn multipart(request: &EncodedRequest) -> Result<reqwest::multipart::Form, AnyError> {
    let skip = request.sent_apart();
    let args = request.args();
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in args.pairs().iter().filter(|(k, _)| !skip.contains(k)) {
        form = form.text(*name, value.clone());
    }
    for (name, file) in args.files() {
        let part = reqwest::multipart::Part::stream(file.data.clone())
            .file_name(file.filename.clone())
            .mime_str(file.content_type.as_deref().unwrap_or("application/octet-stream"))
            .map_err(|e| Error::InvalidRequest(format!("invalid content type for `{name}`: {e}")))?;
        form = form.part(*name, part);
    }
    Ok(form)
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
