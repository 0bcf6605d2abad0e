//! Refresh-token rotation: a bearer token that the client renews itself before it expires.
//!
//! With token rotation on, Slack's access tokens expire (after 12 hours) and come with a refresh
//! token; `oauth.v2.access` with `grant_type=refresh_token` exchanges the refresh token for a
//! new access token *and a new refresh token*, which replaces the old one. [`TokenRotation`]
//! holds that state for a client: before a call it checks the expiry and, when the token is
//! about to run out (or Slack answers `token_expired`), refreshes it — once, however many calls
//! are waiting — and hands the new tokens to [`on_refresh`](TokenRotation::on_refresh) so the
//! application can store them. No token, refresh token or client secret is ever logged or
//! shown in `Debug`.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use crate::client::{Client, Token};

/// How long before its expiry a token is refreshed, by default.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// The result of a refresh, for [`TokenRotation::on_refresh`]. `Debug` redacts the tokens.
#[derive(Clone)]
#[non_exhaustive]
pub struct RefreshedToken {
    /// The new access token.
    pub access_token: Token,
    /// The new refresh token, which replaces the old one (store it: the old one is spent).
    pub refresh_token: Token,
    /// When the access token expires, if Slack said.
    pub expires_at: Option<SystemTime>,
}

impl fmt::Debug for RefreshedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshedToken")
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

type Callback = Box<dyn Fn(&RefreshedToken) + Send + Sync>;

/// A rotating bearer token and what it takes to renew it. Cheap to clone; clones share the
/// state, so give every client of one installation the same `TokenRotation`.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use slack_api::{Client, TokenRotation};
///
/// let rotation = TokenRotation::new("123.456", "client-secret", "xoxe-1-refresh-token")
///     .on_refresh(|t| println!("store the new refresh token somewhere safe: {t:?}"));
/// let client = Client::without_token().token_rotation(rotation).build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TokenRotation {
    inner: Arc<Inner>,
}

struct Inner {
    client_id: String,
    client_secret: String,
    margin: Duration,
    on_refresh: Option<Callback>,
    refreshes: AtomicU64,
    state: tokio::sync::Mutex<State>,
}

struct State {
    access: Option<Token>,
    refresh: Token,
    expires_at: Option<SystemTime>,
}

impl fmt::Debug for TokenRotation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRotation")
            .field("client_id", &self.inner.client_id)
            .field("client_secret", &crate::redact::Redacted)
            .field("refreshes", &self.refreshes())
            .finish_non_exhaustive()
    }
}

impl TokenRotation {
    /// Rotation from a refresh token; the first call refreshes it to get an access token.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>, refresh_token: impl Into<Token>) -> Self {
        TokenRotation {
            inner: Arc::new(Inner {
                client_id: client_id.into(),
                client_secret: client_secret.into(),
                margin: DEFAULT_REFRESH_MARGIN,
                on_refresh: None,
                refreshes: AtomicU64::new(0),
                state: tokio::sync::Mutex::new(State { access: None, refresh: refresh_token.into(), expires_at: None }),
            }),
        }
    }

    fn inner_mut(&mut self) -> &mut Inner {
        Arc::get_mut(&mut self.inner).expect("TokenRotation is configured before it is cloned")
    }

    /// Starts from an access token that is still valid until `expires_at`.
    ///
    /// # Panics
    ///
    /// If called on a clone (configure a rotation before sharing it).
    #[must_use]
    pub fn access_token(mut self, token: impl Into<Token>, expires_at: SystemTime) -> Self {
        let state = self.inner_mut().state.get_mut();
        state.access = Some(token.into());
        state.expires_at = Some(expires_at);
        self
    }

    /// How long before its expiry the token is refreshed (default 5 minutes).
    ///
    /// # Panics
    ///
    /// If called on a clone (configure a rotation before sharing it).
    #[must_use]
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.inner_mut().margin = margin;
        self
    }

    /// Called after each refresh with the new tokens, so the application can store them.
    ///
    /// # Panics
    ///
    /// If called on a clone (configure a rotation before sharing it).
    #[must_use]
    pub fn on_refresh(mut self, f: impl Fn(&RefreshedToken) + Send + Sync + 'static) -> Self {
        self.inner_mut().on_refresh = Some(Box::new(f));
        self
    }

    /// How many refreshes this rotation has made.
    pub fn refreshes(&self) -> u64 {
        self.inner.refreshes.load(Ordering::Relaxed)
    }

    /// The access token to send now: the current one, or a new one if it expires within the
    /// margin, or if it is `stale` (Slack refused it). Concurrent callers wait for one refresh.
    pub(crate) async fn current(&self, client: &Client, stale: Option<&Token>) -> Result<Token, String> {
        let mut state = self.inner.state.lock().await;
        let fresh_until = state.expires_at.and_then(|at| at.checked_sub(self.inner.margin));
        let usable = match &state.access {
            None => false,
            Some(t) if stale == Some(t) => false,
            Some(_) => fresh_until.is_none_or(|t| SystemTime::now() < t),
        };
        if usable {
            if let Some(t) = &state.access {
                return Ok(t.clone());
            }
        }
        let request = crate::oauth::OauthV2AccessRequest::new()
            .client_id(self.inner.client_id.as_str())
            .client_secret(self.inner.client_secret.as_str())
            .grant_type("refresh_token")
            .refresh_token(state.refresh.secret());
        let answer = client.call(&request).await.map_err(|e| e.to_string())?;
        let Some(access) = answer.access_token.filter(|t| !t.is_empty()) else {
            return Err("oauth.v2.access answered without an `access_token`".into());
        };
        let refreshed = RefreshedToken {
            access_token: Token::new(access),
            refresh_token: answer.refresh_token.map_or_else(|| state.refresh.clone(), Token::new),
            expires_at: answer
                .expires_in
                .and_then(|s| u64::try_from(s).ok())
                .and_then(|s| SystemTime::now().checked_add(Duration::from_secs(s))),
        };
        state.access = Some(refreshed.access_token.clone());
        state.refresh = refreshed.refresh_token.clone();
        state.expires_at = refreshed.expires_at;
        self.inner.refreshes.fetch_add(1, Ordering::Relaxed);
        tracing::info!("refreshed the rotating token");
        if let Some(f) = &self.inner.on_refresh {
            f(&refreshed);
        }
        Ok(refreshed.access_token)
    }
}
