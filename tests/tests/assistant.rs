//! Assistant threads: which messages are a user's in an assistant thread, the thread-context
//! stores (in memory, and in a real Redis shared by two replicas), and the assistant methods'
//! arguments on the wire.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use slack_api::app::{
    AssistantThread, MemoryThreadContexts, RedisThreadContexts, SuggestedPrompt, ThreadContext, ThreadContextStore,
    is_assistant_thread_message,
};
use slack_api::assistant::AssistantThreadsSetSuggestedPromptsRequest;
use slack_api::events::MessageEvent;
use slack_api::state::RedisState;
use slack_api::{ChannelId, Timestamp};
use slack_api_tests::{MockServer, RedisServer};

fn message(v: serde_json::Value) -> MessageEvent {
    serde_json::from_value(v).unwrap()
}

#[test]
fn a_users_message_in_an_assistant_thread_is_told_apart() {
    let base = json!({ "type": "message", "channel": "D1", "channel_type": "im", "user": "U1", "text": "hi",
        "ts": "1700000000.000300", "thread_ts": "1700000000.000100" });
    assert!(is_assistant_thread_message(&message(base.clone())));

    let mut with_files = base.clone();
    with_files["subtype"] = json!("file_share");
    assert!(is_assistant_thread_message(&message(with_files)));

    let mut not_threaded = base.clone();
    not_threaded.as_object_mut().unwrap().remove("thread_ts");
    assert!(!is_assistant_thread_message(&message(not_threaded)), "a DM outside a thread");

    let mut in_channel = base.clone();
    in_channel["channel_type"] = json!("channel");
    assert!(!is_assistant_thread_message(&message(in_channel)), "a thread in a channel");

    let mut from_bot = base.clone();
    from_bot["bot_id"] = json!("B1");
    assert!(!is_assistant_thread_message(&message(from_bot)), "the app's own answer");

    let mut edited = base;
    edited["subtype"] = json!("message_changed");
    assert!(!is_assistant_thread_message(&message(edited)), "Slack's edit of the thread's root");
}

#[test]
fn the_assistant_thread_of_an_event_reads_every_field_and_keeps_the_rest() {
    use slack_api::events::{AssistantThreadContextChangedEvent, AssistantThreadStartedEvent};
    let raw = json!({ "type": "assistant_thread_started",
        "assistant_thread": { "user_id": "U1", "channel_id": "D1", "thread_ts": "1729999327.187299",
            "context": { "channel_id": "C1", "team_id": "T1", "enterprise_id": null, "thread_entry_point": "app_home" },
            "new_field": 1 },
        "event_ts": "1715873754.429808" });
    let e: AssistantThreadStartedEvent = serde_json::from_value(raw.clone()).unwrap();
    let t: &AssistantThread = e.assistant_thread.as_ref().unwrap();
    assert_eq!(t.user_id.as_ref().map(|u| u.as_str()), Some("U1"));
    assert_eq!(t.channel_id.as_ref().map(|c| c.as_str()), Some("D1"));
    assert_eq!(t.thread_ts.as_ref().map(|c| c.as_str()), Some("1729999327.187299"));
    let c: &ThreadContext = t.context.as_ref().unwrap();
    assert_eq!(c.channel_id.as_ref().map(|c| c.as_str()), Some("C1"));
    assert_eq!(c.team_id.as_ref().map(|t| t.as_str()), Some("T1"));
    assert_eq!(c.enterprise_id, None, "null reads as none");
    assert_eq!(c.extra["thread_entry_point"], "app_home");
    assert_eq!(t.extra["new_field"], 1);
    assert!(e.extra.is_empty());
    assert_eq!(serde_json::to_value(&e).unwrap(), raw, "written back as sent");

    // The context-changed event carries the same type; a thread of another shape stays in
    // `extra` whole, and still round-trips.
    let changed = json!({ "type": "assistant_thread_context_changed", "assistant_thread": "not an object" });
    let e: AssistantThreadContextChangedEvent = serde_json::from_value(changed.clone()).unwrap();
    assert!(e.assistant_thread.is_none());
    assert_eq!(e.extra["assistant_thread"], "not an object");
    assert_eq!(serde_json::to_value(&e).unwrap(), changed);
}

