//! How arguments travel: every value becomes a string in a form body or query string.

use std::borrow::Cow;

/// The arguments of one call, in the order the request writes them. `Debug` shows the names
/// only: values may be credentials or private text.
#[derive(Default, Clone, PartialEq)]
pub struct Args {
    pairs: Vec<(&'static str, String)>,
    files: Vec<(&'static str, crate::FileUpload)>,
}

impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Args")
            .field("names", &self.pairs.iter().map(|(k, _)| *k).collect::<Vec<_>>())
            .field("files", &self.files.iter().map(|(k, _)| *k).collect::<Vec<_>>())
            .finish()
    }
}

/// How a list argument is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListEncoding {
    /// `a,b,c`
    Comma,
    /// `["a","b","c"]`
    Json,
}

impl Args {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one argument.
    pub fn put<T: ToWire + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.pairs.push((name, value.to_wire().into_owned()));
    }

    /// Adds a list argument.
    pub fn put_list<T: ToWire>(&mut self, name: &'static str, values: &[T], encoding: ListEncoding) {
        let text = match encoding {
            ListEncoding::Comma => {
                let mut s = String::new();
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push_str(&v.to_wire());
                }
                s
            }
            ListEncoding::Json => {
                serde_json::Value::Array(values.iter().map(ToWire::to_json).collect()).to_string()
            }
        };
        self.pairs.push((name, text));
    }

    /// Adds a file argument: the call then goes out as `multipart/form-data`.
    pub fn put_file(&mut self, name: &'static str, file: &crate::FileUpload) {
        self.files.push((name, file.clone()));
    }

    /// The file arguments.
    pub fn files(&self) -> &[(&'static str, crate::FileUpload)] {
        &self.files
    }

    /// The arguments as (name, value) pairs.
    pub fn pairs(&self) -> &[(&'static str, String)] {
        &self.pairs
    }

    /// `application/x-www-form-urlencoded` text of the arguments.
    pub fn to_form(&self) -> String {
        self.to_form_without(&[])
    }

    /// `application/x-www-form-urlencoded` text of the arguments but those named in `skip`.
    pub fn to_form_without(&self, skip: &[&str]) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.pairs.iter().filter(|(k, _)| !skip.contains(k)) {
            s.append_pair(k, v);
        }
        s.finish()
    }

    /// The value of an argument, by wire name.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }

    /// `client_id` and `client_secret`, when both are set (the OAuth exchange methods send
    /// them as HTTP Basic authentication).
    pub fn client_credentials(&self) -> Option<(&str, &str)> {
        Some((self.get("client_id")?, self.get("client_secret")?))
    }
}

/// A value that can be sent as an argument.
pub trait ToWire {
    /// The value as a form field.
    fn to_wire(&self) -> Cow<'_, str>;
    /// The value inside a JSON-encoded list.
    fn to_json(&self) -> serde_json::Value;
}

impl ToWire for str {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::String(self.to_owned())
    }
}

impl ToWire for String {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::String(self.clone())
    }
}

impl ToWire for bool {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Bool(*self)
    }
}

impl ToWire for i64 {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::from(*self)
    }
}

impl ToWire for f64 {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::from(*self)
    }
}

/// JSON values (blocks, attachments, profiles…) travel as JSON text.
impl ToWire for serde_json::Value {
    fn to_wire(&self) -> Cow<'_, str> {
        match self {
            // A string is taken to be JSON text already (e.g. a prepared `blocks` payload).
            serde_json::Value::String(s) => Cow::Borrowed(s),
            other => Cow::Owned(other.to_string()),
        }
    }
    fn to_json(&self) -> serde_json::Value {
        self.clone()
    }
}

impl ToWire for crate::Timestamp {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.as_str())
    }
    fn to_json(&self) -> serde_json::Value {
        serde_json::Value::String(self.as_str().to_owned())
    }
}

/// A value read back from an argument: the inverse of [`ToWire`], for a server that receives
/// what the client sends (the test kit's fake Slack). Errors say what was expected, never the
/// value (it may be a credential).
pub trait FromWire: Sized {
    /// Reads a form field (or query parameter) as the client writes it with
    /// [`ToWire::to_wire`].
    fn from_wire(text: &str) -> Result<Self, String>;
    /// Reads an item of a JSON-encoded list, as [`ToWire::to_json`] writes it.
    fn from_json(value: &serde_json::Value) -> Result<Self, String> {
        match value {
            serde_json::Value::String(s) => Self::from_wire(s),
            other => Self::from_wire(&other.to_string()),
        }
    }
}

/// Reads a list argument written by [`Args::put_list`]. A comma-encoded list also accepts a
/// JSON array (what a JSON body carries), and an empty text is an empty list.
pub fn list_from_wire<T: FromWire>(text: &str, encoding: ListEncoding) -> Result<Vec<T>, String> {
    let trimmed = text.trim_start();
    if encoding == ListEncoding::Json || trimmed.starts_with('[') {
        let items: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|e| match encoding {
            ListEncoding::Json => format!("expected a JSON array: {e}"),
            ListEncoding::Comma => format!("expected a comma-separated list or a JSON array: {e}"),
        })?;
        return items.iter().enumerate().map(|(i, v)| T::from_json(v).map_err(|e| format!("item {i}: {e}"))).collect();
    }
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',').enumerate().map(|(i, item)| T::from_wire(item).map_err(|e| format!("item {i}: {e}"))).collect()
}

