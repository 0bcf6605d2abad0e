//! Keeping credentials out of `Debug` output, error messages and logs.
//!
//! The spec marks every argument and response field that carries a credential (`client_secret`,
//! `code`, `refresh_token`, `access_token`, a webhook or WebSocket URL…) as `secret`. Generated
//! types print `<redacted>` for those fields; maps of raw JSON (`extra`, an error's `fields`)
//! print `<redacted>` for values under any secret name; and the snippets of unexpected bodies
//! kept in errors go through [`scrub`], which also hides anything shaped like a Slack token or
//! a webhook URL. These functions are public so an application can log Slack payloads the same
//! way.

use std::fmt;

use serde_json::{Map, Value};

/// Prints `<redacted>`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Whether values under this JSON key are credentials, according to the spec.
pub fn is_secret_name(key: &str) -> bool {
    crate::generated::SECRET_NAMES.binary_search(&key).is_ok()
}

/// `Debug` of a JSON map with the values under secret names (at any depth) redacted.
#[derive(Clone, Copy)]
pub struct RedactedMap<'a>(pub &'a Map<String, Value>);

impl fmt::Debug for RedactedMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in self.0 {
            if is_secret_name(k) {
                m.entry(k, &Redacted);
            } else {
                m.entry(k, &RedactedValue(v));
            }
        }
        m.finish()
    }
}

/// `Debug` of a JSON value with the values under secret names (at any depth) redacted.
#[derive(Clone, Copy)]
pub struct RedactedValue<'a>(pub &'a Value);

impl fmt::Debug for RedactedValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Object(map) => RedactedMap(map).fmt(f),
            Value::Array(items) => f.debug_list().entries(items.iter().map(RedactedValue)).finish(),
            Value::String(s) if looks_like_credential(s) => Redacted.fmt(f),
            other => other.fmt(f),
        }
    }
}

/// Prefixes of Slack tokens and of URLs that are credentials by themselves.
const CREDENTIAL_PREFIXES: &[&str] = &[
    "xoxb-", "xoxp-", "xoxa-", "xoxe-", "xoxe.", "xoxs-", "xoxr-", "xoxc-", "xoxd-", "xapp-",
    "https://hooks.slack.com/", "wss://wss-",
];

fn looks_like_credential(s: &str) -> bool {
    CREDENTIAL_PREFIXES.iter().any(|p| s.starts_with(p))
}

/// A piece of text (the start of a response body, an error message) with credentials removed:
/// the string value after any JSON key the spec marks secret, anything that starts like a Slack
/// token (`xoxb-…`, `xapp-…`, …) or a webhook URL, and the user name and password of URLs.
/// Each becomes `<redacted>`.
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // The value of a secret key: `"name" : "…"` (the value may be cut off by the snippet).
        if rest.starts_with('"') {
            if let Some((consumed, redacted)) = secret_entry(rest) {
                out.push_str(redacted);
                out.push_str("\"<redacted>\"");
                rest = &rest[consumed..];
                continue;
            }
        }
        if let Some(p) = CREDENTIAL_PREFIXES.iter().find(|p| rest.starts_with(**p)) {
            let end = rest.find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ',' | '}' | ']' | '&'));
            out.push_str(p);
            out.push_str("<redacted>");
            rest = &rest[end.unwrap_or(rest.len())..];
            continue;
        }
        if rest.starts_with("://") {
            // `scheme://user:password@host` → `scheme://<redacted>@host`.
            let authority_end = rest[3..].find(['/', '?', '#', '"', ' ']).map_or(rest.len(), |i| i + 3);
            if let Some(at) = rest[3..authority_end].rfind('@') {
                out.push_str("://<redacted>@");
                rest = &rest[3 + at + 1..];
                continue;
            }
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// At a `"`: if it opens a secret key followed by `:` and a string, the bytes that cover the
/// entry up to the end of the value, and the text to keep (the key and the colon).
fn secret_entry(s: &str) -> Option<(usize, &str)> {
    let key_end = s[1..].find('"')? + 1;
    let key = &s[1..key_end];
    if !is_secret_name(key) {
        return None;
    }
    let after_key = &s[key_end + 1..];
    let colon = after_key.len() - after_key.trim_start().len();
    let after_colon = after_key.trim_start().strip_prefix(':')?;
    let ws = after_colon.len() - after_colon.trim_start().len();
    let value = after_colon.trim_start().strip_prefix('"')?;
    // The value ends at the first unescaped quote, or with the text.
    let mut end = value.len();
    let mut escaped = false;
    for (i, c) in value.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => {
                end = i + 1;
                break;
            }
            _ => escaped = false,
        }
    }
    let kept = key_end + 1 + colon + 1 + ws;
    Some((kept + 1 + end, &s[..kept]))
}

/// A URL for messages: without user name and password, and without its query (which, on a
/// `GET` call, holds the arguments).
pub fn redact_url(url: &str) -> String {
    let without_query = match url.find(['?', '#']) {
        Some(i) => format!("{}?<redacted>", &url[..i]),
        None => url.to_owned(),
    };
    scrub(&without_query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_secret_values_tokens_and_url_credentials() {
        let text = r#"{"ok":true,"access_token":"xoxb-1-abc","authed_user":{"refresh_token" : "xoxe-1-x\"y","id":"U1"},"team":"T1","link":"https://user:pw@example.com/a?b=c","hook":"https://hooks.slack.com/services/T/B/X","refresh_token":"cut off"#;
        let s = scrub(text);
        for secret in ["xoxb-1-abc", "xoxe-1-x", "pw@", "services/T/B", "cut off"] {
            assert!(!s.contains(secret), "{secret} in {s}");
        }
        assert!(s.contains(r#""access_token":"<redacted>""#), "{s}");
        assert!(s.contains(r#""refresh_token" : "<redacted>","id":"U1""#), "{s}");
        assert!(s.contains(r#""team":"T1""#), "{s}");
        assert!(s.contains("https://<redacted>@example.com/a?b=c"), "{s}");
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        let text = "<html>502 Bad Gateway — ünïcode \"quoted\" 日本</html>";
        assert_eq!(scrub(text), text);
    }

    #[test]
    fn redacts_url_queries() {
        assert_eq!(redact_url("https://slack.com/api/users.lookupByEmail?email=a@b.c"), "https://slack.com/api/users.lookupByEmail?<redacted>");
        assert_eq!(redact_url("http://u:p@127.0.0.1:9/api/"), "http://<redacted>@127.0.0.1:9/api/");
    }

    #[test]
    fn debug_of_maps_hides_secret_values_at_any_depth() {
        let v: Value = serde_json::json!({"a": 1, "access_token": "t0p", "nested": [{"client_secret": "s3c"}], "x": "xoxp-123"});
        let Value::Object(m) = v else { unreachable!() };
        let d = format!("{:?}", RedactedMap(&m));
        assert!(!d.contains("t0p") && !d.contains("s3c") && !d.contains("xoxp-123"), "{d}");
        assert!(d.contains("\"a\": Number(1)"), "{d}");
    }
}
