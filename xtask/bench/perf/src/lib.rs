//! Shared pieces of the benchmarks: a small keep-alive HTTP/1.1 server on 127.0.0.1 that answers
//! every client the same way, and realistic Slack payloads.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Answers a request (path, query, body) with a JSON body.
pub type Route = Arc<dyn Fn(&str, &str, &[u8]) -> Vec<u8> + Send + Sync>;

/// Starts the server on the current runtime; returns `http://127.0.0.1:PORT/api/`.
pub async fn serve(route: Route) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let route = route.clone();
            tokio::spawn(async move {
                stream.set_nodelay(true).ok();
                let mut buf: Vec<u8> = Vec::with_capacity(8192);
                loop {
                    let end = loop {
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i;
                        }
                        let mut chunk = [0u8; 8192];
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                    let target = head.split(' ').nth(1).unwrap_or("/").to_owned();
                    let len: usize = head
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse().ok())?
                        })
                        .unwrap_or(0);
                    while buf.len() < end + 4 + len {
                        let mut chunk = [0u8; 8192];
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let body = buf[end + 4..end + 4 + len].to_vec();
                    buf.drain(..end + 4 + len);
                    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
                    let answer = route(path, query, &body);
                    let mut out = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n\r\n",
                        answer.len()
                    )
                    .into_bytes();
                    out.extend_from_slice(&answer);
                    if stream.write_all(&out).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}/api/")
}

/// A `users.list` page of `n` realistic members starting at `start`, with `next_cursor`.
pub fn users_page(start: usize, n: usize, next_cursor: &str) -> Vec<u8> {
    let members: Vec<String> = (start..start + n)
        .map(|i| {
            format!(
                r##"{{"id":"U{i:010}","team_id":"T0123456789","name":"user{i}","deleted":false,"color":"9f69e7","real_name":"User Number {i}","tz":"Europe/Amsterdam","tz_label":"Central European Time","tz_offset":3600,"profile":{{"title":"Engineer","phone":"","skype":"","real_name":"User Number {i}","real_name_normalized":"User Number {i}","display_name":"user{i}","display_name_normalized":"user{i}","fields":{{}},"status_text":"In a meeting","status_emoji":":calendar:","status_expiration":0,"avatar_hash":"ge3b51ca72de","email":"user{i}@example.com","first_name":"User","last_name":"Number {i}","image_24":"https://secure.gravatar.com/avatar/x.jpg?s=24","image_32":"https://secure.gravatar.com/avatar/x.jpg?s=32","image_48":"https://secure.gravatar.com/avatar/x.jpg?s=48","image_72":"https://secure.gravatar.com/avatar/x.jpg?s=72","image_192":"https://secure.gravatar.com/avatar/x.jpg?s=192","image_512":"https://secure.gravatar.com/avatar/x.jpg?s=512","team":"T0123456789"}},"is_admin":false,"is_owner":false,"is_primary_owner":false,"is_restricted":false,"is_ultra_restricted":false,"is_bot":false,"is_app_user":false,"updated":1502138686,"is_email_confirmed":true,"who_can_share_contact_card":"EVERYONE"}}"##
            )
        })
        .collect();
    format!(
        r#"{{"ok":true,"members":[{}],"cache_ts":1498777272,"response_metadata":{{"next_cursor":"{next_cursor}"}}}}"#,
        members.join(",")
    )
    .into_bytes()
}

/// A `chat.postMessage` answer.
pub fn posted_message() -> Vec<u8> {
    br#"{"ok":true,"channel":"C0123456789","ts":"1503435956.000247","message":{"type":"message","subtype":"bot_message","text":"Deploy finished","ts":"1503435956.000247","username":"deploybot","bot_id":"B0123456789","team":"T0123456789","app_id":"A0123456789"}}"#.to_vec()
}

