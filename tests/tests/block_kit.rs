//! Block Kit: Slack's reference examples decode losslessly into typed values, validate clean and
//! re-serialise to the same JSON; one invalid payload per kind of limit is rejected with its path
//! and message; and typed payloads travel over HTTP exactly as Slack expects.

use std::path::PathBuf;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use slack_api::block_kit::*;
use slack_api::chat::{ChatPostMessageRequest, ChatUpdateRequest};
use slack_api::conversations::ConversationsHistoryRequest;
use slack_api::views::ViewsOpenRequest;
use slack_api::{Error, Json, JsonArg, Method};
use slack_api_tests::{MockServer, Reply};

fn fixtures() -> PathBuf {
    slack_api_tests::repo_root().join("tests/fixtures/blockkit")
}

/// Nothing of `debug` (a value's `Debug`) was left untyped: no `Unknown` kind or value, and
/// every `extra` empty.
fn fully_typed(debug: &str) -> Result<(), String> {
    if debug.contains("Unknown(") {
        return Err(format!("an Unknown is left in {debug}"));
    }
    if debug.matches("extra: ").count() != debug.matches("extra: {}").count() {
        return Err(format!("an extra field is left in {debug}"));
    }
    Ok(())
}

fn check<T: DeserializeOwned + Serialize + WriteJson + Validate + std::fmt::Debug>(name: &str, value: &Value) -> Result<(), String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| format!("{name}: does not decode: {e}"))?;
    fully_typed(&format!("{typed:?}")).map_err(|e| format!("{name}: {e}"))?;
    typed.validate().map_err(|e| format!("{name}: does not validate: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("{name}: {e}"))?;
    if &back != value {
        return Err(format!("{name}: re-serialises differently:\n{back}\n!=\n{value}"));
    }
    // The direct writer (what the client sends) writes the same bytes as serde.
    let text = serde_json::to_string(&typed).map_err(|e| format!("{name}: {e}"))?;
    if to_json_string(&typed) != text {
        return Err(format!("{name}: to_json_string differs:\n{}\n!=\n{text}", to_json_string(&typed)));
    }
    Ok(())
}

#[test]
fn every_reference_example_decodes_fully_validates_and_round_trips() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|f| f.strip_suffix(".json").map(str::to_owned))
        .collect();
    names.sort();
    let mut failures = Vec::new();
    let mut blocks = 0;
    for name in &names {
        let text = std::fs::read_to_string(fixtures().join(format!("{name}.json"))).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        let base = name.strip_suffix("_groups").unwrap_or(name);
        macro_rules! by_name {
            ($($file:literal => $t:ty),* $(,)?) => {
                match base {
                    $($file => check::<$t>(name, &value),)*
                    other => Err(format!("no type for the fixture `{other}`")),
                }
            };
        }
        let result = by_name! {
            "actions_block" => ActionsBlock, "alert_block" => AlertBlock, "card_block" => CardBlock,
            "carousel_block" => CarouselBlock, "context_block" => ContextBlock,
            "context_actions_block" => ContextActionsBlock, "divider_block" => DividerBlock,
            "file_block" => FileBlock, "header_block" => HeaderBlock, "image_block" => ImageBlock,
            "input_block" => InputBlock, "markdown_block" => MarkdownBlock, "plan_block" => PlanBlock,
            "rich_text_block" => RichTextBlock, "section_block" => SectionBlock, "table_block" => TableBlock,
            "task_card_block" => TaskCardBlock, "video_block" => VideoBlock,
            "button_element" => ButtonElement, "icon_button_element" => IconButtonElement,
            "checkboxes_element" => CheckboxesElement, "datepicker_element" => DatepickerElement,
            "datetimepicker_element" => DatetimepickerElement, "timepicker_element" => TimepickerElement,
            "email_input_element" => EmailInputElement, "url_input_element" => UrlInputElement,
            "number_input_element" => NumberInputElement, "plain_text_input_element" => PlainTextInputElement,
            "radio_buttons_element" => RadioButtonsElement, "feedback_buttons_element" => FeedbackButtonsElement,
            "workflow_button_element" => WorkflowButtonElement, "static_select_element" => StaticSelectElement,
            "external_select_element" => ExternalSelectElement, "users_select_element" => UsersSelectElement,
            "conversations_select_element" => ConversationsSelectElement,
            "channels_select_element" => ChannelsSelectElement,
            "multi_static_select_element" => MultiStaticSelectElement,
            "multi_external_select_element" => MultiExternalSelectElement,
            "multi_users_select_element" => MultiUsersSelectElement,
            "multi_conversations_select_element" => MultiConversationsSelectElement,
            "multi_channels_select_element" => MultiChannelsSelectElement, "overflow_element" => OverflowElement,
            "rich_text_input_element" => RichTextInputElement, "file_input_element" => FileInputElement,
            "image_element" => ImageElement, "url_source_element" => UrlSourceElement,
            "plain_text" => PlainText, "mrkdwn" => Mrkdwn, "confirm" => Confirm, "option_object" => OptionObject,
            "option_group" => OptionGroup, "slack_file" => SlackFile,
            "dispatch_action_config" => DispatchActionConfig, "conversation_filter" => ConversationFilter,
            "trigger" => Trigger, "workflow" => Workflow,
            "modal_view" => ModalView, "home_view" => HomeView, "attachment" => Attachment,
            "message_metadata" => MessageMetadata,
        };
        if let Err(e) = result {
            failures.push(e);
        }
        // Every block also decodes as a known kind of `Block`, views as `View`.
        if base.ends_with("_block") {
            blocks += 1;
            let block: Block = serde_json::from_value(value.clone()).unwrap();
            if matches!(block, Block::Unknown(_)) {
                failures.push(format!("{name}: decodes as Block::Unknown"));
            }
            assert_eq!(serde_json::to_value(&block).unwrap(), value);
            assert_eq!(to_json_string(&block), serde_json::to_string(&block).unwrap(), "{name}");
        }
        if base.ends_with("_view") {
            let view: View = serde_json::from_value(value.clone()).unwrap();
            assert!(!matches!(view, View::Unknown(_)), "{name}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(blocks, 18, "one fixture per block");
    assert!(names.len() >= 60, "{} fixtures", names.len());
}

#[test]
fn unknown_kinds_and_fields_are_kept_and_written_back() {
    let value = json!([
        {"type": "section", "text": {"type": "mrkdwn", "text": "hi", "sparkle": true}, "new_field": [1, 2]},
        {"type": "hologram", "frames": 24},
        {"type": "image", "alt_text": "no source"},
        {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "A"}, "style": "neon"}, {"type": "teleporter"}]},
    ]);
    let blocks: Vec<Block> = serde_json::from_value(value.clone()).unwrap();
    let Block::Section(s) = &blocks[0] else { panic!("{:?}", blocks[0]) };
    assert_eq!(s.extra["new_field"], json!([1, 2]));
    assert!(matches!(&s.text, Some(Text::Mrkdwn(m)) if m.extra["sparkle"] == json!(true)));
    assert!(matches!(&blocks[1], Block::Unknown(v) if v["frames"] == 24));
    // A known kind without a field it needs is kept whole, not half-typed.
    assert!(matches!(&blocks[2], Block::Image(i) if i.image_url.is_none()));
    let Block::Actions(a) = &blocks[3] else { panic!() };
    assert!(matches!(&a.elements[0], ActionsElement::Button(b) if b.style == Some(ButtonElementStyle::Unknown("neon".into()))));
    assert_eq!(a.elements[1].kind(), Some("teleporter"));
    assert_eq!(serde_json::to_value(&blocks).unwrap(), value);
    assert_eq!(to_json_string(&blocks), serde_json::to_string(&blocks).unwrap());
}

