//! The app manifest: every example on Slack's manifest reference decodes with nothing left
//! untyped and serialises back exactly; `apps.manifest.export` answers round-trip; and
//! `validate()` reports every broken limit by its path.

use std::path::PathBuf;

use serde_json::{Value, json};
use slack_api::apps::{AppsManifestExportRequest, AppsManifestExportResponse};
use slack_api::block_kit::{Validate, ViolationKind};
use slack_api::objects::AppManifest;
use slack_api_tests::coverage;
use slack_api_tests::{MockServer, Reply};

const EXAMPLES: [&str; 5] = ["reference.json", "reference-yaml-tab.json", "functions-v2.json", "zork.json", "zork-v1.json"];

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/app-manifest").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_example_on_the_reference_page_decodes_fully_typed_and_round_trips() {
    for name in EXAMPLES {
        let sent = fixture(name);
        let manifest: AppManifest = serde_json::from_value(sent.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(manifest.extra.is_empty(), "{name}: top-level fields left untyped: {:?}", manifest.extra.keys());
        let tally = coverage::tally(&manifest).unwrap();
        assert!(tally.typed > 0, "{name}: nothing typed");
        let stray: Vec<&String> = tally.sites.keys().filter(|site| !free_form(site)).collect();
        assert!(stray.is_empty(), "{name}: untyped values at {stray:?}");
        assert_eq!(serde_json::to_value(&manifest).unwrap(), sent, "{name}: serialised differently");
    }
    // The check sees a field this version does not type, however deep.
    let mut sent = fixture("reference.json");
    sent["features"]["app_home"]["hologram_tab_enabled"] = json!(true);
    sent["functions"]["a_callback_id"]["input_parameters"]["properties"]["user_id"]["glow"] = json!(1);
    let manifest: AppManifest = serde_json::from_value(sent.clone()).unwrap();
    let sites: Vec<String> = coverage::tally(&manifest).unwrap().sites.into_keys().filter(|s| !free_form(s)).collect();
    assert_eq!(sites, ["features.app_home.hologram_tab_enabled", "functions.a_callback_id.input_parameters.properties.user_id.glow"]);
    assert_eq!(serde_json::to_value(&manifest).unwrap(), sent);
}

/// Whether an untyped site is a value the manifest types as JSON on purpose: a workflow step's
/// inputs take the types of the function's parameters (text, lists of blocks, form
/// definitions…), and a suggested trigger's input values are templates or values of the
/// workflow's input types. Map keys (a workflow's callback ID) are data, so the site is matched
/// around them.
fn free_form(site: &str) -> bool {
    site.starts_with("workflows.") && (site.ends_with(".steps[].inputs") || (site.contains(".suggested_triggers.") && site.ends_with(".value")))
}

#[test]
fn the_reference_example_reads_as_typed_fields() {
    let m: AppManifest = serde_json::from_value(fixture("reference.json")).unwrap();
    let features = m.features.as_ref().unwrap();
    let shortcut = &features.shortcuts.as_ref().unwrap()[0];
    assert_eq!(shortcut.callback_id.as_deref(), Some("a-really-cool-callback_id"));
    assert_eq!(shortcut.type_.as_ref().map(|t| t.as_str()), Some("message"));
    let prompts = features.assistant_view.as_ref().unwrap().suggested_prompts.as_ref().unwrap();
    assert_eq!(prompts[0].title.as_deref(), Some("User help"));
    let function = m.functions.as_ref().unwrap().get("a_callback_id").unwrap();
    let input = function.input_parameters.as_ref().unwrap();
    assert_eq!(input.required.as_deref(), Some(&["user_id".to_owned()][..]));
    let user = input.properties.as_ref().unwrap().get("user_id").unwrap();
    assert_eq!((user.type_.as_deref(), user.is_required), (Some("string"), Some(true)));
    let workflow = m.workflows.as_ref().unwrap().get("cool_name_for_a_workflow").unwrap();
    let steps = workflow.steps.as_ref().unwrap();
    assert_eq!(steps.len(), 4);
    assert_eq!(steps[3].function_id.as_deref(), Some("slack#/functions/add_reaction"));
    let subs = m.settings.as_ref().unwrap().event_subscriptions.as_ref().unwrap().metadata_subscriptions.as_ref().unwrap();
    assert_eq!(subs[2].app_id.as_deref(), Some("*"));
    assert_eq!(m.oauth_config.as_ref().unwrap().token_management_enabled, Some(true));
}

#[test]
fn the_examples_keep_slacks_limits_but_for_the_short_long_descriptions() {
    // The page's own example says a long description needs 174 characters and has 189.
    for name in ["reference.json", "reference-yaml-tab.json", "zork-v1.json"] {
        let m: AppManifest = serde_json::from_value(fixture(name)).unwrap();
        let problems: Vec<String> = match m.validate() {
            Ok(()) => vec![],
            Err(v) => v.0.iter().map(ToString::to_string).collect(),
        };
        let expected: Vec<String> = if name.starts_with("zork") {
            vec!["display_information.long_description: 24 characters, at least 174".into()]
        } else {
            vec![]
        };
        assert_eq!(problems, expected, "{name}");
    }
}

