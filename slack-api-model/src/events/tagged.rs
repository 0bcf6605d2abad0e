//! Decoding unions told apart by a tag field (`type` of an event, `subtype` of a message, `type`
//! of an action) in one pass, without a JSON tree: entries before the tag are held as values, the
//! tag picks the struct, and the rest of the object streams straight into it. Not for direct use
//! (generated code and the interactivity types call it).

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::lenient::{Fields, Got, MapKey};

/// Entries read before the tag.
pub type Buffered = Vec<(String, Value)>;

/// Reads entries of `map` into `buf` up to and including `tag`; returns the tag's value (a
/// string), or `None` when the object has no such key or its value is not a string.
pub fn find_tag<'de, A: MapAccess<'de>>(map: &mut A, tag: &str, buf: &mut Buffered) -> Result<Option<String>, A::Error> {
    // An earlier `tag` entry (already buffered by an outer union) counts.
    if let Some((_, Value::String(s))) = buf.iter().rev().find(|(k, _)| k == tag) {
        return Ok(Some(s.clone()));
    }
    while let Some(MapKey(key)) = map.next_key::<MapKey<'de>>()? {
        let value: Value = map.next_value()?;
        let found = key == tag;
        buf.push((key.into_owned(), value));
        if found {
            return Ok(match buf.last() {
                Some((_, Value::String(s))) => Some(s.clone()),
                _ => None,
            });
        }
    }
    Ok(None)
}

/// A `T` from the buffered entries and the rest of `map`.
pub fn fill<'de, T: Fields, A: MapAccess<'de>>(buf: Buffered, map: &mut A) -> Result<T, A::Error> {
    let mut out = T::default();
    if !buf.is_empty() {
        let mut replay = Replay { entries: buf.into_iter(), value: None };
        while let Some(key) = replay.next_key::<String>().map_err(de::Error::custom)? {
            out.read_field(&key, &mut replay).map_err(de::Error::custom)?;
        }
    }
    while let Some(MapKey(key)) = map.next_key::<MapKey<'de>>()? {
        out.read_field(&key, map)?;
    }
    Ok(out)
}

/// The buffered entries and the rest of `map`, as one JSON object (an unknown kind).
pub fn rest<'de, A: MapAccess<'de>>(buf: Buffered, map: &mut A) -> Result<Map<String, Value>, A::Error> {
    let mut out: Map<String, Value> = buf.into_iter().collect();
    while let Some(key) = map.next_key::<String>()? {
        let value: Value = map.next_value()?;
        out.insert(key, value);
    }
    Ok(out)
}

/// Replays buffered entries as a map.
struct Replay {
    entries: std::vec::IntoIter<(String, Value)>,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for Replay {
    type Error = serde_json::Error;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Self::Error> {
        match self.entries.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(de::value::StringDeserializer::<serde_json::Error>::new(k)).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Self::Error> {
        let v = self.value.take().unwrap_or(Value::Null);
        seed.deserialize(v)
    }
}

/// A union decoded from a JSON object by its tag.
pub trait TaggedUnion: Sized {
    /// The value when the input is not an object at all, or the input back if the union has
    /// no place for it.
    fn not_an_object(value: Value) -> Result<Self, Value>;
    /// Reads the union from the object being visited (`buf` holds entries already read).
    fn from_map<'de, A: MapAccess<'de>>(buf: Buffered, map: &mut A) -> Result<Self, A::Error>;
}

struct UnionV<T>(std::marker::PhantomData<T>);

fn other<T: TaggedUnion>(v: Value) -> Got<T> {
    match T::not_an_object(v) {
        Ok(t) => Got::Typed(t),
        Err(v) => Got::Raw(v),
    }
}

impl<'de, T: TaggedUnion> Visitor<'de> for UnionV<T> {
    type Value = Got<T>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Got<T>, A::Error> {
        T::from_map(Vec::new(), &mut map).map(Got::Typed)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Got<T>, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(other)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Got<T>, E> {
        Ok(other(Value::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Got<T>, E> {
        Ok(other(Value::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Got<T>, E> {
        Ok(other(Value::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Got<T>, E> {
        Ok(other(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Got<T>, E> {
        Ok(other(Value::String(v.to_owned())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Got<T>, E> {
        Ok(other(Value::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Got<T>, E> {
        Ok(other(Value::Null))
    }
}

use serde::Deserialize as _;

/// Decodes a tagged union; a value that is not an object is an error unless the union keeps it.
pub fn decode<'de, T: TaggedUnion, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    match d.deserialize_any(UnionV::<T>(std::marker::PhantomData))? {
        Got::Typed(t) => Ok(t),
        Got::Raw(_) => Err(de::Error::custom("expected a JSON object")),
    }
}

/// Decodes a tagged union leniently: a value it has no place for is handed back raw.
pub fn lenient<'de, T: TaggedUnion, D: Deserializer<'de>>(d: D) -> Result<Got<T>, D::Error> {
    d.deserialize_any(UnionV::<T>(std::marker::PhantomData))
}
