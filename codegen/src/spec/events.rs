//! Events in the spec: `spec/events/<event>.yaml` (one per event Slack documents, imported) and
//! `spec/events/message/<subtype>.yaml` (message subtypes, hand-kept), loaded with the same
//! file/line/column errors as methods, validated and resolved into [`EventsIr`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ir::FieldIr;
use crate::load::{Seg, SourceFile, SpecError, SpecErrors};
use crate::names;
use crate::spec::Field;

/// Where event specs live, under `spec/`.
pub const EVENTS_DIR: &str = "events";
/// Message subtypes, under `spec/events/`.
pub const SUBTYPES_DIR: &str = "message";

/// `spec/events/<name>.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// The event's name as Slack documents it: the `type` of its payload (`reaction_added`), or
    /// a subscription name (`message.channels`) for a subscription that delivers another type.
    /// For a message subtype, the `subtype` (`bot_message`). Equals the file name.
    pub name: String,
    /// One line.
    pub description: String,
    /// Slack's longer explanation, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
    /// OAuth scopes that let an app subscribe to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// Which APIs deliver it: `events` (Events API over HTTP and Socket Mode) and/or `rtm`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub apis: Vec<Api>,
    /// For a subscription name such as `message.channels`: the `type` its payloads carry
    /// (`message`). Such an entry has no fields of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_as: Option<String>,
    /// The payload's fields (`type` included).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    Events,
    Rtm,
}

/// `spec/corrections/events/<name>.yaml`: hand fixes applied on import, kept apart so that a
/// re-import never loses them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventCorrection {
    /// Why (kept for reviewers; required with `added`).
    #[serde(default)]
    pub reason: Option<String>,
    /// For an event Slack's data lacks: its reference data, which the importer reads as if the
    /// docs had it (the other keys then apply on top, as for any event).
    #[serde(default)]
    pub added: Option<EventAddition>,
    #[serde(default)]
    pub description: Option<String>,
    /// Fields replacing an inferred field of the same name, or added after them.
    #[serde(default)]
    pub fields: Vec<Field>,
    /// Inferred fields to drop.
    #[serde(default)]
    pub remove_fields: Vec<String>,
}

/// `added:` of an event correction: what Slack's reference page of an event the data lacks
/// says, in the terms of the data (`desc` → `description`, `long_desc` → `long_description`,
/// `APIs` → `apis`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventAddition {
    /// One line.
    pub description: String,
    #[serde(default)]
    pub long_description: Option<String>,
    /// Scopes that let an app subscribe to it.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Which APIs deliver it.
    #[serde(default)]
    pub apis: Vec<Api>,
    /// The payload the reference page shows (without the Events API envelope); fields are
    /// inferred from it as from the data's examples.
    #[serde(default)]
    pub example: Option<serde_json::Value>,
}

/// An event (or message subtype) ready to emit.
#[derive(Debug, Clone)]
pub struct EventIr {
    /// The payload's `type` (or, for a subtype, its `subtype`).
    pub wire: String,
    /// The generated struct.
    pub type_name: String,
    /// The variant of the union.
    pub variant: String,
    pub description: String,
    pub long_description: Option<String>,
    pub docs_url: Option<String>,
    pub scopes: Vec<String>,
    pub apis: Vec<Api>,
    pub fields: Vec<FieldIr>,
    /// Subscription names that deliver this type (`message.channels`, …) with their scopes.
    pub subscriptions: Vec<(String, String, Vec<String>)>,
    pub spec_file: String,
}

/// Every event and message subtype, sorted by wire name.
#[derive(Debug, Clone, Default)]
pub struct EventsIr {
    pub events: Vec<EventIr>,
    pub subtypes: Vec<EventIr>,
}

impl EventsIr {
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "yaml")).collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

fn read_sources(paths: &[PathBuf], display_root: &Path, errors: &mut Vec<SpecError>) -> Vec<SourceFile> {
    paths
        .iter()
        .filter_map(|p| {
            let shown = p.strip_prefix(display_root).unwrap_or(p).to_path_buf();
            match std::fs::read_to_string(p) {
                Ok(text) => Some(SourceFile { path: shown, text }),
                Err(e) => {
                    errors.push(SpecError { file: shown, line: 0, column: 0, message: format!("cannot read: {e}") });
                    None
                }
            }
        })
        .collect()
}

/// The parsed event files: (events, message subtypes).
pub type LoadedEvents = (Vec<(SourceFile, EventSpec)>, Vec<(SourceFile, EventSpec)>);

/// Reads `<spec_dir>/events/*.yaml` and `<spec_dir>/events/message/*.yaml`. A missing directory
/// is no events.
pub fn load(spec_dir: &Path, display_root: &Path) -> Result<LoadedEvents, SpecErrors> {
    let dir = spec_dir.join(EVENTS_DIR);
    let mut errors = Vec::new();
    let events = read_sources(&yaml_files(&dir), display_root, &mut errors);
    let subtypes = read_sources(&yaml_files(&dir.join(SUBTYPES_DIR)), display_root, &mut errors);
    let loaded = parse_sources(events, subtypes);
    match loaded {
        Ok(l) if errors.is_empty() => Ok(l),
        Ok(_) => Err(SpecErrors(errors)),
        Err(SpecErrors(more)) => {
            errors.extend(more);
            Err(SpecErrors(errors))
        }
    }
}

