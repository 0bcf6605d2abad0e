//! Block Kit IR → tokens: one struct per block, element, composition object and view, one enum
//! per union, the limit constants, and each type's decoding, encoding and validation.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::ir::EnumType;
use crate::ir::blocks::{GroupIr, Kit, KindIr, KitFieldIr, KitTypeIr, Limits, TEXT_OBJECTS, VariantIr};
use crate::spec::FormatName;
use crate::spec::blocks::{Group, KitType, SurfaceName};
use super::common::{doc_attrs, enum_type, ident};
use super::runtime::Runtime;
use super::docs::paragraphs;

/// `12345` → `12,345`.
fn n(v: usize) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The start of `block_kit.rs`: the limit constants.
pub fn head(kit: &Kit) -> TokenStream {
    let consts = kit.types.iter().flat_map(|t| limit_consts(kit, t));
    quote! {
        /// Slack's Block Kit limits, from `spec/blocks/`: `<TYPE>_<FIELD>_<LIMIT>`. For a text
        /// object field, a length limit applies to the object's `text`.
        pub mod limits {
            #(#consts)*
        }
    }
}

/// For each type, the unions that accept it.
fn used_in(kit: &Kit) -> BTreeMap<&str, Vec<&str>> {
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in &kit.types {
        if let KindIr::Union(vs) = &t.kind {
            for v in vs {
                out.entry(v.member.as_str()).or_default().push(t.rust.as_str());
            }
        }
    }
    out
}

fn const_name(t: &KitTypeIr, f: &KitFieldIr, limit: &str) -> Ident {
    ident(&format!("{}_{}_{}", t.name.to_uppercase(), f.wire.to_uppercase(), limit))
}

/// The effective text limits of a text object field: its own, else the text object's.
fn text_limits(kit: &Kit, name: &str) -> (Option<usize>, Option<usize>) {
    let member = match kit.get(name).map(|t| &t.kind) {
        Some(KindIr::Union(vs)) => vs.first().map(|v| v.member.as_str()).unwrap_or(name),
        _ => name,
    };
    match kit.get(member).map(|t| &t.kind) {
        Some(KindIr::Struct { fields, .. }) => fields
            .iter()
            .find(|f| f.wire == "text")
            .map(|f| (f.limits.min_length, f.limits.max_length))
            .unwrap_or((None, None)),
        _ => (None, None),
    }
}

fn text_leaf<'a>(kit: &Kit, f: &'a KitFieldIr) -> Option<&'a str> {
    match f.ty.leaf() {
        KitType::Named(n) if kit.is_text(n) => Some(n.as_str()),
        _ => None,
    }
}

