//! The test kit's Web API (`slack-api-testkit`): for every method of the spec, a decoder that
//! reads a call back into the method's typed request (the inverse of the generated
//! `write_args`), the method's route (its facts, whether it takes JSON bodies, its
//! documentation example answer), and, for the kit's own tests, a call of every method with
//! sample arguments.
//!
//! The example answers come from `spec/examples/<method>.json` ([`crate::spec::examples`]; a
//! method without one answers `{"ok":true}`). Tokens only: the writer formats and writes them.
//!
//! Generated into the test kit, not into `slack-api`, so that the default build of
//! `slack-api` does not grow.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::common::ident;
use crate::ir::{Api, Arg, Method};
use crate::layout::{TESTKIT_SRC_DIR as SRC_DIR, TESTKIT_TESTS_DIR as TESTS_DIR};
use crate::spec::{ArgType, ArrayEncoding, Scalar};

/// The kit's generated files, given the example answers by method: each file's path, tokens
/// and the spec files it comes from.
pub fn files(api: &Api, examples: &BTreeMap<String, String>) -> Vec<(PathBuf, TokenStream, String)> {
    // An example of a method the spec no longer has is left for `import-examples` to remove
    // (it owns the directory): the methods decide what is generated.
    let mut files = Vec::new();
    let mut methods: Vec<(&str, &Method)> =
        api.families.iter().flat_map(|f| f.methods.iter().map(move |m| (f.module.as_str(), m))).collect();
    methods.sort_by(|a, b| a.1.wire_name.cmp(&b.1.wire_name));

    let mods = api.families.iter().map(|f| ident(&f.module));
    let routes = methods.iter().map(|(module, m)| route(module, m, examples.get(&m.wire_name)));
    let count = methods.len();
    let head = quote! {
        #(mod #mods;)*

        /// Every method of the spec, sorted by wire name.
        #[allow(deprecated)]
        pub(crate) static ROUTES: [crate::web_api::Route; #count] = [#(#routes),*];
    };
    files.push((Path::new(SRC_DIR).join("mod.rs"), head, "spec/methods/ and spec/examples/".to_owned()));
    for f in &api.families {
        let decoders = f.methods.iter().map(|m| decoder(&f.module, m));
        let body = quote! { #(#decoders)* };
        files.push((Path::new(SRC_DIR).join(format!("{}.rs", f.module)), body, format!("spec/methods/{}.*.yaml", f.wire_name)));
    }
    let calls = methods.iter().map(|(module, m)| sample_call(module, m));
    let samples = quote! {
        /// Calls every method of the spec once, with sample arguments, through `s.check`.
        #[allow(deprecated)]
        pub(crate) async fn every_method(s: &mut super::Samples) {
            #(#calls)*
        }
    };
    files.push((Path::new(TESTS_DIR).join("samples.rs"), samples, "spec/methods/".to_owned()));
    files
}

fn request_path(module: &str, m: &Method) -> TokenStream {
    let module = ident(module);
    let name = ident(&m.request_type);
    quote! { ::slack_api::#module::#name }
}

fn route(module: &str, m: &Method, example: Option<&String>) -> TokenStream {
    let path = request_path(module, m);
    let json = m.content_types.iter().any(|c| c == "application/json");
    let example = match example {
        Some(text) => quote! { Some(#text) },
        None => quote! { None },
    };
    quote! {
        crate::web_api::Route {
            info: <#path as ::slack_api::Method>::INFO,
            json: #json,
            example: #example,
            serve: crate::web_api::serve::<#path>,
        }
    }
}

/// The Rust type of a scalar argument, outside the methods crate.
fn scalar_path(module: &str, s: Scalar, arg: &Arg) -> TokenStream {
    let m = ident(module);
    match s {
        Scalar::String => quote! { String },
        Scalar::Boolean => quote! { bool },
        Scalar::Integer => quote! { i64 },
        Scalar::Number => quote! { f64 },
        Scalar::Timestamp => quote! { ::slack_api::Timestamp },
        Scalar::Object => quote! { ::serde_json::Value },
        Scalar::Json => quote! { ::slack_api::Json },
        Scalar::Blocks => quote! { ::slack_api::JsonArg<Vec<::slack_api::block_kit::Block>> },
        Scalar::Attachments => quote! { ::slack_api::JsonArg<Vec<::slack_api::block_kit::Attachment>> },
        Scalar::View => quote! { ::slack_api::JsonArg<::slack_api::block_kit::View> },
        Scalar::MessageMetadata => quote! { ::slack_api::JsonArg<::slack_api::block_kit::MessageMetadata> },
        Scalar::EntityMetadata => quote! { ::slack_api::JsonArg<::slack_api::block_kit::EntityMetadata> },
        Scalar::EntityComments => quote! { ::slack_api::JsonArg<Vec<::slack_api::block_kit::EntityComment>> },
        Scalar::EntityComment => quote! { ::slack_api::JsonArg<::slack_api::block_kit::EntityComment> },
        Scalar::Unfurls => {
            quote! { ::slack_api::JsonArg<::std::collections::BTreeMap<String, ::slack_api::block_kit::Attachment>> }
        }
        Scalar::Chunks => quote! { ::slack_api::JsonArg<Vec<::slack_api::block_kit::Chunk>> },
        Scalar::Id(kind) => {
            let name = ident(kind.names().1);
            quote! { ::slack_api::#name }
        }
        Scalar::Enum => {
            let name = ident(arg.enum_type.as_ref().map_or("String", |e| e.name.as_str()));
            quote! { ::slack_api::#m::#name }
        }
    }
}

/// The item type of a Block Kit list argument whose constructor parameter takes items
/// (`impl IntoIterator<Item = impl Into<Block>>`).
fn list_item(s: Scalar) -> Option<TokenStream> {
    match s {
        Scalar::Blocks => Some(quote! { ::slack_api::block_kit::Block }),
        Scalar::Attachments => Some(quote! { ::slack_api::block_kit::Attachment }),
        Scalar::EntityComments => Some(quote! { ::slack_api::block_kit::EntityComment }),
        Scalar::Chunks => Some(quote! { ::slack_api::block_kit::Chunk }),
        _ => None,
    }
}

fn encoding(a: &Arg) -> TokenStream {
    match a.encoding {
        ArrayEncoding::Comma => quote! { ::slack_api::wire::ListEncoding::Comma },
        ArrayEncoding::Json => quote! { ::slack_api::wire::ListEncoding::Json },
    }
}

/// The expression reading argument `a` (`?` applied): required or optional, by its type.
fn read(module: &str, a: &Arg) -> TokenStream {
    let w = &a.wire_name;
    let values: Vec<&str> = a.enum_type.iter().flat_map(|e| e.values.iter().map(|(v, _)| v.as_str())).collect();
    let (one, list, enum_one, enum_list, file) = if a.required {
        (quote! { required }, quote! { required_list }, quote! { required_enum }, quote! { required_enum_list }, quote! { required_file })
    } else {
        (quote! { optional }, quote! { optional_list }, quote! { optional_enum }, quote! { optional_enum_list }, quote! { optional_file })
    };
    match &a.ty {
        ArgType::Scalar(Scalar::Enum) => {
            let t = scalar_path(module, Scalar::Enum, a);
            quote! { a.#enum_one::<#t>(#w, &[#(#values),*])? }
        }
        ArgType::Scalar(s) => {
            let t = scalar_path(module, *s, a);
            quote! { a.#one::<#t>(#w)? }
        }
        ArgType::Array(Scalar::Enum) => {
            let t = scalar_path(module, Scalar::Enum, a);
            let enc = encoding(a);
            quote! { a.#enum_list::<#t>(#w, #enc, &[#(#values),*])? }
        }
        ArgType::Array(s) => {
            let t = scalar_path(module, *s, a);
            let enc = encoding(a);
            quote! { a.#list::<#t>(#w, #enc)? }
        }
        ArgType::File => quote! { a.#file(#w)? },
        ArgType::Token => quote! { () },
    }
}

/// `impl Decode for <Request>`: required arguments through `new`, the others into their
/// fields. A Block Kit list the constructor takes as items is passed empty and set after.
fn decoder(module: &str, m: &Method) -> TokenStream {
    let path = request_path(module, m);
    let mut reads = Vec::new();
    let mut params = Vec::new();
    let mut sets = Vec::new();
    for a in m.required_args() {
        let f = ident(&a.field);
        let r = read(module, a);
        reads.push(quote! { let #f = #r; });
        match &a.ty {
            ArgType::Scalar(s) if list_item(*s).is_some() => {
                let item = list_item(*s);
                params.push(quote! { Vec::<#item>::new() });
                sets.push(quote! { r.#f = #f; });
            }
            _ => params.push(quote! { #f }),
        }
    }
    for a in m.optional_args() {
        let f = ident(&a.field);
        let r = read(module, a);
        sets.push(quote! { r.#f = #r; });
    }
    let reader = if m.args.is_empty() { quote! { _a } } else { quote! { a } };
    let mutable = if sets.is_empty() { quote! {} } else { quote! { mut } };
    quote! {
        #[allow(deprecated)]
        impl crate::web_api::Decode for #path {
            fn decode(#reader: &mut crate::web_api::Reader<'_>) -> Result<Self, crate::web_api::ArgError> {
                #(#reads)*
                let #mutable r = Self::new(#(#params),*);
                #(#sets)*
                Ok(r)
            }
        }
    }
}

/// A sample value of a scalar argument, as the constructor or a setter takes it.
fn sample_scalar(module: &str, s: Scalar, a: &Arg) -> TokenStream {
    let example = a.example.as_deref().filter(|e| !e.is_empty() && !e.contains('\n'));
    match s {
        Scalar::String => {
            let v = example.unwrap_or("sample");
            quote! { #v }
        }
        Scalar::Boolean => quote! { true },
        Scalar::Integer => {
            let n: i64 = example.and_then(|e| e.parse().ok()).unwrap_or(1);
            quote! { #n }
        }
        Scalar::Number => quote! { 1.0f64 },
        Scalar::Timestamp => quote! { "1503435956.000247" },
        Scalar::Object => quote! { ::serde_json::json!({}) },
        Scalar::Json => {
            let v = example.filter(|e| serde_json::from_str::<serde_json::Value>(e).is_ok()).unwrap_or("{}");
            quote! { ::slack_api::Json::raw(#v) }
        }
        Scalar::View => quote! {
            ::slack_api::block_kit::ModalView::new("Sample", [::slack_api::block_kit::DividerBlock::new()])
        },
        Scalar::Id(kind) => {
            let v = example.filter(|e| !e.contains(',') && !e.contains(' ')).map(str::to_owned).unwrap_or_else(|| {
                let prefix = match kind.names().0 {
                    "user_id" => "U",
                    "channel_id" => "C",
                    "team_id" => "T",
                    "enterprise_id" => "E",
                    "app_id" => "A",
                    "file_id" => "F",
                    "usergroup_id" => "S",
                    "function_id" => "Fn",
                    _ => "B",
                };
                format!("{prefix}0123456789")
            });
            quote! { #v }
        }
        Scalar::Enum => {
            let t = scalar_path(module, Scalar::Enum, a);
            let v = a.enum_type.as_ref().and_then(|e| e.values.first()).map_or("sample", |(v, _)| v.as_str());
            quote! { #t::from(#v) }
        }
        // Block Kit JSON the sample sets as a field (see `sample_call`).
        _ => quote! { () },
    }
}

/// A sample value of argument `a`, as its constructor parameter or setter takes it; `None`
/// for Block Kit JSON, which the sample sets as raw JSON text into the field.
fn sample_value(module: &str, a: &Arg) -> Option<TokenStream> {
    match &a.ty {
        ArgType::Scalar(
            Scalar::Blocks
            | Scalar::Attachments
            | Scalar::MessageMetadata
            | Scalar::EntityMetadata
            | Scalar::EntityComments
            | Scalar::EntityComment
            | Scalar::Unfurls
            | Scalar::Chunks,
        ) => None,
        ArgType::Scalar(s) => Some(sample_scalar(module, *s, a)),
        ArgType::Array(s) => {
            // An example of a list is the whole list (`['U1','U2']`), not an item.
            let item = Arg { example: None, ..a.clone() };
            let v = sample_scalar(module, *s, &item);
            Some(quote! { [#v] })
        }
        ArgType::File => Some(quote! { ::slack_api::FileUpload::new("sample.txt", &b"sample"[..]) }),
        ArgType::Token => None,
    }
}

/// Raw JSON text for a Block Kit argument in a sample.
fn sample_raw(a: &Arg) -> String {
    let from_example = a.example.as_deref().filter(|e| serde_json::from_str::<serde_json::Value>(e).is_ok());
    match (&a.ty, from_example) {
        (_, Some(e)) => e.to_owned(),
        (ArgType::Scalar(Scalar::Unfurls | Scalar::MessageMetadata | Scalar::EntityMetadata | Scalar::EntityComment), None) => "{}".into(),
        _ => "[]".into(),
    }
}

/// One `s.check(request).await` with the method's required arguments, one argument of each
/// required group, and, for the OAuth exchange, the client credentials.
fn sample_call(module: &str, m: &Method) -> TokenStream {
    let path = request_path(module, m);
    let mut params = Vec::new();
    let mut after = Vec::new();
    for a in m.required_args() {
        let f = ident(&a.field);
        match (&a.ty, sample_value(module, a)) {
            (ArgType::Scalar(s), _) if list_item(*s).is_some() => {
                let item = list_item(*s);
                params.push(quote! { Vec::<#item>::new() });
                let raw = sample_raw(a);
                after.push(quote! { r.#f = ::slack_api::JsonArg::raw(#raw); });
            }
            (_, Some(v)) => params.push(v),
            (_, None) => {
                let raw = sample_raw(a);
                params.push(quote! { ::slack_api::JsonArg::raw(#raw) });
            }
        }
    }
    let mut optional: Vec<&Arg> = Vec::new();
    for g in m.arg_groups.iter().filter(|g| g.required) {
        let members: Vec<&Arg> = g.args.iter().filter_map(|n| m.args.iter().find(|a| &a.wire_name == n)).collect();
        if members.iter().any(|a| a.required || optional.iter().any(|o| o.wire_name == a.wire_name)) {
            continue;
        }
        // A plain argument if the group has one (text rather than blocks).
        let pick = members.iter().find(|a| matches!(a.ty, ArgType::Scalar(Scalar::String))).or(members.first());
        optional.extend(pick);
    }
    if m.client_auth {
        optional.extend(m.args.iter().filter(|a| a.wire_name == "client_id" || a.wire_name == "client_secret"));
    }
    for a in optional {
        let f = ident(&a.field);
        match sample_value(module, a) {
            Some(v) => after.push(quote! { r = r.#f(#v); }),
            None => {
                let raw = sample_raw(a);
                after.push(quote! { r.#f = Some(::slack_api::JsonArg::raw(#raw)); });
            }
        }
    }
    let mutable = if after.is_empty() { quote! {} } else { quote! { mut } };
    quote! {
        {
            let #mutable r = #path::new(#(#params),*);
            #(#after)*
            s.check(r).await;
        }
    }
}
