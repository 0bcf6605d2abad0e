//! A target of the listener benchmark (`xtask/bench/listener.sh`): slack-api's App framework
//! (`slack_api::app`, features `app` + `axum`) served by `App::serve_http` on 127.0.0.1:$PORT,
//! with one listener for `app_mention` that does nothing. The framework verifies, decodes,
//! deduplicates by `event_id`, routes and acknowledges before the listener runs. The bot's ids
//! are given, as to the Bolt apps, so that it ignores its own events without calling Slack.

use slack_api::app::{App, Cx};
use slack_api::events::AppMentionEvent;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::var("PORT").as_deref().unwrap_or("3000").parse()?;
    let secret = std::env::var("SLACK_SIGNING_SECRET")?;
    let mut app = App::new(slack_api::Client::new("xoxb-bench")?);
    app.bot_user_id("U123ABC456").bot_id("B123ABC456");
    app.event(|_mention: AppMentionEvent, _cx: Cx| async move { Ok(()) });
    app.serve_http(&format!("127.0.0.1:{port}"), secret).await?;
    Ok(())
}
