//! Answers whose shapes Slack documents beyond its example answers decode into typed fields: the
//! example of `team.integrationLogs`' reference page (a service ID sent as a number and as text),
//! a Slack Connect invitation with its acceptance's reviews, a function's permission lists,
//! `assistant.search.context`'s neighbouring messages and an external organization's Slack
//! Connect preferences. Each answer comes over HTTP from a loopback server, nothing in it stays
//! untyped, and it is written back exactly as sent.

use serde_json::{Value, json};
use slack_api::admin::AdminFunctionsPermissionsLookupRequest;
use slack_api::assistant::AssistantSearchContextRequest;
use slack_api::conversations::ConversationsListConnectInvitesRequest;
use slack_api::objects::IntegrationLogChangeType;
use slack_api::team::{TeamExternalTeamsListRequest, TeamIntegrationLogsRequest};
use slack_api::{Method, Scalar};
use slack_api_tests::coverage::tally;
use slack_api_tests::{MockServer, Reply};

/// Sends `request` to a loopback server answering `answer`; checks that every leaf of the answer
/// is typed and that it is written back as sent; returns the typed answer.
async fn call<R>(request: &R, answer: &Value) -> R::Response
where
    R: Method,
    R::Response: serde::Serialize,
{
    let name = R::INFO.name;
    let server = MockServer::start().await;
    server.push(Reply::json(&answer.to_string()));
    let resp = server.client("xoxp-test").call(request).await.unwrap();
    let t = tally(&resp).unwrap();
    assert_eq!(t.untyped, 0, "untyped in {}: {:?}", name, t.sites);
    assert!(t.typed > 0, "{t:?}");
    assert_eq!(serde_json::to_value(&resp).unwrap(), *answer, "{} is not written back as sent", name);
    assert_eq!(server.take()[0].path, format!("/api/{}", name));
    resp
}

#[tokio::test]
async fn the_integration_logs_of_slacks_reference_page_are_typed() {
    // The example answer of https://docs.slack.dev/reference/methods/team.integrationLogs, with
    // an RSS feed entry as its "Response" section describes one.
    let answer = json!({
        "ok": true,
        "logs": [
            {"service_id": 1234567890, "service_type": "Google Calendar", "user_id": "U1234ABCD", "user_name": "Johnny",
             "channel": "C1234567890", "date": "1392163200", "change_type": "enabled", "scope": "incoming-webhook"},
            {"app_id": "2345678901", "app_type": "Johnny App", "user_id": "U2345BCDE", "user_name": "Billy",
             "date": "1392163201", "change_type": "added", "scope": "chat:write:user,channels:read"},
            {"service_id": "3456789012", "service_type": "Airbrake", "user_id": "U3456CDEF", "user_name": "Joey",
             "channel": "C1234567890", "date": "1392163202", "change_type": "disabled", "reason": "user", "scope": "incoming-webhook"},
            {"service_id": 4567890123_i64, "service_type": "RSS", "user_id": "U3456CDEF", "user_name": "Joey", "date": "1392163203",
             "change_type": "updated", "rss_feed": true, "rss_feed_change_type": "updated", "rss_feed_title": "Status",
             "rss_feed_url": "https://status.example.com/feed"}
        ],
        "paging": {"count": 4, "total": 4, "page": 1, "pages": 1}
    });
    let resp = call(&TeamIntegrationLogsRequest::new(), &answer).await;
    let logs = resp.logs.as_deref().unwrap();
    // A number and decimal text both read as the service's ID, each written back in its form.
    let ids: Vec<(i64, bool)> = logs.iter().filter_map(|l| l.service_id).map(|id| (id.get(), id.was_text())).collect();
    assert_eq!(ids, [(1234567890, false), (3456789012, true), (4567890123, false)]);
    assert_eq!(logs[0].date.map(|d| d.get()), Some(1392163200));
    assert_eq!(logs[0].channel.as_ref().unwrap().as_str(), "C1234567890");
    assert_eq!(logs[1].app_type.as_deref(), Some("Johnny App"));
    let kinds: Vec<&IntegrationLogChangeType> = logs.iter().filter_map(|l| l.change_type.as_ref()).collect();
    assert_eq!(
        kinds,
        [&IntegrationLogChangeType::Enabled, &IntegrationLogChangeType::Added, &IntegrationLogChangeType::Disabled, &IntegrationLogChangeType::Updated]
    );
    assert_eq!(logs[2].reason.as_deref(), Some("user"));
    assert_eq!((logs[3].rss_feed, logs[3].rss_feed_url.as_deref()), (Some(true), Some("https://status.example.com/feed")));
    assert!(logs.iter().all(|l| l.extra.is_empty()));
}

