//! Events and message subtypes: the loaded `spec/events/` files → [`EventsIr`], validated and
//! named, each subscription name folded into the event type it delivers; and the Events API's
//! outer payloads (`spec/events/envelope/`) → [`EnvelopeIr`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use crate::names;
use crate::spec::events::{Api, EventSpec, LoadedEnvelope, LoadedEvents};
use crate::spec::load::{Seg, SourceFile, SpecError, SpecErrors};
use super::common::{FieldIr, FieldList, check_file_name, checked_type_name, fields_ir, unknown_types};

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

/// Every event and message subtype, sorted by wire name, and the envelope types, sorted by name.
#[derive(Debug, Clone, Default)]
pub struct EventsIr {
    pub events: Vec<EventIr>,
    pub subtypes: Vec<EventIr>,
    pub envelope: Vec<EnvelopeIr>,
}

/// A type of the Events API's outer payloads (`spec/events/envelope/`) ready to emit: a body
/// Slack posts (`event_callback`, `url_verification`, `app_rate_limited`) or a part of one
/// (`authorization`).
#[derive(Debug, Clone)]
pub struct EnvelopeIr {
    /// The spec name (`event_callback`).
    pub name: String,
    /// The Rust type (`EventCallback`).
    pub type_name: String,
    pub description: String,
    pub docs_url: Option<String>,
    pub fields: Vec<FieldIr>,
    /// For a body Slack's event reference also lists as an event: that event's struct
    /// (`app_rate_limited` → `AppRateLimitedEvent`).
    pub event: Option<String>,
    pub spec_file: String,
}

/// The name by which an envelope field's type names the union of every event (`Event`).
pub const EVENT_UNION: &str = "event";

impl EventsIr {
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
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
    Ok(EventsIr { events: out, subtypes: subs_out, envelope: Vec::new() })
}

/// Validates the envelope types against the events and resolves names. A field's type may name
/// another envelope type, `event` (the union of every event) or a shared object or Block Kit
/// type (`objects`). A type named like an event (Slack's event reference lists
/// `url_verification` and `app_rate_limited`, which arrive as whole bodies, not inside an
/// `event_callback`) describes the same payload: it must declare that event's fields, by JSON
/// key, type and secrecy, in its order, so that the two cannot drift apart.
pub fn build_envelope(loaded: &LoadedEnvelope, events: &EventsIr, objects: &BTreeSet<&str>) -> Result<Vec<EnvelopeIr>, SpecErrors> {
    let mut errors = Vec::new();
    let mut known: BTreeSet<&str> = objects.iter().copied().chain(loaded.iter().map(|(_, t)| t.name.as_str())).collect();
    if !events.is_empty() {
        known.insert(EVENT_UNION);
    }
    // The generated file's other types: an envelope type must not take one of their names.
    let mut taken: HashMap<String, String> =
        events.events.iter().chain(&events.subtypes).map(|e| (e.type_name.clone(), format!("the event `{}`", e.wire))).collect();
    taken.insert("Event".into(), "the union of every event".into());
    taken.insert("MessageEvent".into(), "the union of message subtypes".into());
    let mut out = Vec::new();
    for (src, t) in loaded {
        let before = errors.len();
        let Some(type_name) = checked_type_name(src, &t.name, &mut errors) else {
            continue;
        };
        if let Some(other) = taken.insert(type_name.clone(), format!("`{}`", t.name)) {
            errors.push(src.error_at(&[Seg::key("name")], format!("`{}` becomes `{type_name}`, the name of {other}", t.name)));
            continue;
        }
        unknown_types(src, &t.fields, &known, "spec/events/envelope", &mut errors);
        if errors.len() > before {
            continue;
        }
        let list = FieldList { key: "fields", owner: &type_name, reserved: &["extra"], limits_allowed: false };
        let fields = fields_ir(src, list, &t.fields, &known, &mut errors);
        let event = events.events.iter().find(|e| e.wire == t.name);
        if let Some(e) = event {
            let keys = |fields: &[FieldIr]| {
                let key = |f: &FieldIr| format!("{}: {}{}", f.wire_name, f.ty, if f.secret { " (secret)" } else { "" });
                fields.iter().map(key).collect::<Vec<_>>().join(", ")
            };
            let (theirs, ours) = (keys(&e.fields), keys(&fields));
            if theirs != ours {
                errors.push(src.error_at(
                    &[Seg::key("fields")],
                    format!("`{}` is also an event ({}): declare its fields, by JSON key, type and secrecy, in its order ({theirs}), not ({ours})", t.name, e.spec_file),
                ));
            }
        }
        if errors.len() == before {
            out.push(EnvelopeIr {
                name: t.name.clone(),
                type_name,
                description: t.description.clone(),
                docs_url: t.docs_url.clone(),
                fields,
                event: event.map(|e| e.type_name.clone()),
                spec_file: src.path.to_string_lossy().replace('\\', "/"),
            });
        }
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn event_ir(src: &SourceFile, e: &EventSpec, suffix: &str, objects: &BTreeSet<&str>, errors: &mut Vec<SpecError>) -> Option<EventIr> {
    let before = errors.len();
    let Some(variant) = names::variant_name(&e.name).filter(|v| v != "Unknown" && v != "Other") else {
        errors.push(src.error_at(&[Seg::key("name")], format!("`{}` cannot become a Rust variant", e.name)));
        return None;
    };
    let type_name = format!("{variant}{suffix}");
    let fields = fields_ir(
        src,
        FieldList { key: "fields", owner: &type_name, reserved: &["extra"], limits_allowed: false },
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
