//! What the SQL stores share: the schema, its versioned migrations, and row names.

use super::record::InstallationKey;

/// The schema's migrations, in order: `(version, statements)`. A database records the versions
/// applied in `slack_schema`; a store applies the missing ones when it opens, and refuses a
/// database whose schema is newer than it knows. Append, never edit.
pub(crate) const MIGRATIONS: &[(i64, &[&str])] = &[(
    1,
    &[
        // The latest bot installation per workspace (team `""` for an org-wide one).
        "CREATE TABLE slack_bots (
            enterprise_id TEXT NOT NULL,
            team_id TEXT NOT NULL,
            installed_at BIGINT NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (enterprise_id, team_id)
        )",
        // The latest installation per installing user (their user token, scopes).
        "CREATE TABLE slack_installations (
            enterprise_id TEXT NOT NULL,
            team_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            installed_at BIGINT NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (enterprise_id, team_id, user_id)
        )",
        // Leases: one replica at a time refreshes a rotating token.
        "CREATE TABLE slack_leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at BIGINT NOT NULL
        )",
    ],
)];

/// The version this crate's schema is at.
pub(crate) fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

pub(crate) const CREATE_SCHEMA_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS slack_schema (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)";

/// The refusal for a database migrated by a newer version of the crate.
pub(crate) fn too_new(found: i64) -> super::StoreError {
    super::StoreError::Config(format!(
        "the database's schema is at version {found}, newer than this version of slack-api knows ({}); upgrade the app",
        latest()
    ))
}

/// The name a bot row is sealed with and named by in errors.
pub(crate) fn bot_row(key: &InstallationKey) -> String {
    let (e, t) = key.columns();
    format!("slack_bots row ({e:?}, {t:?})")
}

/// The name an installation row is sealed with and named by in errors.
pub(crate) fn installation_row(key: &InstallationKey, user: &str) -> String {
    let (e, t) = key.columns();
    format!("slack_installations row ({e:?}, {t:?}, {user:?})")
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}
