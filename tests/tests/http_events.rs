//! The HTTP entry point: request verification (Slack's documented vector, valid, forged, stale,
//! missing and malformed signatures), url_verification, retried deliveries, interactivity and
//! slash commands — directly and through the axum route on a real loopback server.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use slack_api_tests::{MockServer, Reply};
use slack_api::events::{
    Answer, Event, FixedClock, HttpError, HttpHandler, Incoming, Interaction, MessageEvent, Received, Verifier, VerifyError,
};

const DOC_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const DOC_TS: i64 = 1531420618;
const DOC_BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const DOC_SIG: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

#[test]
fn slacks_documented_signature_vector() {
    let v = Verifier::new(DOC_SECRET).clock(FixedClock(DOC_TS + 60));
    assert_eq!(v.sign(DOC_TS, DOC_BODY.as_bytes()), DOC_SIG);
    assert_eq!(v.verify(Some("1531420618"), Some(DOC_SIG), DOC_BODY.as_bytes()), Ok(()));
}

#[test]
fn each_failure_is_a_distinct_error_without_the_secret() {
    let v = Verifier::new(DOC_SECRET).clock(FixedClock(DOC_TS));
    let body = DOC_BODY.as_bytes();
    type Case<'a> = (Option<&'a str>, Option<&'a str>, &'a [u8], VerifyError);
    let cases: Vec<Case> = vec![
        (None, Some(DOC_SIG), body, VerifyError::MissingHeader("x-slack-request-timestamp")),
        (Some("1531420618"), None, body, VerifyError::MissingHeader("x-slack-signature")),
        (Some("yesterday"), Some(DOC_SIG), body, VerifyError::MalformedHeader("x-slack-request-timestamp", "not a Unix timestamp in seconds")),
        (Some("1531420618"), Some("a2114d57"), body, VerifyError::MalformedHeader("x-slack-signature", "does not start with `v0=`")),
        (Some("1531420618"), Some("v0=zz"), body, VerifyError::MalformedHeader("x-slack-signature", "not 64 hexadecimal digits after `v0=`")),
        // Forged: one byte of the body changed, or the signature of another body.
        (Some("1531420618"), Some(DOC_SIG), b"token=xyzz0WbapA4vBCDEFasx0q6G&command=%2Fevil", VerifyError::BadSignature),
        (Some("1531420619"), Some(DOC_SIG), body, VerifyError::BadSignature),
    ];
    for (ts, sig, body, want) in cases {
        let got = v.verify(ts, sig, body).unwrap_err();
        assert_eq!(got, want);
        assert!(!got.to_string().contains(DOC_SECRET) && !format!("{got:?}").contains(DOC_SECRET));
    }
    // Stale: 5 minutes and 1 second old, or as far in the future; the window is configurable.
    let old = Verifier::new(DOC_SECRET).clock(FixedClock(DOC_TS + 301));
    assert_eq!(old.verify(Some("1531420618"), Some(DOC_SIG), body), Err(VerifyError::Stale { timestamp: DOC_TS, now: DOC_TS + 301 }));
    let early = Verifier::new(DOC_SECRET).clock(FixedClock(DOC_TS - 301));
    assert!(matches!(early.verify(Some("1531420618"), Some(DOC_SIG), body), Err(VerifyError::Stale { .. })));
    let lenient = Verifier::new(DOC_SECRET).clock(FixedClock(DOC_TS + 3600)).max_age(Duration::from_secs(7200));
    assert_eq!(lenient.verify(Some("1531420618"), Some(DOC_SIG), body), Ok(()));
    // A wrong secret.
    let other = Verifier::new("another-secret").clock(FixedClock(DOC_TS));
    assert_eq!(other.verify(Some("1531420618"), Some(DOC_SIG), body), Err(VerifyError::BadSignature));
}

fn signed(v: &Verifier, body: &[u8], content_type: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let (ts, sig) = v.sign_now(body);
    let mut h = vec![
        ("x-slack-request-timestamp".to_owned(), ts),
        ("x-slack-signature".to_owned(), sig),
        ("content-type".to_owned(), content_type.to_owned()),
    ];
    h.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    h
}

