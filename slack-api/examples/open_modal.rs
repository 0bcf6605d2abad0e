//! Opening a modal with an input, in answer to an interaction (a slash command, a button, a
//! shortcut): the `trigger_id` comes from that interaction's payload and is valid for 3 seconds.
//!
//! ```sh
//! SLACK_TOKEN=xoxb-… SLACK_TRIGGER_ID=… cargo run -p slack-api --example open_modal
//! ```
//!
//! Without `SLACK_API_URL` it talks to Slack; CI points it at a loopback stand-in
//! (`cargo run -p slack-api-tests --bin mock_slack`).

use slack_api::Client;
use slack_api::block_kit::{InputBlock, ModalView, PlainTextInputElement};
use slack_api::views::ViewsOpenRequest;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("SLACK_TOKEN")?;
    let trigger_id = std::env::var("SLACK_TRIGGER_ID").unwrap_or_else(|_| "12345.98765.abcd2358fdea".into());
    let mut builder = Client::builder(token);
    if let Ok(url) = std::env::var("SLACK_API_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    let modal = ModalView::new(
        "New task",
        [InputBlock::new("Title", PlainTextInputElement::new().action_id("title")).block_id("task")],
    )
    .submit("Create")
    .callback_id("new_task");
    let opened = client.call(&ViewsOpenRequest::new(modal).trigger_id(trigger_id)).await?;
    let id = opened.view.as_ref().and_then(|v| v.get("id")).and_then(|v| v.as_str()).unwrap_or("?");
    println!("opened modal {id}");
    Ok(())
}
