//! Importing Slack's event reference data (`<event>.json` with `name`, `desc`, `long_desc`,
//! `scopes`, `APIs` and, for some, an `example` payload) into `spec/events/`, and the change
//! report between two sets of event specs.
//!
//! Slack publishes no field schema for events: field types are inferred from the example (IDs by
//! key and prefix, timestamps by key and shape, shared objects by key). Hand corrections live in
//! `spec/corrections/events/<event>.yaml` and are applied on every import; one with `added:`
//! supplies an event the data lacks, read as if the data had it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::spec::events::{Api, EventCorrection, EventSpec};
use crate::spec::load::SpecError;
use crate::spec::{Field, FieldName, FieldType, IdKind};

/// Where event corrections live, relative to the repository root.
pub const CORRECTIONS_DIR: &str = "spec/corrections/events";

/// Loads `spec/corrections/events/*.yaml`, keyed by event name.
pub fn load_corrections(dir: &Path, display_root: &Path) -> Result<BTreeMap<String, EventCorrection>, Vec<SpecError>> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for file in crate::spec::load::named_yaml_files(dir, display_root, "<event>", false)? {
        match file.and_then(|(name, src)| Ok((name, src.parse::<EventCorrection>()?))) {
            Ok((name, c)) => {
                out.insert(name, c);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Descriptions of keys that recur across events.
fn known_description(key: &str) -> Option<&'static str> {
    Some(match key {
        "type" => "The event's type.",
        "subtype" => "The message's subtype.",
        "event_ts" => "When the event was dispatched.",
        "ts" => "The timestamp of the message or item.",
        "user" => "The user concerned.",
        "channel" => "The conversation concerned.",
        "channel_type" => "The kind of conversation: `channel`, `group`, `im` or `mpim`.",
        "team" | "team_id" => "The workspace concerned.",
        "text" => "The message text.",
        "thread_ts" => "The `ts` of the thread's parent message, for a reply.",
        "item" => "The item concerned (a message, file or file comment).",
        "item_user" => "The user who created the item.",
        "reaction" => "The emoji name, without colons.",
        "file_id" => "The file concerned.",
        "file" => "The file concerned.",
        "blocks" => "The message's Block Kit layout.",
        "message" => "The message concerned.",
        "previous_message" => "The message as it was before.",
        "inviter" => "The user who invited them.",
        "enterprise_id" => "The Enterprise organization concerned.",
        _ => return None,
    })
}

fn id_kind_for(key: &str, value: &str) -> Option<IdKind> {
    let prefix = |p: &[char]| value.starts_with(p);
    let k = key.trim_end_matches("_id");
    Some(match k {
        "user" | "inviter" | "item_user" | "creator" | "actor" | "by" | "invited_user" | "bot_user" | "user_ids"
            if prefix(&['U', 'W']) =>
        {
            IdKind::User
        }
        "channel" | "conversation" if prefix(&['C', 'G', 'D']) => IdKind::Channel,
        "team" | "source_team" | "user_team" | "context_team" if prefix(&['T']) => IdKind::Team,
        "enterprise" | "context_enterprise" if prefix(&['E']) => IdKind::Enterprise,
        "app" | "api_app" if prefix(&['A']) => IdKind::App,
        "file" if prefix(&['F']) => IdKind::File,
        "bot" if prefix(&['B']) => IdKind::Bot,
        "subteam" | "usergroup" if prefix(&['S']) => IdKind::Usergroup,
        _ => return None,
    })
}

fn is_ts(key: &str, value: &str) -> bool {
    let shaped = value.split_once('.').is_some_and(|(a, b)| {
        a.len() >= 9 && a.chars().all(|c| c.is_ascii_digit()) && !b.is_empty() && b.chars().all(|c| c.is_ascii_digit())
    });
    shaped && (key == "ts" || key.ends_with("_ts") || key == "latest")
}

fn object_for(key: &str) -> Option<&'static str> {
    Some(match key {
        "user" => "user",
        "channel" => "conversation",
        "file" => "file",
        "message" | "previous_message" | "root" => "message",
        "subteam" => "usergroup",
        "profile" => "user_profile",
        "view" => "view",
        _ => return None,
    })
}

/// The field type of `value` under `key`.
fn infer(key: &str, value: &Value) -> FieldType {
    match value {
        Value::Bool(_) => FieldType::Boolean,
        Value::Number(n) if n.is_i64() || n.is_u64() => FieldType::Integer,
        Value::Number(_) => FieldType::Number,
        Value::String(s) => {
            if is_ts(key, s) {
                FieldType::Timestamp
            } else if let Some(k) = id_kind_for(key, s) {
                FieldType::Id(k)
            } else {
                FieldType::String
            }
        }
        Value::Object(_) => object_for(key).map_or(FieldType::Json, |o| FieldType::Object(o.to_owned())),
        Value::Array(items) => {
            let singular = match key {
                "files" => "file",
                "blocks" => "blocks",
                "users" | "user_ids" | "added_users" | "removed_users" | "members" => "user",
                "channels" => "channel",
                _ => key,
            };
            let inner: Vec<FieldType> = items
                .iter()
                .map(|v| match (singular, v) {
                    ("blocks", Value::Object(_)) => FieldType::Object("block".into()),
                    ("file", Value::Object(_)) => FieldType::Object("file".into()),
                    (_, v) => infer(singular, v),
                })
                .collect();
            match inner.first() {
                Some(first) if inner.iter().all(|t| t == first) => FieldType::Array(Box::new(first.clone())),
                _ => FieldType::Array(Box::new(FieldType::Json)),
            }
        }
        Value::Null => FieldType::Json,
    }
}

/// Fields inferred from an example payload, in its order.
pub fn infer_fields(example: &Value) -> Vec<Field> {
    let Some(obj) = example.as_object() else { return Vec::new() };
    obj.iter()
        .filter_map(|(k, v)| {
            let name: FieldName = serde_yaml::from_str(&serde_json::to_string(k).ok()?).ok()?;
            Some(Field { name, ty: infer(k, v), description: known_description(k).map(str::to_owned), values: None, secret: false, from_example: false, rust_name: None, required: false, min_length: None, max_length: None, min_items: None, max_items: None, item_max_length: None, format: None, closed: false })
        })
        .collect()
}

/// One event's reference JSON → its spec (corrections applied).
pub fn import_event(path: &Path, text: &str, correction: Option<&EventCorrection>) -> Result<EventSpec, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    import_value(path, &v, correction)
}

