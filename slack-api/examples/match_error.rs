//! Matching a failed call by its Slack error code, as a typed variant.
//!
//! ```sh
//! SLACK_TOKEN=xoxb-… cargo run -p slack-api --example match_error
//! ```
//!
//! Without `SLACK_API_URL` it talks to Slack; CI points it at a loopback stand-in
//! (`cargo run -p slack-api-tests --bin mock_slack`).

use slack_api::chat::{ChatPostMessageError, ChatPostMessageRequest};
use slack_api::{Client, Error, MethodError};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("SLACK_TOKEN")?;
    let mut builder = Client::builder(token);
    if let Ok(url) = std::env::var("SLACK_API_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    let post = ChatPostMessageRequest::new("CNOTFOUND0").text("Is anyone there?");
    match client.call(&post).await {
        Ok(posted) => println!("posted at {:?}", posted.ts),
        // Every documented code is a variant: the compiler knows them, and so does your editor.
        Err(Error::Api(e)) if e.error == ChatPostMessageError::ChannelNotFound => {
            println!("no such channel (Slack said `{}`: {})", e.error.code(), e.error);
        }
        Err(Error::Api(e)) if e.error.code() == "not_in_channel" => println!("invite the bot first"),
        Err(e) if e.is_retryable() => println!("try again later: {e}"),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
