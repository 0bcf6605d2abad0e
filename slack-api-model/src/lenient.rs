//! Support for generated response types: streaming, lenient decoding that never drops data, and
//! exact re-serialisation. Not for direct use.
//!
//! Every type a response field can have implements [`Lenient`]: its visitor accepts *any* JSON
//! value and yields either the typed value or, when the shape is not the expected one, the value
//! itself as [`serde_json::Value`] (which the generated struct keeps in `extra`). Decoding reads
//! the input once, straight into the typed fields — no intermediate JSON tree — and can never
//! fail on a field's shape.

use std::fmt;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use crate::response::ResponseMetadata;
// What generated code reaches through this module: the envelope's cursor and warnings, and
// the marker of data kept as sent.
pub use crate::response::{next_cursor, warnings};
pub use crate::untyped::{UNTYPED, Untyped};

/// A decoded field: the expected type, or the value as sent.
#[derive(Debug)]
pub enum Got<T> {
    Typed(T),
    Raw(Value),
}

impl<T> Got<T> {
    /// The typed value mapped with `f`; a raw value stays as it is.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Got<U> {
        match self {
            Got::Typed(t) => Got::Typed(f(t)),
            Got::Raw(v) => Got::Raw(v),
        }
    }
}

/// A type decoded leniently: any JSON value is accepted.
pub trait Lenient: Sized + Serialize {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Got<Self>, D::Error>;
}

/// The seed that decodes a `T` leniently, for `next_value_seed`.
#[derive(Debug)]
pub struct Seed<T>(PhantomData<T>);

impl<T> Seed<T> {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Seed(PhantomData)
    }
}

impl<'de, T: Lenient> DeserializeSeed<'de> for Seed<T> {
    type Value = Got<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Got<T>, D::Error> {
        T::lenient(d)
    }
}

/// A typed value as the JSON value it serialises to (a list or map that turns out to be of
/// mixed shapes keeps every item as sent; typed items serialise back exactly). Written as text
/// and read back with the slice reader rather than built by `serde_json::to_value`, so that a
/// program compiles one serialiser per type (the text one) instead of two: `to_value` in the
/// SDK's paths cost the six-task example app 216 KB of machine code.
pub fn json_value<T: Serialize + ?Sized>(t: &T) -> Result<Value, serde_json::Error> {
    serde_json::from_slice(&serde_json::to_vec(t)?)
}

/// Reads the rest of a map or sequence already being visited into a `Value`.
fn map_value<'de, A: MapAccess<'de>>(map: A) -> Result<Value, A::Error> {
    Value::deserialize(de::value::MapAccessDeserializer::new(map))
}

fn seq_value<'de, A: SeqAccess<'de>>(seq: A) -> Result<Value, A::Error> {
    Value::deserialize(de::value::SeqAccessDeserializer::new(seq))
}

/// Visitor methods that keep every scalar JSON kind raw.
macro_rules! raw_scalars {
    () => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Got::Raw(Value::Bool(v)))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Got::Raw(Value::from(v)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Got::Raw(Value::from(v)))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Got::Raw(Number::from_f64(v).map_or(Value::Null, Value::Number)))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Got::Raw(Value::String(v.to_owned())))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Got::Raw(Value::Null))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Got::Raw(Value::Null))
        }
    };
}

/// Scalars and maps raw (for lists).
macro_rules! raw_otherwise_but_seq {
    () => {
        raw_scalars!();
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            map_value(map).map(Got::Raw)
        }
    };
}

/// Scalars and lists raw (for objects).
macro_rules! raw_otherwise_but_map {
    () => {
        raw_scalars!();
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            seq_value(seq).map(Got::Raw)
        }
    };
}

/// How a scalar type is made from the JSON scalars it accepts; every other shape is kept raw.
pub trait FromScalar: Sized {
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
    fn from_i64(_: i64) -> Option<Self> {
        None
    }
    fn from_u64(_: u64) -> Option<Self> {
        None
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
    /// A value made from the string, or the string back (kept raw).
    fn from_string(v: String) -> Result<Self, String> {
        Err(v)
    }
}

/// The visitor of every scalar type: the typed value where [`FromScalar`] makes one, the value
/// as sent otherwise.
#[derive(Debug)]
pub struct ScalarV<T>(PhantomData<T>);

impl<T> ScalarV<T> {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        ScalarV(PhantomData)
    }
}

