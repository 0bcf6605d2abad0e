//! Slack's sending side of the fake: signatures, typed acks, Socket Mode connections,
//! `response_url`s and the OAuth install.

use serde_json::json;
use slack_api::app::{Ack, App, Cx};
use slack_api::block_kit::{ModalView, OptionGroup, OptionObject, SectionBlock};
use slack_api::events::{AppMentionEvent, BlockSuggestion, ResponseMessage, SlashCommand, ViewSubmission};
use slack_api::install::{InstallFlow, InstallationKey, InstallationStore, MemoryStore};
use slack_api_testkit::payloads::{BOT_USER_ID, TEAM_ID};
use slack_api_testkit::{Consent, FakeSlack, parse_ack};

const SECRET: &str = "test-signing-secret";

#[test]
fn every_reply_reads_back_as_the_ack_it_was() {
    let view = ModalView::new("Next", [SectionBlock::new().text("step 2")]);
    let acks = [
        Ack::errors([("title", "A title is needed")]),
        Ack::Update(Box::new(view.clone().into())),
        Ack::Push(Box::new(view.into())),
        Ack::Clear,
        Ack::options([OptionObject::new("Ada", "ada")]),
        Ack::OptionGroups(vec![OptionGroup::new("People", [OptionObject::new("Ada", "ada")])]),
        Ack::ephemeral("only you"),
        Ack::Message(ResponseMessage::in_channel("everyone")),
    ];
    for ack in acks {
        let body = ack.to_json().to_string();
        assert_eq!(parse_ack(&body).unwrap(), Some(ack), "{body}");
    }
    assert_eq!(parse_ack("").unwrap(), None);
    assert!(parse_ack(r#"{"response_action":"explode"}"#).unwrap_err().contains("explode"));
    assert!(parse_ack("[1]").is_err());
}

#[tokio::test]
async fn forged_and_stale_requests_are_refused_before_any_listener() {
    let slack = FakeSlack::start().await;
    let mut app = App::new(slack.client("xoxb-fake-bot"));
    let heard = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let h = heard.clone();
    app.command("/todo", move |_: SlashCommand, cx: Cx| {
        h.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async move {
            cx.ack();
            Ok(())
        }
    });
    let served = slack.serve_http(&app, SECRET).await;
    let body = slack.slash_command("/todo", "x").to_form();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let forged = served
        .post_raw("application/x-www-form-urlencoded", &body, &[("x-slack-request-timestamp", now.to_string()), ("x-slack-signature", format!("v0={}", "0".repeat(64)))])
        .await
        .unwrap();
    assert_eq!(forged.status, 401, "{forged:?}");
    let verifier = slack_api::events::Verifier::new(SECRET);
    let stale = now - 600;
    let sig = verifier.sign(stale as i64, body.as_bytes());
    let late = served.post_raw("application/x-www-form-urlencoded", &body, &[("x-slack-request-timestamp", stale.to_string()), ("x-slack-signature", sig)]).await.unwrap();
    assert_eq!(late.status, 401, "{late:?}");
    assert_eq!(heard.load(std::sync::atomic::Ordering::SeqCst), 0);
    // The same command, signed by the fake, is heard.
    assert!(served.send(slack.slash_command("/todo", "x")).await.unwrap().is_empty());
    assert_eq!(heard.load(std::sync::atomic::Ordering::SeqCst), 1);
}

fn replying_app(slack: &FakeSlack) -> App {
    let mut app = App::new(slack.client("xoxb-fake-bot"));
    app.command("/weather", |cmd: SlashCommand, cx: Cx| async move {
        cx.ack_with(Ack::in_channel(format!("Sunny in {}", cmd.text)))?;
        Ok(())
    });
    app.options("city", |_: BlockSuggestion, cx: Cx| async move {
        cx.ack_with(Ack::OptionGroups(vec![OptionGroup::new("Europe", [OptionObject::new("Paris", "paris")])]))?;
        Ok(())
    });
    app.view_submission("wizard", |_: ViewSubmission, cx: Cx| async move {
        cx.ack_with(Ack::Push(Box::new(ModalView::new("Step 2", [SectionBlock::new().text("more")]).into())))?;
        Ok(())
    });
    app.event(|_: AppMentionEvent, cx: Cx| async move {
        cx.say("hello").await?;
        Ok(())
    });
    app
}

#[tokio::test]
async fn replies_come_back_typed_over_both_transports() {
    let slack = FakeSlack::start().await;
    let over_http = slack.serve_http(&replying_app(&slack), SECRET).await;
    let over_socket = slack.run_socket_mode(&replying_app(&slack)).await;
    for app in [&over_http, &over_socket] {
        let weather = app.send(slack.slash_command("/weather", "Lyon")).await.unwrap();
        assert_eq!(weather.ack, Some(Ack::in_channel("Sunny in Lyon")), "{app:?}");
        let groups = app.send(slack.block_suggestion("city", "pa")).await.unwrap();
        assert!(matches!(&groups.ack, Some(Ack::OptionGroups(g)) if g.len() == 1), "{groups:?}");
        let pushed = app.send(slack.view_submission("wizard", [])).await.unwrap();
        assert!(matches!(&pushed.ack, Some(Ack::Push(_))), "{pushed:?}");
        assert!(app.send(slack.app_mention("hi")).await.unwrap().is_empty());
    }
    assert_eq!(slack.wait_for_calls("chat.postMessage", 2).await.len(), 2);
}

#[tokio::test]
async fn socket_mode_connections_can_be_refreshed_and_dropped() {
    let slack = FakeSlack::start().await;
    let app = slack.run_socket_mode(&replying_app(&slack)).await;
    assert_eq!(slack.socket_opens(), 1);
    app.reconnect(&slack, true).await; // the network drops the connection
    assert_eq!(slack.socket_opens(), 2);
    app.reconnect(&slack, false).await; // Slack asks for a refresh
    assert_eq!(slack.socket_opens(), 3);
    let weather = app.send(slack.slash_command("/weather", "Oslo")).await.unwrap();
    assert_eq!(weather.ack, Some(Ack::in_channel("Sunny in Oslo")));
    // Raw frames are scriptable too: a malformed frame does not stop the app.
    let conn = app.socket().unwrap();
    conn.lock().await.send_text("{not json").await.unwrap();
    let weather = app.send(slack.slash_command("/weather", "Rome")).await.unwrap();
    assert_eq!(weather.ack, Some(Ack::in_channel("Sunny in Rome")));
}

#[tokio::test]
async fn response_urls_record_and_check_what_the_app_posts() {
    let slack = FakeSlack::start().await;
    let url = slack.next_response_url();
    let responder = slack_api::events::Responder::new();
    for n in 0..slack_api_testkit::RESPONSE_URL_USES {
        responder.send(&url, &ResponseMessage::ephemeral(format!("update {n}"))).await.unwrap();
    }
    let sixth = responder.send(&url, &ResponseMessage::ephemeral("one too many")).await.unwrap_err();
    assert!(sixth.to_string().contains("used_url"), "{sixth}");
    let other = slack.next_response_url();
    let bad = ResponseMessage::in_channel("x").field("blocks", json!([{ "type": "section" }]));
    let refused = responder.send(&other, &bad).await.unwrap_err();
    assert!(refused.to_string().contains("invalid_blocks"), "{refused}");
    let got = slack.responses();
    assert_eq!(got.len(), slack_api_testkit::RESPONSE_URL_USES);
    assert_eq!(got[4].text(), Some("update 4"));
    assert_eq!(got[0].response_type(), "ephemeral");
}

#[tokio::test]
async fn an_install_walks_the_authorize_page_and_stores_the_tokens() {
    let slack = FakeSlack::start().await;
    slack.oauth_client("111.222", "client-secret");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let store = MemoryStore::new();
    let flow = InstallFlow::new("111.222", "client-secret", store.clone())
        .bot_scopes(["chat:write", "commands"])
        .authorize_url(slack.authorize_url())
        .redirect_uri(format!("{origin}/slack/oauth_redirect"))
        .secure_cookie(false);
    let mut app = App::new(slack_api::Client::without_token().base_url(slack.base_url()).build().unwrap());
    app.oauth(flow);
    let _served = slack.serve_http_on(listener, &app, SECRET);

    let (status, page) = slack.install(&format!("{origin}/slack/install")).await.unwrap();
    assert_eq!(status, 200, "{page}");
    let grants = slack.grants();
    assert_eq!(grants.len(), 1);
    let grant = grants.values().next().unwrap();
    assert!(grant.used);
    assert_eq!(grant.scopes, ["chat:write", "commands"]);
    let key = InstallationKey::team(None, TEAM_ID.into());
    let installed = store.find_bot(&key).await.unwrap().expect("the installation is stored");
    assert_eq!(installed.bot_user_id.as_ref().map(|u| u.as_str()), Some(BOT_USER_ID));

    // A user who cancels: the app shows its failure page and stores nothing new.
    slack.consent(Consent::Deny);
    let (status, page) = slack.install(&format!("{origin}/slack/install")).await.unwrap();
    assert!(status == 200 && page.contains("access_denied"), "{status} {page}");
    assert_eq!(slack.grants().len(), 1);
}
