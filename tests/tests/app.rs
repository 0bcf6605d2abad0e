//! The app framework over loopback: a real HTTP server (axum) in front of the listeners, a
//! loopback Slack behind them. (The six first-day tasks of `slack-api/examples/todo_app.rs`,
//! over HTTP and Socket Mode, are driven against the test kit's fake Slack in
//! `slack-api-testkit/tests/first_day.rs`.)

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use slack_api::app::{Ack, AckError, Action, App, Cx, Next, Pattern, Payload, Request};
use slack_api::events::{
    AppMentionEvent, BlockActions, BlockSuggestion, FunctionExecutedEvent, GlobalShortcut, MessageEvent, MessageShortcut,
    ReactionAddedEvent, SlashCommand, Verifier, ViewClosed, ViewSubmission,
};
use slack_api_tests::{LogCapture, MockServer, Recorded, Reply};


const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";

/// What a call carried: form fields (JSON-valued ones parsed) or a JSON body.
fn args(r: &Recorded) -> Value {
    let text = r.query.clone().unwrap_or_else(|| r.body_text());
    if r.header("content-type").is_some_and(|c| c.contains("json")) {
        return serde_json::from_str(&text).unwrap_or(Value::Null);
    }
    let mut m = serde_json::Map::new();
    for (k, v) in form_urlencoded::parse(text.as_bytes()) {
        let v = serde_json::from_str::<Value>(&v).ok().filter(|j| j.is_object() || j.is_array()).unwrap_or(Value::String(v.into_owned()));
        m.insert(k.into_owned(), v);
    }
    Value::Object(m)
}

/// A loopback Slack that records every call and answers like Slack would for the methods
/// these apps use (`chat.postMessage` with the text "slow" takes 5 s); `response_url`s are
/// `/respond/…` on the same server.
async fn slack() -> (MockServer, Arc<Mutex<Vec<(String, Value)>>>) {
    let server = MockServer::start().await;
    let calls: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let log = calls.clone();
    server.set_handler(move |r: &Recorded| {
        let method = r.path.rsplit('/').next().unwrap_or_default().to_owned();
        let a = args(r);
        let slow = a["text"] == "slow";
        log.lock().unwrap().push((if r.path.contains("/respond/") { "response_url".into() } else { method.clone() }, a));
        Some(match method.as_str() {
            "chat.postMessage" if slow => Reply::Delay(Duration::from_secs(5)),
            "chat.postMessage" => Reply::json(r#"{"ok":true,"channel":"D1","ts":"1700000001.000200"}"#),
            _ => Reply::json(r#"{"ok":true}"#),
        })
    });
    (server, calls)
}

fn calls_named(calls: &Arc<Mutex<Vec<(String, Value)>>>, name: &str) -> Vec<Value> {
    calls.lock().unwrap().iter().filter(|(m, _)| m == name).map(|(_, a)| a.clone()).collect()
}

/// Waits until `n` calls of `name` have arrived (listeners work after the ack).
async fn wait_calls(calls: &Arc<Mutex<Vec<(String, Value)>>>, name: &str, n: usize) -> Vec<Value> {
    for _ in 0..200 {
        let got = calls_named(calls, name);
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("expected {n} call(s) of {name}; calls: {:?}", calls.lock().unwrap());
}

/// Serves `app` over HTTP on a free port; returns its URL.
async fn serve(app: &App) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/slack/events", listener.local_addr().unwrap());
    let app = app.clone();
    tokio::spawn(async move { app.serve_http_on(listener, SECRET).await });
    url
}

struct Answer {
    status: u16,
    body: String,
    took: Duration,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

/// One HTTP client for the whole test binary (building one loads the root certificates).
fn http() -> &'static reqwest::Client {
    static HTTP: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    HTTP.get_or_init(|| {
        slack_api::install_crypto_provider();
        reqwest::Client::new()
    })
}

async fn post_signed(url: &str, content_type: &str, body: &str, verifier: &Verifier) -> Answer {
    let (ts, sig) = verifier.sign_now(body.as_bytes());
    let started = Instant::now();
    let resp = http()
        .post(url)
        .header("content-type", content_type)
        .header("x-slack-request-timestamp", ts)
        .header("x-slack-signature", sig)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let took = started.elapsed();
    Answer { status, body: resp.text().await.unwrap(), took }
}

async fn post(url: &str, body: &Value) -> Answer {
    post_signed(url, "application/json", &body.to_string(), &Verifier::new(SECRET)).await
}

async fn post_form(url: &str, form: &str) -> Answer {
    post_signed(url, "application/x-www-form-urlencoded", form, &Verifier::new(SECRET)).await
}

fn interaction_form(payload: &Value) -> String {
    form_urlencoded::Serializer::new(String::new()).append_pair("payload", &payload.to_string()).finish()
}

fn event(event_id: &str, event: Value) -> Value {
    json!({
        "token": "tok", "team_id": "T1", "api_app_id": "A1", "type": "event_callback", "event_id": event_id,
        "event_time": 1700000000, "event": event,
        "authorizations": [{ "team_id": "T1", "user_id": "UBOT", "is_bot": true, "is_enterprise_install": false }]
    })
}

fn mention(event_id: &str, thread_ts: Option<&str>) -> Value {
    let mut e = json!({ "type": "app_mention", "user": "U1", "text": "<@UBOT> hi", "ts": "1700000000.000100", "channel": "C1", "event_ts": "1700000000.000100" });
    if let Some(t) = thread_ts {
        e["thread_ts"] = json!(t);
    }
    event(event_id, e)
}

fn command(name: &str, text: &str, response_url: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("token", "tok"), ("team_id", "T1"), ("team_domain", "example"), ("channel_id", "C1"), ("channel_name", "general"),
            ("user_id", "U1"), ("user_name", "ada"), ("command", name), ("text", text), ("api_app_id", "A1"),
            ("is_enterprise_install", "false"), ("response_url", response_url), ("trigger_id", "13345224609.738474920.8088930838d88f008e0"),
        ])
        .finish()
}

