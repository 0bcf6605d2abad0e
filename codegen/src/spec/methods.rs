//! `spec/methods/*.yaml` and `spec/common-errors.yaml` as they are written, and their loading.
//!
//! Method names, argument names, error codes and argument types are checked while they are read,
//! so that serde_yaml attaches the exact line and column of the offending scalar to the error.
//! Checks that need context (duplicates, name collisions, file name ≠ method name) are the IR's.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::common::{Checked, Field, IdKind, checked_name};
use super::load::{SourceFile, SpecError, SpecErrors};
use super::objects::ObjectSpec;

/// One `spec/methods/<method>.yaml` file.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MethodSpec {
    /// Wire name, e.g. `admin.users.invite`. Must equal the file name without `.yaml`.
    pub name: MethodName,
    /// One-line summary.
    pub description: String,
    /// Link to Slack's reference page.
    pub docs_url: String,
    pub http_method: HttpMethod,
    /// Accepted request content types, as documented.
    pub content_types: Vec<String>,
    /// Token types that may call the method, with the scopes each needs.
    pub scopes: Scopes,
    pub rate_limit: RateLimit,
    /// Free-text detail of the limit, where Slack gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    pub arguments: Vec<Argument>,
    /// Method-specific error codes (code → description). A code that is also common overrides
    /// the common description for this method.
    pub errors: ErrorTable,
    /// Sets of arguments that go together: at least one of them (`required`), at most one of
    /// them (`exclusive`), or both.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arg_groups: Vec<ArgGroup>,
    /// Warning codes a successful call may carry in `warning` (code → description).
    #[serde(default, skip_serializing_if = "ErrorTable::is_empty")]
    pub warnings: ErrorTable,
    /// For methods with a `cursor` argument: the response field that holds each page's items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_field: Option<String>,
    /// The fields of a successful response besides `ok`, `warning` and `response_metadata`,
    /// where Slack's reference describes them. Absent: the response stays untyped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Vec<Field>>,
}

/// `spec/common-errors.yaml`: errors any method can return.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CommonErrorsSpec {
    pub errors: ErrorTable,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
}

/// Scopes per token type. A token type that is present may call the method; an empty list means
/// it needs no scope.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scopes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<Vec<String>>,
    /// App configuration tokens (app manifest and function distribution methods).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seamless_user: Option<Vec<String>>,
    /// Set when the method needs a token but no scope at all (e.g. `api.test`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_scope_required: bool,
}

