//! Work Objects: entity metadata is typed Block Kit. `chat.unfurl` sends it as `metadata`, and
//! it is checked before it is sent. Kinds and fields this version does not know travel back as
//! they came.

use std::path::PathBuf;

use serde_json::{Value, json};
use slack_api::block_kit::*;
use slack_api::chat::{ChatPostMessageRequest, ChatUnfurlRequest};
use slack_api::entity::{EntityAcknowledgeCommentActionRequest, EntityPresentCommentsRequest, EntityPresentDetailsRequest};
use slack_api::{Error, Method};
use slack_api_tests::coverage;
use slack_api_tests::MockServer;

const TOKEN: &str = "xoxb-test";

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/work-objects").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `a=b&c=d`, encoded like the client encodes forms.
fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

fn task() -> EntityMetadata {
    EntityMetadata::new(
        "slack#/entities/task",
        EntityPayload::new()
            .attributes(EntityAttributes::new().title(EntityTitle::new("Update links in login page")).display_id("139"))
            .fields(EntityFields::new().status(EntityField::new().value("open").tag_color(EntityFieldTagColor::Blue)))
            .custom_fields([EntityCustomField::new("story_points", "Story points", "integer").value(3)])
            .actions(EntityActions::new().primary_actions([EntityAction::new("Close issue", "close_issue").style(EntityActionStyle::Danger)])),
    )
    .app_unfurl_url("https://example.com/issues/139?ref=slack")
    .url("https://example.com/issues/139")
    .external_ref(EntityExternalRef::new("139").type_("issue"))
}

#[tokio::test]
async fn chat_unfurl_sends_a_work_object_as_metadata() {
    let server = MockServer::start().await;
    let request = ChatUnfurlRequest::new()
        .channel("C123ABC456")
        .ts("1700000000.000100")
        .metadata(MessageMetadata::new().entities([task()]));
    server.client(TOKEN).call(&request).await.unwrap();
    let sent = server.take().remove(0);
    assert_eq!(sent.path, "/api/chat.unfurl");
    assert_eq!(sent.header("authorization"), Some("Bearer xoxb-test"));
    assert_eq!(sent.header("content-type"), Some("application/x-www-form-urlencoded"));
    let metadata = concat!(
        r#"{"entities":[{"app_unfurl_url":"https://example.com/issues/139?ref=slack","url":"https://example.com/issues/139","#,
        r#""external_ref":{"id":"139","type":"issue"},"entity_type":"slack#/entities/task","entity_payload":{"#,
        r#""attributes":{"title":{"text":"Update links in login page"},"display_id":"139"},"#,
        r#""fields":{"status":{"value":"open","tag_color":"blue"}},"#,
        r#""custom_fields":[{"key":"story_points","label":"Story points","value":3,"type":"integer"}],"#,
        r#""actions":{"primary_actions":[{"text":"Close issue","action_id":"close_issue","style":"danger"}]}}}]}"#
    );
    assert_eq!(sent.body_text(), form(&[("channel", "C123ABC456"), ("ts", "1700000000.000100"), ("metadata", metadata)]));
}

#[tokio::test]
async fn entity_present_details_sends_one_entity_and_checks_it() {
    let server = MockServer::start().await;
    let mut entity = task();
    entity.app_unfurl_url = None;
    let request = EntityPresentDetailsRequest::new("1234.5678.abcd").metadata(entity.clone());
    server.client(TOKEN).call(&request).await.unwrap();
    let sent = server.take().remove(0);
    assert_eq!(sent.path, "/api/entity.presentDetails");
    let metadata = serde_json::to_string(&entity).unwrap();
    assert!(metadata.starts_with(r#"{"url":"https://example.com/issues/139","external_ref""#), "{metadata}");
    assert_eq!(sent.body_text(), form(&[("trigger_id", "1234.5678.abcd"), ("metadata", &metadata)]));

    entity.external_ref = Some(Box::new(EntityExternalRef::new("")));
    let err = server.client(TOKEN).call(&EntityPresentDetailsRequest::new("t").metadata(entity)).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m == "entity.presentDetails: metadata.external_ref.id: 0 characters, at least 1"),
        "{err}"
    );
    assert!(server.take().is_empty());
}

