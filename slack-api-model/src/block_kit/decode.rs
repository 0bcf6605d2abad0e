//! Lossless decoding of Block Kit values.
//!
//! A Block Kit value is read as JSON first (a union needs its `type` before it knows what to
//! decode, and `type` need not come first), then turned into the typed value by
//! [`FromJson::from_json`], which never fails on a field: a value of an unexpected shape stays in
//! the owner's `extra`, and an object that cannot be its type at all (a required field missing,
//! another `type`) makes the enclosing union keep it whole as `Unknown`. Serialising gives back
//! the JSON that was read.

use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::{Map, Number, Value};

/// A type built from a JSON value without losing anything; implemented by every Block Kit type.
pub trait FromJson: Sized {
    /// The typed value, or `None` when `value` does not have this type's shape (the caller then
    /// keeps the JSON as it is).
    fn from_json(value: &Value) -> Option<Self>;
}

impl FromJson for String {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_str().map(str::to_owned)
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_bool()
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_i64()
    }
}

impl FromJson for Number {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_number().cloned()
    }
}

impl FromJson for Value {
    fn from_json(value: &Value) -> Option<Self> {
        Some(value.clone())
    }
}

/// A list is typed when every item is; otherwise the owner keeps the whole list as sent.
impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_array()?.iter().map(T::from_json).collect()
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: &Value) -> Option<Self> {
        T::from_json(value).map(Box::new)
    }
}

/// `null` or the value (for list items that may be `null`, such as a table's column settings).
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => T::from_json(other).map(Some),
        }
    }
}

/// A map with string keys (`chat.unfurl`'s `unfurls`: URL → attachment).
impl<T: FromJson> FromJson for std::collections::BTreeMap<String, T> {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_object()?.iter().map(|(k, v)| Some((k.clone(), T::from_json(v)?))).collect()
    }
}

/// Reads one field: into `slot` when it has the expected shape, into `extra` as sent otherwise.
#[doc(hidden)]
pub fn field<T: FromJson>(value: &Value, slot: &mut Option<T>, key: &str, extra: &mut Map<String, Value>) {
    match T::from_json(value) {
        Some(v) => *slot = Some(v),
        None => {
            extra.insert(key.to_owned(), value.clone());
        }
    }
}

/// `Deserialize` of a Block Kit type: any JSON value that has the type's shape.
#[doc(hidden)]
pub fn strict<'de, T: FromJson, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    let value = Value::deserialize(d)?;
    T::from_json(&value).ok_or_else(|| {
        de::Error::custom(format_args!(
            "expected a {} (a required field is missing or has another shape)",
            std::any::type_name::<T>().rsplit("::").next().unwrap_or("Block Kit value")
        ))
    })
}

/// Lenient decoding for response fields: the typed value, or the JSON as sent.
#[doc(hidden)]
pub fn lenient<'de, T: FromJson, D: Deserializer<'de>>(d: D) -> Result<crate::lenient::Got<T>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(match T::from_json(&value) {
        Some(t) => crate::lenient::Got::Typed(t),
        None => crate::lenient::Got::Raw(value),
    })
}
