//! The committed generated code is what the spec produces (`cargo xtask codegen --check` as a
//! test), the check notices every kind of staleness, and re-importing Slack's data reproduces
//! `spec/methods`.

use std::path::{Path, PathBuf};

use slack_api_tests::{repo_root, shared_or_skip};

#[test]
fn generated_code_is_fresh() {
    let report = codegen::run(&repo_root(), true).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.is_fresh(), "{report}");
    assert!(report.unchanged >= 3, "mod.rs, common_errors.rs and at least one family: {report:?}");
}

/// A scratch copy of what the generator reads and writes.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("slack-api-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let root = repo_root();
        copy_dir(&root.join("spec"), &dir.join("spec"));
        for d in codegen::generated_dirs() {
            copy_dir(&root.join(d), &dir.join(d));
        }
        for f in codegen::MANIFESTS.iter().flat_map(|m| [m.path, m.template]) {
            std::fs::create_dir_all(dir.join(f).parent().unwrap()).unwrap();
            std::fs::copy(root.join(f), dir.join(f)).unwrap();
        }
        Scratch(dir)
    }
    fn check(&self) -> codegen::Report {
        codegen::run(&self.0, true).unwrap_or_else(|e| panic!("{e}"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn changing_a_description_makes_the_check_fail() {
    let s = Scratch::new("stale");
    assert!(s.check().is_fresh());
    let spec = s.0.join("spec/methods/admin.users.invite.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let changed = text.replace("description: Invite a user to a workspace.", "description: Invite someone to a workspace.");
    assert_ne!(text, changed, "the fixture text must be there to change");
    std::fs::write(&spec, changed).unwrap();
    let report = s.check();
    assert!(!report.is_fresh());
    assert_eq!(report.stale, [PathBuf::from("slack-api-admin/src/generated/admin.rs")]);
    let shown = report.to_string();
    assert!(shown.contains("stale (differs from what the spec produces): slack-api-admin/src/generated/admin.rs"), "{shown}");
    assert!(shown.contains("run `cargo xtask codegen`"), "{shown}");

    // Regenerating makes it fresh again, and a second run writes nothing.
    let written = codegen::run(&s.0, false).unwrap();
    assert_eq!(written.written, [PathBuf::from("slack-api-admin/src/generated/admin.rs")]);
    let again = codegen::run(&s.0, false).unwrap();
    assert!(again.written.is_empty() && again.removed.is_empty(), "{again:?}");
}

#[test]
fn orphaned_and_missing_files_make_the_check_fail() {
    let s = Scratch::new("orphans");
    std::fs::write(s.0.join("slack-api-model/src/generated/stray.rs"), "// left behind\n").unwrap();
    std::fs::remove_file(s.0.join("slack-api-model/src/generated/common_errors.rs")).unwrap();
    let report = s.check();
    assert_eq!(report.orphaned, [PathBuf::from("slack-api-model/src/generated/stray.rs")]);
    assert_eq!(report.missing, [PathBuf::from("slack-api-model/src/generated/common_errors.rs")]);

    // A removed method's family disappears: its file is orphaned.
    std::fs::remove_file(s.0.join("spec/methods/api.test.yaml")).unwrap();
    let report = s.check();
    assert!(report.orphaned.contains(&PathBuf::from("slack-api-methods/src/generated/api.rs")), "{report:?}");
    assert!(report.stale.contains(&PathBuf::from("slack-api-methods/src/generated/mod.rs")), "{report:?}");
    assert!(report.stale.contains(&PathBuf::from("slack-api/Cargo.toml")), "the feature list changes: {report:?}");

    let fixed = codegen::run(&s.0, false).unwrap();
    assert!(fixed.removed.contains(&PathBuf::from("slack-api-model/src/generated/stray.rs")));
    assert!(s.check().is_fresh());
}

#[test]
fn generation_is_deterministic() {
    let root = repo_root();
    let templates = codegen::read_templates(&root).unwrap();
    let a = codegen::render(&codegen::load_api(&root).unwrap(), &templates).unwrap();
    let b = codegen::render(&codegen::load_api(&root).unwrap(), &templates).unwrap();
    assert_eq!(a, b);
    for f in &a {
        assert!(!f.contents.contains(root.to_str().unwrap()), "{} holds an absolute path", f.path.display());
    }
}

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
#[cfg_attr(
    other_snapshot,
    ignore = "../shared holds another docs snapshot than the one spec/ was imported from (spec/docs-snapshot.txt)"
)]
fn reimporting_the_docs_snapshot_reproduces_the_spec() {
    let Some(shared) = shared_or_skip("reimporting_the_docs_snapshot_reproduces_the_spec") else { return };
    let root = repo_root();
    let methods: Vec<String> = std::fs::read_dir(root.join("spec/methods"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".yaml").to_owned())
        .collect();
    let docs = shared.join("slack-docs/methods");
    let index = codegen::import::index_names(&docs).unwrap();
    let only = (methods.len() < index.len()).then_some(methods.as_slice());
    let (report, changes) = codegen::import::import_tree(&root, &docs, only, true).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(report.is_fresh(), "spec/ differs from a fresh import:\n{report}");
    assert!(changes.is_empty(), "{}", codegen::report::markdown(&changes));
    assert_eq!(methods.len(), index.len(), "every method of the snapshot is in spec/");
    assert_eq!(report.unchanged, methods.len() + usize::from(only.is_none()), "every method file (and spec/docs-snapshot.txt)");
}
