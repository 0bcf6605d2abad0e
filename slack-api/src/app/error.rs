//! What a listener may fail with, and what failing to ack looks like.

use std::fmt;

/// A listener's or middleware's error: any `std::error::Error` converts into it with `?`, so
/// one handler can call methods with different error types (`Error<ChatPostMessageError>`,
/// `Error<ViewsOpenError>`, a database's error…). It goes to the app's error handler
/// ([`App::error`](super::App::error)); the default logs it.
pub struct AppError(Box<dyn std::error::Error + Send + Sync + 'static>);

/// What a listener returns.
pub type Result<T = ()> = std::result::Result<T, AppError>;

impl AppError {
    /// An error with this message.
    pub fn msg(message: impl Into<String>) -> Self {
        AppError(message.into().into())
    }

    /// A boxed error as it is.
    pub fn from_boxed(error: Box<dyn std::error::Error + Send + Sync + 'static>) -> Self {
        AppError(error)
    }

    /// The error inside.
    pub fn get_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }

    /// The error inside, if it is an `E`.
    pub fn downcast_ref<E: std::error::Error + 'static>(&self) -> Option<&E> {
        self.0.downcast_ref()
    }

    /// The boxed error.
    pub fn into_inner(self) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self.0
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for AppError {
    fn from(e: E) -> Self {
        AppError(Box::new(e))
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why [`Cx::ack_with`](super::Cx::ack_with) refused a reply.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AckError {
    /// The payload has been acknowledged already (by this listener, or by the framework when
    /// the deadline passed).
    AlreadyAcked,
    /// This kind of payload takes no such reply: e.g. options answer a `block_suggestion`
    /// only, view errors a `view_submission` only. Events, block actions, shortcuts and view
    /// closes are acknowledged by the framework and take no reply.
    NotAccepted { reply: &'static str, payload: String },
    /// The reply's Block Kit breaks Slack's limits (each violation with its path).
    Invalid(String),
}

impl fmt::Display for AckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AckError::AlreadyAcked => f.write_str("the payload was acknowledged already"),
            AckError::NotAccepted { reply, payload } => write!(f, "a `{payload}` payload takes no `{reply}` reply"),
            AckError::Invalid(why) => write!(f, "the reply breaks Block Kit's limits: {why}"),
        }
    }
}

impl std::error::Error for AckError {}
