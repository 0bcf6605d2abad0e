//! An HTTP events app: answers the slash command `/feedback` by opening a modal (`views.open`
//! with the command's `trigger_id`) and reacts to the modal's submission by posting a message.
//!
//! It runs against local simulators: a mock of Slack's Web API, and a "Slack" that signs and
//! posts the slash command and then the view submission to the app's endpoint, as Slack would.
//!
//! cargo run -p slack-api-tests --example events_app

use std::sync::Arc;

use serde_json::json;
use slack_api::chat::ChatPostMessageRequest;
use slack_api::events::{Answer, ElementAction, HttpHandler, Incoming, Interaction, Received, Verifier};
use slack_api::block_kit::{InputBlock, ModalView, OptionObject, PlainText, PlainTextInputElement, StaticSelectElement};
use slack_api::views::ViewsOpenRequest;
use slack_api::Client;
use slack_api_tests::{MockServer, Recorded, Reply};

const SIGNING_SECRET: &str = "example-signing-secret";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The Web API mock: views.open and chat.postMessage succeed.
    let web_api = MockServer::start().await;
    web_api.set_handler(|r: &Recorded| {
        Some(Reply::json(&match r.path.rsplit('/').next() {
            Some("views.open") => json!({ "ok": true, "view": { "id": "V1", "type": "modal", "callback_id": "feedback" } }),
            Some("chat.postMessage") => json!({ "ok": true, "channel": "C_FEEDBACK", "ts": "1700000000.000200" }),
            _ => json!({ "ok": false, "error": "unknown_method" }),
        }.to_string()))
    });
    let client = Client::builder("xoxb-example-bot-token").base_url(web_api.base_url()).build()?;

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

    // "Slack": the user types `/feedback`…
    let slack = SlackSimulator::new(&endpoint);
    let (status, body) = slack
        .post_form("token=t&team_id=T1&channel_id=C1&user_id=U_ADA&user_name=ada&command=%2Ffeedback&text=&trigger_id=1337.42.abcd&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F1%2Fx")
        .await?;
    println!("slash command answered: HTTP {status} {body:?}");
    assert_eq!(status, 200);
    // …then submits the modal the app opened.
    let submission = json!({
        "type": "view_submission", "team": { "id": "T1", "domain": "example" }, "user": { "id": "U_ADA", "username": "ada" },
        "api_app_id": "A1", "trigger_id": "1338.42.efgh",
        "view": { "id": "V1", "type": "modal", "callback_id": "feedback", "private_metadata": "C1",
            "state": { "values": {
                "rating": { "stars": { "type": "static_select", "selected_option": { "text": { "type": "plain_text", "text": "★★★★★" }, "value": "5" } } },
                "comment": { "text": { "type": "plain_text_input", "value": "Lovely SDK" } } } } }
    });
    let form = form_urlencoded::Serializer::new(String::new()).append_pair("payload", &submission.to_string()).finish();
    let (status, body) = slack.post_form(&form).await?;
    println!("view submission answered: HTTP {status} {body:?}");
    assert_eq!((status, body.as_str()), (200, r#"{"response_action":"clear"}"#));

    // The app calls the Web API after answering: give those calls a moment.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let calls = web_api.take();
    let names: Vec<&str> = calls.iter().filter_map(|c| c.path.rsplit('/').next()).collect();
    println!("Web API calls made by the app: {names:?}");
    assert_eq!(names, ["views.open", "chat.postMessage"]);
    assert!(calls[0].body_text().contains("trigger_id=1337.42.abcd"));
    assert!(calls[1].body_text().contains("Lovely+SDK") || calls[1].body_text().contains("Lovely%20SDK"));
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

/// Posts signed requests to the app, as Slack does.
struct SlackSimulator {
    endpoint: String,
    verifier: Verifier,
    http: reqwest::Client,
}

impl SlackSimulator {
    fn new(endpoint: &str) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Self { endpoint: endpoint.to_owned(), verifier: Verifier::new(SIGNING_SECRET), http: reqwest::Client::new() }
    }

    async fn post_form(&self, body: &str) -> Result<(u16, String), reqwest::Error> {
        let (ts, sig) = self.verifier.sign_now(body.as_bytes());
        let resp = self
            .http
            .post(&self.endpoint)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-slack-request-timestamp", ts)
            .header("x-slack-signature", sig)
            .body(body.to_owned())
            .send()
            .await?;
        let status = resp.status().as_u16();
        Ok((status, resp.text().await?))
    }
}

