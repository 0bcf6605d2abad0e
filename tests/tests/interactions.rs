//! Interactivity payloads (generated from `spec/interactions/`), slash commands and the
//! `function_executed` event, in the shapes Slack's reference pages show: each decodes into its
//! types with nothing left untyped, the accessors find who and where, credentials stay out of
//! `Debug`, and each serialises back to the JSON it came from.

use serde_json::{Value, json};
use slack_api::block_kit::{Confirm, Text};
use slack_api::events::{Container, ElementAction, Event, Interaction, SlashCommand};

/// Decodes `json` from text (the streaming path) and from a value, checks that both agree, that
/// nothing of the payload's own fields is left in `extra`, and that it serialises back exactly.
fn decode(json: &Value) -> Interaction {
    let from_text: Interaction = serde_json::from_str(&json.to_string()).expect("decodes");
    let from_value: Interaction = serde_json::from_value(json.clone()).expect("decodes");
    assert_eq!(from_text, from_value, "decoding from text and from a value differ");
    assert!(!matches!(from_text, Interaction::Unknown(_)), "{from_text:?}");
    // A `null` (`"enterprise": null`) reads as `None` and is kept in `extra` only to be written
    // back; anything else there would be untyped.
    let extra = from_text.extra().expect("a typed kind");
    let untyped: Vec<_> = extra.iter().filter(|(_, v)| !v.is_null()).map(|(k, _)| k).collect();
    assert!(untyped.is_empty(), "untyped fields: {untyped:?}");
    assert_eq!(serde_json::to_value(&from_text).unwrap(), *json, "round trip");
    from_text
}

/// A button clicked in a channel message.
fn button_in_a_message() -> Value {
    json!({
        "type": "block_actions",
        "user": { "id": "U0123ABCD", "username": "ada", "name": "ada", "team_id": "T0123ABCD" },
        "api_app_id": "A0123ABCD",
        "token": "Shh_verification_token",
        "container": { "type": "message", "message_ts": "1700000000.000200", "channel_id": "C0123ABCD", "is_ephemeral": false, "thread_ts": "1700000000.000100" },
        "trigger_id": "1234567890123.1234567890123.abcdef0123456789abcdef0123456789",
        "team": { "id": "T0123ABCD", "domain": "example" },
        "enterprise": null,
        "is_enterprise_install": false,
        "channel": { "id": "C0123ABCD", "name": "deploys" },
        "message": {
            "type": "message", "user": "U0BOT0001", "ts": "1700000000.000200", "thread_ts": "1700000000.000100",
            "bot_id": "B0123ABCD", "app_id": "A0123ABCD", "text": "Deploy?", "team": "T0123ABCD",
            "blocks": [{ "type": "actions", "block_id": "deploy", "elements": [
                { "type": "button", "action_id": "approve", "text": { "type": "plain_text", "text": "Approve", "emoji": true }, "value": "42", "style": "primary" }
            ] }]
        },
        "state": { "values": {} },
        "response_url": "https://hooks.slack.com/actions/T0123ABCD/1234567890/abcdefABCDEF",
        "actions": [{
            "action_id": "approve", "block_id": "deploy", "type": "button", "action_ts": "1700000010.123456",
            "text": { "type": "plain_text", "text": "Approve", "emoji": true }, "value": "42", "style": "primary",
            "confirm": {
                "title": { "type": "plain_text", "text": "Sure?" }, "text": { "type": "mrkdwn", "text": "Deploy *now*?" },
                "confirm": { "type": "plain_text", "text": "Yes" }, "deny": { "type": "plain_text", "text": "No" }
            }
        }]
    })
}