async fn handle(h: &HttpHandler, headers: &[(String, String)], body: &[u8]) -> Result<Received, HttpError> {
    h.handle(|n| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str()), body).await
}

fn callback(event_id: &str) -> Vec<u8> {
    json!({
        "type": "event_callback", "token": "t", "team_id": "T1", "api_app_id": "A1", "event_id": event_id, "event_time": 1,
        "event": { "type": "message", "channel": "C1", "user": "U1", "text": "hi", "ts": "1.000100" },
        "authorizations": [{ "team_id": "T1", "user_id": "U9", "is_bot": true, "is_enterprise_install": false }]
    })
    .to_string()
    .into_bytes()
}

#[tokio::test]
async fn url_verification_events_retries_interactivity_and_commands() {
    let v = Verifier::new("secret");
    let h = HttpHandler::new(v.clone());

    let body = br#"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#;
    let r = handle(&h, &signed(&v, body, "application/json", &[]), body).await.unwrap();
    assert_eq!(r.incoming, Incoming::UrlVerification { challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P".into() });
    assert_eq!(r.answer, Answer::challenge("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"));

    // An event, then Slack's retry of it (same event_id): handed over once.
    let body = callback("Ev42");
    let r = handle(&h, &signed(&v, &body, "application/json", &[]), &body).await.unwrap();
    let Incoming::Event(cb) = &r.incoming else { panic!("{r:?}") };
    assert!(matches!(cb.event, Some(Event::Message(MessageEvent::Plain(_)))));
    assert_eq!(r.answer, Answer::ack());
    let retry = signed(&v, &body, "application/json", &[("x-slack-retry-num", "1"), ("x-slack-retry-reason", "http_timeout")]);
    let r = handle(&h, &retry, &body).await.unwrap();
    assert_eq!(r.incoming, Incoming::DuplicateEvent { event_id: "Ev42".into() });
    assert_eq!((r.retry_num, r.retry_reason.as_deref()), (Some(1), Some("http_timeout")));
    assert_eq!(r.answer, Answer::ack());

    // app_rate_limited, and a type this version does not know.
    let body = br#"{"token":"t","type":"app_rate_limited","team_id":"T1","minute_rate_limited":1518467820,"api_app_id":"A1"}"#;
    let r = handle(&h, &signed(&v, body, "application/json", &[]), body).await.unwrap();
    assert!(matches!(r.incoming, Incoming::AppRateLimited(ref a) if a.minute_rate_limited == Some(1518467820)));
    let body = br#"{"type":"brand_new_envelope","x":1}"#;
    let r = handle(&h, &signed(&v, body, "application/json", &[]), body).await.unwrap();
    assert_eq!(r.incoming, Incoming::Unknown(json!({ "type": "brand_new_envelope", "x": 1 })));

    // Interactivity: a form with `payload`.
    let payload = json!({
        "type": "block_actions", "trigger_id": "13345224609.738474920.8088930838d88f008e0", "response_url": "https://hooks.slack.com/actions/T1/1/x",
        "user": { "id": "U1", "username": "ada", "name": "ada", "team_id": "T1" }, "team": { "id": "T1", "domain": "example" },
        "api_app_id": "A1", "container": { "type": "message", "message_ts": "1.2" },
        "actions": [
            { "type": "button", "action_id": "approve", "block_id": "b", "value": "42", "action_ts": "1.3", "text": { "type": "plain_text", "text": "OK" } },
            { "type": "static_select", "action_id": "pick", "block_id": "b", "action_ts": "1.4",
              "selected_option": { "text": { "type": "plain_text", "text": "Two" }, "value": "2" } },
            { "type": "users_select", "action_id": "who", "block_id": "b", "action_ts": "1.5", "selected_user": "U7" },
            { "type": "datepicker", "action_id": "when", "block_id": "b", "action_ts": "1.6", "selected_date": "2026-11-22" },
            { "type": "some_future_element", "action_id": "new" }
        ]
    });
    let body = form_urlencoded::Serializer::new(String::new()).append_pair("payload", &payload.to_string()).finish();
    let r = handle(&h, &signed(&v, body.as_bytes(), "application/x-www-form-urlencoded", &[]), body.as_bytes()).await.unwrap();
    let Incoming::Interaction(i) = &r.incoming else { panic!("{r:?}") };
    let Interaction::BlockActions(ba) = i.as_ref() else { panic!("{i:?}") };
    let actions = ba.actions.as_ref().unwrap();
    use slack_api::events::ElementAction as A;
    assert!(matches!(&actions[0], A::Button(b) if b.value.as_deref() == Some("42")));
    assert!(matches!(&actions[1], A::StaticSelect(s) if s.selected_option.as_ref().and_then(|o| o.value.as_deref()) == Some("2")));
    assert!(matches!(&actions[2], A::UsersSelect(u) if u.selected_user.as_ref().map(|u| u.as_str()) == Some("U7")));
    assert!(matches!(&actions[3], A::DatePicker(d) if d.selected_date.as_deref() == Some("2026-11-22")));
    assert!(matches!(&actions[4], A::Unknown(_)));
    assert_eq!(actions[4].action_id(), Some("new"));
    assert!(ba.extra.is_empty(), "{:?}", ba.extra);
    assert_eq!(i.trigger_id(), Some("13345224609.738474920.8088930838d88f008e0"));
    assert_eq!(serde_json::to_value(i.as_ref()).unwrap(), payload, "interaction payloads round-trip");

    // A slash command.
    let cmd = "token=t&team_id=T1&channel_id=C1&user_id=U1&command=%2Fweather&text=94070&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1&trigger_id=tr&new_field=x";
    let r = handle(&h, &signed(&v, cmd.as_bytes(), "application/x-www-form-urlencoded", &[]), cmd.as_bytes()).await.unwrap();
    let Incoming::Command(c) = &r.incoming else { panic!("{r:?}") };
    assert_eq!((c.command.as_str(), c.text.as_str()), ("/weather", "94070"));
    assert_eq!(c.extra.get("new_field").map(String::as_str), Some("x"));
    assert_eq!(c.to_form().split('&').count(), cmd.split('&').count());

    // Signed but not something Slack sends.
    let body = b"hello=world";
    let e = handle(&h, &signed(&v, body, "application/x-www-form-urlencoded", &[]), body).await.unwrap_err();
    assert_eq!(e.status(), 400);
    let body = b"{not json";
    assert_eq!(handle(&h, &signed(&v, body, "application/json", &[]), body).await.unwrap_err().status(), 400);
}

#[tokio::test]
async fn forged_stale_and_unsigned_requests_never_reach_the_app() {
    let v = Verifier::new("secret");
    let h = HttpHandler::new(v.clone());
    let body = callback("Ev1");
    let mut forged = signed(&v, &body, "application/json", &[]);
    forged[1].1 = Verifier::new("guess").sign_now(&body).1;
    assert!(matches!(handle(&h, &forged, &body).await, Err(HttpError::Verify(VerifyError::BadSignature))));
    let stale_ts = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() - 600) as i64;
    let stale = vec![
        ("x-slack-request-timestamp".to_owned(), stale_ts.to_string()),
        ("x-slack-signature".to_owned(), v.sign(stale_ts, &body)),
    ];
    assert!(matches!(handle(&h, &stale, &body).await, Err(HttpError::Verify(VerifyError::Stale { .. }))));
    assert!(matches!(handle(&h, &[], &body).await, Err(HttpError::Verify(VerifyError::MissingHeader(_)))));
    // None of the refusals recorded the event: the genuine delivery is still handed over.
    let r = handle(&h, &signed(&v, &body, "application/json", &[]), &body).await.unwrap();
    assert!(matches!(r.incoming, Incoming::Event(_)));
}

/// The axum route on a real server: what the app sees and what Slack gets back.
#[tokio::test]
async fn axum_route_on_loopback() {
    let v = Verifier::new("secret");
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let s2 = seen.clone();
    let route = slack_api::events::axum::route(HttpHandler::new(v.clone()), move |r: Received| {
        let seen = s2.clone();
        async move {
            match &r.incoming {
                Incoming::Event(cb) => {
                    seen.lock().unwrap().push(cb.event_id.clone().unwrap_or_default());
                    r.answer
                }
                Incoming::Command(c) => Answer::json(&json!({ "response_type": "ephemeral", "text": format!("you said {}", c.text) })),
                _ => r.answer,
            }
        }
    });
    let app: axum::Router = axum::Router::new().route("/slack/events", route);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/slack/events", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let post = |headers: Vec<(String, String)>, body: Vec<u8>| {
        let mut req = http.post(&url).body(body);
        for (k, v) in headers {
            req = req.header(k, v);
        }
        req.send()
    };
    let body = callback("EvA");
    let resp = post(signed(&v, &body, "application/json", &[]), body.clone()).await.unwrap();
    assert_eq!(resp.status(), 200);
    let resp = post(signed(&v, &body, "application/json", &[("x-slack-retry-num", "1")]), body.clone()).await.unwrap();
    assert_eq!(resp.status(), 200, "a retry is acknowledged");
    let resp = post(vec![("content-type".into(), "application/json".into())], body.clone()).await.unwrap();
    assert_eq!(resp.status(), 401);
    let text = resp.text().await.unwrap();
    assert!(text.contains("x-slack-request-timestamp") && !text.contains("secret"), "{text}");
    let cmd = b"command=%2Fecho&text=hi&user_id=U1".to_vec();
    let resp = post(signed(&v, &cmd, "application/x-www-form-urlencoded", &[]), cmd).await.unwrap();
    assert_eq!(resp.headers()["content-type"], "application/json");
    assert_eq!(serde_json::from_str::<Value>(&resp.text().await.unwrap()).unwrap(), json!({ "response_type": "ephemeral", "text": "you said hi" }));
    assert_eq!(*seen.lock().unwrap(), vec!["EvA".to_owned()], "the retried event reached the app once");
}