impl<'de, T: FromScalar> Visitor<'de> for ScalarV<T> {
    type Value = Got<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(T::from_bool(v).map_or(Got::Raw(Value::Bool(v)), Got::Typed))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(T::from_i64(v).map_or(Got::Raw(Value::from(v)), Got::Typed))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(T::from_u64(v).map_or(Got::Raw(Value::from(v)), Got::Typed))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(T::from_f64(v).map_or_else(|| Got::Raw(Number::from_f64(v).map_or(Value::Null, Value::Number)), Got::Typed))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.visit_string(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(match T::from_string(v) {
            Ok(t) => Got::Typed(t),
            Err(v) => Got::Raw(Value::String(v)),
        })
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Got::Raw(Value::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Got::Raw(Value::Null))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        map_value(map).map(Got::Raw)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        seq_value(seq).map(Got::Raw)
    }
}

/// Implements [`Lenient`] through [`ScalarV`] for types that implement [`FromScalar`].
macro_rules! lenient_scalar {
    ($($t:ty),*) => {$(
        impl Lenient for $t {
            fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Got<Self>, D::Error> {
                d.deserialize_any(ScalarV::<$t>::new())
            }
        }
    )*};
}

/// Types made from a JSON string.
macro_rules! from_json_string {
    ($($t:ty),*) => {$(
        impl FromScalar for $t {
            fn from_string(v: String) -> Result<Self, String> {
                Ok(<$t>::from(v))
            }
        }
    )*};
}

from_json_string!(
    String,
    crate::Timestamp,
    crate::UserId,
    crate::ChannelId,
    crate::TeamId,
    crate::EnterpriseId,
    crate::AppId,
    crate::FileId,
    crate::UsergroupId,
    crate::FunctionId,
    crate::BotId
);

impl FromScalar for bool {
    fn from_bool(v: bool) -> Option<Self> {
        Some(v)
    }
}

impl FromScalar for i64 {
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok()
    }
}

impl FromScalar for Number {
    fn from_i64(v: i64) -> Option<Self> {
        Some(Number::from(v))
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(Number::from(v))
    }
    fn from_f64(v: f64) -> Option<Self> {
        Number::from_f64(v)
    }
}

impl FromScalar for crate::Scalar {
    fn from_bool(v: bool) -> Option<Self> {
        Some(crate::Scalar::Bool(v))
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(crate::Scalar::Number(Number::from(v)))
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(crate::Scalar::Number(Number::from(v)))
    }
    fn from_f64(v: f64) -> Option<Self> {
        Number::from_f64(v).map(crate::Scalar::Number)
    }
    fn from_string(v: String) -> Result<Self, String> {
        Ok(crate::Scalar::Text(v))
    }
}

impl FromScalar for crate::LaxInt {
    fn from_i64(v: i64) -> Option<Self> {
        Some(crate::LaxInt::new(v))
    }
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok().map(crate::LaxInt::new)
    }
    fn from_string(v: String) -> Result<Self, String> {
        crate::LaxInt::from_text(&v).ok_or(v)
    }
}

lenient_scalar!(
    String,
    bool,
    i64,
    Number,
    crate::Scalar,
    crate::LaxInt,
    crate::Timestamp,
    crate::UserId,
    crate::ChannelId,
    crate::TeamId,
    crate::EnterpriseId,
    crate::AppId,
    crate::FileId,
    crate::UsergroupId,
    crate::FunctionId,
    crate::BotId
);

impl Lenient for Value {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Got<Self>, D::Error> {
        Value::deserialize(d).map(Got::Typed)
    }
}

impl Lenient for ResponseMetadata {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Got<Self>, D::Error> {
        let v = Value::deserialize(d)?;
        Ok(match ResponseMetadata::deserialize(&v) {
            Ok(m) => Got::Typed(m),
            Err(_) => Got::Raw(v),
        })
    }
}