/// An event Slack's data lacks → its spec, from the `added:` of its correction (which must give
/// a `reason`), read exactly as the data's JSON would be, the correction's other keys on top.
pub fn import_addition(name: &str, correction: &EventCorrection) -> Result<EventSpec, String> {
    let file = format!("{CORRECTIONS_DIR}/{name}.yaml");
    let Some(add) = &correction.added else { return Err(format!("{file}: no `added`")) };
    if correction.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(format!("{file}: `added` needs a `reason`: why the event is not in Slack's data, and where its facts come from"));
    }
    let mut v = serde_json::Map::new();
    v.insert("name".into(), name.into());
    v.insert("desc".into(), add.description.clone().into());
    if let Some(l) = &add.long_description {
        v.insert("long_desc".into(), l.clone().into());
    }
    if let Some(ex) = &add.example {
        if ex.get("type").and_then(Value::as_str) != Some(name) {
            return Err(format!("{file}: the `added` example's `type` must be `{name}`"));
        }
        v.insert("example".into(), ex.clone());
    }
    v.insert("scopes".into(), add.scopes.clone().into());
    let apis = add.apis.iter().map(|a| match a {
        Api::Events => "Events",
        Api::Rtm => "RTM",
    });
    v.insert("APIs".into(), apis.collect::<Vec<_>>().into());
    import_value(Path::new(&file), &Value::Object(v), Some(correction))
}

