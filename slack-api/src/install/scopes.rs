//! Scopes from the spec: which scopes the methods an app calls need, and which of them an
//! installation lacks.

use std::collections::BTreeSet;

use crate::{MethodInfo, TokenType};

/// The scopes a token of type `token` needs to call every one of `methods`, sorted and
/// without repeats. A method that takes any one of several scopes (`conversations.history`:
/// `channels:history` for public channels, `im:history` for direct messages…) contributes all
/// of them: the app may be asked about any kind of conversation. Narrow the list by hand
/// where it is not. A method a token of that type cannot call contributes nothing (see
/// [`uncallable`]).
pub fn required_scopes(methods: &[&MethodInfo], token: TokenType) -> Vec<&'static str> {
    let mut out = BTreeSet::new();
    for m in methods {
        for t in m.token_types.iter().filter(|t| t.token_type == token) {
            out.extend(t.scopes.iter().copied());
        }
    }
    out.into_iter().collect()
}

/// The methods among `methods` that a token of type `token` cannot call at all (a method that
/// names no token types, as `views.open`, which takes any token with no scope, is callable).
pub fn uncallable<'a>(methods: &[&'a MethodInfo], token: TokenType) -> Vec<&'a str> {
    methods
        .iter()
        .filter(|m| !m.token_types.is_empty() && !m.token_types.iter().any(|t| t.token_type == token))
        .map(|m| m.name)
        .collect()
}

/// A method an installation's token lacks scopes for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingScopes {
    /// The method (`chat.postMessage`).
    pub method: &'static str,
    /// The scopes it lists for the token's type that were not granted.
    pub missing: Vec<&'static str>,
    /// Whether the method can be called at all: it takes any one of its scopes, and one of
    /// them was granted (`conversations.history` with `channels:history` but not `im:history`
    /// reads public channels, not direct messages).
    pub callable: bool,
}

impl std::fmt::Display for MissingScopes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = if self.callable { "partly usable; lacks" } else { "cannot be called; needs one of" };
        write!(f, "{} {how} {}", self.method, self.missing.join(", "))
    }
}

/// Compares `granted` scopes with what `methods` need for a token of type `token`: one entry
/// per method that lacks any of its scopes, in the order given.
pub fn missing_scopes<S: AsRef<str>>(methods: &[&MethodInfo], token: TokenType, granted: &[S]) -> Vec<MissingScopes> {
    let has = |s: &str| granted.iter().any(|g| g.as_ref() == s);
    methods
        .iter()
        .filter_map(|m| {
            let scopes: Vec<&'static str> =
                m.token_types.iter().filter(|t| t.token_type == token).flat_map(|t| t.scopes.iter().copied()).collect();
            let missing: Vec<&'static str> = scopes.iter().copied().filter(|s| !has(s)).collect();
            (!missing.is_empty()).then_some(MissingScopes { method: m.name, callable: missing.len() < scopes.len(), missing })
        })
        .collect()
}

#[cfg(all(test, feature = "chat", feature = "conversations", feature = "views"))]
mod tests {
    use super::*;
    use crate::Method;
    use crate::chat::ChatPostMessageRequest;
    use crate::conversations::ConversationsHistoryRequest;
    use crate::views::ViewsOpenRequest;

    #[test]
    fn scopes_come_from_the_spec() {
        let methods = [ChatPostMessageRequest::INFO, ConversationsHistoryRequest::INFO, ViewsOpenRequest::INFO];
        let scopes = required_scopes(&methods, TokenType::Bot);
        assert_eq!(scopes, ["channels:history", "chat:write", "groups:history", "im:history", "mpim:history"]);
        let report = missing_scopes(&methods, TokenType::Bot, &["chat:write", "channels:history"]);
        assert_eq!(report.len(), 1, "{report:?}");
        assert_eq!(report[0].method, "conversations.history");
        assert!(report[0].callable);
        assert_eq!(report[0].missing, ["groups:history", "im:history", "mpim:history"]);
        let none = missing_scopes(&methods, TokenType::Bot, &[] as &[&str]);
        assert_eq!(none[0].to_string(), "chat.postMessage cannot be called; needs one of chat:write");
    }
}
