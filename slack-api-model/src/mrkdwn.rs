//! Building Slack's `mrkdwn` text safely: escaping, mentions, links and dates.
//!
//! Slack reads `&`, `<` and `>` as control characters in mrkdwn (and in a message's `text`):
//! text that comes from users must have them escaped, or `<!channel>` typed by a user pings a
//! whole channel. Everything else (`*`, `_`, `~`, `` ` ``) is formatting, not control, and is
//! left alone.
//!
//! ```
//! use slack_api::mrkdwn;
//!
//! let user_input = "Tom & Jerry <!channel>";
//! let text = format!(
//!     "{} asked {}: {}  ({})",
//!     mrkdwn::user("U0123456789"),
//!     mrkdwn::channel("C0123456789"),
//!     mrkdwn::escape(user_input),
//!     mrkdwn::link("https://example.com/tickets?id=1&v=2", "ticket <#42>"),
//! );
//! assert_eq!(
//!     text,
//!     "<@U0123456789> asked <#C0123456789>: Tom &amp; Jerry &lt;!channel&gt;  \
//!      (<https://example.com/tickets?id=1&amp;v=2|ticket &lt;#42&gt;>)"
//! );
//! ```
//!
//! Slack's reference: <https://docs.slack.dev/messaging/formatting-message-text>.

use std::borrow::Cow;
use std::fmt::Write;

/// Escapes `&`, `<` and `>` (as `&amp;`, `&lt;`, `&gt;`), the only characters Slack requires
/// escaped. Borrows when there is nothing to escape.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Mentions a user: `<@U0123456789>`.
pub fn user(user_id: impl AsRef<str>) -> String {
    format!("<@{}>", escape(user_id.as_ref()))
}

/// Links a channel: `<#C0123456789>`.
pub fn channel(channel_id: impl AsRef<str>) -> String {
    format!("<#{}>", escape(channel_id.as_ref()))
}

/// Mentions a user group: `<!subteam^S0123456789>`.
pub fn usergroup(usergroup_id: impl AsRef<str>) -> String {
    format!("<!subteam^{}>", escape(usergroup_id.as_ref()))
}

/// The special mentions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Special {
    /// `<!here>`: active members of the channel.
    Here,
    /// `<!channel>`: every member of the channel.
    Channel,
    /// `<!everyone>`: every member of the workspace (in `#general`).
    Everyone,
}

/// A special mention: `<!here>`, `<!channel>` or `<!everyone>`.
pub fn special(mention: Special) -> &'static str {
    match mention {
        Special::Here => "<!here>",
        Special::Channel => "<!channel>",
        Special::Everyone => "<!everyone>",
    }
}

/// A link with a label: `<url|label>`. The URL's and the label's `&`, `<`, `>` are escaped, and
/// a `|` in the URL (which would end it) is percent-encoded.
pub fn link(url: &str, label: &str) -> String {
    let url = escape(url).replace('|', "%7C");
    if label.is_empty() {
        return format!("<{url}>");
    }
    format!("<{url}|{}>", escape(label))
}

/// A date shown in each reader's time zone and locale: `<!date^1392734382^{date_short} at
/// {time}|Feb 18, 2014 at 6:39 AM>`.
///
/// `format` uses Slack's tokens (`{date_num}`, `{date}`, `{date_short}`, `{date_long}`,
/// `{date_pretty}`, `{date_short_pretty}`, `{date_long_pretty}`, `{time}`, `{time_secs}`,
/// `{ago}`) and free text; `fallback` is shown where the date cannot be rendered; `link`
/// optionally makes the date a link.
///
/// ```
/// assert_eq!(
///     slack_api::mrkdwn::date(1392734382, "{date_short} at {time}", None, "Feb 18, 2014"),
///     "<!date^1392734382^{date_short} at {time}|Feb 18, 2014>"
/// );
/// ```
pub fn date(unix_seconds: i64, format: &str, link: Option<&str>, fallback: &str) -> String {
    let mut out = format!("<!date^{unix_seconds}^{}", escape(format).replace('|', "/"));
    if let Some(url) = link {
        let _ = write!(out, "^{}", escape(url).replace('|', "%7C"));
    }
    let _ = write!(out, "|{}>", escape(fallback));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_only_control_characters() {
        assert_eq!(escape("a & b < c > d *e*"), "a &amp; b &lt; c &gt; d *e*");
        assert!(matches!(escape("plain text"), Cow::Borrowed(_)));
        assert_eq!(escape("&amp;"), "&amp;amp;");
    }

    #[test]
    fn mentions() {
        assert_eq!(user("U1"), "<@U1>");
        assert_eq!(channel("C1"), "<#C1>");
        assert_eq!(usergroup("S1"), "<!subteam^S1>");
        assert_eq!(special(Special::Here), "<!here>");
        assert_eq!(special(Special::Channel), "<!channel>");
        assert_eq!(special(Special::Everyone), "<!everyone>");
        // An ID cannot smuggle in a second mention.
        assert_eq!(user("U1><!channel"), "<@U1&gt;&lt;!channel>");
    }

    #[test]
    fn links() {
        assert_eq!(link("https://x.test/?a=1&b=2", "A <b> & c"), "<https://x.test/?a=1&amp;b=2|A &lt;b&gt; &amp; c>");
        assert_eq!(link("https://x.test/a|b", ""), "<https://x.test/a%7Cb>");
        // A `|` in the label is shown as is: only the first `|` separates.
        assert_eq!(link("https://x.test", "a|b"), "<https://x.test|a|b>");
    }

    #[test]
    fn dates() {
        assert_eq!(
            date(1392734382, "{date_pretty}", Some("https://x.test/e?id=1"), "Feb 18 <2014>"),
            "<!date^1392734382^{date_pretty}^https://x.test/e?id=1|Feb 18 &lt;2014&gt;>"
        );
    }
}
