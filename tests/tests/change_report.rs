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
        "response field `channel` added (channel_id)",
        "response field `ts` type: string → timestamp",
        "response field `message` removed (was json)",
    ] {
        assert!(lines.iter().any(|l| l == expected), "missing `{expected}` in {lines:#?}");
    }
    assert_eq!(changes.changed.len(), 1, "unchanged.method and files.upload (only deprecated) are not listed as changed");
    // Rewordings are shown, before and after.
    for prefix in ["error `", "argument `"] {
        assert!(lines.iter().any(|l| l.starts_with(prefix) && l.contains(" reworded: \"") && l.contains("\" → \"")), "{lines:#?}");
    }
    // What breaks callers comes first, on its own.
    for expected in [
        "`stars.add` removed (its request, response and error types go)",
        "cargo feature `stars` removed: no `stars.*` method is left",
        "`chat.postMessage`: argument `legacy_flag` removed (its field and setter go)",
        "`chat.postMessage`: argument `unfurl_links` type boolean → enum",
        "`chat.postMessage`: response field `message` removed",
        "`chat.postMessage`: response field `ts` type string → timestamp",
    ] {
        assert!(changes.breaking.iter().any(|l| l == expected), "missing `{expected}` in {:#?}", changes.breaking);
    }

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

/// A copy of the repository's spec (and a hand-written runtime file) to import into.
fn scratch_root(name: &str) -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("slack-api-report-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let copy = |from: &std::path::Path, to: &std::path::Path| {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
            }
        }
    };
    let repo = repo_root();
    for dir in ["spec", "spec/methods", "spec/corrections", "spec/objects"] {
        copy(&repo.join(dir), &root.join(dir));
    }
    std::fs::create_dir_all(root.join("slack-api/src/generated")).unwrap();
    std::fs::write(
        root.join("slack-api/src/upload.rs"),
        "use crate::files::FilesCompleteUploadExternalRequest;\nfn x() { let _ = \"files.completeUploadExternal\"; }\n",
    )
    .unwrap();
    root
}

/// `../shared`'s snapshot without the methods `drop`, in a temporary directory.
fn reduced_snapshot(shared: &std::path::Path, name: &str, drop: &[&str]) -> std::path::PathBuf {
    let docs = shared.join("slack-docs/methods");
    let out = std::env::temp_dir().join(format!("slack-api-snapshot-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    for e in std::fs::read_dir(&docs).unwrap() {
        let p = e.unwrap().path();
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        if !drop.contains(&stem.as_str()) {
            std::fs::copy(&p, out.join(p.file_name().unwrap())).unwrap();
        }
    }
    let index: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(docs.join("methods.json")).unwrap()).unwrap();
    let kept = filter_index(index, drop);
    std::fs::write(out.join("methods.json"), kept.to_string()).unwrap();
    out
}