impl FromWire for String {
    fn from_wire(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
}

/// `true` / `false`, and `1` / `0` as Slack also takes them.
impl FromWire for bool {
    fn from_wire(text: &str) -> Result<Self, String> {
        match text {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err("expected a boolean (`true` or `false`)".into()),
        }
    }
}

impl FromWire for i64 {
    fn from_wire(text: &str) -> Result<Self, String> {
        text.trim().parse().map_err(|_| "expected an integer".into())
    }
}

impl FromWire for f64 {
    fn from_wire(text: &str) -> Result<Self, String> {
        match text.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(n),
            _ => Err("expected a number".into()),
        }
    }
}

/// A timestamp is digits with at most one `.` (`1503435956.000247`).
impl FromWire for crate::Timestamp {
    fn from_wire(text: &str) -> Result<Self, String> {
        let mut parts = text.splitn(2, '.');
        let whole = parts.next().unwrap_or_default();
        let frac = parts.next().unwrap_or("0");
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if digits(whole) && digits(frac) {
            Ok(crate::Timestamp::new(text))
        } else {
            Err("expected a timestamp such as `1503435956.000247`".into())
        }
    }
}

/// JSON text (an object of an `array<object>` argument).
impl FromWire for serde_json::Value {
    fn from_wire(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| format!("expected JSON: {e}"))
    }
    fn from_json(value: &serde_json::Value) -> Result<Self, String> {
        Ok(value.clone())
    }
}

/// Any JSON text, kept as sent.
impl FromWire for crate::Json {
    fn from_wire(text: &str) -> Result<Self, String> {
        serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| format!("expected JSON: {e}"))?;
        Ok(crate::Json::raw(text))
    }
    fn from_json(value: &serde_json::Value) -> Result<Self, String> {
        Ok(crate::Json::new(value))
    }
}

/// Block Kit JSON, decoded into the typed value (so that `validate()` can check it). Decoding
/// is as lenient as for answers: a kind this crate does not know is kept as `Unknown`.
impl<T: serde::de::DeserializeOwned> FromWire for crate::JsonArg<T> {
    fn from_wire(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map(crate::JsonArg::Value).map_err(|e| format!("expected JSON of the documented shape: {e}"))
    }
    fn from_json(value: &serde_json::Value) -> Result<Self, String> {
        match value {
            serde_json::Value::String(s) => Self::from_wire(s),
            other => T::deserialize(other).map(crate::JsonArg::Value).map_err(|e| format!("expected JSON of the documented shape: {e}")),
        }
    }
}

macro_rules! id_from_wire {
    ($($name:ident),*) => {$(
        /// Any non-empty text (Slack checks IDs against its data, not their form).
        impl FromWire for crate::$name {
            fn from_wire(text: &str) -> Result<Self, String> {
                if text.is_empty() {
                    return Err("expected an ID, got empty text".into());
                }
                Ok(crate::$name::from(text))
            }
        }
    )*};
}

id_from_wire!(UserId, ChannelId, TeamId, EnterpriseId, AppId, FileId, UsergroupId, FunctionId, BotId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_each_kind() {
        let mut a = Args::new();
        a.put("s", "a b&c");
        a.put("b", &true);
        a.put("i", &42i64);
        a.put("n", &1.5f64);
        a.put_list("l", &["C1".to_owned(), "C2".to_owned()], ListEncoding::Comma);
        a.put_list("j", &["U1".to_owned()], ListEncoding::Json);
        a.put("o", &serde_json::json!({"k": [1]}));
        assert_eq!(
            a.to_form(),
            "s=a+b%26c&b=true&i=42&n=1.5&l=C1%2CC2&j=%5B%22U1%22%5D&o=%7B%22k%22%3A%5B1%5D%7D"
        );
    }

    #[test]
    fn reads_back_what_it_writes() {
        let mut a = Args::new();
        a.put("b", &true);
        a.put("i", &-42i64);
        a.put("n", &1.5f64);
        a.put_list("l", &["C1".to_owned(), "C2".to_owned()], ListEncoding::Comma);
        a.put_list("j", &["U1".to_owned()], ListEncoding::Json);
        assert_eq!(bool::from_wire(a.get("b").unwrap()), Ok(true));
        assert_eq!(i64::from_wire(a.get("i").unwrap()), Ok(-42));
        assert_eq!(f64::from_wire(a.get("n").unwrap()), Ok(1.5));
        assert_eq!(list_from_wire::<String>(a.get("l").unwrap(), ListEncoding::Comma), Ok(vec!["C1".to_owned(), "C2".to_owned()]));
        assert_eq!(list_from_wire::<String>(a.get("j").unwrap(), ListEncoding::Json), Ok(vec!["U1".to_owned()]));
        assert_eq!(list_from_wire::<String>(r#"["a","b"]"#, ListEncoding::Comma), Ok(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(list_from_wire::<i64>("1,x", ListEncoding::Comma), Err("item 1: expected an integer".to_owned()));
        assert!(bool::from_wire("yes").is_err());
        assert!(crate::Timestamp::from_wire("1503435956.000247").is_ok());
        assert!(crate::Timestamp::from_wire("soon").is_err());
        assert!(crate::ChannelId::from_wire("").is_err());
        assert!(crate::Json::from_wire("{").is_err());
        assert_eq!(crate::Json::from_wire("{ \"a\": 1 }").unwrap().as_text(), Ok("{ \"a\": 1 }"));
    }
}
