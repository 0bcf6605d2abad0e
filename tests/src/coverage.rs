//! How much of a decoded answer is typed: a serializer that walks a decoded response and counts
//! its JSON leaves (scalars, and empty lists and objects), telling those in typed fields from
//! those kept as sent — in an `extra` map, a `json` field, a union variant's body or an
//! `UntypedResponse` — which the runtime serialises under [`slack_api::lenient::UNTYPED`].
//! The envelope's `ok` is not counted.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::ser::{self, Impossible};
use slack_api::lenient::UNTYPED;

/// Leaf counts of one or more answers.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Tally {
    /// Leaves that landed in typed fields.
    pub typed: u64,
    /// Leaves kept as sent.
    pub untyped: u64,
    /// Of the typed leaves, the `null`s of declared fields (the field reads `None`; the `null`
    /// is kept only to write the answer back as sent).
    pub typed_nulls: u64,
    /// Untyped leaves by the path where the untyped value starts (`channel.purpose`,
    /// `messages[].files`).
    pub sites: BTreeMap<String, u64>,
}

impl Tally {
    /// Every leaf.
    pub fn total(&self) -> u64 {
        self.typed + self.untyped
    }

    /// The typed share, in percent (100 when there is no leaf).
    pub fn percent(&self) -> f64 {
        if self.total() == 0 { 100.0 } else { 100.0 * self.typed as f64 / self.total() as f64 }
    }

    /// The typed share counting the `null`s of declared fields as untyped.
    pub fn percent_without_nulls(&self) -> f64 {
        if self.total() == 0 { 100.0 } else { 100.0 * (self.typed - self.typed_nulls) as f64 / self.total() as f64 }
    }

    /// Adds another tally, its sites prefixed with `prefix`.
    pub fn add(&mut self, other: &Tally, prefix: &str) {
        self.typed += other.typed;
        self.untyped += other.untyped;
        self.typed_nulls += other.typed_nulls;
        for (site, n) in &other.sites {
            *self.sites.entry(format!("{prefix}{site}")).or_default() += n;
        }
    }
}

/// Counts the leaves of `value` (a decoded response).
pub fn tally<T: Serialize + ?Sized>(value: &T) -> Result<Tally, serde_json::Error> {
    let mut t = Tally::default();
    value.serialize(Counter { tally: &mut t, path: String::new(), untyped: None, root: true })?;
    Ok(t)
}

struct Counter<'a> {
    tally: &'a mut Tally,
    path: String,
    /// The site of the untyped value this is part of.
    untyped: Option<String>,
    root: bool,
}

impl Counter<'_> {
    fn leaf(self) -> Result<(), serde_json::Error> {
        match self.untyped {
            Some(site) => {
                self.tally.untyped += 1;
                *self.tally.sites.entry(if site.is_empty() { "(whole answer)".into() } else { site }).or_default() += 1;
            }
            None => self.tally.typed += 1,
        }
        Ok(())
    }

    fn child(&mut self, segment: &str) -> Counter<'_> {
        let path = if self.path.is_empty() || segment.starts_with('[') {
            format!("{}{segment}", self.path)
        } else {
            format!("{}.{segment}", self.path)
        };
        Counter { tally: &mut *self.tally, path, untyped: self.untyped.clone(), root: false }
    }
}

type Error = serde_json::Error;

/// A list or object being walked.
struct Compound<'a> {
    counter: Counter<'a>,
    key: Option<String>,
    empty: bool,
}

impl Compound<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.empty = false;
        v.serialize(self.counter.child("[]"))
    }

    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, v: &T) -> Result<(), Error> {
        self.empty = false;
        if self.counter.root && key == "ok" {
            return Ok(());
        }
        v.serialize(self.counter.child(key))
    }

    fn end(self) -> Result<(), Error> {
        if self.empty { self.counter.leaf() } else { Ok(()) }
    }
}

macro_rules! leaves {
    ($($f:ident($t:ty)),*) => {$(
        fn $f(self, _: $t) -> Result<(), Error> {
            self.leaf()
        }
    )*};
}

impl<'a> ser::Serializer for Counter<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    leaves!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str)
    );

    fn serialize_none(self) -> Result<(), Error> {
        self.leaf()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        // A typed `null` is a declared field's (see `Writer::finish_declared`).
        if self.untyped.is_none() {
            self.tally.typed_nulls += 1;
        }
        self.leaf()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Error> {
        self.leaf()
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(mut self, name: &'static str, v: &T) -> Result<(), Error> {
        if name == UNTYPED && self.untyped.is_none() {
            self.untyped = Some(self.path.clone());
        }
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(Compound { counter: self, key: None, empty: true })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        Ok(Compound { counter: self, key: None, empty: true })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.serialize_map(Some(len))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.element(v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Error> {
        self.key = Some(k.serialize(KeyName)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        let key = self.key.take().unwrap_or_default();
        self.entry(&key, v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), Error> {
        self.entry(key, v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), Error> {
        self.entry(key, v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

/// A map key as text (JSON keys are strings).
struct KeyName;

impl ser::Serializer for KeyName {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = Impossible<String, Error>;
    type SerializeTuple = Impossible<String, Error>;
    type SerializeTupleStruct = Impossible<String, Error>;
    type SerializeTupleVariant = Impossible<String, Error>;
    type SerializeMap = Impossible<String, Error>;
    type SerializeStruct = Impossible<String, Error>;
    type SerializeStructVariant = Impossible<String, Error>;

    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.to_owned())
    }
    fn serialize_bool(self, v: bool) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, v: f32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_f64(self, v: f64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_char(self, v: char) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<String, Error> {
        v.serialize(self)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<String, Error> {
        Ok(variant.to_owned())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, Error> {
        Err(ser::Error::custom("a map key that is bytes"))
    }
    fn serialize_none(self) -> Result<String, Error> {
        Err(ser::Error::custom("a map key that is none"))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<String, Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, Error> {
        Err(ser::Error::custom("a map key that is unit"))
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Error> {
        Err(ser::Error::custom("a map key that is a unit struct"))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Error> {
        Err(ser::Error::custom("a map key that is an enum variant"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(ser::Error::custom("a map key that is a list"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(ser::Error::custom("a map key that is a tuple"))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(ser::Error::custom("a map key that is a tuple"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(ser::Error::custom("a map key that is a tuple"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(ser::Error::custom("a map key that is a map"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(ser::Error::custom("a map key that is a struct"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(ser::Error::custom("a map key that is a struct"))
    }
}
