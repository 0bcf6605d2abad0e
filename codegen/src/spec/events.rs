//! Events as they are written: `spec/events/<event>.yaml` (one per event Slack documents,
//! imported), `spec/events/message/<subtype>.yaml` (message subtypes, hand-kept) and
//! `spec/events/envelope/<name>.yaml` (the Events API's outer payloads, hand-kept), loaded with
//! the same file/line/column errors as methods.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::common::Field;
use super::load::{SourceFile, SpecError, SpecErrors, after_reading, parse_each};

/// Where event specs live, under `spec/`.
pub const EVENTS_DIR: &str = "events";
/// Message subtypes, under `spec/events/`.
pub const SUBTYPES_DIR: &str = "message";
/// The Events API's outer payloads, under `spec/events/`.
pub const ENVELOPE_DIR: &str = "envelope";

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

/// `spec/events/envelope/<name>.yaml`: a body the Events API posts (`event_callback`,
/// `url_verification`, …) or a part of one (`authorization`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeSpec {
    /// Lower-case ASCII letters, digits and `_`; equals the file name. The Rust type is its
    /// UpperCamelCase (`event_callback` → `EventCallback`), and fields name the type by it.
    pub name: String,
    /// Markdown, the type's documentation.
    pub description: String,
    /// Slack's reference page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
    /// The fields, as response fields; a field's type may also name another envelope type or
    /// `event` (the union of every event).
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

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "yaml")).collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

fn read_sources(paths: &[PathBuf], display_root: &Path, errors: &mut Vec<SpecError>) -> Vec<SourceFile> {
    paths.iter().filter_map(|p| SourceFile::read(p, display_root).map_err(|e| errors.push(e)).ok()).collect()
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
    after_reading(errors, parse_sources(events, subtypes))
}

/// The parsed envelope files.
pub type LoadedEnvelope = Vec<(SourceFile, EnvelopeSpec)>;

/// Reads `<spec_dir>/events/envelope/*.yaml`. A missing directory is no envelope types.
pub fn load_envelope(spec_dir: &Path, display_root: &Path) -> Result<LoadedEnvelope, SpecErrors> {
    let mut errors = Vec::new();
    let sources = read_sources(&yaml_files(&spec_dir.join(EVENTS_DIR).join(ENVELOPE_DIR)), display_root, &mut errors);
    after_reading(errors, parse_envelope(sources))
}

/// Parses envelope sources already in memory.
pub fn parse_envelope(files: Vec<SourceFile>) -> Result<LoadedEnvelope, SpecErrors> {
    let mut errors = Vec::new();
    let loaded = parse_each(files, &mut errors);
    if errors.is_empty() { Ok(loaded) } else { Err(SpecErrors(errors)) }
}

/// Parses event and subtype sources already in memory.
pub fn parse_sources(events: Vec<SourceFile>, subtypes: Vec<SourceFile>) -> Result<LoadedEvents, SpecErrors> {
    let mut errors = Vec::new();
    let events = parse_each(events, &mut errors);
    let subtypes = parse_each(subtypes, &mut errors);
    if errors.is_empty() { Ok((events, subtypes)) } else { Err(SpecErrors(errors)) }
}