fn context(channel: &str) -> ThreadContext {
    serde_json::from_value(json!({ "channel_id": channel, "team_id": "T1", "thread_entry_point": "sidebar" })).unwrap()
}

#[tokio::test]
async fn the_memory_store_keeps_forgets_and_stays_bounded() {
    let (d1, d2, d3) = (ChannelId::from("D1"), ChannelId::from("D2"), ChannelId::from("D3"));
    let ts = Timestamp::from("1700000000.000100");
    let store = MemoryThreadContexts::new().capacity(2);
    assert_eq!(store.get(&d1, &ts).await.unwrap(), None);
    store.save(&d1, &ts, &context("C1")).await.unwrap();
    store.save(&d1, &ts, &context("C2")).await.unwrap(); // replaced
    assert_eq!(store.get(&d1, &ts).await.unwrap(), Some(context("C2")));
    tokio::time::sleep(Duration::from_millis(5)).await;
    store.save(&d2, &ts, &context("C3")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(5)).await;
    store.save(&d3, &ts, &context("C4")).await.unwrap(); // over capacity: the oldest (D1) goes
    assert_eq!(store.get(&d1, &ts).await.unwrap(), None);
    assert_eq!(store.get(&d3, &ts).await.unwrap(), Some(context("C4")));

    let short = MemoryThreadContexts::new().ttl(Duration::from_millis(30));
    short.save(&d1, &ts, &context("C1")).await.unwrap();
    assert!(short.get(&d1, &ts).await.unwrap().is_some());
    tokio::time::sleep(Duration::from_millis(60)).await;
    assert_eq!(short.get(&d1, &ts).await.unwrap(), None, "expired");
}

