//! `spec/events/`: bad event files get errors naming the file, line and column; the importer's
//! type inference and the events change report.

use std::collections::{BTreeMap, BTreeSet};

use codegen::ir::events::build;
use codegen::spec::events::parse_sources;
use codegen::import::events::{diff, import_addition, import_event, import_tree, infer_fields};
use codegen::spec::load::SourceFile;

fn src(path: &str, text: &str) -> SourceFile {
    SourceFile { path: path.into(), text: text.into() }
}

const MESSAGE: &str = "name: message\ndescription: A message.\napis: [events]\nfields:\n- name: type\n  type: string\n- name: subtype\n  type: string\n";

fn errors(events: &[(&str, &str)], subtypes: &[(&str, &str)]) -> Vec<String> {
    let ev = events.iter().map(|(p, t)| src(&format!("spec/events/{p}"), t)).collect();
    let st = subtypes.iter().map(|(p, t)| src(&format!("spec/events/message/{p}"), t)).collect();
    let objects: BTreeSet<&str> = ["user", "message"].into_iter().collect();
    match parse_sources(ev, st).and_then(|l| build(&l, &objects)) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn good_events_load() {
    let sub = "name: bot_message\ndescription: From a bot.\nfields:\n- name: bot_id\n  type: bot_id\n";
    let alias = "name: message.im\ndescription: In a DM.\nscopes: [im:history]\ndelivered_as: message\n";
    assert_eq!(errors(&[("message.yaml", MESSAGE), ("message.im.yaml", alias)], &[("bot_message.yaml", sub)]), Vec::<String>::new());
}

#[test]
fn unknown_keys_are_rejected_with_their_place() {
    let bad = "name: message\ndescription: A message.\nfeilds: []\n";
    let errs = errors(&[("message.yaml", bad)], &[]);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with("spec/events/message.yaml:3:1: unknown field `feilds`"), "{}", errs[0]);
}

#[test]
fn bad_field_types_objects_and_apis() {
    let bad = "name: team_join\ndescription: x\napis: [webhooks]\n";
    let errs = errors(&[("team_join.yaml", bad)], &[]);
    assert_eq!(errs, ["spec/events/team_join.yaml:3:8: apis[0]: unknown variant `webhooks`, expected `events` or `rtm`"]);

    let bad = "name: team_join\ndescription: x\nfields:\n- name: user\n  type: usr\n";
    let errs = errors(&[("team_join.yaml", bad)], &[]);
    assert_eq!(errs, ["spec/events/team_join.yaml:5:9: unknown object `usr`: there is no spec/objects/usr.yaml"]);

    let bad = "name: team_join\ndescription: x\nfields:\n- name: user\n  type: user\n- name: user\n  type: string\n";
    let errs = errors(&[("team_join.yaml", bad)], &[]);
    assert_eq!(errs, ["spec/events/team_join.yaml:6:9: duplicate field `user` (first defined at line 4)"]);
}

#[test]
fn names_files_and_subscriptions_are_checked() {
    let errs = errors(&[("team_joined.yaml", "name: team_join\ndescription: x\n")], &[]);
    assert_eq!(errs, ["spec/events/team_joined.yaml:1:7: file name does not match the name: the file for `team_join` must be named `team_join.yaml`"]);

    let alias = "name: message.im\ndescription: In a DM.\ndelivered_as: mesage\n";
    let errs = errors(&[("message.yaml", MESSAGE), ("message.im.yaml", alias)], &[]);
    assert_eq!(errs, ["spec/events/message.im.yaml:3:15: `delivered_as: mesage` names no event: there is no spec/events/mesage.yaml without `delivered_as`"]);

    let errs = errors(&[("message.im.yaml", "name: message.im\ndescription: x\n")], &[]);
    assert!(errs[0].contains("needs `delivered_as`"), "{errs:?}");

    let errs = errors(&[], &[("bot_message.yaml", "name: bot_message\ndescription: x\n")]);
    assert_eq!(errs, ["spec/events/message: message subtypes need spec/events/message.yaml"]);
}

