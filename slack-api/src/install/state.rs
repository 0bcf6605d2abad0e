//! The OAuth `state`: single-use, expiring, and checked before any code is exchanged.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::record::unix;
use super::store::{StoreError, StoreFuture, from_hex, hex, random_hex};
use crate::state::{MemoryState, SharedState};

/// What a check of a `state` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StateCheck {
    /// Issued here, in time, and not used before: the install may go on.
    Valid,
    /// Not a state this app issued (or altered).
    Forged,
    /// Issued here, but its time ran out.
    Expired,
    /// Issued here and already used once.
    Replayed,
}

/// Issues and checks the `state` of the install flow. The default is [`SignedStates`];
/// [`StoredStates`] keeps each state instead.
pub trait StateStore: Send + Sync + 'static {
    /// A new state, valid for `ttl`.
    fn issue(&self, ttl: Duration) -> StoreFuture<'_, String>;
    /// Checks a state that came back, and spends it: a second check says `Replayed`.
    fn consume<'a>(&'a self, state: &'a str) -> StoreFuture<'a, StateCheck>;
}

/// Stateless states: a random nonce and an expiry, signed with HMAC-SHA256, so that nothing is
/// stored when an install starts and any replica with the same secret can check them. Each is
/// spent on use by claiming its nonce in a [`SharedState`] until it would expire — in this
/// process by default; give replicas one backend ([`shared`](Self::shared), e.g. Redis) so
/// that a state used on one is refused on all.
#[derive(Clone)]
pub struct SignedStates {
    key: Arc<Vec<u8>>,
    used: Arc<dyn SharedState>,
}

impl std::fmt::Debug for SignedStates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedStates").field("used", &self.used.name()).finish_non_exhaustive()
    }
}

impl SignedStates {
    /// States signed with `secret` (at least 16 bytes; the install flow derives one from the
    /// app's client secret by default).
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        SignedStates { key: Arc::new(secret.as_ref().to_vec()), used: Arc::new(MemoryState::new()) }
    }

    /// Spends states in `backend`, shared by replicas.
    #[must_use]
    pub fn shared(mut self, backend: Arc<dyn SharedState>) -> Self {
        self.used = backend;
        self
    }

    fn mac(&self, nonce: &str, expires: u64) -> Hmac<Sha256> {
        // Any key length is valid for HMAC.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(b"slack-api oauth state v1|");
        mac.update(nonce.as_bytes());
        mac.update(b"|");
        mac.update(expires.to_string().as_bytes());
        mac
    }
}

impl StateStore for SignedStates {
    fn issue(&self, ttl: Duration) -> StoreFuture<'_, String> {
        Box::pin(async move {
            let nonce = random_hex(16)?;
            let expires = unix(SystemTime::now()).saturating_add(ttl.as_secs().max(1));
            let tag = hex(&self.mac(&nonce, expires).finalize().into_bytes());
            Ok(format!("{nonce}.{expires}.{tag}"))
        })
    }

    fn consume<'a>(&'a self, state: &'a str) -> StoreFuture<'a, StateCheck> {
        Box::pin(async move {
            let mut parts = state.split('.');
            let (Some(nonce), Some(expires), Some(tag), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
                return Ok(StateCheck::Forged);
            };
            let (Ok(expires), Some(tag)) = (expires.parse::<u64>(), from_hex(tag)) else { return Ok(StateCheck::Forged) };
            if nonce.len() != 32 || self.mac(nonce, expires).verify_slice(&tag).is_err() {
                return Ok(StateCheck::Forged);
            }
            let now = unix(SystemTime::now());
            if now >= expires {
                return Ok(StateCheck::Expired);
            }
            let ttl = Duration::from_secs(expires - now + 1);
            let first = self
                .used
                .claim(&format!("slack-oauth-state:{nonce}"), ttl)
                .await
                .map_err(|e| StoreError::Unavailable(format!("{} (spending an OAuth state): {e}", self.used.name())))?;
            Ok(if first { StateCheck::Valid } else { StateCheck::Replayed })
        })
    }
}

/// States kept in this process until used or expired: a random value per install, removed
/// when it comes back. For a single process that prefers nothing signed; replicas want
/// [`SignedStates`] with a shared backend.
#[derive(Clone, Default)]
pub struct StoredStates {
    states: Arc<Mutex<HashMap<String, Instant>>>,
}

impl std::fmt::Debug for StoredStates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredStates").field("pending", &self.map().len()).finish()
    }
}

impl StoredStates {
    pub fn new() -> Self {
        Self::default()
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        self.states.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// How many pending states [`StoredStates`] keeps at most (abandoned installs expire; this
/// bounds a flood of started ones).
const MAX_PENDING: usize = 100_000;

impl StateStore for StoredStates {
    fn issue(&self, ttl: Duration) -> StoreFuture<'_, String> {
        Box::pin(async move {
            let state = random_hex(20)?;
            let now = Instant::now();
            let mut map = self.map();
            if map.len() >= MAX_PENDING {
                map.retain(|_, until| *until > now);
                if map.len() >= MAX_PENDING {
                    return Err(StoreError::Unavailable(format!("{MAX_PENDING} installs are pending; refusing more")));
                }
            }
            map.insert(state.clone(), now + ttl);
            Ok(state)
        })
    }

    fn consume<'a>(&'a self, state: &'a str) -> StoreFuture<'a, StateCheck> {
        let found = self.map().remove(state);
        Box::pin(async move {
            Ok(match found {
                None => StateCheck::Forged,
                Some(until) if until <= Instant::now() => StateCheck::Expired,
                Some(_) => StateCheck::Valid,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn signed_states_are_single_use_unforgeable_and_expire() {
        let states = SignedStates::new("a secret of sixteen+ bytes");
        let s = states.issue(Duration::from_secs(600)).await.unwrap();
        assert_eq!(states.consume(&s).await.unwrap(), StateCheck::Valid);
        assert_eq!(states.consume(&s).await.unwrap(), StateCheck::Replayed);
        let other = SignedStates::new("another secret, same length");
        let theirs = other.issue(Duration::from_secs(600)).await.unwrap();
        assert_eq!(states.consume(&theirs).await.unwrap(), StateCheck::Forged);
        // A later expiry written over a valid state breaks its signature.
        let fresh = states.issue(Duration::from_secs(600)).await.unwrap();
        let mut parts: Vec<&str> = fresh.split('.').collect();
        let later = (unix(SystemTime::now()) + 99_999).to_string();
        parts[1] = &later;
        assert_eq!(states.consume(&parts.join(".")).await.unwrap(), StateCheck::Forged);
        for junk in ["", "a.b", "x.y.z", "a.1.zz.extra"] {
            assert_eq!(states.consume(junk).await.unwrap(), StateCheck::Forged, "{junk:?}");
        }
        // Expired: signed correctly, with an expiry in the past.
        let nonce = "0".repeat(32);
        let past = unix(SystemTime::now()) - 1;
        let tag = hex(&states.mac(&nonce, past).finalize().into_bytes());
        assert_eq!(states.consume(&format!("{nonce}.{past}.{tag}")).await.unwrap(), StateCheck::Expired);
    }

    #[tokio::test]
    async fn stored_states_are_single_use() {
        let states = StoredStates::new();
        let s = states.issue(Duration::from_secs(600)).await.unwrap();
        assert_eq!(states.consume(&s).await.unwrap(), StateCheck::Valid);
        assert_eq!(states.consume(&s).await.unwrap(), StateCheck::Forged);
        let short = states.issue(Duration::ZERO).await.unwrap();
        assert_eq!(states.consume(&short).await.unwrap(), StateCheck::Expired);
    }
}
