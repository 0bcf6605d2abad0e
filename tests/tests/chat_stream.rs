//! Streamed messages over loopback: the `chunks` argument on the wire, byte for byte; chunks
//! Slack would refuse, refused before sending; `ChatStream`'s buffering by size and by time,
//! long markdown split, and a failed send surfaced with what it did not send.

use std::time::Duration;

use serde_json::json;
use slack_api::block_kit::{
    ActionsBlock, BlocksChunk, ButtonElement, Chunk, DividerBlock, MarkdownTextChunk, PlanUpdateChunk, TaskUpdateChunk,
    TaskUpdateChunkStatus, UrlSourceElement, Validate,
};
use slack_api::chat::{ChatAppendStreamRequest, ChatStartStreamRequest};
use slack_api::chat_stream::{ChatStream, ChatStreamError, StreamEnd};
use slack_api::{Error, JsonArg};
use slack_api_tests::{MockServer, Recorded, Reply};

/// A Web API whose `chat.startStream` answers with the message's channel and `ts`.
async fn slack() -> MockServer {
    let server = MockServer::start().await;
    server.set_handler(|r: &Recorded| {
        r.path.ends_with("/chat.startStream").then(|| Reply::json(r#"{"ok":true,"channel":"D0STREAM","ts":"1700000000.000100"}"#))
    });
    server
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// Waits (up to 10 s) until `n` calls have arrived, then takes them.
async fn wait_calls(server: &MockServer, n: usize) -> Vec<Recorded> {
    let mut calls = Vec::new();
    for _ in 0..1000 {
        calls.extend(server.take());
        if calls.len() >= n {
            return calls;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("expected {n} call(s), got {}", calls.len());
}

fn method(r: &Recorded) -> &str {
    r.path.rsplit('/').next().unwrap_or_default()
}

fn start_request() -> ChatStartStreamRequest {
    ChatStartStreamRequest::new("D0STREAM")
        .thread_ts("1700000000.000001")
        .recipient_user_id("U0ADA")
        .recipient_team_id("T0TEAM")
}

#[tokio::test]
async fn a_streamed_answer_on_the_wire_byte_for_byte() {
    let server = slack().await;
    let stream = ChatStream::new(server.client("xoxb-stream"), start_request())
        .buffer_chars(1_000)
        .max_delay(Duration::from_secs(60));

    stream.append("Let me look ").await.unwrap();
    stream.append("that up.").await.unwrap();
    assert!(server.take().is_empty(), "markdown under the buffer size waits");
    stream.start().await.unwrap();

    stream.append("\n\nFound **2** results").await.unwrap();
    let task = TaskUpdateChunk::new("search", "Searching the docs", TaskUpdateChunkStatus::Complete)
        .output("2 pages")
        .sources([UrlSourceElement::new("https://docs.example.com/a", "Page A")]);
    stream.append_chunks([task]).await.unwrap();

    let end = StreamEnd::new().blocks([ActionsBlock::new([ButtonElement::new("Helpful").action_id("helpful")])]);
    let stopped = stream.stop_with(end).await.unwrap();
    assert!(stopped.ok);

    let calls = server.take();
    let names: Vec<&str> = calls.iter().map(method).collect();
    assert_eq!(names, ["chat.startStream", "chat.appendStream", "chat.stopStream"]);
    for c in &calls {
        assert_eq!(c.method, "POST");
        assert_eq!(c.header("authorization"), Some("Bearer xoxb-stream"));
        assert_eq!(c.header("content-type"), Some("application/x-www-form-urlencoded"));
    }
    assert_eq!(
        calls[0].body_text(),
        form(&[
            ("channel", "D0STREAM"),
            ("markdown_text", "Let me look that up."),
            ("thread_ts", "1700000000.000001"),
            ("recipient_user_id", "U0ADA"),
            ("recipient_team_id", "T0TEAM"),
        ])
    );
    assert_eq!(
        calls[1].body_text(),
        form(&[
            ("channel", "D0STREAM"),
            ("ts", "1700000000.000100"),
            (
                "chunks",
                r#"[{"type":"markdown_text","text":"\n\nFound **2** results"},{"type":"task_update","id":"search","title":"Searching the docs","status":"complete","output":"2 pages","sources":[{"type":"url","url":"https://docs.example.com/a","text":"Page A"}]}]"#
            ),
        ])
    );
    assert_eq!(
        calls[2].body_text(),
        form(&[
            ("channel", "D0STREAM"),
            ("ts", "1700000000.000100"),
            (
                "blocks",
                r#"[{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"Helpful"},"action_id":"helpful"}]}]"#
            ),
        ])
    );
}

#[tokio::test]
async fn chunks_slack_would_refuse_are_refused_before_sending() {
    let server = slack().await;
    let client = server.client("xoxb-stream");

    // A task status Slack does not take.
    let bad = TaskUpdateChunk::new("t1", "Thinking", TaskUpdateChunkStatus::Unknown("done".into()));
    let req = ChatAppendStreamRequest::new("D0STREAM", "1700000000.000100").chunks([bad.clone()]);
    let err = client.call(&req).await.unwrap_err();
    let Error::InvalidRequest(why) = &err else { panic!("expected InvalidRequest, got {err:?}") };
    assert!(why.contains("chunks[0].status"), "{why}");
    assert!(why.contains("done"), "{why}");

    // 51 blocks in a blocks chunk (at most 50).
    let many = BlocksChunk::new((0..51).map(|_| DividerBlock::new()));
    let req = ChatAppendStreamRequest::new("D0STREAM", "1700000000.000100").chunks([Chunk::from(many)]);
    let Error::InvalidRequest(why) = client.call(&req).await.unwrap_err() else { panic!("expected InvalidRequest") };
    assert!(why.contains("chunks[0].blocks: 51 items, at most 50"), "{why}");

    // A source without a label.
    let unlabeled = TaskUpdateChunk::new("t1", "Reading", TaskUpdateChunkStatus::InProgress)
        .sources([UrlSourceElement::new("https://example.com", "")]);
    assert!(Chunk::from(unlabeled).validate().unwrap_err().to_string().contains("sources[0].text"));

    // Neither markdown_text nor chunks: nothing to append.
    let Error::InvalidRequest(why) = client.call(&ChatAppendStreamRequest::new("D0STREAM", "1700000000.000100")).await.unwrap_err()
    else {
        panic!("expected InvalidRequest")
    };
    assert!(why.contains("one of `markdown_text`, `chunks` is required"), "{why}");

    // The stream refuses them too, and goes on.
    let stream = ChatStream::new(client.clone(), start_request());
    match stream.append_chunks([bad]).await {
        Err(ChatStreamError::Invalid(why)) => assert!(why.contains("chunks[0].status"), "{why}"),
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert!(server.take().is_empty(), "nothing was sent");
    stream.append_chunks([PlanUpdateChunk::new("Plan")]).await.unwrap();
    assert_eq!(server.take().len(), 1);
    stream.stop().await.unwrap();
    assert_eq!(server.take().iter().map(method).collect::<Vec<_>>(), ["chat.stopStream"]);

    // Prepared JSON text is sent as given, unchecked.
    let mut raw = ChatAppendStreamRequest::new("D0STREAM", "1700000000.000100");
    raw.chunks = Some(JsonArg::raw(r#"[{"type":"x"}]"#));
    client.call(&raw).await.unwrap();
    let body = server.take()[0].body_text();
    assert!(body.contains("chunks=%5B%7B%22type%22%3A%22x%22%7D%5D"), "{body}");
}

#[test]
fn chunks_round_trip_unknown_kinds_included() {
    let wire = json!([
        { "type": "markdown_text", "text": "hi" },
        { "type": "task_update", "id": "a", "title": "A", "status": "pending", "icon": "spinner" },
        { "type": "plan_update", "title": "Plan" },
        { "type": "blocks", "blocks": [{ "type": "divider" }] },
        { "type": "reasoning", "text": "from a later version of Slack" },
    ]);
    let chunks: Vec<Chunk> = serde_json::from_value(wire.clone()).unwrap();
    assert!(matches!(chunks[0], Chunk::MarkdownText(_)));
    assert!(matches!(chunks[1], Chunk::TaskUpdate(_)));
    assert!(matches!(chunks[2], Chunk::PlanUpdate(_)));
    assert!(matches!(chunks[3], Chunk::Blocks(_)));
    assert!(matches!(chunks[4], Chunk::Unknown(_)));
    assert_eq!(chunks[4].kind(), Some("reasoning"));
    assert_eq!(serde_json::to_value(&chunks).unwrap(), wire);
    assert!(chunks.validate().is_ok(), "an unknown kind is not checked");
    let md: Chunk = MarkdownTextChunk::new("x").into();
    assert_eq!(serde_json::to_string(&md).unwrap(), r#"{"type":"markdown_text","text":"x"}"#);
}

#[tokio::test]
async fn buffered_markdown_is_sent_by_size() {
    let server = slack().await;
    let stream = ChatStream::new(server.client("xoxb-stream"), start_request())
        .buffer_chars(10)
        .max_delay(Duration::from_secs(60));
    stream.append("12345").await.unwrap();
    assert!(server.take().is_empty());
    stream.append("67890ab").await.unwrap();
    let calls = server.take();
    assert_eq!(calls.len(), 1);
    assert!(calls[0].body_text().contains("markdown_text=1234567890ab"));
    stream.append("c").await.unwrap();
    let stopped = stream.stop().await.unwrap();
    assert!(stopped.ok);
    let calls = server.take();
    assert_eq!(method(&calls[0]), "chat.stopStream");
    assert_eq!(calls[0].body_text(), form(&[("channel", "D0STREAM"), ("ts", "1700000000.000100"), ("markdown_text", "c")]));
}

#[tokio::test]
async fn buffered_markdown_is_sent_by_time_without_another_append() {
    let server = slack().await;
    let stream = ChatStream::new(server.client("xoxb-stream"), start_request())
        .buffer_chars(1_000)
        .max_delay(Duration::from_millis(100));
    stream.append("thinking…").await.unwrap();
    assert!(server.take().is_empty());
    // Nothing else is appended: the timer sends it.
    let calls = wait_calls(&server, 1).await;
    assert_eq!(calls.len(), 1, "the timer sent the buffered text once");
    assert_eq!(method(&calls[0]), "chat.startStream");
    assert!(calls[0].body_text().contains("markdown_text=thinking%E2%80%A6"));
    stream.append(" done").await.unwrap();
    let calls = wait_calls(&server, 1).await;
    assert_eq!(calls.iter().map(method).collect::<Vec<_>>(), ["chat.appendStream"]);
    assert!(calls[0].body_text().ends_with("markdown_text=+done"), "{}", calls[0].body_text());
    stream.stop().await.unwrap();
}

#[tokio::test]
async fn markdown_over_one_calls_limit_goes_in_several_calls() {
    let server = slack().await;
    let stream = ChatStream::new(server.client("xoxb-stream"), start_request())
        .buffer_chars(100_000)
        .max_delay(Duration::from_secs(60));
    let text: String = "é".repeat(25_000); // two bytes each: cut on characters
    stream.append(&text).await.unwrap();
    stream.stop().await.unwrap();
    let calls = server.take();
    assert_eq!(calls.iter().map(method).collect::<Vec<_>>(), ["chat.startStream", "chat.appendStream", "chat.stopStream"]);
    let sent: Vec<String> = calls
        .iter()
        .map(|c| {
            form_urlencoded::parse(&c.body)
                .find(|(k, _)| k == "markdown_text")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(sent.iter().map(|s| s.chars().count()).collect::<Vec<_>>(), [12_000, 12_000, 1_000]);
    assert_eq!(sent.concat(), text);
}

#[tokio::test]
async fn a_failed_send_is_surfaced_with_what_was_not_sent() {
    let server = slack().await;
    let stream = ChatStream::new(server.client("xoxb-stream"), start_request())
        .buffer_chars(1_000)
        .max_delay(Duration::from_millis(50));
    stream.start().await.unwrap();
    server.take();
    server.set_handler(|r: &Recorded| {
        r.path.ends_with("/chat.appendStream").then(|| Reply::json(r#"{"ok":false,"error":"stopped_by_user"}"#))
    });
    stream.append("lost?").await.unwrap();
    assert_eq!(wait_calls(&server, 1).await.len(), 1, "the timer tried once");
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The next call reports it, with the text Slack did not take.
    match stream.append(" more").await {
        Err(ChatStreamError::Call { method, error, unsent }) => {
            assert_eq!(method, "chat.appendStream");
            assert_eq!(error.code(), Some("stopped_by_user"));
            assert_eq!(serde_json::to_value(&unsent).unwrap(), json!([{ "type": "markdown_text", "text": "lost?" }]));
        }
        other => panic!("expected the timer's error, got {other:?}"),
    }
    assert!(matches!(stream.append("x").await, Err(ChatStreamError::Closed)));
    assert!(matches!(stream.stop().await, Err(ChatStreamError::Closed)));
    assert!(server.take().is_empty(), "a failed stream sends nothing more");
}

#[tokio::test]
async fn a_refused_stop_keeps_the_stream_and_a_stopped_stream_is_closed() {
    let server = slack().await;
    let stream = ChatStream::new(server.client("xoxb-stream"), start_request()).max_delay(Duration::MAX);
    stream.append("partial").await.unwrap();
    let bad = TaskUpdateChunk::new("t", "T", TaskUpdateChunkStatus::Unknown("finished".into()));
    match stream.stop_with(StreamEnd::new().chunks([bad])).await {
        Err(ChatStreamError::Invalid(why)) => assert!(why.contains("chunks[0].status"), "{why}"),
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert!(server.take().is_empty(), "nothing sent");
    // Settings change mid-stream: now every append goes at once.
    let stream = stream.buffer_chars(0);
    stream.append(" answer").await.unwrap();
    let calls = server.take();
    assert_eq!(calls.iter().map(method).collect::<Vec<_>>(), ["chat.startStream"]);
    assert!(calls[0].body_text().contains("markdown_text=partial+answer"));
    stream.stop_with(StreamEnd::new().markdown("Done.").chunks([PlanUpdateChunk::new("Finished")])).await.unwrap();
    let calls = server.take();
    assert_eq!(
        calls[0].body_text(),
        form(&[
            ("channel", "D0STREAM"),
            ("ts", "1700000000.000100"),
            ("chunks", r#"[{"type":"markdown_text","text":"Done."},{"type":"plan_update","title":"Finished"}]"#),
        ])
    );
    assert!(matches!(stream.append("late").await, Err(ChatStreamError::Closed)));
    assert!(matches!(stream.stop().await, Err(ChatStreamError::Closed)));
    assert!(server.take().is_empty());
}
