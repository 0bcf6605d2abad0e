//! The spec as it is written in `spec/`: serde types that mirror the YAML one to one.
//!
//! Every struct rejects unknown keys. Values whose shape can be checked on their own (method
//! names, argument names, error codes, argument types) are checked while they are read, so that
//! serde_yaml attaches the exact line and column of the offending scalar to the error. Checks that
//! need context (duplicates, name collisions, file name ≠ method name) happen in [`crate::ir`].

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

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

/// Kinds of Slack IDs that get their own Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IdKind {
    User,
    Channel,
    Team,
    Enterprise,
    App,
    File,
    Usergroup,
    Function,
    Bot,
}

impl IdKind {
    /// The spec's type name (`user_id`) and the Rust type's name (`UserId`).
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            IdKind::User => ("user_id", "UserId"),
            IdKind::Channel => ("channel_id", "ChannelId"),
            IdKind::Team => ("team_id", "TeamId"),
            IdKind::Enterprise => ("enterprise_id", "EnterpriseId"),
            IdKind::App => ("app_id", "AppId"),
            IdKind::File => ("file_id", "FileId"),
            IdKind::Usergroup => ("usergroup_id", "UsergroupId"),
            IdKind::Function => ("function_id", "FunctionId"),
            IdKind::Bot => ("bot_id", "BotId"),
        }
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

/// A string checked inside `visit_str`, so that the error carries the scalar's position.
struct Checked<T>(&'static str, fn(&str) -> Result<T, String>);

impl<T> Visitor<'_> for Checked<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.1)(v).map_err(E::custom)
    }
}

macro_rules! checked_name {
    ($(#[$doc:meta])* $name:ident, $what:literal, $check:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(Checked($what, |s| $check(s).map(|()| $name(s.to_owned()))))
            }
        }
    };
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

/// A field of a response or shared object.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The JSON key.
    pub name: FieldName,
    #[serde(rename = "type")]
    pub ty: FieldType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// For `type: enum`: the known values (others are kept as `Unknown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// The value is a credential (`access_token`, `refresh_token`, a webhook URL…): never shown
    /// in `Debug`, logs or errors.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
    /// The importer took the field (or its type) from an example answer, not from the output
    /// schema: a proposal for review, typed from the values the examples show.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_example: bool,
    /// The Rust field's name, for a JSON key that cannot be one (OpenID's claims named by URL,
    /// `https://slack.com/team_id`): lower-case ASCII letters, digits and `_`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// Limits a value must keep when the app sends it (an app manifest), checked by the
    /// object's `Validate` impl; decoding never enforces them. Objects only: see
    /// [`ObjectLimits`] for each.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
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
    pub format: Option<crate::blocks::FormatName>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub closed: bool,
}

impl Field {
    /// The field's limits, as the IR keeps them.
    pub fn limits(&self) -> ObjectLimits {
        ObjectLimits {
            required: self.required,
            min_length: self.min_length,
            max_length: self.max_length,
            min_items: self.min_items,
            max_items: self.max_items,
            item_max_length: self.item_max_length,
            format: self.format,
            closed: self.closed,
        }
    }
}

/// The limits of a field of a shared object (`spec/objects/`): what `validate()` checks before
/// the object is sent. Decoding stays lenient whatever they say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectLimits {
    /// The field must be present (with a value of its type).
    pub required: bool,
    /// Length in characters of a string.
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// Entries of a list or map.
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    /// Length in characters of each string of a list.
    pub item_max_length: Option<usize>,
    /// The form a string (or each string of a list) must have.
    pub format: Option<crate::blocks::FormatName>,
    /// For an enum: a value outside `values` is refused (not only kept as `Unknown`).
    pub closed: bool,
}

impl ObjectLimits {
    /// Whether there is anything to check.
    pub fn is_empty(&self) -> bool {
        *self == ObjectLimits::default()
    }
}

checked_name!(
    /// A JSON key of a response field: any non-empty key without control characters. A key
    /// that is not ASCII letters, digits and `_` (not starting with a digit) needs a
    /// `rust_name`.
    FieldName, "a field name", check_field_name
);

fn check_field_name(s: &str) -> Result<(), String> {
    if s.is_empty() || s.chars().any(char::is_control) {
        Err(format!("field name `{}` is empty or has control characters", s.escape_debug()))
    } else {
        Ok(())
    }
}

impl FieldName {
    /// Whether the key can be a Rust field name as it is.
    pub fn is_plain(&self) -> bool {
        self.0.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && self.0.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    }
}

