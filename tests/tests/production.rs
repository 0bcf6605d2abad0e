//! What a production client does when Slack says "slow down", when a list spans many pages,
//! when something fails, and what it logs — all against a server on 127.0.0.1.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use slack_api::chat::ChatPostMessageRequest;
use slack_api::stream::TryStreamExt;
use slack_api::users::{UsersListError, UsersListRequest};
use slack_api::{Error, FileToUpload, Method, RateLimiter, RetryPolicy, UploadError};
use slack_api_tests::{MockServer, Recorded, Reply};

const TOKEN: &str = "xoxb-42-4242-topsecrettoken";

fn fast() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(20))
}

fn rate_limited(retry_after: u64) -> Reply {
    Reply::status(429, "application/json", r#"{"ok":false,"error":"ratelimited"}"#).with_header("Retry-After", &retry_after.to_string())
}

#[tokio::test]
async fn http_429_waits_for_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    server.push(rate_limited(1));
    server.push(Reply::json(r#"{"ok":true,"members":[]}"#));
    let start = Instant::now();
    let resp = server.client_with(TOKEN, fast()).call(&UsersListRequest::new()).await.unwrap();
    assert!(resp.ok);
    assert!(start.elapsed() >= Duration::from_secs(1), "waited {:?}, Slack asked for 1 s", start.elapsed());
    assert_eq!(server.take().len(), 2);
}

#[tokio::test]
async fn retries_exhausted_is_rate_limited_with_retry_after() {
    let server = MockServer::start().await;
    server.set_default(rate_limited(0));
    let client = server.client_with(TOKEN, fast().max_attempts(3));
    let err = client.call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { attempts: 3, .. }), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::ZERO));
    assert!(err.is_retryable());
    assert_eq!(server.take().len(), 3);

    // A wait longer than the budget ends the call at once.
    server.set_default(rate_limited(120));
    let err = client.call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { attempts: 1, .. }), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert!(err.to_string().contains("Slack asked to wait 120 s"), "{err}");
    assert_eq!(server.take().len(), 1);
}

