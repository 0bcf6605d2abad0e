//! Each of the 13 seed methods over real HTTP on 127.0.0.1: the exact request (path, HTTP
//! method, Authorization header, content type, body) and the decoded answer; then every error
//! code the spec documents for it (the seed pages' codes and more, see `seeds.rs`) decodes to its
//! named variant, and an undocumented code to the fallback with the code kept.

use slack_api::admin::*;
use slack_api::conversations::*;
use slack_api::functions::*;
use slack_api::workflows::*;
use slack_api::{Client, Error, Method, MethodError};
use slack_api_tests::{MockServer, Recorded, Reply, repo_root};

const TOKEN: &str = "xoxp-1234-seed-token";
const FORM: &str = "application/x-www-form-urlencoded";

/// Calls `req`, answering `answer`, and returns the decoded response and the recorded request
/// after asserting what every call shares.
async fn call<M: Method>(req: &M, answer: &str) -> (M::Response, Recorded)
where
    M::Error: std::fmt::Debug,
    M::Response: serde::Serialize,
{
    let server = MockServer::start().await;
    server.push(Reply::json(answer));
    let resp = server.client(TOKEN).call(req).await.expect("the call succeeds");
    // Whatever the response type, it serialises back to exactly the answer.
    assert_eq!(json(&resp), serde_json::from_str::<serde_json::Value>(answer).unwrap());
    let mut got = server.take();
    assert_eq!(got.len(), 1, "exactly one request");
    let got = got.remove(0);
    assert_eq!(got.path, format!("/api/{}", M::INFO.name));
    assert_eq!(got.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert!(!got.body_text().contains(TOKEN) && !got.query.as_deref().unwrap_or("").contains(TOKEN));
    (resp, got)
}

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap()
}

fn assert_post(got: &Recorded, body: &str) {
    assert_eq!(got.method, "POST");
    assert_eq!(got.header("content-type"), Some(FORM));
    assert_eq!(got.query, None);
    assert_eq!(got.body_text(), body);
}