fn team_user() -> Value {
    json!({ "team": { "id": "T1", "domain": "example" }, "user": { "id": "U1", "username": "ada", "team_id": "T1" }, "api_app_id": "A1", "token": "tok" })
}

fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

fn submission(callback_id: &str, task: &str) -> Value {
    with(team_user(), json!({
        "type": "view_submission", "trigger_id": "1.2.3",
        "view": { "id": "V1", "type": "modal", "callback_id": callback_id, "team_id": "T1",
                  "state": { "values": { "task": { "task": { "type": "plain_text_input", "value": task } } } } }
    }))
}

fn block_action(action_id: &str, block_id: &str, value: &str) -> Value {
    with(team_user(), json!({
        "type": "block_actions", "trigger_id": "1.2.3", "response_url": "https://hooks.slack.com/actions/T1/1/x",
        "container": { "type": "message", "message_ts": "1700000001.000200", "channel_id": "D1", "is_ephemeral": false },
        "channel": { "id": "D1", "name": "directmessage" },
        "message": { "type": "message", "ts": "1700000001.000200", "text": "To do: x" },
        "actions": [{ "type": "button", "action_id": action_id, "block_id": block_id, "value": value, "action_ts": "1700000002.1" }]
    }))
}

fn suggestion(action_id: &str, typed: &str) -> Value {
    with(team_user(), json!({ "type": "block_suggestion", "action_id": action_id, "block_id": "who", "value": typed }))
}

fn function_executed(event_id: &str, callback_id: &str, task: Option<&str>) -> Value {
    let inputs = match task {
        Some(t) => json!({ "task": t }),
        None => json!({}),
    };
    event(event_id, json!({
        "type": "function_executed", "function": { "id": "Fn1", "callback_id": callback_id, "title": "Add a to-do", "type": "app" },
        "inputs": inputs, "function_execution_id": "Fx1", "workflow_execution_id": "Wf1",
        "bot_access_token": "xwfp-function-token", "event_ts": "1700000003.1"
    }))
}