/// Slack's rate-limit tiers.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RateLimit {
    Tier1,
    Tier2,
    Tier3,
    Tier4,
    /// Limits described on the method's page rather than by a tier (e.g. one message per second
    /// per channel for `chat.postMessage`).
    Special,
    /// No documented limit.
    None,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Deprecation {
    /// Why, and what to use instead.
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Argument {
    pub name: ArgName,
    #[serde(rename = "type")]
    pub ty: ArgType,
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Slack's default when the argument is absent (documentation only: absent arguments are
    /// not sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The accepted values, for `type: enum` (or `array<enum>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// How an array travels in a form body: `comma` (`a,b,c`, the default) or `json` (`["a","b"]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<ArrayEncoding>,
    /// The value is a credential (`client_secret`, `code`, `refresh_token`…): never shown in
    /// `Debug`, logs or errors.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ArgGroup {
    pub args: Vec<ArgName>,
    pub description: String,
    /// At least one of the arguments must be given.
    pub required: bool,
    /// At most one of the arguments may be given.
    pub exclusive: bool,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ArrayEncoding {
    Comma,
    Json,
}

/// Argument types, written as a string: `string`, `boolean`, `integer`, `number`, `timestamp`,
/// `object` (any JSON value, sent as a JSON string), `enum` (values in `values`), `token` (the
/// caller's token: sent in the `Authorization` header, never as a field), `file` (file contents,
/// sent as a `multipart/form-data` part), or `array<T>` of any of those but `token`, `file` and
/// `array`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgType {
    Scalar(Scalar),
    Token,
    File,
    Array(Scalar),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    String,
    Boolean,
    Integer,
    Number,
    Timestamp,
    Object,
    Enum,
    /// An ID of a kind of Slack object: a string on the wire, its own type in Rust.
    Id(IdKind),
    /// JSON text from any `Serialize` value (`profile`, `manifest`, …): `slack_api::Json`.
    Json,
    /// A message's blocks: `Vec<block_kit::Block>`, sent as JSON text.
    Blocks,
    /// Legacy attachments: `Vec<block_kit::Attachment>`, sent as JSON text.
    Attachments,
    /// A view payload: `block_kit::View`, sent as JSON text.
    View,
    /// Message metadata: `block_kit::MessageMetadata`, sent as JSON text.
    MessageMetadata,
    /// One Work Object entity (`entity.presentDetails`): `block_kit::EntityMetadata`, sent as
    /// JSON text.
    EntityMetadata,
    /// Work Object comments (`entity.presentComments`): `Vec<block_kit::EntityComment>`, sent as
    /// JSON text.
    EntityComments,
    /// One Work Object comment (`entity.acknowledgeCommentAction`): `block_kit::EntityComment`,
    /// sent as JSON text.
    EntityComment,
    /// `chat.unfurl`'s map of URL → attachment, sent as JSON text.
    Unfurls,
    /// The pieces of a streamed message (`chat.*Stream`): `Vec<block_kit::Chunk>`, sent as
    /// JSON text.
    Chunks,
}

impl Scalar {
    /// Whether the type may be a list's item (JSON arguments are whole values).
    pub fn is_item(self) -> bool {
        !(self == Scalar::Json || self.is_block_kit())
    }

    /// Whether the value is a Block Kit payload, checked before a call is sent.
    pub fn is_block_kit(self) -> bool {
        matches!(
            self,
            Scalar::Blocks
                | Scalar::Attachments
                | Scalar::View
                | Scalar::MessageMetadata
                | Scalar::EntityMetadata
                | Scalar::EntityComments
                | Scalar::EntityComment
                | Scalar::Unfurls
                | Scalar::Chunks
        )
    }
}

impl Scalar {
    const ALL: [(&'static str, Scalar); 26] = [
        ("string", Scalar::String),
        ("boolean", Scalar::Boolean),
        ("integer", Scalar::Integer),
        ("number", Scalar::Number),
        ("timestamp", Scalar::Timestamp),
        ("object", Scalar::Object),
        ("enum", Scalar::Enum),
        ("user_id", Scalar::Id(IdKind::User)),
        ("channel_id", Scalar::Id(IdKind::Channel)),
        ("team_id", Scalar::Id(IdKind::Team)),
        ("enterprise_id", Scalar::Id(IdKind::Enterprise)),
        ("app_id", Scalar::Id(IdKind::App)),
        ("file_id", Scalar::Id(IdKind::File)),
        ("usergroup_id", Scalar::Id(IdKind::Usergroup)),
        ("function_id", Scalar::Id(IdKind::Function)),
        ("bot_id", Scalar::Id(IdKind::Bot)),
        ("json", Scalar::Json),
        ("blocks", Scalar::Blocks),
        ("attachments", Scalar::Attachments),
        ("view", Scalar::View),
        ("message_metadata", Scalar::MessageMetadata),
        ("entity_metadata", Scalar::EntityMetadata),
        ("entity_comments", Scalar::EntityComments),
        ("entity_comment", Scalar::EntityComment),
        ("unfurls", Scalar::Unfurls),
        ("chunks", Scalar::Chunks),
    ];

    pub fn as_str(self) -> &'static str {
        Self::ALL.iter().find(|(_, s)| *s == self).map(|(n, _)| *n).unwrap_or("string")
    }

    pub(crate) fn parse(s: &str) -> Option<Scalar> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, s)| *s)
    }
}

