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
    let transcription = f.transcription.as_ref().unwrap();
    assert_eq!((transcription.status.as_deref(), transcription.locale.as_deref()), (Some("complete"), Some("en-US")));
    assert!(transcription.extra.is_empty());
    // Everything but the field kept as JSON on purpose (an email's attachments: spec/README.md
    // says why) is typed, to the leaves.
    let t = tally(&resp).unwrap();
    let untyped: Vec<&String> = t.sites.keys().collect();
    assert_eq!(untyped, ["file.attachments"], "{t:?}");
    // And the answer is written back as sent.
    assert_eq!(serde_json::to_value(&resp).unwrap(), answer);
    let sent = server.take();
    assert_eq!(sent[0].path, "/api/files.info");
}

#[tokio::test]
async fn a_search_answers_matches_decode_into_typed_messages_attachments_and_files() {
    let mut file = file_fixture();
    // A plain image file this time: an email's attachments stay JSON.
    let obj = file.as_object_mut().unwrap();
    obj.retain(|k, _| k != "attachments");
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
                }, {
                    // A link unfurl of a video, as Slack adds it.
                    "id": 2, "fallback": "Example Video: Q3 in two minutes", "title": "Q3 in two minutes",
                    "title_link": "https://video.example.com/q3", "from_url": "https://video.example.com/q3",
                    "original_url": "https://video.example.com/q3", "service_name": "Example Video",
                    "service_icon": "https://video.example.com/favicon.png", "service_url": "https://video.example.com/",
                    "thumb_url": "https://video.example.com/q3.jpg", "thumb_width": 480, "thumb_height": 360,
                    "video_html": "<iframe src=\"https://video.example.com/embed/q3\"></iframe>",
                    "video_html_width": 400, "video_html_height": 225, "video_url": "https://video.example.com/q3.mp4"
                }, {
                    // An app's unfurl (chat.unfurl).
                    "id": 3, "fallback": "Ticket 42", "text": "Ticket 42: open", "app_unfurl_url": "https://tickets.example.com/42",
                    "is_app_unfurl": true, "app_id": "A0123456789", "bot_id": "B0123456789",
                    "image_url": "https://tickets.example.com/42.png", "image_width": 640, "image_height": 480, "image_bytes": 20480
                }, {
                    // A link to a Slack message, unfurled.
                    "id": 4, "fallback": "[July 16th] Ada: the numbers", "text": "the numbers",
                    "author_id": "U012A3BCD", "author_name": "Ada", "author_subname": "Ada Lovelace",
                    "channel_id": "C0A1BC2DE", "channel_name": "finance", "channel_team": "T012AB3C4",
                    "is_msg_unfurl": true, "is_reply_unfurl": false, "is_thread_root_unfurl": true, "msg_subtype": "thread_broadcast",
                    "from_url": "https://example.slack.com/archives/C0A1BC2DE/p1531763340000001", "mrkdwn_in": ["text"],
                    "footer": "Posted in #finance"
                }],
                "blocks": [
                    {"type": "image", "block_id": "img", "alt_text": "chart", "image_url": "https://example.com/chart.gif",
                     "image_width": 800, "image_height": 600, "image_bytes": 53142, "fallback": "800x600px image", "is_animated": true},
                    {"type": "section", "block_id": "s1", "text": {"type": "mrkdwn", "text": "Quarterly *numbers*"},
                     "accessory": {"type": "image", "image_url": "https://example.com/logo.png", "alt_text": "logo",
                                   "fallback": "400x400px image", "image_width": 400, "image_height": 400, "image_bytes": 12040}}
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
    // The unfurl fields Slack adds to attachments, typed.
    let [_, video, app, message] = m.attachments.as_deref().unwrap() else { panic!("{:?}", m.attachments) };
    assert_eq!((video.video_html_width, video.video_html_height), (Some(400), Some(225)));
    assert_eq!(video.service_url.as_deref(), Some("https://video.example.com/"));
    assert_eq!((app.is_app_unfurl, app.app_unfurl_url.as_deref()), (Some(true), Some("https://tickets.example.com/42")));
    assert_eq!((app.app_id.as_deref(), app.image_bytes), (Some("A0123456789"), Some(20480)));
    assert_eq!((message.is_msg_unfurl, message.is_thread_root_unfurl), (Some(true), Some(true)));
    assert_eq!((message.channel_team.as_deref(), message.msg_subtype.as_deref()), (Some("T012AB3C4"), Some("thread_broadcast")));
    for a in [video, app, message] {
        assert!(a.extra.is_empty(), "{:?}", a.extra);
    }
    let Some([Block::Image(image), Block::Section(section)]) = m.blocks.as_deref() else { panic!("{:?}", m.blocks) };
    // The image element (a section's accessory) carries the same size fields as the block, but
    // no `is_animated`.
    let Some(slack_api::block_kit::SectionAccessory::Image(logo)) = section.accessory.as_deref() else { panic!("{:?}", section.accessory) };
    assert_eq!((logo.image_width, logo.image_height, logo.image_bytes), (Some(400), Some(400), Some(12040)));
    assert_eq!(logo.fallback.as_deref(), Some("400x400px image"));
    assert!(logo.extra.is_empty(), "{:?}", logo.extra);
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