/// Lists: typed when every element is; otherwise the whole list as sent (typed elements
/// serialise back exactly, so nothing changes).
struct VecV<T>(PhantomData<T>);
impl<'de, T: Lenient> Visitor<'de> for VecV<T> {
    type Value = Got<Vec<T>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut typed: Vec<T> = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        let mut raw: Option<Vec<Value>> = None;
        while let Some(item) = seq.next_element_seed(Seed::<T>::new())? {
            match (item, &mut raw) {
                (Got::Typed(t), None) => typed.push(t),
                (Got::Typed(t), Some(r)) => r.push(json_value(&t).map_err(de::Error::custom)?),
                (Got::Raw(v), r @ None) => {
                    let mut all = Vec::with_capacity(typed.len() + 1);
                    for t in typed.drain(..) {
                        all.push(json_value(&t).map_err(de::Error::custom)?);
                    }
                    all.push(v);
                    *r = Some(all);
                }
                (Got::Raw(v), Some(r)) => r.push(v),
            }
        }
        Ok(match raw {
            None => Got::Typed(typed),
            Some(r) => Got::Raw(Value::Array(r)),
        })
    }
    raw_otherwise_but_seq!();
}


impl<T: Lenient> Lenient for Vec<T> {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Got<Self>, D::Error> {
        d.deserialize_any(VecV::<T>(PhantomData))
    }
}

/// A generated struct: its visitor reads a JSON object; anything else is kept raw.
pub trait Fields: Default + Serialize {
    /// Reads one entry: a typed field, or into `extra`.
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
}

/// A map key, borrowed from the input when it can be: matching a key against the known fields
/// allocates nothing; only a key kept in `extra` is copied.
#[derive(Debug)]
pub struct MapKey<'de>(pub std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for MapKey<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MapKey<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(MapKey(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(MapKey(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(MapKey(std::borrow::Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Stores a decoded field, or keeps the raw value under its key. A key given twice keeps its
/// last value, as `serde_json::Value` does, whichever shapes the two had.
pub fn store<T>(slot: &mut Option<T>, extra: &mut Map<String, Value>, key: &str, got: Got<T>) {
    match got {
        Got::Typed(v) => {
            *slot = Some(v);
            if !extra.is_empty() {
                extra.remove(key);
            }
        }
        Got::Raw(v) => {
            *slot = None;
            extra.insert(key.to_owned(), v);
        }
    }
}

/// Reads the value of `key` into `slot` (or, if it has another shape, into `extra`).
pub fn read<'de, T: Lenient, A: MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    extra: &mut Map<String, Value>,
    key: &str,
) -> Result<(), A::Error> {
    let got = map.next_value_seed(Seed::<T>::new())?;
    store(slot, extra, key, got);
    Ok(())
}

/// Reads the rest of a map into the fields of `out`. Every way into a struct (read whole, after
/// a union's tag, from entries held before the tag) goes through this one function, so that a
/// struct's field-by-field decoding (`read_field`, inlined here) is compiled once per reader
/// rather than once per way in.
#[inline(never)]
pub fn read_fields<'de, T: Fields, A: MapAccess<'de>>(out: &mut T, map: &mut A) -> Result<(), A::Error> {
    while let Some(MapKey(key)) = map.next_key::<MapKey<'de>>()? {
        out.read_field(&key, map)?;
    }
    Ok(())
}

struct StructV<T>(PhantomData<T>);
impl<'de, T: Fields> Visitor<'de> for StructV<T> {
    type Value = Got<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = T::default();
        read_fields(&mut out, &mut map)?;
        Ok(Got::Typed(out))
    }
    raw_otherwise_but_map!();
}

/// Decodes a generated struct leniently (any JSON value is accepted).
pub fn lenient_struct<'de, T: Fields, D: Deserializer<'de>>(d: D) -> Result<Got<T>, D::Error> {
    d.deserialize_any(StructV::<T>(PhantomData))
}

