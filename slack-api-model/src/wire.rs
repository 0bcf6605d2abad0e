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
}
