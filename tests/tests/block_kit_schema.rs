//! `spec/blocks/` against the machine-readable compilation of Slack's Block Kit reference in
//! `../shared/block-kit/` (skipped, saying why, when it is not there): see
//! `codegen::import_blocks` for what is imported and `spec/corrections/blocks/` for the
//! deliberate deviations.

use codegen::{blocks_check, import_blocks};

fn schema_path(shared: &std::path::Path) -> std::path::PathBuf {
    shared.join("block-kit/slack-block-kit.schema.json")
}

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn reimporting_the_schema_changes_nothing() {
    let Some(shared) = slack_api_tests::shared_or_skip("reimporting_the_schema_changes_nothing") else {
        return;
    };
    let root = slack_api_tests::repo_root();
    // Check mode: compares, byte for byte, and writes nothing.
    let (report, changes, imported) =
        import_blocks::import_tree(&root, &schema_path(&shared), true).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    assert!(report.is_fresh(), "spec/blocks/ is not what `cargo xtask import-blocks` writes:\n{report}\n{changes}");
    assert!(changes.is_empty(), "{changes}");
    assert!(imported.redundant.is_empty(), "redundant corrections: {:#?}", imported.redundant);
    assert!(imported.needs_description.is_empty(), "not yet described: {:?}", imported.needs_description);
    assert!(imported.from_schema.len() > 80, "{} types from the schema", imported.from_schema.len());
}

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn the_spec_has_every_type_field_and_limit_of_the_reference() {
    let Some(shared) = slack_api_tests::shared_or_skip("the_spec_has_every_type_field_and_limit_of_the_reference") else {
        return;
    };
    let root = slack_api_tests::repo_root();
    let report = blocks_check::check(&root, &schema_path(&shared)).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    assert!(report.problems.is_empty(), "{} difference(s):\n{}", report.problems.len(), report.problems.join("\n"));
    assert!(report.compared > 250, "{} fields compared", report.compared);
}

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn a_changed_limit_is_reported() {
    let Some(shared) = slack_api_tests::shared_or_skip("a_changed_limit_is_reported") else {
        return;
    };
    let text = std::fs::read_to_string(schema_path(&shared)).unwrap();
    let mut schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    schema["$defs"]["button_element"]["properties"]["value"]["maxLength"] = 1000.into();
    schema["$defs"]["header_block"]["properties"]["level"] = serde_json::json!({"type": "integer"});
    let file = std::env::temp_dir().join(format!("slack-api-block-kit-schema-{}.json", std::process::id()));
    std::fs::write(&file, serde_json::to_string(&schema).unwrap()).unwrap();
    let report = blocks_check::check(&slack_api_tests::repo_root(), &file);
    let _ = std::fs::remove_file(&file);
    let report = report.unwrap_or_else(|e| panic!("{}", e.join("\n")));
    assert_eq!(
        report.problems,
        vec![
            "header_block.level: in the schema, not in spec/blocks/header_block.yaml",
            "button_element.value: max_length 2000 → 1000 (spec → schema)",
        ]
    );
}
