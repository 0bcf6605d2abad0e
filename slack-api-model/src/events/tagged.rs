//! Decoding unions told apart by a tag field (`type` of an event, `subtype` of a message, `type`
//! of an action) in one pass, without a JSON tree: entries before the tag are held as raw JSON
//! text, the tag picks the struct, and the rest of the object streams straight into it. Not for
//! direct use (generated code and the interactivity types call it).
//!
//! The entries held before the tag are read back by parsing their text again with
//! `serde_json`'s slice reader, the reader the SDK decodes every payload with: so each struct's
//! decoding exists once in a program whichever way its entries arrive, rather than once more
//! for a replay of JSON values (a second copy of the decoding of every field type of every
//! event, a few megabytes of machine code).

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::lenient::{Fields, Got, MapKey};

/// Entries read before the tag, each value as its JSON text.
pub type Buffered = Vec<(String, Box<RawValue>)>;

/// The string a buffered tag holds (`None` if its value is not a JSON string).
fn tag_of(raw: &RawValue) -> Option<String> {
    let text = raw.get();
    match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        // A tag without escapes (every tag Slack sends) is its text between the quotes.
        Some(inner) if !inner.contains('\\') => Some(inner.to_owned()),
        Some(_) => serde_json::from_slice::<String>(text.as_bytes()).ok(),
        None => None,
    }
}

/// Reads entries of `map` into `buf` up to and including `tag`; returns the tag's value (a
/// string), or `None` when the object has no such key or its value is not a string.
pub fn find_tag<'de, A: MapAccess<'de>>(map: &mut A, tag: &str, buf: &mut Buffered) -> Result<Option<String>, A::Error> {
    // An earlier `tag` entry (already buffered by an outer union) counts.
    if let Some(s) = buf.iter().rev().find(|(k, _)| k == tag).and_then(|(_, v)| tag_of(v)) {
        return Ok(Some(s));
    }
    while let Some(MapKey(key)) = map.next_key::<MapKey<'de>>()? {
        let value: Box<RawValue> = map.next_value()?;
        let found = key == tag;
        buf.push((key.into_owned(), value));
        if found {
            return Ok(buf.last().and_then(|(_, v)| tag_of(v)));
        }
    }
    Ok(None)
}

/// A `T` from the buffered entries and the rest of `map`.
pub fn fill<'de, T: Fields, A: MapAccess<'de>>(buf: Buffered, map: &mut A) -> Result<T, A::Error> {
    let mut out = T::default();
    if !buf.is_empty() {
        replay(&mut out, &buf).map_err(de::Error::custom)?;
    }
    crate::lenient::read_fields(&mut out, map)?;
    Ok(out)
}

/// Reads the buffered entries into `out`: one JSON object written from them, parsed as any
/// payload is.
fn replay<T: Fields>(out: &mut T, buf: &Buffered) -> Result<(), serde_json::Error> {
    let mut text = Vec::with_capacity(2 + buf.iter().map(|(k, v)| k.len() + v.get().len() + 4).sum::<usize>());
    text.push(b'{');
    for (i, (k, v)) in buf.iter().enumerate() {
        if i > 0 {
            text.push(b',');
        }
        serde_json::to_writer(&mut text, k.as_str())?;
        text.push(b':');
        text.extend_from_slice(v.get().as_bytes());
    }
    text.push(b'}');
    let mut de = serde_json::Deserializer::from_slice(&text);
    de.deserialize_map(FieldsOf(out))?;
    de.end()
}

/// Reads every entry of a map into the fields of a struct under construction.
struct FieldsOf<'a, T>(&'a mut T);

impl<'de, T: Fields> Visitor<'de> for FieldsOf<'_, T> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        crate::lenient::read_fields(self.0, &mut map)
    }
}

