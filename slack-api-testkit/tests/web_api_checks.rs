//! Each misuse of the Web API gets Slack's own answer back, and each programmed answer is
//! what `Client::call` sees.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use slack_api::auth::AuthTestRequest;
use slack_api::block_kit::SectionBlock;
use slack_api::chat::{ChatPostMessageError, ChatPostMessageRequest, ChatPostMessageResponse};
use slack_api::conversations::ConversationsListRequest;
use slack_api::{Client, Error, Method, MethodError, RetryPolicy};
use slack_api_testkit::{FakeSlack, Identity};

/// Posts a form to the fake with raw HTTP (what a client that checks nothing would send).
async fn post(fake: &FakeSlack, method: &str, token: Option<&str>, content_type: Option<&str>, body: &str) -> (u16, Value) {
    let mut req = raw().post(format!("{}{method}", fake.base_url())).body(body.to_owned());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// A plain HTTP client (reqwest is built without a default TLS provider).
fn raw() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn form(fake: &FakeSlack, method: &str, token: Option<&str>, body: &str) -> Value {
    post(fake, method, token, Some("application/x-www-form-urlencoded"), body).await.1
}

fn client(fake: &FakeSlack, token: &str) -> Client {
    Client::builder(token).base_url(fake.base_url()).retry_policy(RetryPolicy::none()).build().unwrap()
}

fn code<E: MethodError>(e: &Error<E>) -> Option<&str> {
    match e {
        Error::Api(api) => Some(api.error.code()),
        _ => None,
    }
}

#[tokio::test]
async fn no_token_is_not_authed() {
    let fake = FakeSlack::start().await;
    assert_eq!(form(&fake, "chat.postMessage", None, "channel=C1&text=hi").await, json!({"ok": false, "error": "not_authed"}));
    let c = Client::without_token().base_url(fake.base_url()).retry_policy(RetryPolicy::none()).build().unwrap();
    let e = c.call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap_err();
    assert_eq!(code(&e), Some("not_authed"));
}

#[tokio::test]
async fn unknown_and_revoked_tokens() {
    let fake = FakeSlack::start().await;
    assert_eq!(form(&fake, "auth.test", Some("not-a-token"), "").await["error"], "invalid_auth");
    // Strict: only registered tokens are known.
    fake.web().strict_tokens(true);
    assert_eq!(form(&fake, "auth.test", Some("xoxb-stranger"), "").await["error"], "invalid_auth");
    fake.web().add_token("xoxb-known");
    assert_eq!(form(&fake, "auth.test", Some("xoxb-known"), "").await["ok"], true);
    fake.web().revoke("xoxb-known");
    let e = client(&fake, "xoxb-known").call(&AuthTestRequest::new()).await.unwrap_err();
    assert_eq!(code(&e), Some("token_revoked"));
}

#[tokio::test]
async fn wrong_token_type_is_not_allowed() {
    let fake = FakeSlack::start().await;
    // chat.postMessage takes bot and user tokens, not an app-level one.
    let e = client(&fake, "xapp-1-A1-1").call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap_err();
    assert_eq!(code(&e), Some("not_allowed_token_type"));
    assert_eq!(fake.web().raw_calls()[0].error.as_deref(), Some("not_allowed_token_type"));
}

#[tokio::test]
async fn missing_scope_says_needed_and_provided() {
    let fake = FakeSlack::start().await;
    // Never granted: lenient.
    client(&fake, "xoxb-1").call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap();
    fake.grant("xoxb-1", &["users:read", "channels:read"]);
    let e = client(&fake, "xoxb-1").call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap_err();
    let Error::Api(api) = &e else { panic!("{e:?}") };
    assert_eq!(api.error, ChatPostMessageError::Common(slack_api::CommonError::MissingScope));
    assert_eq!(api.needed.as_deref(), Some("chat:write"));
    assert_eq!(api.provided.as_deref(), Some("channels:read,users:read"));
    fake.grant("xoxb-1", &["chat:write"]);
    client(&fake, "xoxb-1").call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap();
}

#[tokio::test]
async fn missing_required_argument() {
    let fake = FakeSlack::start().await;
    let v = form(&fake, "chat.postMessage", Some("xoxb-1"), "text=hi").await;
    assert_eq!(
        v,
        json!({"ok": false, "error": "invalid_arguments", "response_metadata": {"messages": ["[ERROR] missing required field: channel"]}})
    );
}

#[tokio::test]
async fn wrong_argument_type() {
    let fake = FakeSlack::start().await;
    let v = form(&fake, "chat.postMessage", Some("xoxb-1"), "channel=C1&text=hi&as_user=perhaps").await;
    assert_eq!(v["error"], "invalid_arguments");
    assert_eq!(v["response_metadata"]["messages"][0], "[ERROR] expected a boolean (`true` or `false`) [json-pointer:/as_user]");
    let v = form(&fake, "conversations.list", Some("xoxb-1"), "limit=many").await;
    assert_eq!(v["response_metadata"]["messages"][0], "[ERROR] expected an integer [json-pointer:/limit]");
}

#[tokio::test]
async fn bad_enum_value() {
    let fake = FakeSlack::start().await;
    let v = form(&fake, "chat.scheduleMessage", Some("xoxb-1"), "channel=C1&post_at=1700000000&text=hi&parse=sometimes").await;
    assert_eq!(v["error"], "invalid_arguments", "{v}");
    assert_eq!(v["response_metadata"]["messages"][0], "[ERROR] must be one of `none`, `full` [json-pointer:/parse]");
}

#[tokio::test]
async fn exclusive_group_violated_by_the_same_rule_as_the_client() {
    let fake = FakeSlack::start().await;
    let v = form(&fake, "chat.postMessage", Some("xoxb-1"), "channel=C1&text=hi&markdown_text=**hi**").await;
    assert_eq!(v["error"], "invalid_arguments");
    let message = v["response_metadata"]["messages"][0].as_str().unwrap();
    // The client refuses the same request before sending, with the same words.
    let e = client(&fake, "xoxb-1").call(&ChatPostMessageRequest::new("C1").text("hi").markdown_text("**hi**")).await.unwrap_err();
    let Error::InvalidRequest(why) = &e else { panic!("{e:?}") };
    assert_eq!(message, format!("[ERROR] {}", why.strip_prefix("chat.postMessage: ").unwrap()));
    // A group that needs one of its arguments: none of text, blocks, attachments, markdown_text.
    let v = form(&fake, "chat.postMessage", Some("xoxb-1"), "channel=C1").await;
    assert!(v["response_metadata"]["messages"][0].as_str().unwrap().contains("is required"), "{v}");
    assert_eq!(fake.web().raw_calls().len(), 2, "the client sent nothing");
}

#[tokio::test]
async fn invalid_blocks_by_the_same_rule_as_the_client() {
    let fake = FakeSlack::start().await;
    // A section of 3,001 characters: over Block Kit's limit.
    let long = "x".repeat(3001);
    let request = ChatPostMessageRequest::new("C1").blocks([SectionBlock::new().text(slack_api::block_kit::Mrkdwn::new(long.clone()))]);
    let refused = request.validate().unwrap_err();
    let e = client(&fake, "xoxb-1").call(&request).await.unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)), "the client refuses it: {e:?}");
    assert!(fake.web().raw_calls().is_empty());
    // Sent anyway, by a client that does not check.
    let unchecked = Client::builder("xoxb-1").base_url(fake.base_url()).validate_block_kit(false).retry_policy(RetryPolicy::none()).build().unwrap();
    let e = unchecked.call(&request).await.unwrap_err();
    assert_eq!(code(&e), Some("invalid_blocks"));
    let Error::Api(api) = &e else { unreachable!() };
    let messages = api.response_metadata.as_ref().and_then(|m| m.messages.clone()).unwrap();
    assert_eq!(messages.len(), refused.0.len());
    assert!(messages[0].contains("json-pointer:/blocks/0/text"), "{messages:?}");
    assert_eq!(api.fields["errors"][0], refused.0[0].to_string());
}