/// The message of every violation of `blocks` shown on `surface`.
fn violations(blocks: Vec<Block>, surface: Surface) -> Vec<String> {
    let mut v = Validator::new();
    v.blocks("blocks", &blocks, surface);
    v.violations().iter().map(ToString::to_string).collect()
}

fn section(text: &str) -> SectionBlock {
    SectionBlock::new().text(Mrkdwn::new(text))
}

#[test]
fn each_kind_of_limit_is_enforced_with_path_limit_and_value() {
    // Length, at most (the example of the issue: a button label inside an accessory).
    let blocks: Vec<Block> = vec![
        DividerBlock::new().into(),
        section("ok").into(),
        section("deploy?").accessory(ButtonElement::new("x".repeat(3012))).into(),
    ];
    assert_eq!(violations(blocks, Surface::Message), ["blocks[2].accessory.text.text: 3,012 characters, at most 75"]);
    // A section's own text: at most 3,000, counted in characters, not bytes.
    assert_eq!(violations(vec![section(&"é".repeat(3001)).into()], Surface::Message), ["blocks[0].text.text: 3,001 characters, at most 3,000"]);
    assert!(violations(vec![section(&"é".repeat(3000)).into()], Surface::Message).is_empty());
    // Length, at least.
    assert_eq!(HeaderBlock::new("").validate().unwrap_err().to_string(), "text.text: 0 characters, at least 1");
    // Items, at most / at least; each field's text.
    let fields: Vec<Text> = (0..11).map(|i| Mrkdwn::new(i.to_string()).into()).collect();
    assert_eq!(SectionBlock::new().fields(fields).validate().unwrap_err().to_string(), "fields: 11 items, at most 10");
    let long_field = SectionBlock::new().fields([Text::from(PlainText::new("y".repeat(2001)))]);
    assert_eq!(long_field.validate().unwrap_err().to_string(), "fields[0].text: 2,001 characters, at most 2,000");
    assert_eq!(ActionsBlock::new(Vec::<ActionsElement>::new()).validate().unwrap_err().to_string(), "elements: 0 items, at least 1");
    // Range.
    assert_eq!(FileInputElement::new().max_files(11).validate().unwrap_err().to_string(), "max_files: 11, at most 10");
    // Allowed values.
    let odd = ButtonElement::new("Go").style(ButtonElementStyle::Unknown("huge".into()));
    assert_eq!(odd.validate().unwrap_err().to_string(), "style: `huge`, not one of `primary`, `danger`");
    // Format.
    let date = DatepickerElement::new().initial_date("28/04/1990");
    assert_eq!(date.validate().unwrap_err().to_string(), "initial_date: `28/04/1990` is not a date (YYYY-MM-DD)");
    // Exactly one of.
    let both = ImageBlock::new("cat").image_url("https://x.test/c.png").slack_file(SlackFile::new().id("F1"));
    assert_eq!(both.validate().unwrap_err().to_string(), "exactly one of `image_url`, `slack_file` must be set, 2 are");
    // At least one of.
    assert_eq!(SectionBlock::new().validate().unwrap_err().to_string(), "at least one of `text`, `fields` must be set");
    // Surfaces: a markdown block in a modal; a file input in a message.
    assert_eq!(violations(vec![MarkdownBlock::new("**x**").into()], Surface::Modal), ["blocks[0]: `markdown` cannot be used in a modal"]);
    let file_input = InputBlock::new("Upload", FileInputElement::new());
    assert_eq!(violations(vec![file_input.clone().into()], Surface::Message), ["blocks[0].element: `file_input` cannot be used in a message"]);
    assert!(violations(vec![file_input.into()], Surface::Modal).is_empty());
    // Block counts per surface.
    let many = |n: usize| (0..n).map(|_| Block::from(DividerBlock::new())).collect::<Vec<_>>();
    assert_eq!(violations(many(51), Surface::Message), ["blocks: 51 blocks, at most 50 in a message"]);
    assert!(violations(many(50), Surface::Message).is_empty());
    assert!(violations(many(100), Surface::Home).is_empty());
    assert_eq!(violations(many(101), Surface::Modal), ["blocks: 101 blocks, at most 100 in a modal"]);
    // Duplicate block_id, duplicate action_id within a block (not across blocks).
    let dup = vec![section("a").block_id("b1").into(), section("b").block_id("b1").into()];
    assert_eq!(violations(dup, Surface::Message), ["blocks[1].block_id: block_id `b1` is also used at blocks[0]"]);
    // IDs compared by a fingerprint of their ends are still compared exactly: same first and
    // last eight bytes, different middles, no clash; a long ID used twice is found.
    let (x, y) = ("deploy-1-service-a-production", "deploy-1-service-b-production");
    let ends = vec![section("a").block_id(x).into(), section("b").block_id(y).into(), section("c").block_id(x).into()];
    assert_eq!(violations(ends, Surface::Message), [format!("blocks[2].block_id: block_id `{x}` is also used at blocks[0]")]);
    // Lengths in bytes that decide without counting characters, and those that do not.
    assert!(violations(vec![section("a").block_id("é").into()], Surface::Message).is_empty());
    assert_eq!(violations(vec![section("a").block_id("").into()], Surface::Message), ["blocks[0].block_id: 0 characters, at least 1"]);
    let long_id = "é".repeat(200);
    assert!(violations(vec![section("a").block_id(long_id.as_str()).into()], Surface::Message).is_empty());
    let too_long = "é".repeat(256);
    assert_eq!(violations(vec![section("a").block_id(too_long).into()], Surface::Message), ["blocks[0].block_id: 256 characters, at most 255"]);
    // Slack drops a markdown block's block_id, so it cannot clash.
    let md_ids = vec![section("a").block_id("b1").into(), MarkdownBlock::new("x").block_id("b1").into()];
    assert!(violations(md_ids, Surface::Message).is_empty());
    let twice = ActionsBlock::new([ButtonElement::new("A").action_id("go"), ButtonElement::new("B").action_id("go")]);
    assert_eq!(violations(vec![twice.into()], Surface::Message), ["blocks[0].elements[1].action_id: action_id `go` is used twice in this block"]);
    let apart = vec![
        ActionsBlock::new([ButtonElement::new("A").action_id("go")]).into(),
        ActionsBlock::new([ButtonElement::new("B").action_id("go")]).into(),
    ];
    assert!(violations(apart, Surface::Message).is_empty());
    // The markdown blocks' total.
    let md = vec![MarkdownBlock::new("m".repeat(7000)).into(), MarkdownBlock::new("m".repeat(7000)).into()];
    assert_eq!(violations(md, Surface::Message), ["blocks: markdown blocks hold 14,000 characters together, at most 12,000"]);
    // A modal with an input block needs `submit`.
    let modal = ModalView::new("Form", [InputBlock::new("Name", PlainTextInputElement::new())]);
    let view: View = modal.clone().into();
    let mut v = Validator::new();
    v.view("view", &view);
    assert_eq!(v.finish().unwrap_err().to_string(), "view.submit: a modal with an input block needs a `submit` button");
    let view: View = modal.submit("Save").into();
    let mut v = Validator::new();
    v.view("view", &view);
    assert!(v.finish().is_ok());
    // Limits are named constants from the spec.
    assert_eq!(limits::BUTTON_ELEMENT_TEXT_MAX_LENGTH, 75);
    assert_eq!(limits::SECTION_BLOCK_FIELDS_MAX_ITEMS, 10);
    assert_eq!(MESSAGE_MAX_BLOCKS, 50);
}

