//! Arguments that travel as JSON text in a form field (`blocks`, `view`, `profile`, …).

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::wire::ToWire;

/// A Block Kit argument (`blocks`, `attachments`, `view`, `metadata`, `unfurls`…): the typed
/// value, checked by `Client::call` before sending and encoded once, or
/// JSON text prepared elsewhere, sent as it is and not checked.
///
/// ```
/// use slack_api::block_kit::{DividerBlock, JsonArg, ModalView, View};
///
/// let typed: JsonArg<View> = ModalView::new("Hello", [DividerBlock::new()]).into();
/// let raw: JsonArg<View> = JsonArg::raw(r#"{"type":"modal","title":{"type":"plain_text","text":"Hi"},"blocks":[]}"#);
/// # let _ = (typed, raw);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum JsonArg<T> {
    /// A typed value.
    Value(T),
    /// JSON text, sent as it is.
    Raw(String),
}

impl<T> JsonArg<T> {
    /// JSON text, sent as it is (not validated).
    pub fn raw(json: impl Into<String>) -> Self {
        JsonArg::Raw(json.into())
    }

    /// The typed value, if this is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            JsonArg::Value(v) => Some(v),
            JsonArg::Raw(_) => None,
        }
    }
}

impl<T> From<T> for JsonArg<T> {
    fn from(value: T) -> Self {
        JsonArg::Value(value)
    }
}

/// A typed value is written by [`WriteJson`](crate::block_kit::WriteJson) (the same text as
/// `serde_json` writes, without escaping the keys); `to_json` reads that text back.
impl<T: Serialize + crate::block_kit::WriteJson> ToWire for JsonArg<T> {
    fn to_wire(&self) -> Cow<'_, str> {
        match self {
            JsonArg::Value(v) => Cow::Owned(crate::block_kit::to_json_string(v)),
            JsonArg::Raw(text) => Cow::Borrowed(text),
        }
    }
    fn to_json(&self) -> serde_json::Value {
        match self {
            JsonArg::Value(v) => crate::block_kit::to_json_value(v),
            JsonArg::Raw(text) => serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.clone())),
        }
    }
}

fn encode<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
}

/// Any other argument Slack takes as JSON text (`profile`, `manifest`, `prefs`, `dialog`, …):
/// encoded once, when set, from any [`Serialize`] value (a typed value or a
/// `serde_json::Value`), or given as JSON text with [`Json::raw`].
#[derive(Clone, PartialEq, Eq)]
pub struct Json(Result<String, String>);

impl Json {
    /// Encodes `value` as JSON. A value that cannot be encoded (a map with non-string keys)
    /// makes `Client::call` return `Error::InvalidRequest`.
    pub fn new<T: Serialize + ?Sized>(value: &T) -> Self {
        Json(encode(value))
    }

    /// JSON text, sent as it is.
    pub fn raw(json: impl Into<String>) -> Self {
        Json(Ok(json.into()))
    }

    /// The JSON text, or why the value could not be encoded.
    pub fn as_text(&self) -> Result<&str, &str> {
        self.0.as_deref().map_err(String::as_str)
    }
}

impl fmt::Debug for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Ok(text) => write!(f, "Json({text})"),
            Err(e) => write!(f, "Json(<not encodable: {e}>)"),
        }
    }
}

impl ToWire for Json {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.0.as_deref().unwrap_or_default())
    }
    fn to_json(&self) -> serde_json::Value {
        self.0.as_deref().ok().and_then(|t| serde_json::from_str(t).ok()).unwrap_or(serde_json::Value::Null)
    }
}

/// What a JSON argument's setter takes: any [`Serialize`] value, or a [`Json`].
pub trait IntoJson {
    fn into_json(self) -> Json;
}

impl<T: Serialize> IntoJson for T {
    fn into_json(self) -> Json {
        Json::new(&self)
    }
}

impl IntoJson for Json {
    fn into_json(self) -> Json {
        self
    }
}

impl From<crate::block_kit::ModalView> for JsonArg<crate::block_kit::View> {
    fn from(view: crate::block_kit::ModalView) -> Self {
        JsonArg::Value(view.into())
    }
}

impl From<crate::block_kit::HomeView> for JsonArg<crate::block_kit::View> {
    fn from(view: crate::block_kit::HomeView) -> Self {
        JsonArg::Value(view.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_from_values_and_text() {
        assert_eq!(serde_json::json!({"a": 1}).into_json().as_text(), Ok(r#"{"a":1}"#));
        assert_eq!(Json::raw("{ \"a\": 1 }").to_wire(), "{ \"a\": 1 }");
        // A string is a JSON string, not JSON text: that is what `Json::raw` is for.
        assert_eq!("x".into_json().as_text(), Ok("\"x\""));
        let mut bad = std::collections::HashMap::new();
        bad.insert((1, 2), 3);
        assert!(bad.into_json().as_text().is_err());
    }

    #[test]
    fn json_arg_encodes_once() {
        let typed: JsonArg<Vec<i64>> = vec![1, 2].into();
        assert_eq!(typed.to_wire(), "[1,2]");
        assert_eq!(JsonArg::<Vec<i64>>::raw("[3]").to_wire(), "[3]");
    }
}