#[tokio::test]
async fn wrong_http_method_and_content_type() {
    let fake = FakeSlack::start().await;
    let url = format!("{}chat.postMessage", fake.base_url());
    let put = raw().put(&url).bearer_auth("xoxb-1").send().await.unwrap();
    assert_eq!(put.status().as_u16(), 405);
    // GET of a POST method: Slack takes it; strict mode refuses it.
    let get = raw().get(format!("{url}?channel=C1&text=hi")).bearer_auth("xoxb-1").send().await.unwrap();
    assert_eq!(get.status().as_u16(), 200);
    fake.web().strict_http_methods(true);
    let get = raw().get(format!("{url}?channel=C1&text=hi")).bearer_auth("xoxb-1").send().await.unwrap();
    assert_eq!(get.status().as_u16(), 405);
    let cases = [
        (None, "channel=C1&text=hi", "missing_post_type"),
        (Some("application/xml"), "<x/>", "invalid_post_type"),
        (Some("application/x-www-form-urlencoded; charset=koi8-r"), "channel=C1&text=hi", "invalid_charset"),
        (Some("application/json"), "{", "invalid_json"),
        (Some("application/json"), "[1]", "json_not_object"),
        (Some("multipart/form-data; boundary=B"), "garbage", "invalid_form_data"),
    ];
    for (ct, body, want) in cases {
        let (status, v) = post(&fake, "chat.postMessage", Some("xoxb-1"), ct, body).await;
        assert_eq!((status, v["error"].as_str()), (200, Some(want)), "{ct:?} {body}");
    }
    // JSON bodies are taken where the spec says so, and decoded like forms.
    let (_, v) = post(&fake, "chat.postMessage", Some("xoxb-1"), Some("application/json"), r#"{"channel":"C9","text":"hi","unfurl_links":false}"#).await;
    assert_eq!((v["ok"].as_bool(), v["channel"].as_str()), (Some(true), Some("C9")));
    assert_eq!(fake.calls::<ChatPostMessageRequest>().last().unwrap().unfurl_links, Some(false));
    assert_eq!(form(&fake, "no.suchMethod", Some("xoxb-1"), "").await["error"], "unknown_method");
}

#[tokio::test]
async fn oauth_exchange_takes_client_credentials() {
    let fake = FakeSlack::start().await;
    fake.web().app_credentials("123.456", "s3cret");
    assert_eq!(form(&fake, "oauth.v2.access", None, "code=c").await["error"], "invalid_client_id");
    assert_eq!(form(&fake, "oauth.v2.access", None, "code=c&client_id=123.456&client_secret=nope").await["error"], "bad_client_secret");
    let ok = slack_api::oauth::OauthV2AccessRequest::new().client_id("123.456").client_secret("s3cret").code("c");
    let c = Client::without_token().base_url(fake.base_url()).build().unwrap();
    // The credentials pass; the code was never issued by the fake's authorize page (see the
    // install test of the sending side), so Slack's answer is `invalid_code`.
    match c.call(&ok).await {
        Err(slack_api::Error::Api(e)) => assert_eq!(e.error, slack_api::oauth::OauthV2AccessError::InvalidCode),
        other => panic!("expected invalid_code, got {other:?}"),
    }
    // The client sent HTTP Basic; the recorded request has the credentials all the same.
    let got = fake.calls::<slack_api::oauth::OauthV2AccessRequest>();
    assert_eq!(got[0].client_id.as_deref(), Some("123.456"));
}

#[tokio::test]
async fn programmed_typed_answer_and_error() {
    let fake = FakeSlack::start().await;
    let mut answer: ChatPostMessageResponse = serde_json::from_value(json!({"ok": true, "channel": "C7", "ts": "1.000001"})).unwrap();
    answer.ts = Some("2.000002".into());
    fake.on::<ChatPostMessageRequest>().once().respond(answer);
    fake.on::<ChatPostMessageRequest>().times(2).fail(ChatPostMessageError::IsArchived);
    let c = client(&fake, "xoxb-1");
    let req = ChatPostMessageRequest::new("C1").text("hi");
    // Newest first: two failures, then the typed answer, then the default.
    for _ in 0..2 {
        let e = c.call(&req).await.unwrap_err();
        let Error::Api(api) = e else { panic!() };
        assert_eq!(api.error, ChatPostMessageError::IsArchived);
    }
    let r = c.call(&req).await.unwrap();
    assert_eq!((r.channel.as_ref().map(|c| c.as_str()), r.ts.as_ref().map(|t| t.as_str())), (Some("C7"), Some("2.000002")));
    let r = c.call(&req).await.unwrap();
    assert_eq!(r.channel.as_ref().map(|c| c.as_str()), Some("C1"), "the default echoes the channel");
    // A typed handler given the decoded request.
    fake.on::<ChatPostMessageRequest>().reply_with(|req| {
        (req.text.as_deref() == Some("boom")).then(|| slack_api_testkit::Reply::Err(ChatPostMessageError::NoText))
    });
    assert!(c.call(&ChatPostMessageRequest::new("C1").text("boom")).await.is_err());
    assert!(c.call(&ChatPostMessageRequest::new("C1").text("fine")).await.is_ok());
}

#[tokio::test]
async fn programmed_delay_429_5xx_and_drop() {
    let fake = FakeSlack::start().await;
    let c = client(&fake, "xoxb-1");
    let req = ChatPostMessageRequest::new("C1").text("hi");
    fake.on::<ChatPostMessageRequest>().once().delay(Duration::from_millis(300));
    let t = Instant::now();
    c.call(&req).await.unwrap();
    assert!(t.elapsed() >= Duration::from_millis(300));

    fake.on::<ChatPostMessageRequest>().once().rate_limited(Duration::from_secs(7));
    let e = c.call(&req).await.unwrap_err();
    assert!(matches!(e, Error::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(7)), "{e:?}");

    fake.on::<ChatPostMessageRequest>().once().status(503);
    let e = c.call(&req).await.unwrap_err();
    assert!(matches!(e, Error::Http { status: 503, .. }), "{e:?}");

    fake.on::<ChatPostMessageRequest>().once().drop_connection();
    let e = c.call(&req).await.unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
    let statuses: Vec<u16> = fake.web().raw_calls().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 429, 503, 0]);

    // With the client's default retry policy, a 429 once is waited out.
    fake.on::<ChatPostMessageRequest>().once().rate_limited(Duration::from_millis(1));
    let retrying = Client::builder("xoxb-1").base_url(fake.base_url()).build().unwrap();
    retrying.call(&req).await.unwrap();
}

