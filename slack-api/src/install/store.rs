//! Where installations live: the [`InstallationStore`] interface, the in-memory store, a cache
//! in front of any store, and the record codec (JSON, encrypted when a key is set).

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::record::{Installation, InstallationKey};
use crate::UserId;

/// What a store operation returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A store operation that failed. The message names the store and what failed, never a token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreError {
    /// The database is unreachable or refused the operation.
    Unavailable(String),
    /// A stored record does not decode (or decrypt): `what` names the row.
    Corrupt { what: String, detail: String },
    /// The store is set up wrongly (a bad key, a schema newer than this version knows).
    Config(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable(m) => write!(f, "installation store unavailable: {m}"),
            StoreError::Corrupt { what, detail } => write!(f, "installation store: {what} is corrupt: {detail}"),
            StoreError::Config(m) => write!(f, "installation store misconfigured: {m}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Where an app keeps its installations: the latest bot installation per workspace (or
/// organisation, for org-wide installs) and the latest installation per installing user.
///
/// Three come with the crate: [`MemoryStore`] (tests, one process), [`SqliteStore`](super::SqliteStore)
/// (feature `sqlite`: one file, the embedded default) and [`PostgresStore`](super::PostgresStore)
/// (feature `postgres`: several replicas). [`CachedStore`] puts a short-lived cache in front of
/// any of them.
pub trait InstallationStore: Send + Sync + 'static {
    /// Saves an installation: it becomes the workspace's bot installation (when it has a bot
    /// token) and the installing user's installation.
    fn save<'a>(&'a self, installation: &'a Installation) -> StoreFuture<'a, ()>;
    /// The latest bot installation of the workspace or organisation.
    fn find_bot<'a>(&'a self, key: &'a InstallationKey) -> StoreFuture<'a, Option<Installation>>;
    /// The installation `user` made (their user token), or with `None` the latest made in the
    /// workspace by anyone.
    fn find_installation<'a>(&'a self, key: &'a InstallationKey, user: Option<&'a UserId>) -> StoreFuture<'a, Option<Installation>>;
    /// Removes the bot installation (the bot token was revoked); returns how many rows went.
    fn delete_bot<'a>(&'a self, key: &'a InstallationKey) -> StoreFuture<'a, u64>;
    /// Removes `user`'s installation, or with `None` every installation of the workspace and
    /// its bot (the app was uninstalled); returns how many rows went.
    fn delete_installation<'a>(&'a self, key: &'a InstallationKey, user: Option<&'a UserId>) -> StoreFuture<'a, u64>;
    /// Takes the lease `name` for `ttl` if nobody holds it: `Some(holder)` to release it with.
    /// One replica at a time refreshes a rotating token under it.
    fn lease<'a>(&'a self, name: &'a str, ttl: Duration) -> StoreFuture<'a, Option<String>>;
    /// Ends a lease this holder took.
    fn release<'a>(&'a self, name: &'a str, holder: &'a str) -> StoreFuture<'a, ()>;
    /// A name for logs (`memory`, `sqlite`, `postgres`).
    fn name(&self) -> &'static str;
}

/// Installations in this process's memory: for tests and single-process apps that re-install
/// after a restart. Cheap to clone; clones share the installations.
#[derive(Clone, Default)]
pub struct MemoryStore {
    inner: Arc<Mutex<Maps>>,
}

#[derive(Default)]
struct Maps {
    bots: HashMap<(String, String), Installation>,
    /// Per (enterprise, team), per user (`""` for none).
    installations: HashMap<(String, String), HashMap<String, Installation>>,
    leases: HashMap<String, (String, Instant)>,
    next_holder: u64,
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let maps = self.maps();
        f.debug_struct("MemoryStore").field("bots", &maps.bots.len()).field("workspaces", &maps.installations.len()).finish()
    }
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn maps(&self) -> std::sync::MutexGuard<'_, Maps> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn owned(key: &InstallationKey) -> (String, String) {
    let (e, t) = key.columns();
    (e.to_owned(), t.to_owned())
}

fn user_column(user: Option<&UserId>) -> String {
    user.map_or_else(String::new, |u| u.as_str().to_owned())
}

