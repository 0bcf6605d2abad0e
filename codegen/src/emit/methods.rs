//! Methods → tokens: each method's request type, error enum and response, and the common errors.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::ir::{Api, Arg, ErrorVariant, FieldIr, Method, Pagination};
use crate::spec::{ArgType, ArrayEncoding, HttpMethod, RateLimit, Scalar};
use super::common::{Paths, debug_impl, doc_attrs, enum_type, field_type, field_types, ident, typed_struct};
use super::runtime::Runtime;
use super::docs;

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

/// Every item one method generates, naming the runtime through `rt`.
pub fn method(m: &Method, rt: Runtime) -> TokenStream {
    let paths = Paths::new(rt);
    let enums = m.args.iter().filter_map(|a| a.enum_type.as_ref()).map(|e| enum_type(e, rt));
    let request = request(m, rt);
    let error = error_enum(m, rt);
    let response = ident(&m.response_type);
    let response_doc = doc_attrs(&docs::response_doc(m, rt));
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
                    pub response_metadata: Option<#rt::ResponseMetadata>,
                },
            ];
            let s = typed_struct(&response, &response_doc, fields, &extra, &paths);
            let page = m.pagination.as_ref().map(|p| page_impl(&response, fields, p.list_field.as_deref(), &paths));
            quote! { #s #page }
        }
        None => quote! {
            #response_doc
            pub type #response = #rt::UntypedResponse;
        },
    };
    let field_enums = m.response.iter().flatten().map(|f| field_types(f, &paths));
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

