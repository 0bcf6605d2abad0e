//! Methods → tokens: request types, error enums, responses, and the shared pieces the other kinds use.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::docs;
use crate::ir::{Api, Arg, EnumType, ErrorVariant, FieldIr, Method, Object, ObjectKind};
use crate::spec::{ArgType, ArrayEncoding, HttpMethod, RateLimit, Scalar};

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

/// A methods crate's `generated/mod.rs`: its family modules, each behind its feature when
/// `gated` (a family with a crate of its own is gated by the crate being a dependency).
pub fn methods_mod_file(families: &[&crate::ir::Family], gated: bool) -> TokenStream {
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
            /// Block Kit: blocks, elements, composition objects, rich text, views, legacy
            /// attachments and message metadata, described in `spec/blocks/`. One set of types
            /// for both directions: decoded losslessly from Slack's answers, built with
            /// constructors and setters, checked by [`Validate`](block_kit::Validate) and by
            /// `Client::call` before sending.
            pub mod block_kit;
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

/// A hand-written `Debug` that shows `<redacted>` for secret fields (and, in `extra`, for
/// values under secret names), or `#[derive(Debug)]` where nothing is secret. `fields` are
/// (Rust field, secret, optional) triples in declaration order.
fn debug_impl(name: &Ident, fields: &[(Ident, bool, bool)], extra: bool) -> (TokenStream, TokenStream) {
    if !fields.iter().any(|(_, secret, _)| *secret) {
        return (quote! { Debug, }, quote! {});
    }
    let label = name.to_string();
    let entries = fields.iter().map(|(f, secret, optional)| {
        let key = f.to_string();
        match (secret, optional) {
            (false, _) => quote! { .field(#key, &self.#f) },
            (true, true) => quote! { .field(#key, &self.#f.as_ref().map(|_| crate::redact::Redacted)) },
            (true, false) => quote! { .field(#key, &crate::redact::Redacted) },
        }
    });
    let extra = if extra { quote! { .field("extra", &crate::redact::RedactedMap(&self.extra)) } } else { quote! {} };
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

/// `generated/common_errors.rs`.
pub fn common_errors_file(api: &Api) -> TokenStream {
    let errs = &api.common_errors;
    let docs = doc_attrs(&docs::common_errors_doc(errs));
    let ErrorArms { variants, from, code, desc } = error_arms(errs);
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum CommonError {
            #(#variants)*
        }

        impl CommonError {
            /// The variant for a wire code, if the code is one of the common errors.
            pub fn from_code(code: &str) -> Option<Self> {
                Some(match code {
                    #(#from)*
                    _ => return None,
                })
            }

            /// The code as Slack sends it in `error`.
            pub fn code(&self) -> &'static str {
                match self { #(#code)* }
            }

            /// Slack's description of the error.
            pub fn description(&self) -> &'static str {
                match self { #(#desc)* }
            }
        }

        impl ::std::fmt::Display for CommonError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}: {}", self.code(), self.description())
            }
        }

        impl ::std::error::Error for CommonError {}
    }
}

/// The pieces of an error enum, one per documented code: variants, `from_code` arms (wire code →
/// variant), `code` arms and `description` arms.
struct ErrorArms {
    variants: Vec<TokenStream>,
    from: Vec<TokenStream>,
    code: Vec<TokenStream>,
    desc: Vec<TokenStream>,
}

fn error_arms(errs: &[ErrorVariant]) -> ErrorArms {
    let mut arms = ErrorArms { variants: Vec::new(), from: Vec::new(), code: Vec::new(), desc: Vec::new() };
    for e in errs {
        let (v, c, d) = (ident(&e.variant), &e.code, &e.description);
        let doc = doc_attrs(&docs::error_variant_doc(e));
        arms.variants.push(quote! { #doc #v, });
        arms.from.push(quote! { #c => Self::#v, });
        arms.code.push(quote! { Self::#v => #c, });
        arms.desc.push(quote! { Self::#v => #d, });
    }
    arms
}

/// Every item one method generates.
pub fn method(m: &Method) -> TokenStream {
    let enums = m.args.iter().filter_map(|a| a.enum_type.as_ref()).map(enum_type);
    let request = request(m);
    let error = error_enum(m);
    let response = ident(&m.response_type);
    let response_doc = doc_attrs(&docs::response_doc(m));
    let response_items = match &m.response {
        Some(fields) => {
            let extra = [
                quote! { pub ok: bool, },
                quote! {
                    /// Comma-separated warning codes, if Slack sent any.
                    pub warning: Option<String>,
                },
                quote! {
                    /// Pagination cursor, warnings and messages.
                    pub response_metadata: Option<crate::ResponseMetadata>,
                },
            ];
            let s = typed_struct(&response, &response_doc, fields, &extra);
            let page = m.pagination.as_ref().map(|p| page_impl(&response, fields, p.list_field.as_deref()));
            quote! { #s #page }
        }
        None => quote! {
            #response_doc
            pub type #response = crate::UntypedResponse;
        },
    };
    let field_enums = m.response.iter().flatten().map(field_types);
    quote! {
        #(#enums)*
        #request
        #error
        #(#field_enums)*
        #response_items
    }
}

fn deprecated_attr(m: &Method) -> TokenStream {
    match &m.deprecated {
        Some(note) => quote! { #[deprecated(note = #note)] },
        None => quote! {},
    }
}

fn scalar_type(s: Scalar, arg: &Arg) -> TokenStream {
    match s {
        Scalar::String => quote! { String },
        Scalar::Boolean => quote! { bool },
        Scalar::Integer => quote! { i64 },
        Scalar::Number => quote! { f64 },
        Scalar::Timestamp => quote! { crate::Timestamp },
        Scalar::Object => quote! { ::serde_json::Value },
        Scalar::Json => quote! { crate::Json },
        Scalar::Blocks => quote! { crate::JsonArg<Vec<crate::block_kit::Block>> },
        Scalar::Attachments => quote! { crate::JsonArg<Vec<crate::block_kit::Attachment>> },
        Scalar::View => quote! { crate::JsonArg<crate::block_kit::View> },
        Scalar::MessageMetadata => quote! { crate::JsonArg<crate::block_kit::MessageMetadata> },
        Scalar::EntityMetadata => quote! { crate::JsonArg<crate::block_kit::EntityMetadata> },
        Scalar::EntityComments => quote! { crate::JsonArg<Vec<crate::block_kit::EntityComment>> },
        Scalar::EntityComment => quote! { crate::JsonArg<crate::block_kit::EntityComment> },
        Scalar::Unfurls => quote! { crate::JsonArg<::std::collections::BTreeMap<String, crate::block_kit::Attachment>> },
        Scalar::Chunks => quote! { crate::JsonArg<Vec<crate::block_kit::Chunk>> },
        Scalar::Id(kind) => {
            let name = ident(kind.names().1);
            quote! { crate::#name }
        }
        Scalar::Enum => {
            let name = ident(arg.enum_type.as_ref().map(|e| e.name.as_str()).unwrap_or("String"));
            quote! { #name }
        }
    }
}

/// The field's type, without `Option`.
fn value_type(a: &Arg) -> TokenStream {
    match &a.ty {
        ArgType::Scalar(s) => scalar_type(*s, a),
        ArgType::Array(s) => {
            let t = scalar_type(*s, a);
            quote! { Vec<#t> }
        }
        ArgType::File => quote! { crate::FileUpload },
        ArgType::Token => quote! { () },
    }
}

/// The parameter type a constructor or setter takes, and the expression turning the parameter
/// `value` into the field's type.
fn param(a: &Arg, value: &Ident) -> (TokenStream, TokenStream) {
    match &a.ty {
        ArgType::Scalar(Scalar::Json) => (quote! { impl crate::IntoJson }, quote! { crate::IntoJson::into_json(#value) }),
        ArgType::Scalar(s @ (Scalar::Blocks | Scalar::Attachments | Scalar::Chunks | Scalar::EntityComments)) => {
            let item = match s {
                Scalar::Blocks => quote! { crate::block_kit::Block },
                Scalar::Attachments => quote! { crate::block_kit::Attachment },
                Scalar::EntityComments => quote! { crate::block_kit::EntityComment },
                _ => quote! { crate::block_kit::Chunk },
            };
            (
                quote! { impl IntoIterator<Item = impl Into<#item>> },
                quote! { crate::JsonArg::Value(#value.into_iter().map(Into::into).collect()) },
            )
        }
        ArgType::Array(s) => {
            let t = scalar_type(*s, a);
            (
                quote! { impl IntoIterator<Item = impl Into<#t>> },
                quote! { #value.into_iter().map(Into::into).collect() },
            )
        }
        _ => {
            let t = value_type(a);
            (quote! { impl Into<#t> }, quote! { #value.into() })
        }
    }
}

fn request(m: &Method) -> TokenStream {
    let name = ident(&m.request_type);
    let error = ident(&m.error_type);
    let response = ident(&m.response_type);
    let docs = doc_attrs(&docs::method_doc(m));
    let deprecated = deprecated_attr(m);

    let fields = m.args.iter().map(|a| {
        let f = ident(&a.field);
        let t = value_type(a);
        let t = if a.required { t } else { quote! { Option<#t> } };
        let d = doc_attrs(&docs::arg_doc(a, &m.docs_url));
        quote! { #d pub #f: #t, }
    });

    let new_params = m.required_args().map(|a| {
        let f = ident(&a.field);
        let (p, _) = param(a, &f);
        quote! { #f: #p }
    });
    let new_inits = m.args.iter().map(|a| {
        let f = ident(&a.field);
        if a.required {
            let (_, conv) = param(a, &f);
            quote! { #f: #conv, }
        } else {
            quote! { #f: None, }
        }
    });
    let new_doc = doc_attrs(&docs::new_doc(m));

    let setters = m.optional_args().map(|a| {
        let f = ident(&a.field);
        let (p, conv) = param(a, &ident("value"));
        let d = doc_attrs(&docs::setter_doc(a));
        quote! {
            #d
            pub fn #f(mut self, value: #p) -> Self {
                self.#f = Some(#conv);
                self
            }
        }
    });

    let writes = m.args.iter().map(|a| {
        let f = ident(&a.field);
        let w = &a.wire_name;
        let put = match &a.ty {
            ArgType::Array(_) => {
                let enc = match a.encoding {
                    ArrayEncoding::Comma => quote! { crate::wire::ListEncoding::Comma },
                    ArrayEncoding::Json => quote! { crate::wire::ListEncoding::Json },
                };
                quote! { args.put_list(#w, value, #enc); }
            }
            ArgType::File => quote! { args.put_file(#w, value); },
            _ => quote! { args.put(#w, value); },
        };
        if a.required {
            quote! { { let value = &self.#f; #put } }
        } else {
            quote! { if let Some(value) = &self.#f { #put } }
        }
    });
    let args_param = if m.args.is_empty() { quote! { _args } } else { quote! { args } };

    let wire = &m.wire_name;
    let http = match m.http_method {
        HttpMethod::Get => quote! { crate::HttpMethod::Get },
        HttpMethod::Post => quote! { crate::HttpMethod::Post },
    };
    let tier = ident(match m.rate_limit {
        RateLimit::Tier1 => "Tier1",
        RateLimit::Tier2 => "Tier2",
        RateLimit::Tier3 => "Tier3",
        RateLimit::Tier4 => "Tier4",
        RateLimit::Special => "Special",
        RateLimit::None => "Unlimited",
    });
    let token_types = m.token_types.iter().map(|(kind, scopes)| {
        let k = ident(&crate::names::type_name(kind));
        quote! { crate::TokenScopes { token_type: crate::TokenType::#k, scopes: &[#(#scopes),*] } }
    });
    let docs_url = &m.docs_url;
    let is_deprecated = m.deprecated.is_some();
    let allow = if m.deprecated.is_some() { quote! { #[allow(deprecated)] } } else { quote! {} };
    let idempotent = m.idempotent;
    let client_auth = m.client_auth;
    let groups = m.arg_groups.iter().map(|g| {
        let (args, required, exclusive) = (&g.args, g.required, g.exclusive);
        quote! { crate::ArgGroup { args: &[#(#args),*], required: #required, exclusive: #exclusive } }
    });
    let paginated = m.pagination.as_ref().map(|p| {
        let f = ident(&p.cursor_field);
        let set = if p.cursor_required {
            quote! { self.#f = cursor; }
        } else {
            quote! { self.#f = Some(cursor); }
        };
        let list = match &p.list_field {
            Some(l) => quote! { Some(#l) },
            None => quote! { None },
        };
        quote! {
            #allow
            impl crate::Paginated for #name {
                const LIST_FIELD: Option<&'static str> = #list;
                fn set_cursor(&mut self, cursor: String) {
                    #set
                }
            }
        }
    });

    let debug_fields: Vec<(Ident, bool, bool)> =
        m.args.iter().map(|a| (ident(&a.field), a.secret, !a.required)).collect();
    let (debug_derive, debug) = debug_impl(&name, &debug_fields, false);
    let block_kit = block_kit_hook(m);

    // Without required arguments, `new()` is a sensible default; with them there is none.
    let derives = if m.required_args().next().is_none() {
        quote! { #[derive(Clone, #debug_derive Default, PartialEq)] }
    } else {
        quote! { #[derive(Clone, #debug_derive PartialEq)] }
    };
    // rustdoc search finds the request by Slack's name (`chat.postMessage`) and by the name's
    // last part (`postMessage`), ahead of every other item.
    let last = m.wire_name.rsplit('.').next().unwrap_or(&m.wire_name);
    let aliases = quote! { #[doc(alias = #wire)] #[doc(alias = #last)] };
    quote! {
        #docs
        #aliases
        #deprecated
        #derives
        #[non_exhaustive]
        #[must_use]
        pub struct #name {
            #(#fields)*
        }

        #allow
        impl #name {
            #new_doc
            pub fn new(#(#new_params),*) -> Self {
                Self { #(#new_inits)* }
            }
            #(#setters)*
        }

        #allow
        impl crate::Method for #name {
            type Response = #response;
            type Error = #error;
            const INFO: &'static crate::MethodInfo = &crate::MethodInfo {
                name: #wire,
                http_method: #http,
                rate_limit: crate::RateLimitTier::#tier,
                token_types: &[#(#token_types),*],
                deprecated: #is_deprecated,
                idempotent: #idempotent,
                arg_groups: &[#(#groups),*],
                client_auth: #client_auth,
                docs_url: #docs_url,
            };
            fn write_args(&self, #args_param: &mut crate::wire::Args) {
                #(#writes)*
            }
            #block_kit
        }

        #debug

        #paginated
    }
}

/// `Method::validate_block_kit` for a method with Block Kit or JSON arguments.
fn block_kit_hook(m: &Method) -> Option<TokenStream> {
    let checks: Vec<TokenStream> = m
        .args
        .iter()
        .filter_map(|a| {
            let ArgType::Scalar(s) = a.ty else { return None };
            let (f, w) = (ident(&a.field), &a.wire_name);
            let check = match s {
                Scalar::Blocks => quote! { v.blocks(#w, x, crate::block_kit::Surface::Message); },
                Scalar::Attachments => quote! { v.attachments(#w, x); },
                Scalar::View => quote! { v.view(#w, x); },
                Scalar::MessageMetadata
                | Scalar::EntityMetadata
                | Scalar::EntityComments
                | Scalar::EntityComment
                | Scalar::Unfurls
                | Scalar::Chunks => quote! { v.value(#w, x); },
                Scalar::Json => {
                    return Some(if a.required {
                        quote! { v.json(#w, &self.#f); }
                    } else {
                        quote! { if let Some(x) = &self.#f { v.json(#w, x); } }
                    });
                }
                _ => return None,
            };
            Some(if a.required {
                quote! { if let crate::JsonArg::Value(x) = &self.#f { #check } }
            } else {
                quote! { if let Some(crate::JsonArg::Value(x)) = &self.#f { #check } }
            })
        })
        .collect();
    (!checks.is_empty()).then(|| {
        quote! {
            fn validate_block_kit<'a>(&'a self, v: &mut crate::block_kit::Validator<'a>) {
                #(#checks)*
            }
        }
    })
}

fn error_enum(m: &Method) -> TokenStream {
    let name = ident(&m.error_type);
    let docs = doc_attrs(&docs::error_enum_doc(m));
    let ErrorArms { variants, from, code, desc } = error_arms(&m.errors);
    let common_or_unknown = quote! {
        match crate::CommonError::from_code(code) {
            Some(e) => Self::Common(e),
            None => Self::Unknown(code.to_owned()),
        }
    };
    let from_code = if m.errors.is_empty() {
        common_or_unknown
    } else {
        quote! {
            match code {
                #(#from)*
                _ => #common_or_unknown,
            }
        }
    };
    let method_name = &m.wire_name;
    let unknown_doc = format!(
        " A code that `{}`'s documentation does not list, kept as sent.",
        m.wire_name
    );
    let unknown_display = Literal::string(&format!("{} returned an undocumented error: {{}}", m.wire_name));
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// One of the [common errors](crate::CommonError) any method can return.
            Common(crate::CommonError),
            #[doc = #unknown_doc]
            Unknown(String),
        }

        impl #name {
            /// Slack's description of the error; `None` for an undocumented code.
            pub fn description(&self) -> Option<&'static str> {
                Some(match self {
                    #(#desc)*
                    Self::Common(e) => e.description(),
                    Self::Unknown(_) => return None,
                })
            }
        }

        impl crate::MethodError for #name {
            const METHOD: &'static str = #method_name;

            fn from_code(code: &str) -> Self {
                #from_code
            }

            fn code(&self) -> &str {
                match self {
                    #(#code)*
                    Self::Common(e) => e.code(),
                    Self::Unknown(code) => code,
                }
            }

            fn is_documented(&self) -> bool {
                !::std::matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.description() {
                    Some(d) => {
                        ::std::write!(f, "{}: {}", crate::MethodError::code(self), d)
                    }
                    None => {
                        ::std::write!(f, #unknown_display, crate::MethodError::code(self))
                    }
                }
            }
        }

        impl ::std::error::Error for #name {}
    }
}

pub(crate) fn enum_type(e: &EnumType) -> TokenStream {
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

        impl crate::wire::ToWire for #name {
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

        impl crate::lenient::FromScalar for #name {
            fn from_string(value: String) -> Result<Self, String> {
                Ok(Self::from(value))
            }
        }

        impl crate::lenient::Lenient for #name {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<crate::lenient::Got<Self>, D::Error> {
                d.deserialize_any(crate::lenient::ScalarV::<Self>::new())
            }
        }
    }
}

/// Where the types that fields name by spec name live. The shared objects' and the methods'
/// fields reach every named type through `crate::objects` (which re-exports the Block Kit
/// types they use); another generated file maps the names it resolves otherwise (its own
/// types, Block Kit's) to their paths.
#[derive(Default)]
pub(crate) struct TypePaths(pub(crate) std::collections::BTreeMap<String, TokenStream>);

impl TypePaths {
    /// The path of the type named `name` in the spec.
    fn path(&self, name: &str) -> TokenStream {
        match self.0.get(name) {
            Some(path) => path.clone(),
            None => {
                let t = ident(&crate::names::type_name(name));
                quote! { crate::objects::#t }
            }
        }
    }
}

/// The Rust type of a response or object field (without `Option`).
fn field_type(f: &FieldIr, ty: &crate::spec::FieldType) -> TokenStream {
    field_type_in(f, ty, &TypePaths::default())
}

/// [`field_type`], with the named types found through `paths`.
pub(crate) fn field_type_in(f: &FieldIr, ty: &crate::spec::FieldType, paths: &TypePaths) -> TokenStream {
    use crate::spec::FieldType as T;
    match ty {
        T::String => quote! { String },
        T::Boolean => quote! { bool },
        T::Integer => quote! { i64 },
        // The exact number as sent: integer or float.
        T::Number => quote! { ::serde_json::Number },
        T::Timestamp => quote! { crate::Timestamp },
        T::Id(kind) => {
            let name = ident(kind.names().1);
            quote! { crate::#name }
        }
        T::Enum => {
            let name = ident(f.enum_type.as_ref().map(|e| e.name.as_str()).unwrap_or("String"));
            quote! { #name }
        }
        T::Json => quote! { ::serde_json::Value },
        T::AnyScalar => quote! { crate::Scalar },
        T::LaxInteger => quote! { crate::LaxInt },
        T::Object(name) => paths.path(name),
        T::Array(inner) => {
            let t = field_type_in(f, inner, paths);
            quote! { Vec<#t> }
        }
        T::Map(inner) => {
            let t = field_type_in(f, inner, paths);
            quote! { crate::Keyed<#t> }
        }
        T::OneOf(_) => {
            let name = ident(f.one_of.as_ref().map(|o| o.name.as_str()).unwrap_or("Value"));
            quote! { #name }
        }
    }
}

/// The types a field declares for itself: an `enum`'s enum, a `one_of`'s enum.
pub(crate) fn field_types(f: &FieldIr) -> TokenStream {
    field_types_in(f, &TypePaths::default())
}

/// [`field_types`], with the named types found through `paths`.
pub(crate) fn field_types_in(f: &FieldIr, paths: &TypePaths) -> TokenStream {
    let e = f.enum_type.as_ref().map(enum_type);
    let o = f.one_of.as_ref().map(|o| one_of_type(f, o, paths));
    quote! { #e #o }
}

/// A `one_of<…>` field's enum: the variant for the JSON kind sent; a value of another kind (or
/// `null`) stays in the owner's `extra`, and so does one its variant's type does not take.
fn one_of_type(f: &FieldIr, o: &crate::ir::OneOfType, paths: &TypePaths) -> TokenStream {
    use crate::ir::JsonKind;
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
        let (v, t) = (ident(v), field_type_in(f, t, paths));
        quote! { #[doc = #d] #v(#t), }
    });
    let sers = o.variants.iter().map(|(v, _, _)| {
        let v = ident(v);
        quote! { Self::#v(v) => v.serialize(s), }
    });
    let arm = |kind: JsonKind| {
        o.variants.iter().find(|x| x.2 == kind).map_or(quote! { Ok(crate::lenient::Got::Raw(v)) }, |(v, t, _)| {
            let (v, t) = (ident(v), field_type_in(f, t, paths));
            quote! { <#t as crate::lenient::Lenient>::lenient(v).map(|g| g.map(Self::#v)) }
        })
    };
    let (scalar, mut object, array) = (arm(JsonKind::Scalar), arm(JsonKind::Object), arm(JsonKind::Array));
    // An object type and a map of one kind: the object when it takes every key sent (nothing
    // left in its `extra`, however deep the values it does not type), the map otherwise.
    let struct_variant = o.variants.iter().find(|x| x.2 == JsonKind::Object && matches!(x.1, crate::spec::FieldType::Object(_)));
    let map_variant = o.variants.iter().find(|x| x.2 == JsonKind::Object && matches!(x.1, crate::spec::FieldType::Map(_)));
    if let (Some((sv, st, _)), Some((mv, mt, _))) = (struct_variant, map_variant) {
        let (sv, st, mv, mt) = (ident(sv), field_type_in(f, st, paths), ident(mv), field_type_in(f, mt, paths));
        object = quote! {
            match <#st as crate::lenient::Lenient>::lenient(v.clone()) {
                Ok(crate::lenient::Got::Typed(o)) if o.extra.is_empty() => Ok(crate::lenient::Got::Typed(Self::#sv(o))),
                _ => <#mt as crate::lenient::Lenient>::lenient(v).map(|g| g.map(Self::#mv)),
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

        impl crate::lenient::Lenient for #name {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<crate::lenient::Got<Self>, D::Error> {
                let v = <::serde_json::Value as ::serde::Deserialize>::deserialize(d)?;
                let got: Result<crate::lenient::Got<Self>, ::serde_json::Error> = match &v {
                    ::serde_json::Value::Null => Ok(crate::lenient::Got::Raw(v)),
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
pub(crate) fn typed_struct(name: &Ident, docs: &TokenStream, fields: &[FieldIr], leading: &[TokenStream]) -> TokenStream {
    typed_struct_in(name, docs, fields, leading, &TypePaths::default())
}

/// [`typed_struct`], with the named types found through `paths`.
pub(crate) fn typed_struct_in(
    name: &Ident,
    docs: &TokenStream,
    fields: &[FieldIr],
    leading: &[TokenStream],
    paths: &TypePaths,
) -> TokenStream {
    let has_envelope = !leading.is_empty();
    let decls = fields.iter().map(|f| {
        let (n, t) = (ident(&f.field), field_type_in(f, &f.ty, paths));
        let d = doc_attrs(&docs::field_doc(f));
        quote! { #d pub #n: Option<#t>, }
    });
    let reads = fields.iter().map(|f| {
        let (n, w, t) = (ident(&f.field), &f.wire_name, field_type_in(f, &f.ty, paths));
        quote! { #w => crate::lenient::read::<#t, A>(map, &mut self.#n, &mut self.extra, key)?, }
    });
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
    let response_impl = if has_envelope {
        quote! {
            impl crate::Response for #name {
                fn is_ok(&self) -> bool {
                    self.ok
                }
                fn warnings(&self) -> Vec<&str> {
                    crate::lenient::warnings(&self.warning, &self.response_metadata)
                }
            }
        }
    } else {
        quote! {}
    };
    let (env_reads, env_puts) = if has_envelope {
        (
            quote! {
                "ok" => {
                    let got = map.next_value_seed(crate::lenient::Seed::<bool>::new())?;
                    let mut ok = None;
                    crate::lenient::store(&mut ok, &mut self.extra, key, got);
                    self.ok = ok.unwrap_or(false);
                }
                "warning" => crate::lenient::read::<String, A>(map, &mut self.warning, &mut self.extra, key)?,
                "response_metadata" => {
                    crate::lenient::read::<crate::ResponseMetadata, A>(map, &mut self.response_metadata, &mut self.extra, key)?
                }
            },
            quote! {
                if !self.extra.contains_key("ok") {
                    out.field("ok", &Some(self.ok))?;
                }
                out.field("warning", &self.warning)?;
                out.field("response_metadata", &self.response_metadata)?;
            },
        )
    } else {
        (quote! {}, quote! {})
    };
    let mut debug_fields: Vec<(Ident, bool, bool)> = Vec::new();
    if has_envelope {
        for f in ["ok", "warning", "response_metadata"] {
            debug_fields.push((ident(f), false, true));
        }
    }
    debug_fields.extend(fields.iter().map(|f| (ident(&f.field), f.secret, true)));
    let (debug_derive, debug) = debug_impl(name, &debug_fields, true);
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

        impl crate::lenient::Fields for #name {
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

        impl crate::lenient::Lenient for #name {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<crate::lenient::Got<Self>, D::Error> {
                crate::lenient::lenient_struct(d)
            }
        }

        #response_impl

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::lenient::strict_struct(d)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut out = crate::lenient::Writer::new(s)?;
                #env_puts
                #(#puts)*
                out.finish_declared(&self.extra, &[#env_names #(#wires),*])
            }
        }
    }
}

/// `Page` for a paginated method's typed response: items typed where the list field is.
fn page_impl(name: &Ident, fields: &[FieldIr], list_field: Option<&str>) -> TokenStream {
    let list = list_field.and_then(|l| fields.iter().find(|f| f.wire_name == l));
    let (item, take) = match list {
        Some(f) if matches!(f.ty, crate::spec::FieldType::Array(_)) => {
            let crate::spec::FieldType::Array(inner) = &f.ty else { unreachable!() };
            let t = field_type(f, inner);
            let n = ident(&f.field);
            (t, quote! { self.#n.take().unwrap_or_default() })
        }
        _ => (
            quote! { ::serde_json::Value },
            quote! { crate::lenient::take_list(&mut self.extra, field) },
        ),
    };
    quote! {
        impl crate::Page for #name {
            type Item = #item;
            fn next_cursor(&self) -> Option<&str> {
                crate::lenient::next_cursor(&self.response_metadata)
            }
            fn take_items(&mut self, field: &str) -> Vec<Self::Item> {
                let _ = field;
                #take
            }
        }
    }
}

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
    use crate::spec::FieldType as T;
    let fields_name = ident(&format!("{}Fields", o.type_name));
    let mut checks: Vec<TokenStream> = Vec::new();
    for f in fields {
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

fn object(o: &Object, checkable: &dyn Fn(&str) -> bool, consts: &mut Vec<TokenStream>) -> TokenStream {
    let name = ident(&o.type_name);
    let docs = doc_attrs(&docs::object_doc(o));
    match &o.kind {
        ObjectKind::Struct(fields) => {
            let enums = fields.iter().map(field_types);
            // The object is a thin pointer to its fields, allocated only once it has one (see
            // `lenient::Thin`): a list of `{}` then costs no more than its JSON text.
            let fields_name = ident(&format!("{}Fields", o.type_name));
            let fields_doc = format!(
                " The fields of a [`{}`], which derefs to them: read and set them as `{}.field`.",
                o.type_name,
                crate::names::snake_name(&o.wire_name)
            );
            let fields_docs = quote! { #[doc = #fields_doc] };
            let s = typed_struct(&fields_name, &fields_docs, fields, &[]);
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
        ObjectKind::Union { tag, variants } => {
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
    }
}

/// `tests/src/generated/dispatch.rs`: decoding by method name, for the round-trip test over
/// Slack's example responses and the decoder's property test, and requests and answers with
/// every secret set, for the test that no credential reaches `Debug`, errors or logs.
pub fn dispatch_file(api: &Api) -> TokenStream {
    let path = |m: &Method| {
        let (module, req) = (ident(&api_module(api, m)), ident(&m.request_type));
        quote! { ::slack_api::#module::#req }
    };
    let arms = api.methods().map(|m| {
        let (wire, req) = (&m.wire_name, path(m));
        let typed = m.response.is_some();
        quote! { #wire => (#typed, roundtrip::<#req>(body)), }
    });
    let tally_arms = api.methods().map(|m| {
        let (wire, req) = (&m.wire_name, path(m));
        quote! { #wire => tally::<#req>(body), }
    });
    let decode_arms = api.methods().map(|m| {
        let (wire, req) = (&m.wire_name, path(m));
        quote! { #wire => decode::<#req>(status, body), }
    });
    let methods = api.methods().map(|m| {
        let wire = &m.wire_name;
        let typed = m.response.is_some();
        let keys = m.response.iter().flatten().map(|f| &f.wire_name);
        let secrets = secret_template(api, m.response.as_deref().unwrap_or(&[]), 0).unwrap_or_else(|| "{}".into());
        quote! { (#wire, #typed, &[#(#keys),*], #secrets), }
    });
    let secret_arms = api.methods().filter(|m| m.args.iter().any(|a| a.secret)).filter_map(|m| {
        let (wire, req) = (&m.wire_name, path(m));
        let mut new_args = Vec::new();
        for a in m.required_args() {
            new_args.push(sample_value(a)?);
        }
        let setters = m.optional_args().filter(|a| a.secret).map(|a| {
            let f = ident(&a.field);
            let v = sample_value(a).unwrap_or_else(|| quote! { marker });
            quote! { .#f(#v) }
        });
        Some(quote! {
            #wire => {
                let request = #req::new(#(#new_args),*) #(#setters)*;
                let mut args = ::slack_api::wire::Args::new();
                ::slack_api::Method::write_args(&request, &mut args);
                SecretRequest {
                    debug: format!("{request:?} {request:#?}"),
                    args_debug: format!("{args:?}"),
                    form: args.to_form(),
                    call: Box::pin(async move { format!("{:?}", client.call(&request).await) }),
                }
            }
        })
    });
    quote! {
        /// Decodes `body` as the successful response of `method` with the crate's types and
        /// serialises it back. `None` for a method the crate does not have; the `bool` says
        /// whether the response type is typed (rather than `UntypedResponse`).
        #[allow(deprecated)]
        pub fn roundtrip_by_name(
            method: &str,
            body: &[u8],
        ) -> Option<(bool, Result<::serde_json::Value, String>)> {
            Some(match method {
                #(#arms)*
                _ => return None,
            })
        }

        fn roundtrip<M: ::slack_api::Method>(body: &[u8]) -> Result<::serde_json::Value, String>
        where
            M::Response: ::serde::Serialize,
        {
            let response = ::slack_api::decode_response::<M>(200, body).map_err(|e| e.to_string())?;
            ::serde_json::to_value(&response).map_err(|e| e.to_string())
        }

        /// Decodes `body` as the successful response of `method` and counts its typed and
        /// untyped leaves (see [`crate::coverage`]). `None` for a method the crate does not have.
        #[allow(deprecated)]
        pub fn tally_by_name(method: &str, body: &[u8]) -> Option<Result<crate::coverage::Tally, String>> {
            Some(match method {
                #(#tally_arms)*
                _ => return None,
            })
        }

        fn tally<M: ::slack_api::Method>(body: &[u8]) -> Result<crate::coverage::Tally, String>
        where
            M::Response: ::serde::Serialize,
        {
            let response = ::slack_api::decode_response::<M>(200, body).map_err(|e| e.to_string())?;
            crate::coverage::tally(&response).map_err(|e| e.to_string())
        }

        /// Every method: its wire name, whether its response is typed, its response fields,
        /// and an answer (JSON text) with every secret field, nested ones included, set to
        /// `"MARKER"`.
        pub const METHODS: &[(&str, bool, &[&str], &str)] = &[#(#methods)*];

        /// What [`decode_by_name`] made of an answer.
        #[derive(Debug)]
        pub enum Decoded {
            /// The response, serialised back, and its `Debug` and `{:#?}` text.
            Ok { json: ::serde_json::Value, debug: String },
            /// `Error::Api`: the code as the method's error enum gives it back, and the error's
            /// `Debug` and `Display` text.
            Api { code: String, status: u16, text: String },
            /// `Error::Http` or `Error::Decode`: the status, the snippet, and the error's text.
            Snippet { status: u16, snippet: String, text: String },
            /// Any other error (decoding alone should produce none).
            Other(String),
        }

        /// Decodes an answer to `method` as the client does. `None` for a method the crate
        /// does not have.
        #[allow(deprecated)]
        pub fn decode_by_name(method: &str, status: u16, body: &[u8]) -> Option<Decoded> {
            Some(match method {
                #(#decode_arms)*
                _ => return None,
            })
        }

        fn decode<M: ::slack_api::Method>(status: u16, body: &[u8]) -> Decoded
        where
            M::Response: ::serde::Serialize + ::std::fmt::Debug,
        {
            use ::slack_api::MethodError as _;
            match ::slack_api::decode_response::<M>(status, body) {
                Ok(r) => Decoded::Ok {
                    json: ::serde_json::to_value(&r).unwrap_or(::serde_json::Value::Null),
                    debug: format!("{r:?} {r:#?}"),
                },
                Err(e) => {
                    let text = format!("{e:?} {e:#?} {e}");
                    match e {
                        ::slack_api::Error::Api(a) => Decoded::Api { code: a.error.code().to_owned(), status: a.status, text },
                        ::slack_api::Error::Http { status, body, .. } | ::slack_api::Error::Decode { status, body, .. } => {
                            Decoded::Snippet { status, snippet: body, text }
                        }
                        _ => Decoded::Other(text),
                    }
                }
            }
        }

        /// A request of a method with secret arguments, built with every one of them (and
        /// every required argument) set from the marker.
        pub struct SecretRequest {
            /// `{:?}` and `{:#?}` of the request.
            pub debug: String,
            /// `{:?}` of its written arguments.
            pub args_debug: String,
            /// The form body it would send.
            pub form: String,
            /// Sends it with the client; the `Debug` of the outcome.
            pub call: ::std::pin::Pin<Box<dyn ::std::future::Future<Output = String> + Send>>,
        }

        /// The request of `method` with its secrets set to `marker`; `None` for a method
        /// without secret arguments.
        #[allow(deprecated)]
        pub fn secret_request(method: &str, marker: &'static str, client: ::slack_api::Client) -> Option<SecretRequest> {
            Some(match method {
                #(#secret_arms)*
                _ => return None,
            })
        }
    }
}

/// A value for an argument in [`dispatch_file`]'s secret requests: the marker for a secret of
/// a text-like type, a fixed value otherwise. `None` for a file.
fn sample_value(a: &Arg) -> Option<TokenStream> {
    let text = if a.secret { quote! { marker } } else { quote! { "sample" } };
    let scalar = |s: Scalar| match s {
        Scalar::Boolean => quote! { false },
        Scalar::Integer => quote! { 0i64 },
        Scalar::Number => quote! { 0.0f64 },
        Scalar::Object | Scalar::Json => quote! { ::serde_json::Value::String(#text.to_owned()) },
        Scalar::Blocks => quote! { ::std::iter::empty::<::slack_api::block_kit::Block>() },
        Scalar::Attachments => quote! { ::std::iter::empty::<::slack_api::block_kit::Attachment>() },
        Scalar::Chunks => quote! { ::std::iter::empty::<::slack_api::block_kit::Chunk>() },
        Scalar::EntityComments => quote! { ::std::iter::empty::<::slack_api::block_kit::EntityComment>() },
        Scalar::View | Scalar::MessageMetadata | Scalar::EntityMetadata | Scalar::EntityComment | Scalar::Unfurls => {
            quote! { ::slack_api::JsonArg::raw("{}") }
        }
        Scalar::String | Scalar::Timestamp | Scalar::Enum | Scalar::Id(_) => text.clone(),
    };
    match &a.ty {
        ArgType::Scalar(s) => Some(scalar(*s)),
        ArgType::Array(s) => {
            let v = scalar(*s);
            Some(quote! { [#v] })
        }
        ArgType::File | ArgType::Token => None,
    }
}

/// JSON text of an object with every secret field of `fields` (at any depth, through objects
/// and lists of objects) set to `"MARKER"`; `None` if there is none.
fn secret_template(api: &Api, fields: &[FieldIr], depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    let mut parts = Vec::new();
    for f in fields {
        if f.secret {
            parts.push(format!("\"{}\":\"MARKER\"", f.wire_name));
            continue;
        }
        let (inner, list) = match &f.ty {
            crate::spec::FieldType::Object(o) => (o, false),
            crate::spec::FieldType::Array(t) => match &**t {
                crate::spec::FieldType::Object(o) => (o, true),
                _ => continue,
            },
            _ => continue,
        };
        let Some(ObjectKind::Struct(obj)) = api.objects.iter().find(|x| x.wire_name == *inner).map(|x| &x.kind) else {
            continue;
        };
        if let Some(t) = secret_template(api, obj, depth + 1) {
            parts.push(if list { format!("\"{}\":[{t}]", f.wire_name) } else { format!("\"{}\":{t}", f.wire_name) });
        }
    }
    (!parts.is_empty()).then(|| format!("{{{}}}", parts.join(",")))
}

fn api_module(api: &Api, m: &Method) -> String {
    api.families
        .iter()
        .find(|f| f.methods.iter().any(|x| x.wire_name == m.wire_name))
        .map(|f| f.module.clone())
        .unwrap_or_default()
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
    let families: Vec<_> = api.families.iter().filter(|f| forwards_to.is_some() || crate::own_crate(&f.module).is_none()).collect();
    let all: Vec<String> = families.iter().map(|f| format!("\"{}\"", f.feature)).collect();
    out.push_str(&format!("full = [{}]\n", all.join(", ")));
    for f in families {
        out.push_str(&format!("# `{}.*`: {} method(s)\n", f.wire_name, f.methods.len()));
        match (forwards_to, crate::own_crate(&f.module)) {
            (Some(_), Some(krate)) => out.push_str(&format!("{} = [\"dep:{krate}\"]\n", f.feature)),
            (Some(methods), None) => out.push_str(&format!("{} = [\"{methods}/{}\"]\n", f.feature, f.feature)),
            (None, _) => out.push_str(&format!("{} = []\n", f.feature)),
        }
    }
    out
}
