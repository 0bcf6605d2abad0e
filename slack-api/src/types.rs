//! Small value types shared by all methods.

use std::fmt;

/// A Slack timestamp such as `1503435956.000247`, kept exactly as written: Slack compares `ts`
/// values as strings, and a float would lose digits.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Timestamp(String);

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
