//! `spec/blocks/` against the machine-readable compilation of Slack's Block Kit reference in
//! `../shared/block-kit/` (skipped, saying why, when it is not there): see
//! `codegen::blocks_check` for what is compared and the deliberate deviations.

use codegen::blocks_check;

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn the_spec_has_every_type_field_and_limit_of_the_reference() {
    let Some(shared) = slack_api_tests::shared_or_skip("the_spec_has_every_type_field_and_limit_of_the_reference") else {
        return;
    };
    let text = std::fs::read_to_string(shared.join("block-kit/slack-block-kit.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let root = slack_api_tests::repo_root();
    let files = codegen::blocks::load_dir(&root.join("spec"), &root).unwrap_or_else(|e| panic!("{e}"));
    let kit = codegen::blocks::build(&files).unwrap_or_else(|e| panic!("{e}"));
    let report = blocks_check::compare(&schema, &kit);
    assert!(report.problems.is_empty(), "{} difference(s):\n{}", report.problems.len(), report.problems.join("\n"));
    assert!(report.compared > 250, "{} fields compared", report.compared);
}

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn a_changed_limit_is_reported() {
    let Some(shared) = slack_api_tests::shared_or_skip("a_changed_limit_is_reported") else {
        return;
    };
    let text = std::fs::read_to_string(shared.join("block-kit/slack-block-kit.schema.json")).unwrap();
    let mut schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    schema["$defs"]["button_element"]["properties"]["value"]["maxLength"] = 1000.into();
    schema["$defs"]["header_block"]["properties"]["level"] = serde_json::json!({"type": "integer"});
    let root = slack_api_tests::repo_root();
    let files = codegen::blocks::load_dir(&root.join("spec"), &root).unwrap();
    let kit = codegen::blocks::build(&files).unwrap();
    let report = blocks_check::compare(&schema, &kit);
    assert_eq!(report.problems.len(), 2, "{:#?}", report.problems);
    assert!(report.problems[0].starts_with("button_element.value: limits"), "{}", report.problems[0]);
    assert_eq!(report.problems[1], "header_block.level: not in spec/blocks/header_block.yaml");
}