#[test]
fn block_actions_in_a_message() {
    let json = button_in_a_message();
    let i = decode(&json);
    let Interaction::BlockActions(ba) = &i else { panic!("{i:?}") };

    // The container is typed, and the accessors find the conversation and the message.
    let Some(Container::Message(c)) = &ba.container else { panic!("{:?}", ba.container) };
    assert_eq!(c.message_ts.as_ref().map(|t| t.as_str()), Some("1700000000.000200"));
    assert_eq!(c.is_ephemeral, Some(false));
    assert!(c.extra.is_empty());
    let container = i.container().unwrap();
    assert_eq!(container.kind(), "message");
    assert_eq!(container.channel_id().map(|c| c.as_str()), Some("C0123ABCD"));
    assert_eq!(container.thread_ts().map(|t| t.as_str()), Some("1700000000.000100"));
    assert_eq!(container.is_ephemeral(), Some(false));
    assert_eq!(container.view_id(), None);
    assert_eq!(i.channel_id().map(|c| c.as_str()), Some("C0123ABCD"));
    assert_eq!(i.message_ts().map(|t| t.as_str()), Some("1700000000.000200"));
    assert_eq!(i.thread_ts().map(|t| t.as_str()), Some("1700000000.000100"));
    assert_eq!(i.team_id().map(|t| t.as_str()), Some("T0123ABCD"));
    assert_eq!(i.user_id().map(|u| u.as_str()), Some("U0123ABCD"));
    assert_eq!(i.api_app_id().map(|a| a.as_str()), Some("A0123ABCD"));
    assert_eq!(i.is_enterprise_install(), Some(false));
    assert_eq!(i.enterprise_id(), None, "`enterprise: null` is no organisation");
    assert!(ba.enterprise.is_none(), "a null is None");
    assert_eq!(ba.extra.get("enterprise"), Some(&Value::Null), "kept only to be written back");
    assert_eq!(i.response_url(), Some("https://hooks.slack.com/actions/T0123ABCD/1234567890/abcdefABCDEF"));
    assert_eq!(i.trigger_id(), Some("1234567890123.1234567890123.abcdef0123456789abcdef0123456789"));
    assert_eq!(i.callback_id(), None);
    assert!(i.function_data().is_none() && i.bot_access_token().is_none());

    // The button's label and confirmation dialog are Block Kit types.
    let actions = ba.actions.as_ref().unwrap();
    let ElementAction::Button(b) = &actions[0] else { panic!("{:?}", actions[0]) };
    assert_eq!(b.text.as_ref().map(|t| t.text.as_str()), Some("Approve"));
    assert_eq!(b.value.as_deref(), Some("42"));
    let confirm: &Confirm = b.confirm.as_ref().unwrap();
    assert_eq!(confirm.deny.text, "No");
    assert!(matches!(&confirm.text, Text::Mrkdwn(m) if m.text == "Deploy *now*?"));
    assert!(b.extra.is_empty(), "{:?}", b.extra);
    assert_eq!((actions[0].action_id(), actions[0].block_id()), (Some("approve"), Some("deploy")));
    assert_eq!(actions[0].action_ts().map(|t| t.as_str()), Some("1700000010.123456"));

    // The verification token is a credential: Debug does not show it.
    let debug = format!("{i:?} {i:#?}");
    assert!(!debug.contains("Shh_verification_token"), "{debug}");
}

#[test]
fn an_ephemeral_message_is_found_through_its_container() {
    // Elements of an ephemeral message: no `channel` and no `message`, only the container.
    let json = json!({
        "type": "block_actions", "user": { "id": "U1", "username": "ada", "team_id": "T1" }, "api_app_id": "A1", "token": "t",
        "container": { "type": "message", "message_ts": "1700000000.000300", "channel_id": "D0123ABCD", "is_ephemeral": true },
        "trigger_id": "1.2.3", "team": { "id": "T1", "domain": "example" }, "is_enterprise_install": false,
        "response_url": "https://hooks.slack.com/actions/T1/2/x",
        "actions": [{ "type": "overflow", "action_id": "more", "block_id": "b", "action_ts": "1700000011.000001",
            "selected_option": { "text": { "type": "plain_text", "text": "Edit" }, "value": "edit" } }]
    });
    let i = decode(&json);
    assert_eq!(i.channel_id().map(|c| c.as_str()), Some("D0123ABCD"));
    assert_eq!(i.message_ts().map(|t| t.as_str()), Some("1700000000.000300"));
    assert_eq!(i.container().and_then(Container::is_ephemeral), Some(true));
    let Interaction::BlockActions(ba) = &i else { panic!() };
    let Some(ElementAction::Overflow(o)) = ba.actions.as_ref().and_then(|a| a.first()) else { panic!("{ba:?}") };
    let option = o.selected_option.as_ref().unwrap();
    assert!(matches!(&option.text, Some(Text::PlainText(t)) if t.text == "Edit"));
    assert_eq!(option.value.as_deref(), Some("edit"));
}

