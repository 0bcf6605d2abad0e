//! The files that tie the generated code into its crates: the model crate's `mod.rs`, the
//! methods crates' `mod.rs` and the manifests' feature tables.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Family};
use super::common::{doc_attrs, ident};
use super::docs;

/// A methods crate's `generated/mod.rs`: its family modules, each behind its feature when
/// `gated` (a family with a crate of its own is gated by the crate being a dependency).
pub fn methods_mod_file(families: &[&Family], gated: bool) -> TokenStream {
    let mods = families.iter().map(|f| {
        let m = ident(&f.module);
        let feature = &f.feature;
        let docs = doc_attrs(&docs::family_doc(f));
        let cfg = if gated { quote! { #[cfg(feature = #feature)] } } else { quote! {} };
        quote! {
            #docs
            #cfg
            pub mod #m;
        }
    });
    quote! { #(#mods)* }
}

/// The model crate's `generated/mod.rs`: common errors, secret names, Block Kit, objects,
/// events and interactions.
pub fn mod_file(api: &Api) -> TokenStream {
    let kit = if api.kit.types.is_empty() {
        quote! {}
    } else {
        quote! {
            /// Block Kit types, described in `spec/blocks/`; re-exported by `crate::block_kit`.
            pub(crate) mod block_kit;
        }
    };
    let objects = if api.objects.is_empty() {
        quote! {}
    } else {
        quote! {
            /// Objects Slack returns in many places (users, conversations, messages, files, …),
            /// described once in `spec/objects/`.
            pub mod objects;
        }
    };
    let events = super::events::mod_item(api);
    let interactions = super::interactions::mod_item(api);
    let secrets = api.secret_names();
    quote! {
        mod common_errors;
        pub use common_errors::CommonError;
        /// Every argument and response-field name the spec marks `secret`, sorted: values under
        /// these keys are redacted in `Debug` output, error snippets and logs.
        pub(crate) const SECRET_NAMES: &[&str] = &[#(#secrets),*];
        #kit
        #objects
        #events
        #interactions
    }
}

/// The `[features]` table of a manifest: one feature per method family and `full` for all of
/// them. With `forwards_to`, each family feature turns on the same one in that crate, and
/// `full` is the default (the crate users depend on); without, they are the crate's own.
pub fn features_toml(api: &Api, forwards_to: Option<&str>) -> String {
    let mut out = String::from("[features]\n");
    if forwards_to.is_some() {
        out.push_str("# Every method family. See the README for why this is the default.\n");
        out.push_str("default = [\"full\"]\n");
    } else {
        out.push_str("# Every method family (`slack-api` turns on the ones its user picks).\n");
    }
    // The methods crate declares only the families it holds.
    let families: Vec<_> = api.families.iter().filter(|f| forwards_to.is_some() || crate::layout::own_crate(&f.module).is_none()).collect();
    let all: Vec<String> = families.iter().map(|f| format!("\"{}\"", f.feature)).collect();
    out.push_str(&format!("full = [{}]\n", all.join(", ")));
    for f in families {
        out.push_str(&format!("# `{}.*`: {} method(s)\n", f.wire_name, f.methods.len()));
        match (forwards_to, crate::layout::own_crate(&f.module)) {
            (Some(_), Some(krate)) => out.push_str(&format!("{} = [\"dep:{krate}\"]\n", f.feature)),
            (Some(methods), None) => out.push_str(&format!("{} = [\"{methods}/{}\"]\n", f.feature, f.feature)),
            (None, _) => out.push_str(&format!("{} = []\n", f.feature)),
        }
    }
    out
}