#[tokio::test]
async fn a_502_html_page_is_retried_for_reads_but_not_for_posts() {
    let server = MockServer::start().await;
    let page = "<html><body>502 Bad Gateway</body></html>";
    server.push(Reply::status(502, "text/html", page));
    server.push(Reply::json(r#"{"ok":true,"members":[{"id":"U1"}]}"#));
    let client = server.client_with(TOKEN, fast());
    let resp = client.call(&UsersListRequest::new()).await.unwrap();
    assert_eq!(resp.members.unwrap()[0].id.as_ref().unwrap().as_str(), "U1");
    assert_eq!(server.take().len(), 2, "users.list is a read: retried");

    server.push(Reply::status(502, "text/html", page));
    let err = client.call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap_err();
    match &err {
        Error::Http { status: 502, body, .. } => assert_eq!(body, page),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.take().len(), 1, "a post that may have gone through is not sent twice");

    // Opting in re-sends it.
    server.push(Reply::status(502, "text/html", page));
    let client = server.client_with(TOKEN, fast().retry_non_idempotent(true));
    client.call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap();
    assert_eq!(server.take().len(), 2);
}

#[tokio::test]
async fn service_unavailable_is_retried_for_any_method() {
    let server = MockServer::start().await;
    server.push(Reply::json(r#"{"ok":false,"error":"service_unavailable"}"#));
    server.push(Reply::status(503, "text/plain", "busy"));
    server.push(Reply::json(r#"{"ok":true,"ts":"1.2"}"#));
    let resp = server.client_with(TOKEN, fast()).call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap();
    assert_eq!(resp.ts.unwrap().as_str(), "1.2");
    assert_eq!(server.take().len(), 3);
}

#[tokio::test]
async fn retries_give_up_after_max_attempts() {
    let server = MockServer::start().await;
    server.set_default(Reply::status(500, "text/plain", "boom"));
    let err = server.client_with(TOKEN, fast().max_attempts(3)).call(&UsersListRequest::new()).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 500, .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(server.take().len(), 3);
    let err = server.client_with(TOKEN, RetryPolicy::none()).call(&UsersListRequest::new()).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 500, .. }));
    assert_eq!(server.take().len(), 1, "RetryPolicy::none sends once");
}

#[tokio::test]
async fn empty_and_truncated_bodies_are_errors() {
    let server = MockServer::start().await;
    let client = server.client_with(TOKEN, RetryPolicy::none());
    server.push(Reply::json(""));
    let err = client.call(&UsersListRequest::new()).await.unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
    server.push(Reply::Truncated { status: 200, body: br#"{"ok":true,"mem"#.to_vec(), promised: 1000 });
    let err = client.call(&UsersListRequest::new()).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_) | Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn a_connection_reset_is_retried_only_where_safe() {
    let server = MockServer::start().await;
    let client = server.client_with(TOKEN, fast());
    server.push(Reply::Hangup);
    server.push(Reply::json(r#"{"ok":true}"#));
    client.call(&UsersListRequest::new()).await.unwrap();
    assert_eq!(server.take().len(), 2);

    server.push(Reply::Hangup);
    let err = client.call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(server.take().len(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = slack_api::Client::builder(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}/api/"))
        .retry_policy(fast().max_attempts(3))
        .build()
        .unwrap();
    let err = client.call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap_err();
    match &err {
        Error::Transport(e) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
    assert!(!format!("{err} {err:?}").contains("topsecret"));
}

#[tokio::test]
async fn timeouts_are_their_own_error() {
    let server = MockServer::start().await;
    server.set_handler(|_: &Recorded| Some(Reply::Delay(Duration::from_millis(400))));
    let client = slack_api::Client::builder(TOKEN)
        .base_url(server.base_url())
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { kind: slack_api::TimeoutKind::Attempt, .. }), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn argument_groups_are_checked_before_sending() {
    let server = MockServer::start().await;
    let client = server.client(TOKEN);
    let both = ChatPostMessageRequest::new("C1").text("a").markdown_text("*a*");
    let err = client.call(&both).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid request, not sent: chat.postMessage: only one of `text`, `markdown_text` may be set, but text and markdown_text are"
    );
    let none = ChatPostMessageRequest::new("C1");
    let err = client.call(&none).await.unwrap_err();
    assert!(err.to_string().contains("one of `attachments`, `blocks`, `text`, `markdown_text` is required"), "{err}");
    assert!(!err.is_retryable());
    assert!(server.take().is_empty(), "nothing was sent");
}

/// A server that pages `users.list` over `pages` pages of `per_page` members, recording the
/// cursors it was sent.
fn paging_server(server: &MockServer, pages: usize, per_page: usize) -> Arc<Mutex<Vec<Option<String>>>> {
    let cursors: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let seen = cursors.clone();
    server.set_handler(move |r: &Recorded| {
        // users.list is a GET: its arguments travel in the query string.
        let form: Vec<(String, String)> = url_pairs(r.query.as_deref().unwrap_or(""));
        let cursor = form.iter().find(|(k, _)| k == "cursor").map(|(_, v)| v.clone());
        seen.lock().unwrap().push(cursor.clone());
        let page: usize = cursor.as_deref().map_or(0, |c| c.trim_start_matches("page-").parse().unwrap());
        let members: Vec<String> =
            (0..per_page).map(|i| format!(r#"{{"id":"U{:06}","name":"user{}"}}"#, page * per_page + i, page * per_page + i)).collect();
        let next = if page + 1 < pages { format!("page-{}", page + 1) } else { String::new() };
        Some(Reply::json(&format!(
            r#"{{"ok":true,"members":[{}],"response_metadata":{{"next_cursor":"{next}"}}}}"#,
            members.join(",")
        )))
    });
    cursors
}

fn url_pairs(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.replace('+', " ")))
        .collect()
}

#[tokio::test]
async fn pagination_follows_next_cursor_until_it_is_empty() {
    let server = MockServer::start().await;
    let cursors = paging_server(&server, 4, 3);
    let client = server.client(TOKEN);
    let pages: Vec<_> = client.pages(UsersListRequest::new().limit(3)).try_collect().await.unwrap();
    assert_eq!(pages.len(), 4);
    assert_eq!(
        *cursors.lock().unwrap(),
        [None, Some("page-1".to_owned()), Some("page-2".to_owned()), Some("page-3".to_owned())]
    );
    for got in server.take() {
        assert!(got.query.unwrap().contains("limit=3"), "every page keeps the other arguments");
    }

    cursors.lock().unwrap().clear();
    let ids: Vec<String> = client
        .items(UsersListRequest::new().limit(3))
        .map_ok(|m| m.into_fields().id.unwrap().into_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids.len(), 12);
    assert_eq!(ids.first().unwrap(), "U000000");
    assert_eq!(ids.last().unwrap(), "U000011");
}

#[tokio::test]
async fn pagination_stops_on_an_error_and_on_a_repeated_cursor() {
    let server = MockServer::start().await;
    server.push(Reply::json(r#"{"ok":true,"members":[],"response_metadata":{"next_cursor":"c1"}}"#));
    server.push(Reply::json(r#"{"ok":false,"error":"invalid_cursor"}"#));
    let client = server.client(TOKEN);
    let mut pages = std::pin::pin!(client.pages(UsersListRequest::new()));
    assert!(pages.try_next().await.unwrap().is_some());
    let err = pages.try_next().await.unwrap_err();
    assert_eq!(err.api_error(), Some(&UsersListError::InvalidCursor));
    server.take();

    server.set_default(Reply::json(r#"{"ok":true,"members":[],"response_metadata":{"next_cursor":"same"}}"#));
    let result: Result<Vec<_>, _> = client.pages(UsersListRequest::new()).try_collect().await;
    let err = result.unwrap_err();
    assert!(matches!(&err, Error::CursorRepeated { cursor, pages: 2 } if cursor == "same"), "{err:?}");
    assert!(err.to_string().contains("the cursor \"same\", which this stream had already followed"), "{err}");
    assert_eq!(server.take().len(), 2);
}

#[tokio::test]
async fn the_upload_flow_end_to_end() {
    let server = MockServer::start().await;
    let upload_url = server.base_url().replace("/api/", "/upload/v1/abc123");
    let url_for_handler = upload_url.clone();
    server.set_handler(move |r: &Recorded| match r.path.as_str() {
        "/api/files.getUploadURLExternal" => Some(Reply::json(&format!(
            r#"{{"ok":true,"upload_url":"{url_for_handler}","file_id":"F0123"}}"#
        ))),
        "/upload/v1/abc123" => Some(Reply::status(200, "text/plain", "OK - 11")),
        "/api/files.completeUploadExternal" => {
            Some(Reply::json(r#"{"ok":true,"files":[{"id":"F0123","title":"Report"}]}"#))
        }
        _ => None,
    });
    let dir = std::env::temp_dir().join(format!("slack-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.txt");
    let contents: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
    std::fs::write(&path, &contents).unwrap();

    let file = FileToUpload::path(&path).title("Report").channel_id("C0123").initial_comment("weekly numbers");
    let uploaded = server.client(TOKEN).upload_file(file).await.unwrap();
    assert_eq!(uploaded.id, "F0123");
    assert_eq!(uploaded.file["title"], "Report");

    let got = server.take();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].path, "/api/files.getUploadURLExternal");
    assert_eq!(got[0].body_text(), "length=800000&filename=report.txt");
    assert_eq!(got[1].path, "/upload/v1/abc123");
    assert_eq!(got[1].header("authorization"), None, "the token never goes to the upload URL");
    assert_eq!(got[1].header("content-length"), Some("800000"));
    assert!(got[1].body == contents, "the uploaded bytes are the file's");
    assert_eq!(got[2].path, "/api/files.completeUploadExternal");
    assert_eq!(
        got[2].body_text(),
        "files=%5B%7B%22id%22%3A%22F0123%22%2C%22title%22%3A%22Report%22%7D%5D&channel_id=C0123&initial_comment=weekly+numbers"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn upload_errors_name_the_step() {
    let server = MockServer::start().await;
    server.set_handler(|r: &Recorded| match r.path.as_str() {
        "/api/files.getUploadURLExternal" => {
            Some(Reply::json(r#"{"ok":true,"upload_url":"http://files.example.com/up","file_id":"F1"}"#))
        }
        _ => None,
    });
    let err = server.client(TOKEN).upload_file(FileToUpload::bytes("a.txt", &b"abc"[..])).await.unwrap_err();
    assert!(matches!(&err, UploadError::BadUploadUrl(why) if why.contains("refusing to upload over http")), "{err}");

    let err = server.client(TOKEN).upload_file(FileToUpload::path("/no/such/file")).await.unwrap_err();
    assert!(matches!(err, UploadError::Io(_)), "{err}");
}

#[test]
fn the_rate_limiter_paces_per_tier_and_per_channel() {
    use slack_api::wire::Args;
    let limiter = RateLimiter::with_rates([1, 20, 50, 100], 60);
    let post = <ChatPostMessageRequest as Method>::INFO;
    let to = |channel: &str| {
        let mut a = Args::new();
        a.put("channel", channel);
        limiter.try_acquire(post, &a)
    };
    assert_eq!(to("C1"), Duration::ZERO);
    let wait = to("C1");
    assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1), "{wait:?}");
    assert_eq!(to("C2"), Duration::ZERO, "another channel has its own second");

    // users.list is Tier 2: a burst of 20, then one every 3 s.
    let list = <UsersListRequest as Method>::INFO;
    let args = Args::new();
    for i in 0..20 {
        assert_eq!(limiter.try_acquire(list, &args), Duration::ZERO, "call {i} of the burst");
    }
    let wait = limiter.try_acquire(list, &args);
    assert!(wait > Duration::from_millis(2500) && wait <= Duration::from_secs(3), "{wait:?}");
}

#[tokio::test]
async fn a_client_with_a_limiter_waits_instead_of_being_throttled() {
    let server = MockServer::start().await;
    let client = slack_api::Client::builder(TOKEN)
        .base_url(server.base_url())
        .rate_limiter(RateLimiter::with_rates([1, 20, 50, 100], 600))
        .build()
        .unwrap();
    let start = Instant::now();
    for _ in 0..3 {
        client.call(&ChatPostMessageRequest::new("C1").text("hi")).await.unwrap();
    }
    // 600 a minute per channel: one every 100 ms after the first.
    assert!(start.elapsed() >= Duration::from_millis(200), "{:?}", start.elapsed());
    assert_eq!(server.take().len(), 3);
}
