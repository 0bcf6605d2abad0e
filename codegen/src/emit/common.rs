//! What the kinds share when they become tokens: identifiers, doc attributes, enums of
//! values, and the lenient typed structs that responses, objects, events and interactions are.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{EnumType, FieldIr};
use super::docs;
use super::runtime::Runtime;

pub(crate) fn ident(s: &str) -> Ident {
    Ident::new(s, Span::call_site())
}

/// One `#[doc = "…"]` per line, so that prettyplease prints `///` comments.
pub(crate) fn doc_attrs(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|l| {
        let text = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote! { #[doc = #text] }
    });
    quote! { #(#attrs)* }
}

/// A hand-written `Debug` that shows `<redacted>` for secret fields (and, in `extra`, for
/// values under secret names), or `#[derive(Debug)]` where nothing is secret. `fields` are
/// (Rust field, secret, optional) triples in declaration order.
pub(crate) fn debug_impl(name: &Ident, fields: &[(Ident, bool, bool)], extra: bool, rt: Runtime) -> (TokenStream, TokenStream) {
    if !fields.iter().any(|(_, secret, _)| *secret) {
        return (quote! { Debug, }, quote! {});
    }
    let label = name.to_string();
    let entries = fields.iter().map(|(f, secret, optional)| {
        let key = f.to_string();
        match (secret, optional) {
            (false, _) => quote! { .field(#key, &self.#f) },
            (true, true) => quote! { .field(#key, &self.#f.as_ref().map(|_| #rt::redact::Redacted)) },
            (true, false) => quote! { .field(#key, &#rt::redact::Redacted) },
        }
    });
    let extra = if extra { quote! { .field("extra", &#rt::redact::RedactedMap(&self.extra)) } } else { quote! {} };
    (
        quote! {},
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#label) #(#entries)* #extra .finish()
                }
            }
        },
    )
}

pub(crate) fn enum_type(e: &EnumType, rt: Runtime) -> TokenStream {
    let name = ident(&e.name);
    let docs = doc_attrs(&docs::enum_doc(e));
    let variants = e.values.iter().map(|(wire, v)| {
        let v = ident(v);
        let d = format!(" `{wire}`");
        quote! { #[doc = #d] #v, }
    });
    let as_str = e.values.iter().map(|(wire, v)| {
        let v = ident(v);
        quote! { Self::#v => #wire, }
    });
    let from = e.values.iter().map(|(wire, v)| {
        let v = ident(v);
        quote! { #wire => Self::#v, }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, sent as given.
            Unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #rt::wire::ToWire for #name {
            fn to_wire(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
            fn to_json(&self) -> ::serde_json::Value {
                ::serde_json::Value::String(self.as_str().to_owned())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as ::serde::Deserialize>::deserialize(d)?;
                Ok(Self::from(s))
            }
        }

        impl #rt::lenient::FromScalar for #name {
            fn from_string(value: String) -> Result<Self, String> {
                Ok(Self::from(value))
            }
        }

        impl #rt::lenient::Lenient for #name {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<#rt::lenient::Got<Self>, D::Error> {
                d.deserialize_any(#rt::lenient::ScalarV::<Self>::new())
            }
        }
    }
}

/// How a generated file names what it does not define: the runtime, and the types that fields
/// name by spec name. The shared objects' and the methods' fields reach every named type through
/// the runtime's `objects` (which re-exports the Block Kit types they use); another generated
/// file maps the names it resolves otherwise (its own types, Block Kit's) to their paths.
pub(crate) struct Paths {
    pub(crate) runtime: Runtime,
    /// Spec name → path, for the named types found elsewhere than in `objects`.
    pub(crate) named: std::collections::BTreeMap<String, TokenStream>,
}

impl Paths {
    /// Every named type through the runtime's `objects`.
    pub(crate) fn new(runtime: Runtime) -> Self {
        Paths { runtime, named: Default::default() }
    }

    /// The path of the type named `name` in the spec.
    fn path(&self, name: &str) -> TokenStream {
        match self.named.get(name) {
            Some(path) => path.clone(),
            None => {
                let (rt, t) = (self.runtime, ident(&crate::names::type_name(name)));
                quote! { #rt::objects::#t }
            }
        }
    }
}

/// The Rust type of a response or object field (without `Option`).
pub(crate) fn field_type(f: &FieldIr, ty: &crate::spec::FieldType, paths: &Paths) -> TokenStream {
    use crate::spec::FieldType as T;
    let rt = paths.runtime;
    match ty {
        T::String => quote! { String },
        T::Boolean => quote! { bool },
        T::Integer => quote! { i64 },
        // The exact number as sent: integer or float.
        T::Number => quote! { ::serde_json::Number },
        T::Timestamp => quote! { #rt::Timestamp },
        T::Id(kind) => {
            let name = ident(kind.names().1);
            quote! { #rt::#name }
        }
        T::Enum => {
            let name = ident(f.enum_type.as_ref().map(|e| e.name.as_str()).unwrap_or("String"));
            quote! { #name }
        }
        T::Json => quote! { ::serde_json::Value },
        T::AnyScalar => quote! { #rt::Scalar },
        T::LaxInteger => quote! { #rt::LaxInt },
        T::Object(name) => paths.path(name),
        T::Array(inner) => {
            let t = field_type(f, inner, paths);
            quote! { Vec<#t> }
        }
        T::Map(inner) => {
            let t = field_type(f, inner, paths);
            quote! { #rt::Keyed<#t> }
        }
        T::OneOf(_) => {
            let name = ident(f.one_of.as_ref().map(|o| o.name.as_str()).unwrap_or("Value"));
            quote! { #name }
        }
    }
}

/// The types a field declares for itself: an `enum`'s enum, a `one_of`'s enum.
pub(crate) fn field_types(f: &FieldIr, paths: &Paths) -> TokenStream {
    let e = f.enum_type.as_ref().map(|e| enum_type(e, paths.runtime));
    let o = f.one_of.as_ref().map(|o| one_of_type(f, o, paths));
    quote! { #e #o }
}

/// A `one_of<…>` field's enum: the variant for the JSON kind sent; a value of another kind (or
/// `null`) stays in the owner's `extra`, and so does one its variant's type does not take.
fn one_of_type(f: &FieldIr, o: &crate::ir::OneOfType, paths: &Paths) -> TokenStream {
    use crate::ir::JsonKind;
    let rt = paths.runtime;
    let name = ident(&o.name);
    let two_objects = o.variants.iter().filter(|x| x.2 == crate::ir::JsonKind::Object).count() > 1;
    let doc = format!(
        " The value of `{}`: one of {}, told apart by the kind of JSON sent{}.",
        f.wire_name,
        o.variants.iter().map(|(_, t, _)| format!("`{t}`")).collect::<Vec<_>>().join(", "),
        if two_objects { " (an object is the object type when that takes every key sent, the map otherwise)" } else { "" }
    );
    let variants = o.variants.iter().map(|(v, t, _)| {
        let d = format!(" `{t}`");
        let (v, t) = (ident(v), field_type(f, t, paths));
        quote! { #[doc = #d] #v(#t), }
    });
    let sers = o.variants.iter().map(|(v, _, _)| {
        let v = ident(v);
        quote! { Self::#v(v) => v.serialize(s), }
    });
    let arm = |kind: JsonKind| {
        o.variants.iter().find(|x| x.2 == kind).map_or(quote! { Ok(#rt::lenient::Got::Raw(v)) }, |(v, t, _)| {
            let (v, t) = (ident(v), field_type(f, t, paths));
            quote! { <#t as #rt::lenient::Lenient>::lenient(v).map(|g| g.map(Self::#v)) }
        })
    };
    let (scalar, mut object, array) = (arm(JsonKind::Scalar), arm(JsonKind::Object), arm(JsonKind::Array));
    // An object type and a map of one kind: the object when it takes every key sent (nothing
    // left in its `extra`, however deep the values it does not type), the map otherwise.
    let struct_variant = o.variants.iter().find(|x| x.2 == JsonKind::Object && matches!(x.1, crate::spec::FieldType::Object(_)));
    let map_variant = o.variants.iter().find(|x| x.2 == JsonKind::Object && matches!(x.1, crate::spec::FieldType::Map(_)));
    if let (Some((sv, st, _)), Some((mv, mt, _))) = (struct_variant, map_variant) {
        let (sv, st, mv, mt) = (ident(sv), field_type(f, st, paths), ident(mv), field_type(f, mt, paths));
        object = quote! {
            match <#st as #rt::lenient::Lenient>::lenient(v.clone()) {
                Ok(#rt::lenient::Got::Typed(o)) if o.extra.is_empty() => Ok(#rt::lenient::Got::Typed(Self::#sv(o))),
                _ => <#mt as #rt::lenient::Lenient>::lenient(v).map(|g| g.map(Self::#mv)),
            }
        };
    }
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#sers)*
                }
            }
        }

        impl #rt::lenient::Lenient for #name {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<#rt::lenient::Got<Self>, D::Error> {
                let v = <::serde_json::Value as ::serde::Deserialize>::deserialize(d)?;
                let got: Result<#rt::lenient::Got<Self>, ::serde_json::Error> = match &v {
                    ::serde_json::Value::Null => Ok(#rt::lenient::Got::Raw(v)),
                    ::serde_json::Value::Object(_) => #object,
                    ::serde_json::Value::Array(_) => #array,
                    _ => #scalar,
                };
                got.map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    }
}

/// Whether a field holds free-form JSON (`json`, or a list of it): serialised as untyped.
fn is_json(ty: &crate::spec::FieldType) -> bool {
    match ty {
        crate::spec::FieldType::Json => true,
        crate::spec::FieldType::Array(inner) | crate::spec::FieldType::Map(inner) => is_json(inner),
        _ => false,
    }
}

/// A struct of optional typed fields plus `extra`, decoded leniently (a value of an unexpected
/// shape stays in `extra`) and serialised back exactly. `leading` are fields declared first
/// (the response envelope), each decoded by name like the others; `ok` is a plain `bool`.
pub(crate) fn typed_struct(name: &Ident, docs: &TokenStream, fields: &[FieldIr], leading: &[TokenStream], paths: &Paths) -> TokenStream {
    let rt = paths.runtime;
    let has_envelope = !leading.is_empty();
    let decls = fields.iter().map(|f| {
        let (n, t) = (ident(&f.field), field_type(f, &f.ty, paths));
        let d = doc_attrs(&docs::field_doc(f));
        quote! { #d pub #n: Option<#t>, }
    });
    let mut debug_fields: Vec<(Ident, bool, bool)> = Vec::new();
    if has_envelope {
        for f in ["ok", "warning", "response_metadata"] {
            debug_fields.push((ident(f), false, true));
        }
    }
    debug_fields.extend(fields.iter().map(|f| (ident(&f.field), f.secret, true)));
    let (debug_derive, debug) = debug_impl(name, &debug_fields, true, rt);
    let read = read_field_impl(name, fields, has_envelope, paths);
    let response_impl = has_envelope.then(|| {
        quote! {
            impl #rt::Response for #name {
                fn is_ok(&self) -> bool {
                    self.ok
                }
                fn warnings(&self) -> Vec<&str> {
                    #rt::lenient::warnings(&self.warning, &self.response_metadata)
                }
            }
        }
    });
    let serialize = serialize_fields_impl(name, fields, has_envelope, rt);
    quote! {
        #docs
        #[derive(Clone, #debug_derive Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#leading)*
            #(#decls)*
            /// Every other field, as sent: fields this version does not type, and typed fields
            /// whose value had an unexpected shape. Serialised back with the rest.
            pub extra: ::serde_json::Map<String, ::serde_json::Value>,
        }

        #debug

        #read

        impl #rt::lenient::Lenient for #name {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<#rt::lenient::Got<Self>, D::Error> {
                #rt::lenient::lenient_struct(d)
            }
        }

        #response_impl

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #rt::lenient::strict_struct(d)
            }
        }

        #serialize
    }
}

/// Decoding a typed struct: each field read by its key, a value of an unexpected shape kept
/// in `extra`; with the envelope, `ok`, `warning` and `response_metadata` first.
fn read_field_impl(name: &Ident, fields: &[FieldIr], has_envelope: bool, paths: &Paths) -> TokenStream {
    let rt = paths.runtime;
    let reads = fields.iter().map(|f| {
        let (n, w, t) = (ident(&f.field), &f.wire_name, field_type(f, &f.ty, paths));
        quote! { #w => #rt::lenient::read::<#t, A>(map, &mut self.#n, &mut self.extra, key)?, }
    });
    let env_reads = has_envelope.then(|| {
        quote! {
            "ok" => {
                let got = map.next_value_seed(#rt::lenient::Seed::<bool>::new())?;
                let mut ok = None;
                #rt::lenient::store(&mut ok, &mut self.extra, key, got);
                self.ok = ok.unwrap_or(false);
            }
            "warning" => #rt::lenient::read::<String, A>(map, &mut self.warning, &mut self.extra, key)?,
            "response_metadata" => {
                #rt::lenient::read::<#rt::ResponseMetadata, A>(map, &mut self.response_metadata, &mut self.extra, key)?
            }
        }
    });
    quote! {
        impl #rt::lenient::Fields for #name {
            fn read_field<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> Result<(), A::Error> {
                match key {
                    #env_reads
                    #(#reads)*
                    _ => {
                        let value: ::serde_json::Value = map.next_value()?;
                        self.extra.insert(key.to_owned(), value);
                    }
                }
                Ok(())
            }
        }
    }
}

/// Encoding a typed struct exactly as it came: the envelope, the typed fields, then `extra`.
fn serialize_fields_impl(name: &Ident, fields: &[FieldIr], has_envelope: bool, rt: Runtime) -> TokenStream {
    let puts = fields.iter().map(|f| {
        let (n, w) = (ident(&f.field), &f.wire_name);
        if is_json(&f.ty) {
            quote! { out.raw_field(#w, &self.#n)?; }
        } else {
            quote! { out.field(#w, &self.#n)?; }
        }
    });
    // A `null` kept in `extra` under a declared field's key is that field's "none", written
    // as typed (see `Writer::finish_declared`).
    let wires = fields.iter().map(|f| &f.wire_name);
    let env_names = if has_envelope { quote! { "warning", "response_metadata", } } else { quote! {} };
    let env_puts = has_envelope.then(|| {
        quote! {
            if !self.extra.contains_key("ok") {
                out.field("ok", &Some(self.ok))?;
            }
            out.field("warning", &self.warning)?;
            out.field("response_metadata", &self.response_metadata)?;
        }
    });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut out = #rt::lenient::Writer::new(s)?;
                #env_puts
                #(#puts)*
                out.finish_declared(&self.extra, &[#env_names #(#wires),*])
            }
        }
    }
}