/// Every kind of listener, routed by exact ids and by patterns; the first match wins.
#[tokio::test]
async fn every_route_kind_and_pattern() {
    let (slack, _calls) = slack().await;
    let hits: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut app = App::new(slack.client("xoxb-bot"));
    macro_rules! record {
        ($label:expr) => {{
            let hits = hits.clone();
            move |_, cx: Cx| {
                let hits = hits.clone();
                async move {
                    hits.lock().unwrap().push(format!("{}{}", $label, cx.matches().join("|")));
                    Ok(())
                }
            }
        }};
    }
    app.event::<ReactionAddedEvent, _, _>(record!("reaction"));
    app.event::<AppMentionEvent, _, _>(record!("mention"));
    app.message(Pattern::regex(r"deploy (\w+) to (\w+)").unwrap(), record!("deploy:"));
    app.message("hello", record!("hello:"));
    app.command("/exact", record!("exact"));
    app.command(Pattern::regex("^/todo-").unwrap(), record!("todo-any"));
    app.action(Action::id("approve").in_block("req_1"), record!("approve-in-req1:"));
    app.action("approve", record!("approve-any:"));
    app.action(Action::block(Pattern::regex("^settings").unwrap()), record!("settings-block:"));
    app.options(Action::id("who"), |_: BlockSuggestion, cx: Cx| async move {
        cx.ack_with(Ack::options([slack_api::block_kit::OptionObject::new("A", "a")]))?;
        Ok(())
    });
    app.shortcut("global", record!("global"));
    app.message_shortcut("on_message", record!("on_message"));
    app.view_submission(Pattern::regex("^form_").unwrap(), record!("form"));
    app.view_closed("form_a", record!("closed"));
    app.function("step", record!("step"));
    app.fallback(record!("fallback"));
    let url = serve(&app).await;

    let msg = |id: &str, text: &str| event(id, json!({ "type": "message", "channel": "C1", "user": "U1", "text": text, "ts": "1.1" }));
    post(&url, &event("E1", json!({ "type": "reaction_added", "user": "U1", "reaction": "+1", "item": { "type": "message", "channel": "C1", "ts": "1.1" } }))).await;
    post(&url, &mention("E2", None)).await;
    post(&url, &msg("E3", "please deploy api to prod")).await;
    post(&url, &msg("E4", "well hello there")).await;
    post(&url, &msg("E5", "nothing to see")).await; // → fallback
    post_form(&url, &command("/exact", "", "https://hooks.slack.com/commands/1")).await;
    post_form(&url, &command("/todo-list", "", "https://hooks.slack.com/commands/1")).await;
    post_form(&url, &command("/exactly", "", "https://hooks.slack.com/commands/1")).await; // exact means exact → fallback
    post_form(&url, &interaction_form(&block_action("approve", "req_1", "v"))).await;
    post_form(&url, &interaction_form(&block_action("approve", "req_2", "v"))).await;
    post_form(&url, &interaction_form(&block_action("toggle", "settings_3", "v"))).await;
    let a = post_form(&url, &interaction_form(&suggestion("who", "x"))).await;
    assert_eq!(a.json()["options"][0]["value"], "a");
    post_form(&url, &interaction_form(&with(team_user(), json!({ "type": "shortcut", "callback_id": "global", "trigger_id": "1" })))).await;
    post_form(&url, &interaction_form(&with(team_user(), json!({ "type": "message_action", "callback_id": "on_message", "trigger_id": "1", "channel": { "id": "C1" }, "message_ts": "1.1" })))).await;
    post_form(&url, &interaction_form(&submission("form_b", "x"))).await;
    post_form(&url, &interaction_form(&with(team_user(), json!({ "type": "view_closed", "view": { "id": "V1", "callback_id": "form_a" }, "is_cleared": false })))).await;
    post(&url, &function_executed("E6", "step", Some("x"))).await;

    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut got = hits.lock().unwrap().clone();
    got.sort();
    let mut want = vec![
        "reaction", "mention", "deploy:deploy api to prod|api|prod", "hello:hello", "fallback", "exact", "todo-any", "fallback",
        "approve-in-req1:approve", "approve-any:approve", "settings-block:toggle", "global", "on_message", "form", "closed", "step",
    ];
    want.sort();
    assert_eq!(got, want);
}