#[test]
fn block_actions_in_a_modal() {
    let json = json!({
        "type": "block_actions",
        "team": { "id": "T0123ABCD", "domain": "example", "enterprise_id": "E0123ABCD", "enterprise_name": "Example Org" },
        "user": { "id": "U0123ABCD", "username": "ada", "name": "ada", "team_id": "T0123ABCD" },
        "api_app_id": "A0123ABCD",
        "token": "Shh_verification_token",
        "container": { "type": "view", "view_id": "V0123ABCD" },
        "trigger_id": "1234567890123.1234567890123.abcdef0123456789abcdef0123456789",
        "view": {
            "id": "V0123ABCD", "team_id": "T0123ABCD", "type": "modal", "callback_id": "new_ticket",
            "private_metadata": "", "hash": "1700000000.AbCdEfGh",
            "title": { "type": "plain_text", "text": "New ticket", "emoji": true },
            "blocks": [{ "type": "input", "block_id": "who", "label": { "type": "plain_text", "text": "Assignee" },
                "element": { "type": "users_select", "action_id": "assignee" }, "dispatch_action": true }],
            "state": { "values": { "who": { "assignee": { "type": "users_select", "selected_user": "U0456EFGH" } } } },
            "clear_on_close": false, "notify_on_close": false, "root_view_id": "V0123ABCD", "previous_view_id": null,
            "app_id": "A0123ABCD", "external_id": "", "app_installed_team_id": "T0123ABCD", "bot_id": "B0123ABCD"
        },
        "actions": [{ "type": "users_select", "action_id": "assignee", "block_id": "who", "selected_user": "U0456EFGH",
            "action_ts": "1700000020.000100", "placeholder": { "type": "plain_text", "text": "Pick someone" } }],
        "state": { "values": { "who": { "assignee": { "type": "users_select", "selected_user": "U0456EFGH" } } } },
        "enterprise": { "id": "E0123ABCD", "name": "Example Org" },
        "is_enterprise_install": false
    });
    let i = decode(&json);
    let Interaction::BlockActions(ba) = &i else { panic!("{i:?}") };
    let Some(Container::View(c)) = &ba.container else { panic!("{:?}", ba.container) };
    assert_eq!(c.view_id.as_deref(), Some("V0123ABCD"));
    assert_eq!(i.container().and_then(Container::view_id), Some("V0123ABCD"));
    // A modal is in no conversation, and its callback_id is the view's.
    assert_eq!(i.channel_id(), None);
    assert_eq!(i.message_ts(), None);
    assert_eq!(i.callback_id(), Some("new_ticket"));
    assert_eq!(i.enterprise_id().map(|e| e.as_str()), Some("E0123ABCD"));
    assert_eq!(i.enterprise().and_then(|e| e.name.as_deref()), Some("Example Org"));
    // The state, typed per element, in the order sent.
    let state = ba.state.as_ref().unwrap();
    let Some(ElementAction::UsersSelect(u)) = state.get("who", "assignee") else { panic!("{state:?}") };
    assert_eq!(u.selected_user.as_ref().map(|u| u.as_str()), Some("U0456EFGH"));
    let Some(ElementAction::UsersSelect(a)) = ba.actions.as_ref().and_then(|a| a.first()) else { panic!() };
    assert_eq!(a.placeholder.as_ref().map(|p| p.text.as_str()), Some("Pick someone"));
}