#[test]
fn every_violation_is_reported_at_once() {
    let blocks: Vec<Block> = vec![
        SectionBlock::new().into(),
        HeaderBlock::new("h".repeat(151)).block_id("").into(),
        ImageBlock::new("").into(),
    ];
    assert_eq!(
        violations(blocks, Surface::Message),
        [
            "blocks[0]: at least one of `text`, `fields` must be set",
            "blocks[1].text.text: 151 characters, at most 150",
            "blocks[1].block_id: 0 characters, at least 1",
            "blocks[2].alt_text: 0 characters, at least 1",
            "blocks[2]: exactly one of `image_url`, `slack_file` must be set, 0 are",
        ]
    );
}

/// `application/x-www-form-urlencoded`, written out independently of the client's encoder.
fn form(pairs: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        let mut out = String::new();
        for b in s.bytes() {
            match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(b as char),
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
        out
    };
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

const TOKEN: &str = "xoxb-123-secret";

#[tokio::test]
async fn post_message_with_a_section_and_a_button_sends_exact_json() {
    let server = MockServer::start().await;
    server.push(Reply::json(r#"{"ok":true,"channel":"C1","ts":"1700000000.000100"}"#));
    let request = ChatPostMessageRequest::new("C0123456789")
        .text("Deploy 1.4?")
        .blocks([SectionBlock::new()
            .text(Mrkdwn::new("*Deploy 1.4?*"))
            .accessory(ButtonElement::new("Deploy").action_id("deploy").value("1.4").style(ButtonElementStyle::Primary))]);
    let resp = server.client(TOKEN).call(&request).await.unwrap();
    assert_eq!(resp.ts.unwrap().as_str(), "1700000000.000100");
    let got = server.take().remove(0);
    assert_eq!(got.path, "/api/chat.postMessage");
    assert_eq!(got.header("content-type"), Some("application/x-www-form-urlencoded"));
    let blocks = r#"[{"type":"section","text":{"type":"mrkdwn","text":"*Deploy 1.4?*"},"accessory":{"type":"button","text":{"type":"plain_text","text":"Deploy"},"action_id":"deploy","value":"1.4","style":"primary"}}]"#;
    assert_eq!(got.body_text(), form(&[("channel", "C0123456789"), ("blocks", blocks), ("text", "Deploy 1.4?")]));
}

#[tokio::test]
async fn views_open_with_an_input_block_sends_exact_json() {
    let server = MockServer::start().await;
    server.push(Reply::json(r#"{"ok":true,"view":{"id":"V1","type":"modal"}}"#));
    let modal = ModalView::new("New task", [InputBlock::new("Title", PlainTextInputElement::new().action_id("title").max_length(80))
        .block_id("title")])
    .submit("Create")
    .callback_id("new_task");
    let request = ViewsOpenRequest::new(modal).trigger_id("12345.98765.abcd2358fdea");
    let resp = server.client(TOKEN).call(&request).await.unwrap();
    assert_eq!(resp.view.unwrap().id.as_deref(), Some("V1"));
    let got = server.take().remove(0);
    let view = r#"{"type":"modal","title":{"type":"plain_text","text":"New task"},"blocks":[{"type":"input","label":{"type":"plain_text","text":"Title"},"element":{"type":"plain_text_input","action_id":"title","max_length":80},"block_id":"title"}],"submit":{"type":"plain_text","text":"Create"},"callback_id":"new_task"}"#;
    assert_eq!(got.body_text(), form(&[("view", view), ("trigger_id", "12345.98765.abcd2358fdea")]));
}

#[tokio::test]
async fn a_message_read_from_history_is_changed_and_posted_back() {
    let server = MockServer::start().await;
    let history = json!({
        "ok": true,
        "messages": [{
            "type": "message", "user": "U1", "ts": "1700000000.000100", "text": "Deploy?",
            "blocks": [
                {"type": "section", "block_id": "q", "text": {"type": "mrkdwn", "text": "*Deploy?*", "verbatim": false}},
                {"type": "actions", "block_id": "a", "elements": [
                    {"type": "button", "action_id": "yes", "text": {"type": "plain_text", "text": "Yes", "emoji": true}, "value": "y"}
                ]},
                {"type": "hologram", "block_id": "h", "frames": 24}
            ]
        }],
        "has_more": false
    });
    server.push(Reply::json(&history.to_string()));
    server.push(Reply::json(r#"{"ok":true,"channel":"C1","ts":"1700000000.000100","text":"Deployed"}"#));
    let client = server.client(TOKEN);
    let page = client.call(&ConversationsHistoryRequest::new("C1")).await.unwrap();
    let message = page.messages.unwrap().remove(0);
    let mut blocks = message.blocks.clone().unwrap();
    // Answer the question: the section says so, the buttons go.
    if let Block::Section(s) = &mut blocks[0] {
        s.text = Some(Mrkdwn::new("*Deployed* by <@U1>").into());
    }
    blocks.remove(1);
    let request = ChatUpdateRequest::new("C1", message.ts.clone().unwrap()).text("Deployed").blocks(blocks);
    client.call(&request).await.unwrap();
    let sent = server.take().remove(1);
    // The block this version does not know travels back exactly as it came.
    let blocks = r#"[{"type":"section","text":{"type":"mrkdwn","text":"*Deployed* by <@U1>"},"block_id":"q"},{"type":"hologram","block_id":"h","frames":24}]"#;
    assert_eq!(sent.path, "/api/chat.update");
    assert_eq!(sent.body_text(), form(&[("channel", "C1"), ("ts", "1700000000.000100"), ("blocks", blocks), ("text", "Deployed")]));
}

#[tokio::test]
async fn invalid_blocks_are_not_sent_unless_validation_is_off() {
    let server = MockServer::start().await;
    let request = ChatPostMessageRequest::new("C1").blocks([HeaderBlock::new("h".repeat(200))]);
    let err = server.client(TOKEN).call(&request).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m == "chat.postMessage: blocks[0].text.text: 200 characters, at most 150"),
        "{err:?}"
    );
    assert!(server.take().is_empty(), "nothing is sent");
    assert!(request.validate().is_err());

    // Raw JSON is sent as given, unchecked.
    server.push(Reply::json(r#"{"ok":true}"#));
    let mut raw = ChatPostMessageRequest::new("C1");
    raw.blocks = Some(JsonArg::raw(r#"[{"type":"divider"}]"#));
    server.client(TOKEN).call(&raw).await.unwrap();
    assert_eq!(server.take()[0].body_text(), form(&[("channel", "C1"), ("blocks", r#"[{"type":"divider"}]"#)]));

    // Off: sent, and Slack decides.
    server.push(Reply::json(r#"{"ok":false,"error":"invalid_blocks"}"#));
    let client = slack_api::Client::builder(TOKEN).base_url(server.base_url()).validate_block_kit(false).build().unwrap();
    let err = client.call(&request).await.unwrap_err();
    assert_eq!(err.code(), Some("invalid_blocks"));
    assert_eq!(server.take().len(), 1);
}

#[tokio::test]
async fn other_json_arguments_take_any_serialize_value() {
    #[derive(Serialize)]
    struct Profile<'a> {
        status_text: &'a str,
        status_emoji: &'a str,
    }
    let server = MockServer::start().await;
    server.push(Reply::json(r#"{"ok":true}"#));
    server.push(Reply::json(r#"{"ok":true}"#));
    server.push(Reply::json(r#"{"ok":true}"#));
    let client = server.client(TOKEN);
    use slack_api::users::UsersProfileSetRequest;
    client.call(&UsersProfileSetRequest::new().profile(Profile { status_text: "riding a train", status_emoji: ":mountain_railway:" })).await.unwrap();
    client.call(&UsersProfileSetRequest::new().profile(json!({"status_text": "away"}))).await.unwrap();
    client.call(&UsersProfileSetRequest::new().profile(Json::raw(r#"{"status_text":"raw"}"#))).await.unwrap();
    let bodies: Vec<String> = server.take().iter().map(|r| r.body_text()).collect();
    assert_eq!(
        bodies,
        [
            form(&[("profile", r#"{"status_text":"riding a train","status_emoji":":mountain_railway:"}"#)]),
            form(&[("profile", r#"{"status_text":"away"}"#)]),
            form(&[("profile", r#"{"status_text":"raw"}"#)]),
        ]
    );
    // A value that is not JSON is refused before sending.
    let mut bad = std::collections::HashMap::new();
    bad.insert(vec![1], 2);
    let err = client.call(&UsersProfileSetRequest::new().profile(bad)).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.starts_with("users.profile.set: profile: cannot be encoded as JSON")), "{err:?}");
}

#[test]
fn every_ts_argument_is_a_timestamp() {
    // `thread_ts` was a plain string in nine requests; it is a Timestamp everywhere now.
    let req = ChatPostMessageRequest::new("C1").thread_ts("1700000000.000100");
    assert_eq!(req.thread_ts.unwrap(), slack_api::Timestamp::new("1700000000.000100"));
    let spec = slack_api_tests::repo_root().join("spec/methods");
    let mut seen = 0;
    for entry in std::fs::read_dir(spec).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let (_, method) = codegen::load::parse_method(&path, text).unwrap();
        for a in method.arguments.iter().filter(|a| a.name.as_str() == "ts" || a.name.as_str().ends_with("_ts")) {
            // Message timestamps are `Timestamp`s; a few `*_ts` are whole UNIX times (integers).
            assert!(matches!(a.ty.to_string().as_str(), "timestamp" | "integer"), "{} {}: {}", method.name, a.name, a.ty);
            seen += 1;
        }
    }
    assert!(seen > 20, "{seen} ts arguments");
}