/// Answers through a `response_url` carry the message and no token.
#[tokio::test]
async fn responder_posts_json_without_a_token() {
    use slack_api::events::{RespondError, Responder, ResponseMessage};
    let server = slack_api_tests::MockServer::start().await;
    server.set_default(slack_api_tests::Reply::status(200, "text/plain", "ok"));
    let url = format!("{}commands/T1/1/secret-part", server.base_url());
    let r = Responder::new();
    r.send(&url, &ResponseMessage::ephemeral("only you").thread_ts("1.2")).await.unwrap();
    r.send(&url, &ResponseMessage::in_channel("everyone")).await.unwrap();
    r.send(&url, &ResponseMessage::replace("edited")).await.unwrap();
    r.send(&url, &ResponseMessage::delete()).await.unwrap();
    let got = server.take();
    let bodies: Vec<Value> = got.iter().map(|g| serde_json::from_slice(&g.body).unwrap()).collect();
    assert_eq!(bodies, vec![
        json!({ "response_type": "ephemeral", "text": "only you", "thread_ts": "1.2" }),
        json!({ "response_type": "in_channel", "text": "everyone" }),
        json!({ "replace_original": true, "text": "edited" }),
        json!({ "delete_original": true }),
    ]);
    for g in &got {
        assert_eq!(g.header("authorization"), None);
        assert_eq!(g.header("content-type"), Some("application/json; charset=utf-8"));
    }
    server.set_default(slack_api_tests::Reply::status(404, "text/plain", "expired_url"));
    assert_eq!(r.send(&url, &ResponseMessage::delete()).await, Err(RespondError::Http { status: 404, body: "expired_url".into() }));
    assert!(matches!(r.send("http://example.com/x", &ResponseMessage::delete()).await, Err(RespondError::InvalidUrl(_))));
}

