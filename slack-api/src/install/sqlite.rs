//! Installations in one SQLite file (feature `sqlite`): the embedded default.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use super::record::{Installation, InstallationKey};
use super::sql;
use super::cipher::{Codec, TokenCipher};
use super::store::{InstallationStore, StoreError, StoreFuture};
use crate::UserId;

/// Installations in a SQLite file, created and migrated on first use: nothing to install or
/// start. Several processes may share the file (WAL journal, a 5 s busy timeout); replicas on
/// several machines want [`PostgresStore`](super::PostgresStore). Cheap to clone.
///
/// ```no_run
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use slack_api::install::{SqliteStore, TokenCipher};
///
/// let store = SqliteStore::open("installations.db")?
///     .encrypt(TokenCipher::from_hex(&std::env::var("INSTALLATION_KEY")?)?);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    path: Arc<PathBuf>,
    codec: Codec,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("path", &self.path).field("encrypted", &self.codec.cipher.is_some()).finish()
    }
}

fn unavailable(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("sqlite {}: {e}", path.display()))
}

impl SqliteStore {
    /// Opens (or creates) the file and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let mut conn = Connection::open(&path).map_err(|e| unavailable(&path, e))?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(|e| unavailable(&path, e))?;
        // WAL lets readers go on while a writer writes; an in-memory database keeps its own mode.
        let _: Option<String> = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).optional().map_err(|e| unavailable(&path, e))?;
        migrate(&mut conn).map_err(|e| match e {
            Migration::Db(e) => unavailable(&path, e),
            Migration::TooNew(v) => sql::too_new(v),
        })?;
        Ok(SqliteStore { conn: Arc::new(Mutex::new(conn)), path: Arc::new(path), codec: Codec::default() })
    }

    /// Encrypts records from now on (see [`TokenCipher`]).
    #[must_use]
    pub fn encrypt(mut self, cipher: TokenCipher) -> Self {
        self.codec.cipher = Some(cipher);
        self
    }

    /// Runs `f` on the connection off the async threads.
    fn run<'a, T: Send + 'static>(
        &'a self,
        f: impl FnOnce(&Connection, &Codec) -> Result<T, StoreError> + Send + 'static,
    ) -> StoreFuture<'a, T> {
        let conn = self.conn.clone();
        let codec = self.codec.clone();
        let path = self.path.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let conn = conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                f(&conn, &codec)
            })
            .await
            .map_err(|e| unavailable(&path, format!("the database task failed: {e}")))?
        })
    }
}

enum Migration {
    Db(rusqlite::Error),
    TooNew(i64),
}

impl From<rusqlite::Error> for Migration {
    fn from(e: rusqlite::Error) -> Self {
        Migration::Db(e)
    }
}

fn migrate(conn: &mut Connection) -> Result<(), Migration> {
    // One writer at a time: a second process opening the file waits here, then finds the
    // migrations done.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute(sql::CREATE_SCHEMA_TABLE, [])?;
    let current: i64 = tx.query_row("SELECT COALESCE(MAX(version), 0) FROM slack_schema", [], |r| r.get(0))?;
    if current > sql::latest() {
        return Err(Migration::TooNew(current));
    }
    for (version, statements) in sql::MIGRATIONS.iter().filter(|m| m.0 > current) {
        for s in *statements {
            tx.execute(s, [])?;
        }
        tx.execute("INSERT INTO slack_schema (version, applied_at) VALUES (?1, ?2)", params![version, sql::now_ms() / 1000])?;
    }
    tx.commit()?;
    Ok(())
}

fn db(path: &str) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |e| StoreError::Unavailable(format!("sqlite {path}: {e}"))
}

impl InstallationStore for SqliteStore {
    fn save<'a>(&'a self, installation: &'a Installation) -> StoreFuture<'a, ()> {
        let installation = installation.clone();
        let path = self.path.display().to_string();
        self.run(move |conn, codec| {
            let key = installation.key();
            let (e, t) = key.columns();
            let user = installation.user_id.as_ref().map_or("", |u| u.as_str());
            let at = installation.installed_at as i64;
            let record = codec.encode(&installation, &sql::installation_row(&key, user))?;
            let bot = match installation.bot_token {
                Some(_) => Some(codec.encode(&installation, &sql::bot_row(&key))?),
                None => None,
            };
            let err = db(&path);
            let tx = conn.unchecked_transaction().map_err(&err)?;
            tx.execute(
                "INSERT INTO slack_installations (enterprise_id, team_id, user_id, installed_at, record) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (enterprise_id, team_id, user_id) DO UPDATE SET installed_at = excluded.installed_at, record = excluded.record",
                params![e, t, user, at, record],
            )
            .map_err(&err)?;
            if let Some(bot) = bot {
                tx.execute(
                    "INSERT INTO slack_bots (enterprise_id, team_id, installed_at, record) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (enterprise_id, team_id) DO UPDATE SET installed_at = excluded.installed_at, record = excluded.record",
                    params![e, t, at, bot],
                )
                .map_err(&err)?;
            }
            tx.commit().map_err(&err)
        })
    }

