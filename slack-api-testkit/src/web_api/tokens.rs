//! Tokens the fake knows: their type (from the prefix), the scopes a test granted, and the
//! identity `auth.test` answers with.

use std::collections::{BTreeSet, HashMap};

use slack_api::TokenType;

/// The kind of a token, from its prefix: `xoxb-` bot, `xwfp-` (the token a workflow step's
/// `function_executed` event carries, which acts as the app's bot) bot, `xoxp-` user, `xapp-`
/// app-level, `xoxe.` (`xoxe.xoxp-…`) app configuration. `None` for any other text.
pub fn token_type(token: &str) -> Option<TokenType> {
    if token.starts_with("xoxb-") || token.starts_with("xwfp-") {
        Some(TokenType::Bot)
    } else if token.starts_with("xoxp-") {
        Some(TokenType::User)
    } else if token.starts_with("xapp-") {
        Some(TokenType::App)
    } else if token.starts_with("xoxe.") {
        Some(TokenType::Configuration)
    } else {
        None
    }
}

/// Who a token belongs to, as `auth.test` tells it. A field left `None` keeps the
/// documentation example's value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Identity {
    /// The workspace's ID (`team_id`).
    pub team_id: Option<String>,
    /// The workspace's name (`team`).
    pub team: Option<String>,
    /// The user the token belongs to (`user_id`; for a bot token, the bot user).
    pub user_id: Option<String>,
    /// The user's name (`user`).
    pub user: Option<String>,
    /// The bot's ID (`bot_id`), for a bot token.
    pub bot_id: Option<String>,
    /// The Enterprise organization's ID (`enterprise_id`).
    pub enterprise_id: Option<String>,
}

impl Identity {
    /// Who a token the test did not describe belongs to: the bot user ([`BOT_USER_ID`],
    /// [`BOT_ID`]) for a bot token, [`USER_ID`] for a user token, in [`TEAM_ID`] — the
    /// workspace, users and bot the payload builders use.
    ///
    /// [`BOT_USER_ID`]: crate::payloads::BOT_USER_ID
    /// [`BOT_ID`]: crate::payloads::BOT_ID
    /// [`USER_ID`]: crate::payloads::USER_ID
    /// [`TEAM_ID`]: crate::payloads::TEAM_ID
    pub fn default_for(token: &str) -> Option<Identity> {
        use crate::payloads::{BOT_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID, USER_ID, USER_NAME};
        match token_type(token)? {
            TokenType::Bot => Some(Identity::new(TEAM_ID, BOT_USER_ID).bot_id(BOT_ID).team(TEAM_DOMAIN).user("bot")),
            TokenType::User => Some(Identity::new(TEAM_ID, USER_ID).team(TEAM_DOMAIN).user(USER_NAME)),
            _ => None,
        }
    }

    /// An identity in workspace `team_id` as user `user_id`.
    pub fn new(team_id: impl Into<String>, user_id: impl Into<String>) -> Self {
        Identity { team_id: Some(team_id.into()), user_id: Some(user_id.into()), ..Identity::default() }
    }

    /// Sets the bot ID (a bot token's `bot_id`).
    #[must_use]
    pub fn bot_id(mut self, bot_id: impl Into<String>) -> Self {
        self.bot_id = Some(bot_id.into());
        self
    }

    /// Sets the workspace's name.
    #[must_use]
    pub fn team(mut self, team: impl Into<String>) -> Self {
        self.team = Some(team.into());
        self
    }

    /// Sets the user's name.
    #[must_use]
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// Sets the Enterprise organization's ID.
    #[must_use]
    pub fn enterprise_id(mut self, id: impl Into<String>) -> Self {
        self.enterprise_id = Some(id.into());
        self
    }
}

/// What the fake knows of one token.
#[derive(Debug, Clone, Default)]
pub(crate) struct TokenState {
    /// `Some` once a test granted scopes: then checked strictly.
    pub(crate) scopes: Option<BTreeSet<String>>,
    pub(crate) identity: Option<Identity>,
    pub(crate) revoked: bool,
}

/// Every token the tests told the fake about.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    pub(crate) by_token: HashMap<String, TokenState>,
    /// Only tokens registered with `grant`/`add_token` are known.
    pub(crate) strict: bool,
}

/// Why a token is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// `invalid_auth`.
    Unknown,
    /// `token_revoked`.
    Revoked,
    /// `not_allowed_token_type`.
    WrongType,
    /// `missing_scope`, with what the method needs and what the token has.
    MissingScope { needed: String, provided: String },
}

impl Tokens {
    /// Checks `token` for a method allowing `allowed` (token types with their scopes; empty:
    /// any token, no scope).
    pub(crate) fn check(&self, token: &str, allowed: &[slack_api::TokenScopes]) -> Result<(), Refusal> {
        let state = self.by_token.get(token);
        if state.is_some_and(|s| s.revoked) {
            return Err(Refusal::Revoked);
        }
        let Some(kind) = token_type(token) else { return Err(Refusal::Unknown) };
        if self.strict && state.is_none() {
            return Err(Refusal::Unknown);
        }
        if allowed.is_empty() {
            return Ok(());
        }
        let Some(entry) = allowed.iter().find(|t| t.token_type == kind) else { return Err(Refusal::WrongType) };
        // Lenient for a token never granted scopes; strict once granted. A method takes any
        // one of its scopes.
        let Some(granted) = state.and_then(|s| s.scopes.as_ref()) else { return Ok(()) };
        if entry.scopes.is_empty() || entry.scopes.iter().any(|s| granted.contains(*s)) {
            return Ok(());
        }
        Err(Refusal::MissingScope {
            needed: entry.scopes.join(","),
            provided: granted.iter().map(String::as_str).collect::<Vec<_>>().join(","),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slack_api::TokenScopes;

    const POST: &[TokenScopes] = &[
        TokenScopes { token_type: TokenType::Bot, scopes: &["chat:write"] },
        TokenScopes { token_type: TokenType::User, scopes: &["chat:write"] },
    ];

    #[test]
    fn lenient_until_granted() {
        let mut t = Tokens::default();
        assert_eq!(t.check("xoxb-1", POST), Ok(()));
        assert_eq!(t.check("nope", POST), Err(Refusal::Unknown));
        assert_eq!(t.check("xapp-1", POST), Err(Refusal::WrongType));
        t.by_token.insert("xoxb-1".into(), TokenState { scopes: Some(["users:read".to_owned()].into()), ..TokenState::default() });
        assert_eq!(
            t.check("xoxb-1", POST),
            Err(Refusal::MissingScope { needed: "chat:write".into(), provided: "users:read".into() })
        );
        t.strict = true;
        assert_eq!(t.check("xoxb-2", POST), Err(Refusal::Unknown));
        assert_eq!(t.check("xoxe.xoxp-1", &[]), Err(Refusal::Unknown));
    }
}