#[test]
fn validate_reports_every_broken_limit_with_its_path() {
    let mut sent = fixture("reference.json");
    sent["display_information"]["name"] = json!("N".repeat(36));
    sent["display_information"]["background_color"] = json!("blue");
    sent["features"]["shortcuts"][0]["type"] = json!("channel");
    sent["features"]["slash_commands"][0]["command"] = json!("zork");
    sent["features"]["bot_user"] = json!({ "always_online": true });
    sent["features"]["unfurl_domains"] = json!(["a.com", "b.com", "c.com", "d.com", "e.com", "f.com"]);
    sent["settings"]["interactivity"]["is_enabled"] = json!("yes");
    sent["settings"]["event_subscriptions"]["request_url"] = json!("ftp://example.com");
    sent["functions"]["a_callback_id"]["title"] = json!("T".repeat(256));
    sent["workflows"]["cool_name_for_a_workflow"]["steps"][1]["type"] = json!("loop");
    sent["oauth_config"]["scopes"]["bot"][0] = json!("s".repeat(51));
    let m: AppManifest = serde_json::from_value(sent.clone()).unwrap();
    // Bad values still decode, and still round-trip.
    assert_eq!(serde_json::to_value(&m).unwrap(), sent);
    let problems: Vec<String> = m.validate().unwrap_err().0.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "display_information.name: 36 characters, at most 35",
            "display_information.background_color: `blue` is not a hex colour (#RGB or #RRGGBB)",
            "features.bot_user.display_name: required, but not set",
            "features.shortcuts[0].type: `channel`, not one of `message`, `global`",
            "features.slash_commands[0].command: `zork` is not a command starting with /",
            "features.unfurl_domains: 6 items, at most 5",
            "oauth_config.scopes.bot[0]: 51 characters, at most 50",
            "settings.event_subscriptions.request_url: `ftp://example.com` is not an http:// or https:// URL",
            "settings.interactivity.is_enabled: not boolean",
            "functions.a_callback_id.title: 256 characters, at most 255",
            "workflows.cool_name_for_a_workflow.steps[1].type: `loop`, not one of `function`, `switch`, `conditional`",
        ]
    );
}

#[test]
fn a_manifest_without_its_required_parts_names_each_one() {
    let m: AppManifest = serde_json::from_value(json!({
        "features": { "shortcuts": [{ "name": "Go" }] },
        "datastores": { "tasks": { "attributes": { "id": {} } } },
        "mcp_servers": { "docs": { "url": "http://docs.example.com/mcp", "auth_type": "password" } }
    }))
    .unwrap();
    let err = m.validate().unwrap_err();
    let got: Vec<(String, ViolationKind)> = err.0.into_iter().map(|v| (v.path, v.kind)).collect();
    let missing = |p: &str| (p.to_owned(), ViolationKind::Missing);
    assert_eq!(
        got,
        [
            missing("display_information"),
            missing("features.shortcuts[0].callback_id"),
            missing("features.shortcuts[0].description"),
            missing("features.shortcuts[0].type"),
            missing("datastores.tasks.primary_key"),
            missing("datastores.tasks.attributes.id.type"),
            ("mcp_servers.docs.url".to_owned(), ViolationKind::BadFormat { format: slack_api::block_kit::Format::HttpsUrl, value: "http://docs.example.com/mcp".into() }),
            ("mcp_servers.docs.auth_type".to_owned(), ViolationKind::NotAllowed { value: "password".into(), allowed: &["dynamic_client_registration", "no_auth", "manual_auth", "slack_identity_auth"] }),
        ]
    );
}

#[tokio::test]
async fn an_export_answer_round_trips_exactly_over_loopback() {
    let server = MockServer::start().await;
    for name in EXAMPLES {
        let answer = json!({ "ok": true, "manifest": fixture(name) });
        server.push(Reply::json(&answer.to_string()));
        let got = server.client("xoxe.xoxp-1").call(&AppsManifestExportRequest::new("A0123456789")).await.unwrap();
        let manifest = got.manifest.as_ref().unwrap();
        assert!(manifest.extra.is_empty() && got.extra.is_empty(), "{name}");
        assert_eq!(serde_json::to_value(&got).unwrap(), answer, "{name}");
        // Decoding the body directly gives the same.
        let direct: AppsManifestExportResponse = serde_json::from_value(answer.clone()).unwrap();
        assert_eq!(direct, got);
    }
    let sent = server.take();
    assert_eq!(sent.len(), EXAMPLES.len());
    assert_eq!(sent[0].path, "/api/apps.manifest.export");
}