/// Two replicas behind a load balancer, one Redis: Slack's retry of an event lands on the other
/// replica and is recognised there.
#[tokio::test]
async fn a_retry_on_another_replica_is_handled_once_through_redis() {
    use slack_api::events::StateDedupe;
    use slack_api::state::{RedisState, SharedState};
    let redis = slack_api_tests::RedisServer::start();
    let replica = || {
        let state: Arc<dyn SharedState> = Arc::new(RedisState::new(&redis.url()).unwrap());
        HttpHandler::new(Verifier::new("secret")).dedupe(Arc::new(StateDedupe::new(state)), Duration::from_secs(60))
    };
    let (a, b) = (replica(), replica());
    let v = Verifier::new("secret");
    let body = callback("EvReplica");
    let first = handle(&a, &signed(&v, &body, "application/json", &[]), &body).await.unwrap();
    assert!(matches!(first.incoming, Incoming::Event(_)));
    let retry = handle(&b, &signed(&v, &body, "application/json", &[("x-slack-retry-num", "1")]), &body).await.unwrap();
    assert_eq!(retry.incoming, Incoming::DuplicateEvent { event_id: "EvReplica".into() });
    // Another event still goes through on either.
    let other = callback("EvOther");
    assert!(matches!(handle(&b, &signed(&v, &other, "application/json", &[]), &other).await.unwrap().incoming, Incoming::Event(_)));
}