fn scalar_type(s: Scalar, arg: &Arg, rt: Runtime) -> TokenStream {
    match s {
        Scalar::String => quote! { String },
        Scalar::Boolean => quote! { bool },
        Scalar::Integer => quote! { i64 },
        Scalar::Number => quote! { f64 },
        Scalar::Timestamp => quote! { #rt::Timestamp },
        Scalar::Object => quote! { ::serde_json::Value },
        Scalar::Json => quote! { #rt::Json },
        Scalar::Blocks => quote! { #rt::JsonArg<Vec<#rt::block_kit::Block>> },
        Scalar::Attachments => quote! { #rt::JsonArg<Vec<#rt::block_kit::Attachment>> },
        Scalar::View => quote! { #rt::JsonArg<#rt::block_kit::View> },
        Scalar::MessageMetadata => quote! { #rt::JsonArg<#rt::block_kit::MessageMetadata> },
        Scalar::EntityMetadata => quote! { #rt::JsonArg<#rt::block_kit::EntityMetadata> },
        Scalar::EntityComments => quote! { #rt::JsonArg<Vec<#rt::block_kit::EntityComment>> },
        Scalar::EntityComment => quote! { #rt::JsonArg<#rt::block_kit::EntityComment> },
        Scalar::Unfurls => quote! { #rt::JsonArg<::std::collections::BTreeMap<String, #rt::block_kit::Attachment>> },
        Scalar::Chunks => quote! { #rt::JsonArg<Vec<#rt::block_kit::Chunk>> },
        Scalar::Id(kind) => {
            let name = ident(kind.names().1);
            quote! { #rt::#name }
        }
        Scalar::Enum => {
            let name = ident(arg.enum_type.as_ref().map(|e| e.name.as_str()).unwrap_or("String"));
            quote! { #name }
        }
    }
}

/// The field's type, without `Option`.
fn value_type(a: &Arg, rt: Runtime) -> TokenStream {
    match &a.ty {
        ArgType::Scalar(s) => scalar_type(*s, a, rt),
        ArgType::Array(s) => {
            let t = scalar_type(*s, a, rt);
            quote! { Vec<#t> }
        }
        ArgType::File => quote! { #rt::FileUpload },
        ArgType::Token => quote! { () },
    }
}

/// The parameter type a constructor or setter takes, and the expression turning the parameter
/// `value` into the field's type.
fn param(a: &Arg, value: &Ident, rt: Runtime) -> (TokenStream, TokenStream) {
    match &a.ty {
        ArgType::Scalar(Scalar::Json) => (quote! { impl #rt::IntoJson }, quote! { #rt::IntoJson::into_json(#value) }),
        ArgType::Scalar(s @ (Scalar::Blocks | Scalar::Attachments | Scalar::Chunks | Scalar::EntityComments)) => {
            let item = match s {
                Scalar::Blocks => quote! { #rt::block_kit::Block },
                Scalar::Attachments => quote! { #rt::block_kit::Attachment },
                Scalar::EntityComments => quote! { #rt::block_kit::EntityComment },
                _ => quote! { #rt::block_kit::Chunk },
            };
            (
                quote! { impl IntoIterator<Item = impl Into<#item>> },
                quote! { #rt::JsonArg::Value(#value.into_iter().map(Into::into).collect()) },
            )
        }
        ArgType::Array(s) => {
            let t = scalar_type(*s, a, rt);
            (
                quote! { impl IntoIterator<Item = impl Into<#t>> },
                quote! { #value.into_iter().map(Into::into).collect() },
            )
        }
        _ => {
            let t = value_type(a, rt);
            (quote! { impl Into<#t> }, quote! { #value.into() })
        }
    }
}

fn request(m: &Method, rt: Runtime) -> TokenStream {
    let name = ident(&m.request_type);
    let error = ident(&m.error_type);
    let response = ident(&m.response_type);
    let docs = doc_attrs(&docs::method_doc(m, rt));
    let deprecated = deprecated_attr(m);
    let fields = m.args.iter().map(|a| {
        let f = ident(&a.field);
        let t = value_type(a, rt);
        let t = if a.required { t } else { quote! { Option<#t> } };
        let d = doc_attrs(&docs::arg_doc(a, &m.docs_url, rt));
        quote! { #d pub #f: #t, }
    });
    let allow = if m.deprecated.is_some() { quote! { #[allow(deprecated)] } } else { quote! {} };
    let builder = builder(m, rt);
    let info = method_info(m, rt);
    let writes = write_args(m, rt);
    let args_param = if m.args.is_empty() { quote! { _args } } else { quote! { args } };
    let paginated = m.pagination.as_ref().map(|p| paginated_impl(&name, p, &allow, rt));
    let debug_fields: Vec<(Ident, bool, bool)> =
        m.args.iter().map(|a| (ident(&a.field), a.secret, !a.required)).collect();
    let (debug_derive, debug) = debug_impl(&name, &debug_fields, false, rt);
    let block_kit = block_kit_hook(m, rt);

    // Without required arguments, `new()` is a sensible default; with them there is none.
    let derives = if m.required_args().next().is_none() {
        quote! { #[derive(Clone, #debug_derive Default, PartialEq)] }
    } else {
        quote! { #[derive(Clone, #debug_derive PartialEq)] }
    };
    // rustdoc search finds the request by Slack's name (`chat.postMessage`) and by the name's
    // last part (`postMessage`), ahead of every other item.
    let wire = &m.wire_name;
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
        #builder

        #allow
        impl #rt::Method for #name {
            type Response = #response;
            type Error = #error;
            const INFO: &'static #rt::MethodInfo = #info;
            fn write_args(&self, #args_param: &mut #rt::wire::Args) {
                #writes
            }
            #block_kit
        }

        #debug

        #paginated
    }
}

/// `new` with the required arguments, and a setter per optional one.
fn builder(m: &Method, rt: Runtime) -> TokenStream {
    let name = ident(&m.request_type);
    let new_params = m.required_args().map(|a| {
        let f = ident(&a.field);
        let (p, _) = param(a, &f, rt);
        quote! { #f: #p }
    });
    let new_inits = m.args.iter().map(|a| {
        let f = ident(&a.field);
        if a.required {
            let (_, conv) = param(a, &f, rt);
            quote! { #f: #conv, }
        } else {
            quote! { #f: None, }
        }
    });
    let new_doc = doc_attrs(&docs::new_doc(m));
    let setters = m.optional_args().map(|a| {
        let f = ident(&a.field);
        let (p, conv) = param(a, &ident("value"), rt);
        let d = doc_attrs(&docs::setter_doc(a));
        quote! {
            #d
            pub fn #f(mut self, value: #p) -> Self {
                self.#f = Some(#conv);
                self
            }
        }
    });
    quote! {
        impl #name {
            #new_doc
            pub fn new(#(#new_params),*) -> Self {
                Self { #(#new_inits)* }
            }
            #(#setters)*
        }
    }
}

/// The method's `MethodInfo`: what the runtime needs to know to send it.
fn method_info(m: &Method, rt: Runtime) -> TokenStream {
    let wire = &m.wire_name;
    let http = match m.http_method {
        HttpMethod::Get => quote! { #rt::HttpMethod::Get },
        HttpMethod::Post => quote! { #rt::HttpMethod::Post },
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
        quote! { #rt::TokenScopes { token_type: #rt::TokenType::#k, scopes: &[#(#scopes),*] } }
    });
    let docs_url = &m.docs_url;
    let is_deprecated = m.deprecated.is_some();
    let idempotent = m.idempotent;
    let client_auth = m.client_auth;
    let groups = m.arg_groups.iter().map(|g| {
        let (args, required, exclusive) = (&g.args, g.required, g.exclusive);
        quote! { #rt::ArgGroup { args: &[#(#args),*], required: #required, exclusive: #exclusive } }
    });
    quote! {
        &#rt::MethodInfo {
            name: #wire,
            http_method: #http,
            rate_limit: #rt::RateLimitTier::#tier,
            token_types: &[#(#token_types),*],
            deprecated: #is_deprecated,
            idempotent: #idempotent,
            arg_groups: &[#(#groups),*],
            client_auth: #client_auth,
            docs_url: #docs_url,
        }
    }
}

/// The body of `write_args`: each argument put by its wire name, the way its type travels.
fn write_args(m: &Method, rt: Runtime) -> TokenStream {
    let writes = m.args.iter().map(|a| {
        let f = ident(&a.field);
        let w = &a.wire_name;
        let put = match &a.ty {
            ArgType::Array(_) => {
                let enc = match a.encoding {
                    ArrayEncoding::Comma => quote! { #rt::wire::ListEncoding::Comma },
                    ArrayEncoding::Json => quote! { #rt::wire::ListEncoding::Json },
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
    quote! { #(#writes)* }
}

/// `Paginated` for a method with a `cursor` argument.
fn paginated_impl(name: &Ident, p: &Pagination, allow: &TokenStream, rt: Runtime) -> TokenStream {
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
        impl #rt::Paginated for #name {
            const LIST_FIELD: Option<&'static str> = #list;
            fn set_cursor(&mut self, cursor: String) {
                #set
            }
        }
    }
}

/// `Method::validate_block_kit` for a method with Block Kit or JSON arguments.
fn block_kit_hook(m: &Method, rt: Runtime) -> Option<TokenStream> {
    let checks: Vec<TokenStream> = m
        .args
        .iter()
        .filter_map(|a| {
            let ArgType::Scalar(s) = a.ty else { return None };
            let (f, w) = (ident(&a.field), &a.wire_name);
            let check = match s {
                Scalar::Blocks => quote! { v.blocks(#w, x, #rt::block_kit::Surface::Message); },
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
                quote! { if let #rt::JsonArg::Value(x) = &self.#f { #check } }
            } else {
                quote! { if let Some(#rt::JsonArg::Value(x)) = &self.#f { #check } }
            })
        })
        .collect();
    (!checks.is_empty()).then(|| {
        quote! {
            fn validate_block_kit<'a>(&'a self, v: &mut #rt::block_kit::Validator<'a>) {
                #(#checks)*
            }
        }
    })
}

fn error_enum(m: &Method, rt: Runtime) -> TokenStream {
    let name = ident(&m.error_type);
    let docs = doc_attrs(&docs::error_enum_doc(m, rt));
    let ErrorArms { variants, from, code, desc } = error_arms(&m.errors);
    let common_or_unknown = quote! {
        match #rt::CommonError::from_code(code) {
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
    let common_doc = format!(" One of the [common errors]({}) any method can return.", rt.doc_path("CommonError"));
    let unknown_display = Literal::string(&format!("{} returned an undocumented error: {{}}", m.wire_name));
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #common_doc]
            Common(#rt::CommonError),
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

        impl #rt::MethodError for #name {
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
                        ::std::write!(f, "{}: {}", #rt::MethodError::code(self), d)
                    }
                    None => {
                        ::std::write!(f, #unknown_display, #rt::MethodError::code(self))
                    }
                }
            }
        }

        impl ::std::error::Error for #name {}
    }
}

/// `Page` for a paginated method's typed response: items typed where the list field is.
fn page_impl(name: &Ident, fields: &[FieldIr], list_field: Option<&str>, paths: &Paths) -> TokenStream {
    let rt = paths.runtime;
    let list = list_field.and_then(|l| fields.iter().find(|f| f.wire_name == l));
    let (item, take) = match list {
        Some(f) if matches!(f.ty, crate::spec::FieldType::Array(_)) => {
            let crate::spec::FieldType::Array(inner) = &f.ty else { unreachable!() };
            let t = field_type(f, inner, paths);
            let n = ident(&f.field);
            (t, quote! { self.#n.take().unwrap_or_default() })
        }
        _ => (
            quote! { ::serde_json::Value },
            quote! { #rt::lenient::take_list(&mut self.extra, field) },
        ),
    };
    quote! {
        impl #rt::Page for #name {
            type Item = #item;
            fn next_cursor(&self) -> Option<&str> {
                #rt::lenient::next_cursor(&self.response_metadata)
            }
            fn take_items(&mut self, field: &str) -> Vec<Self::Item> {
                let _ = field;
                #take
            }
        }
    }
}
