//! Typed Slack IDs. Each is a string on the wire and in JSON, kept exactly as given; the type
//! only says what kind of object it names, so that a user ID is not passed where a channel ID is
//! expected. Every one converts from `&str` and `String`, so arguments still take plain strings.

use std::borrow::Cow;
use std::fmt;

/// Serialize and Deserialize for a newtype around a `String`: the bare string, as written.
macro_rules! string_serde {
    ($name:ident) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(d).map(Self)
            }
        }
    };
}
pub(crate) use string_serde;

macro_rules! id_types {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        string_serde!($name);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl From<&String> for $name {
            fn from(s: &String) -> Self {
                Self(s.clone())
            }
        }

        impl crate::wire::ToWire for $name {
            fn to_wire(&self) -> Cow<'_, str> {
                Cow::Borrowed(&self.0)
            }
            fn to_json(&self) -> serde_json::Value {
                serde_json::Value::String(self.0.clone())
            }
        }
    )*};
}

id_types! {
    /// A user ID (`U…` or `W…`).
    UserId;
    /// A conversation ID: a channel (`C…`), private channel (`G…`) or DM (`D…`). Methods that
    /// also accept a channel name take it here too.
    ChannelId;
    /// A workspace (team) ID (`T…`).
    TeamId;
    /// An Enterprise organization ID (`E…`).
    EnterpriseId;
    /// An app ID (`A…`).
    AppId;
    /// A file ID (`F…`), also used by canvases and lists.
    FileId;
    /// A user group ID (`S…`).
    UsergroupId;
    /// A function ID (`Fn…`).
    FunctionId;
    /// A bot ID (`B…`).
    BotId;
}
