//! The Redis backend: state shared by every replica that points at the same Redis.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::time::Instant;

use super::{Lease, SharedState, SlotRequest, StateError, StateFuture};

/// Reserves a rate-limit slot: the generic cell rate algorithm on the server's clock, after
/// the method's pause. KEYS: slot, pause. ARGV: interval µs, tolerance µs, max wait µs (or -1).
/// Returns the wait in µs, or -1 (nothing taken) when it exceeds the max wait.
const RESERVE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local start = now
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then start = now + pause * 1000 end
local tat = tonumber(redis.call('GET', KEYS[1])) or start
if tat < start then tat = start end
local allowed = tat - tonumber(ARGV[2])
if allowed < start then allowed = start end
local wait = allowed - now
local max = tonumber(ARGV[3])
if max >= 0 and wait > max then return -1 end
local nxt = tat + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.0f', nxt), 'PX', math.floor((nxt - now) / 1000) + 1)
return wait
";

/// Pauses: sets the pause key for ARGV[1] ms unless a longer pause is on.
const PAUSE: &str = r"
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 1
";

/// Ends a lease if this holder (ARGV[1]) still holds it.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

/// State in Redis, shared by every process that uses the same server: each operation is one
/// atomic step on the server (a Lua script or a single command), with time from the server's
/// clock. The connection is opened on first use and re-opened after a failure. While Redis is
/// unreachable, operations fail at once (the callers fall back to local state) except one a
/// second, which probes it within the [`timeout`](Self::timeout).
pub struct RedisState {
    client: redis::Client,
    conn: tokio::sync::Mutex<Connection>,
    timeout: Duration,
    holders: AtomicU64,
    reserve: redis::Script,
    pause: redis::Script,
    release: redis::Script,
}

#[derive(Default)]
struct Connection {
    manager: Option<ConnectionManager>,
    last_attempt: Option<Instant>,
    /// After a failure, operations fail at once until then (one probe a second pays the wait).
    down_until: Option<Instant>,
}

impl fmt::Debug for RedisState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.client.get_connection_info();
        f.debug_struct("RedisState")
            .field("addr", &info.addr.to_string())
            .field("db", &info.redis.db)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

fn err(e: impl fmt::Display) -> StateError {
    StateError(format!("redis: {}", crate::redact::scrub(&e.to_string())))
}

/// Milliseconds for `PX`: at least one.
fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

impl RedisState {
    /// A backend on the Redis server at `url` (`redis://host:port/db`, `redis://:password@host`).
    /// Nothing is connected yet: the first operation connects, so an app starts even while
    /// Redis is down. Each operation is limited to 500 ms (see [`timeout`](Self::timeout)).
    pub fn new(url: &str) -> Result<Self, StateError> {
        let client = redis::Client::open(url).map_err(err)?;
        Ok(RedisState {
            client,
            conn: tokio::sync::Mutex::new(Connection::default()),
            timeout: Duration::from_millis(500),
            holders: AtomicU64::new(0),
            reserve: redis::Script::new(RESERVE),
            pause: redis::Script::new(PAUSE),
            release: redis::Script::new(RELEASE),
        })
    }

    /// The limit on each operation, connecting included. A slow Redis then costs a call at
    /// most this much before the caller falls back to local state.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The connection, opened if there is none (at most one attempt a second).
    async fn connection(&self) -> Result<ConnectionManager, StateError> {
        let mut conn = self.conn.lock().await;
        if let Some(until) = conn.down_until {
            if Instant::now() < until {
                return Err(StateError("redis: unreachable (probing once a second)".into()));
            }
            // This operation is the probe; the others keep failing fast meanwhile.
            conn.down_until = Some(Instant::now() + Duration::from_secs(1));
        }
        if let Some(m) = &conn.manager {
            return Ok(m.clone());
        }
        if conn.last_attempt.is_some_and(|t| t.elapsed() < Duration::from_secs(1)) {
            return Err(StateError("redis: not connected (retrying once a second)".into()));
        }
        conn.last_attempt = Some(Instant::now());
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(self.timeout)
            .set_response_timeout(self.timeout)
            .set_number_of_retries(1)
            .set_max_delay(200);
        let manager = tokio::time::timeout(self.timeout, ConnectionManager::new_with_config(self.client.clone(), config))
            .await
            .map_err(|_| StateError("redis: connecting timed out".into()))?
            .map_err(err)?;
        conn.manager = Some(manager.clone());
        Ok(manager)
    }