#[tokio::test]
async fn a_connect_invitations_acceptance_reviews_are_typed() {
    let team = |id: &str, name: &str| {
        json!({"id": id, "name": name, "icon": {"image_34": "https://example.com/34.png", "image_default": true},
               "avatar_base_url": "https://ca.slack-edge.com/", "is_verified": false, "domain": name.to_lowercase(), "date_created": 1559335482})
    };
    let answer = json!({
        "ok": true,
        "invites": [{
            "direction": "incoming",
            "status": "approved",
            "date_last_updated": 1622591318,
            "invite_type": "channel",
            "invite": {
                "id": "I0139HVDSDQ", "date_created": 1622591287, "date_invalid": 1623800887,
                "inviting_team": team("E0ANZNL03", "Oonamole"),
                "inviting_user": {"id": "W0ANZNNAX", "team_id": "E0ANZNL03", "name": "ben_boss", "updated": 1616521338,
                                  "profile": {"real_name": "Puppy InCharge", "display_name": "puppy_incharge", "team": "E0ANZNL03"}},
                "link": "https://join.slack.com/share/abc"
            },
            "channel": {"id": "C013AGH1GBD", "is_private": false, "is_im": false, "name": "pb-shared-7"},
            "acceptances": [{
                "approval_status": "approved",
                "date_accepted": 1622591318, "date_invalid": 1623800918, "date_last_updated": 1622591320,
                "accepting_team": team("T0PP93X0Q", "Doughboy"),
                "accepting_user": {"id": "U0PP93X1N", "team_id": "T0PP93X0Q", "name": "bredman", "updated": 1619479454},
                "reviews": [{"type": "approval", "date_review": 1622591320, "reviewing_team": team("T0PP93X0Q", "Doughboy")}]
            }]
        }],
        "response_metadata": {"next_cursor": ""}
    });
    let resp = call(&ConversationsListConnectInvitesRequest::new(), &answer).await;
    let acceptance = &resp.invites.as_deref().unwrap()[0].acceptances.as_deref().unwrap()[0];
    let review = &acceptance.reviews.as_deref().unwrap()[0];
    assert_eq!((review.type_.as_deref(), review.date_review), (Some("approval"), Some(1622591320)));
    assert_eq!(review.reviewing_team.as_ref().unwrap().name.as_deref(), Some("Doughboy"));
    assert!(review.extra.is_empty(), "{:?}", review.extra);
}

#[tokio::test]
async fn a_functions_permission_lists_are_typed() {
    let answer = json!({
        "ok": true,
        "permissions": {
            "Fn0123456789": {
                "distribution": {"type": "named_entities", "user_ids": ["U0123456789"]},
                "allowed_by_admin": {"type": "named_entities", "user_ids": ["U0123456789", "U0234567890"]},
                "allowed_entities": {"type": "named_entities", "user_ids": ["U0123456789"]}
            }
        },
        "errors": {}
    });
    let resp = call(&AdminFunctionsPermissionsLookupRequest::new(["Fn0123456789"]), &answer).await;
    let p = resp.permissions.as_ref().unwrap().get("Fn0123456789").unwrap();
    let admins = p.allowed_by_admin.as_ref().unwrap();
    assert_eq!(admins.type_.as_deref(), Some("named_entities"));
    assert_eq!(admins.user_ids.as_deref().unwrap().len(), 2);
    assert_eq!(p.allowed_entities.as_ref().unwrap().user_ids.as_deref().unwrap()[0].as_str(), "U0123456789");
}