/// Ack discipline: the ack leaves when the listener acks, not when its slow work ends; a
/// listener that never acks is acked at the deadline; a panic is an ack and a log line.
#[test]
fn ack_first_deadline_and_panics() {
    let capture = LogCapture::default();
    tracing::subscriber::with_default(capture.clone(), || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let (slack, calls) = slack().await;
            let mut app = App::new(slack.client("xoxb-bot"));
            app.ack_deadline(Duration::from_millis(300));
            app.command("/slow", |_: SlashCommand, cx: Cx| async move {
                cx.ack_with(Ack::ephemeral("working on it"))?;
                // A Web API call that takes 5 s (the loopback Slack delays it).
                let _ = cx.say("slow").await;
                Ok(())
            });
            app.command("/never", |_: SlashCommand, _cx: Cx| async move {
                tokio::time::sleep(Duration::from_secs(5)).await;
                Ok(())
            });
            app.command("/panic", |_: SlashCommand, _cx: Cx| async move {
                if true {
                    panic!("listener bug");
                }
                Ok(())
            });
            app.command("/late", |_: SlashCommand, cx: Cx| async move {
                tokio::time::sleep(Duration::from_millis(600)).await;
                assert_eq!(cx.ack_with(Ack::ephemeral("too late")), Err(AckError::AlreadyAcked));
                Ok(())
            });
            let url = serve(&app).await;

            let a = post_form(&url, &command("/slow", "", "https://hooks.slack.com/commands/1")).await;
            assert_eq!(a.json(), json!({ "response_type": "ephemeral", "text": "working on it" }));
            println!("ack of a listener whose Web API call takes 5 s: {:?}", a.took);
            assert!(a.took < Duration::from_secs(2), "acked after {:?}", a.took);
            wait_calls(&calls, "chat.postMessage", 1).await; // the slow call, made after the ack

            let a = post_form(&url, &command("/never", "", "https://hooks.slack.com/commands/1")).await;
            assert_eq!((a.status, a.body.as_str()), (200, ""));
            assert!(a.took >= Duration::from_millis(300) && a.took < Duration::from_secs(3), "{:?}", a.took);

            let a = post_form(&url, &command("/panic", "", "https://hooks.slack.com/commands/1")).await;
            assert_eq!((a.status, a.body.as_str()), (200, ""));
            let a = post_form(&url, &command("/late", "", "https://hooks.slack.com/commands/1")).await;
            assert_eq!((a.status, a.body.as_str()), (200, ""));
            tokio::time::sleep(Duration::from_millis(500)).await;
            // The app still serves.
            let a = post_form(&url, &command("/slow", "", "https://hooks.slack.com/commands/1")).await;
            assert_eq!(a.status, 200);
        });
    });
    let logs = capture.text();
    assert!(logs.contains("did not ack within the deadline"), "{logs}");
    assert!(logs.contains("a listener panicked") && logs.contains("listener bug"), "{logs}");
    assert!(logs.contains("a listener failed") || !logs.contains("AlreadyAcked"), "{logs}");
}

