//! Responses: the envelope every method shares.

use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// A successful response whose fields beyond the envelope are not typed yet.
///
/// `ok`, `warning` and `response_metadata` are typed where they have their usual shape; every
/// other field Slack sends (and one of those three of another shape) is kept, in order, in
/// [`fields`](Self::fields), so nothing is lost and the whole response serialises back to the
/// JSON it came from. `Debug` redacts the values of fields the spec marks secret.
#[derive(Clone, PartialEq, Default)]
pub struct UntypedResponse {
    /// `ok`; `false` also when Slack's `ok` is missing or not a boolean (it is then in `fields`).
    pub ok: bool,
    /// Comma-separated warning codes (e.g. `missing_charset`), if Slack sent any.
    pub warning: Option<String>,
    pub response_metadata: Option<ResponseMetadata>,
    /// Everything else in the response.
    pub fields: Map<String, Value>,
}

impl std::fmt::Debug for UntypedResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UntypedResponse")
            .field("ok", &self.ok)
            .field("warning", &self.warning)
            .field("response_metadata", &self.response_metadata)
            .field("fields", &crate::redact::RedactedMap(&self.fields))
            .finish()
    }
}

impl UntypedResponse {
    /// A field beyond the envelope, by name.
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.fields.get(field)
    }

    /// Every warning code: those in `warning` and those in `response_metadata.warnings`.
    pub fn warnings(&self) -> Vec<&str> {
        warnings(&self.warning, &self.response_metadata)
    }
}

/// `response_metadata.next_cursor`, if not empty.
pub fn next_cursor(meta: &Option<ResponseMetadata>) -> Option<&str> {
    meta.as_ref()?.next_cursor.as_deref().filter(|c| !c.is_empty())
}

/// The warnings of a response: those in `warning` (comma-separated) and those in
/// `response_metadata.warnings` (see [`crate::Response::warnings`]).
pub fn warnings<'a>(warning: &'a Option<String>, meta: &'a Option<ResponseMetadata>) -> Vec<&'a str> {
    let mut out: Vec<&str> = warning.iter().flat_map(|w| w.split(',')).map(str::trim).collect();
    if let Some(m) = meta {
        out.extend(m.warnings.iter().flatten().map(String::as_str));
    }
    out
}

/// Takes `key` out of `fields` if it is a string.
#[doc(hidden)]
pub fn take_string(fields: &mut Map<String, Value>, key: &str) -> Option<String> {
    match fields.get(key) {
        Some(Value::String(_)) => match fields.remove(key) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// Takes `key` out of `fields` if it is a list of strings.
fn take_strings(fields: &mut Map<String, Value>, key: &str) -> Option<Vec<String>> {
    match fields.get(key) {
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => match fields.remove(key) {
            Some(Value::Array(items)) => {
                Some(items.into_iter().filter_map(|v| if let Value::String(s) = v { Some(s) } else { None }).collect())
            }
            _ => None,
        },
        _ => None,
    }
}

impl<'de> Deserialize<'de> for UntypedResponse {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut fields = Map::deserialize(d)?;
        let ok = match fields.get("ok") {
            Some(Value::Bool(ok)) => {
                let ok = *ok;
                fields.remove("ok");
                ok
            }
            _ => false,
        };
        let warning = take_string(&mut fields, "warning");
        let response_metadata = match fields.get("response_metadata") {
            Some(Value::Object(_)) => match fields.remove("response_metadata") {
                Some(Value::Object(m)) => Some(ResponseMetadata::from_map(m)),
                _ => None,
            },
            _ => None,
        };
        Ok(UntypedResponse { ok, warning, response_metadata, fields })
    }
}

impl Serialize for UntypedResponse {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        if !self.fields.contains_key("ok") {
            map.serialize_entry("ok", &self.ok)?;
        }
        if let Some(w) = &self.warning {
            map.serialize_entry("warning", w)?;
        }
        if let Some(m) = &self.response_metadata {
            map.serialize_entry("response_metadata", m)?;
        }
        for (k, v) in &self.fields {
            map.serialize_entry(k, &crate::untyped::Untyped(v))?;
        }
        map.end()
    }
}

/// `response_metadata`: pagination cursor, warnings and messages.
///
/// Each known field is typed where it has its usual shape; a field of another shape (a `null`
/// cursor, `"warnings": null`) and any other field stay in [`other`](Self::other) as sent, and
/// an empty list stays an empty list, so the metadata serialises back exactly.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseMetadata {
    /// The cursor for the next page; empty or absent on the last page.
    pub next_cursor: Option<String>,
    pub warnings: Option<Vec<String>>,
    pub messages: Option<Vec<String>>,
    /// Any other metadata field, and known ones of an unexpected shape.
    pub other: Map<String, Value>,
}

impl ResponseMetadata {
    /// Reads the object under `response_metadata`; what it does not know stays in `other`.
    #[doc(hidden)]
    pub fn from_map(mut other: Map<String, Value>) -> Self {
        ResponseMetadata {
            next_cursor: take_string(&mut other, "next_cursor"),
            warnings: take_strings(&mut other, "warnings"),
            messages: take_strings(&mut other, "messages"),
            other,
        }
    }
}

impl<'de> Deserialize<'de> for ResponseMetadata {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Map::deserialize(d).map(ResponseMetadata::from_map)
    }
}

impl Serialize for ResponseMetadata {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        if let Some(c) = &self.next_cursor {
            map.serialize_entry("next_cursor", c)?;
        }
        if let Some(w) = &self.warnings {
            map.serialize_entry("warnings", w)?;
        }
        if let Some(m) = &self.messages {
            map.serialize_entry("messages", m)?;
        }
        for (k, v) in &self.other {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}
