//! The install flow: "Add to Slack", the OAuth redirect, and the code exchange.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;

use super::record::Installation;
use super::scopes::{MissingScopes, missing_scopes, required_scopes};
use super::state::{SignedStates, StateCheck, StateStore};
use super::store::{InstallationStore, StoreError};
use crate::app::HttpResponse;
use crate::auth::AuthTestRequest;
use crate::token::Token;
use crate::{MethodInfo, TokenType};
use crate::oauth::OauthV2AccessRequest;
use crate::Client;

/// Slack's authorization page.
pub const DEFAULT_AUTHORIZE_URL: &str = "https://slack.com/oauth/v2/authorize";

/// How long an install may take from "Add to Slack" to the redirect, by default.
pub const DEFAULT_STATE_TTL: Duration = Duration::from_secs(600);

/// The cookie that binds a state to the browser that started the install.
pub const DEFAULT_STATE_COOKIE: &str = "slack-app-oauth-state";

pub(crate) type SuccessFn = Arc<dyn Fn(&Installation) -> HttpResponse + Send + Sync>;
pub(crate) type FailureFn = Arc<dyn Fn(&InstallError) -> HttpResponse + Send + Sync>;

/// Why an install did not complete. Each is answered with a page (see
/// [`InstallFlow::on_failure`]) and nothing is stored.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum InstallError {
    /// The user declined (`error=access_denied`), or Slack sent another `error`.
    Denied(String),
    /// The redirect has no `state`.
    MissingState,
    /// The browser did not send the state cookie: the install was started in another browser
    /// (or the cookie expired), so this redirect may be someone else's.
    MissingCookie,
    /// The state does not match the browser's cookie.
    StateMismatch,
    /// A state this app never issued, or one altered.
    ForgedState,
    /// The state's time ran out (10 minutes by default).
    ExpiredState,
    /// The state was used before.
    ReplayedState,
    /// The redirect has a state but no `code`.
    MissingCode,
    /// `oauth.v2.access` (or the `auth.test` after it) failed.
    Exchange(String),
    /// The installation could not be stored, or the state store failed.
    Store(StoreError),
}

impl std::fmt::Display for InstallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InstallError::Denied(code) if code == "access_denied" => f.write_str("the installation was cancelled (access_denied)"),
            InstallError::Denied(code) => write!(f, "Slack refused the installation: {code}"),
            InstallError::MissingState => f.write_str("the redirect carries no state"),
            InstallError::MissingCookie => {
                f.write_str("this browser did not start the installation (no state cookie); start again from the install page")
            }
            InstallError::StateMismatch => f.write_str("the state does not belong to this browser's installation"),
            InstallError::ForgedState => f.write_str("the state was not issued by this app"),
            InstallError::ExpiredState => f.write_str("the installation took too long (its state expired); start again"),
            InstallError::ReplayedState => f.write_str("this state was already used; start again from the install page"),
            InstallError::MissingCode => f.write_str("the redirect carries no code"),
            InstallError::Exchange(e) => write!(f, "exchanging the code with Slack failed: {e}"),
            InstallError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for InstallError {}

impl InstallError {
    /// The HTTP status of the default failure page.
    pub fn status(&self) -> u16 {
        match self {
            InstallError::Denied(_) => 200,
            InstallError::Exchange(_) => 502,
            InstallError::Store(_) => 503,
            _ => 400,
        }
    }
}

/// The OAuth install flow and the installations it makes, for an app that many workspaces
/// install. Given to [`App::oauth`](crate::app::App::oauth), it serves the install page
/// (`GET /slack/install`) and the redirect (`GET /slack/oauth_redirect`) beside the app's
/// Slack endpoint, stores each installation, and gives every payload's listener a client with
/// its workspace's bot token.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use slack_api::Method;
/// use slack_api::chat::ChatPostMessageRequest;
/// use slack_api::install::{InstallFlow, SqliteStore};
///
/// let flow = InstallFlow::new(std::env::var("SLACK_CLIENT_ID")?, std::env::var("SLACK_CLIENT_SECRET")?, SqliteStore::open("app.db")?)
///     .calls(&[ChatPostMessageRequest::INFO]) // bot scopes from the spec: chat:write
///     .bot_scopes(["commands"]);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct InstallFlow {
    pub(crate) inner: Arc<Flow>,
}

pub(crate) struct Flow {
    pub client_id: String,
    pub client_secret: Token,
    pub bot_scopes: Vec<String>,
    pub user_scopes: Vec<String>,
    pub calls: Vec<&'static MethodInfo>,
    pub redirect_uri: Option<String>,
    pub install_path: String,
    pub redirect_path: String,
    pub authorize_url: String,
    pub states: Arc<dyn StateStore>,
    pub store: Arc<dyn InstallationStore>,
    pub state_ttl: Duration,
    pub cookie: String,
    pub secure_cookie: bool,
    pub direct_install: bool,
    pub on_success: Option<SuccessFn>,
    pub on_failure: Option<FailureFn>,
    pub refresh_margin: Duration,
}

