//! Posting a message, then replying in its thread.
//!
//! ```sh
//! SLACK_TOKEN=xoxb-… SLACK_CHANNEL=C0123456789 cargo run -p slack-api --example reply_in_thread
//! ```
//!
//! Without `SLACK_API_URL` it talks to Slack; CI points it at a loopback stand-in
//! (`cargo run -p slack-api-tests --bin mock_slack`).

use slack_api::Client;
use slack_api::chat::ChatPostMessageRequest;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("SLACK_TOKEN")?;
    let channel = std::env::var("SLACK_CHANNEL").unwrap_or_else(|_| "C0123456789".into());
    let mut builder = Client::builder(token);
    if let Ok(url) = std::env::var("SLACK_API_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    let parent = client.call(&ChatPostMessageRequest::new(channel.as_str()).text("Deploy started")).await?;
    let ts = parent.ts.ok_or("Slack did not say where the message is")?;
    // The answer's `ts` is a `Timestamp`, and `thread_ts` takes one: no conversion, no float.
    let reply = ChatPostMessageRequest::new(channel.as_str()).text("Deploy finished").thread_ts(ts.clone());
    let replied = client.call(&reply).await?;
    println!("posted {ts}, replied in its thread at {}", replied.ts.map(|t| t.to_string()).unwrap_or_default());
    Ok(())
}
