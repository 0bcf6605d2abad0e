//! Every member of a workspace, page after page, one page in memory.
//!
//! ```sh
//! SLACK_TOKEN=xoxb-… cargo run -p slack-api --example page_members
//! ```
//!
//! Without `SLACK_API_URL` it talks to Slack; CI points it at a loopback stand-in
//! (`cargo run -p slack-api-tests --bin mock_slack`).

use slack_api::Client;
use slack_api::stream::TryStreamExt;
use slack_api::users::UsersListRequest;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("SLACK_TOKEN")?;
    let mut builder = Client::builder(token);
    if let Ok(url) = std::env::var("SLACK_API_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    // `items` follows `next_cursor` for you and yields typed users.
    let mut members = std::pin::pin!(client.items(UsersListRequest::new().limit(200)));
    let (mut humans, mut bots) = (0, 0);
    while let Some(member) = members.try_next().await? {
        if humans + bots == 0 {
            // Objects deref to their fields; every field is optional, as Slack may omit any.
            let email = member.profile.as_ref().and_then(|p| p.email.as_deref()).unwrap_or("-");
            println!("first member: {} <{email}>", member.name.as_deref().unwrap_or("?"));
        }
        if member.is_bot == Some(true) {
            bots += 1;
        } else {
            humans += 1;
        }
    }
    println!("{humans} people and {bots} bots");
    Ok(())
}
