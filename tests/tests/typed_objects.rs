//! The shared objects hold every field Slack documents: a search answer's matches decode into
//! typed messages with typed attachments, blocks and files, and a file with every documented
//! field (an email file: senders, recipients, headers, text) decodes with nothing left in
//! `extra`. Both answers come over HTTP from a loopback server, and are written back exactly.

use serde_json::{Value, json};
use slack_api::files::FilesInfoRequest;
use slack_api::objects::{Block, File};
use slack_api::search::SearchMessagesRequest;
use slack_api_tests::coverage::tally;
use slack_api_tests::{MockServer, Reply, repo_root};

fn file_fixture() -> Value {
    let path = repo_root().join("tests/fixtures/objects/file-every-field.json");
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The field names `spec/objects/<name>.yaml` declares.
fn declared(name: &str) -> Vec<String> {
    let api = codegen::load_api(&repo_root()).unwrap_or_else(|e| panic!("{e}"));
    let object = api.objects.iter().find(|o| o.wire_name == name).unwrap_or_else(|| panic!("no object {name}"));
    match &object.kind {
        codegen::ir::ObjectKind::Struct(fields) => fields.iter().map(|f| f.wire_name.clone()).collect(),
        codegen::ir::ObjectKind::Union { .. } => panic!("{name} is a union"),
    }
}

#[tokio::test]
async fn a_file_with_every_documented_field_decodes_with_nothing_in_extra() {
    let file = file_fixture();
    // The fixture holds every field the spec declares for a file, and nothing else: a field
    // added to spec/objects/file.yaml needs a value here.
    let mut want = declared("file");
    want.sort();
    let mut have: Vec<String> = file.as_object().unwrap().keys().cloned().collect();
    have.sort();
    assert_eq!(have, want, "tests/fixtures/objects/file-every-field.json and spec/objects/file.yaml disagree");

    let server = MockServer::start().await;
    let answer = json!({"ok": true, "file": file, "comments": [], "response_metadata": {"next_cursor": ""}});
    server.push(Reply::json(&answer.to_string()));
    let resp = server.client("xoxb-test").call(&FilesInfoRequest::new("F0A12BCDE")).await.unwrap();
    let f: &File = resp.file.as_ref().unwrap();
    assert!(f.extra.is_empty(), "fields left in extra: {:?}", f.extra.keys().collect::<Vec<_>>());
    // The email fields, typed.
    assert_eq!(f.subject.as_deref(), Some("Re: Quarterly numbers"));
    let from = &f.from.as_ref().unwrap()[0];
    assert_eq!((from.address.as_deref(), from.name.as_deref()), (Some("ada@example.com"), Some("Ada")));
    assert!(from.extra.is_empty());
    assert_eq!(f.cc.as_ref().unwrap()[0].original.as_deref(), Some("Grace <grace@example.com>"));
    let headers = f.headers.as_ref().unwrap();
    assert_eq!(headers.message_id.as_deref(), Some("<def@example.com>"));
    assert_eq!(headers.reply_to, None, "a null header reads as None");
    assert_eq!(f.original_attachment_count, Some(1));
    assert_eq!(f.preview_plain_text.as_deref(), Some("Numbers attached."));
    assert_eq!(f.access.as_deref(), Some("read"));
    assert_eq!(f.dm_mpdm_users_with_file_access.as_ref().unwrap()[0].user_id.as_ref().unwrap().as_str(), "U0B2C3D4E");
    assert!(matches!(f.title_blocks.as_deref(), Some([Block::RichText(_)])));
    // Everything but the two fields kept as JSON on purpose (an email's attachments, a
    // transcription: spec/README.md says why) is typed, to the leaves.
    let t = tally(&resp).unwrap();
    let untyped: Vec<&String> = t.sites.keys().collect();
    assert_eq!(untyped, ["file.attachments", "file.transcription"], "{t:?}");
    // And the answer is written back as sent.
    assert_eq!(serde_json::to_value(&resp).unwrap(), answer);
    let sent = server.take();
    assert_eq!(sent[0].path, "/api/files.info");
}

#[tokio::test]
async fn a_search_answers_matches_decode_into_typed_messages_attachments_and_files() {
    let mut file = file_fixture();
    // A plain image file this time: an email's attachments and a transcription stay JSON.
    let obj = file.as_object_mut().unwrap();
    obj.retain(|k, _| !matches!(k.as_str(), "attachments" | "transcription"));
    let context = |ts: &str, text: &str| json!({"type": "message", "user": "U012A3BCD", "username": "ada", "ts": ts, "text": text, "iid": format!("i{ts}")});
    let answer = json!({
        "ok": true,
        "query": "numbers",
        "messages": {
            "total": 1,
            "pagination": {"total_count": 1, "page": 1, "per_page": 20, "page_count": 1, "first": 1, "last": 1},
            "paging": {"count": 20, "total": 1, "page": 1, "pages": 1},
            "matches": [{
                "type": "message",
                "iid": "cb64bdaa-c1e8-4631-8a91-0f78080113e9",
                "ts": "1531763348.000001",
                "team": "T012AB3C4",
                "user": "U012A3BCD",
                "username": "ada",
                "text": "Quarterly numbers",
                "permalink": "https://example.slack.com/archives/C0A1BC2DE/p1531763348000001",
                "score": 0.87,
                "channel": {"id": "C0A1BC2DE", "name": "finance", "is_channel": true, "is_private": false, "is_mpim": false},
                "attachments": [{
                    "id": 1, "fallback": "Q3 report", "title": "Q3 report", "title_link": "https://example.com/q3",
                    "text": "Revenue up", "color": "36a64f", "service_name": "Example",
                    "fields": [{"title": "Revenue", "value": "+12 %", "short": true}]
                }],
                "blocks": [
                    {"type": "image", "block_id": "img", "alt_text": "chart", "image_url": "https://example.com/chart.gif",
                     "image_width": 800, "image_height": 600, "image_bytes": 53142, "fallback": "800x600px image", "is_animated": true},
                    {"type": "section", "block_id": "s1", "text": {"type": "mrkdwn", "text": "Quarterly *numbers*"}}
                ],
                "files": [file],
                "previous_2": context("1531763346.000001", "two before"),
                "previous": context("1531763347.000001", "one before"),
                "next": context("1531763349.000001", "one after"),
                "next_2": context("1531763350.000001", "two after")
            }]
        }
    });
    let server = MockServer::start().await;
    server.push(Reply::json(&answer.to_string()));
    let resp = server.client("xoxp-test").call(&SearchMessagesRequest::new("numbers")).await.unwrap();

    let matches = resp.messages.as_ref().unwrap().matches.as_ref().unwrap();
    let m = &matches[0];
    assert!(m.extra.is_empty(), "match fields left in extra: {:?}", m.extra.keys().collect::<Vec<_>>());
    assert_eq!(m.channel.as_ref().unwrap().name.as_deref(), Some("finance"));
    let a = &m.attachments.as_ref().unwrap()[0];
    assert_eq!(a.title.as_deref(), Some("Q3 report"));
    assert_eq!(a.fields.as_ref().unwrap()[0].value.as_deref(), Some("+12 %"));
    assert!(a.extra.is_empty(), "{:?}", a.extra);
    let Some([Block::Image(image), Block::Section(_)]) = m.blocks.as_deref() else { panic!("{:?}", m.blocks) };
    assert_eq!((image.image_width, image.image_height, image.image_bytes), (Some(800), Some(600), Some(53142)));
    assert_eq!((image.fallback.as_deref(), image.is_animated), (Some("800x600px image"), Some(true)));
    assert!(image.extra.is_empty(), "{:?}", image.extra);
    let f = &m.files.as_ref().unwrap()[0];
    assert_eq!(f.id.as_ref().unwrap().as_str(), "F0A12BCDE");
    assert!(f.extra.is_empty(), "{:?}", f.extra.keys().collect::<Vec<_>>());
    assert_eq!(m.previous_2.as_ref().unwrap().text.as_deref(), Some("two before"));
    assert_eq!(m.next_2.as_ref().unwrap().ts.as_ref().unwrap().as_str(), "1531763350.000001");
    assert_eq!(m.score.as_ref().map(ToString::to_string).as_deref(), Some("0.87"));

    // Every leaf of the answer is in a typed field, and the answer is written back as sent.
    let t = tally(&resp).unwrap();
    assert_eq!(t.untyped, 0, "untyped: {:?}", t.sites);
    assert!(t.typed > 150, "{t:?}");
    assert_eq!(serde_json::to_value(&resp).unwrap(), answer);
}