/// A `response_url` answer follows the SDK's network policy: no redirects followed, a capped
/// answer, https or loopback only.
#[tokio::test]
async fn responder_follows_the_network_policy() {
    use slack_api::events::{RespondError, Responder, ResponseMessage};
    let server = MockServer::start().await;
    let url = format!("{}respond/1", server.base_url());
    server.push(Reply::status(302, "text/plain", "moved").with_header("location", "https://evil.example/steal"));
    let err = Responder::new().send(&url, &ResponseMessage::ephemeral("hi")).await.unwrap_err();
    assert!(matches!(err, RespondError::Http { status: 302, .. }), "{err:?}");
    assert_eq!(server.take().len(), 1, "the redirect was not followed");

    server.push(Reply::json(&format!(r#"{{"ok":true,"pad":"{}"}}"#, "x".repeat(100 * 1024))));
    let err = Responder::new().send(&url, &ResponseMessage::ephemeral("hi")).await.unwrap_err();
    assert!(matches!(&err, RespondError::Transport(why) if why.contains("larger than")), "{err:?}");

    for bad in ["http://example.com/respond", "ftp://127.0.0.1/x", "http://LOCALHOST.evil.example/x"] {
        let err = Responder::new().send(bad, &ResponseMessage::ephemeral("hi")).await.unwrap_err();
        assert!(matches!(err, RespondError::InvalidUrl(_)), "{bad}: {err:?}");
    }
    server.take();
    server.push(Reply::json("ok"));
    let ok = format!("http://LocalHost:{}/respond/2", server.base_url().split(':').nth(2).unwrap().trim_end_matches("/api/"));
    Responder::new().send(&ok, &"plain text is ephemeral".into()).await.unwrap();
    let sent = server.take();
    assert_eq!(sent[0].body_text(), r#"{"response_type":"ephemeral","text":"plain text is ephemeral"}"#);
}

/// `ssl_check` is answered 200 (signed or not) and never handed over; JSON that is not a
/// payload is refused as documented.
#[tokio::test]
async fn ssl_check_and_non_payloads() {
    use slack_api::events::{HttpError, HttpHandler, Incoming, Verifier};
    let verifier = Verifier::new("secret");
    let handler = HttpHandler::new(Verifier::new("secret"));
    let none = |_: &str| None::<&str>;
    let r = handler.handle(none, b"ssl_check=1&token=legacy").await.unwrap();
    assert_eq!((r.incoming, r.answer.status, r.answer.body.len()), (Incoming::SslCheck, 200, 0));
    // With a payload or a command beside it, it is not an ssl_check: the signature decides.
    assert!(matches!(handler.handle(none, b"ssl_check=1&command=%2Fx").await, Err(HttpError::Verify(_))));
    for body in [&b"[1,2]"[..], br#"{"type":"event_callback","event":"app_mention"}"#, br#"{"type":"event_callback","event":[1]}"#] {
        let (ts, sig) = verifier.sign_now(body);
        let headers = [("x-slack-request-timestamp", ts.as_str()), ("x-slack-signature", sig.as_str()), ("content-type", "application/json")];
        let got = handler.handle(|n| headers.iter().find(|(k, _)| *k == n).map(|(_, v)| *v), body).await;
        assert!(matches!(got, Err(HttpError::BadRequest(_))), "{}: {got:?}", String::from_utf8_lossy(body));
    }
}