impl InstallationStore for MemoryStore {
    fn save<'a>(&'a self, installation: &'a Installation) -> StoreFuture<'a, ()> {
        let mut maps = self.maps();
        let key = owned(&installation.key());
        if installation.bot_token.is_some() {
            maps.bots.insert(key.clone(), installation.clone());
        }
        maps.installations.entry(key).or_default().insert(user_column(installation.user_id.as_ref()), installation.clone());
        Box::pin(async { Ok(()) })
    }

    fn find_bot<'a>(&'a self, key: &'a InstallationKey) -> StoreFuture<'a, Option<Installation>> {
        let found = self.maps().bots.get(&owned(key)).cloned();
        Box::pin(async { Ok(found) })
    }

    fn find_installation<'a>(&'a self, key: &'a InstallationKey, user: Option<&'a UserId>) -> StoreFuture<'a, Option<Installation>> {
        let maps = self.maps();
        let found = maps.installations.get(&owned(key)).and_then(|users| match user {
            Some(u) => users.get(u.as_str()).cloned(),
            None => users.values().max_by_key(|i| i.installed_at).cloned(),
        });
        Box::pin(async { Ok(found) })
    }

    fn delete_bot<'a>(&'a self, key: &'a InstallationKey) -> StoreFuture<'a, u64> {
        let gone = u64::from(self.maps().bots.remove(&owned(key)).is_some());
        Box::pin(async move { Ok(gone) })
    }

    fn delete_installation<'a>(&'a self, key: &'a InstallationKey, user: Option<&'a UserId>) -> StoreFuture<'a, u64> {
        let mut maps = self.maps();
        let k = owned(key);
        let gone = match user {
            Some(u) => maps.installations.get_mut(&k).map_or(0, |users| u64::from(users.remove(u.as_str()).is_some())),
            None => {
                let users = maps.installations.remove(&k).map_or(0, |users| users.len() as u64);
                users + u64::from(maps.bots.remove(&k).is_some())
            }
        };
        Box::pin(async move { Ok(gone) })
    }

    fn lease<'a>(&'a self, name: &'a str, ttl: Duration) -> StoreFuture<'a, Option<String>> {
        let mut maps = self.maps();
        let now = Instant::now();
        let taken = maps.leases.get(name).is_some_and(|(_, until)| *until > now);
        let holder = (!taken).then(|| {
            maps.next_holder += 1;
            let holder = format!("memory-{}", maps.next_holder);
            maps.leases.insert(name.to_owned(), (holder.clone(), now + ttl));
            holder
        });
        Box::pin(async { Ok(holder) })
    }

    fn release<'a>(&'a self, name: &'a str, holder: &'a str) -> StoreFuture<'a, ()> {
        let mut maps = self.maps();
        if maps.leases.get(name).is_some_and(|(h, _)| h == holder) {
            maps.leases.remove(name);
        }
        Box::pin(async { Ok(()) })
    }

    fn name(&self) -> &'static str {
        "memory"
    }
}

/// A cache in front of a store: bot installations found (or found missing) are kept for a
/// short time (30 s by default), so that a busy app does not ask the database for every
/// payload. Saves and deletes through the cache update it at once; another replica's
/// uninstall reaches this one within the time to live.
pub struct CachedStore<S> {
    store: S,
    ttl: Duration,
    bots: Mutex<BotCache>,
}

/// Per (enterprise, team): when it was read, and what.
type BotCache = HashMap<(String, String), (Instant, Option<Installation>)>;

impl<S> fmt::Debug for CachedStore<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedStore").field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

/// How long [`CachedStore`] keeps a bot installation by default.
pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(30);

/// The most bot installations the cache keeps; beyond it, expired ones are dropped, then all.
const CACHE_CAPACITY: usize = 100_000;

impl<S: InstallationStore> CachedStore<S> {
    pub fn new(store: S) -> Self {
        Self::with_ttl(store, DEFAULT_CACHE_TTL)
    }

    pub fn with_ttl(store: S, ttl: Duration) -> Self {
        CachedStore { store, ttl, bots: Mutex::new(HashMap::new()) }
    }

