//! Block Kit end to end against a local mock of Slack: post a deploy request with a section and
//! buttons, read it back from `conversations.history`, mark it approved and post it back with
//! `chat.update`, and open a modal with an input block — all typed, no hand-written JSON. Also
//! shows a payload that breaks Slack's limits being refused before it is sent.
//!
//! cargo run -p slack-api-tests --example block_kit

use slack_api::block_kit::{
    ActionsBlock, Block, ButtonElement, ButtonElementStyle, ContextBlock, HeaderBlock, InputBlock, ModalView, Mrkdwn,
    PlainTextInputElement, SectionBlock,
};
use slack_api::chat::{ChatPostMessageRequest, ChatUpdateRequest};
use slack_api::conversations::ConversationsHistoryRequest;
use slack_api::views::ViewsOpenRequest;
use slack_api::{Error, Method, mrkdwn};
use slack_api_tests::{MockServer, Recorded, Reply};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let slack = mock_slack().await;
    let client = slack_api::Client::builder("xoxb-example-token").base_url(slack.base_url()).build()?;

    // 1. A message with a header, a section with a button and a row of actions.
    let service = "billing <prod>";
    let blocks: Vec<Block> = vec![
        HeaderBlock::new("Deploy request").into(),
        SectionBlock::new()
            .text(Mrkdwn::new(format!("{} wants to deploy *{}*", mrkdwn::user("U0123456789"), mrkdwn::escape(service))))
            .accessory(ButtonElement::new("Diff").url("https://example.com/diff/42").action_id("diff"))
            .into(),
        ActionsBlock::new([
            ButtonElement::new("Approve").style(ButtonElementStyle::Primary).action_id("approve").value("42"),
            ButtonElement::new("Reject").style(ButtonElementStyle::Danger).action_id("reject").value("42"),
        ])
        .block_id("decision")
        .into(),
    ];
    let posted = client.call(&ChatPostMessageRequest::new("C0123456789").text("Deploy request").blocks(blocks)).await?;
    let ts = posted.ts.expect("Slack answers with the message's ts");
    println!("posted {ts}");

    // 2. Read it back: the blocks are the same types.
    let history = client.call(&ConversationsHistoryRequest::new("C0123456789").latest(ts.clone()).inclusive(true).limit(1)).await?;
    let message = history.messages.and_then(|m| m.into_iter().next()).expect("the message");
    let mut blocks = message.into_fields().blocks.unwrap_or_default();
    println!("read back {} blocks: {:?}", blocks.len(), blocks.iter().map(Block::kind).collect::<Vec<_>>());

    // 3. Replace the buttons with who approved, and post it back.
    let decision = blocks.iter().position(|b| b.block_id() == Some("decision")).expect("the actions block");
    blocks[decision] = ContextBlock::new([Mrkdwn::new(format!("Approved by {}", mrkdwn::user("U0987654321")))]).into();
    client.call(&ChatUpdateRequest::new("C0123456789", ts).text("Deploy approved").blocks(blocks)).await?;
    println!("updated");

    // 4. A modal with an input block.
    let modal = ModalView::new("Deploy notes", [InputBlock::new("Notes", PlainTextInputElement::new().multiline(true).action_id("notes"))])
        .submit("Save")
        .callback_id("deploy_notes");
    client.call(&ViewsOpenRequest::new(modal).trigger_id("12345.98765.abcd2358fdea")).await?;
    println!("modal opened");

    // 5. Too long for a header: refused before sending, with the path, the limit and the length.
    let bad = ChatPostMessageRequest::new("C0123456789").blocks([HeaderBlock::new("x".repeat(160))]);
    println!("validate(): {}", bad.validate().unwrap_err());
    match client.call(&bad).await {
        Err(Error::InvalidRequest(why)) => println!("not sent: {why}"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }

    let calls: Vec<String> = slack.take().iter().map(|r| r.path.trim_start_matches("/api/").to_owned()).collect();
    println!("calls Slack saw: {calls:?}");
    assert_eq!(calls, ["chat.postMessage", "conversations.history", "chat.update", "views.open"]);
    Ok(())
}

/// Keeps the last posted message and answers `conversations.history` with it.
async fn mock_slack() -> MockServer {
    let server = MockServer::start().await;
    let stored = std::sync::Arc::new(std::sync::Mutex::new(serde_json::Value::Null));
    server.set_handler(move |r: &Recorded| {
        let form: Vec<(String, String)> = form_pairs(&r.body_text());
        let arg = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let body = match r.path.as_str() {
            "/api/chat.postMessage" => {
                let blocks: serde_json::Value = serde_json::from_str(&arg("blocks").unwrap_or_default()).unwrap_or_default();
                *stored.lock().unwrap() = serde_json::json!({
                    "type": "message", "user": "U0123456789", "ts": "1700000000.000100",
                    "text": arg("text"), "blocks": blocks
                });
                serde_json::json!({"ok": true, "channel": "C0123456789", "ts": "1700000000.000100"})
            }
            "/api/conversations.history" => serde_json::json!({"ok": true, "messages": [stored.lock().unwrap().clone()], "has_more": false}),
            "/api/views.open" => serde_json::json!({"ok": true, "view": {"id": "V0123456789", "type": "modal"}}),
            _ => serde_json::json!({"ok": true}),
        };
        Some(Reply::json(&body.to_string()))
    });
    server
}

/// Decodes an `application/x-www-form-urlencoded` body.
fn form_pairs(body: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let bytes = s.replace('+', " ").into_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(b) = hex {
                    out.push(b);
                    i += 3;
                    continue;
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    body.split('&').filter(|p| !p.is_empty()).map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (decode(k), decode(v))
    }).collect()
}
