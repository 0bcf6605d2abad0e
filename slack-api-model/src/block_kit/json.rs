//! Block Kit values written as JSON text directly, the way the client sends them.
//!
//! Every Block Kit type also implements `serde::Serialize` (and serialises to the same text),
//! but a serde serializer must treat every key as data: `serde_json` escapes `"type"`,
//! `"button"` and every other key byte by byte, and that escaping was a third of the time of
//! building, checking and sending a message (BENCHMARKS.md §6). Here the generator writes each
//! type's keys and tags as text already quoted, and strings are escaped only when one of their
//! bytes needs it (looked for eight bytes at a time). The output is byte for byte what
//! `serde_json::to_string` writes (compact; `extra` entries in the map's order); values kept as
//! sent (`extra`, `Unknown`, `json` fields) are written by `serde_json` itself.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value};

/// A Block Kit value that writes itself as JSON text; see [`to_json_string`].
pub trait WriteJson {
    /// Appends this value's JSON text to `out`.
    fn write_json(&self, out: &mut JsonWriter);
}

/// JSON text being written (compact, as `serde_json` writes it).
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: String,
}

/// `value` as JSON text: the same text as `serde_json::to_string(value)`, written faster.
///
/// ```
/// use slack_api::block_kit::{Block, ButtonElement, SectionBlock, to_json_string};
///
/// let blocks: Vec<Block> = vec![SectionBlock::new().accessory(ButtonElement::new("Go").action_id("go")).into()];
/// let text = to_json_string(&blocks);
/// assert_eq!(text, r#"[{"type":"section","accessory":{"type":"button","text":{"type":"plain_text","text":"Go"},"action_id":"go"}}]"#);
/// assert_eq!(text, serde_json::to_string(&blocks).unwrap());
/// ```
pub fn to_json_string<T: WriteJson + ?Sized>(value: &T) -> String {
    let mut w = JsonWriter { out: String::with_capacity(1024) };
    value.write_json(&mut w);
    w.out
}

/// `value` as a JSON value: its text (see [`to_json_string`]) read back. Block Kit values
/// become JSON values this way rather than through `serde_json::to_value`, so that a program
/// holds one serialiser per type (the text writer), not a second one building JSON values.
pub fn to_json_value<T: WriteJson + ?Sized>(value: &T) -> Value {
    // The writer's text is always JSON; `Null` only stands for the impossible case.
    serde_json::from_str(&to_json_string(value)).unwrap_or(Value::Null)
}

impl JsonWriter {
    /// Text that is already JSON (a quoted key, a tag, punctuation).
    #[doc(hidden)]
    #[inline]
    pub fn raw(&mut self, json: &str) {
        self.out.push_str(json);
    }

    /// An object's key, given quoted with its colon: preceded by a comma unless it is the
    /// object's first.
    #[doc(hidden)]
    #[inline]
    pub fn key(&mut self, quoted: &str) {
        self.comma();
        self.out.push_str(quoted);
    }

    #[inline]
    fn comma(&mut self) {
        if self.out.as_bytes().last() != Some(&b'{') {
            self.out.push(',');
        }
    }

    /// A string, quoted and escaped.
    #[doc(hidden)]
    #[inline]
    pub fn str(&mut self, s: &str) {
        self.out.reserve(s.len() + 2);
        self.out.push('"');
        if needs_escape(s.as_bytes()) {
            escape(&mut self.out, s);
        } else {
            self.out.push_str(s);
        }
        self.out.push('"');
    }

    /// The fields kept as sent, after the typed ones.
    #[doc(hidden)]
    #[inline]
    pub fn extra(&mut self, extra: &Map<String, Value>) {
        if !extra.is_empty() {
            self.extra_entries(extra);
        }
    }

    fn extra_entries(&mut self, extra: &Map<String, Value>) {
        for (k, v) in extra {
            self.comma();
            self.str(k);
            self.out.push(':');
            v.write_json(self);
        }
    }
}

/// Whether a byte of `b` must be escaped in a JSON string: a control character, `"` or `\`
/// (what `serde_json` escapes; it leaves `/`, DEL and non-ASCII as they are). Eight bytes at a
/// time: a byte below 0x20, or equal to `"` or `\`, sets its high bit in one of the three masks
/// (the classic "has a byte less than n" and "has a zero byte" tests, exact for "is there one").
#[inline]
fn needs_escape(b: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        let control = w.wrapping_sub(LO * 0x20) & !w;
        let q = w ^ (LO * u64::from(b'"'));
        let quote = q.wrapping_sub(LO) & !q;
        let s = w ^ (LO * u64::from(b'\\'));
        let slash = s.wrapping_sub(LO) & !s;
        if (control | quote | slash) & HI != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&c| c < 0x20 || c == b'"' || c == b'\\')
}

