//! Posting a message with blocks: a section with a button, built from types, checked against
//! Slack's limits before it is sent.
//!
//! ```sh
//! SLACK_TOKEN=xoxb-… SLACK_CHANNEL=C0123456789 cargo run -p slack-api --example post_with_blocks
//! ```
//!
//! Without `SLACK_API_URL` it talks to Slack; CI points it at a loopback stand-in
//! (`cargo run -p slack-api-tests --bin mock_slack`).

use slack_api::block_kit::{Block, ButtonElement, ButtonElementStyle, ContextBlock, Mrkdwn, SectionBlock};
use slack_api::chat::ChatPostMessageRequest;
use slack_api::{Client, mrkdwn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("SLACK_TOKEN")?;
    let channel = std::env::var("SLACK_CHANNEL").unwrap_or_else(|_| "C0123456789".into());
    let mut builder = Client::builder(token);
    if let Ok(url) = std::env::var("SLACK_API_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    let service = "billing <api>"; // user text: escaped, so `<` cannot start a link or mention
    // Blocks of different kinds go in one list as `Block`s.
    let blocks: [Block; 2] = [
        SectionBlock::new()
            .text(Mrkdwn::new(format!("*Deploy {}?* All checks passed.", mrkdwn::escape(service))))
            .accessory(ButtonElement::new("Deploy").action_id("deploy").style(ButtonElementStyle::Primary))
            .into(),
        ContextBlock::new([Mrkdwn::new(format!("Requested by {}", mrkdwn::user("U0123456789")))]).into(),
    ];
    let post = ChatPostMessageRequest::new(channel.as_str())
        .text(format!("Deploy {service}?")) // shown in notifications
        .blocks(blocks);
    let posted = client.call(&post).await?;
    println!("posted at {}", posted.ts.map(|t| t.to_string()).unwrap_or_default());
    Ok(())
}