/// Types of response fields: `string`, `boolean`, `integer`, `number`, `timestamp`, an ID kind
/// (`user_id`, …), `enum` (with `values`), `json` (any JSON, kept as is), a shared object by
/// name (`user`, `conversation`, … from `spec/objects/`), or `array<T>` of any of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    String,
    Boolean,
    Integer,
    Number,
    Timestamp,
    Id(IdKind),
    Enum,
    Json,
    /// A string, number or boolean, whichever Slack sends (`slack_api::Scalar`).
    AnyScalar,
    /// An integer Slack sends as a number or as decimal text (`slack_api::LaxInt`).
    LaxInteger,
    Object(String),
    Array(Box<FieldType>),
    /// An object whose keys are data (emoji names, parameter names…), each value a `T`.
    Map(Box<FieldType>),
    /// One of several types of different JSON kinds (at most one scalar type, one object type,
    /// one array type), told apart by the kind of the value sent: `one_of<scalar, form, array<block>>`.
    OneOf(Vec<FieldType>),
}

impl FieldType {
    pub fn parse(s: &str) -> Result<FieldType, String> {
        let s = s.trim();
        if let Some(inner) = s.strip_prefix("array<").and_then(|r| r.strip_suffix('>')) {
            return Ok(FieldType::Array(Box::new(FieldType::parse(inner)?)));
        }
        if let Some(inner) = s.strip_prefix("map<").and_then(|r| r.strip_suffix('>')) {
            return Ok(FieldType::Map(Box::new(FieldType::parse(inner)?)));
        }
        if let Some(inner) = s.strip_prefix("one_of<").and_then(|r| r.strip_suffix('>')) {
            // Split at the commas outside any `<…>`.
            let (mut parts, mut depth, mut start) = (Vec::new(), 0usize, 0);
            for (i, c) in inner.char_indices() {
                match c {
                    '<' => depth += 1,
                    '>' => depth = depth.saturating_sub(1),
                    ',' if depth == 0 => {
                        parts.push(FieldType::parse(&inner[start..i])?);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            parts.push(FieldType::parse(&inner[start..])?);
            if parts.len() < 2 {
                return Err(format!("`{s}` needs at least two types"));
            }
            return Ok(FieldType::OneOf(parts));
        }
        Ok(match s {
            "string" => FieldType::String,
            "boolean" => FieldType::Boolean,
            "integer" => FieldType::Integer,
            "number" => FieldType::Number,
            "timestamp" => FieldType::Timestamp,
            "enum" => FieldType::Enum,
            "json" => FieldType::Json,
            "scalar" => FieldType::AnyScalar,
            "lax_integer" => FieldType::LaxInteger,
            other => match Scalar::parse(other) {
                Some(Scalar::Id(kind)) => FieldType::Id(kind),
                _ if !other.is_empty() && other.chars().all(|c| c.is_ascii_lowercase() || c == '_') => {
                    FieldType::Object(other.to_owned())
                }
                _ => return Err(format!("unknown field type `{other}`")),
            },
        })
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldType::String => f.write_str("string"),
            FieldType::Boolean => f.write_str("boolean"),
            FieldType::Integer => f.write_str("integer"),
            FieldType::Number => f.write_str("number"),
            FieldType::Timestamp => f.write_str("timestamp"),
            FieldType::Id(k) => f.write_str(k.names().0),
            FieldType::Enum => f.write_str("enum"),
            FieldType::Json => f.write_str("json"),
            FieldType::AnyScalar => f.write_str("scalar"),
            FieldType::LaxInteger => f.write_str("lax_integer"),
            FieldType::Object(name) => f.write_str(name),
            FieldType::Array(t) => write!(f, "array<{t}>"),
            FieldType::Map(t) => write!(f, "map<{t}>"),
            FieldType::OneOf(ts) => {
                f.write_str("one_of<")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str(">")
            }
        }
    }
}

impl Serialize for FieldType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FieldType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(Checked("a field type", FieldType::parse))
    }
}

/// `spec/objects/<name>.yaml`: an object Slack returns in many places, described once.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ObjectSpec {
    /// Lower-case with `_`; fields refer to the object by it. Must equal the file name.
    pub name: String,
    pub description: String,
    /// Where Slack documents it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
    /// The object's fields (for a plain object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<Field>>,
    /// For an object whose kind is told by a tag field (`type` of a block): the tag and the known
    /// kinds. Unknown kinds are kept whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union: Option<Union>,
    /// `true`: `validate()` also runs the hand-written rules between fields that limits cannot
    /// say, `object_checks::<name>` of the model crate (for an object with fields).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cross_checks: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Union {
    pub tag: String,
    pub variants: Vec<String>,
}
