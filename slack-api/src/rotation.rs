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
//!
//! Replicas of an app share one rotation through a [`SharedState`] backend
//! ([`TokenRotation::shared`]): the current tokens are stored there, one replica at a time
//! refreshes them (holding a lease), and the others wait for the stored result instead of
//! refreshing too — a second refresh would spend the refresh token the first one just used.
//! If the backend is down, each replica refreshes on its own (the risk above returns for the
//! outage) and a warning is logged once per outage; the stored tokens are used again when it
//! returns.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use crate::state::{Outage, SharedState};
use crate::token::{Granted, RefreshRequest, Token};

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
    client_secret: Token,
    margin: Duration,
    on_refresh: Option<Callback>,
    refreshes: AtomicU64,
    state: tokio::sync::Mutex<State>,
    shared: Option<Store>,
}

/// Where replicas share the tokens.
struct Store {
    backend: Arc<dyn SharedState>,
    /// The key of the stored tokens; the lease is `<key>:lease`.
    key: String,
    outage: Outage,
}

/// How long one replica may hold the refresh lease.
const LEASE_TTL: Duration = Duration::from_secs(30);
/// How often a replica waiting for another's refresh looks at the store.
const POLL: Duration = Duration::from_millis(50);

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
                client_secret: Token::new(client_secret.into()),
                margin: DEFAULT_REFRESH_MARGIN,
                on_refresh: None,
                refreshes: AtomicU64::new(0),
                state: tokio::sync::Mutex::new(State { access: None, refresh: refresh_token.into(), expires_at: None }),
                shared: None,
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

    /// Shares the tokens with every replica that uses the same backend and `key` (name the
    /// installation in it, e.g. `A0123:T0456`): one refreshes at a time, the others pick up
    /// what it stored. The tokens are stored in the backend as they are (protect it as you
    /// would the tokens). The refresh token given to [`new`](Self::new) is used only if the
    /// backend holds none yet.
    ///
    /// # Panics
    ///
    /// If called on a clone (configure a rotation before sharing it).
    #[must_use]
    pub fn shared(mut self, backend: Arc<dyn SharedState>, key: impl Into<String>) -> Self {
        self.inner_mut().shared = Some(Store { backend, key: key.into(), outage: Outage::default() });
        self
    }

    /// How many refreshes this rotation has made.
    pub fn refreshes(&self) -> u64 {
        self.inner.refreshes.load(Ordering::Relaxed)
    }

    /// The access token to send now: the current one, or a new one if it expires within the
    /// margin, or if it is `stale` (Slack refused it). `refresh` makes the refresh call (the
    /// client's `oauth.v2.access`); concurrent callers wait for one refresh; with a shared
    /// backend, so do other replicas.
    pub(crate) async fn current<F, Fut>(&self, stale: Option<&Token>, refresh: F) -> Result<Token, String>
    where
        F: FnOnce(RefreshRequest) -> Fut,
        Fut: Future<Output = Result<Granted, String>>,
    {
        let mut state = self.inner.state.lock().await;
        let Some(store) = &self.inner.shared else {
            if let Some(t) = self.usable(&state, stale) {
                return Ok(t);
            }
            return self.refresh(&mut state, refresh).await.map(|r| r.access_token);
        };
        // The stored tokens may be newer than ours (another replica refreshed).
        if let Ok(Some(record)) = self.load(store).await {
            record.apply(&mut state);
        }
        if let Some(t) = self.usable(&state, stale) {
            return Ok(t);
        }
        let deadline = tokio::time::Instant::now() + LEASE_TTL + LEASE_TTL;
        loop {
            let lease_key = format!("{}:lease", store.key);
            let lease = store.backend.lease(&lease_key, LEASE_TTL).await;
            match store.outage.watch(store.backend.name(), "token lease", lease) {
                Err(_) => return self.refresh(&mut state, refresh).await.map(|r| r.access_token),
                Ok(Some(lease)) => {
                    // Another replica may have stored new tokens just before the lease was free.
                    if let Ok(Some(record)) = self.load(store).await {
                        record.apply(&mut state);
                    }
                    let result = match self.usable(&state, stale) {
                        Some(t) => Ok(t),
                        None => match self.refresh(&mut state, refresh).await {
                            Ok(refreshed) => {
                                let record = Record::from(&refreshed).to_json();
                                let saved = store.backend.set(&store.key, &record).await;
                                let _ = store.outage.watch(store.backend.name(), "token store", saved);
                                Ok(refreshed.access_token)
                            }
                            Err(e) => Err(e),
                        },
                    };
                    let _ = store.backend.release(lease).await;
                    return result;
                }
                Ok(None) => {
                    // Another replica is refreshing: wait for what it stores.
                    tokio::time::sleep(POLL).await;
                    if let Ok(Some(record)) = self.load(store).await {
                        record.apply(&mut state);
                    }
                    if let Some(t) = self.usable(&state, stale) {
                        return Ok(t);
                    }
                    if tokio::time::Instant::now() > deadline {
                        return Err("another replica holds the refresh lease and stored no new token".into());
                    }
                }
            }
        }
    }

    /// The current access token, if it is neither `stale` nor about to expire.
    fn usable(&self, state: &State, stale: Option<&Token>) -> Option<Token> {
        let token = state.access.as_ref()?;
        if stale == Some(token) {
            return None;
        }
        let fresh_until = state.expires_at.and_then(|at| at.checked_sub(self.inner.margin));
        fresh_until.is_none_or(|t| SystemTime::now() < t).then(|| token.clone())
    }

    async fn load(&self, store: &Store) -> Result<Option<Record>, ()> {
        let got = store.backend.get(&store.key).await;
        match store.outage.watch(store.backend.name(), "token load", got) {
            Ok(Some(text)) => Ok(Record::from_json(&text)),
            Ok(None) => Ok(None),
            Err(_) => Err(()),
        }
    }

    /// Exchanges the refresh token for new tokens with `refresh`, and keeps them.
    async fn refresh<F, Fut>(&self, state: &mut State, refresh: F) -> Result<RefreshedToken, String>
    where
        F: FnOnce(RefreshRequest) -> Fut,
        Fut: Future<Output = Result<Granted, String>>,
    {
        let granted = refresh(RefreshRequest {
            client_id: self.inner.client_id.clone(),
            client_secret: self.inner.client_secret.clone(),
            refresh_token: state.refresh.clone(),
        })
        .await?;
        let refreshed = RefreshedToken {
            access_token: granted.access_token,
            refresh_token: granted.refresh_token.unwrap_or_else(|| state.refresh.clone()),
            expires_at: granted.expires_at,
        };
        state.access = Some(refreshed.access_token.clone());
        state.refresh = refreshed.refresh_token.clone();
        state.expires_at = refreshed.expires_at;
        self.inner.refreshes.fetch_add(1, Ordering::Relaxed);
        tracing::info!("refreshed the rotating token");
        if let Some(f) = &self.inner.on_refresh {
            f(&refreshed);
        }
        Ok(refreshed)
    }
}

