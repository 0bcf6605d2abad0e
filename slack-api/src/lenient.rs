//! Support for generated response types: lenient decoding that never drops data, and exact
//! re-serialisation. Not for direct use.

use serde::de::{DeserializeOwned, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::response::ResponseMetadata;

/// Reads a JSON object.
pub fn object<'de, D: Deserializer<'de>>(d: D) -> Result<Map<String, Value>, D::Error> {
    Map::deserialize(d)
}

/// Moves `key` out of `map` as a `T`. A value that is not a `T` stays in `map` (and so in the
/// type's `extra`), untouched: a surprising shape never fails a response or loses its value.
pub fn take<T: DeserializeOwned>(map: &mut Map<String, Value>, key: &str) -> Option<T> {
    let value = map.get(key)?;
    match T::deserialize(value) {
        Ok(v) => {
            map.remove(key);
            Some(v)
        }
        Err(_) => None,
    }
}

/// Writes typed fields, then the rest.
#[allow(missing_debug_implementations)]
pub struct Writer<S: Serializer> {
    map: S::SerializeMap,
}

impl<S: Serializer> Writer<S> {
    pub fn new(s: S) -> Result<Self, S::Error> {
        Ok(Writer { map: s.serialize_map(None)? })
    }

    /// Writes `key` if the field is set.
    pub fn field<T: Serialize>(&mut self, key: &str, value: &Option<T>) -> Result<(), S::Error> {
        match value {
            Some(v) => self.map.serialize_entry(key, v),
            None => Ok(()),
        }
    }

    pub fn finish(mut self, extra: &Map<String, Value>) -> Result<S::Ok, S::Error> {
        for (k, v) in extra {
            self.map.serialize_entry(k, v)?;
        }
        self.map.end()
    }
}

/// `response_metadata.next_cursor`, if not empty.
pub fn next_cursor(meta: &Option<ResponseMetadata>) -> Option<&str> {
    meta.as_ref()?.next_cursor.as_deref().filter(|c| !c.is_empty())
}

/// The items of an untyped list field.
pub fn take_list(extra: &mut Map<String, Value>, field: &str) -> Vec<Value> {
    match extra.remove(field) {
        Some(Value::Array(items)) => items,
        Some(other) => vec![other],
        None => Vec::new(),
    }
}