/// Parses event and subtype sources already in memory.
pub fn parse_sources(events: Vec<SourceFile>, subtypes: Vec<SourceFile>) -> Result<LoadedEvents, SpecErrors> {
    let mut errors = Vec::new();
    let mut parse = |files: Vec<SourceFile>| {
        let mut out = Vec::new();
        for src in files {
            match src.parse::<EventSpec>() {
                Ok(spec) => out.push((src, spec)),
                Err(e) => errors.push(e),
            }
        }
        out
    };
    let events = parse(events);
    let subtypes = parse(subtypes);
    if errors.is_empty() { Ok((events, subtypes)) } else { Err(SpecErrors(errors)) }
}

/// Validates loaded events against the shared objects and resolves names.
pub fn build(loaded: &LoadedEvents, objects: &BTreeSet<&str>) -> Result<EventsIr, SpecErrors> {
    let mut errors = Vec::new();
    let (events, subtypes) = loaded;
    let by_name: BTreeMap<&str, &EventSpec> = events.iter().map(|(_, e)| (e.name.as_str(), e)).collect();
    let mut subscriptions: BTreeMap<String, Vec<(String, String, Vec<String>)>> = BTreeMap::new();
    let mut out = Vec::new();
    let mut taken: HashMap<String, String> = HashMap::new();
    for (src, e) in events {
        check_file_name(src, &e.name, &mut errors);
        if let Some(target) = &e.delivered_as {
            if !e.fields.is_empty() {
                errors.push(src.error_at(&[Seg::key("fields")], "an event with `delivered_as` has no fields of its own"));
            }
            if by_name.get(target.as_str()).is_none_or(|t| t.delivered_as.is_some()) {
                errors.push(src.error_at(
                    &[Seg::key("delivered_as")],
                    format!("`delivered_as: {target}` names no event: there is no spec/events/{target}.yaml without `delivered_as`"),
                ));
                continue;
            }
            subscriptions.entry(target.clone()).or_default().push((e.name.clone(), e.description.clone(), e.scopes.clone()));
            continue;
        }
        if !e.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') || e.name.is_empty() {
            errors.push(src.error_at(
                &[Seg::key("name")],
                format!("event `{}` needs `delivered_as`: only a payload `type` (lower-case, digits, `_`) becomes a struct", e.name),
            ));
            continue;
        }
        if let Some(ev) = event_ir(src, e, "Event", objects, &mut errors) {
            if let Some(other) = taken.insert(ev.variant.clone(), e.name.clone()) {
                errors.push(src.error_at(&[Seg::key("name")], format!("`{}` and `{other}` both become `Event::{}`", e.name, ev.variant)));
            }
            out.push(ev);
        }
    }
    for ev in &mut out {
        if let Some(subs) = subscriptions.remove(&ev.wire) {
            ev.subscriptions = subs;
        }
    }
    let mut subs_out = Vec::new();
    for (src, e) in subtypes {
        check_file_name(src, &e.name, &mut errors);
        if e.delivered_as.is_some() {
            errors.push(src.error_at(&[Seg::key("delivered_as")], "a message subtype cannot have `delivered_as`"));
            continue;
        }
        if e.name == "plain" || e.name == "other" {
            errors.push(src.error_at(&[Seg::key("name")], format!("subtype name `{}` is reserved", e.name)));
            continue;
        }
        if let Some(mut ev) = event_ir(src, e, "", objects, &mut errors) {
            ev.type_name = format!("Message{}", ev.variant);
            subs_out.push(ev);
        }
    }
    if !subs_out.is_empty() && !out.iter().any(|e| e.wire == "message") {
        errors.push(SpecError {
            file: PathBuf::from("spec/events/message"),
            line: 0,
            column: 0,
            message: "message subtypes need spec/events/message.yaml".into(),
        });
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    out.sort_by(|a, b| a.wire.cmp(&b.wire));
    if !subs_out.is_empty() {
        // `MessageEvent` is the union over subtypes; the plain message is its `Plain` variant.
        if let Some(m) = out.iter_mut().find(|e| e.wire == "message") {
            m.type_name = "PlainMessageEvent".into();
        }
    }
    subs_out.sort_by(|a, b| a.wire.cmp(&b.wire));
    Ok(EventsIr { events: out, subtypes: subs_out })
}

fn check_file_name(src: &SourceFile, name: &str, errors: &mut Vec<SpecError>) {
    let stem = src.path.file_name().and_then(|s| s.to_str()).and_then(|s| s.strip_suffix(".yaml"));
    if stem != Some(name) {
        errors.push(src.error_at(
            &[Seg::key("name")],
            format!("file name does not match the name: the file for `{name}` must be named `{name}.yaml`"),
        ));
    }
}

fn event_ir(src: &SourceFile, e: &EventSpec, suffix: &str, objects: &BTreeSet<&str>, errors: &mut Vec<SpecError>) -> Option<EventIr> {
    let before = errors.len();
    let Some(variant) = names::variant_name(&e.name).filter(|v| v != "Unknown" && v != "Other") else {
        errors.push(src.error_at(&[Seg::key("name")], format!("`{}` cannot become a Rust variant", e.name)));
        return None;
    };
    let type_name = format!("{variant}{suffix}");
    let fields = crate::ir::fields_ir(
        src,
        crate::ir::FieldList { key: "fields", owner: &type_name, reserved: &["extra"], limits_allowed: false },
        &e.fields,
        objects,
        errors,
    );
    (errors.len() == before).then(|| EventIr {
        wire: e.name.clone(),
        type_name,
        variant,
        description: e.description.clone(),
        long_description: e.long_description.clone(),
        docs_url: e.docs_url.clone(),
        scopes: e.scopes.clone(),
        apis: e.apis.clone(),
        fields,
        subscriptions: Vec::new(),
        spec_file: src.path.to_string_lossy().replace('\\', "/"),
    })
}
