//! Block Kit runtime: lossless decoding, validation and the argument wrappers. The types
//! themselves are generated from `spec/blocks/` into `slack_api::block_kit`, which re-exports
//! everything public here.

mod arg;
mod decode;
mod json;
mod validate;

pub use arg::{IntoJson, Json, JsonArg};
pub use decode::FromJson;
pub use json::{JsonWriter, WriteJson, to_json_string};
#[doc(hidden)]
pub use decode::{field, lenient, strict};
pub use validate::{
    Format, MARKDOWN_TOTAL_MAX_LENGTH, MESSAGE_MAX_BLOCKS, Path, Surface, TextObject, VIEW_MAX_BLOCKS, Validate,
    Validator, Violation, ViolationKind, Violations,
};
