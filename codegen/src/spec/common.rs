//! What the spec's kinds share: fields (of responses, objects, events and interactions) and
//! their types, the kinds of Slack IDs, string formats, and names checked as they are read.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// A string checked inside `visit_str`, so that the error carries the scalar's position.
pub(crate) struct Checked<T>(pub(crate) &'static str, pub(crate) fn(&str) -> Result<T, String>);

impl<T> Visitor<'_> for Checked<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.1)(v).map_err(E::custom)
    }
}

/// A name type whose values are checked while they are read (see [`Checked`]).
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

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str($crate::spec::common::Checked($what, |s| $check(s).map(|()| $name(s.to_owned()))))
            }
        }
    };
}
pub(crate) use checked_name;

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
    pub format: Option<FormatName>,
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
    pub format: Option<FormatName>,
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
            other => match IdKind::parse(other) {
                Some(kind) => FieldType::Id(kind),
                None if !other.is_empty() && other.chars().all(|c| c.is_ascii_lowercase() || c == '_') => {
                    FieldType::Object(other.to_owned())
                }
                None => return Err(format!("unknown field type `{other}`")),
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
    const ALL: [IdKind; 9] = [
        IdKind::User,
        IdKind::Channel,
        IdKind::Team,
        IdKind::Enterprise,
        IdKind::App,
        IdKind::File,
        IdKind::Usergroup,
        IdKind::Function,
        IdKind::Bot,
    ];

    /// The kind whose spec type name is `s` (`user_id`).
    pub fn parse(s: &str) -> Option<IdKind> {
        Self::ALL.into_iter().find(|k| k.names().0 == s)
    }

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

/// The form a string must have (a Block Kit field's, or a shared object field's).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FormatName {
    Date,
    Time,
    Decimal,
    HexColor,
    /// `#RGB` or `#RRGGBB` (an app's background colour).
    CssHexColor,
    /// An `https://` URL.
    HttpsUrl,
    /// An `http://` or `https://` URL.
    HttpUrl,
    /// Text starting with `/` (a slash command).
    SlashCommand,
}

impl FormatName {
    pub fn variant(self) -> &'static str {
        match self {
            FormatName::Date => "Date",
            FormatName::Time => "Time",
            FormatName::Decimal => "Decimal",
            FormatName::HexColor => "HexColor",
            FormatName::CssHexColor => "CssHexColor",
            FormatName::HttpsUrl => "HttpsUrl",
            FormatName::HttpUrl => "HttpUrl",
            FormatName::SlashCommand => "SlashCommand",
        }
    }
}