    /// The store behind the cache.
    pub fn inner(&self) -> &S {
        &self.store
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, BotCache> {
        self.bots.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn forget(&self, key: &InstallationKey) {
        self.cache().remove(&owned(key));
    }
}

impl<S: InstallationStore> InstallationStore for CachedStore<S> {
    fn save<'a>(&'a self, installation: &'a Installation) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            self.forget(&installation.key());
            self.store.save(installation).await
        })
    }

    fn find_bot<'a>(&'a self, key: &'a InstallationKey) -> StoreFuture<'a, Option<Installation>> {
        Box::pin(async move {
            let k = owned(key);
            if let Some((at, found)) = self.cache().get(&k) {
                if at.elapsed() < self.ttl {
                    return Ok(found.clone());
                }
            }
            let found = self.store.find_bot(key).await?;
            // A token near its refresh is not cached: the replica that refreshes it must read
            // what the others stored, not a copy of the spent one.
            let horizon = crate::DEFAULT_REFRESH_MARGIN * 2 + self.ttl;
            if found.as_ref().is_some_and(|i| i.bot_token_expires_within(horizon)) {
                return Ok(found);
            }
            let mut cache = self.cache();
            if cache.len() >= CACHE_CAPACITY {
                let ttl = self.ttl;
                cache.retain(|_, (at, _)| at.elapsed() < ttl);
                if cache.len() >= CACHE_CAPACITY {
                    cache.clear();
                }
            }
            cache.insert(k, (Instant::now(), found.clone()));
            Ok(found)
        })
    }

    fn find_installation<'a>(&'a self, key: &'a InstallationKey, user: Option<&'a UserId>) -> StoreFuture<'a, Option<Installation>> {
        self.store.find_installation(key, user)
    }

    fn delete_bot<'a>(&'a self, key: &'a InstallationKey) -> StoreFuture<'a, u64> {
        self.forget(key);
        self.store.delete_bot(key)
    }

    fn delete_installation<'a>(&'a self, key: &'a InstallationKey, user: Option<&'a UserId>) -> StoreFuture<'a, u64> {
        self.forget(key);
        self.store.delete_installation(key, user)
    }

    fn lease<'a>(&'a self, name: &'a str, ttl: Duration) -> StoreFuture<'a, Option<String>> {
        self.store.lease(name, ttl)
    }

    fn release<'a>(&'a self, name: &'a str, holder: &'a str) -> StoreFuture<'a, ()> {
        self.store.release(name, holder)
    }

    fn name(&self) -> &'static str {
        self.store.name()
    }
}

impl<T: InstallationStore + ?Sized> InstallationStore for Arc<T> {
    fn save<'a>(&'a self, installation: &'a Installation) -> StoreFuture<'a, ()> {
        (**self).save(installation)
    }
    fn find_bot<'a>(&'a self, key: &'a InstallationKey) -> StoreFuture<'a, Option<Installation>> {
        (**self).find_bot(key)
    }
    fn find_installation<'a>(&'a self, key: &'a InstallationKey, user: Option<&'a UserId>) -> StoreFuture<'a, Option<Installation>> {
        (**self).find_installation(key, user)
    }
    fn delete_bot<'a>(&'a self, key: &'a InstallationKey) -> StoreFuture<'a, u64> {
        (**self).delete_bot(key)
    }
    fn delete_installation<'a>(&'a self, key: &'a InstallationKey, user: Option<&'a UserId>) -> StoreFuture<'a, u64> {
        (**self).delete_installation(key, user)
    }
    fn lease<'a>(&'a self, name: &'a str, ttl: Duration) -> StoreFuture<'a, Option<String>> {
        (**self).lease(name, ttl)
    }
    fn release<'a>(&'a self, name: &'a str, holder: &'a str) -> StoreFuture<'a, ()> {
        (**self).release(name, holder)
    }
    fn name(&self) -> &'static str {
        (**self).name()
    }
}

pub(crate) fn to_hex(bytes: &[u8], out: &mut String) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    to_hex(bytes, &mut s);
    s
}

/// `n` random bytes from the system's generator, as hex (state nonces, lease holders).
pub(crate) fn random_hex(n: usize) -> Result<String, StoreError> {
    let mut b = vec![0u8; n];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b)
        .map_err(|_| StoreError::Unavailable("no random numbers from the system".into()))?;
    Ok(hex(&b))
}

pub(crate) fn from_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    s.as_bytes().chunks(2).map(|p| Some(digit(p[0])? << 4 | digit(p[1])?)).collect()
}