impl ArgType {
    pub fn parse(s: &str) -> Result<ArgType, String> {
        let s = s.trim();
        if s == "token" {
            return Ok(ArgType::Token);
        }
        if s == "file" {
            return Ok(ArgType::File);
        }
        if let Some(inner) = s.strip_prefix("array<").and_then(|r| r.strip_suffix('>')) {
            return Scalar::parse(inner.trim())
                .filter(|s| s.is_item())
                .map(ArgType::Array)
                .ok_or_else(|| format!("unknown array item type `{inner}`; expected one of {}", Self::item_list()));
        }
        Scalar::parse(s).map(ArgType::Scalar).ok_or_else(|| {
            format!(
                "unknown type `{s}`; expected one of {}, `token`, `file` or `array<T>`",
                Self::scalar_list()
            )
        })
    }

    fn scalar_list() -> String {
        Scalar::ALL.iter().map(|(n, _)| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    }

    fn item_list() -> String {
        Scalar::ALL.iter().filter(|(_, s)| s.is_item()).map(|(n, _)| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    }

    /// The item or scalar type, if any.
    pub fn scalar(&self) -> Option<Scalar> {
        match self {
            ArgType::Scalar(s) | ArgType::Array(s) => Some(*s),
            ArgType::Token | ArgType::File => None,
        }
    }
}

impl fmt::Display for ArgType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgType::Scalar(s) => f.write_str(s.as_str()),
            ArgType::Token => f.write_str("token"),
            ArgType::File => f.write_str("file"),
            ArgType::Array(s) => write!(f, "array<{}>", s.as_str()),
        }
    }
}

impl Serialize for ArgType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ArgType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(Checked("an argument type", ArgType::parse))
    }
}

checked_name!(
    /// A method's wire name: dot-separated segments of ASCII letters and digits, each starting
    /// with a lower-case letter (`admin.inviteRequests.approve`).
    MethodName, "a method name", check_method_name
);
checked_name!(
    /// An argument's wire name: lower-case ASCII letters, digits and `_`, starting with a letter.
    ArgName, "an argument name", check_arg_name
);
checked_name!(
    /// An error code: lower-case ASCII letters, digits and `_`, starting with a letter.
    ErrorCode, "an error code", check_error_code
);

fn check_method_name(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.split('.').all(|seg| {
            seg.starts_with(|c: char| c.is_ascii_lowercase())
                && seg.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "method name `{s}` cannot become a Rust identifier: expected dot-separated segments of \
             ASCII letters and digits, each starting with a lower-case letter"
        ))
    }
}

fn check_snake(what: &str, s: &str) -> Result<(), String> {
    let ok = s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} `{s}` cannot become a Rust identifier: expected lower-case ASCII letters, \
             digits and `_`, starting with a letter"
        ))
    }
}

fn check_arg_name(s: &str) -> Result<(), String> {
    check_snake("argument name", s)
}

fn check_error_code(s: &str) -> Result<(), String> {
    check_snake("error code", s)
}

/// An error table: code → description, in file order. Duplicates are kept here and rejected by
/// validation, which can then point at the second occurrence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorTable(pub Vec<(ErrorCode, String)>);

impl ErrorTable {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for ErrorTable {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (code, desc) in &self.0 {
            map.serialize_entry(code, desc)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for ErrorTable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ErrorTable;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of error code to description")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ErrorTable, A::Error> {
                let mut out = Vec::new();
                while let Some(code) = map.next_key::<ErrorCode>()? {
                    out.push((code, map.next_value::<String>()?));
                }
                Ok(ErrorTable(out))
            }
        }
        d.deserialize_map(V)
    }
}


/// A loaded spec tree, still in the shape of the files.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub common: (SourceFile, CommonErrorsSpec),
    pub methods: Vec<(SourceFile, MethodSpec)>,
    pub objects: Vec<(SourceFile, ObjectSpec)>,
}

