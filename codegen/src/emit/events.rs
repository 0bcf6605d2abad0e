//! Events IR → tokens: one struct per event and message subtype (the lenient, lossless structs
//! of [`crate::emit`]), the `Event` union by `type` and the `MessageEvent` union by `subtype`,
//! and one struct per type of the Events API's outer payloads (`spec/events/envelope/`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;
use crate::ir::events::{EVENT_UNION, EnvelopeIr, EventIr, EventsIr};
use crate::spec::events::Api as EventApi;
use super::common::{Paths, doc_attrs, field_types, ident, typed_struct};
use super::runtime::Runtime;
use super::docs::md;

/// The line of `generated/mod.rs` declaring the events module.
pub fn mod_item(api: &Api) -> TokenStream {
    if api.events.is_empty() {
        return quote! {};
    }
    quote! {
        /// Event payloads and the Events API's outer payloads, described in `spec/events/`;
        /// re-exported by `crate::events`.
        pub(crate) mod event_types;
    }
}

/// An event's docs; `body` is the envelope type of the same payload, for an event the Events API
/// sends as a body of its own.
fn event_doc(e: &EventIr, subtype: bool, body: Option<&EnvelopeIr>) -> Vec<String> {
    let mut d: Vec<String> = md(&e.description, false).lines().map(|l| l.trim_end().to_owned()).collect();
    d.push(String::new());
    if subtype {
        d.push(format!("A `message` event with `subtype: {}`.", e.wire));
    } else {
        d.push(format!("Payload `type`: `{}`.", e.wire));
    }
    if let Some(long) = &e.long_description {
        d.push(String::new());
        d.extend(md(long, false).lines().map(|l| l.trim_end().to_owned()));
    }
    d.push(String::new());
    if let Some(t) = body {
        d.push(format!(
            "The Events API sends this payload as a body of its own, not as the `event` of an `event_callback`: \
             there it decodes as [`{}`] (a kind of [`EventsApiPayload`](crate::events::EventsApiPayload)).",
            t.type_name
        ));
        d.push(String::new());
    }
    if !e.apis.is_empty() {
        let apis: Vec<&str> = e
            .apis
            .iter()
            .map(|a| match a {
                EventApi::Events => "Events API (HTTP and Socket Mode)",
                EventApi::Rtm => "RTM",
            })
            .collect();
        d.push(format!("Delivered by: {}.", apis.join(", ")));
        d.push(String::new());
    }
    if !e.scopes.is_empty() {
        let s: Vec<String> = e.scopes.iter().map(|s| format!("`{s}`")).collect();
        d.push(format!("Scopes: {}.", s.join(", ")));
        d.push(String::new());
    }
    for (name, desc, scopes) in &e.subscriptions {
        let s: Vec<String> = scopes.iter().map(|s| format!("`{s}`")).collect();
        let scopes = if s.is_empty() { String::new() } else { format!(" (scopes {})", s.join(", ")) };
        d.push(format!("- Subscription `{name}`{scopes}: {}", md(desc, true)));
    }
    if !e.subscriptions.is_empty() {
        d.push(String::new());
    }
    if let Some(url) = &e.docs_url {
        d.push(format!("Slack's reference: <{url}>."));
        d.push(String::new());
    }
    d.push(format!("Generated from `{}`.", e.spec_file));
    d
}

