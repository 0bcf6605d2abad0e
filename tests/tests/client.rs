//! The runtime against a server on 127.0.0.1: malformed and unexpected answers become typed
//! errors carrying the status and a body snippet (never a panic), the token stays out of URLs and
//! `Debug` output, plain http is refused except to loopback, and file arguments go multipart.

use slack_api::admin::AdminUsersListRequest;
use slack_api::users::UsersSetPhotoRequest;
use slack_api::{Client, ConfigError, Error, FileUpload, MethodError};
use slack_api_tests::{MockServer, Reply};

const TOKEN: &str = "xoxb-111-222-secretsecret";

/// One answer, decoded by a client that does not retry (retries are tested in production.rs).
async fn call_with(reply: Reply) -> Error<slack_api::admin::AdminUsersListError> {
    let server = MockServer::start().await;
    server.push(reply);
    let client = server.client_with(TOKEN, slack_api::RetryPolicy::none());
    client.call(&AdminUsersListRequest::new()).await.expect_err("the call fails")
}

#[tokio::test]
async fn an_html_error_page_is_an_http_error_with_a_snippet() {
    let page = format!("<html><body><h1>502 Bad Gateway</h1>{}</body></html>", "x".repeat(2000));
    match call_with(Reply::status(502, "text/html", &page)).await {
        Error::Http { status, body, .. } => {
            assert_eq!(status, 502);
            assert!(body.starts_with("<html><body><h1>502 Bad Gateway</h1>"));
            assert_eq!(body.len(), slack_api::SNIPPET_LEN);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_slack_error_body_with_an_error_status_is_still_the_typed_error() {
    let err = call_with(Reply::status(500, "application/json", r#"{"ok":false,"error":"internal_error"}"#)).await;
    let Error::Api(e) = err else { panic!("{err:?}") };
    assert_eq!((e.status, e.error.code()), (500, "internal_error"));
}

#[tokio::test]
async fn bodies_that_are_not_the_expected_json_are_decode_errors() {
    for (body, says) in [
        ("not json at all", "expected ident"),
        ("", "EOF while parsing"),
        (r#"{"ok":true"#, "EOF while parsing"),
        (r#"{"users":[]}"#, "the response has no `ok` field"),
        (r#"{"ok":false}"#, "`ok` is false but there is no `error` code"),
        (r#"{"ok":false,"error":""}"#, "`ok` is false but `error` is empty"),
        (r#"{"ok":"yes"}"#, "`ok` is not a boolean"),
        (r#"[1,2,3]"#, "not a JSON object"),
    ] {
        match call_with(Reply::json(body)).await {
            Error::Decode { status, message, body: snippet } => {
                assert_eq!(status, 200);
                assert!(message.contains(says), "{body:?}: {message}");
                assert_eq!(snippet, body);
            }
            other => panic!("{body:?}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_truncated_body_is_an_error_not_a_panic() {
    let reply = Reply::Truncated { status: 200, body: br#"{"ok":true,"users":[{"id":"U1"#.to_vec(), promised: 500 };
    match call_with(reply).await {
        Error::Transport(_) | Error::Decode { .. } => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error() {
    let err = call_with(Reply::Hangup).await;
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("secretsecret"));
}

#[tokio::test]
async fn api_errors_keep_every_field() {
    let body = r#"{"ok":false,"error":"missing_scope","needed":"admin.users:read","provided":"admin","warning":"superfluous_charset","response_metadata":{"warnings":["superfluous_charset"]},"extra":{"k":1}}"#;
    let err = call_with(Reply::json(body)).await;
    assert_eq!(err.status(), Some(200));
    assert_eq!(err.code(), Some("missing_scope"));
    let shown = err.to_string();
    assert!(shown.contains("needed scope: admin.users:read; token has: admin"), "{shown}");
    let Error::Api(e) = err else { panic!() };
    assert_eq!(e.warning.as_deref(), Some("superfluous_charset"));
    assert_eq!(e.response_metadata.unwrap().warnings.unwrap(), ["superfluous_charset"]);
    assert_eq!(e.fields["extra"]["k"], 1);
}

#[tokio::test]
async fn the_token_is_only_in_the_authorization_header() {
    let server = MockServer::start().await;
    let client = server.client(TOKEN);
    client.call(&AdminUsersListRequest::new().cursor("c1")).await.unwrap();
    let got = server.take().remove(0);
    assert_eq!(got.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    let elsewhere = format!("{} {:?} {}", got.path, got.query, got.body_text());
    assert!(!elsewhere.contains(TOKEN), "{elsewhere}");
    let debug = format!("{client:?}");
    assert!(!debug.contains("secretsecret") && debug.contains("xoxb-<redacted>"), "{debug}");
    assert_eq!(format!("{:?}", slack_api::Token::new("no-prefix-secret")), "Token(<redacted>)");
}

#[test]
fn plain_http_is_refused_except_to_loopback() {
    let build = |url: &str| Client::builder(TOKEN).base_url(url).build().map(|_| ());
    assert_eq!(build("http://slack.example.com/api/"), Err(ConfigError::InsecureBaseUrl { url: "http://slack.example.com/api/".into() }));
    assert!(build("http://127.0.0.1:9/api/").is_ok());
    assert!(build("http://[::1]:9/api").is_ok());
    assert!(build("http://localhost:9/api").is_ok());
    assert!(build("https://slack.example.com/api").is_ok());
    assert!(matches!(build("ftp://x/"), Err(ConfigError::InvalidBaseUrl { .. })));
    assert!(matches!(build("not a url"), Err(ConfigError::InvalidBaseUrl { .. })));
    assert_eq!(Client::builder("bad\ntoken").build().map(|_| ()), Err(ConfigError::InvalidToken));
    assert_eq!(Client::new(TOKEN).unwrap().base_url(), "https://slack.com/api/");
}

#[tokio::test]
async fn file_arguments_are_sent_as_multipart() {
    let server = MockServer::start().await;
    let photo = FileUpload::new("me.png", &b"\x89PNG fake image bytes"[..]).content_type("image/png");
    let req = UsersSetPhotoRequest::new().crop_x("10").image(photo);
    server.client(TOKEN).call(&req).await.unwrap();
    let got = server.take().remove(0);
    assert_eq!(got.path, "/api/users.setPhoto");
    let ct = got.header("content-type").unwrap();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    let body = got.body_text();
    assert!(body.contains("Content-Disposition: form-data; name=\"crop_x\"\r\n\r\n10\r\n"), "{body}");
    assert!(body.contains("name=\"image\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n\u{fffd}PNG fake image bytes"), "{body}");
}
