//! Apps for many workspaces (feature `install`): the OAuth install flow, installations in a
//! store, and the right token for every payload.
//!
//! # Distributing an app
//!
//! An app that other workspaces install needs three things besides its listeners, and
//! [`InstallFlow`] given to [`App::oauth`](crate::app::App::oauth) provides them:
//!
//! 1. **"Add to Slack".** `GET /slack/install` answers a page with the link to Slack's
//!    authorization page (or redirects there, [`InstallFlow::direct_install`]) for the bot
//!    scopes — given, or derived from the methods the app calls ([`InstallFlow::calls`]) —
//!    with a `state` that is signed, expires after 10 minutes, is single-use and is bound to
//!    the browser by a cookie.
//! 2. **The redirect.** `GET /slack/oauth_redirect` refuses a missing, forged, expired,
//!    replayed or cookie-less state and `error=access_denied` with a page that says which
//!    ([`InstallError`]), exchanges the code (`oauth.v2.access`), asks `auth.test` for the bot
//!    id, checks the granted scopes against the methods the app calls, and stores the
//!    [`Installation`]. Nothing is stored when any step fails.
//! 3. **Authorization.** Before a listener runs, the payload's installation is found — by
//!    its workspace, or its organisation for org-wide installs (events name it in
//!    `authorizations`) — and [`Cx::client`](crate::app::Cx::client) carries its bot token,
//!    over the app's one connection pool and rate limiter (with a budget per workspace:
//!    [`Client::with_token_for`](crate::Client::with_token_for)). A rotating token about to
//!    expire is refreshed first and stored back, by one replica at a time (a lease in the
//!    store). `app_uninstalled` and `tokens_revoked` remove what they revoke. A payload from
//!    a workspace with no installation is acknowledged, logged, and reaches no listener.
//!
//! ```no_run
//! use slack_api::Method;
//! use slack_api::app::{App, Cx, Result};
//! use slack_api::chat::ChatPostMessageRequest;
//! use slack_api::events::AppMentionEvent;
//! use slack_api::install::{InstallFlow, SqliteStore, TokenCipher};
//!
//! # async fn run() -> std::result::Result<(), Box<dyn std::error::Error>> {
//! let store = SqliteStore::open("installations.db")?
//!     .encrypt(TokenCipher::from_hex(&std::env::var("INSTALLATION_KEY")?)?);
//! let flow = InstallFlow::new(std::env::var("SLACK_CLIENT_ID")?, std::env::var("SLACK_CLIENT_SECRET")?, store)
//!     .calls(&[ChatPostMessageRequest::INFO]);
//! let mut app = App::new(slack_api::Client::without_token().build()?);
//! app.oauth(flow);
//! app.event(|_: AppMentionEvent, cx: Cx| async move {
//!     cx.reply("Hello from your workspace's own bot token").await?;
//!     Ok(())
//! });
//! app.serve_http("0.0.0.0:3000", std::env::var("SLACK_SIGNING_SECRET")?).await?;
//! # Ok(()) }
//! ```
//!
//! # Stores
//!
//! | store | feature | for |
//! |---|---|---|
//! | [`MemoryStore`] | `install` | tests, one process that may lose its installations |
//! | [`SqliteStore`] | `sqlite` | one file, created and migrated on first use: the embedded default |
//! | [`PostgresStore`] | `postgres` | several replicas sharing installations and refresh leases |
//! | [`CachedStore`] | `install` | a cache in front of any of them |
//!
//! The SQL stores keep the latest bot installation per workspace (`slack_bots`) and the
//! latest installation per installing user (`slack_installations`), apply versioned
//! migrations (`slack_schema`) when they open, and refuse a schema newer than they know.
//! With a `TokenCipher` (with either SQL store's feature) every record is encrypted (AES-256-GCM) and bound to its row, so a
//! dump of the database shows no token. Bring your own store by implementing
//! [`InstallationStore`].
//!
//! # Scopes from the spec
//!
//! Every method's scopes per token type are in the spec. [`required_scopes`] turns the
//! methods an app calls into the scopes to request; [`missing_scopes`] (and
//! [`InstallFlow::missing_scopes`], which runs after every install) names, by method, what a
//! token lacks.
//!
//! # Coming from Bolt
//!
//! | Bolt | here |
//! |---|---|
//! | `OAuthSettings(client_id, client_secret, scopes, user_scopes, installation_store, state_store)` | [`InstallFlow::new`] with [`bot_scopes`](InstallFlow::bot_scopes) / [`calls`](InstallFlow::calls), [`user_scopes`](InstallFlow::user_scopes), the store, [`state_store`](InstallFlow::state_store) |
//! | `FileInstallationStore`, `SQLAlchemyInstallationStore` | [`SqliteStore`], [`PostgresStore`] |
//! | `install_path`, `redirect_uri_path` | [`InstallFlow::install_path`], [`InstallFlow::redirect_path`] |
//! | `callback_options` (success / failure) | [`InstallFlow::on_success`], [`InstallFlow::on_failure`] |
//! | `context.authorize_result`, `context.client` | [`Cx::installation`](crate::app::Cx::installation), [`Cx::client`](crate::app::Cx::client) |
//! | `token_rotation_expiration_minutes` | [`InstallFlow::refresh_margin`] |

mod authorize;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod cipher;
mod flow;
#[cfg(feature = "postgres")]
mod postgres;
mod record;
mod scopes;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
#[cfg(feature = "sqlite")]
mod sqlite;
mod state;
mod store;

pub(crate) use authorize::AuthorizeError;
pub use flow::{DEFAULT_AUTHORIZE_URL, DEFAULT_STATE_COOKIE, DEFAULT_STATE_TTL, InstallError, InstallFlow, page};
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
pub use record::{IncomingWebhook, Installation, InstallationKey};
pub use scopes::{MissingScopes, missing_scopes, required_scopes, uncallable};
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;
pub use state::{SignedStates, StateCheck, StateStore, StoredStates};
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use cipher::TokenCipher;
pub use store::{CachedStore, DEFAULT_CACHE_TTL, InstallationStore, MemoryStore, StoreError, StoreFuture};
