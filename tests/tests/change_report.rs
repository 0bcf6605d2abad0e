//! The API change report on crafted before/after trees (`tests/fixtures/report`), compared with
//! `expected.md`; `UPDATE_GOLDEN=1` rewrites it after an intended change.

use codegen::report::{diff, markdown, read_methods_dir};
use slack_api_tests::repo_root;

#[test]
fn report_names_every_kind_of_change() {
    let dir = repo_root().join("tests/fixtures/report");
    let before = read_methods_dir(&dir.join("before")).unwrap();
    let after = read_methods_dir(&dir.join("after")).unwrap();
    let changes = diff(&before, &after);

    assert_eq!(changes.added.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["files.getUploadURLExternal"]);
    assert_eq!(changes.removed.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["stars.add"]);
    assert_eq!(changes.deprecated.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["files.upload"]);
    let (name, lines) = &changes.changed[0];
    assert_eq!(name, "chat.postMessage");
    for expected in [
        "rate limit: Tier 2 → special",
        "token type `user` now accepted",
        "bot scopes: +`chat:write.public`",
        "content types: application/x-www-form-urlencoded → application/x-www-form-urlencoded, application/json",
        "argument `text` now optional (was required)",
        "argument `unfurl_links` type: boolean → enum",
        "argument `parse` values: +`client`",
        "argument `markdown_text` added (string, optional)",
        "argument `legacy_flag` removed (was boolean, optional)",
        "error codes added: `markdown_text_conflict`",
        "error codes removed: `old_error`",
        "1 error description(s) reworded",
        "1 argument description(s) or example(s) reworded",
        "response field `channel` added (channel_id)",
        "response field `thread_ts` added (timestamp, from an example)",
        "response field `ts` type: string → timestamp",
        "response field `message` removed (was json)",
    ] {
        assert!(lines.iter().any(|l| l == expected), "missing `{expected}` in {lines:#?}");
    }
    assert_eq!(changes.changed.len(), 1, "unchanged.method and files.upload (only deprecated) are not listed as changed");

    let text = markdown(&changes);
    let golden = dir.join("expected.md");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &text).unwrap();
    }
    assert_eq!(text, std::fs::read_to_string(&golden).unwrap(), "rerun with UPDATE_GOLDEN=1 if intended");
}

#[test]
fn identical_trees_report_no_changes() {
    let dir = repo_root().join("spec/methods");
    let a = read_methods_dir(&dir).unwrap();
    let changes = diff(&a, &a);
    assert!(changes.is_empty());
    assert!(markdown(&changes).ends_with("No changes.\n"));
}

#[test]
fn report_between_git_revisions() {
    // The first commit that holds the whole API, against the working tree: spec files only
    // change through the importer, so whatever the report says must parse; an unknown revision
    // is a clear error.
    let root = repo_root();
    if !root.join(".git").exists() {
        eprintln!("skipping report_between_git_revisions: not a git checkout");
        return;
    }
    let head = codegen::report::read_methods_at_rev(&root, "HEAD").unwrap();
    assert!(head.len() >= 13, "{} methods at HEAD", head.len());
    let err = codegen::report::read_methods_at_rev(&root, "no-such-revision-xyz").unwrap_err();
    assert!(err.contains("no-such-revision-xyz"), "{err}");
}
