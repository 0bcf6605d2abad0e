//! Uploading a file in one call, over Slack's current flow: `files.getUploadURLExternal`, the
//! upload itself, then `files.completeUploadExternal`.

use std::fmt;
use std::path::PathBuf;

use crate::error::Error;
use crate::files::{
    FilesCompleteUploadExternalError, FilesCompleteUploadExternalRequest, FilesGetUploadUrlExternalError,
    FilesGetUploadUrlExternalRequest,
};
use crate::{ChannelId, Client};

/// What to upload, and where to share it.
#[must_use]
pub struct FileToUpload {
    source: Source,
    filename: String,
    title: Option<String>,
    channel_id: Option<ChannelId>,
    thread_ts: Option<String>,
    initial_comment: Option<String>,
    alt_txt: Option<String>,
    snippet_type: Option<String>,
}

enum Source {
    Path(PathBuf),
    Bytes(bytes::Bytes),
    Reader { reader: Box<dyn tokio::io::AsyncRead + Send + Sync + Unpin>, length: u64 },
}

impl fmt::Debug for FileToUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Path(p) => format!("path {}", p.display()),
            Source::Bytes(b) => format!("{} bytes in memory", b.len()),
            Source::Reader { length, .. } => format!("reader of {length} bytes"),
        };
        f.debug_struct("FileToUpload")
            .field("source", &source)
            .field("filename", &self.filename)
            .field("channel_id", &self.channel_id)
            .finish_non_exhaustive()
    }
}

impl FileToUpload {
    /// A file on disk, streamed from it (never read into memory whole). The file name Slack
    /// shows is the path's last component unless [`filename`](Self::filename) says otherwise.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let filename = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".into());
        Self::new(Source::Path(path), filename)
    }

    /// Contents already in memory.
    pub fn bytes(filename: impl Into<String>, data: impl Into<bytes::Bytes>) -> Self {
        Self::new(Source::Bytes(data.into()), filename.into())
    }

    /// Contents read from `reader`, streamed; Slack needs the `length` in bytes up front.
    pub fn reader(
        filename: impl Into<String>,
        length: u64,
        reader: impl tokio::io::AsyncRead + Send + Sync + Unpin + 'static,
    ) -> Self {
        Self::new(Source::Reader { reader: Box::new(reader), length }, filename.into())
    }

    fn new(source: Source, filename: String) -> Self {
        FileToUpload {
            source,
            filename,
            title: None,
            channel_id: None,
            thread_ts: None,
            initial_comment: None,
            alt_txt: None,
            snippet_type: None,
        }
    }

    pub fn filename(mut self, name: impl Into<String>) -> Self {
        self.filename = name.into();
        self
    }
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }
    /// Shares the file in this channel.
    pub fn channel_id(mut self, channel: impl Into<ChannelId>) -> Self {
        self.channel_id = Some(channel.into());
        self
    }
    /// Shares the file as a reply in this thread (with [`channel_id`](Self::channel_id)).
    pub fn thread_ts(mut self, ts: impl Into<String>) -> Self {
        self.thread_ts = Some(ts.into());
        self
    }
    pub fn initial_comment(mut self, text: impl Into<String>) -> Self {
        self.initial_comment = Some(text.into());
        self
    }
    /// A description of an image, for screen readers.
    pub fn alt_txt(mut self, text: impl Into<String>) -> Self {
        self.alt_txt = Some(text.into());
        self
    }
    /// The syntax type of a snippet (e.g. `python`).
    pub fn snippet_type(mut self, kind: impl Into<String>) -> Self {
        self.snippet_type = Some(kind.into());
        self
    }
}

/// The uploaded file.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UploadedFile {
    pub id: String,
    /// The file as `files.completeUploadExternal` describes it (empty if the answer lists none).
    pub file: crate::objects::File,
}

/// What can go wrong in [`Client::upload_file`], step by step.
#[derive(Debug)]
#[non_exhaustive]
pub enum UploadError {
    /// Reading the local file failed.
    Io(std::io::Error),
    /// `files.getUploadURLExternal` failed.
    GetUploadUrl(Error<FilesGetUploadUrlExternalError>),
    /// The upload URL Slack returned is unusable (missing, not a URL, or plain http).
    BadUploadUrl(String),
    /// Sending the contents failed.
    Upload(reqwest::Error),
    /// The upload URL answered with an error status.
    UploadRejected { status: u16, body: String },
    /// `files.completeUploadExternal` failed.
    Complete(Error<FilesCompleteUploadExternalError>),
}