/// Decodes a generated struct; a value that is not an object is an error here (there is no
/// parent to keep it in).
pub fn strict_struct<'de, T: Fields, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    match d.deserialize_any(StructV::<T>(PhantomData))? {
        Got::Typed(t) => Ok(t),
        Got::Raw(v) => Err(de::Error::invalid_type(unexpected(&v), &"a JSON object")),
    }
}

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("a number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
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

    /// Writes `key` (a required field).
    pub fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), S::Error> {
        self.map.serialize_entry(key, value)
    }

    /// Writes `key` if the field is set.
    pub fn field<T: Serialize>(&mut self, key: &str, value: &Option<T>) -> Result<(), S::Error> {
        match value {
            Some(v) => self.map.serialize_entry(key, v),
            None => Ok(()),
        }
    }

    /// Writes `key` if the field is set, marked [`Untyped`] (a `json` field: free-form data).
    pub fn raw_field<T: Serialize>(&mut self, key: &str, value: &Option<T>) -> Result<(), S::Error> {
        match value {
            Some(v) => self.map.serialize_entry(key, &Untyped(v)),
            None => Ok(()),
        }
    }

    /// As [`finish`](Self::finish), for a type whose fields are `declared`: a `null` kept in
    /// `extra` under a declared key is that field's "none" (the typed field reads `None`, the
    /// `null` is kept only to write the answer back as sent), so it is written as typed data.
    pub fn finish_declared(mut self, extra: &Map<String, Value>, declared: &[&str]) -> Result<S::Ok, S::Error> {
        if !extra.is_empty() {
            for (k, v) in extra {
                if v.is_null() && declared.contains(&k.as_str()) {
                    self.map.serialize_entry(k, v)?;
                } else {
                    self.map.serialize_entry(k, &Untyped(v))?;
                }
            }
        }
        self.map.end()
    }

    /// Writes `extra`, every entry marked [`Untyped`], and ends the object.
    pub fn finish(self, extra: &Map<String, Value>) -> Result<S::Ok, S::Error> {
        self.finish_declared(extra, &[])
    }
}

/// Writes a union variant's object: the tag as typed, every other field [`Untyped`].
pub fn write_tagged<S: Serializer>(map: &Map<String, Value>, tag: &str, s: S) -> Result<S::Ok, S::Error> {
    let mut out = s.serialize_map(Some(map.len()))?;
    for (k, v) in map {
        if k == tag {
            out.serialize_entry(k, v)?;
        } else {
            out.serialize_entry(k, &Untyped(v))?;
        }
    }
    out.end()
}

/// The items of an untyped list field.
pub fn take_list(extra: &mut Map<String, Value>, field: &str) -> Vec<Value> {
    match extra.remove(field) {
        Some(Value::Array(items)) => items,
        Some(other) => vec![other],
        None => Vec::new(),
    }
}

/// A shared object (a user, a message, a conversation, …), stored as a pointer to its fields
/// that is allocated only once the object has a field: an empty or absent object costs one
/// pointer, so a list of thousands of `{}` takes no more memory than its JSON text (a hostile
/// answer cannot make decoding take hundreds of times its size). Derefs to the fields, so they
/// read and write as if they were the object's own (`user.name`, `user.profile`); use
/// [`into_fields`](Self::into_fields) to move them out.
///
/// The fields are dropped by `Thin`'s own `Drop`, one function per object type, so that the
/// drop code of every type holding an object (an event, a message, a file) calls it instead
/// of containing a copy of it: the compiler copies drop code into each unit of code that
/// drops a value, and these objects are large.
#[derive(Clone)]
pub struct Thin<T>(Option<ManuallyDrop<Box<T>>>);

impl<T> Drop for Thin<T> {
    fn drop(&mut self) {
        if let Some(fields) = self.0.take() {
            drop(ManuallyDrop::into_inner(fields));
        }
    }
}

/// The fields struct of a [`Thin`] object: `empty()` is the value an empty object derefs to.
pub trait Empty: Fields + 'static {
    fn empty() -> &'static Self;
}