fn event_struct(e: &EventIr, subtype: bool, body: Option<&EnvelopeIr>) -> TokenStream {
    let name = ident(&e.type_name);
    let docs = doc_attrs(&event_doc(e, subtype, body));
    // The model crate's own file.
    let paths = Paths::new(Runtime::Crate);
    let enums = e.fields.iter().map(|f| field_types(f, &paths));
    let s = typed_struct(&name, &docs, &e.fields, &[], &paths);
    quote! { #(#enums)* #s }
}

fn envelope_doc(t: &EnvelopeIr) -> Vec<String> {
    let mut d: Vec<String> = md(&t.description, false).lines().map(|l| l.trim_end().to_owned()).collect();
    d.push(String::new());
    if let Some(event) = &t.event {
        d.push(format!(
            "Slack's event reference lists the same payload as [`{event}`] (a kind of [`Event`]), but the Events API \
             sends it as a body of its own, not as the `event` of an `event_callback`."
        ));
        d.push(String::new());
    }
    if let Some(url) = &t.docs_url {
        d.push(format!("Slack's reference: <{url}>."));
        d.push(String::new());
    }
    d.push(format!("Generated from `{}`.", t.spec_file));
    d
}

/// The envelope types: lenient, lossless structs like the events', whose fields may name each
/// other and the `Event` union (the model crate's own file).
fn envelope_structs(ev: &EventsIr) -> TokenStream {
    let mut paths = Paths::new(Runtime::Crate);
    paths.named.insert(EVENT_UNION.to_owned(), quote! { crate::events::Event });
    for t in &ev.envelope {
        let n = ident(&t.type_name);
        paths.named.insert(t.name.clone(), quote! { crate::events::#n });
    }
    let items = ev.envelope.iter().map(|t| {
        let (name, docs) = (ident(&t.type_name), doc_attrs(&envelope_doc(t)));
        let enums = t.fields.iter().map(|f| field_types(f, &paths));
        let s = typed_struct(&name, &docs, &t.fields, &[], &paths);
        quote! { #(#enums)* #s }
    });
    quote! { #(#items)* }
}

/// A field every event may carry, read the same way on each: `(method, wire key, field type,
/// Rust type, doc)`. Events without the key (or with another type under it) answer `None`.
const ACCESSORS: [(&str, &str, &str, &str); 7] = [
    ("user_id", "user", "user_id", " The user the event is about or by (`user`), where it names one by ID."),
    ("channel_id", "channel", "channel_id", " The conversation it happened in (`channel`), where it names one by ID."),
    ("ts", "ts", "timestamp", " The message timestamp (`ts`), where there is one."),
    ("thread_ts", "thread_ts", "timestamp", " The thread's parent (`thread_ts`), for an event in a thread."),
    ("text", "text", "string", " The text (`text`), for events that carry one."),
    ("bot_id", "bot_id", "bot_id", " The bot that sent it (`bot_id`), for messages posted by a bot."),
    ("app_id", "app_id", "app_id", " The app that sent it (`app_id`), for messages posted by an app."),
];

fn accessor_ret(ty: &str) -> TokenStream {
    match ty {
        "user_id" => quote! { &crate::UserId },
        "channel_id" => quote! { &crate::ChannelId },
        "bot_id" => quote! { &crate::BotId },
        "app_id" => quote! { &crate::AppId },
        "timestamp" => quote! { &crate::Timestamp },
        _ => quote! { &str },
    }
}

/// Whether `e` has `key` typed as `ty`.
fn has_field(e: &EventIr, key: &str, ty: &str) -> bool {
    use crate::spec::{FieldType, IdKind};
    e.fields.iter().any(|f| {
        f.wire_name == key
            && matches!(
                (&f.ty, ty),
                (FieldType::Id(IdKind::User), "user_id")
                    | (FieldType::Id(IdKind::Channel), "channel_id")
                    | (FieldType::Id(IdKind::Bot), "bot_id")
                    | (FieldType::Id(IdKind::App), "app_id")
                    | (FieldType::Timestamp, "timestamp")
                    | (FieldType::String, "string")
            )
    })
}

/// The accessor methods of a union whose variants hold the structs `members` (variant, struct);
/// `extra_arm` adds arms (the message union's, or `Unknown`).
fn accessors(members: &[(&EventIr, TokenStream)], extra_arm: impl Fn(&str) -> TokenStream) -> TokenStream {
    let methods = ACCESSORS.iter().map(|(method, key, ty, doc)| {
        let m = ident(method);
        let f = ident(&members.iter().flat_map(|(e, _)| e.fields.iter()).find(|f| f.wire_name == *key).map_or_else(|| (*key).to_owned(), |f| f.field.clone()));
        let ret = accessor_ret(ty);
        let arms = members.iter().filter(|(e, _)| has_field(e, key, ty)).map(|(_, pat)| {
            if *ty == "string" {
                quote! { #pat => e.#f.as_deref(), }
            } else {
                quote! { #pat => e.#f.as_ref(), }
            }
        });
        let extra = extra_arm(method);
        quote! {
            #[doc = #doc]
            pub fn #m(&self) -> Option<#ret> {
                match self {
                    #(#arms)*
                    #extra
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }
    });
    quote! { #(#methods)* }
}

/// `impl EventKind` for each event struct: how a listener asks for one event type.
fn event_kind_impls(ev: &EventsIr, has_subtypes: bool) -> TokenStream {
    let impls = ev.events.iter().filter(|e| !(e.wire == "message" && has_subtypes)).map(|e| {
        let (t, v, w) = (ident(&e.type_name), ident(&e.variant), &e.wire);
        quote! {
            impl crate::events::EventKind for #t {
                const TYPE: &'static str = #w;
                fn from_event(event: Event) -> ::std::result::Result<Self, Event> {
                    match event {
                        Event::#v(e) => Ok(*e),
                        other => Err(other),
                    }
                }
            }
        }
    });
    let message = ev.events.iter().find(|e| e.wire == "message" && has_subtypes).map(|e| {
        let v = ident(&e.variant);
        quote! {
            impl crate::events::EventKind for MessageEvent {
                const TYPE: &'static str = "message";
                fn from_event(event: Event) -> ::std::result::Result<Self, Event> {
                    match event {
                        Event::#v(m) => Ok(m),
                        other => Err(other),
                    }
                }
            }
        }
    });
    quote! { #(#impls)* #message }
}

/// `generated/event_types.rs`.
pub fn events_file(api: &Api) -> TokenStream {
    let ev = &api.events;
    let has_subtypes = !ev.subtypes.is_empty();
    let structs = ev.events.iter().map(|e| event_struct(e, false, ev.envelope.iter().find(|t| t.name == e.wire)));
    let sub_structs = ev.subtypes.iter().map(|e| event_struct(e, true, None));
    let event = event_enum(ev, has_subtypes);
    let event_codec = event_codec(ev, has_subtypes);
    let message = has_subtypes.then(|| message_enum(ev));
    let message_codec = has_subtypes.then(|| message_codec(ev));
    let envelope = envelope_structs(ev);
    quote! {
        #event
        #event_codec
        #message
        #message_codec
        #(#structs)*
        #(#sub_structs)*
        #envelope
    }
}

/// Whether `e` is the plain message of a spec with subtypes: its variant holds the
/// [`message_enum`], not its struct.
fn is_message_union(e: &EventIr, has_subtypes: bool) -> bool {
    e.wire == "message" && has_subtypes
}

/// An event's variant of `Event`, and the type the variant holds.
fn variant_of(e: &EventIr, has_subtypes: bool) -> (proc_macro2::Ident, TokenStream) {
    let v = ident(&e.variant);
    if is_message_union(e, has_subtypes) {
        (v, quote! { MessageEvent })
    } else {
        let t = ident(&e.type_name);
        (v, quote! { ::std::boxed::Box<#t> })
    }
}

/// `EVENT_TYPES` and `Event`: one variant per event, its `kind`, `extra` and the accessors of
/// the fields every payload kind may carry.
fn event_enum(ev: &EventsIr, has_subtypes: bool) -> TokenStream {
    let decl = ev.events.iter().map(|e| {
        let (v, t) = variant_of(e, has_subtypes);
        let d = format!(" `{}`: {}", e.wire, md(&e.description, true));
        quote! { #[doc = #d] #v(#t), }
    });
    let kinds = ev.events.iter().map(|e| {
        let (v, _) = variant_of(e, has_subtypes);
        let w = &e.wire;
        quote! { Self::#v(_) => #w, }
    });
    let extras = ev.events.iter().map(|e| {
        let (v, _) = variant_of(e, has_subtypes);
        if is_message_union(e, has_subtypes) {
            quote! { Self::#v(m) => m.extra(), }
        } else {
            quote! { Self::#v(e) => Some(&e.extra), }
        }
    });
    let names = ev.events.iter().map(|e| &e.wire);
    let n_events = ev.events.len();
    let event_members: Vec<(&EventIr, TokenStream)> = ev
        .events
        .iter()
        .filter(|e| !is_message_union(e, has_subtypes))
        .map(|e| {
            let v = ident(&e.variant);
            (e, quote! { Self::#v(e) })
        })
        .collect();
    let message_variant = ev.events.iter().find(|e| is_message_union(e, has_subtypes)).map(|e| ident(&e.variant));
    let event_accessors = accessors(&event_members, |method| {
        let m = ident(method);
        match &message_variant {
            Some(v) => quote! { Self::#v(m) => m.#m(), },
            None => quote! {},
        }
    });
    let kind_impls = event_kind_impls(ev, has_subtypes);
    quote! {
        /// Every event `type` this version types, in wire form.
        pub const EVENT_TYPES: [&str; #n_events] = [#(#names),*];

        /// An event, told apart by its `type`: one variant per event Slack documents. A type
        /// this version does not know decodes as [`Event::Unknown`] with the whole payload, and
        /// fields it does not know are kept in each struct's `extra`: a new event never fails a
        /// payload, and every event serialises back to the JSON it came from.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #(#decl)*
            /// A `type` this version does not know (or a payload that is not an object), kept
            /// whole.
            Unknown(::serde_json::Value),
        }

        impl Event {
            /// The event's `type`.
            pub fn kind(&self) -> &str {
                match self {
                    #(#kinds)*
                    Self::Unknown(v) => v.get("type").and_then(::serde_json::Value::as_str).unwrap_or(""),
                }
            }

            /// The fields this version does not type (`None` for an unknown event).
            pub fn extra(&self) -> Option<&::serde_json::Map<String, ::serde_json::Value>> {
                match self {
                    #(#extras)*
                    Self::Unknown(_) => None,
                }
            }

            #event_accessors
        }

        #kind_impls
    }
}

/// `Event`'s decoding by `type` and its encoding.
fn event_codec(ev: &EventsIr, has_subtypes: bool) -> TokenStream {
    let from = ev.events.iter().map(|e| {
        let (v, _) = variant_of(e, has_subtypes);
        let w = &e.wire;
        if is_message_union(e, has_subtypes) {
            quote! { Some(#w) => Self::#v(MessageEvent::from_map(buf, map)?), }
        } else {
            quote! { Some(#w) => Self::#v(::std::boxed::Box::new(crate::events::tagged::fill(buf, map)?)), }
        }
    });
    let sers = ev.events.iter().map(|e| {
        let (v, _) = variant_of(e, has_subtypes);
        quote! { Self::#v(e) => ::serde::Serialize::serialize(e, s), }
    });
    quote! {
        impl crate::events::tagged::TaggedUnion for Event {
            fn not_an_object(value: ::serde_json::Value) -> Result<Self, ::serde_json::Value> {
                Ok(Self::Unknown(value))
            }
            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(
                mut buf: crate::events::tagged::Buffered,
                map: &mut A,
            ) -> Result<Self, A::Error> {
                let tag = crate::events::tagged::find_tag(map, "type", &mut buf)?;
                Ok(match tag.as_deref() {
                    #(#from)*
                    _ => Self::Unknown(::serde_json::Value::Object(crate::events::tagged::rest(buf, map)?)),
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for Event {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::events::tagged::decode(d)
            }
        }

        impl ::serde::Serialize for Event {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#sers)*
                    Self::Unknown(v) => ::serde::Serialize::serialize(v, s),
                }
            }
        }

        impl crate::lenient::Lenient for Event {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<crate::lenient::Got<Self>, D::Error> {
                crate::events::tagged::lenient(d)
            }
        }
    }
}

/// `MESSAGE_SUBTYPES` and `MessageEvent`: the plain message, one variant per subtype and the
/// unknown ones, with the accessors of the fields they share.
fn message_enum(ev: &EventsIr) -> TokenStream {
    let plain = ev.events.iter().find(|e| e.wire == "message").map(|e| ident(&e.type_name));
    let decl = ev.subtypes.iter().map(|e| {
        let (v, t) = (ident(&e.variant), ident(&e.type_name));
        let d = format!(" `subtype: {}`: {}", e.wire, md(&e.description, true));
        quote! { #[doc = #d] #v(::std::boxed::Box<#t>), }
    });
    let subs = ev.subtypes.iter().map(|e| {
        let (v, w) = (ident(&e.variant), &e.wire);
        quote! { Self::#v(_) => Some(#w), }
    });
    let sub_extras = ev.subtypes.iter().map(|e| {
        let v = ident(&e.variant);
        quote! { Self::#v(e) => Some(&e.extra), }
    });
    let sub_names = ev.subtypes.iter().map(|e| &e.wire);
    let n_sub = ev.subtypes.len();
    let plain_ir = ev.events.iter().find(|e| e.wire == "message");
    let mut sub_members: Vec<(&EventIr, TokenStream)> = Vec::new();
    if let Some(p) = plain_ir {
        sub_members.push((p, quote! { Self::Plain(e) | Self::Other(e) }));
    }
    for e in &ev.subtypes {
        let v = ident(&e.variant);
        sub_members.push((e, quote! { Self::#v(e) }));
    }
    let message_accessors = accessors(&sub_members, |_| quote! {});
    quote! {
        /// Every message subtype this version types, in wire form.
        pub const MESSAGE_SUBTYPES: [&str; #n_sub] = [#(#sub_names),*];

        /// A `message` event, told apart by its `subtype`. A subtype this version does not
        /// know decodes as [`MessageEvent::Other`] with every field kept.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum MessageEvent {
            /// A plain message (no `subtype`).
            Plain(::std::boxed::Box<#plain>),
            #(#decl)*
            /// A subtype this version does not know, decoded with the plain message's fields
            /// (its `subtype` and any other field kept).
            Other(::std::boxed::Box<#plain>),
        }

        impl MessageEvent {
            /// The `subtype`, if any.
            pub fn subtype(&self) -> Option<&str> {
                match self {
                    Self::Plain(_) => None,
                    #(#subs)*
                    Self::Other(m) => m.subtype.as_deref(),
                }
            }

            /// The fields this version does not type.
            pub fn extra(&self) -> Option<&::serde_json::Map<String, ::serde_json::Value>> {
                match self {
                    Self::Plain(e) | Self::Other(e) => Some(&e.extra),
                    #(#sub_extras)*
                }
            }

            #message_accessors
        }
    }
}

/// `MessageEvent`'s decoding by `subtype` and its encoding.
fn message_codec(ev: &EventsIr) -> TokenStream {
    let from = ev.subtypes.iter().map(|e| {
        let (v, w) = (ident(&e.variant), &e.wire);
        quote! { Some(#w) => Self::#v(::std::boxed::Box::new(crate::events::tagged::fill(buf, map)?)), }
    });
    let sers = ev.subtypes.iter().map(|e| {
        let v = ident(&e.variant);
        quote! { Self::#v(e) => ::serde::Serialize::serialize(e, s), }
    });
    quote! {
        impl crate::events::tagged::TaggedUnion for MessageEvent {
            fn not_an_object(value: ::serde_json::Value) -> Result<Self, ::serde_json::Value> {
                Err(value)
            }
            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(
                mut buf: crate::events::tagged::Buffered,
                map: &mut A,
            ) -> Result<Self, A::Error> {
                let has_subtype = buf.iter().any(|(k, _)| k == "subtype");
                let tag = crate::events::tagged::find_tag(map, "subtype", &mut buf)?;
                let found = has_subtype || buf.iter().any(|(k, _)| k == "subtype");
                Ok(match tag.as_deref() {
                    #(#from)*
                    _ if !found => Self::Plain(::std::boxed::Box::new(crate::events::tagged::fill(buf, map)?)),
                    _ => Self::Other(::std::boxed::Box::new(crate::events::tagged::fill(buf, map)?)),
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for MessageEvent {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::events::tagged::decode(d)
            }
        }

        impl ::serde::Serialize for MessageEvent {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    Self::Plain(e) | Self::Other(e) => ::serde::Serialize::serialize(e, s),
                    #(#sers)*
                }
            }
        }

        impl crate::lenient::Lenient for MessageEvent {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<crate::lenient::Got<Self>, D::Error> {
                crate::events::tagged::lenient(d)
            }
        }
    }
}