#[test]
fn block_actions_in_a_workflow_step() {
    const TOKEN: &str = "xwfp-1234567890-abcdefSECRET";
    const INTERACTOR_SECRET: &str = "AbCdEfInteractorSecret0123456789";
    let json = json!({
        "type": "block_actions",
        "user": { "id": "U0123ABCD", "username": "ada", "name": "ada", "team_id": "T0123ABCD" },
        "api_app_id": "A0123ABCD",
        "token": "Shh_verification_token",
        "container": { "type": "message", "message_ts": "1700000000.000400", "channel_id": "C0123ABCD", "is_ephemeral": false },
        "trigger_id": "1234567890123.1234567890123.abcdef0123456789abcdef0123456789",
        "team": { "id": "T0123ABCD", "domain": "example" },
        "enterprise": null,
        "is_enterprise_install": false,
        "channel": { "id": "C0123ABCD", "name": "approvals" },
        "message": { "type": "message", "subtype": "bot_message", "text": "Approve the request?", "ts": "1700000000.000400", "bot_id": "B0123ABCD" },
        "state": { "values": {} },
        "response_url": "https://hooks.slack.com/actions/T0123ABCD/1234567890/abcdef",
        "actions": [{ "action_id": "approve_request", "block_id": "decision", "type": "button", "action_ts": "1700000030.000100",
            "text": { "type": "plain_text", "text": "Approve" }, "value": "approve" }],
        "bot_access_token": TOKEN,
        "function_data": {
            "execution_id": "Fx0123ABCDEF",
            "function": { "callback_id": "review_request" },
            "inputs": {
                "requester": "U0456EFGH",
                "amount": 120.5,
                "urgent": true,
                "approvers": ["U0789IJKL", "U0789MNOP"],
                "details": { "reason": "conference", "nights": 2 },
                "note": null
            }
        },
        "interactivity": {
            "interactor": { "secret": INTERACTOR_SECRET, "id": "U0123ABCD" },
            "interactivity_pointer": "1234567890123.1234567890123.abcdef0123456789abcdef0123456789"
        }
    });
    let i = decode(&json);
    let fd = i.function_data().expect("function_data");
    assert_eq!(fd.execution_id.as_deref(), Some("Fx0123ABCDEF"));
    assert_eq!(fd.function.as_ref().and_then(|f| f.callback_id.as_deref()), Some("review_request"));
    let inputs = fd.inputs.as_ref().unwrap();
    assert_eq!(inputs.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["requester", "amount", "urgent", "approvers", "details", "note"]);
    assert_eq!(inputs.get("requester"), Some(&json!("U0456EFGH")));
    assert_eq!(inputs.get("amount"), Some(&json!(120.5)));
    assert_eq!(inputs.get("approvers").and_then(Value::as_array).map(Vec::len), Some(2));
    assert_eq!(inputs.get("note"), Some(&Value::Null));
    assert_eq!(i.bot_access_token(), Some(TOKEN));
    let Interaction::BlockActions(ba) = &i else { panic!() };
    let interactivity = ba.interactivity.as_ref().unwrap();
    assert_eq!(interactivity.interactor.as_ref().and_then(|u| u.id.as_ref()).map(|u| u.as_str()), Some("U0123ABCD"));
    assert_eq!(interactivity.interactor.as_ref().and_then(|u| u.secret.as_deref()), Some(INTERACTOR_SECRET));

    // Credentials are redacted in Debug, typed or kept raw.
    let debug = format!("{i:?} {i:#?}");
    for secret in [TOKEN, INTERACTOR_SECRET, "Shh_verification_token"] {
        assert!(!debug.contains(secret), "Debug shows {secret}: {debug}");
    }
    assert!(debug.contains("bot_access_token: Some(<redacted>)"), "{debug}");
    let mut raw = json.clone();
    raw["function_data"] = json!("not an object");
    let kept: Interaction = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(kept.extra().unwrap().get("function_data"), Some(&json!("not an object")));
    assert_eq!(serde_json::to_value(&kept).unwrap(), raw);
    raw["bot_access_token"] = json!({ "unexpected": TOKEN });
    let kept: Interaction = serde_json::from_value(raw).unwrap();
    assert!(!format!("{kept:?}").contains(TOKEN), "a raw value under a secret name is redacted too");
}

