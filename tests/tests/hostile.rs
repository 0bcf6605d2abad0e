//! The client against servers on 127.0.0.1 that misbehave on purpose: silent, trickling,
//! redirecting, answering with absurd headers, huge or oddly shaped bodies, looping cursors.
//! One test (or more) per finding of the hostile-server review; each failed before the fix.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use slack_api::chat::{ChatPostMessageError, ChatPostMessageRequest};
use slack_api::oauth::{OauthV2AccessRequest, OauthV2AccessResponseTokenType};
use slack_api::stream::TryStreamExt;
use slack_api::users::{UsersListRequest, UsersLookupByEmailRequest};
use slack_api::views::ViewsOpenRequest;
use slack_api::{Client, ConfigError, Error, RateLimiter, RetryPolicy, TimeoutKind, TokenRotation};
use slack_api_tests::{MockServer, Recorded, Reply, raw_server, read_request};
use tokio::io::AsyncWriteExt;

const TOKEN: &str = "xoxb-hostile-test-token";

fn client(base: &str, policy: RetryPolicy) -> Client {
    Client::builder(TOKEN).base_url(base).retry_policy(policy).build().unwrap()
}

fn quick() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(10), Duration::from_millis(20))
}

// 1. A silent server hangs a call forever.

/// Reads the request, then never answers.
async fn silent(mut s: tokio::net::TcpStream) {
    let _ = read_request(&mut s).await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
}

/// Sends the head, then stalls the body.
async fn stalls_body(mut s: tokio::net::TcpStream) {
    let _ = read_request(&mut s).await;
    let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"ok\":").await;
    tokio::time::sleep(Duration::from_secs(3600)).await;
}

/// Drips one byte of an endless body every 50 ms.
async fn drips(mut s: tokio::net::TcpStream) {
    let _ = read_request(&mut s).await;
    if s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{\"ok\":true,\"x\":\"").await.is_err() {
        return;
    }
    loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if s.write_all(b"a").await.is_err() {
            return;
        }
    }
}

#[test]
fn the_default_client_limits_each_attempt_and_each_call() {
    assert_eq!(slack_api::DEFAULT_ATTEMPT_TIMEOUT, Duration::from_secs(30));
    let policy = RetryPolicy::default();
    assert_eq!(policy.call_timeout, Duration::from_secs(90));
    let bound = slack_api::DEFAULT_ATTEMPT_TIMEOUT * policy.max_attempts + policy.max_total_wait;
    assert!(policy.call_timeout * 2 <= bound, "the call timeout is well under attempts × timeout + waits");
    let debug = format!("{:?}", Client::new(TOKEN).unwrap());
    assert!(debug.contains("timeout: Some(30s)"), "{debug}");
}

#[tokio::test]
async fn silent_stalled_and_dripping_servers_end_in_a_timeout() {
    for (name, base) in [
        ("silent", raw_server(silent).await),
        ("stalled body", raw_server(stalls_body).await),
        ("drip", raw_server(drips).await),
    ] {
        let c = Client::builder(TOKEN)
            .base_url(&base)
            .timeout(Duration::from_millis(300))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let started = Instant::now();
        let err = c.call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap_err();
        let took = started.elapsed();
        assert!(
            matches!(err, Error::Timeout { kind: TimeoutKind::Attempt, attempts: 1, .. }),
            "{name}: {err:?}"
        );
        assert!(took < Duration::from_secs(2), "{name}: took {took:?}");
        assert!(err.to_string().contains("0.3 s limit on each attempt"), "{name}: {err}");
    }
}

#[tokio::test]
async fn retries_stay_within_the_call_timeout() {
    let base = raw_server(silent).await;
    // A read is retried after a timeout; four attempts of 300 ms plus backoff would take 1.2 s.
    let c = Client::builder(TOKEN)
        .base_url(&base)
        .timeout(Duration::from_millis(300))
        .retry_policy(quick().call_timeout(Duration::from_millis(700)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = c.call(&UsersListRequest::new()).await.unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, Error::Timeout { kind: TimeoutKind::Call, .. }), "{err:?}");
    assert!(took >= Duration::from_millis(650) && took < Duration::from_millis(1100), "took {took:?}");
    assert!(err.to_string().contains("0.7 s limit"), "{err}");
}

