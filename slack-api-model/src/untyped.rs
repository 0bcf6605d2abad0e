//! The marker of data kept as sent, for serialisers that tell typed data from untyped.

use serde::{Serialize, Serializer};

/// The newtype name under which data kept as sent is serialised: `extra` maps, `json` fields,
/// the bodies of union variants, [`crate::UntypedResponse`] fields. JSON serializers write a
/// newtype as its content, so the output is unchanged; a serializer that looks for this name
/// (the typing coverage count of the tests) tells typed data from untyped.
pub const UNTYPED: &str = "$slack_api::untyped";

/// A value serialised as [`UNTYPED`].
#[derive(Debug)]
pub struct Untyped<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for Untyped<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(UNTYPED, self.0)
    }
}
