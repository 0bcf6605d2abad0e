//! How generated code names the model crate's runtime, decided once per output crate.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// Where generated code finds the model crate's runtime (`lenient`, `wire`, `block_kit`,
/// `objects`, the IDs, `Timestamp`, …), by absolute path: `crate` in the model crate itself,
/// `::slack_api_model` in a crate that depends on it. Interpolated in front of a path
/// (`#rt::lenient::read`); the writer decides it per output crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// The code is compiled in the crate that holds the runtime at its root: the model crate
    /// (every file of objects, Block Kit, events, interactions and the common errors).
    Crate,
    /// The code is compiled in a crate that depends on `slack-api-model`: the methods crates.
    Model,
}

impl Runtime {
    /// An item of the runtime as an intra-doc link target (`crate::ChannelId`,
    /// `slack_api_model::ChannelId`): it resolves in the crate the code is compiled in, and
    /// wherever that crate's items are re-exported.
    pub(crate) fn doc_path(self, item: &str) -> String {
        match self {
            Runtime::Crate => format!("crate::{item}"),
            Runtime::Model => format!("slack_api_model::{item}"),
        }
    }
}

impl ToTokens for Runtime {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(match self {
            Runtime::Crate => quote! { crate },
            Runtime::Model => quote! { ::slack_api_model },
        });
    }
}