// 2. A panic from a header value.

#[tokio::test]
async fn an_absurd_retry_after_ends_the_call_and_reports_the_value() {
    let server = MockServer::start().await;
    let limited = |v: &str| Reply::status(429, "application/json", r#"{"ok":false,"error":"ratelimited"}"#).with_header("retry-after", v);
    server.push(limited("0"));
    server.push(limited("18446744073709551615"));
    let err = client(&server.base_url(), quick()).call(&UsersListRequest::new()).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { attempts: 2, .. }), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(u64::MAX)));
    assert_eq!(server.take().len(), 2);

    // Fractional seconds and HTTP dates are honoured, not replaced by 1 s.
    server.push(limited("0.2"));
    let started = Instant::now();
    client(&server.base_url(), quick()).call(&UsersListRequest::new()).await.unwrap();
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(190) && took < Duration::from_millis(800), "took {took:?}");

    let soon = httpdate_in(Duration::from_secs(2));
    server.push(limited(&soon));
    let started = Instant::now();
    client(&server.base_url(), quick()).call(&UsersListRequest::new()).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900), "took {:?}", started.elapsed());
}

fn httpdate_in(d: Duration) -> String {
    httpdate::fmt_http_date(std::time::SystemTime::now() + d)
}

#[tokio::test]
async fn retry_after_on_a_503_is_honoured_and_reported() {
    let server = MockServer::start().await;
    server.push(Reply::status(503, "text/plain", "maintenance").with_header("retry-after", "0.3"));
    let started = Instant::now();
    client(&server.base_url(), quick()).call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(290), "took {:?}", started.elapsed());
    assert_eq!(server.take().len(), 2);

    server.push(Reply::status(503, "text/plain", "maintenance").with_header("retry-after", "86400"));
    let err = client(&server.base_url(), quick()).call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(86400)));
    assert_eq!(server.take().len(), 1);
}

// 3. Redirects.

#[tokio::test]
async fn redirects_are_errors_and_nothing_is_sent_elsewhere() {
    let elsewhere = MockServer::start().await;
    let server = MockServer::start().await;
    for status in [301u16, 302, 303, 307, 308] {
        let target = format!("{}oauth.v2.access?token=leak", elsewhere.base_url().replace("/api/", "/other/"));
        server.push(Reply::status(status, "text/plain", "moved").with_header("location", &target));
        let oauth = Client::without_token().base_url(server.base_url()).build().unwrap();
        let request = OauthV2AccessRequest::new().client_id("123.456").client_secret("s3cr3t-value").code("the-code");
        let err = oauth.call(&request).await.unwrap_err();
        match &err {
            Error::Redirect { status: s, location: Some(l) } => {
                assert_eq!(*s, status);
                assert!(l.ends_with("/other/oauth.v2.access?<redacted>"), "{l}");
            }
            other => panic!("{status}: {other:?}"),
        }
        assert!(!format!("{err} {err:?}").contains("leak"));
        assert_eq!(server.take().len(), 1, "{status}: not retried");
    }
    assert!(elsewhere.take().is_empty(), "nothing reached the other server");
}

// 4. Secrets in Debug and errors: see `secrets.rs` for every method; here the transport and
//    configuration paths.