#[test]
fn view_submission_with_response_urls() {
    let json = json!({
        "type": "view_submission",
        "team": { "id": "T0123ABCD", "domain": "example" },
        "user": { "id": "U0123ABCD", "username": "ada", "name": "ada", "team_id": "T0123ABCD" },
        "api_app_id": "A0123ABCD",
        "token": "Shh_verification_token",
        "trigger_id": "1234567890123.1234567890123.abcdef0123456789abcdef0123456789",
        "view": {
            "id": "V0123ABCD", "team_id": "T0123ABCD", "type": "modal", "callback_id": "share_note",
            "title": { "type": "plain_text", "text": "Share a note" }, "submit": { "type": "plain_text", "text": "Share" },
            "blocks": [
                { "type": "input", "block_id": "where", "label": { "type": "plain_text", "text": "Channel" },
                  "element": { "type": "conversations_select", "action_id": "channel", "response_url_enabled": true } },
                { "type": "input", "block_id": "note", "label": { "type": "plain_text", "text": "Note" },
                  "element": { "type": "plain_text_input", "action_id": "text", "multiline": true } }
            ],
            "state": { "values": {
                "where": { "channel": { "type": "conversations_select", "selected_conversation": "C0456EFGH" } },
                "note": { "text": { "type": "plain_text_input", "value": "Release at 5" } }
            } },
            "private_metadata": "", "hash": "1700000040.XyZ", "previous_view_id": null, "root_view_id": "V0123ABCD",
            "app_id": "A0123ABCD", "bot_id": "B0123ABCD"
        },
        "response_urls": [
            { "block_id": "where", "action_id": "channel", "channel_id": "C0456EFGH", "response_url": "https://hooks.slack.com/app/T0123ABCD/111/aaa" }
        ],
        "is_enterprise_install": false,
        "enterprise": null
    });
    let i = decode(&json);
    let Interaction::ViewSubmission(v) = &i else { panic!("{i:?}") };
    let urls = v.response_urls.as_ref().unwrap();
    assert_eq!(urls.len(), 1);
    assert_eq!(urls[0].channel_id.as_ref().map(|c| c.as_str()), Some("C0456EFGH"));
    assert_eq!((urls[0].block_id.as_deref(), urls[0].action_id.as_deref()), (Some("where"), Some("channel")));
    assert_eq!(urls[0].response_url.as_deref(), Some("https://hooks.slack.com/app/T0123ABCD/111/aaa"));
    assert!(urls[0].extra.is_empty());
    // No conversation of its own, and no response_url; the state is typed.
    assert_eq!((i.channel_id(), i.response_url()), (None, None));
    assert_eq!(i.callback_id(), Some("share_note"));
    let state = v.state().unwrap();
    let Some(ElementAction::ConversationsSelect(c)) = state.get("where", "channel") else { panic!("{state:?}") };
    assert_eq!(c.selected_conversation.as_ref().map(|c| c.as_str()), Some("C0456EFGH"));
    let Some(ElementAction::PlainTextInput(t)) = state.get("note", "text") else { panic!("{state:?}") };
    assert_eq!(t.value.as_deref(), Some("Release at 5"));
}

#[test]
fn an_app_unfurl_and_unknown_containers() {
    let json = json!({
        "type": "block_actions", "user": { "id": "U1", "username": "ada", "team_id": "T1" }, "api_app_id": "A1", "token": "t",
        "container": { "type": "message_attachment", "message_ts": "1700000000.000500", "thread_ts": "1700000000.000100",
            "channel_id": "C1", "is_ephemeral": false, "attachment_id": 1, "is_app_unfurl": true,
            "app_unfurl_url": "https://example.com/issues/139", "entity_url": "https://example.com/issues/139",
            "external_ref": { "id": "139" } },
        "trigger_id": "1.2.3", "team": { "id": "T1", "domain": "example" },
        "channel": { "id": "C1", "name": "general" },
        "app_unfurl": { "id": 1, "blocks": [{ "type": "section", "block_id": "s", "text": { "type": "mrkdwn", "text": "Issue 139" } }],
            "fallback": "[no preview available]", "bot_id": "B1", "app_unfurl_url": "https://example.com/issues/139", "is_app_unfurl": true, "app_id": "A1" },
        "response_url": "https://hooks.slack.com/actions/T1/2/x",
        "actions": [{ "type": "button", "action_id": "close", "block_id": "s", "action_ts": "1700000050.000001",
            "text": { "type": "plain_text", "text": "Close" }, "value": "139" }]
    });
    let i = decode(&json);
    let Interaction::BlockActions(ba) = &i else { panic!() };
    let Some(Container::MessageAttachment(c)) = &ba.container else { panic!("{:?}", ba.container) };
    assert_eq!((c.attachment_id, c.is_app_unfurl), (Some(1), Some(true)));
    assert_eq!(c.external_ref.as_ref().and_then(|r| r.id.as_deref()), Some("139"));
    assert_eq!(i.container().and_then(Container::attachment_id), Some(1));
    assert_eq!(i.message_ts().map(|t| t.as_str()), Some("1700000000.000500"));
    assert_eq!(i.thread_ts().map(|t| t.as_str()), Some("1700000000.000100"));
    let unfurl = ba.app_unfurl.as_ref().unwrap();
    assert_eq!(unfurl.fallback.as_deref(), Some("[no preview available]"));
    assert_eq!(unfurl.blocks.as_ref().map(Vec::len), Some(1));

    // A container kind this version does not know is kept whole, and still read for text.
    let mut json = json;
    json["container"] = json!({ "type": "canvas", "canvas_id": "F1", "channel_id": "C9", "is_ephemeral": false });
    let i: Interaction = serde_json::from_value(json.clone()).unwrap();
    let c = i.container().unwrap();
    assert!(matches!(c, Container::Unknown(_)));
    assert_eq!((c.kind(), c.is_ephemeral(), c.channel_id()), ("canvas", Some(false), None));
    assert_eq!(serde_json::to_value(&i).unwrap(), json);
}

