//! The in-process backend: the state of one replica.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use super::{Lease, SharedState, SlotRequest, StateError, StateFuture};

/// State kept in this process: what one replica needs, and what a replica falls back to while
/// a shared backend is down. Idle entries (slots all free again, expired claims and leases)
/// are swept as the maps grow, so memory stays bounded.
#[derive(Debug, Default)]
pub struct MemoryState {
    inner: Mutex<Maps>,
    leases: AtomicU64,
}

#[derive(Debug, Default)]
struct Maps {
    /// Per slot key: the theoretical arrival time of the next call.
    slots: HashMap<String, Instant>,
    /// Per pause key: when the pause ends.
    pauses: HashMap<String, Instant>,
    /// Per claimed key: when the claim expires.
    claims: HashMap<String, Instant>,
    /// Per lease key: its holder and when it expires.
    leases: HashMap<String, (String, Instant)>,
    values: HashMap<String, String>,
    /// Entries after the last sweep; the next comes at twice as many.
    swept_at: usize,
}

/// Sweeps never run below this many entries.
const MIN_SWEEP: usize = 1024;

impl MemoryState {
    pub fn new() -> Self {
        Self::default()
    }

    fn maps(&self) -> std::sync::MutexGuard<'_, Maps> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// [`SharedState::reserve`], synchronously. With `take_late`, a slot that is not free now
    /// is not taken (and its wait returned): `try_acquire`'s semantics.
    pub(crate) fn reserve_now(&self, slot: SlotRequest<'_>, take_late: bool) -> Option<Duration> {
        let now = Instant::now();
        let mut maps = self.maps();
        let start = maps.pauses.get(slot.pause_key).copied().filter(|p| *p > now).unwrap_or(now);
        let tat = maps.slots.get(slot.key).copied().unwrap_or(start).max(start);
        let allowed_at = tat.checked_sub(slot.tolerance).unwrap_or(start).max(start);
        let wait = allowed_at - now;
        if !wait.is_zero() {
            if !take_late {
                return Some(wait);
            }
            if slot.max_wait.is_some_and(|max| wait > max) {
                return None;
            }
        }
        let next = tat.checked_add(slot.interval).unwrap_or(tat);
        maps.slots.insert(slot.key.to_owned(), next);
        maps.sweep_if_due(now);
        Some(wait)
    }

    /// How many slot keys are held (idle ones are swept as the map grows).
    pub(crate) fn slot_keys(&self) -> usize {
        self.maps().slots.len()
    }

    /// How many claimed keys are held (expired ones until swept).
    pub(crate) fn claim_keys(&self) -> usize {
        self.maps().claims.len()
    }

    /// Forgets idle entries now.
    pub(crate) fn sweep(&self) {
        self.maps().sweep(Instant::now());
    }

    pub(crate) fn pause_now(&self, pause_key: &str, duration: Duration) {
        let now = Instant::now();
        let until = now.checked_add(duration).unwrap_or(now + Duration::from_secs(86_400 * 365));
        let mut maps = self.maps();
        let slot = maps.pauses.entry(pause_key.to_owned()).or_insert(until);
        *slot = (*slot).max(until);
    }

    pub(crate) fn claim_now(&self, key: &str, ttl: Duration) -> bool {
        let now = Instant::now();
        let mut maps = self.maps();
        if maps.claims.get(key).is_some_and(|exp| *exp > now) {
            return false;
        }
        maps.claims.insert(key.to_owned(), now.checked_add(ttl).unwrap_or(now));
        maps.sweep_if_due(now);
        true
    }

    pub(crate) fn lease_now(&self, key: &str, ttl: Duration) -> Option<Lease> {
        let now = Instant::now();
        let mut maps = self.maps();
        if maps.leases.get(key).is_some_and(|(_, exp)| *exp > now) {
            return None;
        }
        let holder = format!("local-{}", self.leases.fetch_add(1, Ordering::Relaxed));
        maps.leases.insert(key.to_owned(), (holder.clone(), now.checked_add(ttl).unwrap_or(now)));
        Some(Lease { key: key.to_owned(), holder })
    }

    pub(crate) fn release_now(&self, lease: &Lease) {
        let mut maps = self.maps();
        if maps.leases.get(&lease.key).is_some_and(|(h, _)| *h == lease.holder) {
            maps.leases.remove(&lease.key);
        }
    }

