//! The importer completes a method's output schema from its example answers: fields only the
//! examples show are added and bare JSON fields typed, each marked `from_example`; a correction
//! still wins; the change report names response-field changes.

use std::path::Path;

use codegen::import::{Correction, FieldPatch, import_method};
use codegen::spec::FieldType;

fn field<'a>(spec: &'a codegen::spec::MethodSpec, name: &str) -> &'a codegen::spec::Field {
    spec.response.as_ref().unwrap().iter().find(|f| f.name.as_str() == name).unwrap_or_else(|| panic!("no field `{name}`"))
}

const DOC: &str = r#"{
  "desc": "Does a thing.", "http_method": "GET", "scope": {"bot": ["things:read"]},
  "rate_limits": "t3", "args": {"required": [], "properties": {}},
  "output": {"type": "object", "properties": {
    "ok": {"type": "boolean"},
    "count": {"type": "integer"},
    "owner": {"type": "object"},
    "items": {"type": "array", "items": {"type": "object"}}
  }},
  "errors": {},
  "examples": {
    "success": {"example": {"ok": true, "count": 2, "owner": {"id": "U1"}, "items": [{"id": "C1"}],
      "channel": "C0123ABC", "user": "someone", "ts": "1700000000.000100", "ratio": 0.5,
      "members": ["U01", "W02"], "message": {"text": "hi"}, "nothing": null, "empty": [],
      "mixed": [1, "two"], "https://example.com/claim": 1}},
    "other": {"example": {"ok": true, "count": 3, "ratio": 1}},
    "error": {"example": {"ok": false, "error": "nope", "leaked": true}}
  }
}"#;

#[test]
fn example_answers_propose_fields_the_schema_lacks() {
    let spec = import_method("things.get", Path::new("things.get.json"), DOC, None).unwrap();
    // From the schema, untouched.
    assert_eq!((field(&spec, "count").ty.clone(), field(&spec, "count").from_example), (FieldType::Integer, false));
    // Bare JSON in the schema: the key names an object (`owner` does not) — stays JSON.
    assert_eq!(field(&spec, "owner").ty, FieldType::Json);
    // Only in the examples: typed from the values and the key, marked.
    let channel = field(&spec, "channel");
    assert_eq!(channel.ty.to_string(), "channel_id");
    assert!(channel.from_example);
    assert_eq!(field(&spec, "user").ty, FieldType::String, "not an ID's form: a plain string");
    assert_eq!(field(&spec, "ts").ty, FieldType::Timestamp);
    assert_eq!(field(&spec, "ratio").ty, FieldType::Number, "0.5 and 1 across examples: a number");
    assert_eq!(field(&spec, "members").ty.to_string(), "array<user_id>");
    assert_eq!(field(&spec, "message").ty.to_string(), "message");
    // Nothing to infer from, disagreeing values, keys that are no field names, error answers.
    let names: Vec<&str> = spec.response.as_ref().unwrap().iter().map(|f| f.name.as_str()).collect();
    for absent in ["nothing", "empty", "mixed", "https://example.com/claim", "leaked", "error"] {
        assert!(!names.contains(&absent), "`{absent}` should not be proposed: {names:?}");
    }
    // The YAML shows the mark, so a reviewer sees it.
    let yaml = codegen::import::to_yaml(&spec);
    assert!(yaml.contains("- name: channel\n  type: channel_id\n  from_example: true\n"), "{yaml}");
}

#[test]
fn a_correction_overrides_what_the_examples_propose() {
    let mut c = Correction { reason: "the example is wrong".into(), ..Correction::default() };
    let patch = |t: FieldType| Some(FieldPatch { ty: Some(t), ..FieldPatch::default() });
    c.response.insert("channel".into(), patch(FieldType::String));
    c.response.insert("owner".into(), patch(FieldType::Object("user".into())));
    let spec = import_method("things.get", Path::new("things.get.json"), DOC, Some(&c)).unwrap();
    assert_eq!(field(&spec, "channel").ty, FieldType::String);
    assert_eq!(field(&spec, "owner").ty.to_string(), "user");
}

#[test]
fn a_method_without_a_schema_is_typed_from_its_examples_alone() {
    let doc = DOC.replace(r#""output": {"#, r#""unused": {"#);
    let spec = import_method("things.get", Path::new("things.get.json"), &doc, None).unwrap();
    assert!(spec.response.as_ref().unwrap().iter().all(|f| f.from_example));
    assert_eq!(field(&spec, "count").ty, FieldType::Integer);
    // No schema and no successful example: untyped.
    let bare = r#"{"desc": "d", "http_method": "GET", "scope": {}, "rate_limits": "t3",
        "args": {"required": [], "properties": {}}, "errors": {},
        "examples": {"error": {"example": {"ok": false, "error": "nope"}}}}"#;
    let spec = import_method("things.get", Path::new("things.get.json"), bare, None).unwrap();
    assert!(spec.response.is_none());
}