/// Reads `<spec_dir>/common-errors.yaml` and every `<spec_dir>/methods/*.yaml`, sorted by file
/// name. `display_root` is stripped from paths in messages.
pub fn load_dir(spec_dir: &Path, display_root: &Path) -> Result<LoadedSpec, SpecErrors> {
    let mut errors = Vec::new();
    let shown = |p: &Path| p.strip_prefix(display_root).unwrap_or(p).to_path_buf();
    let read = |p: &Path, errors: &mut Vec<SpecError>| SourceFile::read(p, display_root).map_err(|e| errors.push(e)).ok();

    let common = read(&spec_dir.join("common-errors.yaml"), &mut errors);
    let methods_dir = spec_dir.join("methods");
    let mut paths = Vec::new();
    match std::fs::read_dir(&methods_dir) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let p = entry.path();
                if p.extension().is_some_and(|e| e == "yaml") {
                    paths.push(p);
                } else {
                    errors.push(SpecError {
                        file: shown(&p),
                        line: 0,
                        column: 0,
                        message: "unexpected file in spec/methods: every file must be `<method>.yaml`"
                            .into(),
                    });
                }
            }
        }
        Err(e) => errors.push(SpecError {
            file: shown(&methods_dir),
            line: 0,
            column: 0,
            message: format!("cannot read directory: {e}"),
        }),
    }
    paths.sort();
    let methods: Vec<SourceFile> = paths.iter().filter_map(|p| read(p, &mut errors)).collect();
    let mut object_paths: Vec<PathBuf> = match std::fs::read_dir(spec_dir.join("objects")) {
        Ok(entries) => entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "yaml")).collect(),
        Err(_) => Vec::new(),
    };
    object_paths.sort();
    let objects: Vec<SourceFile> = object_paths.iter().filter_map(|p| read(p, &mut errors)).collect();
    match common {
        Some(common) => super::load::after_reading(errors, load_sources_with_objects(common, methods, objects)),
        None => Err(SpecErrors(errors)),
    }
}

/// Parses sources already in memory: the common errors file and the method files.
pub fn load_sources(common: SourceFile, methods: Vec<SourceFile>) -> Result<LoadedSpec, SpecErrors> {
    load_sources_with_objects(common, methods, Vec::new())
}

/// Parses sources already in memory, shared object files included.
pub fn load_sources_with_objects(
    common: SourceFile,
    methods: Vec<SourceFile>,
    objects: Vec<SourceFile>,
) -> Result<LoadedSpec, SpecErrors> {
    let mut errors = Vec::new();
    let mut parsed_objects = Vec::with_capacity(objects.len());
    for src in objects {
        match src.parse::<ObjectSpec>() {
            Ok(spec) => parsed_objects.push((src, spec)),
            Err(e) => errors.push(e),
        }
    }
    let common = match common.parse::<CommonErrorsSpec>() {
        Ok(spec) => Some((common, spec)),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    // Parsing YAML is most of loading; files are independent, so they are parsed on every core.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, methods.len().max(1));
    let chunk = methods.len().div_ceil(workers).max(1);
    let results: Vec<Result<MethodSpec, SpecError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = methods
            .chunks(chunk)
            .map(|part| (part, scope.spawn(move || part.iter().map(|src| src.parse::<MethodSpec>()).collect::<Vec<_>>())))
            .collect();
        handles
            .into_iter()
            .flat_map(|(part, h)| {
                // A panicking parser must not make files vanish: each of its files gets an error.
                h.join().unwrap_or_else(|_| {
                    part.iter()
                        .map(|src| {
                            Err(SpecError { file: src.path.clone(), line: 0, column: 0, message: "the YAML parser panicked".into() })
                        })
                        .collect()
                })
            })
            .collect()
    });
    let mut parsed = Vec::with_capacity(methods.len());
    for (src, result) in methods.into_iter().zip(results) {
        match result {
            Ok(spec) => parsed.push((src, spec)),
            Err(e) => errors.push(e),
        }
    }
    match common {
        Some(common) if errors.is_empty() => Ok(LoadedSpec { common, methods: parsed, objects: parsed_objects }),
        _ => Err(SpecErrors(errors)),
    }
}

/// Parses one method file from text (for tests and tools that hold the text already).
pub fn parse_method(path: impl Into<PathBuf>, text: impl Into<String>) -> Result<(SourceFile, MethodSpec), SpecError> {
    let src = SourceFile { path: path.into(), text: text.into() };
    let spec = src.parse()?;
    Ok((src, spec))
}