#[tokio::test]
async fn transport_errors_carry_no_url_and_configs_no_credentials() {
    // A closed port: connection refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let c = Client::builder(TOKEN)
        .base_url(format!("http://user:pa55word@127.0.0.1:{port}/api/"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = c.call(&UsersLookupByEmailRequest::new("private.person@example.com")).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let text = format!("{err} {err:?} {c:?}");
    for secret in ["private.person", "example.com", "pa55word", "hostile-test-token"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }

    let e = Client::builder(TOKEN).base_url("http://user:pa55word@example.com/api/").build().unwrap_err();
    assert!(matches!(e, ConfigError::InsecureBaseUrl { .. }));
    assert!(!format!("{e} {e:?}").contains("pa55word"), "{e:?}");
    let e = Client::builder(TOKEN).base_url("https://user:pa55word@[::1/").build().unwrap_err();
    assert!(!format!("{e} {e:?}").contains("pa55word"), "{e:?}");
}

// 5. Unbounded memory.

/// Answers with an endless body, announced (`with_length`) or not.
async fn endless(mut s: tokio::net::TcpStream, with_length: bool) {
    let _ = read_request(&mut s).await;
    let head = if with_length {
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2147483648\r\n\r\n"
    } else {
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
    };
    if s.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunk = vec![b' '; 64 * 1024];
    let framed: Vec<u8> = if with_length {
        chunk
    } else {
        [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk, b"\r\n".to_vec()].concat()
    };
    while s.write_all(&framed).await.is_ok() {}
}

#[tokio::test]
async fn answers_over_the_size_limit_are_refused_while_streaming() {
    for with_length in [true, false] {
        let base = raw_server(move |s| endless(s, with_length)).await;
        let c = Client::builder(TOKEN)
            .base_url(&base)
            .max_response_bytes(1 << 20)
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let err = c.call(&UsersListRequest::new()).await.unwrap_err();
        assert!(matches!(err, Error::ResponseTooLarge { limit: 1_048_576 }), "{with_length}: {err:?}");
        assert!(err.to_string().contains("1048576-byte limit"), "{err}");
    }
    let c = Client::new(TOKEN).unwrap();
    assert!(format!("{c:?}").contains("max_response_bytes: 67108864"));
}

// 6. Pagination loops.

#[tokio::test]
async fn a_cursor_seen_before_ends_the_stream() {
    let server = MockServer::start().await;
    let page = |next: &str| Reply::json(&format!(r#"{{"ok":true,"members":[{{"id":"U1"}}],"response_metadata":{{"next_cursor":"{next}"}}}}"#));
    server.push(page("A"));
    server.push(page("B"));
    server.push(page("A"));
    server.set_default(page("B"));
    let c = client(&server.base_url(), quick());
    let result: Result<Vec<_>, _> = c.pages(UsersListRequest::new()).try_collect().await;
    let err = result.unwrap_err();
    assert!(matches!(&err, Error::CursorRepeated { cursor, pages: 3 } if cursor == "A"), "{err:?}");
    let sent: Vec<Option<String>> = server.take().into_iter().map(|r| r.query).collect();
    assert_eq!(sent, [None, Some("cursor=A".to_owned()), Some("cursor=B".to_owned())]);
}

// 7. The envelope loses data.

#[tokio::test]
async fn odd_envelope_shapes_keep_the_error_code() {
    let server = MockServer::start().await;
    let c = client(&server.base_url(), RetryPolicy::none());
    for body in [
        r#"{"ok":false,"error":"channel_not_found","needed":5}"#,
        r#"{"ok":false,"error":"channel_not_found","response_metadata":{"warnings":null}}"#,
        r#"{"ok":false,"error":"channel_not_found","response_metadata":"odd","warning":[1],"provided":{}}"#,
    ] {
        server.push(Reply::json(body));
        let err = c.call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap_err();
        let Error::Api(e) = &err else { panic!("{body}: {err:?}") };
        assert_eq!(e.error, ChatPostMessageError::ChannelNotFound, "{body}");
        // Whatever had an odd shape is kept, raw.
        let mut all = e.fields.clone();
        all.insert("ok".into(), false.into());
        all.insert("error".into(), "channel_not_found".into());
        if let Some(w) = &e.warning {
            all.insert("warning".into(), w.clone().into());
        }
        if let Some(m) = &e.response_metadata {
            all.insert("response_metadata".into(), serde_json::to_value(m).unwrap());
        }
        assert_eq!(serde_json::Value::Object(all), serde_json::from_str::<serde_json::Value>(body).unwrap(), "{body}");
    }
}

#[test]
fn empty_lists_and_nulls_survive_re_serialisation() {
    let body = r#"{"ok":true,"view":{"id":"V1"},"response_metadata":{"warnings":[],"messages":[],"next_cursor":null}}"#;
    let resp = slack_api::decode_response::<ViewsOpenRequest>(200, body.as_bytes()).unwrap();
    assert_eq!(serde_json::to_value(&resp).unwrap(), serde_json::from_str::<serde_json::Value>(body).unwrap());

    // An untyped answer with odd envelope shapes is still a success, and still exact.
    let body = r#"{"ok":true,"warning":{"odd":1},"response_metadata":{"warnings":null,"next_cursor":7},"x":[]}"#;
    let resp = slack_api::decode_response::<slack_api::admin::AdminAnalyticsGetFileRequest>(200, body.as_bytes()).unwrap();
    assert_eq!(serde_json::to_value(&resp).unwrap(), serde_json::from_str::<serde_json::Value>(body).unwrap());
}

// 8. OAuth.

#[test]
fn an_empty_token_is_refused_at_build_time() {
    for token in ["", "  "] {
        let e = Client::builder(token).build().unwrap_err();
        assert_eq!(e, ConfigError::EmptyToken);
        assert!(e.to_string().contains("Client::without_token"), "{e}");
    }
}

#[tokio::test]
async fn the_oauth_exchange_sends_basic_auth_and_no_bearer() {
    let server = MockServer::start().await;
    server.push(Reply::json(
        r#"{"ok":true,"access_token":"xoxb-new","token_type":"bot","team":{"id":"T1","name":"Team"},"enterprise":null,"authed_user":{"id":"U1","access_token":"xoxp-user","token_type":"user"},"incoming_webhook":{"channel":"general","channel_id":"C1","configuration_url":"https://x.slack.com/services/B1","url":"https://hooks.slack.com/services/T1/B1/XYZ"}}"#,
    ));
    let oauth = Client::without_token().base_url(server.base_url()).build().unwrap();
    let request = OauthV2AccessRequest::new().client_id("123.456").client_secret("s3cr3t").code("the-code");
    let debug = format!("{request:?}");
    assert!(!debug.contains("s3cr3t") && !debug.contains("the-code"), "{debug}");
    let access = oauth.call(&request).await.unwrap();
    let got = server.take().remove(0);
    assert_eq!(got.header("authorization"), Some("Basic MTIzLjQ1NjpzM2NyM3Q="));
    assert_eq!(got.body_text(), "code=the-code");
    assert_eq!(access.token_type, Some(OauthV2AccessResponseTokenType::Bot));
    assert_eq!(access.team.as_ref().and_then(|t| t.name.as_deref()), Some("Team"));
    let user = access.authed_user.as_ref().unwrap();
    assert_eq!(user.access_token.as_deref(), Some("xoxp-user"));
    let debug = format!("{access:?} {access:#?}");
    for secret in ["xoxb-new", "xoxp-user", "services/T1/B1/XYZ"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }

    // A client with a token still sends no bearer to the exchange.
    server.push(Reply::json(r#"{"ok":true}"#));
    let c = server.client(TOKEN);
    c.call(&request).await.unwrap();
    let got = server.take().remove(0);
    assert_eq!(got.header("authorization"), Some("Basic MTIzLjQ1NjpzM2NyM3Q="));
}

#[tokio::test]
async fn a_rotating_token_is_refreshed_once_under_concurrency() {
    let server = MockServer::start().await;
    let refreshes = Arc::new(AtomicUsize::new(0));
    let counted = refreshes.clone();
    server.set_handler(move |r: &Recorded| {
        if r.path.ends_with("/oauth.v2.access") {
            let n = counted.fetch_add(1, Ordering::SeqCst) + 1;
            std::thread::sleep(Duration::from_millis(50));
            return Some(Reply::json(&format!(
                r#"{{"ok":true,"access_token":"xoxe.xoxb-new-{n}","refresh_token":"xoxe-1-next-{n}","expires_in":43200,"token_type":"bot"}}"#
            )));
        }
        match r.header("authorization") {
            Some("Bearer xoxe.xoxb-old") => Some(Reply::json(r#"{"ok":false,"error":"token_expired"}"#)),
            Some(h) if h.starts_with("Bearer xoxe.xoxb-new-") => Some(Reply::json(r#"{"ok":true,"ts":"1.2"}"#)),
            _ => Some(Reply::json(r#"{"ok":false,"error":"invalid_auth"}"#)),
        }
    });
    let stored = Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = stored.clone();
    let rotation = TokenRotation::new("123.456", "s3cr3t", "xoxe-1-first")
        .on_refresh(move |t| keep.lock().unwrap().push(format!("{t:?}")));
    let c = Client::without_token().base_url(server.base_url()).token_rotation(rotation.clone()).build().unwrap();
    let calls = (0..20).map(|i| {
        let c = c.clone();
        tokio::spawn(async move { c.call(&ChatPostMessageRequest::new("C1").text(format!("m{i}"))).await })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(refreshes.load(Ordering::SeqCst), 1, "one refresh for 20 concurrent calls");
    assert_eq!(rotation.refreshes(), 1);
    let requests = server.take();
    let refresh = requests.iter().find(|r| r.path.ends_with("/oauth.v2.access")).unwrap();
    assert_eq!(refresh.body_text(), "grant_type=refresh_token&refresh_token=xoxe-1-first");
    assert!(refresh.header("authorization").unwrap().starts_with("Basic "));
    let stored: Vec<String> = stored.lock().unwrap().clone();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains("next-1") && !stored[0].contains("new-1"), "{}", stored[0]);

    // A token Slack calls expired is refreshed, and the call sent once more.
    let c2 = Client::without_token()
        .base_url(server.base_url())
        .token_rotation(
            TokenRotation::new("123.456", "s3cr3t", "xoxe-1-second")
                .access_token("xoxe.xoxb-old", std::time::SystemTime::now() + Duration::from_secs(3600)),
        )
        .build()
        .unwrap();
    c2.call(&ChatPostMessageRequest::new("C1").text("again")).await.unwrap();
    let auth: Vec<String> = server.take().iter().map(|r| r.header("authorization").unwrap_or("").to_owned()).collect();
    assert_eq!(auth.len(), 3, "{auth:?}");
    assert_eq!(auth[0], "Bearer xoxe.xoxb-old");
    assert!(auth[1].starts_with("Basic "));
    assert_eq!(auth[2], "Bearer xoxe.xoxb-new-2");
}

// 9. Rate limiter.

#[tokio::test]
async fn queued_posts_to_one_channel_go_in_order() {
    let server = MockServer::start().await;
    let c = Client::builder(TOKEN)
        .base_url(server.base_url())
        .rate_limiter(RateLimiter::with_rates([6000; 4], 3000))
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..30 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            c.call(&ChatPostMessageRequest::new("C1").text(format!("{i:02}"))).await.unwrap();
        }));
        // Each call asks for its slot before the next one is created.
        tokio::task::yield_now().await;
    }
    for t in tasks {
        t.await.unwrap();
    }
    let texts: Vec<String> = server.take().iter().map(Recorded::body_text).collect();
    let expected: Vec<String> = (0..30).map(|i| format!("channel=C1&text={i:02}")).collect();
    assert_eq!(texts, expected);
}

#[test]
fn idle_channels_are_forgotten() {
    let limiter = RateLimiter::with_rates([6000; 4], 600_000);
    let info = <ChatPostMessageRequest as slack_api::Method>::INFO;
    for i in 0..100_000 {
        let mut args = slack_api::wire::Args::new();
        args.put("channel", &format!("C{i}"));
        limiter.try_acquire(info, &args);
    }
    assert!(limiter.tracked_keys() < 100_000, "swept while growing: {}", limiter.tracked_keys());
    std::thread::sleep(Duration::from_millis(5));
    limiter.evict_idle();
    assert_eq!(limiter.tracked_keys(), 0);
}