/// A `conversations.history` page of `n` realistic messages: each with rich-text blocks and two
/// reactions; every third shares a file (with thumbnails and shares), every fifth was edited and
/// opened a thread.
pub fn history_page(n: usize) -> Vec<u8> {
    let messages: Vec<String> = (0..n)
        .map(|i| {
            let ts = format!("1712345{:03}.{:06}", i % 1000, 100 + i);
            let file = if i % 3 == 0 {
                format!(
                    r#","files":[{{"id":"F{i:010}","created":1712345000,"timestamp":1712345000,"name":"report-{i}.png","title":"Report {i}","mimetype":"image/png","filetype":"png","pretty_type":"PNG","user":"U0123456789","user_team":"T0123456789","editable":false,"size":48213,"mode":"hosted","is_external":false,"external_type":"","is_public":true,"public_url_shared":false,"display_as_bot":false,"username":"","url_private":"https://files.slack.com/files-pri/T0123456789-F{i:010}/report.png","url_private_download":"https://files.slack.com/files-pri/T0123456789-F{i:010}/download/report.png","media_display_type":"unknown","thumb_64":"https://files.slack.com/files-tmb/T0123456789-F{i:010}-ab/report_64.png","thumb_80":"https://files.slack.com/files-tmb/T0123456789-F{i:010}-ab/report_80.png","thumb_360":"https://files.slack.com/files-tmb/T0123456789-F{i:010}-ab/report_360.png","thumb_360_w":360,"thumb_360_h":240,"thumb_480":"https://files.slack.com/files-tmb/T0123456789-F{i:010}-ab/report_480.png","thumb_480_w":480,"thumb_480_h":320,"thumb_160":"https://files.slack.com/files-tmb/T0123456789-F{i:010}-ab/report_160.png","original_w":1200,"original_h":800,"thumb_tiny":"AwAgADDTopKKYBRRRQAUUUUAf//Z","permalink":"https://example.slack.com/files/U0123456789/F{i:010}/report.png","permalink_public":"https://slack-files.com/T0123456789-F{i:010}-0c5d2a","is_starred":false,"has_rich_preview":false,"file_access":"visible"}}],"upload":false,"display_as_bot":false"#
                )
            } else {
                String::new()
            };
            let thread = if i % 5 == 0 {
                format!(
                    r#","edited":{{"user":"U0123456789","ts":"{ts}"}},"thread_ts":"{ts}","reply_count":3,"reply_users_count":2,"latest_reply":"1712349999.000100","reply_users":["U0123456789","U0987654321"],"is_locked":false,"subscribed":false"#
                )
            } else {
                String::new()
            };
            format!(
                r#"{{"user":"U0123456789","type":"message","ts":"{ts}","client_msg_id":"5b7a1c2e-0000-4000-8000-{i:012}","text":"Status update {i}: the build is *green* and <https://example.com|the report> is out","team":"T0123456789","blocks":[{{"type":"rich_text","block_id":"b{i}","elements":[{{"type":"rich_text_section","elements":[{{"type":"text","text":"Status update {i}: the build is "}},{{"type":"text","text":"green","style":{{"bold":true}}}},{{"type":"text","text":" and "}},{{"type":"link","url":"https://example.com","text":"the report"}},{{"type":"text","text":" is out"}}]}}]}}],"reactions":[{{"name":"tada","users":["U0987654321","U0123456780"],"count":2}},{{"name":"eyes","users":["U0123456789"],"count":1}}]{file}{thread}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"ok":true,"messages":[{}],"has_more":true,"pin_count":0,"channel_actions_ts":null,"channel_actions_count":0,"response_metadata":{{"next_cursor":"bmV4dF90czoxNzEyMzQ1MDAw"}}}}"#,
        messages.join(",")
    )
    .into_bytes()
}

/// Event callbacks as Slack sends them, one of each kind both benchmarked crates type.
pub fn event_payloads() -> Vec<Vec<u8>> {
    let envelope = |i: usize, event: serde_json::Value| {
        serde_json::json!({
            "token": "XXYYZZ", "team_id": "T123ABC456", "api_app_id": "A123ABC456", "type": "event_callback",
            "event_id": format!("Ev{i:08}"), "event_time": 1700000000 + i,
            "authorizations": [{ "enterprise_id": null, "team_id": "T123ABC456", "user_id": "U123ABC456", "is_bot": true, "is_enterprise_install": false }],
            "is_ext_shared_channel": false, "event_context": "4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMTIzIn0",
            "event": event,
        })
        .to_string()
        .into_bytes()
    };
    let rich_text = serde_json::json!([{ "type": "rich_text", "block_id": "Xg1", "elements": [{ "type": "rich_text_section",
        "elements": [{ "type": "text", "text": "Deploy finished for " }, { "type": "user", "user_id": "U123ABC456" }] }] }]);
    let events = vec![
        serde_json::json!({ "type": "message", "channel": "C123ABC456", "user": "U123ABC456", "text": "Deploy finished for <@U123ABC456>",
            "ts": "1700000000.000100", "event_ts": "1700000000.000100", "channel_type": "channel", "team": "T123ABC456",
            "client_msg_id": "6f9c2c7e-7e0a-4b53-9b62-3d2b5cf0e3a1", "blocks": rich_text }),
        serde_json::json!({ "type": "app_mention", "user": "U123ABC456", "text": "<@U0LAN0Z89> is it everything a river should be?",
            "ts": "1515449522.000016", "channel": "C123ABC456", "event_ts": "1515449522.000016", "team": "T123ABC456",
            "client_msg_id": "7a1b", "blocks": rich_text }),
        serde_json::json!({ "type": "reaction_added", "user": "U123ABC456", "reaction": "thumbsup", "item_user": "U222222222",
            "item": { "type": "message", "channel": "C123ABC456", "ts": "1360782400.498405" }, "event_ts": "1360782804.083113" }),
        serde_json::json!({ "type": "member_joined_channel", "user": "W123ABC456", "channel": "C123ABC456", "channel_type": "C",
            "team": "T123ABC456", "inviter": "U123456789", "event_ts": "1360782804.083113" }),
        serde_json::json!({ "type": "channel_created", "channel": { "id": "C123ABC456", "name": "fun", "created": 1360782804, "creator": "U123ABC456" },
            "event_ts": "1360782804.083113" }),
        serde_json::json!({ "type": "app_home_opened", "user": "U123ABC456", "channel": "D123ABC456", "event_ts": "1515449522000016", "tab": "home" }),
        serde_json::json!({ "type": "link_shared", "channel": "C123ABC456", "is_bot_user_member": true, "user": "U123ABC456",
            "message_ts": "123456789.9875", "thread_ts": "123456621.1855", "source": "conversations_history",
            "unfurl_id": "C123456.123456789.987501.1b90fa1278528ce6e2f6c5c2bfa1abc9a41d57d02b29d173f40399c9ffdecf4b",
            "links": [{ "domain": "example.com", "url": "https://example.com/12345" }, { "domain": "example.com", "url": "https://example.com/67890" }],
            "event_ts": "123456789.1234566" }),
    ];
    // 100 of each, so a run decodes a realistic mix of 700 deliveries.
    (0..700).map(|i| envelope(i, events[i % events.len()].clone())).collect()
}

/// The same 50-block message built with slack-api's and slack-morphism's Block Kit types (for
/// the `block_kit` bench and `profile_blocks`): a header, then 49 blocks cycling through a
/// section with a button, a context line, a divider and an actions block of two buttons.
#[cfg(feature = "compare")]
pub mod blocks {
    use slack_api::block_kit::{
        ActionsBlock, ActionsElement, Block, ButtonElement, ButtonElementStyle, ContextBlock, DividerBlock, HeaderBlock,
        Mrkdwn, SectionBlock, Surface, Validator,
    };
    use slack_morphism::prelude::*;
    
    pub fn ours() -> Vec<Block> {
        let mut blocks: Vec<Block> = Vec::with_capacity(50);
        blocks.push(HeaderBlock::new("Deploys this week").into());
        for i in 0..49 {
            blocks.push(match i % 4 {
                0 => SectionBlock::new()
                    .text(Mrkdwn::new(format!("*Service {i}* deployed to production by <@U0123456789>")))
                    .block_id(format!("section-{i}"))
                    .accessory(ButtonElement::new("Details").action_id(format!("details-{i}")).value(i.to_string()))
                    .into(),
                1 => ContextBlock::new([Mrkdwn::new(format!("Build {i} · 3 min 12 s · all checks passed"))]).into(),
                2 => DividerBlock::new().into(),
                _ => ActionsBlock::new([
                    ActionsElement::from(ButtonElement::new("Roll back").action_id("rollback").style(ButtonElementStyle::Danger)),
                    ButtonElement::new("Promote").action_id("promote").style(ButtonElementStyle::Primary).value(i.to_string()).into(),
                ])
                .block_id(format!("actions-{i}"))
                .into(),
            });
        }
        blocks
    }
    
    pub fn theirs() -> Vec<SlackBlock> {
        let mut blocks: Vec<SlackBlock> = Vec::with_capacity(50);
        blocks.push(SlackHeaderBlock::new(SlackBlockPlainText::from("Deploys this week").into()).into());
        for i in 0..49 {
            blocks.push(match i % 4 {
                0 => SlackSectionBlock::new()
                    .with_text(SlackBlockMarkDownText::new(format!("*Service {i}* deployed to production by <@U0123456789>")).into())
                    .with_block_id(SlackBlockId(format!("section-{i}")))
                    .with_accessory(
                        SlackBlockButtonElement::new(SlackBlockPlainText::from("Details").into())
                            .with_action_id(SlackActionId(format!("details-{i}")))
                            .with_value(i.to_string())
                            .into(),
                    )
                    .into(),
                1 => SlackContextBlock::new(vec![SlackContextBlockElement::MarkDown(SlackBlockMarkDownText::new(format!(
                    "Build {i} · 3 min 12 s · all checks passed"
                )))])
                .into(),
                2 => SlackDividerBlock::new().into(),
                _ => SlackActionsBlock::new(vec![
                    SlackActionBlockElement::Button(
                        SlackBlockButtonElement::new(SlackBlockPlainText::from("Roll back").into())
                            .with_action_id(SlackActionId("rollback".into()))
                            .with_style(SlackBlockButtonStyle::Danger),
                    ),
                    SlackActionBlockElement::Button(
                        SlackBlockButtonElement::new(SlackBlockPlainText::from("Promote").into())
                            .with_action_id(SlackActionId("promote".into()))
                            .with_style(SlackBlockButtonStyle::Primary)
                            .with_value(i.to_string()),
                    ),
                ])
                .with_block_id(SlackBlockId(format!("actions-{i}")))
                .into(),
            });
        }
        blocks
    }
    
    /// slack-api's JSON text for the blocks, as its client sends them (`JsonArg::to_wire`): the
    /// same bytes as `serde_json::to_string`, keys written without escaping.
    pub fn encode(blocks: &[Block]) -> String {
        slack_api::block_kit::to_json_string(blocks)
    }

    /// Both libraries write the same JSON for the message (their keys in different orders), and
    /// slack-api's direct writer exactly the same text as its serde path.
    pub fn assert_same_json() {
        let ours = ours();
        let text = encode(&ours);
        let a: serde_json::Value = serde_json::from_str(&text).unwrap();
        let b: serde_json::Value = serde_json::to_value(theirs()).unwrap();
        assert!(a == b, "the two messages differ");
        assert!(text == serde_json::to_string(&ours).unwrap(), "to_json_string differs from the serde path");
    }

    pub fn validate(blocks: &[Block]) {
        let mut v = Validator::new();
        v.blocks("blocks", blocks, Surface::Message);
        v.finish().expect("the message is valid");
    }
}

/// An `event_callback` as Slack sends it for an `app_mention` today (authorizations, blocks,
/// event context): about 1 KB. `{ID}` and `{TIME}` are filled per request
/// ([`app_mention_body`]). The mention's author is not the bot (U123ABC456), so no framework
/// drops it as the bot's own message.
pub const APP_MENTION: &str = concat!(
    r#"{"token":"XXYYZZ","team_id":"T123ABC456","context_team_id":"T123ABC456","context_enterprise_id":null,"#,
    r#""api_app_id":"A123ABC456","event":{"user":"U222222222","type":"app_mention","ts":"1715000000.000100","#,
    r#""client_msg_id":"c0a8e6a2-5f43-4b1e-9a7d-0f3c2b1a9e88","text":"<@U123ABC456> what is the hour of the pearl?","#,
    r#""team":"T123ABC456","blocks":[{"type":"rich_text","block_id":"kE3s","elements":[{"type":"rich_text_section","#,
    r#""elements":[{"type":"user","user_id":"U123ABC456"},{"type":"text","text":" what is the hour of the pearl?"}]}]}],"#,
    r#""channel":"C123ABC456","event_ts":"1715000000.000100"},"type":"event_callback","event_id":"{ID}","#,
    r#""event_time":{TIME},"authorizations":[{"enterprise_id":null,"team_id":"T123ABC456","user_id":"U123ABC456","#,
    r#""is_bot":true,"is_enterprise_install":false}],"is_ext_shared_channel":false,"#,
    r#""event_context":"4-eyJldCI6ImFwcF9tZW50aW9uIiwidGlkIjoiVDEyM0FCQzQ1NiIsImFpZCI6IkExMjNBQkM0NTYiLCJjaWQiOiJDMTIzQUJDNDU2In0"}"#
);

/// [`APP_MENTION`] with its `event_id` and `event_time` filled in.
pub fn app_mention_body(event_id: &str, event_time: u64) -> String {
    APP_MENTION.replacen("{ID}", event_id, 1).replacen("{TIME}", &event_time.to_string(), 1)
}
