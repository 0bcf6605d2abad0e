//! The right token for every payload: find its installation, refresh a rotating token (one
//! replica at a time), and forget what `app_uninstalled` and `tokens_revoked` revoke.

use std::sync::Arc;
use std::time::Duration;

use super::flow::Flow;
use super::record::{Installation, InstallationKey, split_scopes, unix};
use super::store::StoreError;
use crate::app::Payload;
use crate::events::Event;
use crate::token::RefreshRequest;
use crate::Client;

/// How long one replica may hold a refresh lease.
const LEASE_TTL: Duration = Duration::from_secs(30);
/// How long a replica waits for another's refresh before giving up.
const WAIT_FOR_REFRESH: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);

/// Why a payload could not be authorized.
#[derive(Debug)]
pub(crate) enum AuthorizeError {
    Store(StoreError),
    /// No installation for the payload's workspace.
    NotInstalled(InstallationKey),
    /// The payload names no workspace.
    NoWorkspace,
    /// The installation has no bot token (user-token-only installs).
    NoBotToken(InstallationKey),
}

impl std::fmt::Display for AuthorizeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthorizeError::Store(e) => write!(f, "{e}"),
            AuthorizeError::NotInstalled(k) => write!(f, "no installation for {k}: the app is not installed there (or was uninstalled)"),
            AuthorizeError::NoWorkspace => f.write_str("the payload names no workspace or organisation"),
            AuthorizeError::NoBotToken(k) => write!(f, "the installation for {k} has no bot token"),
        }
    }
}

impl From<StoreError> for AuthorizeError {
    fn from(e: StoreError) -> Self {
        AuthorizeError::Store(e)
    }
}

/// The installation a payload belongs to and a client with its bot token.
pub(crate) struct Authorized {
    pub installation: Arc<Installation>,
    pub client: Client,
}

/// The key a payload is looked up by: the organisation for org-wide installs, the workspace
/// otherwise.
pub(crate) fn key_of(payload: &Payload) -> Option<InstallationKey> {
    let enterprise = payload.enterprise_id().cloned();
    if payload.is_enterprise_install() {
        return enterprise.map(InstallationKey::enterprise);
    }
    match payload.team_id().cloned() {
        Some(team) => Some(InstallationKey::team(enterprise, team)),
        None => enterprise.map(InstallationKey::enterprise),
    }
}

impl Flow {
    /// Finds the payload's installation (its workspace's, or its organisation's org-wide one)
    /// and a client with a fresh bot token.
    pub(crate) async fn authorize(&self, base: &Client, payload: &Payload) -> Result<Authorized, AuthorizeError> {
        let key = key_of(payload).ok_or(AuthorizeError::NoWorkspace)?;
        let mut found = self.store.find_bot(&key).await?;
        if found.is_none() && !key.is_enterprise_install {
            // A workspace of an organisation the app is installed in org-wide.
            if let Some(e) = key.enterprise_id.clone() {
                found = self.store.find_bot(&InstallationKey::enterprise(e)).await?;
            }
        }
        let mut installation = found.ok_or_else(|| AuthorizeError::NotInstalled(key.clone()))?;
        let key = installation.key();
        if installation.bot_refresh_token.is_some() && installation.bot_token_expires_within(self.refresh_margin) {
            installation = match self.refresh_bot(base, &key, installation.clone()).await {
                Ok(i) => i,
                Err(e) if !installation.bot_token_expires_within(Duration::ZERO) => {
                    tracing::warn!(installation = %key, error = %e, "slack_api.install: refreshing the bot token failed; using the current one until it expires");
                    installation
                }
                Err(e) => return Err(e),
            };
        }
        let token = installation.bot_token.clone().ok_or_else(|| AuthorizeError::NoBotToken(key.clone()))?;
        let client = base.with_token_for(key.workspace(), token).map_err(|e| {
            AuthorizeError::Store(StoreError::Corrupt { what: format!("the bot token of {key}"), detail: e.to_string() })
        })?;
        Ok(Authorized { installation: Arc::new(installation), client })
    }

