//! Slash commands: a form-encoded POST (over HTTP) or a `slash_commands` envelope's payload
//! (over Socket Mode).

use std::collections::BTreeMap;
use std::fmt;

use crate::{AppId, ChannelId, EnterpriseId, TeamId, UserId};

/// A slash command invocation. Fields Slack adds later are kept in `extra`, and so is a value
/// of another form than its field's (an `is_enterprise_install` that is neither `true` nor
/// `false`): [`to_form`](Self::to_form) and the JSON serialisation give back what came in.
///
/// Hand-written rather than generated from `spec/`: it arrives as a form of text fields (over
/// HTTP) or a JSON object of them (over Socket Mode), not as the JSON values the spec's
/// payload types describe, and it is written back in either form.
///
/// Reference: <https://docs.slack.dev/interactivity/implementing-slash-commands>.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SlashCommand {
    /// The command, with its slash (`/weather`).
    pub command: String,
    /// What follows the command.
    pub text: String,
    pub team_id: Option<TeamId>,
    pub team_domain: Option<String>,
    pub enterprise_id: Option<EnterpriseId>,
    pub enterprise_name: Option<String>,
    pub channel_id: Option<ChannelId>,
    pub channel_name: Option<String>,
    pub user_id: Option<UserId>,
    pub user_name: Option<String>,
    pub api_app_id: Option<AppId>,
    /// Whether the app is installed org-wide on an Enterprise Grid organisation: `true` or
    /// `false` in the form, a string or a boolean in JSON.
    pub is_enterprise_install: Option<bool>,
    /// Answer through it with [`Responder`](struct.Responder.html) (up to 5 times in 30 minutes).
    pub response_url: Option<String>,
    /// Valid for 3 seconds, to open a modal (`views.open`).
    pub trigger_id: Option<String>,
    /// The deprecated verification token (check request signatures instead). `Debug` shows
    /// `<redacted>`.
    pub token: Option<String>,
    /// Every other field, as sent.
    pub extra: BTreeMap<String, String>,
    /// Whether `is_enterprise_install` came as a JSON boolean rather than as text, to write it
    /// back the same way.
    install_flag_as_bool: bool,
}

impl fmt::Debug for SlashCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = |v: &Option<String>| v.as_ref().map(|_| crate::redact::Redacted);
        let extra: BTreeMap<&str, &dyn fmt::Debug> = self
            .extra
            .iter()
            .map(|(k, v)| (k.as_str(), if crate::redact::is_secret_name(k) { &crate::redact::Redacted as &dyn fmt::Debug } else { v }))
            .collect();
        f.debug_struct("SlashCommand")
            .field("command", &self.command)
            .field("text", &self.text)
            .field("team_id", &self.team_id)
            .field("team_domain", &self.team_domain)
            .field("enterprise_id", &self.enterprise_id)
            .field("enterprise_name", &self.enterprise_name)
            .field("channel_id", &self.channel_id)
            .field("channel_name", &self.channel_name)
            .field("user_id", &self.user_id)
            .field("user_name", &self.user_name)
            .field("api_app_id", &self.api_app_id)
            .field("is_enterprise_install", &self.is_enterprise_install)
            .field("response_url", &self.response_url)
            .field("trigger_id", &self.trigger_id)
            .field("token", &secret(&self.token))
            .field("extra", &extra)
            .finish()
    }
}

/// `true` and `false`, as a form writes them; any other text is not a flag.
fn parse_flag(text: &str) -> Option<bool> {
    match text {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn flag_text(flag: bool) -> &'static str {
    if flag { "true" } else { "false" }
}

/// The JSON form: every field that is set, then `extra`.
impl serde::Serialize for SlashCommand {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("command", &self.command)?;
        map.serialize_entry("text", &self.text)?;
        let ids = [
            ("team_id", self.team_id.as_ref().map(|x| x.as_str())),
            ("team_domain", self.team_domain.as_deref()),
            ("enterprise_id", self.enterprise_id.as_ref().map(|x| x.as_str())),
            ("enterprise_name", self.enterprise_name.as_deref()),
            ("channel_id", self.channel_id.as_ref().map(|x| x.as_str())),
            ("channel_name", self.channel_name.as_deref()),
            ("user_id", self.user_id.as_ref().map(|x| x.as_str())),
            ("user_name", self.user_name.as_deref()),
            ("api_app_id", self.api_app_id.as_ref().map(|x| x.as_str())),
        ];
        for (key, value) in ids {
            if let Some(value) = value {
                map.serialize_entry(key, value)?;
            }
        }
        match self.is_enterprise_install {
            Some(flag) if self.install_flag_as_bool => map.serialize_entry("is_enterprise_install", &flag)?,
            Some(flag) => map.serialize_entry("is_enterprise_install", flag_text(flag))?,
            None => {}
        }
        let rest = [
            ("response_url", self.response_url.as_deref()),
            ("trigger_id", self.trigger_id.as_deref()),
            ("token", self.token.as_deref()),
        ];
        for (key, value) in rest {
            if let Some(value) = value {
                map.serialize_entry(key, value)?;
            }
        }
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// A body that is not a slash command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandError(pub String);

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a slash command: {}", self.0)
    }
}