#[tokio::test]
async fn rate_limits_by_tier() {
    let fake = FakeSlack::start().await;
    fake.web().rate_limits(true);
    let c = client(&fake, "xoxb-1");
    // chat.postMessage: one a second per channel.
    c.call(&ChatPostMessageRequest::new("C1").text("a")).await.unwrap();
    c.call(&ChatPostMessageRequest::new("C2").text("a")).await.unwrap();
    let e = c.call(&ChatPostMessageRequest::new("C1").text("b")).await.unwrap_err();
    assert!(matches!(e, Error::RateLimited { retry_after: Some(d), .. } if d <= Duration::from_secs(1)), "{e:?}");
    // Tier 2: 20 a minute per token and method.
    for _ in 0..20 {
        c.call(&ConversationsListRequest::new()).await.unwrap();
    }
    let e = c.call(&ConversationsListRequest::new()).await.unwrap_err();
    assert!(matches!(e, Error::RateLimited { retry_after: Some(d), .. } if d > Duration::from_secs(50)), "{e:?}");
    // Another token has its own budget.
    client(&fake, "xoxb-2").call(&ConversationsListRequest::new()).await.unwrap();
}

#[tokio::test]
async fn calls_read_back_as_typed_requests() {
    let fake = FakeSlack::start().await;
    let c = client(&fake, "xoxb-1");
    c.call(&ChatPostMessageRequest::new("C1").text("one")).await.unwrap();
    c.call(&AuthTestRequest::new()).await.unwrap();
    let sent = ChatPostMessageRequest::new("C2").text("two").thread_ts("1.000001").blocks([SectionBlock::new().text(slack_api::block_kit::Mrkdwn::new("*b*"))]);
    c.call(&sent).await.unwrap();
    let calls = fake.calls::<ChatPostMessageRequest>();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].text.as_deref(), Some("one"));
    assert_eq!(calls[1], sent, "decoded back to the very request sent");
    let raw = fake.web().raw_calls();
    assert_eq!(raw.iter().map(|r| r.call.method.as_str()).collect::<Vec<_>>(), ["chat.postMessage", "auth.test", "chat.postMessage"]);
    assert_eq!(raw[0].call.token.as_deref(), Some("xoxb-1"));
    assert_eq!(raw[0].call.arg("text"), Some("one"));
}

