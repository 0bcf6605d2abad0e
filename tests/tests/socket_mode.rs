//! The Socket Mode client against a Socket Mode server simulated on 127.0.0.1: hello, events,
//! acks, disconnect warnings and refreshes, a connection that goes silent, abrupt closes,
//! malformed frames. No event is lost, none is handed over twice, nothing panics.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{Value, json};
use slack_api::events::{Event, Interaction, MessageEvent};
use slack_api::socket_mode::{EnvelopeStream, SocketMode, SocketModeError, SocketPayload};
use slack_api_tests::socket_sim::SocketSim;

const WAIT: Duration = Duration::from_secs(10);

fn client(sim: &SocketSim) -> slack_api::socket_mode::SocketModeBuilder {
    SocketMode::builder("xapp-1-A123-test")
        .base_url(sim.api_url())
        // No pings unless a test wants them: the simulator answers pings only while it reads.
        .ping_interval(Duration::from_secs(3600))
        .backoff(Duration::from_millis(20), Duration::from_millis(200))
}

async fn next_text(stream: &mut EnvelopeStream) -> (String, String) {
    let env = tokio::time::timeout(WAIT, stream.next()).await.expect("an envelope in time").expect("stream open").expect("no error");
    let SocketPayload::Event(cb) = &env.payload else { panic!("not an event: {env:?}") };
    let Some(Event::Message(MessageEvent::Plain(m))) = cb.event.as_ref() else { panic!("not a message: {:?}", cb.event) };
    let text = m.text.clone().unwrap_or_default();
    let id = env.envelope_id.clone();
    env.ack();
    (id, text)
}

#[tokio::test]
async fn hello_events_interactive_commands_and_acks() {
    let mut sim = SocketSim::start().await;
    let mut stream = client(&sim).build().unwrap().start();
    let mut c = sim.accept(WAIT).await;
    c.hello().await;
    c.event("env-1", "Ev1", "hello there", 0).await;
    let (id, text) = next_text(&mut stream).await;
    assert_eq!((id.as_str(), text.as_str()), ("env-1", "hello there"));
    assert_eq!(c.recv(WAIT).await, Some(json!({ "envelope_id": "env-1" })));

    // An interactive envelope, acknowledged with a response payload.
    c.send_json(json!({
        "envelope_id": "env-2", "type": "interactive", "accepts_response_payload": true,
        "payload": { "type": "view_submission", "trigger_id": "tr", "user": { "id": "U1" }, "team": { "id": "T1" },
            "view": { "id": "V1", "type": "modal", "callback_id": "feedback",
                "state": { "values": { "b1": { "a1": { "type": "plain_text_input", "value": "great" } } } } } }
    }))
    .await;
    let env = tokio::time::timeout(WAIT, stream.next()).await.unwrap().unwrap().unwrap();
    assert!(env.accepts_response_payload);
    let SocketPayload::Interactive(i) = &env.payload else { panic!("{env:?}") };
    let Interaction::ViewSubmission(v) = i.as_ref() else { panic!("{i:?}") };
    let state = v.state().expect("typed state");
    let Some(slack_api::events::ElementAction::PlainTextInput(input)) = state.get("b1", "a1") else { panic!("{state:?}") };
    assert_eq!(input.value.as_deref(), Some("great"));
    env.ack_with(json!({ "response_action": "clear" }));
    assert_eq!(c.recv(WAIT).await, Some(json!({ "envelope_id": "env-2", "payload": { "response_action": "clear" } })));

    // A slash command; dropping the envelope acknowledges it.
    c.send_json(json!({
        "envelope_id": "env-3", "type": "slash_commands", "accepts_response_payload": true,
        "payload": { "command": "/deploy", "text": "prod", "user_id": "U1", "channel_id": "C1", "response_url": "https://hooks.example/x", "trigger_id": "t" }
    }))
    .await;
    let env = tokio::time::timeout(WAIT, stream.next()).await.unwrap().unwrap().unwrap();
    let SocketPayload::SlashCommand(cmd) = &env.payload else { panic!("{env:?}") };
    assert_eq!((cmd.command.as_str(), cmd.text.as_str()), ("/deploy", "prod"));
    drop(env);
    assert_eq!(c.recv(WAIT).await, Some(json!({ "envelope_id": "env-3" })));
    stream.shutdown().await;
    let (closed, _) = c.read_until_closed(WAIT).await;
    assert!(closed, "shutdown closes the connection");
}