impl std::error::Error for CommandError {}

impl SlashCommand {
    /// A command as Slack would send it (for tests and simulators).
    pub fn new(command: impl Into<String>, text: impl Into<String>) -> Self {
        Self { command: command.into(), text: text.into(), ..Default::default() }
    }

    /// Decodes the JSON form of a command (a Socket Mode `slash_commands` payload): every value
    /// is taken as text, but for `is_enterprise_install`, a string or a boolean.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, CommandError> {
        let obj = value.as_object().ok_or_else(|| CommandError("the payload is not a JSON object".into()))?;
        let map = obj
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
            .collect();
        let mut out = Self::from_fields(map)?;
        out.install_flag_as_bool = obj.get("is_enterprise_install").is_some_and(serde_json::Value::is_boolean);
        Ok(out)
    }

    /// Decodes a form-encoded body. A field given twice keeps its last value.
    pub fn from_form(body: &[u8]) -> Result<Self, CommandError> {
        let mut map = BTreeMap::new();
        for (k, v) in form_urlencoded::parse(body) {
            map.insert(k.into_owned(), v.into_owned());
        }
        if !map.contains_key("command") {
            return Err(CommandError("the form has no `command` field".into()));
        }
        Self::from_fields(map)
    }

    fn from_fields(mut map: BTreeMap<String, String>) -> Result<Self, CommandError> {
        // A flag that is neither `true` nor `false` stays in `extra`, as sent.
        let is_enterprise_install = map.get("is_enterprise_install").and_then(|v| parse_flag(v));
        if is_enterprise_install.is_some() {
            map.remove("is_enterprise_install");
        }
        let mut take = |k: &str| map.remove(k);
        let out = SlashCommand {
            command: take("command").ok_or_else(|| CommandError("no `command`".into()))?,
            text: take("text").unwrap_or_default(),
            team_id: take("team_id").map(Into::into),
            team_domain: take("team_domain"),
            enterprise_id: take("enterprise_id").map(Into::into),
            enterprise_name: take("enterprise_name"),
            channel_id: take("channel_id").map(Into::into),
            channel_name: take("channel_name"),
            user_id: take("user_id").map(Into::into),
            user_name: take("user_name"),
            api_app_id: take("api_app_id").map(Into::into),
            is_enterprise_install,
            response_url: take("response_url"),
            trigger_id: take("trigger_id"),
            token: take("token"),
            extra: BTreeMap::new(),
            install_flag_as_bool: false,
        };
        Ok(SlashCommand { extra: map, ..out })
    }

    /// The form-encoded body Slack would send.
    pub fn to_form(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        let opt = |v: &Option<String>| v.clone();
        let pairs: [(&str, Option<String>); 15] = [
            ("token", opt(&self.token)),
            ("team_id", self.team_id.as_ref().map(ToString::to_string)),
            ("team_domain", opt(&self.team_domain)),
            ("enterprise_id", self.enterprise_id.as_ref().map(ToString::to_string)),
            ("enterprise_name", opt(&self.enterprise_name)),
            ("channel_id", self.channel_id.as_ref().map(ToString::to_string)),
            ("channel_name", opt(&self.channel_name)),
            ("user_id", self.user_id.as_ref().map(ToString::to_string)),
            ("user_name", opt(&self.user_name)),
            ("command", Some(self.command.clone())),
            ("text", Some(self.text.clone())),
            ("api_app_id", self.api_app_id.as_ref().map(ToString::to_string)),
            ("is_enterprise_install", self.is_enterprise_install.map(|f| flag_text(f).to_owned())),
            ("response_url", opt(&self.response_url)),
            ("trigger_id", opt(&self.trigger_id)),
        ];
        for (k, v) in pairs.iter() {
            if let Some(v) = v {
                s.append_pair(k, v);
            }
        }
        for (k, v) in &self.extra {
            s.append_pair(k, v);
        }
        s.finish()
    }
}

impl<'de> serde::Deserialize<'de> for SlashCommand {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
        Self::from_json(&v).map_err(serde::de::Error::custom)
    }
}