/// The tokens as stored in a shared backend: JSON with the access token, the refresh token and
/// the expiry in Unix seconds.
#[derive(serde::Serialize, serde::Deserialize)]
struct Record {
    access_token: String,
    refresh_token: String,
    expires_at: Option<u64>,
}

impl Record {
    fn from(r: &RefreshedToken) -> Self {
        Record {
            access_token: r.access_token.secret().to_owned(),
            refresh_token: r.refresh_token.secret().to_owned(),
            expires_at: r.expires_at.and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok()).map(|d| d.as_secs()),
        }
    }

    fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored record; `None` for one that does not parse (it is then ignored, and replaced
    /// by the next refresh).
    fn from_json(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    fn apply(self, state: &mut State) {
        state.access = Some(Token::new(self.access_token));
        state.refresh = Token::new(self.refresh_token);
        state.expires_at = self.expires_at.map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// What each refresh call was asked: client ID, client secret, refresh token.
    type Asked = Arc<Mutex<Vec<(String, String, String)>>>;

    /// A refresh call that records what it was asked and grants `access-N` (with a new refresh
    /// token `refresh-N` when `rotate`), valid for an hour.
    fn granting(seen: &Asked, rotate: bool) -> impl FnOnce(RefreshRequest) -> std::future::Ready<Result<Granted, String>> {
        let seen = seen.clone();
        move |r: RefreshRequest| {
            let mut seen = seen.lock().unwrap();
            seen.push((r.client_id, r.client_secret.secret().to_owned(), r.refresh_token.secret().to_owned()));
            let n = seen.len();
            std::future::ready(Ok(Granted {
                access_token: Token::new(format!("access-{n}")),
                refresh_token: rotate.then(|| Token::new(format!("refresh-{n}"))),
                expires_at: SystemTime::now().checked_add(Duration::from_secs(3600)),
                scope: None,
            }))
        }
    }

    #[tokio::test]
    async fn the_refresh_call_gets_the_credentials_and_its_grant_is_kept() {
        let stored = Arc::new(Mutex::new(Vec::new()));
        let on_refresh = stored.clone();
        let rotation = TokenRotation::new("123.456", "s3cr3t", "refresh-0")
            .on_refresh(move |t| on_refresh.lock().unwrap().push(t.refresh_token.secret().to_owned()));
        let seen = Asked::default();

        // No access token yet: the first use refreshes.
        let token = rotation.current(None, granting(&seen, true)).await.unwrap();
        assert_eq!(token.secret(), "access-1");
        // Still fresh: no refresh call (one that would fail shows it is not made).
        let again = rotation.current(None, |_| async { Err::<Granted, _>("must not be called".to_owned()) }).await.unwrap();
        assert_eq!(again, token);
        // Slack refused it: refreshed with the refresh token the first grant rotated in.
        let token = rotation.current(Some(&token), granting(&seen, false)).await.unwrap();
        assert_eq!(token.secret(), "access-2");
        // A grant without a refresh token keeps the one there was.
        let token = rotation.current(Some(&token), granting(&seen, true)).await.unwrap();
        assert_eq!(token.secret(), "access-3");

        let asked: Vec<String> = seen.lock().unwrap().iter().map(|(_, _, r)| r.clone()).collect();
        assert_eq!(asked, ["refresh-0", "refresh-1", "refresh-1"]);
        assert!(seen.lock().unwrap().iter().all(|(id, secret, _)| id == "123.456" && secret == "s3cr3t"));
        assert_eq!(*stored.lock().unwrap(), ["refresh-1", "refresh-1", "refresh-3"]);
        assert_eq!(rotation.refreshes(), 3);
    }

    #[tokio::test]
    async fn a_failed_refresh_is_the_error_and_changes_nothing() {
        let rotation = TokenRotation::new("123.456", "s3cr3t", "refresh-0");
        let failed = rotation.current(None, |_| async { Err::<Granted, _>("oauth.v2.access: invalid_refresh_token".to_owned()) }).await;
        assert_eq!(failed.unwrap_err(), "oauth.v2.access: invalid_refresh_token");
        assert_eq!(rotation.refreshes(), 0);
        let seen = Asked::default();
        rotation.current(None, granting(&seen, true)).await.unwrap();
        assert_eq!(seen.lock().unwrap()[0].2, "refresh-0", "the refresh token was not spent");
    }

    #[tokio::test]
    async fn concurrent_callers_wait_for_one_refresh() {
        let rotation = TokenRotation::new("123.456", "s3cr3t", "refresh-0");
        let calls = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (rotation, calls) = (rotation.clone(), calls.clone());
            tasks.push(tokio::spawn(async move {
                let refresh = |_| async move {
                    calls.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    Ok(Granted { access_token: Token::new("access-1"), refresh_token: None, expires_at: None, scope: None })
                };
                rotation.current(None, refresh).await.unwrap()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().secret(), "access-1");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