#[tokio::test]
async fn an_invalid_entity_is_refused_before_sending_with_its_path() {
    let server = MockServer::start().await;
    let mut entity = task();
    let actions = EntityActions::new()
        .primary_actions((0..3).map(|i| EntityAction::new("Go", format!("go_{i}"))))
        .overflow_actions([EntityAction::new("Long", "a".repeat(256)).value("v".repeat(2001))]);
    entity.entity_payload.actions = Some(Box::new(actions));
    entity.entity_type = String::new();
    let request = ChatUnfurlRequest::new().channel("C1").ts("1700000000.000100").metadata(MessageMetadata::new().entities([entity.clone()]));
    let err = server.client(TOKEN).call(&request).await.unwrap_err();
    let expected = "chat.unfurl: metadata.entities[0].entity_type: 0 characters, at least 1; \
                    metadata.entities[0].entity_payload.actions.primary_actions: 3 items, at most 2; \
                    metadata.entities[0].entity_payload.actions.overflow_actions[0].action_id: 256 characters, at most 255; \
                    metadata.entities[0].entity_payload.actions.overflow_actions[0].value: 2,001 characters, at most 2,000";
    assert!(matches!(&err, Error::InvalidRequest(m) if m == expected), "{err}");
    assert!(server.take().is_empty(), "nothing is sent");

    // chat.postMessage's metadata is the same type, checked the same way.
    let post = ChatPostMessageRequest::new("C1").text("Issue 139").metadata(MessageMetadata::new().entities([entity]));
    let violations = post.validate().unwrap_err();
    assert!(violations.to_string().contains("metadata.entities[0].entity_payload.actions.primary_actions: 3 items, at most 2"), "{violations}");
}

#[test]
fn unknown_kinds_and_fields_travel_back_as_they_came() {
    let sent = json!({
        "event_type": "issue_linked",
        "event_payload": { "id": 139 },
        "entities": [{
            "url": "https://example.com/holo/1",
            "external_ref": { "id": "1" },
            "entity_type": "slack#/entities/hologram",
            "entity_payload": {
                "attributes": { "title": { "text": "A hologram" }, "sparkle": true },
                "fields": { "depth": { "value": 3, "type": "integer", "shimmer": "on" } },
                "projection": { "angle": 45 }
            },
            "beam": "wide"
        }]
    });
    let metadata: MessageMetadata = serde_json::from_value(sent.clone()).unwrap();
    let entity = &metadata.entities.as_ref().unwrap()[0];
    assert_eq!(entity.entity_type, "slack#/entities/hologram");
    assert_eq!(entity.extra["beam"], "wide");
    assert_eq!(entity.entity_payload.extra["projection"], json!({ "angle": 45 }));
    assert_eq!(entity.entity_payload.fields.as_ref().unwrap().extra["depth"]["shimmer"], "on");
    assert_eq!(serde_json::to_value(&metadata).unwrap(), sent);
    assert!(metadata.validate().is_ok(), "what Slack may accept is not refused");
}

