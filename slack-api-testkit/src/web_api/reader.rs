//! Reading a call's arguments back into the method's typed request: the inverse of the
//! client's `write_args`, one generated decoder per method (`crate::generated`) over the
//! [`FromWire`] twins of the client's encoders.

use slack_api::wire::{FromWire, ListEncoding, list_from_wire};
use slack_api::FileUpload;

/// An argument the fake could not read: which one, and why. Answered `invalid_arguments` with
/// the message in `response_metadata.messages`, as Slack does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgError {
    /// The argument's wire name.
    pub arg: String,
    /// What is wrong, without the value (it may be a credential).
    pub message: String,
}

impl ArgError {
    /// The message as Slack words it in `response_metadata.messages`.
    pub fn slack_message(&self) -> String {
        if self.message == MISSING {
            format!("[ERROR] missing required field: {}", self.arg)
        } else {
            format!("[ERROR] {} [json-pointer:/{}]", self.message, self.arg)
        }
    }
}

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.arg, self.message)
    }
}

impl std::error::Error for ArgError {}

const MISSING: &str = "missing required field";

/// A method's request type that the fake can read from a call: implemented, for every method
/// of the spec, by the generated code.
pub trait Decode: Sized {
    /// Reads the request from the call's arguments.
    fn decode(args: &mut Reader<'_>) -> Result<Self, ArgError>;
}

/// The arguments of one call, as the generated decoders read them.
#[derive(Debug)]
pub struct Reader<'a> {
    args: &'a [(String, String)],
    files: &'a [(String, FileUpload)],
}

impl<'a> Reader<'a> {
    /// Reads `args` (text arguments, in arrival order) and `files` (multipart file parts).
    pub fn new(args: &'a [(String, String)], files: &'a [(String, FileUpload)]) -> Self {
        Reader { args, files }
    }

    fn text(&self, name: &str) -> Option<&'a str> {
        // The last value wins, as in a form Slack reads.
        self.args.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn wrap<T>(name: &str, r: Result<T, String>) -> Result<T, ArgError> {
        r.map_err(|message| ArgError { arg: name.to_owned(), message })
    }

    /// A required argument.
    pub fn required<T: FromWire>(&mut self, name: &str) -> Result<T, ArgError> {
        self.optional(name)?.ok_or_else(|| ArgError { arg: name.to_owned(), message: MISSING.into() })
    }

    /// An optional argument.
    pub fn optional<T: FromWire>(&mut self, name: &str) -> Result<Option<T>, ArgError> {
        self.text(name).map(|t| Self::wrap(name, T::from_wire(t))).transpose()
    }

    /// A required list argument.
    pub fn required_list<T: FromWire>(&mut self, name: &str, encoding: ListEncoding) -> Result<Vec<T>, ArgError> {
        self.optional_list(name, encoding)?.ok_or_else(|| ArgError { arg: name.to_owned(), message: MISSING.into() })
    }

    /// An optional list argument.
    pub fn optional_list<T: FromWire>(&mut self, name: &str, encoding: ListEncoding) -> Result<Option<Vec<T>>, ArgError> {
        self.text(name).map(|t| Self::wrap(name, list_from_wire(t, encoding))).transpose()
    }

    /// A required enumerated argument: one of `values`.
    pub fn required_enum<T: From<String>>(&mut self, name: &str, values: &[&str]) -> Result<T, ArgError> {
        self.optional_enum(name, values)?.ok_or_else(|| ArgError { arg: name.to_owned(), message: MISSING.into() })
    }

    /// An optional enumerated argument: one of `values`.
    pub fn optional_enum<T: From<String>>(&mut self, name: &str, values: &[&str]) -> Result<Option<T>, ArgError> {
        self.text(name).map(|t| Self::wrap(name, one_of(t, values).map(T::from))).transpose()
    }

    /// A required list of enumerated values.
    pub fn required_enum_list<T: From<String>>(&mut self, name: &str, encoding: ListEncoding, values: &[&str]) -> Result<Vec<T>, ArgError> {
        self.optional_enum_list(name, encoding, values)?.ok_or_else(|| ArgError { arg: name.to_owned(), message: MISSING.into() })
    }

    /// An optional list of enumerated values.
    pub fn optional_enum_list<T: From<String>>(&mut self, name: &str, encoding: ListEncoding, values: &[&str]) -> Result<Option<Vec<T>>, ArgError> {
        let Some(text) = self.text(name) else { return Ok(None) };
        let items: Vec<String> = Self::wrap(name, list_from_wire(text, encoding))?;
        let checked: Result<Vec<T>, String> =
            items.iter().enumerate().map(|(i, s)| one_of(s, values).map(T::from).map_err(|e| format!("item {i}: {e}"))).collect();
        Self::wrap(name, checked).map(Some)
    }

    /// A required file part.
    pub fn required_file(&mut self, name: &str) -> Result<FileUpload, ArgError> {
        self.optional_file(name)?.ok_or_else(|| ArgError { arg: name.to_owned(), message: MISSING.into() })
    }

    /// An optional file part (a text field of that name is taken as the file's content).
    pub fn optional_file(&mut self, name: &str) -> Result<Option<FileUpload>, ArgError> {
        if let Some((_, f)) = self.files.iter().rev().find(|(k, _)| k == name) {
            return Ok(Some(f.clone()));
        }
        Ok(self.text(name).map(|t| FileUpload::new(name, t.as_bytes().to_vec())))
    }
}

fn one_of(value: &str, values: &[&str]) -> Result<String, String> {
    if values.contains(&value) {
        Ok(value.to_owned())
    } else {
        let list = values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
        Err(format!("must be one of {list}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_argument() {
        let args = vec![("as_user".to_owned(), "maybe".to_owned()), ("kind".to_owned(), "x".to_owned())];
        let mut r = Reader::new(&args, &[]);
        let e = r.required::<String>("channel").unwrap_err();
        assert_eq!(e.slack_message(), "[ERROR] missing required field: channel");
        let e = r.optional::<bool>("as_user").unwrap_err();
        assert_eq!(e.slack_message(), "[ERROR] expected a boolean (`true` or `false`) [json-pointer:/as_user]");
        let e = r.optional_enum::<String>("kind", &["a", "b"]).unwrap_err();
        assert_eq!(e.message, "must be one of `a`, `b`");
    }
}