impl<T> Default for Thin<T> {
    fn default() -> Self {
        Thin(None)
    }
}

impl<T: Empty> Thin<T> {
    /// The object's fields, moved out.
    pub fn into_fields(mut self) -> T {
        self.0.take().map_or_else(T::default, |b| *ManuallyDrop::into_inner(b))
    }

    /// Whether the object has no field at all (as `{}`).
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

impl<T: Empty> From<T> for Thin<T> {
    fn from(fields: T) -> Self {
        Thin(Some(ManuallyDrop::new(Box::new(fields))))
    }
}

impl<T: Empty> std::ops::Deref for Thin<T> {
    type Target = T;
    fn deref(&self) -> &T {
        match &self.0 {
            Some(fields) => fields,
            None => T::empty(),
        }
    }
}

impl<T: Empty> std::ops::DerefMut for Thin<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(|| ManuallyDrop::new(Box::default()))
    }
}

impl<T: Empty + PartialEq> PartialEq for Thin<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Empty + fmt::Debug> fmt::Debug for Thin<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: Empty> Serialize for Thin<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

struct ThinV<T>(PhantomData<T>);
impl<'de, T: Empty> Visitor<'de> for ThinV<T> {
    type Value = Got<Thin<T>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out: Option<Box<T>> = None;
        while let Some(MapKey(key)) = map.next_key::<MapKey<'de>>()? {
            out.get_or_insert_with(Box::default).read_field(&key, &mut map)?;
        }
        Ok(Got::Typed(Thin(out.map(ManuallyDrop::new))))
    }
    raw_otherwise_but_map!();
}

impl<T: Empty> Lenient for Thin<T> {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Got<Self>, D::Error> {
        d.deserialize_any(ThinV::<T>(PhantomData))
    }
}

impl<'de, T: Empty> Deserialize<'de> for Thin<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_any(ThinV::<T>(PhantomData))? {
            Got::Typed(t) => Ok(t),
            Got::Raw(v) => Err(de::Error::invalid_type(unexpected(&v), &"a JSON object")),
        }
    }
}

/// A JSON object whose keys are data rather than field names (emoji by name, a workflow's
/// parameters by name, users by ID…), each value typed: the entries in the order sent, so the
/// object serialises back exactly. Decoded leniently like a list: typed when every value is,
/// otherwise the whole object is kept as sent (in the parent's `extra`).
#[derive(Clone, Debug, PartialEq)]
pub struct Keyed<T>(pub Vec<(String, T)>);

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Keyed(Vec::new())
    }
}

impl<T> Keyed<T> {
    /// The value under `key` (the last one, if the key was sent twice).
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The entries, in the order sent.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &T)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no entry.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: Serialize> Serialize for Keyed<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

struct KeyedV<T>(PhantomData<T>);
impl<'de, T: Lenient> Visitor<'de> for KeyedV<T> {
    type Value = Got<Keyed<T>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut typed: Vec<(String, T)> = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        let mut raw: Option<Map<String, Value>> = None;
        while let Some(key) = map.next_key::<String>()? {
            let item = map.next_value_seed(Seed::<T>::new())?;
            match (item, &mut raw) {
                (Got::Typed(t), None) => typed.push((key, t)),
                (Got::Typed(t), Some(r)) => {
                    r.insert(key, json_value(&t).map_err(de::Error::custom)?);
                }
                (Got::Raw(v), r @ None) => {
                    let mut all = Map::new();
                    for (k, t) in typed.drain(..) {
                        all.insert(k, json_value(&t).map_err(de::Error::custom)?);
                    }
                    all.insert(key, v);
                    *r = Some(all);
                }
                (Got::Raw(v), Some(r)) => {
                    r.insert(key, v);
                }
            }
        }
        Ok(match raw {
            None => Got::Typed(Keyed(typed)),
            Some(r) => Got::Raw(Value::Object(r)),
        })
    }
    raw_otherwise_but_map!();
}

impl<T: Lenient> Lenient for Keyed<T> {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Got<Self>, D::Error> {
        d.deserialize_any(KeyedV::<T>(PhantomData))
    }
}
