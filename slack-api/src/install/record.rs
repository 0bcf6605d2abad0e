//! What one installation of the app is: its tokens, ids and scopes.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::token::Token;
use crate::oauth::OauthV2AccessResponse;
use crate::{AppId, BotId, ChannelId, EnterpriseId, TeamId, UserId};

/// One installation of the app: in a workspace (`team_id`), or org-wide in an Enterprise Grid
/// organisation (`enterprise_id`, `is_enterprise_install`), by one user.
///
/// `Debug` redacts every token (and the incoming webhook's URL, which is a credential too).
/// Serialising an installation writes its tokens in clear: that is what stores do; log it with
/// `Debug`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Installation {
    /// The app installed.
    pub app_id: Option<AppId>,
    /// The Enterprise Grid organisation, if the workspace belongs to one (or the app is
    /// installed org-wide).
    pub enterprise_id: Option<EnterpriseId>,
    pub enterprise_name: Option<String>,
    /// The workspace; `None` for an org-wide installation.
    pub team_id: Option<TeamId>,
    pub team_name: Option<String>,
    /// Installed org-wide: one installation serves every workspace of the organisation.
    pub is_enterprise_install: bool,
    /// `bot` for a bot token (the only kind `oauth.v2.access` issues besides user tokens).
    pub token_type: Option<String>,
    /// The bot token (`xoxb-…`), if bot scopes were granted.
    #[serde(with = "secret")]
    pub bot_token: Option<Token>,
    /// The bot (`B…`), from `auth.test` with the bot token.
    pub bot_id: Option<BotId>,
    /// The bot's user (`U…`).
    pub bot_user_id: Option<UserId>,
    /// The scopes granted to the bot token.
    pub bot_scopes: Vec<String>,
    /// With token rotation: the bot token's refresh token.
    #[serde(with = "secret")]
    pub bot_refresh_token: Option<Token>,
    /// With token rotation: when the bot token expires, in seconds since the Unix epoch.
    pub bot_token_expires_at: Option<u64>,
    /// The user who installed (and whose token `user_token` is, if user scopes were granted).
    pub user_id: Option<UserId>,
    /// The installing user's token (`xoxp-…`), if user scopes were requested.
    #[serde(with = "secret")]
    pub user_token: Option<Token>,
    pub user_scopes: Vec<String>,
    #[serde(with = "secret")]
    pub user_refresh_token: Option<Token>,
    pub user_token_expires_at: Option<u64>,
    /// The incoming webhook created by the installation, if one was requested.
    pub incoming_webhook: Option<IncomingWebhook>,
    /// When the installation was made, in seconds since the Unix epoch.
    pub installed_at: u64,
}

/// An incoming webhook an installation created.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncomingWebhook {
    /// Whoever holds it can post: a credential, redacted in `Debug`.
    #[serde(with = "secret")]
    pub url: Option<Token>,
    pub channel: Option<String>,
    pub channel_id: Option<ChannelId>,
    pub configuration_url: Option<String>,
}

/// Which installation: a workspace, or an organisation for an org-wide one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct InstallationKey {
    pub enterprise_id: Option<EnterpriseId>,
    /// `None` for an org-wide installation.
    pub team_id: Option<TeamId>,
    pub is_enterprise_install: bool,
}

impl InstallationKey {
    /// A workspace's key (`enterprise_id` where the workspace is in an organisation).
    pub fn team(enterprise_id: Option<EnterpriseId>, team_id: TeamId) -> Self {
        InstallationKey { enterprise_id, team_id: Some(team_id), is_enterprise_install: false }
    }

    /// An org-wide installation's key.
    pub fn enterprise(enterprise_id: EnterpriseId) -> Self {
        InstallationKey { enterprise_id: Some(enterprise_id), team_id: None, is_enterprise_install: true }
    }

    /// The two strings a store keys rows by: `(enterprise, "")` for an org-wide installation,
    /// `("", team)` for a workspace's. A workspace ID is unique across organisations, so a
    /// workspace's installation is found whether or not the payload names its organisation
    /// (some payloads of a workspace in an organisation do not).
    pub fn columns(&self) -> (&str, &str) {
        if self.is_enterprise_install {
            (self.enterprise_id.as_ref().map_or("", |e| e.as_str()), "")
        } else {
            ("", self.team_id.as_ref().map_or("", |t| t.as_str()))
        }
    }

