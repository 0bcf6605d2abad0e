//! The client: one generic [`Client::call`] for every method.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::Url;
use serde::Deserialize;

use crate::error::{ApiError, ConfigError, Error, snippet};
use crate::method::{HttpMethod, Method, MethodError, MethodInfo};
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
/// println!("{:?}", page.get("users"));
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
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("token", &self.inner.token)
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
}

impl ClientBuilder {
    /// Sends calls to `url` instead of `https://slack.com/api/` (a proxy, a test server). Plain
    /// `http://` is accepted only for loopback addresses.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Uses this reqwest client (for its proxy, timeout or TLS settings) instead of a new one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
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
                reqwest::Client::builder()
                    .user_agent(concat!("slack-api-rs/", env!("CARGO_PKG_VERSION")))
                    .build()
                    .map_err(|e| ConfigError::Http(e.to_string()))?
            }
        };
        Ok(Client { inner: Arc::new(Inner { http, base_url, authorization, token: self.token }) })
    }
}

fn is_loopback(url: &Url) -> bool {
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
    Ok,
    Failed(Failure),
}

enum Failure {
    Api { status: u16, code: String, body: Box<ErrorBody> },
    Http { status: u16, body: String },
    Decode { status: u16, message: String, body: String },
    Transport(reqwest::Error),
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
            Failure::Transport(e) => Error::Transport(e),
        }
    }
}

impl Client {
    /// A client for `https://slack.com/api/` with a new connection pool.
    pub fn new(token: impl Into<Token>) -> Result<Self, ConfigError> {
        Self::builder(token).build()
    }

    pub fn builder(token: impl Into<Token>) -> ClientBuilder {
        ClientBuilder { token: token.into(), base_url: DEFAULT_BASE_URL.to_owned(), http: None }
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// Calls a method. Works for every generated request type.
    pub async fn call<M: Method>(&self, request: &M) -> Result<M::Response, Error<M::Error>> {
        let mut args = Args::new();
        request.write_args(&mut args);
        let (status, body) = self.send(M::INFO, &args).await.map_err(Failure::typed)?;
        match classify(status, &body) {
            Outcome::Ok => serde_json::from_slice(&body).map_err(|e| Error::Decode {
                status,
                message: e.to_string(),
                body: snippet(&body),
            }),
            Outcome::Failed(f) => Err(f.typed()),
        }
    }

    /// Sends the arguments; shared by every method, so not generic.
    async fn send(&self, info: &MethodInfo, args: &Args) -> Result<(u16, bytes::Bytes), Failure> {
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
                        .map_err(|e| Failure::Decode {
                            status: 0,
                            message: format!("invalid content type for `{name}`: {e}"),
                            body: String::new(),
                        })?;
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
        let response = request
            .header(AUTHORIZATION, self.inner.authorization.clone())
            .send()
            .await
            .map_err(Failure::Transport)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(Failure::Transport)?;
        Ok((status, body))
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
