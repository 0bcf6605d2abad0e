//! Installations in PostgreSQL (feature `postgres`): for apps on several replicas.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio_postgres::{Client as PgClient, Config, NoTls};

use super::record::{Installation, InstallationKey};
use super::sql;
use super::cipher::{Codec, TokenCipher};
use super::store::{InstallationStore, StoreError, StoreFuture};
use crate::UserId;

/// How long one database operation may take before it fails as unavailable.
const OP_TIMEOUT: Duration = Duration::from_secs(5);

/// While the database is down, how often a connection is tried.
const PROBE_EVERY: Duration = Duration::from_secs(1);

/// A key for `pg_advisory_xact_lock`, so that two replicas starting at once migrate one after
/// the other.
const MIGRATION_LOCK: i64 = 0x534c_4143_4b49_4e53; // "SLACKINS"

/// Installations in PostgreSQL, shared by every replica: the schema is created and migrated on
/// first use (under an advisory lock), leases for token refreshes are rows updated atomically.
/// One connection, re-opened when it drops; every operation fails as unavailable after 5 s
/// rather than hang. Cheap to clone.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use slack_api::install::PostgresStore;
///
/// let store = PostgresStore::connect("postgres://app@db.internal/slack").await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct PostgresStore {
    inner: Arc<Inner>,
    codec: Codec,
}

struct Inner {
    config: Config,
    /// Where, for errors: host and database, never the password.
    display: String,
    client: Mutex<Option<Arc<PgClient>>>,
    /// When the last connection attempt failed: for a second after, operations fail at once
    /// instead of each waiting for its own attempt (one probe a second while the database is
    /// down).
    failed_at: std::sync::Mutex<Option<std::time::Instant>>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore").field("database", &self.inner.display).field("encrypted", &self.codec.cipher.is_some()).finish()
    }
}

impl PostgresStore {
    /// Connects with a URL or key-value string (`postgres://user@host:port/db`,
    /// `host=… user=… dbname=…`) and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let mut config: Config = url.parse().map_err(|e| StoreError::Config(format!("postgres connection string: {e}")))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(OP_TIMEOUT);
        }
        let display = format!(
            "postgres {:?}/{}",
            config.get_hosts().iter().map(|h| format!("{h:?}")).collect::<Vec<_>>(),
            config.get_dbname().unwrap_or("")
        );
        let store = PostgresStore { inner: Arc::new(Inner { config, display, client: Mutex::new(None), failed_at: std::sync::Mutex::new(None) }), codec: Codec::default() };
        let client = store.client().await?;
        store.timed(migrate(&client)).await?;
        store.schema_version().await?;
        Ok(store)
    }

    /// Encrypts records from now on (see [`TokenCipher`]).
    #[must_use]
    pub fn encrypt(mut self, cipher: TokenCipher) -> Self {
        self.codec.cipher = Some(cipher);
        self
    }

    fn unavailable(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError::Unavailable(format!("{}: {e}", self.inner.display))
    }

    /// The open connection, or a new one when there is none or it dropped.
    async fn client(&self) -> Result<Arc<PgClient>, StoreError> {
        let mut slot = self.inner.client.lock().await;
        if let Some(c) = slot.as_ref().filter(|c| !c.is_closed()) {
            return Ok(c.clone());
        }
        let recently_failed = |at: &mut Option<std::time::Instant>| at.is_some_and(|t| t.elapsed() < PROBE_EVERY);
        if recently_failed(&mut self.inner.failed_at.lock().unwrap_or_else(std::sync::PoisonError::into_inner)) {
            return Err(self.unavailable("down (the last connection attempt failed less than a second ago)"));
        }
        let connecting = tokio::time::timeout(OP_TIMEOUT, self.inner.config.connect(NoTls)).await;
        let failed = |e: StoreError| {
            *self.inner.failed_at.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(std::time::Instant::now());
            Err(e)
        };
        let (client, connection) = match connecting {
            Ok(Ok(pair)) => pair,
            Ok(Err(e)) => return failed(self.unavailable(e)),
            Err(_) => return failed(self.unavailable("no connection within 5 s")),
        };
        let database = self.inner.display.clone();
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(database = %database, error = %e, "slack_api.install: the PostgreSQL connection dropped; the next operation reconnects");
            }
        });
        let client = Arc::new(client);
        *slot = Some(client.clone());
        Ok(client)
    }

    async fn timed<T>(&self, op: impl std::future::Future<Output = Result<T, tokio_postgres::Error>>) -> Result<T, StoreError> {
        match tokio::time::timeout(OP_TIMEOUT, op).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(self.unavailable(e)),
            Err(_) => Err(self.unavailable("no answer within 5 s")),
        }
    }
}

