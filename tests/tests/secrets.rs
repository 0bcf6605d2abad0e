//! No credential reaches `Debug`, `Display`, error snippets or logs. Walks every method of the
//! spec: each request with secret arguments is built with every one of them set to a marker,
//! and each answer with its secret fields (at any depth) set to the marker is decoded, broken
//! and turned into errors; the marker must show nowhere but on the wire and in the value
//! itself (which proves it was set).

use slack_api_tests::dispatch::{Decoded, METHODS, decode_by_name, secret_request};
use slack_api_tests::{LogCapture, MockServer, Reply};

const MARKER: &str = "SECRET-MARKER-7f3a";

#[tokio::test]
async fn secret_arguments_never_show_in_debug_or_logs() {
    let server = MockServer::start().await;
    // The server echoes the secrets back, in the answer and in an error.
    server.set_handler(|r| {
        Some(if r.body_text().len() % 2 == 0 {
            Reply::json(&format!(r#"{{"ok":true,"access_token":"{MARKER}","refresh_token":"{MARKER}"}}"#))
        } else {
            Reply::json(&format!(r#"{{"ok":false,"error":"invalid_code","client_secret":"{MARKER}"}}"#))
        })
    });
    let logs = LogCapture::default();
    let _guard = tracing::subscriber::set_default(logs.clone());
    let client = server.client("xoxb-test");
    let mut checked = Vec::new();
    for (method, ..) in METHODS {
        let Some(req) = secret_request(method, MARKER, client.clone()) else { continue };
        assert!(req.form.contains(MARKER), "{method}: the marker was not set: {}", req.form);
        for (what, text) in [("Debug", &req.debug), ("Args Debug", &req.args_debug)] {
            assert!(!text.contains(MARKER), "{method}: {what} shows a secret: {text}");
        }
        assert!(req.debug.contains("<redacted>"), "{method}: {}", req.debug);
        let outcome = req.call.await;
        assert!(!outcome.contains(MARKER), "{method}: the call's outcome shows a secret: {outcome}");
        checked.push(*method);
    }
    let logged = logs.text();
    assert!(!logged.contains(MARKER), "logs show a secret: {logged}");
    assert!(!logged.contains("xoxb-test"), "logs show the token");
    for m in ["oauth.v2.access", "oauth.access", "oauth.v2.user.access", "openid.connect.token", "apps.uninstall", "tooling.tokens.rotate"] {
        assert!(checked.contains(&m), "{m} has no secret argument in the spec");
    }
    eprintln!("{} methods with secret arguments checked", checked.len());
}

#[test]
fn secret_fields_of_answers_never_show_in_debug_or_errors() {
    let mut checked = 0;
    for (method, typed, _, template) in METHODS {
        if *template == "{}" {
            continue;
        }
        assert!(typed, "{method}: a secret field on an untyped response");
        let mut answer: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&template.replace("MARKER", MARKER)).unwrap();
        answer.insert("ok".into(), true.into());
        // A secret the spec does not know, kept in `extra`, is redacted too.
        answer.insert("bot_access_token".into(), format!("xoxb-{MARKER}").into());
        let body = serde_json::to_string(&answer).unwrap();
        match decode_by_name(method, 200, body.as_bytes()).unwrap() {
            Decoded::Ok { json, debug } => {
                assert!(!debug.contains(MARKER), "{method}: Debug shows a secret: {debug}");
                assert!(json.to_string().contains(MARKER), "{method}: the secret was not kept");
            }
            other => panic!("{method}: {other:?}"),
        }
        // Every cut of the answer: a body that does not decode keeps only a scrubbed snippet.
        for cut in 1..body.len() {
            match decode_by_name(method, 200, &body.as_bytes()[..cut]).unwrap() {
                Decoded::Snippet { text, snippet, .. } => {
                    assert!(!text.contains(MARKER) && !snippet.contains(MARKER), "{method}, cut at {cut}: {text}");
                }
                other => panic!("{method}, cut at {cut}: {other:?}"),
            }
        }
        // An error answer carrying the same fields.
        answer.insert("ok".into(), false.into());
        answer.insert("error".into(), "invalid_code".into());
        let body = serde_json::to_string(&answer).unwrap();
        match decode_by_name(method, 200, body.as_bytes()).unwrap() {
            Decoded::Api { text, .. } => assert!(!text.contains(MARKER), "{method}: the error shows a secret: {text}"),
            other => panic!("{method}: {other:?}"),
        }
        checked += 1;
    }
    for m in ["oauth.v2.access", "oauth.v2.exchange", "openid.connect.token", "apps.connections.open", "apps.manifest.create"] {
        let template = METHODS.iter().find(|x| x.0 == m).unwrap().3;
        assert_ne!(template, "{}", "{m} has no secret response field in the spec");
    }
    eprintln!("{checked} methods with secret response fields checked");
}