/// The index without the names in `drop`, whatever its nesting.
fn filter_index(v: serde_json::Value, drop: &[&str]) -> serde_json::Value {
    match v {
        serde_json::Value::Array(items) => serde_json::Value::Array(
            items
                .into_iter()
                .filter(|i| !i.as_str().is_some_and(|s| drop.contains(&s)) && !i.get("name").and_then(|n| n.as_str()).is_some_and(|s| drop.contains(&s)))
                .map(|i| filter_index(i, drop))
                .collect(),
        ),
        serde_json::Value::Object(m) => serde_json::Value::Object(m.into_iter().map(|(k, v)| (k, filter_index(v, drop))).collect()),
        other => other,
    }
}

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn an_update_with_fewer_methods_reports_what_breaks_and_where_the_runtime_uses_it() {
    let Some(shared) = slack_api_tests::shared_or_skip("an_update_with_fewer_methods…") else { return };
    let root = scratch_root("fewer");
    let docs = reduced_snapshot(&shared, "fewer", &["files.completeUploadExternal", "stars.add", "stars.list", "stars.remove"]);
    assert_eq!(codegen::import::index_names(&docs).unwrap().len(), codegen::import::index_names(&shared.join("slack-docs/methods")).unwrap().len() - 4);
    let (_, changes) = codegen::import::import_tree(&root, &docs, None, false).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(changes.removed.len(), 4);
    let text = markdown(&changes);
    assert!(text.contains("## Breaking for callers"), "{text}");
    assert!(text.contains("cargo feature `stars` removed"), "{text}");
    assert!(
        changes.runtime_uses.iter().any(|l| l.starts_with("slack-api/src/upload.rs:1: uses `files.completeUploadExternal`")),
        "{:#?}",
        changes.runtime_uses
    );
    assert_eq!(changes.runtime_uses.len(), 2, "{:#?}", changes.runtime_uses);
    assert!(!root.join("spec/methods/stars.add.yaml").exists());
    std::fs::remove_dir_all(&root).unwrap();
    std::fs::remove_dir_all(&docs).unwrap();
}

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn removing_more_than_a_tenth_of_the_methods_needs_a_flag() {
    let Some(shared) = slack_api_tests::shared_or_skip("removing_more_than_a_tenth…") else { return };
    let root = scratch_root("mass");
    let all = codegen::import::index_names(&shared.join("slack-docs/methods")).unwrap();
    let corrected = |n: &str| root.join(format!("spec/corrections/{n}.yaml")).exists();
    let drop: Vec<&str> = all.iter().filter(|n| n.starts_with("admin.") && !corrected(n)).map(String::as_str).collect();
    assert!(drop.len() * 10 > all.len(), "admin.* is more than a tenth of the API");
    let docs = reduced_snapshot(&shared, "mass", &drop);
    let err = codegen::import::import_tree(&root, &docs, None, false).unwrap_err();
    assert!(err[0].contains(&format!("would remove {} of {} methods", drop.len(), all.len())) && err[0].contains("--allow-removal"), "{err:#?}");
    assert!(root.join("spec/methods/admin.users.invite.yaml").exists(), "nothing was written");
    let (_, changes) = codegen::import::import_tree_with(&root, &docs, None, false, true).unwrap();
    assert_eq!(changes.removed.len(), drop.len());
    std::fs::remove_dir_all(&root).unwrap();
    std::fs::remove_dir_all(&docs).unwrap();
}

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn corrections_that_mask_or_repeat_the_data_are_reported_by_file() {
    let Some(shared) = slack_api_tests::shared_or_skip("corrections_that_mask…") else { return };
    let docs = shared.join("slack-docs/methods");
    let only = ["chat.postMessage".to_owned(), "search.messages".to_owned(), "users.list".to_owned()];
    // A correction that replaces enum values Slack's data has: it would hide them.
    let root = scratch_root("mask");
    std::fs::write(
        root.join("spec/corrections/search.messages.yaml"),
        "reason: test\narguments:\n  sort_dir:\n    values: [asc]\n",
    )
    .unwrap();
    let err = codegen::import::import_tree(&root, &docs, Some(&only), true).unwrap_err();
    assert!(err.iter().any(|e| e.contains("spec/corrections/search.messages.yaml replaces the values of `sort_dir`") && e.contains("`desc`")), "{err:#?}");
    // A correction that says what the data says: reported, so that it can go.
    std::fs::write(root.join("spec/corrections/users.list.yaml"), "reason: test\nrate_limit: tier2\n").unwrap();
    std::fs::write(
        root.join("spec/corrections/search.messages.yaml"),
        "reason: test\narguments:\n  sort_dir:\n    drop_values: [\"\"]\n",
    )
    .unwrap();
    let (_, changes) = codegen::import::import_tree(&root, &docs, Some(&only), false).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(
        changes.corrections.iter().any(|l| l.starts_with("spec/corrections/users.list.yaml: `rate_limit` is what Slack's data says now")),
        "{:#?}",
        changes.corrections
    );
    // A patch of an argument the data does not have names the correction and the likely rename.
    std::fs::write(root.join("spec/corrections/users.list.yaml"), "reason: test\narguments:\n  team:\n    required: true\n").unwrap();
    let err = codegen::import::import_tree(&root, &docs, Some(&only), true).unwrap_err();
    assert!(
        err.iter().any(|e| e.contains("spec/corrections/users.list.yaml does not apply") && e.contains("renamed? Slack's data has `team_id`")),
        "{err:#?}"
    );
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn many_methods_failing_alike_give_one_summary_line() {
    let root = scratch_root("format");
    // Only the fake methods: no correction names a method of this index.
    std::fs::remove_dir_all(root.join("spec/corrections")).unwrap();
    std::fs::create_dir_all(root.join("spec/corrections")).unwrap();
    let docs = std::env::temp_dir().join(format!("slack-api-format-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&docs);
    std::fs::create_dir_all(&docs).unwrap();
    let names: Vec<String> = (0..8).map(|i| format!("fake.method{i}")).collect();
    let index: Vec<serde_json::Value> = names.iter().map(|n| serde_json::json!({"name": n})).collect();
    std::fs::write(docs.join("methods.json"), serde_json::Value::Array(index).to_string()).unwrap();
    for n in &names {
        // `scope` as a string: an old format of Slack's data.
        std::fs::write(docs.join(format!("{n}.json")), r#"{"desc":"x","http_method":"POST","scope":"chat:write","args":{"required":[]}}"#).unwrap();
    }
    let err = codegen::import::import_tree(&root, &docs, None, true).unwrap_err();
    assert_eq!(err.len(), 1, "{err:#?}");
    assert!(err[0].starts_with("8 methods fail alike: `scope` is"), "{err:#?}");
    std::fs::remove_dir_all(&root).unwrap();
    std::fs::remove_dir_all(&docs).unwrap();
}

#[test]
fn swapped_required_arguments_are_breaking() {
    let before = read_methods_dir(&repo_root().join("spec/methods")).unwrap();
    let mut after = before.clone();
    let invite = after.get_mut("admin.users.invite").unwrap();
    let (i, j) = {
        let req: Vec<usize> =
            invite.arguments.iter().enumerate().filter(|(_, a)| a.required && a.name.as_str() != "token").map(|(i, _)| i).collect();
        (req[0], req[1])
    };
    invite.arguments.swap(i, j);
    let changes = diff(&before, &after);
    assert!(
        changes.breaking.iter().any(|l| l.starts_with("`admin.users.invite`: `new` takes (") && l.contains("reordered")),
        "{:#?}",
        changes.breaking
    );
}
