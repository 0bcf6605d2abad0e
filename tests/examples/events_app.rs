//! An HTTP events app: answers the slash command `/feedback` by opening a modal (`views.open`
//! with the command's `trigger_id`) and reacts to the modal's submission by posting a message.
//!
//! It runs against the test kit's fake Slack (`slack-api-testkit`): its Web API answers the
//! app's calls, and it signs and posts the slash command and then the view submission to the
//! app's endpoint, as Slack would.
//!
//! cargo run -p slack-api-tests --example events_app

use std::sync::Arc;

use serde_json::json;
use slack_api::chat::ChatPostMessageRequest;
use slack_api::events::{Answer, ElementAction, HttpHandler, Incoming, Interaction, Received, Verifier};
use slack_api::block_kit::{InputBlock, ModalView, OptionObject, PlainText, PlainTextInputElement, StaticSelectElement};
use slack_api::views::ViewsOpenRequest;
use slack_api::Client;
use slack_api::app::Ack;
use slack_api_testkit::{Delivery, FakeSlack};

const SIGNING_SECRET: &str = "example-signing-secret";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The test kit's fake Slack: its Web API checks every call as Slack would and records it.
    let slack = FakeSlack::start().await;
    let client = slack.client("xoxb-example-bot-token");

    // The app: one endpoint for commands and interactivity.
    let handler = HttpHandler::new(Verifier::new(SIGNING_SECRET));
    let app_client = Arc::new(client);
    let route = slack_api::events::axum::route(handler, move |received: Received| {
        let client = app_client.clone();
        async move { on_request(&client, received).await }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let endpoint = format!("http://{}/slack", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, axum::Router::new().route("/slack", route)).await });
    let app = slack.connect_http(&endpoint, SIGNING_SECRET);

    // The user types `/feedback`: the app acks at once, then opens the modal with the trigger.
    let command = slack.slash_command("/feedback", "");
    let trigger = command.trigger_id.clone();
    let acked = app.send(command).await?;
    println!("slash command answered: HTTP {} {:?}", acked.status, acked.body);
    assert!(acked.is_empty());
    let opened = slack.wait_for::<ViewsOpenRequest>(1).await;
    assert_eq!(opened[0].trigger_id, trigger);

    // …then submits the modal the app opened (a select and a text input).
    let submission = json!({
        "type": "view_submission", "team": { "id": "T1", "domain": "example" }, "user": { "id": "U_ADA", "username": "ada" },
        "api_app_id": "A1", "trigger_id": slack.next_trigger_id(),
        "view": { "id": "V1", "type": "modal", "callback_id": "feedback", "private_metadata": "C1",
            "state": { "values": {
                "rating": { "stars": { "type": "static_select", "selected_option": { "text": { "type": "plain_text", "text": "★★★★★" }, "value": "5" } } },
                "comment": { "text": { "type": "plain_text_input", "value": "Lovely SDK" } } } } }
    });
    let acked = app.send(Delivery::Interaction(submission)).await?;
    println!("view submission answered: HTTP {} {:?}", acked.status, acked.body);
    assert_eq!(acked.ack, Some(Ack::Clear));

    // The app posts after answering.
    let posted = slack.wait_for::<ChatPostMessageRequest>(1).await;
    println!("posted to {}: {:?}", posted[0].channel, posted[0].text);
    assert_eq!((posted[0].channel.as_str(), posted[0].text.as_deref()), ("C1", Some("New feedback (5/5): Lovely SDK")));
    println!("ok: command → modal → submission → message");
    Ok(())
}

/// What the app does with each verified request.
async fn on_request(client: &Client, received: Received) -> Answer {
    match received.incoming {
        Incoming::Command(cmd) if cmd.command == "/feedback" => {
            // A modal in typed Block Kit: the channel travels in private_metadata.
            let stars = StaticSelectElement::new().action_id("stars").options([OptionObject::new(PlainText::new("★★★★★"), "5")]);
            let comment = PlainTextInputElement::new().action_id("text");
            let modal = ModalView::new(
                "Feedback",
                [InputBlock::new("Rating", stars).block_id("rating"), InputBlock::new("Comment", comment).block_id("comment")],
            )
            .callback_id("feedback")
            .submit("Send")
            .private_metadata(cmd.channel_id.as_ref().map(|c| c.to_string()).unwrap_or_default());
            let trigger = cmd.trigger_id.clone().unwrap_or_default();
            // Answer Slack first (within 3 s), then call the Web API: the trigger stays valid
            // for 3 s, long enough for the call that follows the answer. (`slack_api::app`
            // does this ordering for you.)
            let client = client.clone();
            tokio::spawn(async move {
                if let Err(e) = client.call(&ViewsOpenRequest::new(modal).trigger_id(trigger)).await {
                    eprintln!("could not open the form: {e}");
                }
            });
            Answer::ack()
        }
        Incoming::Interaction(i) => match *i {
            Interaction::ViewSubmission(sub) => {
                let state = sub.state().unwrap_or_default();
                let stars = match state.get("rating", "stars") {
                    Some(ElementAction::StaticSelect(s)) => s.selected_option.as_ref().and_then(|o| o.value.clone()),
                    _ => None,
                };
                let comment = match state.get("comment", "text") {
                    Some(ElementAction::PlainTextInput(t)) => t.value.clone(),
                    _ => None,
                };
                let (Some(stars), Some(comment)) = (stars, comment) else {
                    return Answer::view_errors([("comment", "Please fill in the form")]);
                };
                let channel = sub.view.as_ref().and_then(|v| v.private_metadata.clone()).unwrap_or_else(|| "C_FEEDBACK".into());
                let text = format!("New feedback ({stars}/5): {comment}");
                // The modal closes now; the post follows the answer.
                let client = client.clone();
                tokio::spawn(async move {
                    if let Err(e) = client.call(&ChatPostMessageRequest::new(channel).text(text)).await {
                        eprintln!("could not post the feedback: {e}");
                    }
                });
                Answer::clear_views()
            }
            _ => Answer::ack(),
        },
        _ => received.answer,
    }
}