#[tokio::test]
async fn malformed_frames_are_skipped_and_nothing_is_lost() {
    let mut sim = SocketSim::start().await;
    let mut stream = client(&sim).build().unwrap().start();
    let mut c = sim.accept(WAIT).await;
    c.hello().await;
    c.send_text("this is not JSON").await;
    c.send_text("[1,2,3]").await;
    c.send_binary(&[0, 159, 146, 150]).await;
    c.send_json(json!({ "type": "events_api", "payload": {} })).await; // no envelope_id
    c.send_json(json!({ "type": "interactive", "envelope_id": "bad", "payload": "not an object" })).await;
    c.send_text(r#"{"type":"events_api","envelope_id":"trunc","payload":{"type":"event_call"#).await;
    c.event("env-ok", "EvOk", "still here", 0).await;
    // A payload of an unexpected shape is handed over as it came (never dropped)…
    let env = tokio::time::timeout(WAIT, stream.next()).await.unwrap().unwrap().unwrap();
    assert_eq!(env.envelope_id, "bad");
    assert_eq!(env.payload, SocketPayload::Interactive(Box::new(Interaction::Unknown(json!("not an object")))));
    env.ack();
    // …the frames that are not envelopes are skipped, and the next envelope arrives.
    let (id, _) = next_text(&mut stream).await;
    assert_eq!(id, "env-ok");
    assert_eq!(c.recv(WAIT).await, Some(json!({ "envelope_id": "bad" })));
    assert_eq!(c.recv(WAIT).await, Some(json!({ "envelope_id": "env-ok" })));
    // An unknown envelope type is handed over whole.
    c.send_json(json!({ "type": "future_kind", "envelope_id": "env-f", "payload": { "x": 1 } })).await;
    let env = tokio::time::timeout(WAIT, stream.next()).await.unwrap().unwrap().unwrap();
    assert_eq!(env.payload, SocketPayload::Unknown { kind: "future_kind".into(), payload: json!({ "x": 1 }) });
}

#[tokio::test]
async fn redelivery_after_an_abrupt_close_is_handed_over_once() {
    let mut sim = SocketSim::start().await;
    let mut stream = client(&sim).build().unwrap().start();
    let mut c1 = sim.accept(WAIT).await;
    c1.hello().await;
    c1.event("env-1", "Ev1", "one", 0).await;
    // The app gets it, but the connection dies before the ack reaches Slack.
    let env = tokio::time::timeout(WAIT, stream.next()).await.unwrap().unwrap().unwrap();
    assert_eq!(env.envelope_id, "env-1");
    c1.drop_abruptly();
    drop(env);
    // The client reconnects; Slack redelivers the unacknowledged envelope, then a new one.
    let mut c2 = sim.accept(WAIT).await;
    c2.hello().await;
    c2.event("env-1", "Ev1", "one", 1).await;
    c2.event("env-1b", "Ev1", "one, under a new envelope", 2).await;
    c2.event("env-2", "Ev2", "two", 0).await;
    let (id, text) = next_text(&mut stream).await;
    assert_eq!((id.as_str(), text.as_str()), ("env-2", "two"), "the redeliveries are not handed over again");
    let mut acked = BTreeSet::new();
    for _ in 0..3 {
        acked.insert(c2.recv(WAIT).await.unwrap()["envelope_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(acked, ["env-1", "env-1b", "env-2"].iter().map(|s| s.to_string()).collect(), "duplicates are acknowledged");
    assert_eq!(sim.opens(), 2);
}

#[tokio::test]
async fn refresh_requested_opens_the_next_connection_first_and_loses_nothing() {
    let mut sim = SocketSim::start().await;
    let mut stream = client(&sim).drain_timeout(Duration::from_secs(30)).build().unwrap().start();
    let mut c1 = sim.accept(WAIT).await;
    c1.hello().await;
    for i in 0..50 {
        c1.event(&format!("a{i}"), &format!("EvA{i}"), &format!("a{i}"), 0).await;
    }
    c1.disconnect("refresh_requested").await;
    // The replacement connects while the old one is still open…
    let mut c2 = sim.accept(WAIT).await;
    // …and the old one keeps delivering until Slack closes it.
    for i in 50..100 {
        c1.event(&format!("a{i}"), &format!("EvA{i}"), &format!("a{i}"), 0).await;
    }
    c2.hello().await;
    for i in 0..50 {
        c2.event(&format!("b{i}"), &format!("EvB{i}"), &format!("b{i}"), 0).await;
    }
    let mut seen = BTreeSet::new();
    for _ in 0..150 {
        let (id, _) = next_text(&mut stream).await;
        assert!(seen.insert(id.clone()), "{id} handed over twice");
    }
    assert_eq!(seen.len(), 150);
    // Every envelope of the old connection is acknowledged on it before Slack closes it.
    let mut acks = Vec::new();
    while acks.len() < 100 {
        acks.push(c1.recv(WAIT).await.expect("ack on the old connection"));
    }
    c1.close().await;
    assert!(sim.try_accept(Duration::from_millis(300)).await.is_none(), "a replaced connection closing is not replaced again");
    // Nothing else arrives.
    assert!(tokio::time::timeout(Duration::from_millis(200), stream.next()).await.is_err());
}

#[tokio::test]
async fn disconnect_warning_and_several_connections() {
    let mut sim = SocketSim::start().await;
    let mut stream = client(&sim).connections(3).build().unwrap().start();
    let mut conns = Vec::new();
    for _ in 0..3 {
        let mut c = sim.accept(WAIT).await;
        c.hello().await;
        conns.push(c);
    }
    for (n, c) in conns.iter_mut().enumerate() {
        for i in 0..10 {
            c.event(&format!("c{n}-{i}"), &format!("Ev{n}-{i}"), "x", 0).await;
        }
    }
    let mut seen = BTreeSet::new();
    for _ in 0..30 {
        seen.insert(next_text(&mut stream).await.0);
    }
    assert_eq!(seen.len(), 30);
    // A warning on one: a fourth connection opens, and after the old one closes three remain.
    conns[1].disconnect("warning").await;
    let mut c4 = sim.accept(WAIT).await;
    c4.hello().await;
    c4.event("c4-0", "Ev4-0", "x", 0).await;
    assert_eq!(next_text(&mut stream).await.0, "c4-0");
    conns[1].close().await;
    assert!(sim.try_accept(Duration::from_millis(300)).await.is_none());
}

#[tokio::test]
async fn a_silent_connection_is_replaced_within_the_configured_timeout() {
    let mut sim = SocketSim::start().await;
    let (ping, pong) = (Duration::from_millis(200), Duration::from_millis(300));
    let mut stream = client(&sim).ping_interval(ping).pong_timeout(pong).build().unwrap().start();
    let mut c1 = sim.accept(WAIT).await;
    c1.hello().await;
    c1.event("env-1", "Ev1", "before the silence", 0).await;
    assert_eq!(next_text(&mut stream).await.0, "env-1");
    // From now on the server reads nothing, so it answers no ping: the connection looks open
    // but is dead.
    let silent_since = Instant::now();
    let mut c2 = sim.accept(WAIT).await;
    let detected = silent_since.elapsed();
    // Detection within ping_interval + pong_timeout (plus scheduling slack on a busy machine).
    assert!(detected <= ping + pong + Duration::from_millis(1500), "replaced after {detected:?}");
    eprintln!("silent connection replaced after {detected:?} (ping {ping:?} + pong timeout {pong:?})");
    c2.hello().await;
    c2.event("env-2", "Ev2", "after", 0).await;
    assert_eq!(next_text(&mut stream).await.0, "env-2");
    drop(c1);
}

#[tokio::test]
async fn abrupt_closes_are_retried_with_backoff() {
    let mut sim = SocketSim::start().await;
    let mut stream = client(&sim).build().unwrap().start();
    // Three connections die before saying hello; the client keeps trying.
    for _ in 0..3 {
        let mut c = sim.accept(WAIT).await;
        c.drop_abruptly();
    }
    let mut c = sim.accept(WAIT).await;
    c.hello().await;
    c.event("env-1", "Ev1", "finally", 0).await;
    assert_eq!(next_text(&mut stream).await.1, "finally");
}

#[tokio::test]
async fn link_disabled_ends_the_stream_with_an_error() {
    let mut sim = SocketSim::start().await;
    let mut stream = client(&sim).build().unwrap().start();
    let mut c = sim.accept(WAIT).await;
    c.hello().await;
    c.disconnect("link_disabled").await;
    let item = tokio::time::timeout(WAIT, stream.next()).await.unwrap();
    assert!(matches!(item, Some(Err(SocketModeError::LinkDisabled))), "{item:?}");
    assert!(tokio::time::timeout(WAIT, stream.next()).await.unwrap().is_none());
}

#[test]
fn a_refused_token_is_fatal_and_never_logged() {
    let logs = slack_api_tests::LogCapture::default();
    tracing::subscriber::with_default(logs.clone(), || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let sim = SocketSim::start().await;
            sim.api.set_handler(|_| Some(slack_api_tests::Reply::json(r#"{"ok":false,"error":"invalid_auth"}"#)));
            let mut stream = client(&sim).build().unwrap().start();
            let item = tokio::time::timeout(WAIT, stream.next()).await.unwrap();
            assert_eq!(item.map(|r| r.map(|e| e.envelope_id.clone())), Some(Err(SocketModeError::Refused("invalid_auth".into()))));
            let recorded = sim.api.take();
            assert_eq!(recorded.len(), 1, "not retried");
            assert_eq!(recorded[0].header("authorization"), Some("Bearer xapp-1-A123-test"));
        });
    });
    assert!(!logs.text().contains("A123-test"), "the app token appears in the logs");
}

#[test]
fn debug_output_hides_the_app_token() {
    let sm = SocketMode::builder("xapp-1-A123-secret").build().unwrap();
    assert!(!format!("{sm:?}").contains("secret"), "{sm:?}");
    let _: Value = json!(null);
}
