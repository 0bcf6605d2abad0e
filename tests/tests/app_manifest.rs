//! The app manifest: every example on Slack's manifest reference decodes with nothing left
//! untyped and serialises back exactly; `apps.manifest.export` answers round-trip; and
//! `validate()` reports every broken limit by its path.

use std::path::PathBuf;

use serde_json::{Value, json};
use slack_api::apps::{AppsManifestExportRequest, AppsManifestExportResponse};
use slack_api::block_kit::{Validate, ViolationKind};
use slack_api::objects::{AppManifest, AppManifestFunctionInputParameters as Params, AppManifestFunctionOutputParameters};
use slack_api_tests::coverage;
use slack_api_tests::{MockServer, Reply};

const EXAMPLES: [&str; 6] =
    ["reference.json", "reference-yaml-tab.json", "functions-v1.json", "functions-v2.json", "zork.json", "zork-v1.json"];

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
    let Some(Params::AppManifestParameters(input)) = function.input_parameters.as_ref() else {
        panic!("version 2 parameters: {:?}", function.input_parameters)
    };
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

#[test]
fn version_1_parameters_read_by_name_and_version_2_under_properties() {
    let m: AppManifest = serde_json::from_value(fixture("functions-v1.json")).unwrap();
    let step = m.functions.as_ref().unwrap().get("prep_ingredients").unwrap();
    let Some(Params::Map(input)) = step.input_parameters.as_ref() else { panic!("by name: {:?}", step.input_parameters) };
    let user = input.get("user_id").unwrap();
    assert_eq!(user.type_.as_deref(), Some("slack#/reference/objects/user-object_id"));
    assert_eq!((user.is_required, user.hint.as_deref()), (Some(true), Some("Select a user in the workspace")));
    let Some(AppManifestFunctionOutputParameters::Map(output)) = step.output_parameters.as_ref() else { panic!() };
    assert_eq!(output.get("user_id").unwrap().description.as_deref(), Some("User that completed the function"));

    let m: AppManifest = serde_json::from_value(fixture("functions-v2.json")).unwrap();
    let step = m.functions.as_ref().unwrap().get("prep_ingredients").unwrap();
    let Some(Params::AppManifestParameters(input)) = step.input_parameters.as_ref() else { panic!() };
    assert!(input.properties.as_ref().unwrap().get("user_id").is_some());

    // Version 1 parameters named like version 2's keys are still parameters: `properties`
    // here is a parameter (with a `type`), not a map of them, and `required` is one too.
    let sent = json!({ "functions": { "odd_names": { "title": "T", "description": "D",
        "input_parameters": { "properties": { "type": "string", "title": "Properties" },
                              "required": { "type": "boolean" } },
        "output_parameters": {} } } });
    let m: AppManifest = serde_json::from_value(sent.clone()).unwrap();
    let step = m.functions.as_ref().unwrap().get("odd_names").unwrap();
    let Some(Params::Map(input)) = step.input_parameters.as_ref() else { panic!("{:?}", step.input_parameters) };
    assert_eq!(input.get("properties").unwrap().title.as_deref(), Some("Properties"));
    assert_eq!(input.get("required").unwrap().type_.as_deref(), Some("boolean"));
    // `{}` reads the same in both versions (as version 2's object, empty).
    assert!(matches!(step.output_parameters, Some(AppManifestFunctionOutputParameters::AppManifestParameters(ref p)) if p.is_empty()));
    assert_eq!(serde_json::to_value(&m).unwrap(), sent);
    let tally = coverage::tally(&m).unwrap();
    assert!(tally.sites.is_empty(), "{:?}", tally.sites);
    // Parameters of neither form (a value that is no parameter) stay in the step's `extra`, whole.
    let sent = json!({ "functions": { "s": { "title": "T", "description": "D", "input_parameters": { "user_id": 7 } } } });
    let m: AppManifest = serde_json::from_value(sent.clone()).unwrap();
    let step = m.functions.as_ref().unwrap().get("s").unwrap();
    assert!(step.input_parameters.is_none());
    assert_eq!(step.extra["input_parameters"], json!({ "user_id": 7 }));
    assert_eq!(serde_json::to_value(&m).unwrap(), sent);
    let problems: Vec<String> = m.validate().unwrap_err().0.iter().map(ToString::to_string).collect();
    assert!(
        problems.contains(&"functions.s.input_parameters: not app_manifest_parameters or map<app_manifest_parameter>".to_owned()),
        "{problems:?}"
    );
}