#[tokio::test]
async fn stateful_answers_and_the_lead_hooks() {
    let fake = FakeSlack::start().await;
    fake.web().identity("xoxb-1", Identity::new("T9", "U9").bot_id("B9"));
    let c = client(&fake, "xoxb-1");
    let me = c.call(&AuthTestRequest::new()).await.unwrap();
    assert_eq!((me.team_id.unwrap().as_str(), me.user_id.unwrap().as_str(), me.bot_id.unwrap().as_str()), ("T9", "U9", "B9"));
    let a = c.call(&ChatPostMessageRequest::new("C1").text("a")).await.unwrap();
    let b = c.call(&ChatPostMessageRequest::new("C1").text("b")).await.unwrap();
    assert_ne!(a.ts, b.ts, "a fresh ts each time");
    // A dynamic JSON answer by method name; `None` falls through to the default.
    fake.web().handle("chat.postMessage", |call| (call.arg("text") == Some("custom")).then(|| json!({"ok": true, "ts": "9.9"})));
    let r = c.call(&ChatPostMessageRequest::new("C1").text("custom")).await.unwrap();
    assert_eq!(r.ts.unwrap().as_str(), "9.9");
    assert!(c.call(&ChatPostMessageRequest::new("C1").text("x")).await.unwrap().ts.unwrap().as_str() != "9.9");
}
