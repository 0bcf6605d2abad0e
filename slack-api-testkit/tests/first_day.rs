//! The six tasks of an app's first day (`slack-api/examples/todo_app.rs`), driven end to end
//! against the fake Slack, over HTTP and over Socket Mode.

use std::time::{Duration, Instant};

use serde_json::json;
use slack_api::app::Ack;
use slack_api::chat::{ChatPostMessageRequest, ChatUpdateRequest};
use slack_api::functions::{FunctionsCompleteErrorRequest, FunctionsCompleteSuccessRequest};
use slack_api::views::ViewsOpenRequest;
use slack_api_testkit::payloads::{CHANNEL_ID, USER_ID};
use slack_api_testkit::{AppUnderTest, FakeSlack};

#[path = "../../slack-api/examples/todo_app.rs"]
#[allow(dead_code)]
mod todo_app;

const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";

/// Each task must finish well inside a second against the fake.
fn quick(task: &str, started: Instant) {
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "task {task} took {took:?}");
    eprintln!("task {task}: {took:?}");
}

/// Tasks 1–5 against an app connected either way; `http` says which (task 6).
async fn five_tasks(slack: &FakeSlack, app: &AppUnderTest) {
    // 1. A mention is answered in its thread.
    let started = Instant::now();
    let mention = slack.app_mention("hi");
    let mention_ts = mention.ts.clone().expect("the builder sets ts");
    assert!(app.send(mention).await.unwrap().is_empty());
    let posted = slack.wait_for::<ChatPostMessageRequest>(1).await;
    assert_eq!(posted[0].channel.as_str(), CHANNEL_ID);
    assert_eq!(posted[0].thread_ts.as_ref(), Some(&mention_ts));
    quick("1 (app_mention)", started);

    // 2. /todo acks empty at once, then confirms through response_url, ephemerally.
    let started = Instant::now();
    assert!(app.send(slack.slash_command("/todo", "buy milk")).await.unwrap().is_empty());
    let responses = slack.wait_for_responses(1).await;
    assert_eq!(responses[0].text(), Some("Added to your list: buy milk"));
    assert_eq!(responses[0].response_type(), "ephemeral");
    quick("2 (/todo)", started);

    // 3. The shortcut opens a modal; an empty task is refused with a field error; a task is
    //    posted with a Done button; Done updates that message.
    let started = Instant::now();
    let shortcut = slack.global_shortcut("new_todo");
    let trigger = shortcut.trigger_id.clone().unwrap();
    assert!(app.send(shortcut).await.unwrap().is_empty());
    let opened = slack.wait_for::<ViewsOpenRequest>(1).await;
    assert_eq!(opened[0].trigger_id.as_deref(), Some(trigger.as_str()));
    let view = serde_json::to_value(opened[0].view.value().unwrap()).unwrap();
    assert_eq!(view["callback_id"], "new_todo");
    assert_eq!(view["blocks"][0]["block_id"], "task");

    let refused = app.send(slack.view_submission("new_todo", [("task", "task", "   ")])).await.unwrap();
    assert_eq!(refused.ack, Some(Ack::errors([("task", "Write what there is to do.")])));
    let accepted = app.send(slack.view_submission("new_todo", [("task", "task", "water the plants")])).await.unwrap();
    assert!(accepted.is_empty(), "{accepted:?}");
    let posted = slack.wait_for::<ChatPostMessageRequest>(2).await;
    assert_eq!(posted[1].channel.as_str(), USER_ID);
    let blocks = serde_json::to_value(posted[1].blocks.as_ref().and_then(|b| b.value()).unwrap()).unwrap();
    assert_eq!(blocks[0]["accessory"]["action_id"], "done");

    let message_ts = slack.next_ts();
    assert!(app.send(slack.block_action_on("D0DM00001", &message_ts, "done", "water the plants")).await.unwrap().is_empty());
    let updated = slack.wait_for::<ChatUpdateRequest>(1).await;
    assert_eq!((updated[0].channel.as_str(), updated[0].ts.as_str()), ("D0DM00001", message_ts.as_str()));
    assert_eq!(updated[0].text.as_deref(), Some("Done: water the plants"));
    quick("3 (shortcut, modal, Done)", started);

    // 4. The external select's options, filtered by what the user typed.
    let started = Instant::now();
    let options = app.send(slack.block_suggestion("assignee", "g")).await.unwrap();
    let values: Vec<_> = options.options().unwrap().iter().map(|o| o.value.clone()).collect();
    assert_eq!(values, ["Grace"]);
    quick("4 (options)", started);

    // 5. The workflow step completes with outputs — with the step's own token — or fails.
    let started = Instant::now();
    let step = slack.function_executed("add_todo", json!({ "task": "call mom" }));
    let token = step.bot_access_token.clone().unwrap();
    assert!(app.send(step).await.unwrap().is_empty());
    let done = slack.wait_for_calls("functions.completeSuccess", 1).await;
    assert_eq!(done[0].token.as_deref(), Some(token.as_str()), "the step's own token");
    let done = done[0].request::<FunctionsCompleteSuccessRequest>().unwrap();
    let outputs: serde_json::Value = serde_json::from_str(done.outputs.as_text().unwrap()).unwrap();
    assert_eq!(outputs, json!({ "todo": "To do: call mom" }));
    assert!(app.send(slack.function_executed("add_todo", json!({}))).await.unwrap().is_empty());
    let failed = slack.wait_for::<FunctionsCompleteErrorRequest>(1).await;
    assert_eq!(failed[0].error, "The step needs a task.");
    quick("5 (workflow step)", started);
}

#[tokio::test]
async fn the_six_tasks_over_http() {
    let slack = FakeSlack::start().await;
    let app = slack.serve_http(&todo_app::todo_app(slack.client("xoxb-fake-bot")), SECRET).await;
    five_tasks(&slack, &app).await;
}

/// Task 6: the same app, unchanged, over Socket Mode.
#[tokio::test]
async fn the_six_tasks_over_socket_mode() {
    let slack = FakeSlack::start().await;
    let app = slack.run_socket_mode(&todo_app::todo_app(slack.client("xoxb-fake-bot"))).await;
    five_tasks(&slack, &app).await;
    // A refresh asked by Slack: the app reconnects and goes on serving.
    app.reconnect(&slack, false).await;
    let options = app.send(slack.block_suggestion("assignee", "li")).await.unwrap();
    assert_eq!(options.options().unwrap()[0].value, "Linus");
    assert_eq!(slack.socket_opens(), 2);
}