/// A manifest version 1 with `features.functions`, the list Slack's manifest JSON schema
/// describes (the reference page does not).
fn features_functions_v1() -> Value {
    json!({
        "_metadata": { "major_version": 1 },
        "display_information": { "name": "Chef" },
        "features": { "functions": [{
            "callback_id": "prep_ingredients",
            "title": "Prepare ingredients",
            "description": "Runs sample function",
            "input_parameters": [{ "name": "user_id", "type": "slack#/types/user_id", "title": "User", "is_required": true }],
            "output_parameters": [{ "name": "done", "type": "boolean", "description": "Whether it is done" }]
        }] },
        "settings": { "function_runtime": "remote" }
    })
}

#[test]
fn features_functions_of_version_1_are_typed_and_checked() {
    let sent = features_functions_v1();
    let m: AppManifest = serde_json::from_value(sent.clone()).unwrap();
    let f = &m.features.as_ref().unwrap().functions.as_ref().unwrap()[0];
    assert_eq!(f.callback_id.as_deref(), Some("prep_ingredients"));
    let input = &f.input_parameters.as_ref().unwrap()[0];
    assert_eq!((input.name.as_deref(), input.is_required), (Some("user_id"), Some(true)));
    assert_eq!(f.output_parameters.as_ref().unwrap()[0].type_.as_deref(), Some("boolean"));
    assert!(coverage::tally(&m).unwrap().sites.is_empty());
    assert_eq!(serde_json::to_value(&m).unwrap(), sent);
    assert_eq!(m.validate(), Ok(()));

    let mut sent = features_functions_v1();
    sent["features"]["functions"][0]["input_parameters"] = json!(vec![json!({ "name": "p", "type": "string" }); 21]);
    sent["features"]["functions"][0].as_object_mut().unwrap().remove("callback_id");
    let m: AppManifest = serde_json::from_value(sent).unwrap();
    let problems: Vec<String> = m.validate().unwrap_err().0.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        ["features.functions[0].callback_id: required, but not set", "features.functions[0].input_parameters: 21 items, at most 20"]
    );
}

