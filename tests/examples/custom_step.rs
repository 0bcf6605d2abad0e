//! A custom workflow step: Workflow Builder runs `create_ticket` with a title, a priority and
//! the requester; the app reads the inputs as types, completes the step with its outputs, and
//! fails it — with a message the user sees — when an input is not what the step needs.
//!
//! It runs against local simulators: a loopback Slack Web API that records every call, and a
//! "Slack" that signs and posts `function_executed` events to the app's HTTP endpoint. The
//! calls the app makes — with the function's own token, not the app's — are checked at the end.
//!
//! cargo run -p slack-api-tests --example custom_step

use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};
use slack_api::app::{App, Cx};
use slack_api::events::{FunctionExecutedEvent, Verifier};
use slack_api::{Client, UserId};
use slack_api_tests::{MockServer, Recorded};

const SIGNING_SECRET: &str = "example-signing-secret";

/// The step's inputs, as the manifest declares them (`priority` is optional).
#[derive(Deserialize)]
struct TicketInputs {
    title: String,
    requester: UserId,
    priority: Option<u8>,
}

fn app(client: Client) -> App {
    let mut app = App::new(client);
    app.function("create_ticket", |step: FunctionExecutedEvent, cx: Cx| async move {
        let inputs = match step.inputs_as::<TicketInputs>() {
            Ok(i) => i,
            Err(e) => {
                cx.fail(format!("Cannot create the ticket: {e}")).await?;
                return Ok(());
            }
        };
        let id = format!("TCK-{}", inputs.title.len() * 100 + usize::from(inputs.priority.unwrap_or(3)));
        let outputs = json!({ "ticket_id": id, "assignee": inputs.requester });
        cx.complete(outputs).await?; // functions.completeSuccess, with the function's token
        Ok(())
    });
    app
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let web_api = MockServer::start().await; // answers {"ok":true}
    let client = Client::builder("xoxb-the-apps-own-token").base_url(web_api.base_url()).build()?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let endpoint = format!("http://{}/slack/events", listener.local_addr()?);
    let served = app(client);
    tokio::spawn(async move { served.serve_http_on(listener, SIGNING_SECRET).await });
    let slack = Slack::new(endpoint);

    // A run with good inputs: completed, with the outputs.
    let took = slack.function_executed("Fx0001", "xwfp-run-one", json!({ "title": "Printer on fire", "requester": "U0ADA", "priority": 1 })).await?;
    println!("function_executed acknowledged in {took:?}");
    assert!(took < Duration::from_secs(3), "acknowledged within Slack's 3 s");
    let call = wait_for_call(&web_api).await;
    println!("→ {} {}", call.0, call.2);
    assert_eq!(call.0, "functions.completeSuccess");
    assert_eq!(call.1, "Bearer xwfp-run-one", "the function's own token, not the app's");
    assert_eq!(call.2["function_execution_id"], "Fx0001");
    assert_eq!(call.2["outputs"], json!({ "ticket_id": "TCK-1501", "assignee": "U0ADA" }));

    // A run whose `requester` is not a user ID but a number: failed, saying why.
    slack.function_executed("Fx0002", "xwfp-run-two", json!({ "title": "Coffee", "requester": 42 })).await?;
    let call = wait_for_call(&web_api).await;
    println!("→ {} {}", call.0, call.2);
    assert_eq!(call.0, "functions.completeError");
    assert_eq!(call.1, "Bearer xwfp-run-two");
    assert_eq!(call.2["function_execution_id"], "Fx0002");
    let error = call.2["error"].as_str().unwrap_or_default();
    assert!(error.starts_with("Cannot create the ticket: the step's inputs: invalid type: integer `42`"), "{error}");
    assert!(web_api.take().is_empty(), "one call per run");
    println!("ok: custom step completed with outputs, and failed with a reason, each with its function's token");
    Ok(())
}

/// The next Web API call: (method, authorization header, form fields with JSON parsed).
async fn wait_for_call(web_api: &MockServer) -> (String, String, Value) {
    for _ in 0..300 {
        if let Some(r) = web_api.take().into_iter().next() {
            let method = r.path.rsplit('/').next().unwrap_or_default().to_owned();
            return (method, r.header("authorization").unwrap_or_default().to_owned(), args(&r));
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the app made no Web API call");
}

fn args(r: &Recorded) -> Value {
    let mut m = serde_json::Map::new();
    for (k, v) in form_urlencoded::parse(&r.body) {
        let v = serde_json::from_str::<Value>(&v).ok().filter(|j| j.is_object() || j.is_array()).unwrap_or(Value::String(v.into_owned()));
        m.insert(k.into_owned(), v);
    }
    Value::Object(m)
}

/// "Slack": posts signed `function_executed` events to the app.
struct Slack {
    endpoint: String,
    verifier: Verifier,
    http: reqwest::Client,
}

impl Slack {
    fn new(endpoint: String) -> Self {
        slack_api::install_crypto_provider();
        Slack { endpoint, verifier: Verifier::new(SIGNING_SECRET), http: reqwest::Client::new() }
    }

    /// Runs the step once; returns how long the app took to acknowledge.
    async fn function_executed(&self, execution: &str, token: &str, inputs: Value) -> Result<Duration, Box<dyn std::error::Error>> {
        let body = json!({
            "type": "event_callback", "team_id": "T0TEAM", "api_app_id": "A0APP", "event_id": format!("Ev{execution}"),
            "event_time": 1698958075,
            "event": {
                "type": "function_executed",
                "function": { "id": "Fn0TICKET", "callback_id": "create_ticket", "title": "Create a ticket", "type": "app", "app_id": "A0APP" },
                "inputs": inputs, "function_execution_id": execution, "workflow_execution_id": "Wx0001",
                "event_ts": "1698958075.998738", "bot_access_token": token
            }
        })
        .to_string();
        let (ts, sig) = self.verifier.sign_now(body.as_bytes());
        let started = Instant::now();
        let resp = self
            .http
            .post(&self.endpoint)
            .header("content-type", "application/json")
            .header("x-slack-request-timestamp", ts)
            .header("x-slack-signature", sig)
            .body(body)
            .send()
            .await?;
        let took = started.elapsed();
        assert_eq!(resp.status().as_u16(), 200);
        Ok(took)
    }
}
