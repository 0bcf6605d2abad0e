//! `tests/src/generated/dispatch.rs`: the tests' view of every method by its wire name.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Arg, FieldIr, Method, ObjectKind};
use crate::spec::{ArgType, Scalar};
use super::common::ident;

/// `tests/src/generated/dispatch.rs`: decoding by method name, for the round-trip test over
/// Slack's example responses and the decoder's property test, and requests and answers with
/// every secret set, for the test that no credential reaches `Debug`, errors or logs.
pub fn dispatch_file(api: &Api) -> TokenStream {
    let roundtrip = roundtrip_items(api);
    let tally = tally_items(api);
    let methods = methods_table(api);
    let decode = decode_items(api);
    let secrets = secret_items(api);
    quote! {
        #roundtrip
        #tally
        #methods
        #decode
        #secrets
    }
}

/// The path of a method's request type as the tests name it (`::slack_api::chat::…`).
fn request_path(api: &Api, m: &Method) -> TokenStream {
    let (module, req) = (ident(&api_module(api, m)), ident(&m.request_type));
    quote! { ::slack_api::#module::#req }
}

/// `roundtrip_by_name`: an answer decoded and serialised back.
fn roundtrip_items(api: &Api) -> TokenStream {
    let arms = api.methods().map(|m| {
        let (wire, req) = (&m.wire_name, request_path(api, m));
        let typed = m.response.is_some();
        quote! { #wire => (#typed, roundtrip::<#req>(body)), }
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
    }
}

/// `tally_by_name`: an answer's typed and untyped leaves counted.
fn tally_items(api: &Api) -> TokenStream {
    let tally_arms = api.methods().map(|m| {
        let (wire, req) = (&m.wire_name, request_path(api, m));
        quote! { #wire => tally::<#req>(body), }
    });
    quote! {
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
    }
}

/// `METHODS`: every method's response fields and an answer with its secrets set.
fn methods_table(api: &Api) -> TokenStream {
    let methods = api.methods().map(|m| {
        let wire = &m.wire_name;
        let typed = m.response.is_some();
        let keys = m.response.iter().flatten().map(|f| &f.wire_name);
        let secrets = secret_template(api, m.response.as_deref().unwrap_or(&[]), 0).unwrap_or_else(|| "{}".into());
        quote! { (#wire, #typed, &[#(#keys),*], #secrets), }
    });
    quote! {
        /// Every method: its wire name, whether its response is typed, its response fields,
        /// and an answer (JSON text) with every secret field, nested ones included, set to
        /// `"MARKER"`.
        pub const METHODS: &[(&str, bool, &[&str], &str)] = &[#(#methods)*];
    }
}

/// `decode_by_name`: an answer decoded as the client does, success or error.
fn decode_items(api: &Api) -> TokenStream {
    let decode_arms = api.methods().map(|m| {
        let (wire, req) = (&m.wire_name, request_path(api, m));
        quote! { #wire => decode::<#req>(status, body), }
    });
    quote! {
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
    }
}

/// `secret_request`: a request of each method with secret arguments, every secret set.
fn secret_items(api: &Api) -> TokenStream {
    let secret_arms = api.methods().filter(|m| m.args.iter().any(|a| a.secret)).filter_map(|m| {
        let (wire, req) = (&m.wire_name, request_path(api, m));
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