fn import_value(path: &Path, v: &Value, correction: Option<&EventCorrection>) -> Result<EventSpec, String> {
    let str_of = |k: &str| v.get(k).and_then(Value::as_str).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let name = str_of("name").ok_or_else(|| format!("{}: no `name`", path.display()))?;
    let list = |k: &str| -> Vec<String> {
        v.get(k).and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default()
    };
    let mut apis: Vec<Api> = list("APIs")
        .iter()
        .filter_map(|a| match a.as_str() {
            "Events" => Some(Api::Events),
            "RTM" => Some(Api::Rtm),
            _ => None,
        })
        .collect();
    apis.sort();
    apis.dedup();
    let delivered_as = name.split_once('.').map(|(t, _)| t.to_owned());
    let mut fields = match (&delivered_as, v.get("example")) {
        (None, Some(ex)) => infer_fields(ex),
        (None, None) => vec![Field {
            name: serde_yaml::from_str("type").map_err(|e| e.to_string())?,
            ty: FieldType::String,
            description: known_description("type").map(str::to_owned),
            values: None,
            secret: false,
            from_example: false,
            rust_name: None, required: false, min_length: None, max_length: None, min_items: None, max_items: None, item_max_length: None, format: None, closed: false,
        }],
        (Some(_), _) => Vec::new(),
    };
    let mut description = str_of("desc").unwrap_or_else(|| format!("The `{name}` event."));
    if let Some(c) = correction {
        if let Some(d) = &c.description {
            description = d.clone();
        }
        for r in &c.remove_fields {
            if !fields.iter().any(|f| f.name.as_str() == r) {
                return Err(format!("{CORRECTIONS_DIR}/{name}.yaml: `remove_fields` names `{r}`, which the import does not have"));
            }
            fields.retain(|f| f.name.as_str() != r);
        }
        for f in &c.fields {
            match fields.iter_mut().find(|x| x.name == f.name) {
                Some(x) => *x = f.clone(),
                None => fields.push(f.clone()),
            }
        }
    }
    Ok(EventSpec {
        docs_url: Some(format!("https://docs.slack.dev/reference/events/{}", name.replace('.', "/"))),
        long_description: str_of("long_desc").filter(|l| *l != description),
        description,
        scopes: list("scopes"),
        apis,
        delivered_as,
        fields,
        name,
    })
}

/// The YAML text of an event spec, as the importer writes it.
pub fn to_yaml(spec: &EventSpec) -> String {
    with_header(
        &format!(
            "# Imported from Slack's event reference by `cargo xtask import-events`; corrections live in\n\
             # spec/corrections/events/{}.yaml. Re-import rather than editing by hand.\n",
            spec.name
        ),
        spec,
    )
}

/// The YAML text of an event the data lacks, as the importer writes it.
fn added_to_yaml(spec: &EventSpec) -> String {
    with_header(
        &format!(
            "# Not in Slack's event data: written by `cargo xtask import-events` from the `added:` of\n\
             # spec/corrections/events/{}.yaml (its `reason` says why). Change that file and re-import.\n",
            spec.name
        ),
        spec,
    )
}

fn with_header(header: &str, spec: &EventSpec) -> String {
    let body = serde_yaml::to_string(spec).unwrap_or_else(|e| format!("# cannot serialize: {e}\n"));
    format!("{header}{body}")
}

