//! Installing the app: exchanging the `code` of Slack's OAuth redirect for tokens.
//!
//! ```sh
//! SLACK_CLIENT_ID=… SLACK_CLIENT_SECRET=… SLACK_OAUTH_CODE=… cargo run -p slack-api --example oauth_exchange
//! ```
//!
//! Without `SLACK_API_URL` it talks to Slack; CI points it at a loopback stand-in
//! (`cargo run -p slack-api-tests --bin mock_slack`).

use slack_api::Client;
use slack_api::oauth::OauthV2AccessRequest;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    // The exchange needs no token: the app's client ID and secret go as HTTP Basic auth.
    let mut builder = Client::without_token();
    if let Ok(url) = std::env::var("SLACK_API_URL") {
        builder = builder.base_url(url);
    }
    let oauth = builder.build()?;

    let request = OauthV2AccessRequest::new()
        .client_id(var("SLACK_CLIENT_ID")?)
        .client_secret(var("SLACK_CLIENT_SECRET")?)
        .code(var("SLACK_OAUTH_CODE")?);
    // Debug output never shows the secret or the code.
    println!("{request:?}");
    let access = oauth.call(&request).await?;

    let team = access.team.as_ref().and_then(|t| t.name.as_deref()).unwrap_or("?");
    println!("installed in {team}; bot user {:?}, scopes {:?}", access.bot_user_id, access.scope);
    // Store `access.access_token` (the bot token) where your app keeps secrets; Debug shows it
    // as <redacted>:
    println!("{:?}", access.authed_user);
    let bot_token = access.access_token.ok_or("no bot token in the answer")?;
    let _client = Client::new(bot_token)?;
    Ok(())
}