#[tokio::test]
async fn the_messages_around_a_found_message_are_typed() {
    let neighbour = |ts: &str, text: &str| {
        json!({"user_id": "U0123456789", "ts": ts, "text": text,
               "blocks": [{"type": "rich_text", "block_id": format!("b{ts}"), "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}]}]})
    };
    let answer = json!({
        "ok": true,
        "results": {
            "messages": [{
                "author_name": "Ada", "author_user_id": "U0123456789", "team_id": "T0123456789",
                "channel_id": "C0123456789", "channel_name": "finance", "message_ts": "1700000002.000200",
                "content": "The numbers are in", "is_author_bot": false,
                "permalink": "https://example.slack.com/archives/C0123456789/p1700000002000200",
                "context_messages": {
                    "before": [neighbour("1700000001.000100", "Are the numbers in?")],
                    "after": [neighbour("1700000003.000300", "Thanks")]
                }
            }]
        },
        "response_metadata": {"next_cursor": ""}
    });
    let resp = call(&AssistantSearchContextRequest::new("numbers"), &answer).await;
    let found = &resp.results.as_ref().unwrap().messages.as_deref().unwrap()[0];
    let around = found.context_messages.as_ref().unwrap();
    let before = &around.before.as_deref().unwrap()[0];
    assert_eq!(before.text.as_deref(), Some("Are the numbers in?"));
    assert_eq!(before.ts.as_ref().unwrap().as_str(), "1700000001.000100");
    assert_eq!(before.user_id.as_ref().unwrap().as_str(), "U0123456789");
    assert_eq!(before.blocks.as_deref().unwrap().len(), 1);
    assert_eq!(around.after.as_deref().unwrap()[0].text.as_deref(), Some("Thanks"));
}

#[tokio::test]
async fn an_external_organizations_slack_connect_preferences_are_typed() {
    let answer = json!({
        "ok": true,
        "organizations": [{
            "team_id": "T0123456789", "team_name": "Sandra Inc.", "team_domain": "sandra",
            "public_channel_count": 1, "private_channel_count": 1, "im_channel_count": 1, "mpim_channel_count": 1,
            "slack_connect_prefs": {
                "allow_sc_file_uploads": {"type": true, "value": true, "actor": "U0123456789", "source": "org", "date_update": 1718656058},
                "profile_visibility": {"type": "all_fields", "actor": "U0123456789", "source": "team", "date_update": 1718656059},
                "allowed_workspaces": {"type": "allowlist", "team_ids": ["T0123456789"], "source": "org", "date_update": 1718656060},
                "shared_channel_invite_requested": {
                    "enabled": true, "source": "org", "date_update": 1718656061,
                    "approval_destination": {"channel_id": "C0123456789", "all_who_can_manage_shared_channels": false},
                    "usergroup_include": {"id": "S0123456789", "team_id": "T0123456789"}
                }
            },
            "connection_status": "CONNECTED", "last_active_timestamp": 1718656058, "is_sponsored": false
        }],
        "total_count": 1,
        "response_metadata": {"next_cursor": ""}
    });
    let resp = call(&TeamExternalTeamsListRequest::new(), &answer).await;
    let prefs = resp.organizations.as_deref().unwrap()[0].slack_connect_prefs.as_ref().unwrap();
    assert_eq!(prefs.len(), 4);
    let uploads = prefs.get("allow_sc_file_uploads").unwrap();
    assert_eq!((uploads.type_.as_ref(), uploads.value), (Some(&Scalar::Bool(true)), Some(true)));
    let visibility = prefs.get("profile_visibility").unwrap();
    assert_eq!(visibility.type_.as_ref().and_then(Scalar::as_str), Some("all_fields"));
    assert_eq!(prefs.get("allowed_workspaces").unwrap().team_ids.as_deref().unwrap()[0].as_str(), "T0123456789");
    let requests = prefs.get("shared_channel_invite_requested").unwrap();
    let destination = requests.approval_destination.as_ref().unwrap();
    assert_eq!(destination.channel_id.as_ref().unwrap().as_str(), "C0123456789");
    assert_eq!(requests.usergroup_include.as_ref().unwrap().id.as_ref().unwrap().as_str(), "S0123456789");
    assert!(prefs.iter().all(|(_, p)| p.extra.is_empty()));
}