/// Imports every `<event>.json` of `docs_dir` into `<root>/spec/events/` (with `check`, only
/// compares). Returns the write report and the change report's lines.
pub fn import_tree(root: &Path, docs_dir: &Path, check: bool) -> Result<(crate::write::Report, Vec<String>), Vec<String>> {
    let corrections = load_corrections(&root.join(CORRECTIONS_DIR), root)
        .map_err(|e| e.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    let mut problems = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(docs_dir)
        .map_err(|e| vec![format!("{}: {e}", docs_dir.display())])?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && p.file_name().is_some_and(|n| n != "index.json"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    let mut after = BTreeMap::new();
    for p in &paths {
        let text = match std::fs::read_to_string(p) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{}: {e}", p.display()));
                continue;
            }
        };
        let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        match import_event(p, &text, corrections.get(&stem)) {
            Ok(spec) if spec.name != stem => problems.push(format!("{}: names `{}`", p.display(), spec.name)),
            Ok(spec) => {
                files.push(crate::write::GeneratedFile { path: PathBuf::from(format!("spec/events/{stem}.yaml")), contents: to_yaml(&spec) });
                after.insert(stem, spec);
            }
            Err(e) => problems.push(e),
        }
    }
    for (name, c) in &corrections {
        match (after.contains_key(name), &c.added) {
            (true, None) => {}
            (true, Some(_)) => problems.push(format!(
                "{CORRECTIONS_DIR}/{name}.yaml: `added`, but the docs now have `{name}`: remove `added` (the other keys still apply)"
            )),
            (false, None) => problems.push(format!(
                "{CORRECTIONS_DIR}/{name}.yaml: no such event in the docs (an event Slack's data lacks needs `added`)"
            )),
            (false, Some(_)) => match import_addition(name, c) {
                Ok(spec) => {
                    files.push(crate::write::GeneratedFile { path: PathBuf::from(format!("spec/events/{name}.yaml")), contents: added_to_yaml(&spec) });
                    after.insert(name.clone(), spec);
                }
                Err(e) => problems.push(e),
            },
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let before = read_events_dir(&root.join("spec/events")).map_err(|e| e.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    let changes = diff(&before, &after);
    // Only the top level of spec/events is imported; message subtypes (spec/events/message/) are hand-kept.
    let mut report = crate::write::ensure(root, &files, &[], check).map_err(|e| vec![e.to_string()])?;
    for name in before.keys().filter(|n| !after.contains_key(*n)) {
        let rel = PathBuf::from(format!("spec/events/{name}.yaml"));
        if check {
            report.orphaned.push(rel);
        } else {
            std::fs::remove_file(root.join(&rel)).map_err(|e| vec![format!("{}: {e}", rel.display())])?;
            report.removed.push(rel);
        }
    }
    Ok((report, changes))
}

/// The event specs in a directory (top level only), keyed by name.
pub fn read_events_dir(dir: &Path) -> Result<BTreeMap<String, EventSpec>, Vec<SpecError>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return Ok(out);
    }
    let (events, _) = crate::spec::events::load(dir.parent().unwrap_or(dir), dir.parent().unwrap_or(dir)).map_err(|e| e.0)?;
    for (_, e) in events {
        out.insert(e.name.clone(), e);
    }
    Ok(out)
}

/// The event specs (top level of `spec/events/`) as of git revision `rev`; none if the revision
/// has no `spec/events/`.
pub fn read_events_at_rev(repo: &Path, rev: &str) -> Result<BTreeMap<String, EventSpec>, String> {
    let files = crate::spec::load::yaml_files_at_rev(repo, rev, "spec/events/", false)?;
    let (events, _) = crate::spec::events::parse_sources(files, Vec::new())
        .map_err(|e| e.0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))?;
    Ok(events.into_iter().map(|(_, e)| (e.name.clone(), e)).collect())
}

/// The change report's lines between two sets of events: added and removed events, and per event
/// changed descriptions, scopes, APIs and fields.
pub fn diff(before: &BTreeMap<String, EventSpec>, after: &BTreeMap<String, EventSpec>) -> Vec<String> {
    let mut out = Vec::new();
    for (name, a) in after {
        let Some(b) = before.get(name) else {
            out.push(format!("- added event `{name}`: {}", a.description));
            continue;
        };
        let mut lines = Vec::new();
        if a.description != b.description {
            lines.push("description changed".to_owned());
        }
        if a.scopes != b.scopes {
            lines.push(format!("scopes {:?} → {:?}", b.scopes, a.scopes));
        }
        if a.apis != b.apis {
            lines.push(format!("APIs {:?} → {:?}", b.apis, a.apis));
        }
        for f in &a.fields {
            match b.fields.iter().find(|x| x.name == f.name) {
                None => lines.push(format!("field `{}` added ({})", f.name.as_str(), f.ty)),
                Some(x) if x.ty != f.ty => lines.push(format!("field `{}`: {} → {}", f.name.as_str(), x.ty, f.ty)),
                _ => {}
            }
        }
        for f in &b.fields {
            if !a.fields.iter().any(|x| x.name == f.name) {
                lines.push(format!("field `{}` removed", f.name.as_str()));
            }
        }
        if !lines.is_empty() {
            out.push(format!("- `{name}`: {}", lines.join("; ")));
        }
    }
    for name in before.keys() {
        if !after.contains_key(name) {
            out.push(format!("- removed event `{name}`"));
        }
    }
    out
}

/// The events section of the change report, in Markdown.
pub fn markdown(lines: &[String]) -> String {
    if lines.is_empty() {
        return "## Events\n\nNo changes.\n".to_owned();
    }
    format!("## Events\n\n{}\n", lines.join("\n"))
}