#[tokio::test]
async fn admin_invite_requests_approve() {
    let req = AdminInviteRequestsApproveRequest::new("Ir1234").team_id("T726G27TT");
    let (resp, got) = call(&req, r#"{"ok":true}"#).await;
    assert_post(&got, "invite_request_id=Ir1234&team_id=T726G27TT");
    assert!(resp.ok && resp.fields.is_empty());
}

#[tokio::test]
async fn admin_users_assign() {
    let req = AdminUsersAssignRequest::new("T1234", "U1234")
        .is_restricted(true)
        .is_ultra_restricted(false)
        .channel_ids(["C123", "C3456"]);
    let (resp, got) = call(&req, r#"{"ok":true}"#).await;
    assert_post(
        &got,
        "team_id=T1234&user_id=U1234&is_restricted=true&is_ultra_restricted=false&channel_ids=C123%2CC3456",
    );
    assert!(resp.ok);
}

#[tokio::test]
async fn admin_users_get_expiration() {
    let req = AdminUsersGetExpirationRequest::new().user_id("U123ABC456").target_team("T123ABC456");
    let answer = r#"{"ok":true,"user":{"id":"U123ABC456","email":"guest@example.com","is_restricted":false,"is_ultra_restricted":true,"expiration_ts":0}}"#;
    let (resp, got) = call(&req, answer).await;
    assert_eq!(got.method, "GET");
    assert_eq!(got.query.as_deref(), Some("user_id=U123ABC456&target_team=T123ABC456"));
    assert!(got.body.is_empty());
    assert_eq!(json(&resp)["user"]["expiration_ts"], 0);
}

#[tokio::test]
async fn admin_users_invite() {
    let req = AdminUsersInviteRequest::new("T1234", "joe@email.com", ["C1A2B3C4D", "C26Z25Y24"])
        .custom_message("Come and join our team!")
        .real_name(r#"{"full_name":"Joe Smith"}"#)
        .resend(true)
        .is_restricted(false)
        .is_ultra_restricted(false)
        .guest_expiration_ts("0123456789.012345")
        .email_password_policy_enabled(true);
    let (resp, got) = call(&req, r#"{"ok":true,"warning":"superfluous_charset","response_metadata":{"warnings":["superfluous_charset"]}}"#).await;
    assert_post(
        &got,
        "team_id=T1234&email=joe%40email.com&channel_ids=C1A2B3C4D%2CC26Z25Y24&custom_message=Come+and+join+our+team%21\
         &real_name=%7B%22full_name%22%3A%22Joe+Smith%22%7D&resend=true&is_restricted=false&is_ultra_restricted=false\
         &guest_expiration_ts=0123456789.012345&email_password_policy_enabled=true",
    );
    assert_eq!(resp.warning.as_deref(), Some("superfluous_charset"));
    assert_eq!(resp.response_metadata.unwrap().warnings.unwrap(), ["superfluous_charset"]);
}

#[tokio::test]
async fn admin_users_list() {
    let req = AdminUsersListRequest::new()
        .team_id("T1234")
        .cursor("5c3e53d5")
        .is_active(true)
        .include_deactivated_user_workspaces(false)
        .only_guests(false)
        .include_admins(true)
        .include_owners(true)
        .limit(50);
    let answer = r#"{"ok":true,"users":[{"id":"T1234","email":"bront@slack.com","is_admin":false}],"response_metadata":{"next_cursor":"dXNlcjpVMEc5V0ZYTlo="}}"#;
    let (resp, got) = call(&req, answer).await;
    assert_post(
        &got,
        "team_id=T1234&cursor=5c3e53d5&is_active=true&include_deactivated_user_workspaces=false&only_guests=false\
         &include_admins=true&include_owners=true&limit=50",
    );
    assert_eq!(json(&resp)["users"][0]["email"], "bront@slack.com");
    assert_eq!(resp.response_metadata.unwrap().next_cursor.as_deref(), Some("dXNlcjpVMEc5V0ZYTlo="));
}

#[tokio::test]
async fn admin_users_remove_set_admin_set_owner_set_regular() {
    let body = "team_id=T1234&user_id=W12345678";
    let (_, got) = call(&AdminUsersRemoveRequest::new("T1234", "W12345678"), r#"{"ok":true}"#).await;
    assert_post(&got, body);
    let (_, got) = call(&AdminUsersSetAdminRequest::new("T1234", "W12345678"), r#"{"ok":true}"#).await;
    assert_post(&got, body);
    let (_, got) = call(&AdminUsersSetOwnerRequest::new("T1234", "W12345678"), r#"{"ok":true}"#).await;
    assert_post(&got, body);
    let (_, got) = call(&AdminUsersSetRegularRequest::new("T1234", "W12345678"), r#"{"ok":true}"#).await;
    assert_post(&got, body);
}

#[tokio::test]
async fn admin_users_set_expiration() {
    let req = AdminUsersSetExpirationRequest::new("U12345", 1_234_567_890).team_id("T12345");
    let (_, got) = call(&req, r#"{"ok":true}"#).await;
    assert_post(&got, "user_id=U12345&expiration_ts=1234567890&team_id=T12345");
}

#[tokio::test]
async fn conversations_external_invite_permissions_set() {
    let req = ConversationsExternalInvitePermissionsSetRequest::new(
        "C123456",
        "T726G27TT",
        ConversationsExternalInvitePermissionsSetAction::Upgrade,
    );
    let (_, got) = call(&req, r#"{"ok":true}"#).await;
    assert_post(&got, "channel=C123456&target_team=T726G27TT&action=upgrade");
    // A value newer than this crate still goes out as given.
    let req = ConversationsExternalInvitePermissionsSetRequest::new("C1", "T1", "sidegrade");
    let (_, got) = call(&req, r#"{"ok":true}"#).await;
    assert_post(&got, "channel=C1&target_team=T1&action=sidegrade");
}

#[tokio::test]
async fn functions_distributions_permissions_set() {
    let req = FunctionsDistributionsPermissionsSetRequest::new()
        .function_id("Fn12345")
        .function_callback_id("my_function")
        .function_app_id("A12345")
        .permission_type(FunctionsDistributionsPermissionsSetPermissionType::NamedEntities)
        .user_ids(["U1234", "U2345", "U3456"])
        .team_ids(["T00000001", "T00000002"])
        .org_ids(["E00000001"]);
    let answer = r#"{"ok":true,"permission_type":"app_collaborators","users":[{"user_id":"U01565LTEBD","username":"joe_smith","email":"joesmith@salesforce.com"}]}"#;
    let (resp, got) = call(&req, answer).await;
    assert_post(
        &got,
        "function_id=Fn12345&function_callback_id=my_function&function_app_id=A12345&permission_type=named_entities\
         &user_ids=U1234%2CU2345%2CU3456&team_ids=T00000001%2CT00000002&org_ids=E00000001",
    );
    assert_eq!(json(&resp)["permission_type"], "app_collaborators");
    assert_eq!(json(&resp)["users"][0]["username"], "joe_smith");
}

#[tokio::test]
async fn workflows_triggers_permissions_set() {
    let req = WorkflowsTriggersPermissionsSetRequest::new("Ft0000000001", "named_entities")
        .user_ids(["U0000000001", "U0000000002"])
        .channel_ids(["C0000000001"])
        .team_ids(["T0000000001"])
        .org_ids(["E00000001", "E00000002"]);
    let answer = r#"{"ok":true,"permission_type":"named_entities","user_ids":["U01565LTEBD"]}"#;
    let (resp, got) = call(&req, answer).await;
    assert_post(
        &got,
        "trigger_id=Ft0000000001&permission_type=named_entities&user_ids=U0000000001%2CU0000000002\
         &channel_ids=C0000000001&team_ids=T0000000001&org_ids=E00000001%2CE00000002",
    );
    assert_eq!(json(&resp)["user_ids"], serde_json::json!(["U01565LTEBD"]));
}

/// The codes and descriptions a method's calls can fail with, per the spec: its own table, then
/// the common ones it does not override.
fn documented(method: &str) -> Vec<(String, String)> {
    let api = codegen::load_api(&repo_root()).unwrap();
    let m = api.methods().find(|m| m.wire_name == method).unwrap_or_else(|| panic!("{method} not in spec"));
    let mut out: Vec<(String, String)> = m.errors.iter().map(|e| (e.code.clone(), e.description.clone())).collect();
    for c in &api.common_errors {
        if !out.iter().any(|(code, _)| *code == c.code) {
            out.push((c.code.clone(), c.description.clone()));
        }
    }
    out
}

/// Every documented code answered over HTTP decodes to a named variant with that code and
/// description; an undocumented one to the fallback.
async fn assert_errors<M>(client: &Client, server: &MockServer, req: &M)
where
    M: Method,
    M::Error: PartialEq + std::fmt::Debug,
{
    let codes = documented(M::INFO.name);
    assert!(codes.len() >= 30, "{}: {} codes", M::INFO.name, codes.len());
    for (code, description) in &codes {
        server.push(Reply::json(&format!(r#"{{"ok":false,"error":"{code}"}}"#)));
        let err = match client.call(req).await {
            Err(Error::Api(e)) => e.error,
            other => panic!("{}: `{code}` gave {:?}", M::INFO.name, other.map(|_| ())),
        };
        assert!(err.is_documented(), "{}: `{code}` fell back to {err:?}", M::INFO.name);
        assert_eq!(err.code(), code);
        assert_eq!(err, M::Error::from_code(code));
        assert!(err.to_string().ends_with(description.as_str()), "{}: {err} vs {description}", M::INFO.name);
    }
    server.push(Reply::json(r#"{"ok":false,"error":"brand_new_error","needed":"x:read","provided":"y:read"}"#));
    match client.call(req).await {
        Err(Error::Api(e)) => {
            assert!(!e.error.is_documented());
            assert_eq!(e.error.code(), "brand_new_error");
            assert_eq!((e.needed.as_deref(), e.provided.as_deref()), (Some("x:read"), Some("y:read")));
        }
        other => panic!("undocumented code gave {:?}", other.map(|_| ())),
    }
    server.take();
}

#[tokio::test]
async fn every_documented_error_code_decodes_to_its_variant() {
    let server = MockServer::start().await;
    // Decoding only: codes such as `service_unavailable` would otherwise be retried.
    let client = server.client_with(TOKEN, slack_api::RetryPolicy::none());
    assert_errors(&client, &server, &AdminInviteRequestsApproveRequest::new("Ir1")).await;
    assert_errors(&client, &server, &AdminUsersAssignRequest::new("T1", "U1")).await;
    assert_errors(&client, &server, &AdminUsersGetExpirationRequest::new()).await;
    assert_errors(&client, &server, &AdminUsersInviteRequest::new("T1", "a@b.c", ["C1"])).await;
    assert_errors(&client, &server, &AdminUsersListRequest::new()).await;
    assert_errors(&client, &server, &AdminUsersRemoveRequest::new("T1", "U1")).await;
    assert_errors(&client, &server, &AdminUsersSetAdminRequest::new("T1", "U1")).await;
    assert_errors(&client, &server, &AdminUsersSetExpirationRequest::new("U1", 1)).await;
    assert_errors(&client, &server, &AdminUsersSetOwnerRequest::new("T1", "U1")).await;
    assert_errors(&client, &server, &AdminUsersSetRegularRequest::new("T1", "U1")).await;
    let action = ConversationsExternalInvitePermissionsSetAction::Downgrade;
    assert_errors(&client, &server, &ConversationsExternalInvitePermissionsSetRequest::new("C1", "T1", action)).await;
    assert_errors(&client, &server, &FunctionsDistributionsPermissionsSetRequest::new()).await;
    assert_errors(&client, &server, &WorkflowsTriggersPermissionsSetRequest::new("Ft1", "everyone")).await;
}

#[tokio::test]
async fn named_variants_are_matchable() {
    let server = MockServer::start().await;
    server.push(Reply::json(r#"{"ok":false,"error":"already_in_team"}"#));
    server.push(Reply::json(r#"{"ok":false,"error":"invalid_auth"}"#));
    let client = server.client(TOKEN);
    let req = AdminUsersInviteRequest::new("T1", "a@b.c", ["C1"]);
    let Err(Error::Api(e)) = client.call(&req).await else { panic!() };
    assert_eq!(e.error, AdminUsersInviteError::AlreadyInTeam);
    let Err(Error::Api(e)) = client.call(&req).await else { panic!() };
    assert_eq!(e.error, AdminUsersInviteError::Common(slack_api::CommonError::InvalidAuth));
}