#[test]
fn shortcuts_and_unknown_kinds() {
    let json = json!({
        "type": "message_action", "token": "t", "action_ts": "1700000060.000001",
        "team": { "id": "T1", "domain": "example" }, "user": { "id": "U1", "username": "ada", "team_id": "T1" },
        "api_app_id": "A1", "is_enterprise_install": true, "enterprise": { "id": "E1", "name": "Org" },
        "callback_id": "summarise", "trigger_id": "1.2.3", "response_url": "https://hooks.slack.com/app/T1/2/x",
        "message_ts": "1700000000.000600", "channel": { "id": "C1", "name": "general" },
        "message": { "type": "message", "user": "U2", "ts": "1700000000.000600", "text": "Long thread…" }
    });
    let i = decode(&json);
    assert_eq!(i.callback_id(), Some("summarise"));
    assert_eq!(i.is_enterprise_install(), Some(true));
    assert_eq!(i.enterprise_id().map(|e| e.as_str()), Some("E1"), "from `enterprise` when the team has none");
    assert_eq!(i.message_ts().map(|t| t.as_str()), Some("1700000000.000600"));
    assert_eq!(i.container(), None);

    // An interaction kind this version does not know: kept whole, its text fields still read.
    let raw = json!({ "type": "dialog_submission", "callback_id": "x", "trigger_id": "9.9.9", "is_enterprise_install": false });
    let i: Interaction = serde_json::from_value(raw.clone()).unwrap();
    assert!(matches!(i, Interaction::Unknown(_)));
    assert_eq!((i.kind(), i.trigger_id(), i.is_enterprise_install()), ("dialog_submission", Some("9.9.9"), Some(false)));
    assert_eq!(serde_json::to_value(&i).unwrap(), raw);
}

#[test]
fn slash_command_enterprise_install_flag_over_form_and_json() {
    // In the order Slack sends the fields, so that `to_form` gives back the very same body.
    for flag in ["true", "false"] {
        let body = format!(
            "token=Shh_verification_token&team_id=T0123ABCD&team_domain=example&enterprise_id=E0123ABCD&enterprise_name=Example%20Org\
             &channel_id=C0123ABCD&channel_name=deploys&user_id=U0123ABCD&user_name=ada&command=%2Fdeploy&text=prod%20now\
             &api_app_id=A0123ABCD&is_enterprise_install={flag}&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0123ABCD%2F1%2Fx\
             &trigger_id=1.2.3"
        )
        .replace("%20", "+");
        let cmd = SlashCommand::from_form(body.as_bytes()).unwrap();
        assert_eq!(cmd.is_enterprise_install, Some(flag == "true"));
        assert!(cmd.extra.is_empty(), "{:?}", cmd.extra);
        assert_eq!(cmd.text, "prod now");
        assert_eq!(cmd.to_form(), body, "the form comes back as it came");
        let debug = format!("{cmd:?}");
        assert!(!debug.contains("Shh_verification_token") && debug.contains("<redacted>"), "{debug}");

        // Over Socket Mode, the flag is a string or a boolean; either comes back as sent.
        for value in [json!(flag), json!(flag == "true")] {
            let payload = json!({
                "token": "t", "team_id": "T0123ABCD", "channel_id": "C0123ABCD", "user_id": "U0123ABCD",
                "command": "/deploy", "text": "prod", "api_app_id": "A0123ABCD", "is_enterprise_install": value,
                "response_url": "https://hooks.slack.com/commands/T0123ABCD/1/x", "trigger_id": "1.2.3"
            });
            let cmd: SlashCommand = serde_json::from_value(payload.clone()).unwrap();
            assert_eq!(cmd.is_enterprise_install, Some(flag == "true"), "{value}");
            assert!(cmd.extra.is_empty());
            assert_eq!(serde_json::to_value(&cmd).unwrap(), payload, "{value}");
            assert!(cmd.to_form().contains(&format!("is_enterprise_install={flag}")));
        }
    }

    // Any other value is not a flag: it stays in `extra`, as sent.
    let cmd = SlashCommand::from_form(b"command=%2Fdeploy&text=&is_enterprise_install=maybe").unwrap();
    assert_eq!(cmd.is_enterprise_install, None);
    assert_eq!(cmd.extra.get("is_enterprise_install").map(String::as_str), Some("maybe"));
    assert_eq!(cmd.to_form(), "command=%2Fdeploy&text=&is_enterprise_install=maybe");
}