/// The problems `validate()` finds in `sent`, as text.
fn problems(sent: Value) -> Vec<String> {
    let m: AppManifest = serde_json::from_value(sent).unwrap();
    match m.validate() {
        Ok(()) => vec![],
        Err(v) => v.0.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn functions_need_a_function_runtime() {
    let mut sent = fixture("reference.json");
    sent["settings"].as_object_mut().unwrap().remove("function_runtime");
    assert_eq!(problems(sent.clone()), ["settings.function_runtime: required when `functions` is set, but not set"]);
    // Without settings at all, the same.
    sent.as_object_mut().unwrap().remove("settings");
    assert_eq!(problems(sent.clone()), ["settings.function_runtime: required when `functions` is set, but not set"]);
    // No functions (or none in the map): no runtime needed.
    sent["functions"] = json!({});
    assert_eq!(problems(sent.clone()), Vec::<String>::new());
    sent.as_object_mut().unwrap().remove("functions");
    assert_eq!(problems(sent), Vec::<String>::new());
    // A runtime of another shape is reported once, for its shape.
    let mut sent = fixture("reference.json");
    sent["settings"]["function_runtime"] = json!(true);
    assert_eq!(problems(sent), ["settings.function_runtime: not string"]);
}

#[test]
fn optional_scopes_must_also_be_among_the_scopes() {
    let mut sent = fixture("reference.json");
    sent["oauth_config"]["scopes"]["bot_optional"] = json!(["chat:write", "files:read"]);
    sent["oauth_config"]["scopes"]["user_optional"] = json!(["search:read", "reactions:read"]);
    assert_eq!(
        problems(sent.clone()),
        [
            "oauth_config.scopes.bot_optional[1]: `files:read` is not also listed in `oauth_config.scopes.bot`",
            "oauth_config.scopes.user_optional[0]: `search:read` is not also listed in `oauth_config.scopes.user`",
        ]
    );
    sent["oauth_config"]["scopes"]["bot"].as_array_mut().unwrap().push(json!("files:read"));
    sent["oauth_config"]["scopes"]["user"].as_array_mut().unwrap().push(json!("search:read"));
    assert_eq!(problems(sent), Vec::<String>::new());
}

#[test]
fn a_function_callback_id_is_snake_case_and_at_most_100_characters() {
    let mut sent = fixture("reference.json");
    let step = sent["functions"]["a_callback_id"].clone();
    let long = "s".repeat(101);
    sent["functions"] = json!({ "Send-Message": step.clone(), long.clone(): step.clone(), "s".repeat(100): step });
    assert_eq!(
        problems(sent),
        [
            "functions.Send-Message: `Send-Message` is not snake_case (lower-case letters, digits and `_`, starting with a letter)".to_owned(),
            format!("functions.{long}: 101 characters, at most 100"),
        ]
    );
}

#[test]
fn parameters_take_the_form_of_the_manifests_version() {
    // The version 1 snippet in a version 1 manifest (no `_metadata`): fine.
    let mut v1 = fixture("functions-v1.json");
    v1["display_information"] = json!({ "name": "Chef" });
    v1["settings"] = json!({ "function_runtime": "remote" });
    assert_eq!(problems(v1.clone()), Vec::<String>::new());
    // The same snippet in a version 2 manifest: both parameter lists are named.
    v1["_metadata"] = json!({ "major_version": 2 });
    let by_name = "parameters listed by name (manifest version 1) in a version 2 manifest, which lists them under `properties`, with `required`";
    assert_eq!(
        problems(v1),
        [
            format!("functions.prep_ingredients.input_parameters: {by_name}"),
            format!("functions.prep_ingredients.output_parameters: {by_name}"),
        ]
    );
    // The version 2 snippet in a manifest without `_metadata` (read as version 1).
    let mut v2 = fixture("functions-v2.json");
    v2["display_information"] = json!({ "name": "Chef" });
    v2["settings"] = json!({ "function_runtime": "remote" });
    let props = "parameters under `properties` (manifest version 2) in a version 1 manifest (no `_metadata.major_version: 2`), which lists them by name";
    assert_eq!(
        problems(v2.clone()),
        [
            format!("functions.prep_ingredients.input_parameters: {props}"),
            format!("functions.prep_ingredients.output_parameters: {props}"),
        ]
    );
    v2["_metadata"] = json!({ "major_version": 2, "minor_version": 1 });
    assert_eq!(problems(v2), Vec::<String>::new());
    // Workflows too.
    let mut sent = fixture("reference.json");
    sent["_metadata"]["major_version"] = json!(1);
    let found = problems(sent);
    assert!(found.contains(&format!("workflows.cool_name_for_a_workflow.input_parameters: {props}")), "{found:?}");
}

#[test]
fn every_required_parameter_is_declared() {
    let mut sent = fixture("reference.json");
    sent["functions"]["a_callback_id"]["input_parameters"]["required"] = json!(["user_id", "channel_id"]);
    sent["workflows"]["cool_name_for_a_workflow"]["input_parameters"]["required"][3] = json!("fourth_property");
    assert_eq!(
        problems(sent),
        [
            "functions.a_callback_id.input_parameters.required[1]: `channel_id` is required but not among the `properties`",
            "workflows.cool_name_for_a_workflow.input_parameters.required[3]: `fourth_property` is required but not among the `properties`",
        ]
    );
}
