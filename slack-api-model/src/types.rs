//! Small value types shared by all methods.

use std::fmt;

/// A Slack timestamp such as `1503435956.000247`, kept exactly as written: Slack compares `ts`
/// values as strings, and a float would lose digits.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(String);

crate::ids::string_serde!(Timestamp);

impl Timestamp {
    pub fn new(ts: impl Into<String>) -> Self {
        Self(ts.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.0)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Timestamp {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<String> for Timestamp {
    fn from(s: String) -> Self {
        Self(s)
    }
}

/// File contents for an upload argument (`files.upload`'s `file`, `users.setPhoto`'s `image`).
/// A call with a file set is sent as `multipart/form-data`.
#[derive(Clone, PartialEq, Eq)]
pub struct FileUpload {
    pub filename: String,
    /// The part's content type; `application/octet-stream` when `None`.
    pub content_type: Option<String>,
    pub data: bytes::Bytes,
}

impl FileUpload {
    pub fn new(filename: impl Into<String>, data: impl Into<bytes::Bytes>) -> Self {
        Self { filename: filename.into(), content_type: None, data: data.into() }
    }

    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// Shows the name, type and size, not the contents.
impl fmt::Debug for FileUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileUpload")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .finish()
    }
}

/// A JSON string, number or boolean, whichever Slack sends: the value of a field whose JSON
/// kind follows something else in the answer (a list cell's `value` follows its column's type,
/// a workflow step input's `value` follows the function's input). Any other shape stays in the
/// owner's `extra`.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Text(String),
    /// The number exactly as sent (integer or float).
    Number(serde_json::Number),
    Bool(bool),
}

impl Scalar {
    /// The text, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The number as an `i64`, if it is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Scalar::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// The number as an `f64`, if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Scalar::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The boolean, if it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Text(s) => f.write_str(s),
            Scalar::Number(n) => write!(f, "{n}"),
            Scalar::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl serde::Serialize for Scalar {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Scalar::Text(v) => s.serialize_str(v),
            Scalar::Number(n) => n.serialize(s),
            Scalar::Bool(b) => s.serialize_bool(*b),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(v) => Ok(Scalar::Text(v)),
            serde_json::Value::Number(n) => Ok(Scalar::Number(n)),
            serde_json::Value::Bool(b) => Ok(Scalar::Bool(b)),
            other => Err(serde::de::Error::custom(format_args!("expected a string, number or boolean, found {other}"))),
        }
    }
}

impl From<&str> for Scalar {
    fn from(s: &str) -> Self {
        Scalar::Text(s.to_owned())
    }
}

impl From<String> for Scalar {
    fn from(s: String) -> Self {
        Scalar::Text(s)
    }
}

impl From<i64> for Scalar {
    fn from(v: i64) -> Self {
        Scalar::Number(v.into())
    }
}

impl From<bool> for Scalar {
    fn from(v: bool) -> Self {
        Scalar::Bool(v)
    }
}

/// An integer that Slack sends as a JSON number in some answers and as decimal text in others
/// (a user group's `user_count`: `2` or `"2"`). Reads as an `i64` either way ([`get`](Self::get));
/// remembers the form so the answer is written back as sent. Compares, orders and hashes by
/// value: `2` and `"2"` are equal.
#[derive(Clone, Copy)]
pub struct LaxInt {
    value: i64,
    text: bool,
}

impl LaxInt {
    /// An integer sent as a JSON number.
    pub fn new(value: i64) -> Self {
        Self { value, text: false }
    }

    /// An integer in its canonical decimal text (`"2"`, `"-5"`; not `"02"`, `"+2"` or `" 2"`,
    /// which could not be written back as sent).
    pub fn from_text(s: &str) -> Option<Self> {
        let value: i64 = s.parse().ok()?;
        (value.to_string() == s).then_some(Self { value, text: true })
    }

    /// The integer.
    pub fn get(self) -> i64 {
        self.value
    }

    /// Whether Slack sent it as text.
    pub fn was_text(self) -> bool {
        self.text
    }
}

impl fmt::Debug for LaxInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.text { write!(f, "{:?}", self.value.to_string()) } else { write!(f, "{}", self.value) }
    }
}

impl fmt::Display for LaxInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.value)
    }
}

impl From<i64> for LaxInt {
    fn from(v: i64) -> Self {
        Self::new(v)
    }
}

impl From<LaxInt> for i64 {
    fn from(v: LaxInt) -> Self {
        v.value
    }
}

impl PartialEq for LaxInt {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for LaxInt {}

impl PartialOrd for LaxInt {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for LaxInt {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl std::hash::Hash for LaxInt {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl PartialEq<i64> for LaxInt {
    fn eq(&self, other: &i64) -> bool {
        self.value == *other
    }
}

impl serde::Serialize for LaxInt {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.text { s.collect_str(&self.value) } else { s.serialize_i64(self.value) }
    }
}

impl<'de> serde::Deserialize<'de> for LaxInt {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Number(n) => n.as_i64().map(Self::new),
            serde_json::Value::String(s) => Self::from_text(&s),
            _ => None,
        }
        .ok_or_else(|| serde::de::Error::custom("expected an integer, as a number or as decimal text"))
    }
}
