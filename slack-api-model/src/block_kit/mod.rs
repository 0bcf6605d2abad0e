//! Block Kit: blocks, elements, composition objects, rich text, views, legacy attachments
//! and message metadata, described in `spec/blocks/`. One set of types for both directions:
//! decoded losslessly from Slack's answers, built with constructors and setters, checked by
//! [`Validate`] and by `Client::call` before sending.
//!
//! The types and their [`limits`] are generated; this module owns the path and adds what they
//! share: lossless decoding, validation and the argument wrappers.

mod arg;
mod decode;
mod json;
mod validate;

pub use crate::generated::block_kit::*;

pub use arg::{IntoJson, Json, JsonArg};
pub use decode::FromJson;
pub use json::{JsonWriter, WriteJson, to_json_string, to_json_value};
#[doc(hidden)]
pub use decode::{field, lenient, strict};
pub use validate::{
    Format, MARKDOWN_TOTAL_MAX_LENGTH, MESSAGE_MAX_BLOCKS, Path, Surface, TextObject, VIEW_MAX_BLOCKS, Validate,
    Validator, Violation, ViolationKind, Violations,
};
