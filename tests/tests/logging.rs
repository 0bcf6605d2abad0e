//! What the client logs: a `tracing` span per call with method, tier, attempt and outcome, and
//! never the token or an argument's value. In a test binary of its own: `tracing` caches which
//! callsites are enabled process-wide, so a subscriber scoped to one test thread can miss events
//! when other tests run the same code on other threads first.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use slack_api::RetryPolicy;
use slack_api::chat::ChatPostMessageRequest;
use slack_api_tests::{LogCapture, MockServer, Reply};

const TOKEN: &str = "xoxb-42-4242-topsecrettoken";

fn fast() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(20))
}

#[test]
fn logs_carry_method_tier_attempt_and_outcome_but_never_the_token_or_text() {
    let capture = LogCapture::default();
    let calls = Arc::new(AtomicUsize::new(0));
    tracing::subscriber::with_default(capture.clone(), || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let server = MockServer::start().await;
            let n = calls.clone();
            server.set_handler(move |_| {
                Some(match n.fetch_add(1, Ordering::Relaxed) {
                    0 => Reply::status(503, "text/plain", "busy"),
                    1 => Reply::json(r#"{"ok":true,"warning":"superfluous_charset"}"#),
                    _ => Reply::json(r#"{"ok":false,"error":"channel_not_found"}"#),
                })
            });
            let client = server.client_with(TOKEN, fast());
            let secret_text = "the quarterly numbers are confidential";
            client.call(&ChatPostMessageRequest::new("C1").text(secret_text)).await.unwrap();
            let err = client.call(&ChatPostMessageRequest::new("C1").text(secret_text)).await.unwrap_err();
            assert_eq!(err.code(), Some("channel_not_found"));
            // Every Debug and Display on the way out is clean too.
            let shown = format!("{client:?} {err} {err:?}");
            assert!(!shown.contains("topsecret") && !shown.contains(secret_text), "{shown}");
        });
    });
    let log = capture.text();
    assert!(log.contains("slack_api.call method=chat.postMessage tier=Special"), "{log}");
    assert!(log.contains("attempt=2"), "{log}");
    assert!(log.contains("outcome=ok"), "{log}");
    assert!(log.contains("outcome=api_error:channel_not_found"), "{log}");
    assert!(log.contains("failure=http_503") && log.contains("retrying"), "{log}");
    assert!(log.contains("warnings=superfluous_charset"), "{log}");
    assert!(!log.contains("topsecret") && !log.contains("xoxb-42"), "the token leaked into the logs:\n{log}");
    assert!(!log.contains("quarterly numbers"), "message text leaked into the logs:\n{log}");
}
