//! How a listener names what it listens to: an exact identifier, or a regular expression.

use std::fmt;

pub use regex_lite::Regex;

/// An identifier to match (`action_id`, `block_id`, `callback_id`, a command) or, for message
/// listeners, the text to look for.
///
/// - From `&str` / `String`: the identifier exactly; for messages, text that *contains* it
///   (as Bolt's keyword listeners).
/// - From a [`Regex`] (or [`Pattern::regex`]): a match anywhere in the identifier or text;
///   anchor it (`^…$`) to match the whole. For messages, the capture groups are in
///   [`Cx::matches`](super::Cx::matches).
#[derive(Clone)]
pub enum Pattern {
    Exact(String),
    Regex(Regex),
}

impl Pattern {
    /// A regular expression (regex-lite syntax: Rust's regex syntax without Unicode classes).
    ///
    /// ```
    /// use slack_api::app::Pattern;
    /// assert!(Pattern::regex("^done_[0-9]+$").unwrap().is_match("done_42"));
    /// assert!(Pattern::regex("(unclosed").is_err());
    /// ```
    pub fn regex(re: &str) -> Result<Self, regex_lite::Error> {
        Regex::new(re).map(Pattern::Regex)
    }

    /// Whether `id` is the identifier (exact), or matches the expression.
    pub fn is_match(&self, id: &str) -> bool {
        match self {
            Pattern::Exact(s) => s == id,
            Pattern::Regex(re) => re.is_match(id),
        }
    }

    /// For message text: `Some(captures)` when the text contains the keyword or matches the
    /// expression (the whole match first, then each group; an unmatched group is empty).
    pub(crate) fn find_in(&self, text: &str) -> Option<Vec<String>> {
        match self {
            Pattern::Exact(s) => text.contains(s.as_str()).then(|| vec![s.clone()]),
            Pattern::Regex(re) => re
                .captures(text)
                .map(|c| c.iter().map(|m| m.map_or_else(String::new, |m| m.as_str().to_owned())).collect()),
        }
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pattern::Exact(s) => write!(f, "{s:?}"),
            Pattern::Regex(re) => write!(f, "/{}/", re.as_str()),
        }
    }
}

impl From<&str> for Pattern {
    fn from(s: &str) -> Self {
        Pattern::Exact(s.to_owned())
    }
}

impl From<String> for Pattern {
    fn from(s: String) -> Self {
        Pattern::Exact(s)
    }
}

impl From<&String> for Pattern {
    fn from(s: &String) -> Self {
        Pattern::Exact(s.clone())
    }
}

impl From<Regex> for Pattern {
    fn from(re: Regex) -> Self {
        Pattern::Regex(re)
    }
}
