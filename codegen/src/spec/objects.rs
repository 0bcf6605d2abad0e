//! `spec/objects/`: the objects Slack returns in many places, described once.

use serde::{Deserialize, Serialize};

use super::common::Field;

/// `spec/objects/<name>.yaml`: an object Slack returns in many places, described once.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ObjectSpec {
    /// Lower-case with `_`; fields refer to the object by it. Must equal the file name.
    pub name: String,
    pub description: String,
    /// Where Slack documents it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
    /// The object's fields (for a plain object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<Field>>,
    /// For an object whose kind is told by a tag field (`type` of a block): the tag and the known
    /// kinds. Unknown kinds are kept whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union: Option<Union>,
    /// `true`: `validate()` also runs the hand-written rules between fields that limits cannot
    /// say, `object_checks::<name>` of the model crate (for an object with fields).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cross_checks: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Union {
    pub tag: String,
    pub variants: Vec<String>,
}