    /// Refreshes the bot token under the store's lease: one replica refreshes, the others
    /// wait for what it stores (a second refresh would spend the refresh token twice).
    async fn refresh_bot(&self, base: &Client, key: &InstallationKey, seen: Installation) -> Result<Installation, AuthorizeError> {
        let (e, t) = key.columns();
        let lease = format!("refresh-bot:{e}:{t}");
        let deadline = tokio::time::Instant::now() + WAIT_FOR_REFRESH;
        loop {
            if let Some(holder) = self.store.lease(&lease, LEASE_TTL).await? {
                let result = self.refresh_holding(base, key, seen.clone()).await;
                if let Err(e) = self.store.release(&lease, &holder).await {
                    tracing::warn!(error = %e, "slack_api.install: could not release a refresh lease; it expires by itself");
                }
                return result;
            }
            tokio::time::sleep(POLL).await;
            if let Some(now) = self.store.find_bot(key).await? {
                if now.bot_token != seen.bot_token && !now.bot_token_expires_within(self.refresh_margin) {
                    return Ok(now);
                }
            }
            if tokio::time::Instant::now() > deadline {
                return Err(AuthorizeError::Store(StoreError::Unavailable(format!(
                    "another replica holds the refresh lease of {key} and stored no new token within {} s",
                    WAIT_FOR_REFRESH.as_secs()
                ))));
            }
        }
    }

    async fn refresh_holding(&self, base: &Client, key: &InstallationKey, seen: Installation) -> Result<Installation, AuthorizeError> {
        // Another replica may have refreshed just before the lease was free.
        let mut current = self.store.find_bot(key).await?.unwrap_or(seen);
        if !current.bot_token_expires_within(self.refresh_margin) {
            return Ok(current);
        }
        let Some(refresh) = current.bot_refresh_token.clone() else { return Ok(current) };
        let request =
            RefreshRequest { client_id: self.client_id.clone(), client_secret: self.client_secret.clone(), refresh_token: refresh };
        let granted = base.refresh_token(request).await.map_err(|e| {
            AuthorizeError::Store(StoreError::Unavailable(format!("refreshing the bot token of {key}: {e}")))
        })?;
        current.bot_token = Some(granted.access_token);
        if let Some(r) = granted.refresh_token {
            current.bot_refresh_token = Some(r);
        }
        current.bot_token_expires_at = granted.expires_at.map(unix);
        if granted.scope.is_some() {
            current.bot_scopes = split_scopes(granted.scope.as_deref());
        }
        self.store.save(&current).await?;
        tracing::info!(installation = %key, "slack_api.install: refreshed the rotating bot token");
        Ok(current)
    }

    /// Forgets what an `app_uninstalled` or `tokens_revoked` event revokes; `true` when the
    /// payload was one of them.
    pub(crate) async fn forget_revoked(&self, payload: &Payload) -> Result<bool, StoreError> {
        let Payload::Event(cb) = payload else { return Ok(false) };
        let Some(event) = cb.event.as_ref() else { return Ok(false) };
        let key = || key_of(payload);
        match event {
            Event::AppUninstalled(_) => {
                let Some(key) = key() else { return Ok(true) };
                let n = self.store.delete_installation(&key, None).await?;
                tracing::info!(installation = %key, rows = n, "slack_api.install: app_uninstalled; removed the installation");
                Ok(true)
            }
            Event::TokensRevoked(e) => {
                let Some(key) = key() else { return Ok(true) };
                let tokens = e.tokens.as_ref();
                if tokens.and_then(|t| t.bot.as_ref()).is_some_and(|b| !b.is_empty()) {
                    let n = self.store.delete_bot(&key).await?;
                    tracing::info!(installation = %key, rows = n, "slack_api.install: tokens_revoked; removed the bot token");
                }
                for user in tokens.and_then(|t| t.oauth.as_ref()).into_iter().flatten() {
                    let n = self.store.delete_installation(&key, Some(user)).await?;
                    tracing::info!(installation = %key, user = %user, rows = n, "slack_api.install: tokens_revoked; removed a user's installation");
                }
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}
