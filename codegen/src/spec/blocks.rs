//! `spec/blocks/*.yaml`: Block Kit as it is written, one file per block, element, composition
//! object, rich text element, view, union and message part, and its loading.
//!
//! Every file rejects unknown keys; every error names the file, line and column.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use super::common::FormatName;
use super::load::{SourceFile, SpecError, SpecErrors};

/// Where the Block Kit spec lives, under `spec/`.
pub const DIR: &str = "blocks";

/// One `spec/blocks/<name>.yaml`. The fields are in the order the importer writes them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KitSpec {
    /// Lower-case with `_`; equals the file name. The Rust type is its UpperCamelCase.
    pub name: String,
    pub group: Group,
    /// The value of the object's `type` field; absent for objects without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    pub description: String,
    /// Imported from the Block Kit schema and not yet reviewed: `description` and `docs_url`
    /// are proposals (the generated docs say so).
    #[serde(default, skip_serializing_if = "is_false")]
    pub from_schema: bool,
    pub docs_url: String,
    /// For a view or attachment: the surface its `blocks` are shown on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surface: Option<SurfaceName>,
    /// A short Rust example for the type's documentation (compiled as a doctest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_example: Option<String>,
    /// Where a block or element may appear; absent: everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surfaces: Option<Vec<SurfaceName>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<KitField>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<FieldGroup>,
    /// For a union: the member types, each with a distinct `tag`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union: Option<Vec<String>>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Block,
    Element,
    Composition,
    RichText,
    View,
    Message,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum SurfaceName {
    Message,
    Modal,
    Home,
}

impl SurfaceName {
    pub fn variant(self) -> &'static str {
        match self {
            SurfaceName::Message => "Message",
            SurfaceName::Modal => "Modal",
            SurfaceName::Home => "Home",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KitField {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: KitType,
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Imported from the Block Kit schema and not yet described.
    #[serde(default, skip_serializing_if = "is_false")]
    pub from_schema: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_yaml::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_max_length: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<FormatName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

/// `{ exactly_one_of: [..] }` or `{ at_least_one_of: [..] }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FieldGroup {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exactly_one_of: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least_one_of: Option<Vec<String>>,
}

/// `string`, `boolean`, `integer`, `json`, `enum`, another Block Kit type by name, `array<T>`
/// or `nullable<T>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KitType {
    String,
    Boolean,
    Integer,
    Json,
    Enum,
    Named(String),
    Array(Box<KitType>),
    Nullable(Box<KitType>),
}

impl KitType {
    pub fn parse(s: &str) -> Result<KitType, String> {
        let s = s.trim();
        if let Some(inner) = s.strip_prefix("array<").and_then(|r| r.strip_suffix('>')) {
            return Ok(KitType::Array(Box::new(KitType::parse(inner)?)));
        }
        if let Some(inner) = s.strip_prefix("nullable<").and_then(|r| r.strip_suffix('>')) {
            return Ok(KitType::Nullable(Box::new(KitType::parse(inner)?)));
        }
        Ok(match s {
            "string" => KitType::String,
            "boolean" => KitType::Boolean,
            "integer" => KitType::Integer,
            "json" => KitType::Json,
            "enum" => KitType::Enum,
            other if !other.is_empty() && other.chars().all(|c| c.is_ascii_lowercase() || c == '_') => {
                KitType::Named(other.to_owned())
            }
            other => return Err(format!("unknown Block Kit type `{other}`")),
        })
    }

    /// The innermost type (through arrays and nullables).
    pub fn leaf(&self) -> &KitType {
        match self {
            KitType::Array(t) | KitType::Nullable(t) => t.leaf(),
            t => t,
        }
    }
}

impl fmt::Display for KitType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KitType::String => f.write_str("string"),
            KitType::Boolean => f.write_str("boolean"),
            KitType::Integer => f.write_str("integer"),
            KitType::Json => f.write_str("json"),
            KitType::Enum => f.write_str("enum"),
            KitType::Named(n) => f.write_str(n),
            KitType::Array(t) => write!(f, "array<{t}>"),
            KitType::Nullable(t) => write!(f, "nullable<{t}>"),
        }
    }
}

impl Serialize for KitType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KitType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KitType;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Block Kit field type")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KitType, E> {
                KitType::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// Reads every `spec/blocks/*.yaml` under `spec_dir` (none: an empty kit).
pub fn load_dir(spec_dir: &Path, display_root: &Path) -> Result<Vec<(SourceFile, KitSpec)>, SpecErrors> {
    let dir = spec_dir.join(DIR);
    let mut paths: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
        Err(_) => return Ok(Vec::new()),
    };
    paths.sort();
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for p in paths {
        if p.extension().is_none_or(|e| e != "yaml") {
            let shown = p.strip_prefix(display_root).unwrap_or(&p).to_path_buf();
            errors.push(SpecError { file: shown, line: 0, column: 0, message: "unexpected file in spec/blocks: every file must be `<name>.yaml`".into() });
            continue;
        }
        match SourceFile::read(&p, display_root).and_then(parse) {
            Ok(x) => out.push(x),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(SpecErrors(errors)) }
}

/// Parses one file already in memory.
pub fn parse(src: SourceFile) -> Result<(SourceFile, KitSpec), SpecError> {
    let spec = src.parse::<KitSpec>()?;
    Ok((src, spec))
}

/// The first line of every `spec/blocks/` file.
pub const HEADER: &str = "# Transcribed from Slack's Block Kit reference; see spec/README.md for the keys.\n";

/// The text of a `spec/blocks/` file, as `cargo xtask import-blocks` writes it: the header,
/// then the keys in a fixed order (serde_yaml's layout: one line per scalar, no folding).
pub fn to_yaml(spec: &KitSpec) -> String {
    let body = serde_yaml::to_string(spec).unwrap_or_else(|e| format!("# cannot serialize: {e}\n"));
    format!("{HEADER}{body}")
}
