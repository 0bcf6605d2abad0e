//! The generator's golden output for `tests/golden/spec` (compared with the generator in
//! `codegen/tests/golden.rs`) is compiled into this crate's library
//! (`slack_api_tests::golden_fixture`); the tests below call it over HTTP.

use slack_api::Error;
use slack_api_tests::golden_fixture::*;
use slack_api_tests::{CommonError, MethodError, MockServer, Reply};

#[tokio::test]
async fn every_argument_kind_is_encoded_as_slack_expects() {
    let server = MockServer::start().await;
    let client = server.client("xoxb-golden");
    let req = FixtureEverythingRequest::new("C1", "in_channel", ["U1", "U2"])
        .as_user(true)
        .limit(100)
        .ratio(0.5)
        .thread_ts("1503435956.000247")
        .blocks(serde_json::json!([{"type": "divider"}]))
        .team_ids(["T1", "T2"])
        .kinds([FixtureEverythingKinds::Im, FixtureEverythingKinds::from("call")])
        .type_("x");
    assert_eq!(req.mode, FixtureEverythingMode::InChannel);
    assert_eq!(FixtureEverythingMode::from("2fa"), FixtureEverythingMode::V2fa);
    client.call(&req).await.unwrap();
    let got = server.take().remove(0);
    assert_eq!(got.method, "POST");
    assert_eq!(got.path, "/api/fixture.everything");
    assert_eq!(
        got.body_text(),
        "channel=C1&mode=in_channel&user_ids=U1%2CU2&as_user=true&limit=100&ratio=0.5\
         &thread_ts=1503435956.000247&blocks=%5B%7B%22type%22%3A%22divider%22%7D%5D\
         &team_ids=%5B%22T1%22%2C%22T2%22%5D&kinds=im%2Ccall&type=x"
    );
}

#[tokio::test]
async fn get_methods_send_arguments_in_the_query_and_no_body() {
    let server = MockServer::start().await;
    #[allow(deprecated)]
    let req = FixturePlainRequest::new();
    server.client("xoxb-golden").call(&req).await.unwrap();
    let got = server.take().remove(0);
    assert_eq!((got.method.as_str(), got.path.as_str(), got.query.as_deref()), ("GET", "/api/fixture.plain", None));
    assert!(got.body.is_empty());
}

#[tokio::test]
async fn method_wording_of_a_common_code_wins() {
    let server = MockServer::start().await;
    server.push(Reply::json(r#"{"ok":false,"error":"invalid_auth"}"#));
    server.push(Reply::json(r#"{"ok":false,"error":"not_authed"}"#));
    let client = server.client("xoxb-golden");
    let req = FixtureEverythingRequest::new("C1", FixtureEverythingMode::Fast, ["U1"]);
    let Err(Error::Api(e)) = client.call(&req).await else { panic!("expected an API error") };
    assert_eq!(e.error, FixtureEverythingError::InvalidAuth);
    assert_eq!(e.error.description(), Some("This method's own wording for a common code."));
    let Err(Error::Api(e)) = client.call(&req).await else { panic!("expected an API error") };
    assert_eq!(e.error, FixtureEverythingError::Common(CommonError::NotAuthed));
    assert_eq!(e.error.code(), "not_authed");
}

mod block_kit {
    use serde_json::json;
    use slack_api_tests::block_kit::*;

    #[test]
    fn golden_block_kit_types_decode_validate_and_encode() {
        let value = json!({
            "type": "actions",
            "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": "Go"}, "style": "primary", "action_id": "go"},
                {"type": "file_input", "max_files": 11},
                {"type": "rocket"}
            ],
            "texts": [{"type": "mrkdwn", "text": "ok"}],
            "grid": [[{"type": "mrkdwn", "text": "a"}, null], []],
            "day": "2026-02-30",
            "shiny": true
        });
        let block: Block = serde_json::from_value(value.clone()).unwrap();
        let Block::Actions(a) = &block else { panic!("{block:?}") };
        assert!(matches!(&a.elements[0], ActionsElement::Button(b) if b.style == Some(ButtonElementStyle::Primary)));
        assert_eq!(a.elements[2].kind(), Some("rocket"));
        assert_eq!(a.grid.as_ref().unwrap()[0][1], None);
        assert_eq!(a.extra["shiny"], json!(true));
        assert_eq!(serde_json::to_value(&block).unwrap(), value);
        assert_eq!(block.surfaces(), &[Surface::Message, Surface::Home]);

        let mut v = Validator::new();
        v.value("block", &block);
        let got: Vec<String> = v.violations().iter().map(ToString::to_string).collect();
        assert_eq!(got, ["block.elements[1].max_files: 11, at most 10"], "the date is well-formed (the day is not checked against the month)");
        assert_eq!(limits::ACTIONS_BLOCK_ELEMENTS_MAX_ITEMS, 25);

        let built = ActionsBlock::new([ButtonElement::new("x".repeat(76))]).texts([Text::from(Mrkdwn::new(""))]).day("26-1-1");
        let errs = built.validate().unwrap_err().to_string();
        assert_eq!(
            errs,
            "elements[0].text.text: 76 characters, at most 75; texts[0].text: 0 characters, at least 1; \
             day: `26-1-1` is not a date (YYYY-MM-DD)"
        );
    }
}