impl std::fmt::Debug for InstallFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let i = &self.inner;
        f.debug_struct("InstallFlow")
            .field("client_id", &i.client_id)
            .field("client_secret", &crate::redact::Redacted)
            .field("bot_scopes", &self.scopes())
            .field("user_scopes", &i.user_scopes)
            .field("install_path", &i.install_path)
            .field("redirect_path", &i.redirect_path)
            .field("store", &i.store.name())
            .finish_non_exhaustive()
    }
}

impl InstallFlow {
    /// The flow of the app with this client ID and secret (its Basic Information page),
    /// keeping installations in `store`. States are signed with a key derived from the
    /// client secret ([`SignedStates`]), so every replica checks them alike.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>, store: impl InstallationStore) -> Self {
        let client_secret: String = client_secret.into();
        let state_key = {
            use hmac::{Hmac, Mac};
            let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(client_secret.as_bytes()).unwrap_or_else(|_| unreachable!());
            mac.update(b"slack-api oauth state key");
            mac.finalize().into_bytes().to_vec()
        };
        InstallFlow {
            inner: Arc::new(Flow {
                client_id: client_id.into(),
                client_secret: Token::new(client_secret),
                bot_scopes: Vec::new(),
                user_scopes: Vec::new(),
                calls: Vec::new(),
                redirect_uri: None,
                install_path: "/slack/install".into(),
                redirect_path: "/slack/oauth_redirect".into(),
                authorize_url: DEFAULT_AUTHORIZE_URL.into(),
                states: Arc::new(SignedStates::new(state_key)),
                store: Arc::new(store),
                state_ttl: DEFAULT_STATE_TTL,
                cookie: DEFAULT_STATE_COOKIE.into(),
                secure_cookie: true,
                direct_install: false,
                on_success: None,
                on_failure: None,
                refresh_margin: crate::DEFAULT_REFRESH_MARGIN,
            }),
        }
    }

    fn edit(mut self, f: impl FnOnce(&mut Flow)) -> Self {
        match Arc::get_mut(&mut self.inner) {
            Some(flow) => f(flow),
            None => tracing::error!("slack_api.install: an InstallFlow is configured after it was shared; the setting is ignored"),
        }
        self
    }

    /// Bot scopes to request, besides those of [`calls`](Self::calls).
    #[must_use]
    pub fn bot_scopes<S: Into<String>>(self, scopes: impl IntoIterator<Item = S>) -> Self {
        let scopes: Vec<String> = scopes.into_iter().map(Into::into).collect();
        self.edit(|f| f.bot_scopes.extend(scopes))
    }

    /// User scopes to request (a user token for the installing user).
    #[must_use]
    pub fn user_scopes<S: Into<String>>(self, scopes: impl IntoIterator<Item = S>) -> Self {
        let scopes: Vec<String> = scopes.into_iter().map(Into::into).collect();
        self.edit(|f| f.user_scopes.extend(scopes))
    }

    /// The methods the app calls with its bot token (`ChatPostMessageRequest::INFO`, …): the
    /// bot scopes they need, from the spec, are requested, and after every install the granted
    /// scopes are checked against them ([`missing_scopes`](Self::missing_scopes)).
    #[must_use]
    pub fn calls(self, methods: &[&'static MethodInfo]) -> Self {
        let methods = methods.to_vec();
        self.edit(|f| f.calls.extend(methods))
    }

    /// The `redirect_uri` sent to Slack (one of the app's configured redirect URLs); Slack
    /// uses the first configured one without it.
    #[must_use]
    pub fn redirect_uri(self, uri: impl Into<String>) -> Self {
        let uri = uri.into();
        self.edit(|f| f.redirect_uri = Some(uri))
    }

    /// Where the install page is served (`/slack/install` by default).
    #[must_use]
    pub fn install_path(self, path: impl Into<String>) -> Self {
        let path = path.into();
        self.edit(|f| f.install_path = path)
    }

    /// Where Slack redirects after the user's choice (`/slack/oauth_redirect` by default; the
    /// path of [`redirect_uri`](Self::redirect_uri)).
    #[must_use]
    pub fn redirect_path(self, path: impl Into<String>) -> Self {
        let path = path.into();
        self.edit(|f| f.redirect_path = path)
    }

    /// Another authorization page than Slack's (a stand-in, in tests).
    #[must_use]
    pub fn authorize_url(self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.edit(|f| f.authorize_url = url)
    }

    /// Another state store ([`SignedStates`] with a shared backend for replicas,
    /// [`StoredStates`](super::StoredStates)).
    #[must_use]
    pub fn state_store(self, states: impl StateStore) -> Self {
        self.edit(|f| f.states = Arc::new(states))
    }

    /// How long an install may take (10 minutes by default).
    #[must_use]
    pub fn state_ttl(self, ttl: Duration) -> Self {
        self.edit(|f| f.state_ttl = ttl)
    }

    /// Whether the state cookie is `Secure` (sent over HTTPS only; on by default — turn it
    /// off only for plain-HTTP development hosts).
    #[must_use]
    pub fn secure_cookie(self, on: bool) -> Self {
        self.edit(|f| f.secure_cookie = on)
    }

    /// The install path redirects straight to Slack instead of showing a page with an
    /// "Add to Slack" link.
    #[must_use]
    pub fn direct_install(self, on: bool) -> Self {
        self.edit(|f| f.direct_install = on)
    }

    /// The page shown after an installation is stored (the default thanks the user).
    #[must_use]
    pub fn on_success(self, page: impl Fn(&Installation) -> HttpResponse + Send + Sync + 'static) -> Self {
        self.edit(|f| f.on_success = Some(Arc::new(page)))
    }

    /// The page shown when an install fails (the default explains [`InstallError`] with its
    /// [`status`](InstallError::status)).
    #[must_use]
    pub fn on_failure(self, page: impl Fn(&InstallError) -> HttpResponse + Send + Sync + 'static) -> Self {
        self.edit(|f| f.on_failure = Some(Arc::new(page)))
    }

    /// How long before its expiry a rotating bot token is refreshed (5 minutes by default).
    #[must_use]
    pub fn refresh_margin(self, margin: Duration) -> Self {
        self.edit(|f| f.refresh_margin = margin)
    }

    /// The installations.
    pub fn store(&self) -> &dyn InstallationStore {
        &*self.inner.store
    }

    /// The bot scopes requested: those given and those of the methods the app calls.
    pub fn scopes(&self) -> Vec<String> {
        let mut all: Vec<String> = self.inner.bot_scopes.clone();
        all.extend(required_scopes(&self.inner.calls, TokenType::Bot).into_iter().map(str::to_owned));
        all.sort();
        all.dedup();
        all
    }

    /// What an installation's bot token lacks for the methods the app calls, by method.
    pub fn missing_scopes(&self, installation: &Installation) -> Vec<MissingScopes> {
        missing_scopes(&self.inner.calls, TokenType::Bot, &installation.bot_scopes)
    }

    /// The authorization URL for a state: Slack's page (or the configured one) with the
    /// client ID, scopes, user scopes, redirect URI and state; `team` preselects a workspace.
    pub fn install_url(&self, state: &str, team: Option<&str>) -> String {
        let i = &self.inner;
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("client_id", &i.client_id);
        q.append_pair("scope", &self.scopes().join(","));
        if !i.user_scopes.is_empty() {
            q.append_pair("user_scope", &i.user_scopes.join(","));
        }
        if let Some(uri) = &i.redirect_uri {
            q.append_pair("redirect_uri", uri);
        }
        q.append_pair("state", state);
        if let Some(team) = team.filter(|t| !t.is_empty()) {
            q.append_pair("team", team);
        }
        let sep = if i.authorize_url.contains('?') { '&' } else { '?' };
        format!("{}{sep}{}", i.authorize_url, q.finish())
    }

    /// Answers a request to the install or redirect path; `None` for any other request.
    pub(crate) async fn route(&self, parts: &http::request::Parts, client: &Client) -> Option<HttpResponse> {
        if parts.method != http::Method::GET {
            return None;
        }
        let path = parts.uri.path();
        if path == self.inner.install_path {
            Some(self.install_page(parts).await)
        } else if path == self.inner.redirect_path {
            Some(self.redirect(parts, client).await)
        } else {
            None
        }
    }

    /// The install page: a new state in a cookie, and the link to Slack (or a redirect to it).
    pub async fn install_page(&self, parts: &http::request::Parts) -> HttpResponse {
        let i = &self.inner;
        let state = match i.states.issue(i.state_ttl).await {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "slack_api.install: could not issue an OAuth state");
                return self.failure(&InstallError::Store(e));
            }
        };
        let query = query(parts);
        let url = self.install_url(&state, query.iter().find(|(k, _)| k == "team").map(|(_, v)| v.as_str()));
        let mut resp = if i.direct_install {
            let mut r = page(302, "Redirecting to Slack…", "");
            if let Ok(v) = http::HeaderValue::from_str(&url) {
                r.headers_mut().insert(http::header::LOCATION, v);
            }
            r
        } else {
            page(200, "Install this app", &format!("<p><a href=\"{}\">Add to Slack</a></p>", escape(&url)))
        };
        let cookie = format!(
            "{}={state}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}",
            i.cookie,
            i.state_ttl.as_secs(),
            if i.secure_cookie { "; Secure" } else { "" }
        );
        if let Ok(v) = http::HeaderValue::from_str(&cookie) {
            resp.headers_mut().insert(http::header::SET_COOKIE, v);
        }
        resp
    }

    /// The redirect: checks the state, exchanges the code, stores the installation.
    pub async fn redirect(&self, parts: &http::request::Parts, client: &Client) -> HttpResponse {
        let mut resp = match self.complete(parts, client).await {
            Ok(installation) => {
                tracing::info!(installation = %installation.key(), app = ?installation.app_id, "slack_api.install: installed");
                match &self.inner.on_success {
                    Some(f) => f(&installation),
                    None => page(200, "Installed", "<p>The app is installed. You can close this page and return to Slack.</p>"),
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "slack_api.install: an installation failed; nothing was stored");
                self.failure(&e)
            }
        };
        // The state is spent either way: the cookie goes.
        let clear = format!("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax", self.inner.cookie);
        if let Ok(v) = http::HeaderValue::from_str(&clear) {
            resp.headers_mut().append(http::header::SET_COOKIE, v);
        }
        resp
    }

    fn failure(&self, e: &InstallError) -> HttpResponse {
        match &self.inner.on_failure {
            Some(f) => f(e),
            None => page(e.status(), "Installation failed", &format!("<p>{}</p>", escape(&e.to_string()))),
        }
    }

    async fn complete(&self, parts: &http::request::Parts, client: &Client) -> Result<Installation, InstallError> {
        let i = &self.inner;
        let q = query(parts);
        let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        let state = get("state").filter(|s| !s.is_empty());
        if let Some(code) = get("error") {
            // The user's choice; spend the state so that the redirect cannot be used again.
            if let Some(state) = state {
                let _ = i.states.consume(state).await;
            }
            return Err(InstallError::Denied(code.to_owned()));
        }
        let state = state.ok_or(InstallError::MissingState)?;
        let cookie = cookie(parts, &i.cookie).ok_or(InstallError::MissingCookie)?;
        if !constant_time_eq(cookie.as_bytes(), state.as_bytes()) {
            return Err(InstallError::StateMismatch);
        }
        match i.states.consume(state).await.map_err(InstallError::Store)? {
            StateCheck::Valid => {}
            StateCheck::Forged => return Err(InstallError::ForgedState),
            StateCheck::Expired => return Err(InstallError::ExpiredState),
            StateCheck::Replayed => return Err(InstallError::ReplayedState),
        }
        let code = get("code").filter(|c| !c.is_empty()).ok_or(InstallError::MissingCode)?;
        let mut request = OauthV2AccessRequest::new()
            .client_id(i.client_id.as_str())
            .client_secret(i.client_secret.secret())
            .code(code);
        if let Some(uri) = &i.redirect_uri {
            request = request.redirect_uri(uri.as_str());
        }
        let answer = client.call(&request).await.map_err(|e| InstallError::Exchange(format!("oauth.v2.access: {e}")))?;
        let mut installation = Installation::from_oauth(&answer);
        if installation.team_id.is_none() && installation.enterprise_id.is_none() {
            return Err(InstallError::Exchange("oauth.v2.access answered with neither a team nor an enterprise".into()));
        }
        if let Some(token) = &installation.bot_token {
            let bot = client.with_token(token.clone()).map_err(|e| InstallError::Exchange(format!("the bot token: {e}")))?;
            let who = bot.call(&AuthTestRequest::new()).await.map_err(|e| InstallError::Exchange(format!("auth.test: {e}")))?;
            installation.bot_id = who.bot_id;
            if installation.bot_user_id.is_none() {
                installation.bot_user_id = who.user_id;
            }
        }
        for m in self.missing_scopes(&installation) {
            tracing::warn!(installation = %installation.key(), "slack_api.install: the bot token lacks scopes: {m}");
        }
        i.store.save(&installation).await.map_err(InstallError::Store)?;
        Ok(installation)
    }
}

/// A small HTML page.
pub fn page(status: u16, title: &str, body_html: &str) -> HttpResponse {
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{t}</title></head><body><h1>{t}</h1>{body_html}</body></html>",
        t = escape(title)
    );
    let mut resp = http::Response::new(Full::new(Bytes::from(html)));
    *resp.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("text/html; charset=utf-8"));
    resp.headers_mut().insert(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
    resp
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn query(parts: &http::request::Parts) -> Vec<(String, String)> {
    form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes()).into_owned().collect()
}

/// The value of cookie `name`, from every `Cookie` header.
fn cookie(parts: &http::request::Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"').to_owned())
        .filter(|v| !v.is_empty())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