/// The buffered entries and the rest of `map`, as one JSON object (an unknown kind).
pub fn rest<'de, A: MapAccess<'de>>(buf: Buffered, map: &mut A) -> Result<Map<String, Value>, A::Error> {
    let mut out = Map::new();
    for (k, v) in buf {
        let v: Value = serde_json::from_slice(v.get().as_bytes()).map_err(de::Error::custom)?;
        out.insert(k, v);
    }
    while let Some(key) = map.next_key::<String>()? {
        let value: Value = map.next_value()?;
        out.insert(key, value);
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::events::{Event, EventCallback, MessageEvent};

    /// The entries before the tag (buffered as text, then read back) decode exactly as the same
    /// entries after it, and the event serialises back to what was sent.
    #[test]
    fn entries_before_the_tag_decode_as_after_it() {
        let tail = r#""user":"U1","text":"a \"quoted\" \u00e9 text","ts":"1.000100","blocks":[{"type":"divider"}],"odd \"key\"":{"n":[1,2.5,-3e2]},"channel":7"#;
        let first: Event = serde_json::from_str(&format!(r#"{{"type":"app_mention",{tail}}}"#)).unwrap();
        let last: Event = serde_json::from_str(&format!(r#"{{{tail},"type":"app_mention"}}"#)).unwrap();
        assert_eq!(first, last);
        let Event::AppMention(m) = &last else { panic!("not an app_mention: {}", last.kind()) };
        assert_eq!(m.text.as_deref(), Some("a \"quoted\" é text"));
        // A field of another shape is kept, not lost, on both paths.
        assert_eq!(m.extra["channel"], json!(7));
        assert_eq!(m.extra["odd \"key\""], json!({"n": [1, 2.5, -300.0]}));
        let back = serde_json::to_value(&last).unwrap();
        let sent: Value = serde_json::from_str(&format!(r#"{{{tail},"type":"app_mention"}}"#)).unwrap();
        assert_eq!(back, sent);
    }

    /// A message without `subtype` is read whole before its kind is known, then replayed.
    #[test]
    fn a_plain_message_is_replayed_whole() {
        let body = r#"{"type":"event_callback","event_id":"Ev1","event":{"user":"U1","text":"hi","ts":"1.2","channel":"C1","type":"message","new_field":[true]}}"#;
        let cb: EventCallback = serde_json::from_slice(body.as_bytes()).unwrap();
        match cb.event.as_ref().unwrap() {
            Event::Message(MessageEvent::Plain(m)) => {
                assert_eq!((m.text.as_deref(), m.user.as_ref().map(|u| u.as_str())), (Some("hi"), Some("U1")));
                assert_eq!(m.extra["new_field"], json!([true]));
            }
            other => panic!("unexpected {}", other.kind()),
        }
        assert_eq!(serde_json::to_value(&cb).unwrap(), serde_json::from_str::<Value>(body).unwrap());
    }

    /// An unknown type keeps every entry, those before the tag included; a tag that is not a
    /// string, or an escaped one, is read as such.
    #[test]
    fn unknown_and_odd_tags_keep_everything() {
        let v = json!({"a": {"b": [1, null]}, "type": "from_the_future", "c": "d"});
        let e: Event = serde_json::from_slice(v.to_string().as_bytes()).unwrap();
        assert_eq!(e, Event::Unknown(v.clone()));
        assert_eq!(serde_json::to_value(&e).unwrap(), v);
        let escaped: Event = serde_json::from_str(r#"{"user":"U1","type":"app\u005fmention"}"#).unwrap();
        assert_eq!(escaped.kind(), "app_mention");
        let numeric = json!({"x": 1, "type": 5});
        let e: Event = serde_json::from_slice(numeric.to_string().as_bytes()).unwrap();
        assert_eq!(serde_json::to_value(&e).unwrap(), numeric);
        // From a `serde_json::Value` too (the buffered entries are taken as text from it).
        let e: Event = serde_json::from_value(json!({"user": "U1", "type": "app_mention"})).unwrap();
        assert_eq!(e.kind(), "app_mention");
    }
}