async fn migrate(client: &PgClient) -> Result<(), tokio_postgres::Error> {
    client.batch_execute("BEGIN").await?;
    let result = async {
        client.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
        client.batch_execute(sql::CREATE_SCHEMA_TABLE).await?;
        let current: i64 = client.query_one("SELECT COALESCE(MAX(version), 0)::BIGINT FROM slack_schema", &[]).await?.get(0);
        Ok::<_, tokio_postgres::Error>(current)
    }
    .await;
    let current = match result {
        Ok(c) => c,
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(e);
        }
    };
    if current > sql::latest() {
        client.batch_execute("ROLLBACK").await?;
        // Reported by the caller's check below.
        return Ok(());
    }
    for (version, statements) in sql::MIGRATIONS.iter().filter(|m| m.0 > current) {
        for s in *statements {
            if let Err(e) = client.batch_execute(s).await {
                let _ = client.batch_execute("ROLLBACK").await;
                return Err(e);
            }
        }
        client.execute("INSERT INTO slack_schema (version, applied_at) VALUES ($1, $2)", &[version, &(sql::now_ms() / 1000)]).await?;
    }
    client.batch_execute("COMMIT").await
}

impl InstallationStore for PostgresStore {
    fn save<'a>(&'a self, installation: &'a Installation) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let key = installation.key();
            let (e, t) = key.columns();
            let user = installation.user_id.as_ref().map_or("", |u| u.as_str());
            let at = installation.installed_at as i64;
            let record = self.codec.encode(installation, &sql::installation_row(&key, user))?;
            let bot = match installation.bot_token {
                Some(_) => Some(self.codec.encode(installation, &sql::bot_row(&key))?),
                None => None,
            };
            let client = self.client().await?;
            // One statement, so one transaction: the connection is shared by concurrent
            // operations, which a `BEGIN` … `COMMIT` around two statements would mix up.
            let upsert_user = "INSERT INTO slack_installations (enterprise_id, team_id, user_id, installed_at, record) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (enterprise_id, team_id, user_id) DO UPDATE SET installed_at = excluded.installed_at, record = excluded.record";
            match &bot {
                Some(bot) => {
                    let both = format!(
                        "WITH u AS ({upsert_user})
                         INSERT INTO slack_bots (enterprise_id, team_id, installed_at, record) VALUES ($1, $2, $4, $6)
                         ON CONFLICT (enterprise_id, team_id) DO UPDATE SET installed_at = excluded.installed_at, record = excluded.record"
                    );
                    self.timed(client.execute(&both, &[&e, &t, &user, &at, &record, bot])).await?;
                }
                None => {
                    self.timed(client.execute(upsert_user, &[&e, &t, &user, &at, &record])).await?;
                }
            }
            Ok(())
        })
    }

    fn find_bot<'a>(&'a self, key: &'a InstallationKey) -> StoreFuture<'a, Option<Installation>> {
        Box::pin(async move {
            let (e, t) = key.columns();
            let client = self.client().await?;
            let row = self.timed(client.query_opt("SELECT record FROM slack_bots WHERE enterprise_id = $1 AND team_id = $2", &[&e, &t])).await?;
            row.map(|r| self.codec.decode(r.get(0), &sql::bot_row(key))).transpose()
        })
    }

    fn find_installation<'a>(&'a self, key: &'a InstallationKey, user: Option<&'a UserId>) -> StoreFuture<'a, Option<Installation>> {
        Box::pin(async move {
            let (e, t) = key.columns();
            let client = self.client().await?;
            let row = match user {
                Some(u) => {
                    self.timed(client.query_opt(
                        "SELECT user_id, record FROM slack_installations WHERE enterprise_id = $1 AND team_id = $2 AND user_id = $3",
                        &[&e, &t, &u.as_str()],
                    ))
                    .await?
                }
                None => {
                    self.timed(client.query_opt(
                        "SELECT user_id, record FROM slack_installations WHERE enterprise_id = $1 AND team_id = $2 ORDER BY installed_at DESC LIMIT 1",
                        &[&e, &t],
                    ))
                    .await?
                }
            };
            row.map(|r| self.codec.decode(r.get(1), &sql::installation_row(key, r.get(0)))).transpose()
        })
    }

    fn delete_bot<'a>(&'a self, key: &'a InstallationKey) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            let (e, t) = key.columns();
            let client = self.client().await?;
            self.timed(client.execute("DELETE FROM slack_bots WHERE enterprise_id = $1 AND team_id = $2", &[&e, &t])).await
        })
    }

    fn delete_installation<'a>(&'a self, key: &'a InstallationKey, user: Option<&'a UserId>) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            let (e, t) = key.columns();
            let client = self.client().await?;
            match user {
                Some(u) => {
                    self.timed(client.execute(
                        "DELETE FROM slack_installations WHERE enterprise_id = $1 AND team_id = $2 AND user_id = $3",
                        &[&e, &t, &u.as_str()],
                    ))
                    .await
                }
                None => {
                    let rows = self
                        .timed(client.query_one(
                            "WITH a AS (DELETE FROM slack_installations WHERE enterprise_id = $1 AND team_id = $2 RETURNING 1),
                                  b AS (DELETE FROM slack_bots WHERE enterprise_id = $1 AND team_id = $2 RETURNING 1)
                             SELECT ((SELECT COUNT(*) FROM a) + (SELECT COUNT(*) FROM b))::BIGINT",
                            &[&e, &t],
                        ))
                        .await?;
                    Ok(rows.get::<_, i64>(0) as u64)
                }
            }
        })
    }

    fn lease<'a>(&'a self, name: &'a str, ttl: Duration) -> StoreFuture<'a, Option<String>> {
        Box::pin(async move {
            // A random holder name, so that two processes never share one.
            let holder = super::store::random_hex(12)?;
            let ttl_ms = ttl.as_millis() as i64;
            let client = self.client().await?;
            // The server's clock decides, so that replicas' clocks do not matter.
            let row = self
                .timed(client.query_opt(
                    "INSERT INTO slack_leases (name, holder, expires_at)
                     VALUES ($1, $2, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT + $3)
                     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                     WHERE slack_leases.expires_at < (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT
                     RETURNING holder",
                    &[&name, &holder, &ttl_ms],
                ))
                .await?;
            Ok(row.map(|_| holder))
        })
    }

    fn release<'a>(&'a self, name: &'a str, holder: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let client = self.client().await?;
            self.timed(client.execute("DELETE FROM slack_leases WHERE name = $1 AND holder = $2", &[&name, &holder])).await?;
            Ok(())
        })
    }

    fn name(&self) -> &'static str {
        "postgres"
    }
}

impl PostgresStore {
    /// The schema version of the database (for checks and tests).
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let client = self.client().await?;
        let row = self.timed(client.query_one("SELECT COALESCE(MAX(version), 0)::BIGINT FROM slack_schema", &[])).await?;
        let v: i64 = row.get(0);
        if v > sql::latest() {
            return Err(sql::too_new(v));
        }
        Ok(v)
    }
}