    pub(crate) fn get_now(&self, key: &str) -> Option<String> {
        self.maps().values.get(key).cloned()
    }

    pub(crate) fn set_now(&self, key: &str, value: &str) {
        self.maps().values.insert(key.to_owned(), value.to_owned());
    }
}

impl Maps {
    fn len(&self) -> usize {
        self.slots.len() + self.pauses.len() + self.claims.len() + self.leases.len()
    }

    fn sweep_if_due(&mut self, now: Instant) {
        if self.len() >= (self.swept_at * 2).max(MIN_SWEEP) {
            self.sweep(now);
        }
    }

    /// A slot key whose theoretical arrival time has passed is in the same state as one never
    /// seen; an ended pause, claim or lease is no pause, claim or lease. Dropping them changes
    /// nothing.
    fn sweep(&mut self, now: Instant) {
        self.slots.retain(|_, tat| *tat > now);
        self.pauses.retain(|_, until| *until > now);
        self.claims.retain(|_, exp| *exp > now);
        self.leases.retain(|_, (_, exp)| *exp > now);
        if self.slots.capacity() > 4 * self.slots.len().max(MIN_SWEEP) {
            self.slots.shrink_to_fit();
        }
        if self.claims.capacity() > 4 * self.claims.len().max(MIN_SWEEP) {
            self.claims.shrink_to_fit();
        }
        self.swept_at = self.len();
    }
}

fn ready<'a, T: Send + 'a>(value: T) -> StateFuture<'a, T> {
    Box::pin(std::future::ready(Ok::<T, StateError>(value)))
}

impl SharedState for MemoryState {
    fn reserve<'a>(&'a self, slot: SlotRequest<'a>) -> StateFuture<'a, Option<Duration>> {
        ready(self.reserve_now(slot, true))
    }
    fn pause<'a>(&'a self, pause_key: &'a str, duration: Duration) -> StateFuture<'a, ()> {
        self.pause_now(pause_key, duration);
        ready(())
    }
    fn claim<'a>(&'a self, key: &'a str, ttl: Duration) -> StateFuture<'a, bool> {
        ready(self.claim_now(key, ttl))
    }
    fn lease<'a>(&'a self, key: &'a str, ttl: Duration) -> StateFuture<'a, Option<Lease>> {
        ready(self.lease_now(key, ttl))
    }
    fn release(&self, lease: Lease) -> StateFuture<'_, ()> {
        self.release_now(&lease);
        ready(())
    }
    fn get<'a>(&'a self, key: &'a str) -> StateFuture<'a, Option<String>> {
        ready(self.get_now(key))
    }
    fn set<'a>(&'a self, key: &'a str, value: &'a str) -> StateFuture<'a, ()> {
        self.set_now(key, value);
        ready(())
    }
    fn name(&self) -> &'static str {
        "memory"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(key: &str, max_wait: Option<Duration>) -> SlotRequest<'_> {
        SlotRequest { key, pause_key: "p", interval: Duration::from_secs(1), tolerance: Duration::ZERO, max_wait }
    }

    #[test]
    fn reservations_pauses_claims_and_leases() {
        let m = MemoryState::new();
        assert_eq!(m.reserve_now(slot("a", None), true), Some(Duration::ZERO));
        let w = m.reserve_now(slot("a", None), true).unwrap();
        assert!(w > Duration::from_millis(900), "{w:?}");
        // Beyond the deadline: refused and not taken.
        assert_eq!(m.reserve_now(slot("a", Some(Duration::from_secs(1))), true), None);
        let w = m.reserve_now(slot("a", None), true).unwrap();
        assert!(w > Duration::from_millis(1900) && w <= Duration::from_secs(2), "{w:?}");
        // A pause holds back a fresh key too.
        m.pause_now("p", Duration::from_secs(5));
        let w = m.reserve_now(slot("b", None), true).unwrap();
        assert!(w > Duration::from_millis(4900), "{w:?}");

        assert!(m.claim_now("e1", Duration::from_secs(60)));
        assert!(!m.claim_now("e1", Duration::from_secs(60)));
        let lease = m.lease_now("l", Duration::from_secs(60)).unwrap();
        assert!(m.lease_now("l", Duration::from_secs(60)).is_none());
        m.release_now(&lease);
        assert!(m.lease_now("l", Duration::from_secs(60)).is_some());
    }
}