    /// Runs one operation within the timeout.
    async fn run<T, F>(&self, op: impl FnOnce(ConnectionManager) -> F) -> Result<T, StateError>
    where
        F: std::future::Future<Output = redis::RedisResult<T>>,
    {
        let conn = self.connection().await?;
        let result = match tokio::time::timeout(self.timeout, op(conn)).await {
            Ok(result) => result.map_err(err),
            Err(_) => Err(StateError(format!("redis: no answer within {} ms", self.timeout.as_millis()))),
        };
        let mut conn = self.conn.lock().await;
        conn.down_until = match &result {
            Ok(_) => None,
            Err(_) => Some(Instant::now() + Duration::from_secs(1)),
        };
        result
    }
}

impl RedisState {
    /// Sets `key` to `value` for `ttl` (`SET … PX`), for stores that forget on their own.
    #[cfg(feature = "app")]
    pub(crate) async fn set_for(&self, key: &str, value: &str, ttl: Duration) -> Result<(), StateError> {
        self.run(|mut c| async move { redis::cmd("SET").arg(key).arg(value).arg("PX").arg(millis(ttl)).query_async::<()>(&mut c).await })
            .await
    }
}

impl SharedState for RedisState {
    fn reserve<'a>(&'a self, slot: SlotRequest<'a>) -> StateFuture<'a, Option<Duration>> {
        Box::pin(async move {
            let micros = |d: Duration| i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
            let max = slot.max_wait.map_or(-1, micros);
            let wait: i64 = self
                .run(|mut c| async move {
                    self.reserve
                        .key(slot.key)
                        .key(slot.pause_key)
                        .arg(micros(slot.interval))
                        .arg(micros(slot.tolerance))
                        .arg(max)
                        .invoke_async(&mut c)
                        .await
                })
                .await?;
            Ok(u64::try_from(wait).ok().map(Duration::from_micros))
        })
    }

    fn pause<'a>(&'a self, pause_key: &'a str, duration: Duration) -> StateFuture<'a, ()> {
        Box::pin(async move {
            let _: i64 = self
                .run(|mut c| async move { self.pause.key(pause_key).arg(millis(duration)).invoke_async(&mut c).await })
                .await?;
            Ok(())
        })
    }

    fn claim<'a>(&'a self, key: &'a str, ttl: Duration) -> StateFuture<'a, bool> {
        Box::pin(async move {
            let set: Option<String> = self
                .run(|mut c| async move {
                    redis::cmd("SET").arg(key).arg("1").arg("NX").arg("PX").arg(millis(ttl)).query_async(&mut c).await
                })
                .await?;
            Ok(set.is_some())
        })
    }

    fn lease<'a>(&'a self, key: &'a str, ttl: Duration) -> StateFuture<'a, Option<Lease>> {
        Box::pin(async move {
            let holder = format!(
                "{}-{}-{}",
                std::process::id(),
                self.holders.fetch_add(1, Ordering::Relaxed),
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos()
            );
            let value = holder.clone();
            let set: Option<String> = self
                .run(|mut c| async move {
                    redis::cmd("SET").arg(key).arg(value).arg("NX").arg("PX").arg(millis(ttl)).query_async(&mut c).await
                })
                .await?;
            Ok(set.map(|_| Lease { key: key.to_owned(), holder }))
        })
    }

    fn release(&self, lease: Lease) -> StateFuture<'_, ()> {
        Box::pin(async move {
            let _: i64 = self
                .run(|mut c| async move { self.release.key(&lease.key).arg(&lease.holder).invoke_async(&mut c).await })
                .await?;
            Ok(())
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> StateFuture<'a, Option<String>> {
        Box::pin(async move { self.run(|mut c| async move { redis::cmd("GET").arg(key).query_async(&mut c).await }).await })
    }

    fn set<'a>(&'a self, key: &'a str, value: &'a str) -> StateFuture<'a, ()> {
        Box::pin(async move {
            self.run(|mut c| async move { redis::cmd("SET").arg(key).arg(value).query_async::<()>(&mut c).await }).await
        })
    }

    fn name(&self) -> &'static str {
        "redis"
    }
}
