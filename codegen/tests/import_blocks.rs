//! `cargo xtask import-blocks` on a small spec tree and schema of its own (temp directories):
//! what a schema change does to `spec/blocks/`, what corrections keep, and the errors.

use std::path::PathBuf;

use codegen::import::blocks::{self as import_blocks, import_tree};
use serde_json::json;

const PLAIN_TEXT: &str = "\
# Transcribed from Slack's Block Kit reference; see spec/README.md for the keys.
name: plain_text
group: composition
tag: plain_text
description: Text without formatting.
docs_url: https://docs.slack.dev/reference/block-kit/composition-objects/text-object
fields:
- name: text
  type: string
  required: true
  description: The text.
  min_length: 1
  max_length: 3000
- name: emoji
  type: boolean
  required: false
  description: Whether emoji codes become emoji.
";

const BUTTON: &str = "\
# Transcribed from Slack's Block Kit reference; see spec/README.md for the keys.
name: button_element
group: element
tag: button
description: A button.
docs_url: https://docs.slack.dev/reference/block-kit/block-elements/button-element
surfaces:
- message
- modal
fields:
- name: text
  type: plain_text
  required: true
  description: The button's label.
  max_length: 75
- name: value
  type: string
  required: false
  description: Sent to the app.
  example: click_me_123
  min_length: 1
  max_length: 2000
- name: action_id
  type: string
  required: false
  description: Identifies the action.
  min_length: 1
  max_length: 255
- name: style
  type: enum
  required: false
  description: The style.
  values:
  - primary
  - danger
";

const LEGACY: &str = "\
# Transcribed from Slack's Block Kit reference; see spec/README.md for the keys.
name: legacy_thing
group: message
description: Not Block Kit.
docs_url: https://docs.slack.dev/legacy
fields:
- name: label
  type: string
  required: true
";

fn schema() -> serde_json::Value {
    json!({
        "$defs": {
            "action_id": {"type": "string", "minLength": 1, "maxLength": 255},
            "plain_text_object": {
                "type": "object",
                "required": ["type", "text"],
                "properties": {
                    "type": {"const": "plain_text"},
                    "text": {"type": "string", "minLength": 1, "maxLength": 3000},
                    "emoji": {"type": "boolean"}
                }
            },
            "button_element": {
                "type": "object",
                "required": ["type", "text"],
                "properties": {
                    "type": {"const": "button"},
                    "text": {"allOf": [{"$ref": "#/$defs/plain_text_object"}, {"properties": {"text": {"maxLength": 75}}}]},
                    "value": {"type": "string", "minLength": 1, "maxLength": 2000},
                    "action_id": {"$ref": "#/$defs/action_id"},
                    "style": {"enum": ["primary", "danger"]}
                }
            }
        }
    })
}

/// A repository root in a temp directory, with the three types and a `hand_only` correction.
struct Tree {
    root: PathBuf,
    schema: PathBuf,
}