/// At most `concurrency` payloads run at once; the others wait their turn and are all served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_concurrency_bound_holds() {
    let (slack, _) = slack().await;
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let mut app = App::new(slack.client("xoxb-bot"));
    app.concurrency(3);
    let (r, p, d) = (running.clone(), peak.clone(), done.clone());
    app.event(move |_: ReactionAddedEvent, _cx: Cx| {
        let (r, p, d) = (r.clone(), p.clone(), d.clone());
        async move {
            let now = r.fetch_add(1, Ordering::SeqCst) + 1;
            p.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(100)).await;
            r.fetch_sub(1, Ordering::SeqCst);
            d.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    });
    let url = serve(&app).await;
    let posts = (0..12).map(|i| {
        let url = url.clone();
        async move { post(&url, &event(&format!("E{i}"), json!({ "type": "reaction_added", "user": "U1", "reaction": "x" }))).await.status }
    });
    let statuses = futures_util::future::join_all(posts).await;
    assert!(statuses.iter().all(|s| *s == 200));
    for _ in 0..100 {
        if done.load(Ordering::SeqCst) == 12 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(done.load(Ordering::SeqCst), 12);
    assert_eq!(peak.load(Ordering::SeqCst), 3);
}

/// What never reaches a listener: forged and stale signatures, wrong methods, bodies over the
/// cap, non-payloads; and what is answered by the framework: url_verification, ssl_check,
/// a retried event, the app's own messages.
#[tokio::test]
async fn refused_and_framework_answered_requests() {
    let (slack, _) = slack().await;
    let ran = Arc::new(AtomicUsize::new(0));
    let mut app = App::new(slack.client("xoxb-bot"));
    let r = ran.clone();
    app.fallback(move |_: Payload, _cx: Cx| {
        let r = r.clone();
        async move {
            r.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    });
    let url = serve(&app).await;
    let body = mention("Ev1", None);

    let forged = post_signed(&url, "application/json", &body.to_string(), &Verifier::new("not-the-secret")).await;
    assert_eq!(forged.status, 401);
    let stale_clock = Verifier::new(SECRET);
    let ts = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() - 600) as i64;
    let sig = stale_clock.sign(ts, body.to_string().as_bytes());
    let stale = http()
        .post(&url)
        .header("content-type", "application/json")
        .header("x-slack-request-timestamp", ts.to_string())
        .header("x-slack-signature", sig)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status().as_u16(), 401);
    let unsigned = http().post(&url).header("content-type", "application/json").body(body.to_string()).send().await.unwrap();
    assert_eq!(unsigned.status().as_u16(), 401);
    let get = http().get(&url).send().await.unwrap();
    assert_eq!(get.status().as_u16(), 405);
    let huge = format!(r#"{{"type":"event_callback","pad":"{}"}}"#, "x".repeat(slack_api::app::DEFAULT_MAX_BODY_BYTES));
    assert_eq!(post_signed(&url, "application/json", &huge, &Verifier::new(SECRET)).await.status, 413);
    assert_eq!(post(&url, &json!([1, 2])).await.status, 400);
    assert_eq!(post(&url, &json!({ "type": "event_callback", "event_id": "Ev9", "event": "app_mention" })).await.status, 400);

    let v = post(&url, &json!({ "type": "url_verification", "token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" })).await;
    assert_eq!((v.status, v.body.as_str()), (200, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"));
    let ssl = http()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("ssl_check=1&token=legacy")
        .send()
        .await
        .unwrap();
    assert_eq!(ssl.status().as_u16(), 200);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(ran.load(Ordering::SeqCst), 0, "nothing above reaches a listener");

    // A delivery and its retry: handled once.
    assert_eq!(post(&url, &body).await.status, 200);
    assert_eq!(post(&url, &body).await.status, 200);
    // The app's own message (by its bot user, from `authorizations`): not heard.
    post(&url, &event("Ev2", json!({ "type": "message", "channel": "C1", "user": "UBOT", "text": "mine", "ts": "1.2" }))).await;
    post(&url, &event("Ev3", json!({ "type": "message", "channel": "C1", "bot_id": "B1", "app_id": "A1", "text": "mine too", "ts": "1.3" }))).await;
    // A member joining is heard even when it is the bot.
    post(&url, &event("Ev4", json!({ "type": "member_joined_channel", "channel": "C1", "user": "UBOT" }))).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(ran.load(Ordering::SeqCst), 2);
}

/// Middleware runs in order before the listener, can stop a payload, and hands values on;
/// errors reach the error handler; replies the payload does not take are refused.
#[tokio::test]
async fn middleware_errors_and_replies() {
    let (slack, _) = slack().await;
    let trail: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut app = App::new(slack.client("xoxb-bot"));
    let t = trail.clone();
    app.middleware(move |req: Request, next: Next| {
        let t = t.clone();
        async move {
            t.lock().unwrap().push(format!("first {}", req.cx.kind()));
            if req.cx.user_id().map(|u| u.as_str()) == Some("UBLOCKED") {
                return Ok(());
            }
            req.cx.insert(String::from("from middleware"));
            let result = next.run(req).await;
            t.lock().unwrap().push(format!("after {}", result.is_ok()));
            result
        }
    });
    let t = trail.clone();
    app.middleware(move |req: Request, next: Next| {
        let t = t.clone();
        async move {
            t.lock().unwrap().push("second".into());
            next.run(req).await
        }
    });
    let t = trail.clone();
    app.event(move |_: AppMentionEvent, cx: Cx| {
        let t = t.clone();
        async move {
            t.lock().unwrap().push(format!("listener {:?}", cx.get::<String>()));
            assert!(matches!(cx.ack_with(Ack::clear()), Err(AckError::NotAccepted { .. })));
            Err(slack_api::app::AppError::msg("boom"))
        }
    });
    app.command("/bad", |_: SlashCommand, cx: Cx| async move {
        let too_long = "x".repeat(200);
        let refused = cx.ack_with(Ack::options([slack_api::block_kit::OptionObject::new(too_long.as_str(), "v")]));
        assert!(matches!(refused, Err(AckError::NotAccepted { .. })), "{refused:?}");
        Ok(())
    });
    app.options("who", |_: BlockSuggestion, cx: Cx| async move {
        let too_long = "x".repeat(200);
        cx.ack_with(Ack::options([slack_api::block_kit::OptionObject::new(too_long.as_str(), "v")]))?;
        Ok(())
    });
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let e = errors.clone();
    app.error(move |err, cx: Cx| {
        let e = e.clone();
        async move { e.lock().unwrap().push(format!("{} in {}", err, cx.kind())) }
    });
    let url = serve(&app).await;

    post(&url, &mention("Ev1", None)).await;
    let mut blocked = mention("Ev2", None);
    blocked["event"]["user"] = json!("UBLOCKED");
    post(&url, &blocked).await;
    post_form(&url, &command("/bad", "", "https://hooks.slack.com/commands/1")).await;
    let a = post_form(&url, &interaction_form(&suggestion("who", "x"))).await;
    assert_eq!((a.status, a.body.as_str()), (200, ""), "an invalid reply is not sent; the framework acks empty");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let trail = trail.lock().unwrap().clone();
    assert_eq!(&trail[..4], ["first app_mention", "second", "listener Some(\"from middleware\")", "after false"]);
    assert!(trail.contains(&"first app_mention".to_owned()) && !trail.iter().any(|t| t.contains("UBLOCKED")));
    let errors = errors.lock().unwrap().clone();
    assert!(errors.contains(&"boom in app_mention".to_owned()), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("breaks Block Kit's limits") && e.contains("block_suggestion")), "{errors:?}");
}

/// The listeners' payload types are the payloads': ids are read the same way on every kind.
#[test]
fn ids_on_every_payload_kind() {
    let i: slack_api::events::Interaction = serde_json::from_value(block_action("a", "b", "v")).unwrap();
    let p = Payload::Interaction(Box::new(i));
    assert_eq!((p.team_id().unwrap().as_str(), p.user_id().unwrap().as_str(), p.channel_id().unwrap().as_str()), ("T1", "U1", "D1"));
    let cb: slack_api::events::EventCallback = serde_json::from_value(mention("E", Some("1.0"))).unwrap();
    let p = Payload::Event(Box::new(cb));
    assert_eq!((p.team_id().unwrap().as_str(), p.user_id().unwrap().as_str(), p.channel_id().unwrap().as_str()), ("T1", "U1", "C1"));
    assert_eq!(p.bot_user_id().unwrap().as_str(), "UBOT");
    let c = SlashCommand::from_form(command("/x", "y", "https://h/1").as_bytes()).unwrap();
    let p = Payload::Command(Box::new(c));
    assert_eq!((p.team_id().unwrap().as_str(), p.trigger_id().is_some(), p.response_url()), ("T1", true, Some("https://h/1")));
    let _ = (|_: MessageEvent| (), |_: MessageShortcut| (), |_: GlobalShortcut| (), |_: ViewClosed| (), |_: ViewSubmission| (), |_: BlockActions| (), |_: FunctionExecutedEvent| ());
}

/// What failed to compile before: text setters from `&str`, and errors of two methods in one
/// `?` chain (in a listener, and outside one through `into_untyped`).
#[tokio::test]
async fn no_type_friction() {
    use slack_api::block_kit::{OptionObject, SectionBlock};
    use slack_api::functions::{FunctionsCompleteErrorRequest, FunctionsCompleteSuccessRequest};
    let option = OptionObject::new("Ada", "ada").description("a plain-text description");
    assert_eq!(serde_json::to_value(&option).unwrap()["text"], json!({ "type": "plain_text", "text": "Ada" }));
    let section = SectionBlock::new().text("plain by default").fields(["a", "b"]);
    assert_eq!(serde_json::to_value(&section).unwrap()["fields"][1], json!({ "type": "plain_text", "text": "b" }));

    let server = MockServer::start().await;
    server.push(Reply::json(r#"{"ok":true}"#));
    server.push(Reply::json(r#"{"ok":false,"error":"function_execution_not_found"}"#));
    let client = server.client("xoxb-bot");
    async fn both(client: &slack_api::Client) -> Result<(), slack_api::AnyError> {
        client.call(&FunctionsCompleteSuccessRequest::new("Fx1", json!({}))).await.map_err(slack_api::Error::into_untyped)?;
        client.call(&FunctionsCompleteErrorRequest::new("Fx1", "no")).await.map_err(slack_api::Error::into_untyped)?;
        Ok(())
    }
    let err = both(&client).await.unwrap_err();
    assert_eq!(err.code(), Some("function_execution_not_found"));
    match &err {
        slack_api::Error::Api(e) => assert_eq!((e.error.method, e.error.documented), ("functions.completeError", true)),
        other => panic!("{other:?}"),
    }
}

/// A button inside a workflow step: the listener's client sends the step's own token, and
/// `complete` ends that step.
#[tokio::test]
async fn interactions_inside_a_workflow_step_use_the_function_token() {
    let (slack, calls) = slack().await;
    let mut app = App::new(slack.client("xoxb-bot"));
    app.action("approve", |_: BlockActions, cx: Cx| async move {
        assert_eq!(cx.function_execution_id(), Some("Fx42"));
        cx.complete(json!({ "approved": true })).await?;
        Ok(())
    });
    let url = serve(&app).await;
    let mut payload = block_action("approve", "b", "v");
    payload["function_data"] = json!({ "execution_id": "Fx42", "function": { "callback_id": "review" }, "inputs": { "doc": "x" } });
    payload["bot_access_token"] = json!("xwfp-step-token");
    payload["interactivity"] = json!({ "interactor": { "id": "U1", "secret": "s" }, "interactivity_pointer": "1.2" });
    assert_eq!(post_form(&url, &interaction_form(&payload)).await.status, 200);
    let done = wait_calls(&calls, "functions.completeSuccess", 1).await;
    assert_eq!((done[0]["function_execution_id"].as_str(), &done[0]["outputs"]), (Some("Fx42"), &json!({ "approved": true })));
    let auth: Vec<String> = slack.take().iter().map(|r| r.header("authorization").unwrap_or_default().to_owned()).collect();
    assert_eq!(auth, ["Bearer xwfp-step-token"]);
}
