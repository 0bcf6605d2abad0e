//! Typed responses never lose data: every example response in Slack's reference snapshot decodes
//! into its method's response type and serialises back to JSON equal to the input; payloads with
//! fields, block types and message subtypes this crate has never heard of decode and keep them.

use serde_json::{Value, json};
use slack_api::conversations::ConversationsHistoryRequest;
use slack_api::objects::{Block, Message, MessageSubtype, User};
use slack_api::users::UsersInfoRequest;
use slack_api::decode_response;
use slack_api_tests::dispatch::roundtrip_by_name;
use slack_api_tests::shared_or_skip;

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn every_example_in_the_snapshot_round_trips() {
    let Some(shared) = shared_or_skip("every_example_in_the_snapshot_round_trips") else { return };
    let dir = shared.join("slack-docs/methods");
    let (mut typed, mut untyped, mut errors_seen) = (0, 0, 0);
    let mut failures = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    for path in paths {
        let method = path.file_stem().unwrap().to_string_lossy().into_owned();
        if method == "methods" {
            continue;
        }
        let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let Some(examples) = doc.get("examples").and_then(Value::as_object) else { continue };
        for (name, ex) in examples {
            let Some(example) = ex.get("example") else { continue };
            if example.get("ok") != Some(&Value::Bool(true)) {
                errors_seen += 1;
                continue;
            }
            let body = serde_json::to_vec(example).unwrap();
            match roundtrip_by_name(&method, &body) {
                None => failures.push(format!("{method}: no such method in the crate")),
                Some((is_typed, Ok(back))) => {
                    if back == *example {
                        if is_typed { typed += 1 } else { untyped += 1 }
                    } else {
                        failures.push(format!("{method} ({name}): re-serialised JSON differs:\n  in:  {example}\n  out: {back}"));
                    }
                }
                Some((_, Err(e))) => failures.push(format!("{method} ({name}): does not decode: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
    eprintln!(
        "snapshot examples: {} success responses round-trip exactly ({typed} through typed responses, {untyped} untyped); {errors_seen} error examples skipped",
        typed + untyped
    );
    assert!(typed >= 200, "only {typed} examples went through typed responses");
}

#[test]
fn a_new_field_is_kept_and_survives_reserialisation() {
    let body = json!({
        "ok": true,
        "user": {
            "id": "U123", "name": "ada", "is_bot": false,
            "profile": {"email": "ada@example.com", "display_name": "Ada", "pronouns": "she/her"},
            "brand_new_field": {"nested": [1, 2.5, "x"]}
        },
        "shiny_top_level": 7
    });
    let resp = decode_response::<UsersInfoRequest>(200, body.to_string().as_bytes()).unwrap();
    let user: &User = resp.user.as_ref().unwrap();
    assert_eq!(user.id.as_ref().unwrap().as_str(), "U123");
    assert_eq!(user.profile.as_ref().unwrap().email.as_deref(), Some("ada@example.com"));
    assert_eq!(user.profile.as_ref().unwrap().extra["pronouns"], "she/her");
    assert_eq!(user.extra["brand_new_field"], json!({"nested": [1, 2.5, "x"]}));
    assert_eq!(resp.extra["shiny_top_level"], 7);
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn a_value_of_an_unexpected_shape_is_kept_not_rejected() {
    // `is_bot` as a string, `updated` as a float, an ID as a number: none is what the type says.
    let body = json!({"ok": true, "user": {"id": 42, "is_bot": "nope", "updated": 1.5, "tz_offset": 18446744073709551615u64}});
    let resp = decode_response::<UsersInfoRequest>(200, body.to_string().as_bytes()).unwrap();
    let user = resp.user.as_ref().unwrap();
    assert_eq!((user.id.as_ref(), user.is_bot, user.updated, user.tz_offset), (None, None, None, None));
    assert_eq!(user.extra["is_bot"], "nope");
    assert_eq!(user.extra["id"], 42);
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn new_block_types_and_message_subtypes_decode_and_keep_their_data() {
    let body = json!({
        "ok": true,
        "messages": [
            {
                "type": "message", "subtype": "hologram_share", "ts": "1700000000.000100", "user": "U1",
                "text": "look", "hologram": {"id": "H1", "depth": 3},
                "blocks": [
                    {"type": "section", "block_id": "a", "text": {"type": "mrkdwn", "text": "*hi*"}},
                    {"type": "hologram", "block_id": "b", "frames": 24},
                    {"type": "divider"},
                    "not even an object"
                ]
            },
            {"type": "message", "subtype": "bot_message", "ts": "1700000000.000200", "bot_id": "B1", "text": "beep"},
            {"type": "message", "ts": "1700000000.000300", "user": "U2", "text": "plain", "edited": {"user": "U2", "ts": "1700000000.000400"}}
        ],
        "has_more": false,
        "response_metadata": {"next_cursor": ""}
    });
    let resp = decode_response::<ConversationsHistoryRequest>(200, body.to_string().as_bytes()).unwrap();
    let messages: &Vec<Message> = resp.messages.as_ref().unwrap();
    assert_eq!(messages.len(), 3);

    let first = &messages[0];
    assert_eq!(first.subtype, Some(MessageSubtype::Unknown("hologram_share".into())));
    assert_eq!(first.ts.as_ref().unwrap().as_str(), "1700000000.000100");
    assert_eq!(first.extra["hologram"], json!({"id": "H1", "depth": 3}));
    let blocks = first.blocks.as_ref().unwrap();
    assert!(matches!(&blocks[0], Block::Section(m) if m.block_id.as_deref() == Some("a")));
    assert!(matches!(&blocks[1], Block::Unknown(v) if v["frames"] == 24));
    assert_eq!(blocks[1].kind(), Some("hologram"));
    assert!(matches!(&blocks[2], Block::Divider(_)));
    assert_eq!(blocks[3], Block::Unknown(json!("not even an object")));

    assert_eq!(messages[1].subtype, Some(MessageSubtype::BotMessage));
    assert_eq!(messages[1].bot_id.as_ref().unwrap().as_str(), "B1");
    assert_eq!(messages[2].subtype, None);

    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn numbers_timestamps_and_ids_keep_their_exact_form() {
    let body = json!({"ok": true, "messages": [{"type": "message", "ts": "0000000001.000001", "user": "W0001", "reply_count": 3}]});
    let resp = decode_response::<ConversationsHistoryRequest>(200, body.to_string().as_bytes()).unwrap();
    let m = &resp.messages.as_ref().unwrap()[0];
    assert_eq!(m.ts.as_ref().unwrap().as_str(), "0000000001.000001");
    assert_eq!(m.user.as_ref().unwrap().as_str(), "W0001");
    assert!(serde_json::to_string(&resp).unwrap().contains("\"ts\":\"0000000001.000001\""));
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}
