//! The spec stage: `spec/` as it is written — serde types that mirror the YAML one to one, one
//! file per kind, and their loading, with every error naming the file, line and column.
//!
//! Every struct rejects unknown keys. Values whose shape can be checked on their own are checked
//! while they are read, so that serde_yaml attaches the position of the offending scalar; checks
//! that need context (duplicates, name collisions, references between files) are the IR's.

pub mod blocks;
pub mod common;
pub mod events;
pub mod examples;
pub mod interactions;
pub mod load;
pub mod methods;
pub mod objects;

pub use common::{Field, FieldName, FieldType, FormatName, IdKind, ObjectLimits};
pub use methods::{
    ArgGroup, ArgName, ArgType, Argument, ArrayEncoding, CommonErrorsSpec, Deprecation, ErrorCode, ErrorTable, HttpMethod,
    MethodName, MethodSpec, RateLimit, Scalar, Scopes,
};
pub use objects::{ObjectSpec, Union};