#[test]
fn the_guides_examples_decode_typed_and_round_trip() {
    // A field's `value` and a number input's bounds are JSON on purpose: their type is the
    // field's `type`.
    let free = |site: &str| site.ends_with(".value") || site.ends_with(".min_value") || site.ends_with(".max_value");
    let task: EntityMetadata = serde_json::from_value(fixture("task-edit.json")).unwrap();
    let fields = task.entity_payload.fields.as_ref().unwrap();
    let options = fields.status.as_ref().unwrap().edit.as_ref().unwrap().select.as_ref().unwrap().static_options.as_ref().unwrap();
    assert_eq!(options[1].text.text, "Done");
    assert_eq!(fields.extra.keys().collect::<Vec<_>>(), ["completed"], "`completed` is the app's own field, kept as sent");
    assert_eq!(serde_json::to_value(&task).unwrap(), fixture("task-edit.json"));
    assert!(task.validate().is_ok());
    for name in ["unfurl-file.json", "actions.json"] {
        let metadata: MessageMetadata = serde_json::from_value(fixture(name)).unwrap();
        let sites: Vec<String> = coverage::tally(&metadata).unwrap().sites.into_keys().filter(|s| !free(s)).collect();
        assert!(sites.is_empty(), "{name}: untyped {sites:?}");
        assert_eq!(serde_json::to_value(&metadata).unwrap(), fixture(name), "{name}");
        assert!(metadata.validate().is_ok(), "{name}");
    }
    let metadata: MessageMetadata = serde_json::from_value(fixture("unfurl-file.json")).unwrap();
    let preview = metadata.entities.as_ref().unwrap()[0].entity_payload.attributes.as_ref().unwrap().full_size_preview.as_ref().unwrap();
    assert_eq!(preview.error.as_ref().unwrap().code, Some(EntityPreviewErrorCode::FileNotSupported));
}

fn comment() -> EntityComment {
    EntityComment::new(
        "comment-001",
        EntityUser::new().user_id("U0123456789"),
        1741164235,
        EntityCommentBody::new().value("Can someone review this?").format(EntityCommentBodyFormat::Markdown),
    )
    .url("https://example.com/task/123#comment-001")
    .can_edit(true)
    .can_delete(true)
    .can_reply(true)
    .reply_count(2)
    .reply_users([EntityUser::new().user_id("U0234567890")])
    .latest_reply_ts(1741165000)
}

#[tokio::test]
async fn entity_present_comments_sends_typed_comments_as_a_json_array_and_checks_them() {
    let server = MockServer::start().await;
    let reply = EntityComment::new(
        "comment-002",
        EntityUser::new().text("Ada (external)").email("ada@example.com"),
        1741165000,
        EntityCommentBody::new().blocks([RichTextBlock::new([RichTextSection::new([RichTextText::new("Looks good")])])]),
    )
    .thread_root_id("comment-001");
    let request = EntityPresentCommentsRequest::new([comment(), reply], "1234.5678.abcd")
        .can_post_comment(true)
        .delete_action_id("delete_external_comment")
        .cursor("next-page-token");
    server.client(TOKEN).call(&request).await.unwrap();
    let sent = server.take().remove(0);
    assert_eq!(sent.path, "/api/entity.presentComments");
    let comments = json!([
        { "id": "comment-001", "sender": { "user_id": "U0123456789" }, "timestamp": 1741164235,
          "comment": { "value": "Can someone review this?", "format": "markdown" },
          "url": "https://example.com/task/123#comment-001", "can_edit": true, "can_delete": true, "can_reply": true,
          "reply_count": 2, "reply_users": [{ "user_id": "U0234567890" }], "latest_reply_ts": 1741165000 },
        { "id": "comment-002", "sender": { "text": "Ada (external)", "email": "ada@example.com" }, "timestamp": 1741165000,
          "comment": { "blocks": [{ "type": "rich_text", "elements": [{ "type": "rich_text_section",
              "elements": [{ "type": "text", "text": "Looks good" }] }] }] },
          "thread_root_id": "comment-001" }
    ]);
    let fields: Vec<(String, String)> = form_urlencoded::parse(sent.body_text().as_bytes()).into_owned().collect();
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["comments", "trigger_id", "cursor", "can_post_comment", "delete_action_id"]);
    assert_eq!(serde_json::from_str::<Value>(&fields[0].1).unwrap(), comments);
    assert_eq!(fields[0].1, serde_json::to_string(&comments).unwrap(), "in the order of the comment schema");

    // Both text and blocks, three reply users, an empty ID: refused before sending, each by its path.
    let mut bad = comment().reply_users((0..3).map(|i| EntityUser::new().user_id(format!("U{i}"))));
    bad.id = String::new();
    bad.comment.blocks = Some(vec![RichTextBlock::new([RichTextSection::new([RichTextText::new("x")])])]);
    let err = server.client(TOKEN).call(&EntityPresentCommentsRequest::new([bad], "t")).await.unwrap_err();
    let expected = "entity.presentComments: comments[0].id: 0 characters, at least 1; \
                    comments[0].comment: exactly one of `value`, `blocks` must be set, 2 are; \
                    comments[0].reply_users: 3 items, at most 2";
    assert!(matches!(&err, Error::InvalidRequest(m) if m == expected), "{err}");
    assert!(server.take().is_empty(), "nothing is sent");
}

