//! The shared objects (`spec/objects/`) → tokens: `generated/objects.rs`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ir::{Api, FieldIr, Object, ObjectKind};
use super::common::{Paths, doc_attrs, field_types, ident, typed_struct};
use super::runtime::Runtime;
use super::docs;

/// `generated/objects.rs`: the shared objects.
pub fn objects_file(api: &Api) -> TokenStream {
    // The objects with limits, and those that hold them: only these are checked (`Validate`),
    // so the objects Slack only ever sends carry no checks.
    /// The objects a field's type holds (a `one_of`'s, each of its types').
    fn leaves_of(t: &crate::spec::FieldType) -> Vec<&str> {
        let members: Vec<&crate::spec::FieldType> = match t {
            crate::spec::FieldType::OneOf(ts) => ts.iter().collect(),
            t => vec![t],
        };
        members
            .into_iter()
            .filter_map(|mut t| {
                while let crate::spec::FieldType::Array(x) | crate::spec::FieldType::Map(x) = t {
                    t = x;
                }
                match t {
                    crate::spec::FieldType::Object(name) => Some(name.as_str()),
                    _ => None,
                }
            })
            .collect()
    }
    let mut structs: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    loop {
        let before = structs.len();
        for o in &api.objects {
            if let ObjectKind::Struct(fields) = &o.kind {
                if o.cross_checks || fields.iter().any(|f| !f.limits.is_empty() || leaves_of(&f.ty).iter().any(|n| structs.contains(n))) {
                    structs.insert(o.wire_name.as_str());
                }
            }
        }
        if structs.len() == before {
            break;
        }
    }
    let checkable = |name: &str| structs.contains(name);
    let mut consts: Vec<TokenStream> = Vec::new();
    let items: Vec<TokenStream> = api.objects.iter().map(|o| object(o, &checkable, &mut consts)).collect();
    let limits = if consts.is_empty() {
        quote! {}
    } else {
        quote! {
            /// The limits `validate()` checks, one constant per field and limit
            /// (`<OBJECT>_<FIELD>_<LIMIT>`), from `spec/objects/`.
            pub mod limits {
                #(#consts)*
            }
        }
    };
    // Block Kit types the objects use, under their names here too (`objects::Block`).
    let mut used = std::collections::BTreeSet::new();
    let object_fields = api.objects.iter().filter_map(|o| match &o.kind {
        ObjectKind::Struct(fields) => Some(fields),
        ObjectKind::Union { .. } => None,
    });
    // Event fields name Block Kit types through `objects` too (`crate::objects::EntityExternalRef`).
    let event_fields = api.events.events.iter().chain(&api.events.subtypes).map(|e| &e.fields);
    let event_fields = event_fields.chain(api.events.envelope.iter().map(|t| &t.fields));
    for fields in object_fields.chain(api.methods().filter_map(|m| m.response.as_ref())).chain(event_fields) {
        {
            for f in fields {
                let members = match &f.ty {
                    crate::spec::FieldType::OneOf(ts) => ts.iter().collect(),
                    t => vec![t],
                };
                for mut t in members {
                    while let crate::spec::FieldType::Array(inner) | crate::spec::FieldType::Map(inner) = t {
                        t = inner;
                    }
                    if let crate::spec::FieldType::Object(name) = t {
                        if !api.objects.iter().any(|x| &x.wire_name == name) && api.kit.get(name).is_some() {
                            used.insert(crate::names::type_name(name));
                        }
                    }
                }
            }
        }
    }
    let reexports = used.iter().map(|n| {
        let n = ident(n);
        quote! { pub use crate::block_kit::#n; }
    });
    quote! { #(#reexports)* #limits #(#items)* }
}

/// `Validate` of a shared object's fields: the limits its spec lists, the required fields, values
/// kept in `extra` for their shape, and every field whose type can be checked in turn.
fn object_validate(o: &Object, fields: &[FieldIr], checkable: &dyn Fn(&str) -> bool, consts: &mut Vec<TokenStream>) -> TokenStream {
    let fields_name = ident(&format!("{}Fields", o.type_name));
    let mut checks: Vec<TokenStream> = Vec::new();
    for f in fields {
        limit_checks(o, f, consts, &mut checks);
        nested_checks(f, checkable, &mut checks);
    }
    if o.cross_checks {
        // The rules between fields, hand-written (`slack-api-model/src/object_checks.rs`).
        let f = ident(&o.wire_name);
        checks.push(quote! { crate::object_checks::#f(self, at, v); });
    }
    let (at, v) = if checks.is_empty() { (quote! { _at }, quote! { _v }) } else { (quote! { at }, quote! { v }) };
    quote! {
        impl crate::block_kit::Validate for #fields_name {
            fn validate_at<'a>(&'a self, #at: &crate::block_kit::Path<'_>, #v: &mut crate::block_kit::Validator<'a>) {
                #(#checks)*
            }
        }
    }
}

/// The checks of a field's limits (presence, lengths, item counts, format, closed values), each
/// limit a constant of `limits`.
fn limit_checks(o: &Object, f: &FieldIr, consts: &mut Vec<TokenStream>, checks: &mut Vec<TokenStream>) {
    use crate::spec::FieldType as T;
    let (n, w) = (ident(&f.field), f.wire_name.as_str());
    let l = &f.limits;
    let here = quote! { &at.key(#w) };
    let mut konst = |limit: &str, value: usize| {
        let c = ident(&format!("{}_{}_{}", o.wire_name.to_uppercase(), f.field.trim_end_matches('_').to_uppercase(), limit));
        let doc = format!(" `{}.{}`: {} {value}.", o.wire_name, w, limit.to_lowercase().replace('_', " "));
        consts.push(quote! { #[doc = #doc] pub const #c: usize = #value; });
        quote! { self::limits::#c }
    };
    let expected = match &f.ty {
        T::OneOf(ts) => ts.iter().map(ToString::to_string).collect::<Vec<_>>().join(" or "),
        t => t.to_string(),
    };
    // Not typed: sent in another shape (kept in `extra`), or not sent at all.
    let required = l.required;
    checks.push(quote! { v.presence(#here, self.#n.is_some(), self.extra.get(#w), #required, #expected); });
    if l.min_length.is_some() || l.max_length.is_some() {
        let min = l.min_length.map_or(quote! { 0 }, |x| konst("MIN_LENGTH", x));
        let max = l.max_length.map_or(quote! { usize::MAX }, |x| konst("MAX_LENGTH", x));
        checks.push(quote! { v.len(self.#n.as_deref(), #here, #min, #max); });
    }
    if l.min_items.is_some() || l.max_items.is_some() {
        let min = l.min_items.map_or(quote! { 0 }, |x| konst("MIN_ITEMS", x));
        let max = l.max_items.map_or(quote! { usize::MAX }, |x| konst("MAX_ITEMS", x));
        checks.push(quote! { v.items(self.#n.as_ref().map(|x| x.len()), #here, #min, #max); });
    }
    let list = matches!(f.ty, T::Array(_));
    if let Some(max) = l.item_max_length {
        let max = konst("ITEM_MAX_LENGTH", max);
        checks.push(quote! {
            for (i, x) in self.#n.iter().flatten().enumerate() { v.len(Some(x.as_str()), &at.key(#w).index(i), 0, #max); }
        });
    }
    if let Some(fmt) = l.format {
        let fv = ident(fmt.variant());
        checks.push(if list {
            quote! {
                for (i, x) in self.#n.iter().flatten().enumerate() {
                    v.format(Some(x.as_str()), &at.key(#w).index(i), crate::block_kit::Format::#fv);
                }
            }
        } else {
            quote! { v.format(self.#n.as_deref(), #here, crate::block_kit::Format::#fv); }
        });
    }
    if let (true, Some(e)) = (l.closed, &f.enum_type) {
        let en = ident(&e.name);
        let values: Vec<&str> = e.values.iter().map(|(w, _)| w.as_str()).collect();
        checks.push(if list {
            quote! {
                for (i, x) in self.#n.iter().flatten().enumerate() {
                    if let #en::Unknown(x) = x { v.not_allowed(x, &at.key(#w).index(i), &[#(#values),*]); }
                }
            }
        } else {
            quote! { if let Some(#en::Unknown(x)) = &self.#n { v.not_allowed(x, #here, &[#(#values),*]); } }
        });
    }
}

/// The checks of the objects a field holds, where their types can be checked.
fn nested_checks(f: &FieldIr, checkable: &dyn Fn(&str) -> bool, checks: &mut Vec<TokenStream>) {
    use crate::spec::FieldType as T;
    let (n, w) = (ident(&f.field), f.wire_name.as_str());
    let here = quote! { &at.key(#w) };
    let leaf_checkable = |mut leaf: &T| {
        while let T::Array(t) | T::Map(t) = leaf {
            leaf = t;
        }
        matches!(leaf, T::Object(name) if checkable(name))
    };
    match (&f.ty, &f.one_of) {
        (T::OneOf(_), Some(one)) => {
            // Each variant whose type can be checked, checked as that type.
            let en = ident(&one.name);
            let arms: Vec<TokenStream> = one
                .variants
                .iter()
                .filter(|(_, t, _)| leaf_checkable(t))
                .map(|(var, _, _)| {
                    let var = ident(var);
                    quote! { Some(#en::#var(x)) => crate::block_kit::Validate::validate_at(x, #here, v), }
                })
                .collect();
            if !arms.is_empty() {
                checks.push(quote! {
                    #[allow(unreachable_patterns)]
                    match &self.#n {
                        #(#arms)*
                        _ => {}
                    }
                });
            }
        }
        (ty, _) if leaf_checkable(ty) => {
            checks.push(quote! { crate::block_kit::Validate::validate_at(&self.#n, #here, v); });
        }
        _ => {}
    }
}

/// A shared object's items: a struct of typed fields behind a thin pointer, or a tagged union.
fn object(o: &Object, checkable: &dyn Fn(&str) -> bool, consts: &mut Vec<TokenStream>) -> TokenStream {
    let name = ident(&o.type_name);
    let docs = doc_attrs(&docs::object_doc(o));
    match &o.kind {
        ObjectKind::Struct(fields) => object_struct(o, &name, &docs, fields, checkable, consts),
        ObjectKind::Union { tag, variants } => object_union(&name, &docs, tag, variants),
    }
}

/// An object of typed fields: a thin pointer to its fields, which are checked where `checkable`.
fn object_struct(
    o: &Object,
    name: &Ident,
    docs: &TokenStream,
    fields: &[FieldIr],
    checkable: &dyn Fn(&str) -> bool,
    consts: &mut Vec<TokenStream>,
) -> TokenStream {
    // The model crate's own file.
    let paths = Paths::new(Runtime::Crate);
    let enums = fields.iter().map(|f| field_types(f, &paths));
    // The object is a thin pointer to its fields, allocated only once it has one (see
    // `lenient::Thin`): a list of `{}` then costs no more than its JSON text.
    let fields_name = ident(&format!("{}Fields", o.type_name));
    let fields_doc = format!(
        " The fields of a [`{}`], which derefs to them: read and set them as `{}.field`.",
        o.type_name,
        crate::names::snake_name(&o.wire_name)
    );
    let fields_docs = quote! { #[doc = #fields_doc] };
    let s = typed_struct(&fields_name, &fields_docs, fields, &[], &paths);
    let validate = if checkable(&o.wire_name) { object_validate(o, fields, checkable, consts) } else { quote! {} };
    quote! {
        #(#enums)*
        #docs
        pub type #name = crate::Thin<#fields_name>;
        #s
        #validate
        impl crate::Empty for #fields_name {
            fn empty() -> &'static Self {
                static EMPTY: ::std::sync::OnceLock<#fields_name> = ::std::sync::OnceLock::new();
                EMPTY.get_or_init(Self::default)
            }
        }
    }
}

/// An object told apart by a tag: one variant per known kind, each kept whole as a map.
fn object_union(name: &Ident, docs: &TokenStream, tag: &str, variants: &[(String, String)]) -> TokenStream {
    let decl = variants.iter().map(|(wire, v)| {
        let v = ident(v);
        let d = format!(" `{tag}: {wire}`. The whole object, `{tag}` included.");
        quote! { #[doc = #d] #v(::serde_json::Map<String, ::serde_json::Value>), }
    });
    let from = variants.iter().map(|(wire, v)| {
        let v = ident(v);
        quote! { Some(#wire) => Self::#v(map), }
    });
    let kinds = variants.iter().map(|(wire, v)| {
        let v = ident(v);
        quote! { Self::#v(_) => Some(#wire), }
    });
    let maps = variants.iter().map(|(_, v)| {
        let v = ident(v);
        quote! { Self::#v(map) }
    });
    let maps2 = maps.clone();
    let unknown_doc = format!(" A `{tag}` this version does not know (or no object at all), kept whole.");
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#decl)*
            #[doc = #unknown_doc]
            Unknown(::serde_json::Value),
        }

        impl #name {
            /// The kind, as its tag says.
            pub fn kind(&self) -> Option<&str> {
                match self {
                    #(#kinds)*
                    Self::Unknown(v) => v.get(#tag).and_then(::serde_json::Value::as_str),
                }
            }

            /// The object's fields, tag included.
            pub fn fields(&self) -> Option<&::serde_json::Map<String, ::serde_json::Value>> {
                match self {
                    #(#maps)|* => Some(map),
                    Self::Unknown(v) => v.as_object(),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(d)?;
                let ::serde_json::Value::Object(map) = value else {
                    return Ok(Self::Unknown(value));
                };
                let tag = map.get(#tag).and_then(::serde_json::Value::as_str).map(ToOwned::to_owned);
                Ok(match tag.as_deref() {
                    #(#from)*
                    _ => Self::Unknown(::serde_json::Value::Object(map)),
                })
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#maps2)|* => crate::lenient::write_tagged(map, #tag, s),
                    Self::Unknown(v) => ::serde::Serialize::serialize(&crate::lenient::Untyped(v), s),
                }
            }
        }

        impl crate::lenient::Lenient for #name {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<crate::lenient::Got<Self>, D::Error> {
                <Self as ::serde::Deserialize>::deserialize(d).map(crate::lenient::Got::Typed)
            }
        }
    }
}