#[test]
fn inference_from_examples() {
    let example = serde_json::json!({
        "type": "reaction_added", "user": "U123", "item": { "type": "message" }, "reaction": "thumbsup",
        "item_user": "W456", "event_ts": "1360782804.083113", "channel": "C0G9QF9GZ", "count": 3, "ratio": 0.5,
        "is_ext": false, "users": ["U1", "U2"], "files": [{ "id": "F1" }], "profile": {}, "team": "T1", "tags": [],
    });
    let got: BTreeMap<String, String> = infer_fields(&example).into_iter().map(|f| (f.name.as_str().to_owned(), f.ty.to_string())).collect();
    let want: BTreeMap<String, String> = [
        ("type", "string"), ("user", "user_id"), ("item", "json"), ("reaction", "string"), ("item_user", "user_id"),
        ("event_ts", "timestamp"), ("channel", "channel_id"), ("count", "integer"), ("ratio", "number"), ("is_ext", "boolean"),
        ("users", "array<user_id>"), ("files", "array<file>"), ("profile", "user_profile"), ("team", "team_id"), ("tags", "array<json>"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn corrections_survive_reimport_and_the_report_names_changes() {
    let json = r#"{"name":"team_rename","desc":"The workspace name has changed.","scopes":["team:read"],"APIs":["Events","RTM"]}"#;
    let plain = import_event("team_rename.json".as_ref(), json, None).unwrap();
    assert_eq!(plain.fields.len(), 1, "without an example only `type` is known");
    let correction: codegen::spec::events::EventCorrection =
        serde_yaml::from_str("fields:\n- name: name\n  type: string\n  description: The new name.\n").unwrap();
    let corrected = import_event("team_rename.json".as_ref(), json, Some(&correction)).unwrap();
    assert_eq!(corrected.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["type", "name"]);

    let before: BTreeMap<_, _> = [("team_rename".to_owned(), plain.clone())].into();
    let mut changed = corrected.clone();
    changed.scopes.push("team:write".into());
    let mut after: BTreeMap<_, _> = [("team_rename".to_owned(), changed)].into();
    let new = import_event("x.json".as_ref(), r#"{"name":"brand_new","desc":"New."}"#, None).unwrap();
    after.insert("brand_new".into(), new);
    let lines = diff(&before, &after);
    assert_eq!(lines, [
        "- added event `brand_new`: New.",
        "- `team_rename`: scopes [\"team:read\"] → [\"team:read\", \"team:write\"]; field `name` added (string)",
    ]);
    assert_eq!(diff(&after, &before).last().unwrap(), "- removed event `brand_new`");
}

const ADDED: &str = "reason: Lost from the data; facts from https://docs.slack.dev/reference/events/channel_archive.
added:
  description: A channel was archived.
  long_description: Sent when a public channel is archived.
  scopes: [channels:read]
  apis: [rtm, events]
  example:
    type: channel_archive
    channel: C123ABC456
    user: U123ABC456
fields:
- name: event_ts
  type: timestamp
  description: When.
";

#[test]
fn an_added_event_is_read_like_the_datas_own() {
    let c: codegen::spec::events::EventCorrection = serde_yaml::from_str(ADDED).unwrap();
    let spec = import_addition("channel_archive", &c).unwrap();
    let json = r#"{"name":"channel_archive","desc":"A channel was archived.","long_desc":"Sent when a public channel is archived.",
        "scopes":["channels:read"],"APIs":["Events","RTM"],"example":{"type":"channel_archive","channel":"C123ABC456","user":"U123ABC456"}}"#;
    assert_eq!(spec, import_event("channel_archive.json".as_ref(), json, Some(&c)).unwrap(), "as if the data had it");
    let fields: Vec<String> = spec.fields.iter().map(|f| format!("{}: {}", f.name.as_str(), f.ty)).collect();
    assert_eq!(fields, ["type: string", "channel: channel_id", "user: user_id", "event_ts: timestamp"]);
    assert_eq!(spec.docs_url.as_deref(), Some("https://docs.slack.dev/reference/events/channel_archive"));
    assert_eq!(spec.apis, [codegen::spec::events::Api::Events, codegen::spec::events::Api::Rtm]);
}

#[test]
fn an_added_event_needs_a_reason_and_its_own_example() {
    let no_reason: codegen::spec::events::EventCorrection = serde_yaml::from_str(ADDED.split_once('\n').unwrap().1).unwrap();
    assert_eq!(
        import_addition("channel_archive", &no_reason).unwrap_err(),
        "spec/corrections/events/channel_archive.yaml: `added` needs a `reason`: why the event is not in Slack's data, and where its facts come from"
    );
    let c: codegen::spec::events::EventCorrection = serde_yaml::from_str(ADDED).unwrap();
    assert_eq!(
        import_addition("channel_unarchive", &c).unwrap_err(),
        "spec/corrections/events/channel_unarchive.yaml: the `added` example's `type` must be `channel_unarchive`"
    );
    let bad = ADDED.replace("  scopes:", "  scoopes:");
    let err = serde_yaml::from_str::<codegen::spec::events::EventCorrection>(&bad).unwrap_err().to_string();
    assert!(err.starts_with("added: unknown field `scoopes`"), "{err}");
}

/// A scratch repository root and docs directory for `import_tree`.
struct Tree(std::path::PathBuf);

impl Tree {
    fn new(name: &str) -> Tree {
        let root = std::env::temp_dir().join(format!("slack-api-event-import-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::create_dir_all(root.join(codegen::import::events::CORRECTIONS_DIR)).unwrap();
        std::fs::write(root.join("docs/team_rename.json"), r#"{"name":"team_rename","desc":"Renamed.","APIs":["Events"]}"#).unwrap();
        Tree(root)
    }
    fn correction(&self, name: &str, text: &str) -> &Self {
        std::fs::write(self.0.join(codegen::import::events::CORRECTIONS_DIR).join(format!("{name}.yaml")), text).unwrap();
        self
    }
    fn import(&self) -> Result<Vec<String>, Vec<String>> {
        import_tree(&self.0, &self.0.join("docs"), false).map(|(_, changes)| changes)
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_importer_writes_added_events_and_refuses_stale_or_unexplained_ones() {
    let t = Tree::new("added");
    t.correction("channel_archive", ADDED);
    assert_eq!(t.import().unwrap(), ["- added event `channel_archive`: A channel was archived.", "- added event `team_rename`: Renamed."]);
    let written = std::fs::read_to_string(t.0.join("spec/events/channel_archive.yaml")).unwrap();
    assert!(written.starts_with("# Not in Slack's event data: written by `cargo xtask import-events` from the `added:` of\n"), "{written}");
    assert!(written.contains("\n- name: event_ts\n  type: timestamp\n"), "{written}");
    assert_eq!(t.import().unwrap(), Vec::<String>::new(), "a re-import keeps it");

    // The docs have the event again: the addition is stale.
    std::fs::write(t.0.join("docs/channel_archive.json"), r#"{"name":"channel_archive","desc":"A channel was archived."}"#).unwrap();
    assert_eq!(t.import().unwrap_err(), [
        "spec/corrections/events/channel_archive.yaml: `added`, but the docs now have `channel_archive`: remove `added` (the other keys still apply)"
    ]);

    // A correction for an event neither the docs nor an `added` has.
    let t = Tree::new("unknown");
    t.correction("channel_archived", "fields: []\n");
    assert_eq!(t.import().unwrap_err(), [
        "spec/corrections/events/channel_archived.yaml: no such event in the docs (an event Slack's data lacks needs `added`)"
    ]);
}

const RATE_LIMITED: &str = "name: app_rate_limited\ndescription: Rate limited.\nfields:\n- name: type\n  type: string\n- name: minute_rate_limited\n  type: integer\n";

/// Errors of envelope files beside the event files `events`.
fn envelope_errors(events: &[(&str, &str)], envelope: &[(&str, &str)]) -> Vec<String> {
    let ev = events.iter().map(|(p, t)| src(&format!("spec/events/{p}"), t)).collect();
    let env = envelope.iter().map(|(p, t)| src(&format!("spec/events/envelope/{p}"), t)).collect();
    let objects: BTreeSet<&str> = ["user", "message"].into_iter().collect();
    let events = parse_sources(ev, Vec::new()).and_then(|l| build(&l, &objects)).unwrap_or_else(|e| panic!("{e}"));
    match codegen::spec::events::parse_envelope(env).and_then(|l| codegen::ir::events::build_envelope(&l, &events, &objects)) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn envelope_types_name_each_other_and_the_event_union() {
    let callback = "name: event_callback\ndescription: An event.\nfields:\n- name: type\n  rust_name: kind\n  type: string\n\
                    - name: event\n  type: event\n- name: authorizations\n  type: array<authorization>\n- name: user\n  type: user\n";
    let auth = "name: authorization\ndescription: An installation.\nfields:\n- name: is_bot\n  type: boolean\n";
    let rate = RATE_LIMITED.replace("type: string\n", "rust_name: kind\n  type: string\n  description: Always so.\n");
    let ok = [("event_callback.yaml", callback), ("authorization.yaml", auth), ("app_rate_limited.yaml", rate.as_str())];
    assert_eq!(envelope_errors(&[("app_rate_limited.yaml", RATE_LIMITED)], &ok), Vec::<String>::new());

    let objects: BTreeSet<&str> = BTreeSet::new();
    let events = parse_sources(vec![src("spec/events/app_rate_limited.yaml", RATE_LIMITED)], Vec::new()).and_then(|l| build(&l, &objects)).unwrap();
    let env = codegen::spec::events::parse_envelope(vec![src("spec/events/envelope/app_rate_limited.yaml", &rate)]).unwrap();
    let ir = codegen::ir::events::build_envelope(&env, &events, &objects).unwrap();
    assert_eq!((ir[0].type_name.as_str(), ir[0].event.as_deref(), ir[0].fields[0].field.as_str()), ("AppRateLimited", Some("AppRateLimitedEvent"), "kind"));
}

#[test]
fn bad_envelope_files_are_errors_naming_where() {
    let bad = "name: event_callback\ndescription: x\nfields:\n- name: event\n  type: evnt\n";
    assert_eq!(
        envelope_errors(&[], &[("event_callback.yaml", bad)]),
        ["spec/events/envelope/event_callback.yaml:5:9: unknown type `evnt` of field `event`: there is no spec/events/envelope/evnt.yaml, spec/objects/evnt.yaml or Block Kit type `evnt`"]
    );

    let bad = "name: event_callback\ndescription: x\nfeilds: []\n";
    let errs = envelope_errors(&[], &[("event_callback.yaml", bad)]);
    assert!(errs[0].starts_with("spec/events/envelope/event_callback.yaml:3:1: unknown field `feilds`"), "{errs:?}");

    let errs = envelope_errors(&[], &[("event.yaml", "name: event\ndescription: x\nfields: []\n")]);
    assert_eq!(errs, ["spec/events/envelope/event.yaml:1:7: `event` becomes `Event`, the name of the union of every event"]);

    let errs = envelope_errors(&[], &[("callback.yaml", "name: event_callback\ndescription: x\nfields: []\n")]);
    assert!(errs[0].contains("the file for `event_callback` must be named `event_callback.yaml`"), "{errs:?}");

    // A body Slack's event reference lists as an event too must keep the event's fields.
    let drifted = "name: app_rate_limited\ndescription: x\nfields:\n- name: type\n  type: string\n- name: minute_rate_limited\n  type: string\n";
    assert_eq!(
        envelope_errors(&[("app_rate_limited.yaml", RATE_LIMITED)], &[("app_rate_limited.yaml", drifted)]),
        ["spec/events/envelope/app_rate_limited.yaml:4:1: `app_rate_limited` is also an event (spec/events/app_rate_limited.yaml): \
          declare its fields, by JSON key, type and secrecy, in its order (type: string, minute_rate_limited: integer), \
          not (type: string, minute_rate_limited: string)"]
    );
    // ...and their secrecy: a token redacted in one and shown by the other's `Debug` is drift.
    let shown = "name: app_rate_limited\ndescription: x\nfields:\n- name: type\n  type: string\n  secret: true\n- name: minute_rate_limited\n  type: integer\n";
    let errs = envelope_errors(&[("app_rate_limited.yaml", RATE_LIMITED)], &[("app_rate_limited.yaml", shown)]);
    assert!(errs.len() == 1 && errs[0].ends_with("not (type: string (secret), minute_rate_limited: integer)"), "{errs:?}");
}
