//! Responses: the envelope every method shares.

use serde::{Deserialize, Serialize};

/// A successful response whose fields beyond the envelope are not typed yet.
///
/// `ok`, `warning` and `response_metadata` are typed; every other field Slack sends is kept, in
/// order, in [`fields`](Self::fields), so nothing is lost and the whole response serialises back
/// to the JSON it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UntypedResponse {
    pub ok: bool,
    /// Comma-separated warning codes (e.g. `missing_charset`), if Slack sent any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_metadata: Option<ResponseMetadata>,
    /// Everything else in the response.
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl UntypedResponse {
    /// A field beyond the envelope, by name.
    pub fn get(&self, field: &str) -> Option<&serde_json::Value> {
        self.fields.get(field)
    }

    /// Every warning code: those in `warning` and those in `response_metadata.warnings`.
    pub fn warnings(&self) -> Vec<&str> {
        crate::lenient::warnings(&self.warning, &self.response_metadata)
    }
}

/// `response_metadata`: pagination cursor, warnings and messages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResponseMetadata {
    /// The cursor for the next page; empty or absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
    /// Any other metadata field.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}