impl Tree {
    fn new(name: &str) -> Tree {
        let root = std::env::temp_dir().join(format!("slack-api-import-blocks-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("spec/blocks")).unwrap();
        std::fs::create_dir_all(root.join(import_blocks::CORRECTIONS_DIR)).unwrap();
        std::fs::write(root.join("spec/blocks/plain_text.yaml"), PLAIN_TEXT).unwrap();
        std::fs::write(root.join("spec/blocks/button_element.yaml"), BUTTON).unwrap();
        std::fs::write(root.join("spec/blocks/legacy_thing.yaml"), LEGACY).unwrap();
        let tree = Tree { schema: root.join("schema.json"), root };
        tree.correction("legacy_thing", "hand_only: Legacy messages, not in the schema.\n");
        tree.write_schema(&schema());
        tree
    }

    fn write_schema(&self, v: &serde_json::Value) {
        std::fs::write(&self.schema, serde_json::to_string_pretty(v).unwrap()).unwrap();
    }

    fn correction(&self, name: &str, text: &str) {
        std::fs::write(self.root.join(import_blocks::CORRECTIONS_DIR).join(format!("{name}.yaml")), text).unwrap();
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.root.join("spec/blocks").join(format!("{name}.yaml"))).unwrap()
    }

    fn import(&self) -> (codegen::Report, import_blocks::Changes, import_blocks::Imported) {
        import_tree(&self.root, &self.schema, false).unwrap_or_else(|e| panic!("{}", e.join("\n")))
    }

    fn import_err(&self) -> String {
        match import_tree(&self.root, &self.schema, false) {
            Ok(_) => panic!("the import should fail"),
            Err(e) => e.join("\n"),
        }
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// `after` is `before` with exactly the line edits given (old line → new lines).
fn edited(before: &str, edits: &[(&str, &str)]) -> String {
    let mut out = before.to_owned();
    for (old, new) in edits {
        assert_eq!(out.matches(old).count(), 1, "`{old}` once in\n{out}");
        out = out.replacen(old, new, 1);
    }
    out
}

#[test]
fn an_unchanged_schema_changes_nothing() {
    let t = Tree::new("same");
    let (report, changes, imported) = t.import();
    assert!(changes.is_empty(), "{changes}");
    assert!(report.written.is_empty() && report.removed.is_empty(), "{report}");
    assert_eq!(t.read("button_element"), BUTTON);
    assert_eq!(t.read("plain_text"), PLAIN_TEXT);
    assert_eq!(t.read("legacy_thing"), LEGACY);
    assert_eq!(imported.from_schema.len(), 2);
    assert_eq!(imported.types.len(), 3);
    assert!(imported.redundant.is_empty() && imported.needs_description.is_empty());
    // And check mode agrees.
    let (report, _, _) = import_tree(&t.root, &t.schema, true).unwrap();
    assert!(report.is_fresh(), "{report}");
}

#[test]
fn a_changed_limit_an_added_and_a_removed_field_and_a_new_enum_value_change_exactly_that() {
    let t = Tree::new("edits");
    let mut s = schema();
    let props = &mut s["$defs"]["button_element"]["properties"];
    props["value"]["maxLength"] = 1000.into();
    props["style"]["enum"] = json!(["primary", "danger", "subtle"]);
    props["accessibility_label"] = json!({"type": "string", "minLength": 1, "maxLength": 75});
    props.as_object_mut().unwrap().remove("action_id");
    t.write_schema(&s);
    let (report, changes, imported) = t.import();
    assert_eq!(report.written, vec![PathBuf::from("spec/blocks/button_element.yaml")]);
    let want = edited(
        BUTTON,
        &[
            ("  max_length: 2000\n", "  max_length: 1000\n"),
            ("- name: action_id\n  type: string\n  required: false\n  description: Identifies the action.\n  min_length: 1\n  max_length: 255\n", ""),
            ("  - danger\n", "  - danger\n  - subtle\n- name: accessibility_label\n  type: string\n  required: false\n  from_schema: true\n  min_length: 1\n  max_length: 75\n"),
        ],
    );
    assert_eq!(t.read("button_element"), want);
    assert_eq!(t.read("plain_text"), PLAIN_TEXT);
    assert_eq!(changes.added_fields, vec!["button_element.accessibility_label (string)"]);
    assert_eq!(changes.removed_fields, vec!["button_element.action_id"]);
    assert_eq!(
        changes.changed,
        vec!["button_element.value: max_length 2000 → 1000", r#"button_element.style: values ["primary", "danger"] → ["primary", "danger", "subtle"]"#]
    );
    assert_eq!(imported.needs_description, vec!["button_element.accessibility_label"]);
    let md = import_blocks::markdown(&changes);
    assert!(md.contains("- added field `button_element.accessibility_label (string)`"), "{md}");
    // The result loads, and a second import changes nothing.
    let (_, again, _) = t.import();
    assert!(again.is_empty(), "{again}");
}

#[test]
fn a_new_type_is_marked_from_schema_and_a_dropped_one_is_removed() {
    let t = Tree::new("types");
    let mut s = schema();
    s["$defs"]["divider_block"] =
        json!({"type": "object", "required": ["type"], "properties": {"type": {"const": "divider"}, "block_id": {"type": "string", "maxLength": 255}}});
    t.write_schema(&s);
    let (report, changes, imported) = t.import();
    assert_eq!(changes.added_types, vec!["divider_block"]);
    assert_eq!(report.written, vec![PathBuf::from("spec/blocks/divider_block.yaml")]);
    let text = t.read("divider_block");
    assert!(text.contains("group: block\ntag: divider\n"), "{text}");
    assert!(text.contains("from_schema: true\ndocs_url: https://docs.slack.dev/reference/block-kit\n"), "{text}");
    assert_eq!(imported.needs_description, vec!["divider_block (the type)", "divider_block.block_id"]);

    // Without the legacy type's correction, the type the schema lacks goes.
    std::fs::remove_file(t.root.join(import_blocks::CORRECTIONS_DIR).join("legacy_thing.yaml")).unwrap();
    let (report, changes, _) = t.import();
    assert_eq!(changes.removed_types, vec!["legacy_thing"]);
    assert_eq!(report.removed, vec![PathBuf::from("spec/blocks/legacy_thing.yaml")]);
}

#[test]
fn a_correction_survives_the_schema_change_it_masks_and_a_redundant_one_is_reported() {
    let t = Tree::new("corrections");
    t.correction(
        "button_element",
        "fields:\n  value:\n    reason: Slack's button page says 2000 characters.\n    max_length: 2000\n  style:\n    reason: Same as the schema.\n    values: [primary, danger]\n",
    );
    let mut s = schema();
    s["$defs"]["button_element"]["properties"]["value"]["maxLength"] = 1000.into();
    t.write_schema(&s);
    let (_, changes, imported) = t.import();
    assert!(changes.is_empty(), "{changes}");
    assert_eq!(t.read("button_element"), BUTTON);
    assert_eq!(
        imported.redundant,
        vec!["spec/corrections/blocks/button_element.yaml: `fields.style`: the schema now says the same; delete the entry"]
    );
    // check-blocks uses the same corrections.
    let report = codegen::import::blocks_check::check(&t.root, &t.schema).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.redundant, imported.redundant);
}

#[test]
fn check_blocks_lists_what_the_import_would_change() {
    let t = Tree::new("check");
    let mut s = schema();
    s["$defs"]["button_element"]["properties"]["value"]["maxLength"] = 1000.into();
    s["$defs"]["button_element"]["properties"]["url"] = json!({"type": "string", "maxLength": 3000});
    t.write_schema(&s);
    let report = codegen::import::blocks_check::check(&t.root, &t.schema).unwrap();
    assert_eq!(
        report.problems,
        vec![
            "button_element.url: in the schema, not in spec/blocks/button_element.yaml",
            "button_element.value: max_length 2000 → 1000 (spec → schema)",
        ]
    );
    assert_eq!(t.read("button_element"), BUTTON, "check-blocks writes nothing");
}

#[test]
fn a_correction_can_add_a_field_remove_one_and_drop_a_limit() {
    let t = Tree::new("patch");
    t.correction(
        "button_element",
        "fields:\n  value:\n    reason: r\n    min_length: null\n  action_id:\n    reason: r\n    remove: true\n  url:\n    reason: r\n    type: string\n    required: false\n    max_length: 3000\n",
    );
    let (_, changes, _) = t.import();
    assert_eq!(changes.added_fields, vec!["button_element.url (string)"]);
    assert_eq!(changes.removed_fields, vec!["button_element.action_id"]);
    assert_eq!(changes.changed, vec!["button_element.value: min_length 1 → none"]);
}

#[test]
fn malformed_schemas_are_errors_naming_where() {
    let t = Tree::new("bad-schema");
    std::fs::write(&t.schema, "{\n  \"$defs\": {\n    oops\n").unwrap();
    let e = t.import_err();
    assert!(e.starts_with(&format!("{}:3:5: not JSON", t.schema.display())), "{e}");

    std::fs::write(&t.schema, "{\"definitions\": {}}").unwrap();
    assert!(t.import_err().ends_with("schema.json: no `$defs` object: not a Block Kit schema"));

    let mut s = schema();
    s["$defs"]["button_element"]["properties"]["value"]["maxLength"] = json!("long");
    s["$defs"]["button_element"]["properties"]["text"]["allOf"][0]["$ref"] = json!("#/$defs/nowhere");
    t.write_schema(&s);
    let e = t.import_err();
    assert!(e.contains("schema.json: /$defs/button_element/properties/value/maxLength: must be a whole number"), "{e}");
    assert!(e.contains("schema.json: /$defs/button_element/properties/text/allOf/0/$ref: `nowhere` is not in `$defs`"), "{e}");
}

#[test]
fn malformed_corrections_are_errors_naming_file_line_and_column() {
    let t = Tree::new("bad-correction");
    t.correction("button_element", "fields:\n  value:\n    reason: r\n    max_lenght: 10\n");
    let e = t.import_err();
    assert!(e.starts_with("spec/corrections/blocks/button_element.yaml:4:5: fields.value: unknown field `max_lenght`"), "{e}");

    t.correction("button_element", "fields:\n  value:\n    max_length: 10\n");
    assert!(t.import_err().starts_with("spec/corrections/blocks/button_element.yaml:3:5: fields.value: missing field `reason`"), "{}", t.import_err());

    t.correction("button_element", "fields:\n  colour:\n    reason: r\n    max_length: 10\n");
    let e = t.import_err();
    assert_eq!(
        e,
        "spec/corrections/blocks/button_element.yaml:3:5: `colour` is not a field of `button_element` in the schema: give `type` and `required` to add it"
    );

    t.correction("button_element", "fields:\n  colour:\n    reason: r\n    remove: true\n");
    assert!(t.import_err().contains("removes `colour`, which the schema's `button_element` does not have"));

    std::fs::remove_file(t.root.join(import_blocks::CORRECTIONS_DIR).join("button_element.yaml")).unwrap();
    t.correction("no_such_block", "hand_only: r\n");
    assert!(t.import_err().starts_with("spec/corrections/blocks/no_such_block.yaml:1:1: no Block Kit type `no_such_block`"), "{}", t.import_err());
}

#[test]
fn an_import_that_breaks_a_reference_is_refused() {
    let t = Tree::new("dangling");
    let mut s = schema();
    s["$defs"].as_object_mut().unwrap().remove("plain_text_object");
    // An object defined in place keeps the field's type, `plain_text`, which is now gone.
    s["$defs"]["button_element"]["properties"]["text"] = json!({"type": "object"});
    t.write_schema(&s);
    let e = t.import_err();
    assert!(e.contains("spec/blocks/button_element.yaml") && e.contains("(after the import)"), "{e}");
    assert_eq!(t.read("plain_text"), PLAIN_TEXT, "nothing written");
}

#[test]
fn the_generated_docs_say_what_is_not_yet_reviewed() {
    let t = Tree::new("docs");
    let mut s = schema();
    s["$defs"]["button_element"]["properties"]["url"] = json!({"type": "string", "maxLength": 3000});
    t.write_schema(&s);
    t.import();
    let files = codegen::spec::blocks::load_dir(&t.root.join("spec"), &t.root).unwrap();
    let kit = codegen::ir::blocks::build(&files).unwrap();
    let code = codegen::emit::blocks::type_items(&kit, kit.get("button_element").unwrap()).to_string();
    assert!(code.contains("not yet described"), "{code}");
    let code = codegen::emit::blocks::type_items(&kit, kit.get("plain_text").unwrap()).to_string();
    assert!(!code.contains("not yet"), "{code}");
}

#[test]
fn a_ref_cycle_through_a_def_read_in_place_is_an_error_not_a_stack_overflow() {
    // `action_id`, `block_id` and `placeholder_object` are read in place where they are used;
    // a schema whose such definition refers back to itself (directly or through another) made
    // `derive` recurse until the stack overflowed, aborting the process.
    let t = Tree::new("refcycle");
    let mut s = schema();
    s["$defs"]["action_id"] = json!({"$ref": "#/$defs/block_id"});
    s["$defs"]["block_id"] = json!({"allOf": [{"$ref": "#/$defs/action_id"}]});
    t.write_schema(&s);
    let e = t.import_err();
    assert!(e.contains("/$defs/button_element/properties/action_id") && e.contains("cycle"), "{e}");
}

#[test]
fn a_schema_type_whose_rust_name_shadows_one_the_generated_code_uses_is_refused() {
    // The generated `block_kit.rs` names `String`, `Option`, `Vec`, `Box`, `Result` unqualified
    // and re-exports the runtime (`Path`, `Validate`, `JsonWriter`…) by a glob: a Block Kit type
    // `string` or `path` from the schema became `pub struct String` / `pub struct Path` and the
    // generated module no longer compiled; the import must refuse it by name instead.
    for name in ["string", "option", "path", "json_writer"] {
        let t = Tree::new(&format!("shadow-{name}"));
        let mut s = schema();
        s["$defs"][name] = json!({"type": "object", "properties": {"label": {"type": "string"}}});
        t.write_schema(&s);
        let e = match import_tree(&t.root, &t.schema, false) {
            Ok(_) => panic!("a Block Kit type `{name}` was accepted"),
            Err(e) => e.join("\n"),
        };
        assert!(e.contains(&format!("spec/blocks/{name}.yaml")), "{e}");
    }
}