impl fmt::Display for UploadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UploadError::Io(e) => write!(f, "cannot read the file: {e}"),
            UploadError::GetUploadUrl(e) => write!(f, "files.getUploadURLExternal: {e}"),
            UploadError::BadUploadUrl(why) => write!(f, "unusable upload URL: {why}"),
            UploadError::Upload(e) => write!(f, "uploading the contents failed: {e}"),
            UploadError::UploadRejected { status, body } => {
                write!(f, "the upload URL answered HTTP {status}; body starts: {body:?}")
            }
            UploadError::Complete(e) => write!(f, "files.completeUploadExternal: {e}"),
        }
    }
}

impl std::error::Error for UploadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            UploadError::Io(e) => Some(e),
            UploadError::GetUploadUrl(e) => Some(e),
            UploadError::Upload(e) => Some(e),
            UploadError::Complete(e) => Some(e),
            _ => None,
        }
    }
}

impl Client {
    /// Uploads a file in one call: asks Slack for an upload URL (`files.getUploadURLExternal`),
    /// streams the contents to it, and completes the upload (`files.completeUploadExternal`),
    /// sharing it where [`FileToUpload`] says. The token goes only to Slack's API, never to the
    /// upload URL. Needs the `files` feature.
    ///
    /// ```no_run
    /// # async fn run(client: slack_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use slack_api::FileToUpload;
    ///
    /// let file = FileToUpload::path("report.pdf").title("Weekly report").channel_id("C0123456789");
    /// let uploaded = client.upload_file(file).await?;
    /// println!("uploaded {}", uploaded.id);
    /// # Ok(()) }
    /// ```
    pub async fn upload_file(&self, file: FileToUpload) -> Result<UploadedFile, UploadError> {
        let FileToUpload { source, filename, title, channel_id, thread_ts, initial_comment, alt_txt, snippet_type } = file;
        let (body, length) = match source {
            Source::Path(path) => {
                let f = tokio::fs::File::open(&path).await.map_err(UploadError::Io)?;
                let length = f.metadata().await.map_err(UploadError::Io)?.len();
                (reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(f)), length)
            }
            Source::Bytes(b) => {
                let length = b.len() as u64;
                (reqwest::Body::from(b), length)
            }
            Source::Reader { reader, length } => {
                (reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(reader)), length)
            }
        };

        let mut get = FilesGetUploadUrlExternalRequest::new(length as i64, filename);
        if let Some(a) = alt_txt {
            get = get.alt_txt(a);
        }
        if let Some(s) = snippet_type {
            get = get.snippet_type(s);
        }
        let target = self.call(&get).await.map_err(UploadError::GetUploadUrl)?;
        let (Some(url), Some(id)) = (target.upload_url, target.file_id) else {
            return Err(UploadError::BadUploadUrl("the answer lacks `upload_url` or `file_id`".into()));
        };
        let id = id.into_string();
        let parsed = reqwest::Url::parse(&url).map_err(|e| UploadError::BadUploadUrl(format!("{e}")))?;
        if crate::net::check_url(&parsed, "https", "http").is_err() {
            return Err(UploadError::BadUploadUrl(format!("refusing to upload over {}", parsed.scheme())));
        }

        let response = self
            .http()
            .post(parsed)
            .header(reqwest::header::CONTENT_LENGTH, length)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(body)
            .send()
            .await
            // The upload URL is itself a credential: the error must not carry it.
            .map_err(|e| UploadError::Upload(e.without_url()))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            let body = response.bytes().await.map(|b| crate::error::snippet(&b)).unwrap_or_default();
            return Err(UploadError::UploadRejected { status, body });
        }

        let mut entry = serde_json::json!({ "id": id });
        if let Some(t) = title {
            entry["title"] = serde_json::Value::String(t);
        }
        let mut complete = FilesCompleteUploadExternalRequest::new([entry]);
        if let Some(c) = channel_id {
            complete = complete.channel_id(c);
        }
        if let Some(ts) = thread_ts {
            complete = complete.thread_ts(ts);
        }
        if let Some(text) = initial_comment {
            complete = complete.initial_comment(text);
        }
        let done = self.call(&complete).await.map_err(UploadError::Complete)?;
        let file = done.files.and_then(|f| f.into_iter().next()).unwrap_or_default();
        Ok(UploadedFile { id, file })
    }
}