#[tokio::test]
async fn entity_acknowledge_comment_action_sends_the_comment_as_json() {
    let server = MockServer::start().await;
    let request = EntityAcknowledgeCommentActionRequest::new("1234.5678.abcd").comment(comment().last_edit_ts(1741166000));
    server.client(TOKEN).call(&request).await.unwrap();
    let sent = server.take().remove(0);
    assert_eq!(sent.path, "/api/entity.acknowledgeCommentAction");
    let fields: Vec<(String, String)> = form_urlencoded::parse(sent.body_text().as_bytes()).into_owned().collect();
    assert_eq!(fields[0], ("trigger_id".to_owned(), "1234.5678.abcd".to_owned()));
    assert_eq!(fields[1].0, "comment");
    let comment: Value = serde_json::from_str(&fields[1].1).unwrap();
    assert_eq!((comment["id"].as_str(), comment["last_edit_ts"].as_i64()), (Some("comment-001"), Some(1741166000)));
    // A comment without its text is refused before sending.
    let empty = EntityComment::new("c", EntityUser::new().user_id("U1"), 1, EntityCommentBody::new());
    let err = server.client(TOKEN).call(&EntityAcknowledgeCommentActionRequest::new("t").comment(empty)).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m == "entity.acknowledgeCommentAction: comment.comment: exactly one of `value`, `blocks` must be set, 0 are"),
        "{err}"
    );
    assert!(server.take().is_empty());
}

#[test]
fn an_entitys_comment_count_is_typed_and_comments_decode_back_as_sent() {
    let mut sent = serde_json::to_value(task()).unwrap();
    sent["entity_comments"] = json!({ "count": 5, "latest_timestamp": 1741165000 });
    let entity: EntityMetadata = serde_json::from_value(sent.clone()).unwrap();
    let count = entity.entity_comments.as_ref().unwrap();
    assert_eq!((count.count, count.latest_timestamp), (Some(5), Some(1741165000)));
    assert!(entity.extra.is_empty());
    assert_eq!(serde_json::to_value(&entity).unwrap(), sent);
    sent["entity_comments"]["count"] = json!(-1);
    let entity: EntityMetadata = serde_json::from_value(sent).unwrap();
    assert_eq!(entity.validate().unwrap_err().to_string(), "entity_comments.count: -1, at least 0");

    // A comment with a field this version does not know keeps it, and a format Slack adds later.
    let sent = json!({ "id": "c1", "sender": { "user_id": "U1" }, "timestamp": 1, "comment": { "value": "Hi", "format": "html" },
        "pinned": true });
    let c: EntityComment = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(c.extra["pinned"], true);
    assert_eq!(c.comment.format, Some(EntityCommentBodyFormat::Unknown("html".into())));
    assert_eq!(serde_json::to_value(&c).unwrap(), sent);
    assert_eq!(c.validate().unwrap_err().to_string(), "comment.format: `html`, not one of `markdown`");
}