/// Escapes `s` as `serde_json` does: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other control
/// characters as `\u00xx` (lower-case hex).
#[cold]
fn escape(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        let short = match c {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        // Only ASCII bytes end a run: the slice is on character boundaries.
        out.push_str(&s[start..i]);
        if short.is_empty() {
            let _ = write!(out, "\\u{:04x}", c);
        } else {
            out.push_str(short);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

impl WriteJson for str {
    #[inline]
    fn write_json(&self, out: &mut JsonWriter) {
        out.str(self);
    }
}

impl WriteJson for String {
    #[inline]
    fn write_json(&self, out: &mut JsonWriter) {
        out.str(self);
    }
}

impl WriteJson for bool {
    #[inline]
    fn write_json(&self, out: &mut JsonWriter) {
        out.raw(if *self { "true" } else { "false" });
    }
}

impl WriteJson for i64 {
    fn write_json(&self, out: &mut JsonWriter) {
        let _ = write!(out.out, "{self}");
    }
}

/// Data kept as sent: written by `serde_json`.
impl WriteJson for Value {
    fn write_json(&self, out: &mut JsonWriter) {
        match self {
            Value::String(s) => out.str(s),
            Value::Bool(b) => b.write_json(out),
            Value::Null => out.raw("null"),
            // A `Value` always serialises (its keys are strings, its numbers finite).
            other => out.raw(&serde_json::to_string(other).unwrap_or_default()),
        }
    }
}

impl<T: WriteJson + ?Sized> WriteJson for Box<T> {
    #[inline]
    fn write_json(&self, out: &mut JsonWriter) {
        (**self).write_json(out);
    }
}

impl<T: WriteJson + ?Sized> WriteJson for &T {
    #[inline]
    fn write_json(&self, out: &mut JsonWriter) {
        (**self).write_json(out);
    }
}

/// `null` or the value (list items that may be `null`).
impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, out: &mut JsonWriter) {
        match self {
            Some(x) => x.write_json(out),
            None => out.raw("null"),
        }
    }
}

impl<T: WriteJson> WriteJson for [T] {
    fn write_json(&self, out: &mut JsonWriter) {
        out.raw("[");
        for (i, x) in self.iter().enumerate() {
            if i > 0 {
                out.raw(",");
            }
            x.write_json(out);
        }
        out.raw("]");
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    #[inline]
    fn write_json(&self, out: &mut JsonWriter) {
        self.as_slice().write_json(out);
    }
}

impl<T: WriteJson> WriteJson for BTreeMap<String, T> {
    fn write_json(&self, out: &mut JsonWriter) {
        out.raw("{");
        for (i, (k, v)) in self.iter().enumerate() {
            if i > 0 {
                out.raw(",");
            }
            out.str(k);
            out.raw(":");
            v.write_json(out);
        }
        out.raw("}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_exactly_as_serde_json_does() {
        let mut samples: Vec<String> = vec![
            String::new(),
            "plain".into(),
            "exactly8".into(),
            "a \"quoted\" word".into(),
            "back\\slash and / slash".into(),
            "line\nbreak\ttab\rret\u{8}bs\u{c}ff".into(),
            "\u{0}\u{1}\u{1f}\u{7f} del".into(),
            "émoji 🎉 and ünïcödé, long enough to span several eight-byte words".into(),
        ];
        // Every byte value at every position of a 17-byte string.
        for c in 0u8..=127 {
            for pos in 0..17 {
                let mut s = vec![b'x'; 17];
                s[pos] = c;
                samples.push(String::from_utf8(s).unwrap());
            }
        }
        for s in &samples {
            let mut w = JsonWriter::default();
            w.str(s);
            assert_eq!(w.out, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn values_and_lists() {
        let v = serde_json::json!({"b": [1, -2.5, null, true], "a": {"x": "y\n"}});
        assert_eq!(to_json_string(&v), serde_json::to_string(&v).unwrap());
        let list: Vec<Option<i64>> = vec![Some(1), None, Some(-30)];
        assert_eq!(to_json_string(&list), "[1,null,-30]");
        let map: BTreeMap<String, bool> = [("k\"".to_owned(), true)].into();
        assert_eq!(to_json_string(&map), serde_json::to_string(&map).unwrap());
    }
}
