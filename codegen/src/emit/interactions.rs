//! Interactions IR → tokens: a lenient, lossless struct per struct type (the structs of
//! [`crate::emit`]) and, per union, an enum told apart by its tag that decodes in one pass,
//! keeps a kind it does not know whole, and reads the fields its kinds share (`accessors`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;
use crate::ir::interactions::{AccessorIr, InteractionKind, InteractionTypeIr, UnionIr};
use crate::spec::FieldType;
use super::common::{Paths, doc_attrs, field_type, field_types, ident, typed_struct};
use super::runtime::Runtime;
use super::docs::{md, paragraphs};

/// The line of `generated/mod.rs` declaring the interactions module.
pub fn mod_item(api: &Api) -> TokenStream {
    if api.interactions.is_empty() {
        return quote! {};
    }
    quote! {
        /// Interactivity payloads, described in `spec/interactions/`; re-exported by
        /// `crate::events`.
        pub(crate) mod interaction_types;
    }
}

/// Where the file's named types live: its own through `crate::events` (which re-exports
/// them), shared objects in `crate::objects`, Block Kit types in `crate::block_kit`. The file
/// is the model crate's.
fn type_paths(api: &Api) -> Paths {
    let mut paths = Paths::new(Runtime::Crate);
    for t in &api.kit.types {
        let n = ident(&crate::names::type_name(&t.name));
        paths.named.insert(t.name.clone(), quote! { crate::block_kit::#n });
    }
    for o in &api.objects {
        let n = ident(&o.type_name);
        paths.named.insert(o.wire_name.clone(), quote! { crate::objects::#n });
    }
    for t in &api.interactions.types {
        let n = ident(&t.type_name);
        paths.named.insert(t.name.clone(), quote! { crate::events::#n });
    }
    paths
}

fn type_doc(t: &InteractionTypeIr) -> Vec<String> {
    let mut d = paragraphs(&t.description);
    d.push(String::new());
    if let Some(url) = &t.docs_url {
        d.push(format!("Slack's reference: <{url}>."));
        d.push(String::new());
    }
    d.push(format!("Generated from `{}`.", t.spec_file));
    d
}

/// `generated/interaction_types.rs`.
pub fn interactions_file(api: &Api) -> TokenStream {
    let paths = type_paths(api);
    let items = api.interactions.types.iter().map(|t| {
        let name = ident(&t.type_name);
        let docs = doc_attrs(&type_doc(t));
        match &t.kind {
            InteractionKind::Struct(fields) => {
                let enums = fields.iter().map(|f| field_types(f, &paths));
                let s = typed_struct(&name, &docs, fields, &[], &paths);
                quote! { #(#enums)* #s }
            }
            InteractionKind::Union(u) => union(t, u, &docs, &paths),
        }
    });
    quote! { #(#items)* }
}

fn union(t: &InteractionTypeIr, u: &UnionIr, docs: &TokenStream, paths: &Paths) -> TokenStream {
    let name = ident(&t.type_name);
    let tag = &u.tag;
    let decl = u.variants.iter().map(|v| {
        let (var, ty) = (ident(&v.variant), ident(&v.type_name));
        let d = format!(" `{tag}: {}`.", v.value);
        quote! { #[doc = #d] #var(::std::boxed::Box<#ty>), }
    });
    let kinds = u.variants.iter().map(|v| {
        let (var, value) = (ident(&v.variant), &v.value);
        quote! { Self::#var(_) => #value, }
    });
    let extras = u.variants.iter().map(|v| {
        let var = ident(&v.variant);
        quote! { Self::#var(v) => Some(&v.extra), }
    });
    let tags_const = u.tags_const.as_ref().map(|c| {
        let c = ident(c);
        let values = u.variants.iter().map(|v| &v.value);
        let n = proc_macro2::Literal::usize_unsuffixed(u.variants.len());
        let d = format!(" The `{tag}` values [`{}`] types, in wire form.", t.type_name);
        quote! {
            #[doc = #d]
            pub const #c: [&str; #n] = [#(#values),*];
        }
    });
    let accessors = u.accessors.iter().map(|a| accessor(u, a, paths));
    let codec = union_codec(&name, u);
    let unknown_doc = format!(" A `{tag}` this version does not know (or a value that is not an object), kept whole.");
    let kind_doc = format!(" The `{tag}`, as sent (empty when an unknown kind has none).");
    quote! {
        #tags_const

        #docs
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#decl)*
            #[doc = #unknown_doc]
            Unknown(::serde_json::Value),
        }

        impl #name {
            #[doc = #kind_doc]
            pub fn kind(&self) -> &str {
                match self {
                    #(#kinds)*
                    Self::Unknown(v) => v.get(#tag).and_then(::serde_json::Value::as_str).unwrap_or(""),
                }
            }

            /// The fields this version does not type (`None` for an unknown kind).
            pub fn extra(&self) -> Option<&::serde_json::Map<String, ::serde_json::Value>> {
                match self {
                    #(#extras)*
                    Self::Unknown(_) => None,
                }
            }

            #(#accessors)*
        }

        #codec
    }
}

/// A union's decoding by its tag (an unknown kind kept whole) and its encoding.
fn union_codec(name: &proc_macro2::Ident, u: &UnionIr) -> TokenStream {
    let tag = &u.tag;
    let from = u.variants.iter().map(|v| {
        let (var, value) = (ident(&v.variant), &v.value);
        quote! { Some(#value) => Self::#var(::std::boxed::Box::new(crate::events::tagged::fill(buf, map)?)), }
    });
    let sers = u.variants.iter().map(|v| {
        let var = ident(&v.variant);
        quote! { Self::#var(v) => ::serde::Serialize::serialize(v, s), }
    });
    quote! {
        impl crate::events::tagged::TaggedUnion for #name {
            fn not_an_object(value: ::serde_json::Value) -> Result<Self, ::serde_json::Value> {
                Ok(Self::Unknown(value))
            }
            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(
                mut buf: crate::events::tagged::Buffered,
                map: &mut A,
            ) -> Result<Self, A::Error> {
                let tag = crate::events::tagged::find_tag(map, #tag, &mut buf)?;
                Ok(match tag.as_deref() {
                    #(#from)*
                    _ => Self::Unknown(::serde_json::Value::Object(crate::events::tagged::rest(buf, map)?)),
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::events::tagged::decode(d)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#sers)*
                    Self::Unknown(v) => ::serde::Serialize::serialize(&crate::lenient::Untyped(v), s),
                }
            }
        }

        impl crate::lenient::Lenient for #name {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<crate::lenient::Got<Self>, D::Error> {
                crate::events::tagged::lenient(d)
            }
        }
    }
}

/// A field read through the union: text as `&str`, booleans and integers by value, anything
/// else by reference; text, booleans and integers are also read from an unknown kind's JSON.
fn accessor(u: &UnionIr, a: &AccessorIr, paths: &Paths) -> TokenStream {
    let method = ident(&a.method);
    let wire = &a.wire_name;
    let (ret, take, from_json) = match &a.ty {
        FieldType::String => (quote! { Option<&str> }, quote! { .as_deref() }, Some(quote! { as_str })),
        FieldType::Boolean => (quote! { Option<bool> }, quote! {}, Some(quote! { as_bool })),
        FieldType::Integer => (quote! { Option<i64> }, quote! {}, Some(quote! { as_i64 })),
        ty => {
            let t = field_type(&a.field, ty, paths);
            (quote! { Option<&#t> }, quote! { .as_ref() }, None)
        }
    };
    let arms = a.members.iter().map(|(variant, field)| {
        let (v, f) = (ident(variant), ident(field));
        quote! { Self::#v(p) => p.#f #take, }
    });
    let all = a.members.len() == u.variants.len();
    let unknown = match &from_json {
        Some(conv) => quote! { Self::Unknown(v) => v.get(#wire).and_then(::serde_json::Value::#conv), },
        None if all => quote! { Self::Unknown(_) => None, },
        None => quote! {},
    };
    let rest = if all { quote! {} } else { quote! { _ => None, } };
    let kinds: Vec<String> = u
        .variants
        .iter()
        .filter(|v| a.members.iter().any(|(m, _)| *m == v.variant))
        .map(|v| format!("`{}`", v.value))
        .collect();
    let desc = a.field.description.as_deref().map(|d| md(d, true)).unwrap_or_default();
    let mut doc = vec![format!("`{wire}`, of the kinds that carry it: {}.", kinds.join(", "))];
    if !desc.is_empty() {
        doc.push(String::new());
        doc.push(desc);
    }
    if from_json.is_some() {
        doc.push(String::new());
        doc.push("For a kind this version does not know, read from its JSON.".into());
    }
    let doc = doc_attrs(&doc);
    quote! {
        #doc
        pub fn #method(&self) -> #ret {
            match self {
                #(#arms)*
                #unknown
                #rest
            }
        }
    }
}