    /// The workspace for rate limits and logs: the team, or the organisation for an org-wide
    /// installation.
    pub fn workspace(&self) -> &str {
        match self.columns() {
            (e, "") => e,
            (_, t) => t,
        }
    }
}

impl std::fmt::Display for InstallationKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (e, t) = self.columns();
        match &self.enterprise_id {
            _ if self.is_enterprise_install => write!(f, "organisation {e} (org-wide)"),
            Some(org) => write!(f, "workspace {t} of organisation {org}"),
            None => write!(f, "workspace {t}"),
        }
    }
}

impl Installation {
    /// The key it is stored under.
    pub fn key(&self) -> InstallationKey {
        InstallationKey {
            enterprise_id: self.enterprise_id.clone(),
            team_id: if self.is_enterprise_install { None } else { self.team_id.clone() },
            is_enterprise_install: self.is_enterprise_install,
        }
    }

    /// The installation an `oauth.v2.access` code exchange describes (`bot_id` comes from
    /// `auth.test`, which the exchange does not answer).
    pub fn from_oauth(answer: &OauthV2AccessResponse) -> Self {
        let now = SystemTime::now();
        let user = answer.authed_user.as_ref();
        let expiry = |secs: Option<i64>| {
            secs.and_then(|s| u64::try_from(s).ok()).and_then(|s| now.checked_add(Duration::from_secs(s))).map(unix)
        };
        let token = |t: Option<&String>| t.filter(|t| !t.is_empty()).map(|t| Token::new(t.as_str()));
        Installation {
            app_id: answer.app_id.clone(),
            enterprise_id: answer.enterprise.as_ref().and_then(|e| e.id.clone()),
            enterprise_name: answer.enterprise.as_ref().and_then(|e| e.name.clone()),
            team_id: answer.team.as_ref().and_then(|t| t.id.clone()),
            team_name: answer.team.as_ref().and_then(|t| t.name.clone()),
            is_enterprise_install: answer.is_enterprise_install.unwrap_or(false),
            token_type: answer.token_type.as_ref().map(|t| t.as_str().to_owned()),
            bot_token: token(answer.access_token.as_ref()),
            bot_id: None,
            bot_user_id: answer.bot_user_id.clone(),
            bot_scopes: split_scopes(answer.scope.as_deref()),
            bot_refresh_token: token(answer.refresh_token.as_ref()),
            bot_token_expires_at: expiry(answer.expires_in),
            user_id: user.and_then(|u| u.id.clone()),
            user_token: token(user.and_then(|u| u.access_token.as_ref())),
            user_scopes: split_scopes(user.and_then(|u| u.scope.as_deref())),
            user_refresh_token: token(user.and_then(|u| u.refresh_token.as_ref())),
            user_token_expires_at: expiry(user.and_then(|u| u.expires_in)),
            incoming_webhook: answer.incoming_webhook.as_ref().map(|w| IncomingWebhook {
                url: token(w.url.as_ref()),
                channel: w.channel.clone(),
                channel_id: w.channel_id.clone(),
                configuration_url: w.configuration_url.clone(),
            }),
            installed_at: unix(now),
        }
    }

    /// Whether the bot token expires within `margin` from now (never, without rotation).
    pub fn bot_token_expires_within(&self, margin: Duration) -> bool {
        self.bot_token_expires_at.is_some_and(|at| unix(SystemTime::now()).saturating_add(margin.as_secs()) >= at)
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// `"a,b, c"` → `["a", "b", "c"]`.
pub(crate) fn split_scopes(s: Option<&str>) -> Vec<String> {
    s.unwrap_or_default().split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Tokens as plain strings in storage (they are encrypted around the whole record when the
/// store has a key).
mod secret {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::token::Token;

    pub fn serialize<S: Serializer>(t: &Option<Token>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_some(t.secret()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Token>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()).map(Token::new))
    }
}