#[tokio::test]
async fn the_redis_store_is_shared_by_replicas_and_expires_on_the_server() {
    let redis = RedisServer::start();
    let replica_a = RedisThreadContexts::new(Arc::new(RedisState::new(&redis.url()).unwrap()), "A0APP");
    let replica_b = RedisThreadContexts::new(Arc::new(RedisState::new(&redis.url()).unwrap()), "A0APP");
    let (d1, ts) = (ChannelId::from("D1"), Timestamp::from("1700000000.000100"));
    replica_a.save(&d1, &ts, &context("C9")).await.unwrap();
    assert_eq!(replica_b.get(&d1, &ts).await.unwrap(), Some(context("C9")), "what one replica saved, the other reads");
    let key = "A0APP:thread_context:D1:1700000000.000100";
    let stored = redis.command(&format!("GET {key}"));
    assert!(stored.contains(r#""channel_id":"C9""#) && stored.contains("thread_entry_point"), "{stored}");
    let ttl: i64 = redis.command(&format!("TTL {key}")).trim().trim_start_matches(':').parse().unwrap();
    assert!(ttl > 6 * 24 * 3600 && ttl <= 7 * 24 * 3600, "kept a week: {ttl}");

    // Not a context under the key: an error naming it, not a panic or a silent None.
    redis.command(&format!("SET {key} not-json"));
    let err = replica_b.get(&d1, &ts).await.unwrap_err();
    assert!(err.0.contains(key), "{err:?}");

    // Redis down: an error, quickly.
    drop(redis);
    let started = std::time::Instant::now();
    assert!(replica_a.get(&d1, &ts).await.is_err());
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn suggested_prompts_go_as_a_json_array() {
    let server = MockServer::start().await;
    let prompts = [SuggestedPrompt::new("Summarise", "Summarise the channel"), "Help".into()];
    let req = AssistantThreadsSetSuggestedPromptsRequest::new("D1", prompts).thread_ts("1700000000.000100").title("Try");
    server.client("xoxb-1").call(&req).await.unwrap();
    let body = server.take()[0].body_text();
    let fields: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes()).into_owned().collect();
    assert_eq!(
        fields,
        [
            ("channel_id".to_owned(), "D1".to_owned()),
            ("prompts".to_owned(), r#"[{"title":"Summarise","message":"Summarise the channel"},{"title":"Help","message":"Help"}]"#.to_owned()),
            ("thread_ts".to_owned(), "1700000000.000100".to_owned()),
            ("title".to_owned(), "Try".to_owned()),
        ]
    );
}

#[tokio::test]
async fn loading_messages_go_as_a_json_array_so_commas_stay_inside_a_message() {
    use slack_api::assistant::AssistantThreadsSetStatusRequest;
    let server = MockServer::start().await;
    let req = AssistantThreadsSetStatusRequest::new("D1", "1700000000.000100", "is thinking…")
        .loading_messages(["One moment, please", "Reading \"the\" channel…"]);
    server.client("xoxb-1").call(&req).await.unwrap();
    let sent = server.take();
    assert_eq!(sent[0].path, "/api/assistant.threads.setStatus");
    let body = sent[0].body_text();
    let fields: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes()).into_owned().collect();
    assert_eq!(
        fields,
        [
            ("channel_id".to_owned(), "D1".to_owned()),
            ("thread_ts".to_owned(), "1700000000.000100".to_owned()),
            ("status".to_owned(), "is thinking…".to_owned()),
            ("loading_messages".to_owned(), r#"["One moment, please","Reading \"the\" channel…"]"#.to_owned()),
        ]
    );
}

/// Posts a signed Events API callback with `event` to the app at `url`.
async fn post_event(url: &str, event: serde_json::Value, id: &str) {
    let body = json!({ "type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event": event, "event_id": id,
        "event_time": 1, "authorizations": [{ "team_id": "T1", "user_id": "UBOT", "is_bot": true }] })
    .to_string();
    let (ts, sig) = slack_api::events::Verifier::new("secret").sign_now(body.as_bytes());
    slack_api::install_crypto_provider();
    let resp = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header("x-slack-request-timestamp", ts)
        .header("x-slack-signature", sig)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
}

#[tokio::test]
async fn an_assistant_app_saves_the_context_and_refuses_five_prompts_before_sending() {
    use slack_api::app::{App, Assistant, Cx};
    use slack_api::events::AssistantThreadStartedEvent;
    let server = MockServer::start().await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let (tx1, tx2) = (tx.clone(), tx);
    let mut app = App::new(server.client("xoxb-1"));
    app.assistant(
        Assistant::new()
            .thread_started(move |_: AssistantThreadStartedEvent, cx: Cx| {
                let tx = tx1.clone();
                async move {
                    let five = ["a", "b", "c", "d", "e"].map(SuggestedPrompt::from);
                    let err = cx.set_suggested_prompts(five, None).await.unwrap_err();
                    let _ = tx.send(err.to_string());
                    Ok(())
                }
            })
            .user_message(move |_: MessageEvent, cx: Cx| {
                let tx = tx2.clone();
                async move {
                    let c = cx.thread_context().await.and_then(|c| c.channel_id.clone()).map(|c| c.as_str().to_owned());
                    let _ = tx.send(format!("context {c:?} in {:?}", cx.assistant_thread()));
                    Ok(())
                }
            }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { app.serve_http_on(listener, "secret").await });

    let thread = json!({ "user_id": "U1", "channel_id": "D1", "thread_ts": "1700000000.000100",
        "context": { "channel_id": "C_VIEWED", "team_id": "T1" } });
    post_event(&url, json!({ "type": "assistant_thread_started", "assistant_thread": thread, "event_ts": "1.2" }), "Ev1").await;
    let said = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.unwrap().unwrap();
    assert!(said.contains("5 prompts, 1 to 4 allowed"), "{said}");

    post_event(&url, json!({ "type": "message", "channel": "D1", "channel_type": "im", "user": "U1", "text": "hi",
        "ts": "1700000000.000200", "thread_ts": "1700000000.000100" }), "Ev2").await;
    let said = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.unwrap().unwrap();
    assert!(said.starts_with(r#"context Some("C_VIEWED") in Some("#), "{said}");
    assert!(server.take().is_empty(), "nothing was sent to Slack");
}
