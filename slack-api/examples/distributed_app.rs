//! An app that many workspaces install: "Add to Slack", installations kept in a SQLite file (or
//! PostgreSQL for replicas), and every workspace answered with its own bot token.
//!
//! `SLACK_CLIENT_ID=… SLACK_CLIENT_SECRET=… SLACK_SIGNING_SECRET=… cargo run -p slack-api --features app,axum,sqlite --example distributed_app`
//! then open <http://localhost:3000/slack/install>. Point the app's redirect URL at
//! `/slack/oauth_redirect` and its event and command URLs at `/slack/events`.
//!
//! Settings: `PORT` (3000); `DATABASE` (a SQLite file, `installations.db`), or with the feature
//! `postgres` a `postgres://…` URL shared by every replica; `INSTALLATION_KEY` (64 hex digits)
//! to encrypt tokens at rest; `PUBLIC_URL` (`https://…`) for the redirect URI and secure cookies.
use std::sync::Arc;

use slack_api::Method;
use slack_api::app::{Ack, App, Cx};
use slack_api::chat::ChatPostMessageRequest;
use slack_api::events::{AppMentionEvent, SlashCommand};
use slack_api::install::{InstallFlow, InstallationStore, SqliteStore, TokenCipher};

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

async fn store() -> Result<Arc<dyn InstallationStore>, Box<dyn std::error::Error>> {
    let database = env("DATABASE").unwrap_or_else(|| "installations.db".into());
    let key = env("INSTALLATION_KEY").map(|k| TokenCipher::from_hex(&k)).transpose()?;
    #[cfg(feature = "postgres")]
    if database.starts_with("postgres://") {
        let store = slack_api::install::PostgresStore::connect(&database).await?;
        return Ok(Arc::new(match key {
            Some(k) => store.encrypt(k),
            None => store,
        }));
    }
    let store = SqliteStore::open(&database)?;
    Ok(Arc::new(match key {
        Some(k) => store.encrypt(k),
        None => store,
    }))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let need = |name: &str| env(name).ok_or_else(|| format!("set {name} (the app's Basic Information page)"));
    let public = env("PUBLIC_URL");
    let mut flow = InstallFlow::new(need("SLACK_CLIENT_ID")?, need("SLACK_CLIENT_SECRET")?, store().await?)
        .calls(&[ChatPostMessageRequest::INFO]) // chat:write, from the spec
        .bot_scopes(["app_mentions:read", "commands"])
        .secure_cookie(public.as_deref().is_some_and(|u| u.starts_with("https://")));
    if let Some(url) = &public {
        flow = flow.redirect_uri(format!("{url}/slack/oauth_redirect"));
    }
    // Installations bring their own tokens: the app's client has none.
    let mut client = slack_api::Client::without_token();
    if let Some(url) = env("SLACK_API_URL") {
        client = client.base_url(url);
    }
    let mut app = App::new(client.build()?);
    app.oauth(flow);

    app.event(|_: AppMentionEvent, cx: Cx| async move {
        cx.reply("Hello! I answer with this workspace's own bot token.").await?;
        Ok(())
    });
    app.command("/installed", |_: SlashCommand, cx: Cx| async move {
        let team = cx.installation().and_then(|i| i.team_name.clone()).unwrap_or_default();
        cx.ack_with(Ack::ephemeral(format!("Installed in {team}.")))?;
        Ok(())
    });

    let addr = format!("0.0.0.0:{}", env("PORT").unwrap_or_else(|| "3000".into()));
    println!("open http://localhost:{}/slack/install to install", addr.rsplit(':').next().unwrap_or("3000"));
    app.serve_http(&addr, need("SLACK_SIGNING_SECRET")?).await?;
    Ok(())
}