    fn find_bot<'a>(&'a self, key: &'a InstallationKey) -> StoreFuture<'a, Option<Installation>> {
        let key = key.clone();
        let path = self.path.display().to_string();
        self.run(move |conn, codec| {
            let (e, t) = key.columns();
            let record: Option<String> = conn
                .prepare_cached("SELECT record FROM slack_bots WHERE enterprise_id = ?1 AND team_id = ?2")
                .and_then(|mut s| s.query_row(params![e, t], |r| r.get(0)).optional())
                .map_err(db(&path))?;
            record.map(|r| codec.decode(&r, &sql::bot_row(&key))).transpose()
        })
    }

    fn find_installation<'a>(&'a self, key: &'a InstallationKey, user: Option<&'a UserId>) -> StoreFuture<'a, Option<Installation>> {
        let key = key.clone();
        let user = user.cloned();
        let path = self.path.display().to_string();
        self.run(move |conn, codec| {
            let (e, t) = key.columns();
            let found: Option<(String, String)> = match &user {
                Some(u) => conn
                    .prepare_cached("SELECT user_id, record FROM slack_installations WHERE enterprise_id = ?1 AND team_id = ?2 AND user_id = ?3")
                    .and_then(|mut s| s.query_row(params![e, t, u.as_str()], |r| Ok((r.get(0)?, r.get(1)?))).optional()),
                None => conn
                    .prepare_cached(
                        "SELECT user_id, record FROM slack_installations WHERE enterprise_id = ?1 AND team_id = ?2 ORDER BY installed_at DESC LIMIT 1",
                    )
                    .and_then(|mut s| s.query_row(params![e, t], |r| Ok((r.get(0)?, r.get(1)?))).optional()),
            }
            .map_err(db(&path))?;
            found.map(|(u, r)| codec.decode(&r, &sql::installation_row(&key, &u))).transpose()
        })
    }

    fn delete_bot<'a>(&'a self, key: &'a InstallationKey) -> StoreFuture<'a, u64> {
        let key = key.clone();
        let path = self.path.display().to_string();
        self.run(move |conn, _| {
            let (e, t) = key.columns();
            let n = conn.execute("DELETE FROM slack_bots WHERE enterprise_id = ?1 AND team_id = ?2", params![e, t]).map_err(db(&path))?;
            Ok(n as u64)
        })
    }

    fn delete_installation<'a>(&'a self, key: &'a InstallationKey, user: Option<&'a UserId>) -> StoreFuture<'a, u64> {
        let key = key.clone();
        let user = user.cloned();
        let path = self.path.display().to_string();
        self.run(move |conn, _| {
            let (e, t) = key.columns();
            let err = db(&path);
            let n = match &user {
                Some(u) => conn
                    .execute("DELETE FROM slack_installations WHERE enterprise_id = ?1 AND team_id = ?2 AND user_id = ?3", params![e, t, u.as_str()])
                    .map_err(&err)?,
                None => {
                    let tx = conn.unchecked_transaction().map_err(&err)?;
                    let users = tx.execute("DELETE FROM slack_installations WHERE enterprise_id = ?1 AND team_id = ?2", params![e, t]).map_err(&err)?;
                    let bots = tx.execute("DELETE FROM slack_bots WHERE enterprise_id = ?1 AND team_id = ?2", params![e, t]).map_err(&err)?;
                    tx.commit().map_err(&err)?;
                    users + bots
                }
            };
            Ok(n as u64)
        })
    }

    fn lease<'a>(&'a self, name: &'a str, ttl: Duration) -> StoreFuture<'a, Option<String>> {
        let name = name.to_owned();
        let path = self.path.display().to_string();
        self.run(move |conn, _| {
            // A random holder name, so that two processes never share one.
            let holder = super::store::random_hex(12)?;
            let now = sql::now_ms();
            let n = conn
                .execute(
                    "INSERT INTO slack_leases (name, holder, expires_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                     WHERE slack_leases.expires_at < ?4",
                    params![name, holder, now + ttl.as_millis() as i64, now],
                )
                .map_err(db(&path))?;
            Ok((n == 1).then_some(holder))
        })
    }

    fn release<'a>(&'a self, name: &'a str, holder: &'a str) -> StoreFuture<'a, ()> {
        let (name, holder) = (name.to_owned(), holder.to_owned());
        let path = self.path.display().to_string();
        self.run(move |conn, _| {
            conn.execute("DELETE FROM slack_leases WHERE name = ?1 AND holder = ?2", params![name, holder]).map_err(db(&path))?;
            Ok(())
        })
    }

    fn name(&self) -> &'static str {
        "sqlite"
    }
}
