//! `spec/events/`: bad event files get errors naming the file, line and column; the importer's
//! type inference and the events change report.

use std::collections::{BTreeMap, BTreeSet};

use codegen::events::{build, parse_sources};
use codegen::import_events::{diff, infer_fields, import_event};
use codegen::load::SourceFile;

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
    let correction: codegen::events::EventCorrection =
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