fn limit_consts(kit: &Kit, t: &KitTypeIr) -> Vec<TokenStream> {
    let KindIr::Struct { fields, .. } = &t.kind else { return Vec::new() };
    let mut out = Vec::new();
    for f in fields {
        let l = &f.limits;
        let what = format!("`{}.{}`", t.name, f.wire);
        let mut push = |limit: &str, doc: String, value: TokenStream| {
            let name = const_name(t, f, limit);
            let doc = format!(" {what}: {doc}");
            out.push(quote! { #[doc = #doc] pub const #name: #value; });
        };
        let text = text_leaf(kit, f).is_some();
        let unit = if text { "characters of its `text`" } else { "characters" };
        let counts = [
            ("MIN_LENGTH", l.min_length, "at least", unit),
            ("MAX_LENGTH", l.max_length, "at most", unit),
            ("MIN_ITEMS", l.min_items, "at least", "items"),
            ("MAX_ITEMS", l.max_items, "at most", "items"),
            ("ITEM_MAX_LENGTH", l.item_max_length, "at most", "characters in each item's `text`"),
        ];
        for (limit, v, bound, unit) in counts {
            if let Some(v) = v {
                let lit = Literal::usize_unsuffixed(v);
                push(limit, format!("{bound} {} {unit}.", n(v)), quote! { usize = #lit });
            }
        }
        if let Some(v) = l.minimum {
            let lit = Literal::i64_unsuffixed(v);
            push("MINIMUM", format!("at least {v}."), quote! { i64 = #lit });
        }
        if let Some(v) = l.maximum {
            let lit = Literal::i64_unsuffixed(v);
            push("MAXIMUM", format!("at most {v}."), quote! { i64 = #lit });
        }
    }
    out
}

/// Whether a field holds a nested Block Kit value directly (not in a list) that is not a text
/// object: such fields are boxed, so that an element with a confirmation dialog, or a section
/// with an accessory, stays small (a `Block` would otherwise be over a kilobyte).
fn boxed(kit: &Kit, f: &KitFieldIr) -> bool {
    matches!(&f.ty, KitType::Named(n) if !kit.is_text(n))
}

/// The Rust type of a field as declared (boxed where [`boxed`] says; without `Option`).
fn field_type(kit: &Kit, f: &KitFieldIr) -> TokenStream {
    let t = rust_type(kit, f, &f.ty);
    if boxed(kit, f) { quote! { Box<#t> } } else { t }
}

/// The Rust type of a field (without `Option` for optional fields).
/// Whether a field holds free-form JSON (`json`, or a list or nullable of it).
fn kit_json(ty: &KitType) -> bool {
    match ty {
        KitType::Json => true,
        KitType::Array(inner) | KitType::Nullable(inner) => kit_json(inner),
        _ => false,
    }
}

fn rust_type(kit: &Kit, f: &KitFieldIr, ty: &KitType) -> TokenStream {
    match ty {
        KitType::String => quote! { String },
        KitType::Boolean => quote! { bool },
        KitType::Integer => quote! { i64 },
        KitType::Json => quote! { ::serde_json::Value },
        KitType::Enum => {
            let e = ident(f.enum_type.as_ref().map(|e| e.name.as_str()).unwrap_or("String"));
            quote! { #e }
        }
        KitType::Named(name) => {
            let t = ident(&kit.get(name).map(|t| t.rust.clone()).unwrap_or_default());
            quote! { #t }
        }
        KitType::Array(inner) => {
            let t = rust_type(kit, f, inner);
            quote! { Vec<#t> }
        }
        KitType::Nullable(inner) => {
            let t = rust_type(kit, f, inner);
            quote! { Option<#t> }
        }
    }
}

fn surfaces_text(s: &Option<Vec<SurfaceName>>) -> String {
    match s {
        None => "messages, modals and Home tabs".into(),
        Some(list) => list
            .iter()
            .map(|s| match s {
                SurfaceName::Message => "messages",
                SurfaceName::Modal => "modals",
                SurfaceName::Home => "Home tabs",
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn surfaces_tokens(s: &Option<Vec<SurfaceName>>) -> TokenStream {
    match s {
        None => quote! { crate::block_kit::Surface::ALL },
        Some(list) => {
            let v = list.iter().map(|s| ident(s.variant()));
            quote! { &[#(crate::block_kit::Surface::#v),*] }
        }
    }
}

fn limits_text(kit: &Kit, f: &KitFieldIr) -> Vec<String> {
    let l: &Limits = &f.limits;
    let mut out = Vec::new();
    let text = text_leaf(kit, f);
    let (min, max) = match (text, &f.ty) {
        (Some(name), KitType::Named(_)) => {
            let (dmin, dmax) = text_limits(kit, name);
            (l.min_length.or(dmin), l.max_length.or(dmax))
        }
        _ => (l.min_length, l.max_length),
    };
    let unit = if text.is_some() && !matches!(f.ty, KitType::Array(_)) { "characters of text" } else { "characters" };
    match (min, max) {
        (Some(lo), Some(hi)) => out.push(format!("{} to {} {unit}.", n(lo), n(hi))),
        (Some(lo), None) => out.push(format!("At least {} {unit}.", n(lo))),
        (None, Some(hi)) => out.push(format!("At most {} {unit}.", n(hi))),
        _ => {}
    }
    match (l.min_items, l.max_items) {
        (Some(lo), Some(hi)) => out.push(format!("{} to {} items.", n(lo), n(hi))),
        (Some(lo), None) => out.push(format!("At least {} item(s).", n(lo))),
        (None, Some(hi)) => out.push(format!("At most {} items.", n(hi))),
        _ => {}
    }
    if let Some(v) = l.item_max_length {
        out.push(format!("At most {} characters of text in each item.", n(v)));
    }
    match (l.minimum, l.maximum) {
        (Some(lo), Some(hi)) => out.push(format!("From {lo} to {hi}.")),
        (Some(lo), None) => out.push(format!("At least {lo}.")),
        (None, Some(hi)) => out.push(format!("At most {hi}.")),
        _ => {}
    }
    if let Some(e) = &f.enum_type {
        let vals: Vec<String> = e.values.iter().map(|(w, _)| format!("`{w}`")).collect();
        out.push(format!("One of {}.", vals.join(", ")));
    }
    if let Some(fmt) = l.format {
        out.push(format!("Format: {}.", match fmt {
            FormatName::Date => "`YYYY-MM-DD`",
            FormatName::Time => "`HH:mm`",
            FormatName::Decimal => "a decimal number",
            FormatName::HexColor => "a hex colour, `#RRGGBB`",
            FormatName::CssHexColor => "a hex colour, `#RGB` or `#RRGGBB`",
            FormatName::HttpsUrl => "an `https://` URL",
            FormatName::HttpUrl => "an `http://` or `https://` URL",
            FormatName::SlashCommand => "a command starting with `/`",
        }));
    }
    out
}

fn type_doc(kit: &Kit, t: &KitTypeIr, used_in: Option<&Vec<&str>>) -> Vec<String> {
    let mut d = paragraphs(&t.description);
    d.push(String::new());
    if t.from_schema {
        d.push("*Imported from the Block Kit schema by `cargo xtask import-blocks` and not yet reviewed: the description and link are placeholders.*".into());
        d.push(String::new());
    }
    if t.group == Group::Block && matches!(t.kind, KindIr::Struct { .. }) && t.tag.is_some() {
        d.push(format!("Available in {}.", surfaces_text(&t.surfaces)));
        d.push(String::new());
    } else if t.surfaces.is_some() {
        d.push(format!("Only in {}.", surfaces_text(&t.surfaces)));
        d.push(String::new());
    }
    if let Some(u) = used_in {
        let list: Vec<String> = u.iter().map(|x| format!("[`{x}`]")).collect();
        d.push(format!("Accepted by {}.", list.join(", ")));
        d.push(String::new());
    }
    if let KindIr::Struct { fields, groups } = &t.kind {
        let mut limits = Vec::new();
        for f in fields {
            let text = limits_text(kit, f);
            let own_text = kit.is_text(&t.name) && f.wire == "text";
            if !text.is_empty() && !own_text {
                limits.push(format!("- `{}`: {}", f.wire, text.join(" ")));
            }
        }
        for g in groups {
            let list: Vec<String> = g.fields.iter().map(|f| format!("`{f}`")).collect();
            limits.push(format!("- {} of {}.", if g.exactly_one { "Exactly one" } else { "At least one" }, list.join(", ")));
        }
        if !limits.is_empty() {
            d.push("Limits, checked by [`Validate`]:".into());
            d.push(String::new());
            d.extend(limits);
            d.push(String::new());
        }
    }
    d.push(format!("Slack's reference: <{}>.", t.docs_url));
    d.push(String::new());
    d.push(format!("Generated from `{}`.", t.spec_file));
    if let Some(ex) = &t.example {
        d.push(String::new());
        d.push("# Example".into());
        d.push(String::new());
        d.push("```".into());
        d.extend(ex.trim_end().lines().map(str::to_owned));
        d.push("```".into());
    }
    d
}

fn field_doc(kit: &Kit, f: &KitFieldIr) -> Vec<String> {
    let mut d = match &f.description {
        Some(desc) => paragraphs(desc),
        None => vec![format!("The `{}` field.", f.wire)],
    };
    if f.from_schema {
        d.push(String::new());
        d.push("*Imported from the Block Kit schema by `cargo xtask import-blocks`; not yet described.*".into());
    }
    let limits = limits_text(kit, f);
    if !limits.is_empty() {
        d.push(String::new());
        d.push(limits.join(" "));
    }
    if let Some(ex) = &f.example {
        d.push(String::new());
        d.push(format!("Example: `{}`.", ex.replace('`', "'")));
    }
    d.push(String::new());
    d.push(format!("JSON key `{}`, {}`{}`.", f.wire, if f.required { "required, " } else { "" }, f.ty));
    d
}

/// Every item of one Block Kit type: the type, its enums, its decoding, encoding and validation.
pub fn type_items(kit: &Kit, t: &KitTypeIr) -> TokenStream {
    let unions = used_in(kit);
    let docs = doc_attrs(&type_doc(kit, t, unions.get(t.name.as_str())));
    match &t.kind {
        KindIr::Struct { fields, groups } => struct_items(kit, t, &docs, fields, groups),
        KindIr::Union(vs) => union_items(kit, t, &docs, vs),
    }
}

fn struct_items(kit: &Kit, t: &KitTypeIr, docs: &TokenStream, fields: &[KitFieldIr], groups: &[GroupIr]) -> TokenStream {
    let name = ident(&t.rust);
    let enums = fields.iter().filter_map(|f| f.enum_type.as_ref()).map(kit_enum);
    let decls = fields.iter().map(|f| {
        let (n, ty) = (ident(&f.field), field_type(kit, f));
        let d = doc_attrs(&field_doc(kit, f));
        if f.required {
            quote! { #d pub #n: #ty, }
        } else {
            quote! { #d pub #n: Option<#ty>, }
        }
    });
    let derives = if fields.iter().any(|f| f.required) {
        quote! { #[derive(Clone, Debug, PartialEq)] }
    } else {
        quote! { #[derive(Clone, Debug, Default, PartialEq)] }
    };
    let builder = builder(kit, t, fields);
    let text_impl = TEXT_OBJECTS.contains(&t.name.as_str()).then(|| {
        quote! {
            impl crate::block_kit::TextObject for #name {
                fn text_str(&self) -> Option<&str> {
                    Some(&self.text)
                }
            }
        }
    });
    let from_json = from_json_impl(kit, t, fields);
    let serialize = serialize_impl(t, fields);
    let write_json = write_json_impl(t, fields);
    let checks = validate_body(kit, t, fields, groups);
    quote! {
        #(#enums)*

        #docs
        #derives
        #[non_exhaustive]
        #[must_use]
        pub struct #name {
            #(#decls)*
            /// Fields this version does not type, and typed fields whose value had another
            /// shape, as sent. Serialised back with the rest.
            pub extra: ::serde_json::Map<String, ::serde_json::Value>,
        }

        #builder
        #text_impl
        #from_json
        #serialize
        #write_json

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::block_kit::strict(d)
            }
        }

        impl crate::lenient::Lenient for #name {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<crate::lenient::Got<Self>, D::Error> {
                crate::block_kit::lenient(d)
            }
        }

        impl crate::block_kit::Validate for #name {
            #checks
        }
    }
}

/// A field's enum, readable and writable as Block Kit JSON.
fn kit_enum(e: &EnumType) -> TokenStream {
    let base = enum_type(e, Runtime::Crate);
    let en = ident(&e.name);
    quote! {
        #base
        impl crate::block_kit::FromJson for #en {
            fn from_json(value: &::serde_json::Value) -> Option<Self> {
                value.as_str().map(Self::from)
            }
        }
        impl crate::block_kit::WriteJson for #en {
            fn write_json(&self, out: &mut crate::block_kit::JsonWriter) {
                out.str(self.as_str());
            }
        }
    }
}

/// The parameter type a constructor or setter takes for a field, and the expression turning the
/// parameter `v` into the field's type.
fn param(kit: &Kit, f: &KitFieldIr, v: &Ident) -> (TokenStream, TokenStream) {
    match &f.ty {
        KitType::Array(inner) => {
            let t = rust_type(kit, f, inner);
            (quote! { impl IntoIterator<Item = impl Into<#t>> }, quote! { #v.into_iter().map(Into::into).collect() })
        }
        ty => {
            let t = rust_type(kit, f, ty);
            if boxed(kit, f) {
                (quote! { impl Into<#t> }, quote! { Box::new(#v.into()) })
            } else {
                (quote! { impl Into<#t> }, quote! { #v.into() })
            }
        }
    }
}

/// `new` with the required fields, a setter per optional one, and for a type whose one
/// required field is a string, `From<&str>` and `From<String>`.
fn builder(kit: &Kit, t: &KitTypeIr, fields: &[KitFieldIr]) -> TokenStream {
    let name = ident(&t.rust);
    let required: Vec<&KitFieldIr> = fields.iter().filter(|f| f.required).collect();
    let new_params = required.iter().map(|f| {
        let n = ident(&f.field);
        let (p, _) = param(kit, f, &n);
        quote! { #n: #p }
    });
    let new_inits = fields.iter().map(|f| {
        let n = ident(&f.field);
        if f.required {
            let (_, conv) = param(kit, f, &n);
            quote! { #n: #conv, }
        } else {
            quote! { #n: None, }
        }
    });
    let new_doc = if required.is_empty() {
        format!(" An empty `{}`; set fields with the setters.", t.rust)
    } else {
        let list: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire)).collect();
        format!(" A `{}` with its required fields ({}); set the others with the setters.", t.rust, list.join(", "))
    };
    let setters = fields.iter().filter(|f| !f.required).map(|f| {
        let n = ident(&f.field);
        let (p, conv) = param(kit, f, &ident("value"));
        let d = format!(" Sets `{}`.", f.wire);
        quote! {
            #[doc = #d]
            pub fn #n(mut self, value: #p) -> Self {
                self.#n = Some(#conv);
                self
            }
        }
    });
    let from_str = match required.as_slice() {
        [only] if only.ty == KitType::String => {
            let n = ident(&only.field);
            let doc = format!(" A `{}` with this `{}`.", t.rust, only.wire);
            Some(quote! {
                #[doc = #doc]
                impl From<&str> for #name {
                    fn from(value: &str) -> Self {
                        Self::new(value)
                    }
                }
                #[doc = #doc]
                impl From<String> for #name {
                    fn from(#n: String) -> Self {
                        Self::new(#n)
                    }
                }
            })
        }
        _ => None,
    };
    quote! {
        impl #name {
            #[doc = #new_doc]
            pub fn new(#(#new_params),*) -> Self {
                Self { #(#new_inits)* extra: ::serde_json::Map::new() }
            }
            #(#setters)*
        }

        #from_str
    }
}

/// Decoding: each field read by its key (a value of another shape kept in `extra`), the tag
/// checked first.
fn from_json_impl(kit: &Kit, t: &KitTypeIr, fields: &[KitFieldIr]) -> TokenStream {
    let name = ident(&t.rust);
    let local = |f: &KitFieldIr| ident(&format!("f_{}", f.field.trim_end_matches('_')));
    let tag_check = t.tag.as_ref().map(|tag| {
        quote! {
            if map.get("type").and_then(::serde_json::Value::as_str) != Some(#tag) {
                return None;
            }
        }
    });
    let locals = fields.iter().map(|f| {
        let (l, ty) = (local(f), field_type(kit, f));
        quote! { let mut #l: Option<#ty> = None; }
    });
    let arms = fields.iter().map(|f| {
        let (l, w) = (local(f), &f.wire);
        quote! { #w => crate::block_kit::field(v, &mut #l, k, &mut extra), }
    });
    let tag_arm = t.tag.as_ref().map(|_| quote! { "type" => {} });
    let builds = fields.iter().map(|f| {
        let (n, l) = (ident(&f.field), local(f));
        if f.required {
            quote! { #n: #l?, }
        } else {
            quote! { #n: #l, }
        }
    });
    quote! {
        impl crate::block_kit::FromJson for #name {
            fn from_json(value: &::serde_json::Value) -> Option<Self> {
                let map = value.as_object()?;
                #tag_check
                let mut extra = ::serde_json::Map::new();
                #(#locals)*
                for (k, v) in map {
                    match k.as_str() {
                        #tag_arm
                        #(#arms)*
                        _ => {
                            extra.insert(k.clone(), v.clone());
                        }
                    }
                }
                Some(Self { #(#builds)* extra })
            }
        }
    }
}

/// Encoding through serde: the tag, the fields, then `extra`.
fn serialize_impl(t: &KitTypeIr, fields: &[KitFieldIr]) -> TokenStream {
    let name = ident(&t.rust);
    let tag_put = t.tag.as_ref().map(|tag| quote! { out.entry("type", #tag)?; });
    let puts = fields.iter().map(|f| {
        let (n, w) = (ident(&f.field), &f.wire);
        if f.required {
            quote! { out.entry(#w, &self.#n)?; }
        } else if kit_json(&f.ty) {
            // Free-form JSON: marked untyped for the typing coverage count (output unchanged).
            quote! { out.raw_field(#w, &self.#n)?; }
        } else {
            quote! { out.field(#w, &self.#n)?; }
        }
    });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut out = crate::lenient::Writer::new(s)?;
                #tag_put
                #(#puts)*
                out.finish(&self.extra)
            }
        }
    }
}

/// Direct JSON text: keys and the tag quoted here, in the order `Serialize` writes them. After
/// the tag every key follows a value; without one, the writer puts the comma where needed.
fn write_json_impl(t: &KitTypeIr, fields: &[KitFieldIr]) -> TokenStream {
    let name = ident(&t.rust);
    let quoted = |w: &str| serde_json::to_string(w).expect("a string serialises");
    let open = match &t.tag {
        Some(tag) => format!("{{\"type\":{}", quoted(tag)),
        None => "{".to_owned(),
    };
    let writes = fields.iter().map(|f| {
        let n = ident(&f.field);
        let key = if t.tag.is_some() {
            let k = format!(",{}:", quoted(&f.wire));
            quote! { out.raw(#k); }
        } else {
            let k = format!("{}:", quoted(&f.wire));
            quote! { out.key(#k); }
        };
        if f.required {
            quote! { #key crate::block_kit::WriteJson::write_json(&self.#n, out); }
        } else {
            quote! {
                if let Some(x) = &self.#n {
                    #key
                    crate::block_kit::WriteJson::write_json(x, out);
                }
            }
        }
    });
    quote! {
        impl crate::block_kit::WriteJson for #name {
            fn write_json(&self, out: &mut crate::block_kit::JsonWriter) {
                out.raw(#open);
                #(#writes)*
                out.extra(&self.extra);
                out.raw("}");
            }
        }
    }
}

/// `validate_at` of a struct.
fn validate_body(kit: &Kit, t: &KitTypeIr, fields: &[KitFieldIr], groups: &[GroupIr]) -> TokenStream {
    let mut checks: Vec<TokenStream> = Vec::new();
    for f in fields {
        length_checks(kit, t, f, &mut checks);
        field_checks(kit, t, f, &mut checks);
    }
    type_checks(t, fields, groups, &mut checks);
    let (at, v) = if checks.is_empty() { (quote! { _at }, quote! { _v }) } else { (quote! { at }, quote! { v }) };
    quote! {
        fn validate_at<'a>(&'a self, #at: &crate::block_kit::Path<'_>, #v: &mut crate::block_kit::Validator<'a>) {
            #(#checks)*
        }
    }
}

/// The path of a field's limit constant.
fn limit_path(t: &KitTypeIr, f: &KitFieldIr, limit: &str) -> TokenStream {
    let c = const_name(t, f, limit);
    quote! { crate::block_kit::limits::#c }
}

/// The limit constant's path where the field has the limit, `default` otherwise.
fn limit_or(t: &KitTypeIr, f: &KitFieldIr, value: Option<usize>, limit: &str, default: TokenStream) -> TokenStream {
    match value {
        Some(_) => limit_path(t, f, limit),
        None => default,
    }
}

/// The checks of a field's own value: a string's length and format, an integer's range, a text
/// object's length (or each of a list of them). A text object's own `text` is checked by the
/// field that holds it.
fn length_checks(kit: &Kit, t: &KitTypeIr, f: &KitFieldIr, checks: &mut Vec<TokenStream>) {
    let skip_own_text = kit.is_text(&t.name);
    let (n, w) = (ident(&f.field), f.wire.as_str());
    let l = &f.limits;
    let here = quote! { &at.key(#w) };
    let cname = |limit: &str| limit_path(t, f, limit);
    let opt_usize = |v: Option<usize>, limit: &str, default: TokenStream| limit_or(t, f, v, limit, default);
    let text = text_leaf(kit, f);
    match (&f.ty, text) {
        (KitType::String, _) if !(skip_own_text && w == "text") => {
            let s = if f.required { quote! { Some(self.#n.as_str()) } } else { quote! { self.#n.as_deref() } };
            if l.min_length.is_some() || l.max_length.is_some() {
                let min = opt_usize(l.min_length, "MIN_LENGTH", quote! { 0 });
                let max = opt_usize(l.max_length, "MAX_LENGTH", quote! { usize::MAX });
                checks.push(quote! { v.len(#s, #here, #min, #max); });
            }
            if let Some(fmt) = l.format {
                let fv = ident(fmt.variant());
                checks.push(quote! { v.format(#s, #here, crate::block_kit::Format::#fv); });
            }
        }
        (KitType::Integer, _) if l.minimum.is_some() || l.maximum.is_some() => {
            let x = if f.required { quote! { Some(self.#n) } } else { quote! { self.#n } };
            let min = if l.minimum.is_some() { let c = cname("MINIMUM"); quote! { Some(#c) } } else { quote! { None } };
            let max = if l.maximum.is_some() { let c = cname("MAXIMUM"); quote! { Some(#c) } } else { quote! { None } };
            checks.push(quote! { v.range(#x, #here, #min, #max); });
        }
        (KitType::Named(_), Some(tn)) => {
            let (dmin, dmax) = text_limits(kit, tn);
            let min = match (l.min_length, dmin) {
                (Some(_), _) => cname("MIN_LENGTH"),
                (None, Some(_)) => default_text_const(kit, tn, "MIN_LENGTH"),
                _ => quote! { 0 },
            };
            let max = match (l.max_length, dmax) {
                (Some(_), _) => cname("MAX_LENGTH"),
                (None, Some(_)) => default_text_const(kit, tn, "MAX_LENGTH"),
                _ => quote! { usize::MAX },
            };
            let x = if f.required { quote! { Some(&self.#n) } } else { quote! { self.#n.as_ref() } };
            checks.push(quote! { v.text(#x, #here, #min, #max); });
        }
        (KitType::Array(inner), Some(tn)) if matches!(**inner, KitType::Named(_)) => {
            let (dmin, dmax) = text_limits(kit, tn);
            let min = if dmin.is_some() { default_text_const(kit, tn, "MIN_LENGTH") } else { quote! { 0 } };
            let max = match (l.item_max_length, dmax) {
                (Some(_), _) => cname("ITEM_MAX_LENGTH"),
                (None, Some(_)) => default_text_const(kit, tn, "MAX_LENGTH"),
                _ => quote! { usize::MAX },
            };
            let items = if f.required { quote! { Some(&self.#n) } } else { quote! { self.#n.as_ref() } };
            checks.push(quote! {
                if let Some(items) = #items {
                    let here = at.key(#w);
                    for (i, item) in items.iter().enumerate() {
                        v.text(Some(item), &here.index(i), #min, #max);
                    }
                }
            });
        }
        _ => {}
    }
}

/// The checks of a field as a whole: an enum's known values, a list's item count, and the
/// checks of the Block Kit values it holds.
fn field_checks(kit: &Kit, t: &KitTypeIr, f: &KitFieldIr, checks: &mut Vec<TokenStream>) {
    let (n, w) = (ident(&f.field), f.wire.as_str());
    let l = &f.limits;
    let here = quote! { &at.key(#w) };
    let opt_usize = |v: Option<usize>, limit: &str, default: TokenStream| limit_or(t, f, v, limit, default);
    if let Some(e) = &f.enum_type {
        let en = ident(&e.name);
        let values: Vec<&str> = e.values.iter().map(|(w, _)| w.as_str()).collect();
        let allowed = quote! { &[#(#values),*] };
        checks.push(match (&f.ty, f.required) {
            (KitType::Array(_), true) => quote! {
                for (i, x) in self.#n.iter().enumerate() {
                    if let #en::Unknown(x) = x { v.not_allowed(x, &at.key(#w).index(i), #allowed); }
                }
            },
            (KitType::Array(_), false) => quote! {
                for (i, x) in self.#n.iter().flatten().enumerate() {
                    if let #en::Unknown(x) = x { v.not_allowed(x, &at.key(#w).index(i), #allowed); }
                }
            },
            (_, true) => quote! { if let #en::Unknown(x) = &self.#n { v.not_allowed(x, &at.key(#w), #allowed); } },
            (_, false) => quote! { if let Some(#en::Unknown(x)) = &self.#n { v.not_allowed(x, &at.key(#w), #allowed); } },
        });
    }
    if matches!(f.ty, KitType::Array(_)) && (l.min_items.is_some() || l.max_items.is_some()) {
        let min = opt_usize(l.min_items, "MIN_ITEMS", quote! { 0 });
        let max = opt_usize(l.max_items, "MAX_ITEMS", quote! { usize::MAX });
        let len = if f.required { quote! { Some(self.#n.len()) } } else { quote! { self.#n.as_ref().map(Vec::len) } };
        checks.push(quote! { v.items(#len, #here, #min, #max); });
    }
    // Recurse into Block Kit values (text objects are checked above, by their holder).
    if let KitType::Named(leaf) = f.ty.leaf() {
        if !kit.is_text(leaf) {
            let is_block_list = f.ty == KitType::Array(Box::new(KitType::Named("block".into())));
            match (is_block_list, t.surface) {
                (true, Some(s)) => {
                    let sv = ident(s.variant());
                    let surface = quote! { Some(crate::block_kit::Surface::#sv) };
                    checks.push(if f.required {
                        quote! { v.block_list(&self.#n, #here, #surface); }
                    } else {
                        quote! { if let Some(blocks) = &self.#n { v.block_list(blocks, #here, #surface); } }
                    });
                }
                _ => checks.push(quote! { crate::block_kit::Validate::validate_at(&self.#n, #here, v); }),
            }
        }
    }
}

/// The checks of the type as a whole: its `action_id`, the surfaces it may appear on, and its
/// groups of fields.
fn type_checks(t: &KitTypeIr, fields: &[KitFieldIr], groups: &[GroupIr], checks: &mut Vec<TokenStream>) {
    if fields.iter().any(|f| f.wire == "action_id" && f.ty == KitType::String) {
        let x = if fields.iter().any(|f| f.wire == "action_id" && f.required) {
            quote! { Some(self.action_id.as_str()) }
        } else {
            quote! { self.action_id.as_deref() }
        };
        checks.push(quote! { v.action_id(#x, at); });
    }
    if t.group != Group::Block && t.surfaces.is_some() {
        let kind = t.tag.clone().unwrap_or_else(|| t.name.clone());
        let s = surfaces_tokens(&t.surfaces);
        checks.push(quote! { v.surfaces(at, #kind, #s); });
    }
    for g in groups {
        let names: Vec<&str> = g.fields.iter().map(String::as_str).collect();
        let present = g.fields.iter().map(|f| {
            let n = ident(&crate::names::snake_name(f));
            quote! { self.#n.is_some() }
        });
        let m = ident(if g.exactly_one { "exactly_one_of" } else { "at_least_one_of" });
        checks.push(quote! { v.#m(at, &[#(#names),*], &[#(#present),*]); });
    }
}

/// The constant of a text object's own `text` limit.
fn default_text_const(kit: &Kit, name: &str, limit: &str) -> TokenStream {
    let member = match kit.get(name).map(|t| &t.kind) {
        Some(KindIr::Union(vs)) => vs.first().map(|v| v.member.clone()).unwrap_or_else(|| name.to_owned()),
        _ => name.to_owned(),
    };
    let c = ident(&format!("{}_TEXT_{limit}", member.to_uppercase()));
    quote! { crate::block_kit::limits::#c }
}

fn union_items(kit: &Kit, t: &KitTypeIr, docs: &TokenStream, vs: &[VariantIr]) -> TokenStream {
    let name = ident(&t.rust);
    let decl = vs.iter().map(|v| {
        let (var, m) = (ident(&v.variant), ident(&v.member_rust));
        let d = format!(" `type: {}`.", v.tag);
        quote! { #[doc = #d] #var(#m), }
    });
    let kinds = vs.iter().map(|v| {
        let (var, tag) = (ident(&v.variant), &v.tag);
        quote! { Self::#var(_) => Some(#tag), }
    });
    let shared = union_shared_fields(kit, vs);
    let conversions = union_conversions(kit, t, vs);
    let codec = union_codec(t, vs);
    let vals = vs.iter().map(|v| {
        let var = ident(&v.variant);
        quote! { Self::#var(x) => x.validate_at(at, v), }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        // Variants hold the kinds by value: boxing each would cost an allocation per block.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#decl)*
            /// A kind this version does not know, or a known kind that does not have the shape
            /// its spec gives, kept whole. Not validated.
            Unknown(::serde_json::Value),
        }

        impl #name {
            /// The `type`, as sent.
            pub fn kind(&self) -> Option<&str> {
                match self {
                    #(#kinds)*
                    Self::Unknown(v) => v.get("type").and_then(::serde_json::Value::as_str),
                }
            }
            #shared
        }

        #conversions
        #codec
        impl crate::block_kit::Validate for #name {
            fn validate_at<'a>(&'a self, at: &crate::block_kit::Path<'_>, v: &mut crate::block_kit::Validator<'a>) {
                match self {
                    #(#vals)*
                    Self::Unknown(_) => {}
                }
            }
        }
    }
}

/// What every member of a union has, read through it: `block_id()` where each has an optional
/// `block_id`, `surfaces()` for a union of blocks.
fn union_shared_fields(kit: &Kit, vs: &[VariantIr]) -> TokenStream {
    let members: Vec<&KitTypeIr> = vs.iter().filter_map(|v| kit.get(&v.member)).collect();
    let has_field = |m: &KitTypeIr, w: &str| match &m.kind {
        KindIr::Struct { fields, .. } => fields.iter().any(|f| f.wire == w && f.ty == KitType::String && !f.required),
        KindIr::Union(_) => false,
    };
    let block_id = (!members.is_empty() && members.iter().all(|m| has_field(m, "block_id"))).then(|| {
        let arms = vs.iter().map(|v| {
            let var = ident(&v.variant);
            quote! { Self::#var(x) => x.block_id.as_deref(), }
        });
        quote! {
            /// The `block_id`, if set.
            pub fn block_id(&self) -> Option<&str> {
                match self {
                    #(#arms)*
                    Self::Unknown(v) => v.get("block_id").and_then(::serde_json::Value::as_str),
                }
            }
        }
    });
    let surfaces = (!members.is_empty() && members.iter().all(|m| m.group == Group::Block)).then(|| {
        let arms = vs.iter().zip(&members).map(|(v, m)| {
            let var = ident(&v.variant);
            let s = surfaces_tokens(&m.surfaces);
            quote! { Self::#var(_) => #s, }
        });
        quote! {
            /// The surfaces this kind may appear on (every surface for an unknown kind).
            pub fn surfaces(&self) -> &'static [crate::block_kit::Surface] {
                match self {
                    #(#arms)*
                    Self::Unknown(_) => crate::block_kit::Surface::ALL,
                }
            }
        }
    });
    quote! { #block_id #surfaces }
}

/// A union's conversions: from each member, from text for a union of text objects.
fn union_conversions(kit: &Kit, t: &KitTypeIr, vs: &[VariantIr]) -> TokenStream {
    let name = ident(&t.rust);
    let froms = vs.iter().map(|v| {
        let (var, m) = (ident(&v.variant), ident(&v.member_rust));
        quote! {
            impl From<#m> for #name {
                fn from(value: #m) -> Self {
                    Self::#var(value)
                }
            }
        }
    });
    // A union of text objects takes `&str` as plain text, which Slack accepts wherever it
    // accepts either kind (mrkdwn has to be asked for: `Mrkdwn::new`).
    let plain_from_str = vs.iter().find(|v| v.member == "plain_text").filter(|_| kit.is_text(&t.name)).map(|v| {
        let (var, m) = (ident(&v.variant), ident(&v.member_rust));
        let doc = format!(" Plain text (`{}`); use `Mrkdwn::new` for mrkdwn.", v.tag);
        quote! {
            #[doc = #doc]
            impl From<&str> for #name {
                fn from(value: &str) -> Self {
                    Self::#var(#m::new(value))
                }
            }
            #[doc = #doc]
            impl From<String> for #name {
                fn from(value: String) -> Self {
                    Self::#var(#m::new(value))
                }
            }
        }
    });
    let text_impl = kit.is_text(&t.name).then(|| {
        let arms = vs.iter().map(|v| {
            let var = ident(&v.variant);
            quote! { Self::#var(x) => crate::block_kit::TextObject::text_str(x), }
        });
        quote! {
            impl crate::block_kit::TextObject for #name {
                fn text_str(&self) -> Option<&str> {
                    match self {
                        #(#arms)*
                        Self::Unknown(_) => None,
                    }
                }
            }
        }
    });
    quote! {
        #(#froms)*
        #plain_from_str
        #text_impl
    }
}

/// A union's decoding by `type` (a member of another shape kept whole) and its encodings.
fn union_codec(t: &KitTypeIr, vs: &[VariantIr]) -> TokenStream {
    let name = ident(&t.rust);
    let decodes = vs.iter().map(|v| {
        let (var, m, tag) = (ident(&v.variant), ident(&v.member_rust), &v.tag);
        quote! { Some(#tag) => #m::from_json(value).map_or_else(|| Self::Unknown(value.clone()), Self::#var), }
    });
    let sers = vs.iter().map(|v| {
        let var = ident(&v.variant);
        quote! { Self::#var(x) => ::serde::Serialize::serialize(x, s), }
    });
    let writes = vs.iter().map(|v| {
        let var = ident(&v.variant);
        quote! { Self::#var(x) => x.write_json(out), }
    });
    quote! {
        impl crate::block_kit::FromJson for #name {
            fn from_json(value: &::serde_json::Value) -> Option<Self> {
                Some(match value.get("type").and_then(::serde_json::Value::as_str) {
                    #(#decodes)*
                    _ => Self::Unknown(value.clone()),
                })
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#sers)*
                    Self::Unknown(x) => ::serde::Serialize::serialize(&crate::lenient::Untyped(x), s),
                }
            }
        }

        impl crate::block_kit::WriteJson for #name {
            fn write_json(&self, out: &mut crate::block_kit::JsonWriter) {
                match self {
                    #(#writes)*
                    Self::Unknown(x) => x.write_json(out),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::block_kit::strict(d)
            }
        }

        impl crate::lenient::Lenient for #name {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<crate::lenient::Got<Self>, D::Error> {
                crate::block_kit::lenient(d)
            }
        }
    }
}