#[test]
fn function_executed_event_with_typed_function_and_inputs() {
    const TOKEN: &str = "xwfp-1234567890-abcdefSECRET";
    let json = json!({
        "type": "function_executed",
        "function": {
            "id": "Fn0123ABCD", "callback_id": "review_request", "title": "Review a request",
            "description": "Asks a manager to approve a request", "type": "app",
            "input_parameters": [
                { "type": "slack#/types/user_id", "name": "requester", "description": "Who asks", "title": "Requester", "is_required": true },
                { "type": "number", "name": "amount", "description": "How much", "title": "Amount", "is_required": false }
            ],
            "output_parameters": [
                { "type": "boolean", "name": "approved", "description": "The decision", "title": "Approved", "is_required": true }
            ],
            "app_id": "A0123ABCD", "date_created": 1_699_000_000, "date_updated": 1_699_100_000, "date_deleted": 0
        },
        "inputs": { "requester": "U0456EFGH", "amount": 120, "channels": ["C1", "C2"], "options": { "rush": true } },
        "function_execution_id": "Fx0123ABCDEF",
        "workflow_execution_id": "Wx0123ABCDEF",
        "event_ts": "1700000070.000100",
        "bot_access_token": TOKEN
    });
    let ev: Event = serde_json::from_value(json.clone()).unwrap();
    let from_text: Event = serde_json::from_str(&json.to_string()).unwrap();
    assert_eq!(ev, from_text);
    let Event::FunctionExecuted(f) = &ev else { panic!("{ev:?}") };
    assert!(f.extra.is_empty(), "{:?}", f.extra);
    let function = f.function.as_ref().unwrap();
    assert!(function.extra.is_empty(), "{:?}", function.extra);
    assert_eq!(function.id.as_ref().map(|i| i.as_str()), Some("Fn0123ABCD"));
    assert_eq!(function.callback_id.as_deref(), Some("review_request"));
    assert_eq!(function.app_id.as_ref().map(|a| a.as_str()), Some("A0123ABCD"));
    assert_eq!((function.date_created, function.date_deleted), (Some(1_699_000_000), Some(0)));
    let params = function.input_parameters.as_ref().unwrap();
    assert_eq!(params.iter().map(|p| p.name.as_deref().unwrap()).collect::<Vec<_>>(), ["requester", "amount"]);
    assert_eq!(params[0].is_required, Some(true));
    assert_eq!(function.output_parameters.as_ref().unwrap()[0].type_.as_deref(), Some("boolean"));
    let inputs = f.inputs.as_ref().unwrap();
    assert_eq!(inputs.len(), 4);
    assert_eq!(inputs.get("requester").and_then(Value::as_str), Some("U0456EFGH"));
    assert_eq!(inputs.get("options"), Some(&json!({ "rush": true })));
    assert_eq!(serde_json::to_value(&ev).unwrap(), json, "round trip");
    let debug = format!("{ev:?} {ev:#?}");
    assert!(!debug.contains(TOKEN), "{debug}");
}
