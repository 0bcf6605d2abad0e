//! Typed responses never lose data: every example response in Slack's reference snapshot decodes
//! into its method's response type and serialises back to JSON equal to the input; payloads with
//! fields, block types and message subtypes this crate has never heard of decode and keep them.

use serde_json::json;
use slack_api::conversations::ConversationsHistoryRequest;
use slack_api::objects::{Block, Message, MessageSubtype, User};
use slack_api::users::UsersInfoRequest;
use slack_api::decode_response;
use slack_api_tests::dispatch::roundtrip_by_name;
use slack_api_tests::{shared_or_skip, snapshot_examples};

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn every_example_in_the_snapshot_round_trips() {
    let Some(shared) = shared_or_skip("every_example_in_the_snapshot_round_trips") else { return };
    let (mut typed, mut untyped, mut errors_seen) = (0, 0, 0);
    let mut failures = Vec::new();
    for ex in snapshot_examples(&shared) {
        let (method, name, example) = (&ex.method, &ex.name, &ex.answer);
        if !ex.is_success() {
            errors_seen += 1;
            continue;
        }
        let body = serde_json::to_vec(example).unwrap();
        match roundtrip_by_name(method, &body) {
            None => failures.push(format!("{method}: no such method in the crate")),
            Some((is_typed, Ok(back))) => {
                if back == *example {
                    if is_typed { typed += 1 } else { untyped += 1 }
                } else {
                    failures.push(format!("{method} ({name}): re-serialised JSON differs:\n  in:  {example}\n  out: {back}"));
                }
            }
            Some((_, Err(e))) => failures.push(format!("{method} ({name}): does not decode: {e}")),
        }
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
    eprintln!(
        "snapshot examples: {} success responses round-trip exactly ({typed} through typed responses, {untyped} untyped); {errors_seen} error examples skipped",
        typed + untyped
    );
    assert!(typed >= 200, "only {typed} examples went through typed responses");
}

#[test]
fn a_new_field_is_kept_and_survives_reserialisation() {
    let body = json!({
        "ok": true,
        "user": {
            "id": "U123", "name": "ada", "is_bot": false,
            "profile": {"email": "ada@example.com", "display_name": "Ada", "favourite_colour": "teal"},
            "brand_new_field": {"nested": [1, 2.5, "x"]}
        },
        "shiny_top_level": 7
    });
    let resp = decode_response::<UsersInfoRequest>(200, body.to_string().as_bytes()).unwrap();
    let user: &User = resp.user.as_ref().unwrap();
    assert_eq!(user.id.as_ref().unwrap().as_str(), "U123");
    assert_eq!(user.profile.as_ref().unwrap().email.as_deref(), Some("ada@example.com"));
    assert_eq!(user.profile.as_ref().unwrap().extra["favourite_colour"], "teal");
    assert_eq!(user.extra["brand_new_field"], json!({"nested": [1, 2.5, "x"]}));
    assert_eq!(resp.extra["shiny_top_level"], 7);
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn a_value_of_an_unexpected_shape_is_kept_not_rejected() {
    // `is_bot` as a string, `updated` as a float, an ID as a number: none is what the type says.
    let body = json!({"ok": true, "user": {"id": 42, "is_bot": "nope", "updated": 1.5, "tz_offset": 18446744073709551615u64}});
    let resp = decode_response::<UsersInfoRequest>(200, body.to_string().as_bytes()).unwrap();
    let user = resp.user.as_ref().unwrap();
    assert_eq!((user.id.as_ref(), user.is_bot, user.updated, user.tz_offset), (None, None, None, None));
    assert_eq!(user.extra["is_bot"], "nope");
    assert_eq!(user.extra["id"], 42);
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn new_block_types_and_message_subtypes_decode_and_keep_their_data() {
    let body = json!({
        "ok": true,
        "messages": [
            {
                "type": "message", "subtype": "hologram_share", "ts": "1700000000.000100", "user": "U1",
                "text": "look", "hologram": {"id": "H1", "depth": 3},
                "blocks": [
                    {"type": "section", "block_id": "a", "text": {"type": "mrkdwn", "text": "*hi*"}},
                    {"type": "hologram", "block_id": "b", "frames": 24},
                    {"type": "divider"},
                    "not even an object"
                ]
            },
            {"type": "message", "subtype": "bot_message", "ts": "1700000000.000200", "bot_id": "B1", "text": "beep"},
            {"type": "message", "ts": "1700000000.000300", "user": "U2", "text": "plain", "edited": {"user": "U2", "ts": "1700000000.000400"}}
        ],
        "has_more": false,
        "response_metadata": {"next_cursor": ""}
    });
    let resp = decode_response::<ConversationsHistoryRequest>(200, body.to_string().as_bytes()).unwrap();
    let messages: &Vec<Message> = resp.messages.as_ref().unwrap();
    assert_eq!(messages.len(), 3);

    let first = &messages[0];
    assert_eq!(first.subtype, Some(MessageSubtype::Unknown("hologram_share".into())));
    assert_eq!(first.ts.as_ref().unwrap().as_str(), "1700000000.000100");
    assert_eq!(first.extra["hologram"], json!({"id": "H1", "depth": 3}));
    let blocks = first.blocks.as_ref().unwrap();
    assert!(matches!(&blocks[0], Block::Section(m) if m.block_id.as_deref() == Some("a")));
    assert!(matches!(&blocks[1], Block::Unknown(v) if v["frames"] == 24));
    assert_eq!(blocks[1].kind(), Some("hologram"));
    assert!(matches!(&blocks[2], Block::Divider(_)));
    assert_eq!(blocks[3], Block::Unknown(json!("not even an object")));

    assert_eq!(messages[1].subtype, Some(MessageSubtype::BotMessage));
    assert_eq!(messages[1].bot_id.as_ref().unwrap().as_str(), "B1");
    assert_eq!(messages[2].subtype, None);

    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn numbers_timestamps_and_ids_keep_their_exact_form() {
    let body = json!({"ok": true, "messages": [{"type": "message", "ts": "0000000001.000001", "user": "W0001", "reply_count": 3}]});
    let resp = decode_response::<ConversationsHistoryRequest>(200, body.to_string().as_bytes()).unwrap();
    let m = &resp.messages.as_ref().unwrap()[0];
    assert_eq!(m.ts.as_ref().unwrap().as_str(), "0000000001.000001");
    assert_eq!(m.user.as_ref().unwrap().as_str(), "W0001");
    assert!(serde_json::to_string(&resp).unwrap().contains("\"ts\":\"0000000001.000001\""));
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

// The four shapes the output schemas get wrong, each checked against an answer of the shape
// Slack sends (its example answers): corrected in spec/corrections/.

#[test]
fn admin_conversations_search_lists_conversation_objects_not_ids() {
    use slack_api::admin::AdminConversationsSearchRequest;
    let body = json!({"ok": true, "conversations": [
        {"id": "C013JDPD6CR", "name": "proj", "purpose": "Plans", "member_count": 1, "created": 1588786531,
         "creator_id": "WPQ65MVKK", "is_private": false, "last_activity_ts": 1589854024000200u64,
         "connected_team_ids": [], "internal_team_ids_sample_team": "TPQ67R81F"}
    ], "next_cursor": "aWQ6Mw==", "total_count": 14823});
    let resp = decode_response::<AdminConversationsSearchRequest>(200, body.to_string().as_bytes()).unwrap();
    let c = &resp.conversations.as_ref().expect("conversations typed")[0];
    assert_eq!(c.id.as_ref().unwrap().as_str(), "C013JDPD6CR");
    assert_eq!(c.purpose.as_deref(), Some("Plans"));
    assert_eq!(c.creator_id.as_ref().unwrap().as_str(), "WPQ65MVKK");
    assert_eq!(c.last_activity_ts, Some(1589854024000200));
    assert!(c.extra.is_empty() && resp.extra.is_empty(), "{resp:?}");
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn admin_usergroups_list_channels_lists_conversation_objects_not_ids() {
    use slack_api::admin::AdminUsergroupsListChannelsRequest;
    let body = json!({"ok": true, "channels": [
        {"id": "C024BE91L", "name": "fun", "team_id": "T024BE911", "num_members": 34},
        {"id": "C024BE91M", "name": "public-channel", "team_id": "T024BE911", "is_redacted": true}
    ]});
    let resp = decode_response::<AdminUsergroupsListChannelsRequest>(200, body.to_string().as_bytes()).unwrap();
    let channels = resp.channels.as_ref().expect("channels typed");
    assert_eq!(channels[0].num_members, Some(34));
    assert_eq!(channels[1].team_id.as_ref().unwrap().as_str(), "T024BE911");
    assert_eq!(channels[1].is_redacted, Some(true));
    assert!(resp.extra.is_empty());
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn apps_manifest_validate_errors_are_objects() {
    use slack_api::apps::AppsManifestValidateRequest;
    let body = json!({"ok": true, "errors": [
        {"code": "invalid", "message": "Interactivity requires a Request URL", "pointer": "/settings/interactivity",
         "related_component": "interactivity"}
    ]});
    let resp = decode_response::<AppsManifestValidateRequest>(200, body.to_string().as_bytes()).unwrap();
    let e = &resp.errors.as_ref().expect("errors typed")[0];
    assert_eq!(e.pointer.as_deref(), Some("/settings/interactivity"));
    assert_eq!(e.message.as_deref(), Some("Interactivity requires a Request URL"));
    assert_eq!((e.code.as_deref(), e.related_component.as_deref()), (Some("invalid"), Some("interactivity")));
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn slack_lists_download_start_job_id_is_a_string() {
    use slack_api::slack_lists::SlackListsDownloadStartRequest;
    let body = json!({"ok": true, "job_id": "LeF1234567"});
    let resp = decode_response::<SlackListsDownloadStartRequest>(200, body.to_string().as_bytes()).unwrap();
    assert_eq!(resp.job_id.as_deref(), Some("LeF1234567"));
    assert!(resp.extra.is_empty());
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn keyed_maps_decode_typed_in_order_and_fall_back_whole() {
    use slack_api::dnd::DndTeamInfoRequest;
    let body = r#"{"ok":true,"users":{"W2":{"dnd_enabled":true,"next_dnd_start_ts":1},"U1":{"dnd_enabled":false}}}"#;
    let resp = decode_response::<DndTeamInfoRequest>(200, body.as_bytes()).unwrap();
    let users = resp.users.as_ref().expect("users typed");
    assert_eq!(users.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["W2", "U1"]);
    assert_eq!(users.get("U1").unwrap().dnd_enabled, Some(false));
    assert_eq!(serde_json::to_string(&resp).unwrap(), body);
    // One value of another shape: the whole map is kept as sent.
    let body = json!({"ok": true, "users": {"U1": {"dnd_enabled": true}, "U2": "asleep"}});
    let resp = decode_response::<DndTeamInfoRequest>(200, body.to_string().as_bytes()).unwrap();
    assert!(resp.users.is_none());
    assert_eq!(resp.extra["users"], body["users"]);
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn a_count_sent_as_text_or_as_a_number_reads_as_an_integer_and_goes_back_as_sent() {
    use slack_api::usergroups::UsergroupsListRequest;
    let body = json!({"ok": true, "usergroups": [
        {"id": "S1", "user_count": "2"}, {"id": "S2", "user_count": 3},
        {"id": "S3", "user_count": "02"}, {"id": "S4", "user_count": "many"}
    ]});
    let resp = decode_response::<UsergroupsListRequest>(200, body.to_string().as_bytes()).unwrap();
    let groups = resp.usergroups.as_ref().unwrap();
    assert_eq!(groups[0].user_count.map(|c| c.get()), Some(2));
    assert!(groups[0].user_count.unwrap().was_text());
    assert_eq!(groups[1].user_count.map(i64::from), Some(3));
    // Equal by value, whichever form Slack sent.
    assert_eq!(groups[0].user_count, Some(slack_api::LaxInt::new(2)));
    // Text that is not an integer's canonical form could not be written back as sent: kept.
    assert_eq!((groups[2].user_count, groups[2].extra.get("user_count")), (None, Some(&json!("02"))));
    assert_eq!((groups[3].user_count, groups[3].extra.get("user_count")), (None, Some(&json!("many"))));
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn a_scalar_field_types_text_numbers_and_booleans_and_keeps_other_shapes() {
    use slack_api::Scalar;
    use slack_api::slack_lists::SlackListsItemsListRequest;
    let body = json!({"ok": true, "items": [{"id": "Rec1", "fields": [
        {"key": "name", "value": "Onboard", "text": "Onboard"},
        {"key": "estimate", "value": 3.5, "number": [3]},
        {"key": "done", "value": true},
        {"key": "odd", "value": {"not": "a scalar"}}
    ]}]});
    let resp = decode_response::<SlackListsItemsListRequest>(200, body.to_string().as_bytes()).unwrap();
    let fields = resp.items.as_ref().unwrap()[0].fields.as_ref().unwrap();
    assert_eq!(fields[0].value.as_ref().and_then(Scalar::as_str), Some("Onboard"));
    assert_eq!(fields[1].value.as_ref().and_then(Scalar::as_f64), Some(3.5));
    assert_eq!(fields[2].value, Some(Scalar::Bool(true)));
    assert_eq!((&fields[3].value, fields[3].extra.get("value")), (&None, Some(&json!({"not": "a scalar"}))));
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn openid_claims_named_by_url_are_typed_fields() {
    use slack_api::openid::OpenidConnectUserInfoRequest;
    let body = json!({"ok": true, "sub": "U0R7JM", "https://slack.com/user_id": "U0R7JM",
        "https://slack.com/team_id": "T0R7GR", "https://slack.com/team_domain": "kraneflannel",
        "https://slack.com/user_image_24": "https://example.com/24.png", "https://slack.com/team_image_default": true});
    let resp = decode_response::<OpenidConnectUserInfoRequest>(200, body.to_string().as_bytes()).unwrap();
    assert_eq!(resp.slack_user_id.as_ref().unwrap().as_str(), "U0R7JM");
    assert_eq!(resp.slack_team_id.as_ref().unwrap().as_str(), "T0R7GR");
    assert_eq!(resp.slack_team_domain.as_deref(), Some("kraneflannel"));
    assert_eq!(resp.slack_user_image_24.as_deref(), Some("https://example.com/24.png"));
    assert_eq!(resp.slack_team_image_default, Some(true));
    assert!(resp.extra.is_empty(), "{:?}", resp.extra);
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn an_answered_view_has_typed_labels_and_input_state() {
    use slack_api::views::ViewsUpdateRequest;
    let body = json!({"ok": true, "view": {"id": "V1", "type": "modal",
        "title": {"type": "plain_text", "text": "Edit", "emoji": true}, "submit": {"type": "plain_text", "text": "Save"},
        "close": null, "previous_view_id": null,
        "state": {"values": {"b1": {"a1": {"type": "plain_text_input", "value": "hello"}},
                             "b2": {"when": {"type": "datepicker", "selected_date": "2026-11-22"},
                                    "who": {"type": "multi_users_select", "selected_users": ["U1", "U2"]},
                                    "pick": {"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": "A"}, "value": "a"}}}}}}});
    let resp = decode_response::<ViewsUpdateRequest>(200, body.to_string().as_bytes()).unwrap();
    let view = resp.view.as_ref().unwrap();
    assert_eq!(view.title.as_ref().unwrap().text, "Edit");
    assert_eq!(view.submit.as_ref().unwrap().text, "Save");
    // `null` reads as absent, and is written back as sent.
    assert!(view.close.is_none() && view.previous_view_id.is_none());
    let values = view.state.as_ref().unwrap().values.as_ref().unwrap();
    assert_eq!(values.get("b1").unwrap().get("a1").unwrap().value.as_deref(), Some("hello"));
    let b2 = values.get("b2").unwrap();
    assert_eq!(b2.get("when").unwrap().selected_date.as_deref(), Some("2026-11-22"));
    assert_eq!(b2.get("who").unwrap().selected_users.as_ref().unwrap().len(), 2);
    assert_eq!(b2.get("pick").unwrap().selected_option.as_ref().unwrap().value, "a");
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn a_workflow_step_input_value_is_typed_by_the_kind_of_json_sent() {
    use slack_api::admin::AdminWorkflowsSearchRequest;
    use slack_api::objects::WorkflowStepInputValue as V;
    let body = json!({"ok": true, "workflows": [{"id": "Wf1", "steps": [{"inputs": {
        "title": {"value": "Give kudos", "locked": false},
        "reply_broadcast": {"value": false},
        "fields": {"value": {"elements": [{"name": "who", "type": "slack#/types/user_id", "title": "Who?"},
                                          {"name": "vibe", "type": "string", "enum": ["calm", "loud"], "long": true}],
                             "required": ["who"]}},
        "message": {"value": [{"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": "Hi"}]}]}]},
        "nothing": {"value": null}
    }}]}]});
    let resp = decode_response::<AdminWorkflowsSearchRequest>(200, body.to_string().as_bytes()).unwrap();
    let inputs = resp.workflows.as_ref().unwrap()[0].steps.as_ref().unwrap()[0].inputs.as_ref().unwrap();
    assert!(matches!(&inputs.get("title").unwrap().value, Some(V::Scalar(s)) if s.as_str() == Some("Give kudos")));
    assert!(matches!(&inputs.get("reply_broadcast").unwrap().value, Some(V::Scalar(s)) if s.as_bool() == Some(false)));
    let Some(V::WorkflowFormInput(form)) = &inputs.get("fields").unwrap().value else { panic!("{inputs:?}") };
    let elements = form.elements.as_ref().unwrap();
    assert_eq!(elements[0].title.as_deref(), Some("Who?"));
    assert_eq!(elements[1].enum_.as_ref().unwrap(), &["calm", "loud"]);
    assert_eq!(form.required.as_ref().unwrap(), &["who"]);
    let Some(V::List(blocks)) = &inputs.get("message").unwrap().value else { panic!("{inputs:?}") };
    assert_eq!(blocks.len(), 1);
    // `null` is no kind: the field reads `None`, the `null` is written back.
    assert!(inputs.get("nothing").unwrap().value.is_none());
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}

#[test]
fn calls_and_remote_files_answer_typed_objects() {
    use slack_api::calls::CallsAddRequest;
    use slack_api::files::FilesRemoteInfoRequest;
    // calls.add's answer as Slack's reference page shows it.
    let body = json!({"ok": true, "call": {"id": "R0E69JAIF", "date_start": 1562002086,
        "external_unique_id": "025169F6-E37A-4E62-BB54-7F93A0FC4C1F", "join_url": "https://example.com/calls/1234567890",
        "desktop_app_join_url": "callapp://join/1234567890", "external_display_id": "705-292-868", "title": "Kimpossible sync up",
        "users": [{"slack_id": "U0MQG83FD"}, {"external_id": "54321678", "display_name": "Kim Possible",
                   "avatar_url": "https://callmebeepme.com/users/avatar1234.jpg"}]}});
    let resp = decode_response::<CallsAddRequest>(200, body.to_string().as_bytes()).unwrap();
    let call = resp.call.as_ref().expect("call typed");
    assert_eq!(call.id.as_deref(), Some("R0E69JAIF"));
    assert_eq!(call.date_start, Some(1562002086));
    let users = call.users.as_ref().unwrap();
    assert_eq!(users[0].slack_id.as_ref().unwrap().as_str(), "U0MQG83FD");
    assert_eq!(users[1].display_name.as_deref(), Some("Kim Possible"));
    assert!(call.extra.is_empty() && resp.extra.is_empty(), "{resp:?}");
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);

    let body = json!({"ok": true, "file": {"id": "F0GDJ3XFH", "name": "LeadvilleAndBuenaVista", "title": "LeadvilleAndBuenaVista",
        "filetype": "remote", "is_external": true, "external_id": "1234", "external_url": "https://example.com/doc"}});
    let resp = decode_response::<FilesRemoteInfoRequest>(200, body.to_string().as_bytes()).unwrap();
    let file = resp.file.as_ref().expect("file typed");
    assert_eq!(file.id.as_ref().unwrap().as_str(), "F0GDJ3XFH");
    assert_eq!(file.external_url.as_deref(), Some("https://example.com/doc"));
    assert_eq!(serde_json::to_value(&resp).unwrap(), body);
}
