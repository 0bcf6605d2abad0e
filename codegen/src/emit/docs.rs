//! Doc comments for generated items, as lines of Markdown.

use crate::ir::{Arg, EnumType, ErrorVariant, Family, FieldIr, Method, Object};
use crate::spec::{ArgType, ArrayEncoding, HttpMethod, RateLimit, Scalar};
use super::runtime::Runtime;

/// Makes text from Slack's reference safe as rustdoc Markdown: outside code spans, brackets and
/// angle brackets are escaped (no accidental intra-doc links or HTML tags) and bare URLs are
/// made into autolinks. Line breaks become spaces when `one_line`.
pub fn md(text: &str, one_line: bool) -> String {
    md_in(text, one_line, None)
}

/// [`md`] for text from the reference page `page`: Slack's in-page links (`[below](#channels)`)
/// become links to that page's anchor.
pub fn md_in(text: &str, one_line: bool, page: Option<&str>) -> String {
    let text = text.trim();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 && text.matches('`').count() % 2 == 0 {
            // Inside a code span: verbatim.
            out.push_str(part);
            continue;
        }
        let mut rest = part;
        while !rest.is_empty() {
            let url_at = ["https://", "http://"].iter().filter_map(|p| rest.find(p)).min();
            let (plain, tail) = match url_at {
                Some(at) => rest.split_at(at),
                None => (rest, ""),
            };
            escape_with_links(plain, &mut out, page);
            if tail.is_empty() {
                break;
            }
            let end = tail
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | ','))
                .unwrap_or(tail.len());
            let url = tail[..end].trim_end_matches('.');
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &tail[url.len()..];
        }
    }
    if one_line {
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        out
    }
}

/// Escapes Markdown-significant characters, but keeps `[text](target)` links, with targets on
/// Slack's site made absolute.
fn escape_with_links(text: &str, out: &mut String, page: Option<&str>) {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '[' {
            if let Some((label, target, len)) = markdown_link(rest).filter(|(_, t, _)| !t.starts_with('#') || page.is_some()) {
                out.push('[');
                escape_with_links(label, out, page);
                out.push_str("](");
                if target.starts_with('/') {
                    out.push_str("https://docs.slack.dev");
                } else if target.starts_with('#') {
                    out.push_str(page.unwrap_or_default());
                }
                out.push_str(target);
                out.push(')');
                rest = &rest[len..];
                continue;
            }
        }
        match c {
            '[' | ']' | '<' | '>' | '|' | '*' | '_' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
}

/// `[label](target)` at the start of `s`: the label, the target and the length consumed. Only
/// targets that are site paths or web URLs count.
fn markdown_link(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find("](")?;
    let label = &s[1..close];
    if label.contains(['[', ']']) {
        return None;
    }
    let after = &s[close + 2..];
    let end = after.find(')')?;
    let target = &after[..end];
    let ok = (target.starts_with('/')
        || target.starts_with("https://")
        || target.starts_with("http://")
        || (target.starts_with('#') && target.len() > 1))
        && !target.contains(char::is_whitespace);
    ok.then_some((label, target, close + 2 + end + 1))
}

/// Lines of text, each safe; blank lines kept as paragraph breaks.
pub(crate) fn paragraphs(text: &str) -> Vec<String> {
    paragraphs_in(text, None)
}

/// [`paragraphs`] for text from the reference page `page` (its `#anchor` links kept).
fn paragraphs_in(text: &str, page: Option<&str>) -> Vec<String> {
    md_in(text, false, page).lines().map(|l| l.trim_end().to_owned()).collect()
}

/// A link from a method family's page to an item of `slack-api`'s runtime (`struct.Client.html`).
/// The generated code is compiled in `slack-api-model`, which cannot name the runtime, and is
/// documented where `slack-api` re-exports it, one module below the crate root: a relative
/// link reaches the runtime's page there, where an intra-doc link could not resolve.
pub(crate) fn runtime_link(text: &str, page: &str) -> String {
    format!("[`{text}`](../{page})")
}

/// Methods whose special limit the runtime knows (and paces, with a `RateLimiter`).
const KNOWN_SPECIAL: &[(&str, &str)] = &[("chat.postMessage", "1 message per second per channel, short bursts tolerated")];

fn tier_text(m: &Method) -> String {
    match m.rate_limit {
        RateLimit::Tier1 => "Tier 1 (1+ per minute)".into(),
        RateLimit::Tier2 => "Tier 2 (20+ per minute)".into(),
        RateLimit::Tier3 => "Tier 3 (50+ per minute)".into(),
        RateLimit::Tier4 => "Tier 4 (100+ per minute)".into(),
        RateLimit::Special => match (KNOWN_SPECIAL.iter().find(|(n, _)| *n == m.wire_name), &m.rate_limit_note) {
            (Some((_, rule)), _) => format!("special: {rule} ({} paces it)", runtime_link("RateLimiter", "struct.RateLimiter.html")),
            (None, Some(note)) => format!("special: {}", md(note, true)),
            (None, None) => format!("special: not a tier; Slack gives the rule [on the method's page]({})", m.docs_url),
        },
        RateLimit::None => "none documented".into(),
    }
}

/// An argument's type, its runtime types linked through `rt`.
fn type_text(a: &Arg, rt: Runtime) -> String {
    let link = |text: &str, item: &str| format!("[{text}]({})", rt.doc_path(item));
    let kit = |text: &str, item: &str| link(text, &format!("block_kit::{item}"));
    let scalar = |s: Scalar| match s {
        Scalar::String => "string".to_owned(),
        Scalar::Boolean => "boolean".to_owned(),
        Scalar::Integer => "integer".to_owned(),
        Scalar::Number => "number".to_owned(),
        Scalar::Timestamp => "timestamp".to_owned(),
        Scalar::Object => "JSON".to_owned(),
        Scalar::Json => format!("JSON: any `Serialize` value, or {} text", link("`Json::raw`", "Json::raw")),
        Scalar::Blocks => format!("{}s, validated and sent as JSON", kit("`Block`", "Block")),
        Scalar::Attachments => format!("{}s, validated and sent as JSON", kit("`Attachment`", "Attachment")),
        Scalar::View => format!("a {}, validated and sent as JSON", kit("`View`", "View")),
        Scalar::MessageMetadata => format!("{}, sent as JSON", kit("`MessageMetadata`", "MessageMetadata")),
        Scalar::EntityMetadata => format!("{}, sent as JSON", kit("`EntityMetadata`", "EntityMetadata")),
        Scalar::EntityComments => format!("{}s, validated and sent as JSON", kit("`EntityComment`", "EntityComment")),
        Scalar::EntityComment => format!("an {}, validated and sent as JSON", kit("`EntityComment`", "EntityComment")),
        Scalar::Unfurls => format!("a map of URL → {}, validated and sent as JSON", kit("`Attachment`", "Attachment")),
        Scalar::Chunks => format!("{}s, validated and sent as JSON", kit("`Chunk`", "Chunk")),
        Scalar::Id(kind) => link(&format!("`{}`", kind.names().1), kind.names().1),
        Scalar::Enum => match &a.enum_type {
            Some(e) => format!("[`{}`]", e.name),
            None => "enum".to_owned(),
        },
    };
    match &a.ty {
        ArgType::Scalar(s) => scalar(*s),
        ArgType::Token => "token".to_owned(),
        ArgType::File => format!("{}, sent as a `multipart/form-data` part", link("file", "FileUpload")),
        ArgType::Array(s) => {
            let enc = match a.encoding {
                ArrayEncoding::Comma => "comma-separated",
                ArrayEncoding::Json => "a JSON array",
            };
            format!("list of {}, sent {enc}", scalar(*s))
        }
    }
}

/// One bullet naming an argument: its link (where it is described), type and the first
/// sentence of its description. Described in full once, on its field.
fn arg_bullet(a: &Arg, rt: Runtime) -> String {
    let mut s = format!("- [`{}`](Self::{}) ({})", a.wire_name, a.field, type_text(a, rt));
    if let Some(d) = &a.description {
        let text = md(d, true);
        let first = first_sentence(&text);
        s.push_str(": ");
        s.push_str(&sentence(first));
        if first.len() < text.len() {
            s.push_str(" …");
        }
    }
    s
}

/// The text up to its first full stop that ends a sentence (not inside a code span).
fn first_sentence(text: &str) -> &str {
    let mut in_code = false;
    for (i, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '.' if !in_code && text[i + 1..].starts_with(' ') => return &text[..=i],
            _ => {}
        }
    }
    text
}

/// Ends the text with a full stop unless it already ends a sentence.
fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?', ':', ')']) || t.ends_with(".`") { t.to_owned() } else { format!("{t}.") }
}

/// Inline code that survives any content (backticks in the value widen the fence).
fn code(v: &str) -> String {
    let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.is_empty() {
        return "(empty)".into();
    }
    let fence = if v.contains('`') { "``" } else { "`" };
    let pad = if v.starts_with('`') || v.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{v}{pad}{fence}")
}

pub fn method_doc(m: &Method, rt: Runtime) -> Vec<String> {
    let mut d = paragraphs_in(&m.description, Some(&m.docs_url));
    // The first line is what module pages and search results show: it names the method.
    if let Some(first) = d.first_mut() {
        *first = format!("`{}`: {first}", m.wire_name);
    }
    d.push(String::new());
    d.extend(facts_table(m));
    d.extend(arguments_doc(m, rt));
    d.extend(call_example(m));
    d.extend(errors_doc(m, rt));
    d.push(format!(
        "Generated from `{}`; descriptions from Slack's API reference.",
        m.spec_file
    ));
    d
}

/// Deprecation, then the table of facts: wire name, HTTP method, token types, scopes, rate
/// limit, content types.
fn facts_table(m: &Method) -> Vec<String> {
    let mut d = Vec::new();
    let http = match m.http_method {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
    };
    if let Some(note) = &m.deprecated {
        d.push(format!("**Deprecated:** {}", md(note, true)));
        d.push(String::new());
    }
    d.push(format!("| Method | [`{}`]({}) |", m.wire_name, m.docs_url));
    d.push("|---|---|".into());
    d.push(format!("| HTTP method | `{http}` |"));
    let types: Vec<String> = m.token_types.iter().map(|(k, _)| format!("`{k}`")).collect();
    d.push(format!("| Token types | {} |", if types.is_empty() { "any".into() } else { types.join(", ") }));
    let mut scopes = Vec::new();
    for (kind, list) in &m.token_types {
        for s in list {
            scopes.push(format!("`{s}` ({kind})"));
        }
    }
    let scopes = if scopes.is_empty() { "none".to_owned() } else { scopes.join(", ") };
    d.push(format!("| Scopes | {scopes} |"));
    d.push(format!("| Rate limit | {} |", tier_text(m)));
    let ct: Vec<String> = m.content_types.iter().map(|c| format!("`{c}`")).collect();
    d.push(format!("| Content types | {} |", ct.join(", ")));
    d.push(String::new());
    d
}

/// `# Arguments`: the required and optional ones, the groups, and where the token goes.
fn arguments_doc(m: &Method, rt: Runtime) -> Vec<String> {
    let mut d = Vec::new();
    d.push("# Arguments".into());
    d.push(String::new());
    if m.args.is_empty() {
        d.push("None besides the token.".into());
    } else {
        if m.required_args().next().is_some() {
            d.push("Required, taken by [`new`](Self::new) (each described on its field):".into());
            d.push(String::new());
            d.extend(m.required_args().map(|a| arg_bullet(a, rt)));
            d.push(String::new());
        }
        if m.optional_args().next().is_some() {
            d.push("Optional, each set by the method of the same name:".into());
            d.push(String::new());
            d.extend(m.optional_args().map(|a| arg_bullet(a, rt)));
            d.push(String::new());
        }
    }
    if !m.arg_groups.is_empty() {
        d.push("Arguments that go together:".into());
        d.push(String::new());
        for g in &m.arg_groups {
            let names: Vec<String> = g.args.iter().map(|a| format!("`{a}`")).collect();
            let rule = match (g.required, g.exclusive) {
                (true, true) => "exactly one of",
                (true, false) => "at least one of",
                (false, true) => "at most one of",
                (false, false) => "any of",
            };
            d.push(format!("- {rule} {}: {}", names.join(", "), sentence(&md(&g.description, true))));
        }
        d.push(String::new());
    }
    if let Some(t) = &m.token {
        let req = if t.required { "required" } else { "optional" };
        d.push(format!(
            "The `{}` argument ({req}) is not a field: the {} sends its token in the `Authorization` header.",
            t.wire_name,
            runtime_link("Client", "struct.Client.html")
        ));
        d.push(String::new());
    }
    d
}

/// `# Errors`: the method's own codes, and the common ones.
fn errors_doc(m: &Method, rt: Runtime) -> Vec<String> {
    let mut d = Vec::new();
    d.push("# Errors".into());
    d.push(String::new());
    d.push(format!(
        "A failed call returns [`{}`], with one variant per documented code. This method's own codes:",
        m.error_type
    ));
    d.push(String::new());
    if m.errors.is_empty() {
        d.push("(none documented besides the common ones)".into());
    } else {
        d.push("| Code | Description |".into());
        d.push("|---|---|".into());
        for e in &m.errors {
            d.push(format!("| [`{}`]({}::{}) | {} |", e.code, m.error_type, e.variant, md(&e.description, true)));
        }
    }
    d.push(String::new());
    d.push(format!("and every [common error]({}).", rt.doc_path("CommonError")));
    d.push(String::new());
    d
}

/// A call of the method with its required arguments, compiled as a doctest (`no_run`).
fn call_example(m: &Method) -> Vec<String> {
    let module = crate::names::snake_name(m.wire_name.split('.').next().unwrap_or(&m.wire_name));
    let mut args = Vec::new();
    for a in m.required_args() {
        match sample(a) {
            Some(v) => args.push(v),
            None => return Vec::new(),
        }
    }
    let mut d = vec!["# Example".into(), String::new(), "```no_run".into()];
    if m.deprecated.is_some() {
        d.push("# #![allow(deprecated)]".into());
    }
    d.push("# async fn example(client: slack_api::Client) -> Result<(), Box<dyn std::error::Error>> {".into());
    d.push(format!("use slack_api::{module}::{};", m.request_type));
    d.push(String::new());
    d.push(format!("let request = {}::new({});", m.request_type, args.join(", ")));
    d.push("let response = client.call(&request).await?;".into());
    d.push(if m.response.is_some() {
        "println!(\"{response:#?}\");".into()
    } else {
        "println!(\"{:#?}\", response.fields);".into()
    });
    d.push("# Ok(()) }".into());
    d.push("```".into());
    d.push(String::new());
    d
}

/// A section block, for examples of Block Kit arguments.
const SECTION: &str = "slack_api::block_kit::SectionBlock::new().text(slack_api::block_kit::Mrkdwn::new(\"Hello\"))";

/// A Rust expression for an argument's value in an example: its documented example where it
/// has a usable one, a typical value of its type otherwise. `None` for a file.
fn sample(a: &Arg) -> Option<String> {
    // Slack writes some examples as JSON text: `"1405894322.002768"` (quotes included) for a
    // timestamp, `["7c6dd137", "…"]` for a list. The value is what is inside.
    let unquoted = a.example.as_deref().map(str::trim).map(|e| serde_json::from_str::<String>(e).unwrap_or_else(|_| e.to_owned()));
    let example = unquoted.as_deref().filter(|e| !e.is_empty() && e.len() <= 80 && !e.contains('\n'));
    let scalar = |s: Scalar| -> String {
        match s {
            Scalar::String => format!("{:?}", example.unwrap_or("…")),
            Scalar::Timestamp => format!("{:?}", example.filter(|e| e.contains('.')).unwrap_or("1503435956.000247")),
            Scalar::Boolean => "true".into(),
            Scalar::Integer => example.and_then(|e| e.parse::<i64>().ok()).unwrap_or(1).to_string(),
            Scalar::Number => example.and_then(|e| e.parse::<f64>().ok()).map_or("1.0".into(), |n| format!("{n:?}")),
            Scalar::Object | Scalar::Json => "serde_json::json!({})".into(),
            Scalar::Blocks => format!("[{SECTION}]"),
            Scalar::View => format!("slack_api::block_kit::ModalView::new(\"Title\", [{SECTION}])"),
            Scalar::Attachments => "[slack_api::block_kit::Attachment::new().text(\"Hello\")]".into(),
            Scalar::MessageMetadata => "slack_api::block_kit::MessageMetadata::new()".into(),
            Scalar::EntityMetadata => {
                "slack_api::block_kit::EntityMetadata::new(\"slack#/entities/task\", slack_api::block_kit::EntityPayload::new())".into()
            }
            Scalar::EntityComments | Scalar::EntityComment => {
                let comment = "slack_api::block_kit::EntityComment::new(\"comment-001\", slack_api::block_kit::EntityUser::new().user_id(\"U0123456789\"), 1741164235, slack_api::block_kit::EntityCommentBody::new().value(\"Can someone review this?\"))";
                if s == Scalar::EntityComments { format!("[{comment}]") } else { comment.to_owned() }
            }
            Scalar::Unfurls => "slack_api::JsonArg::raw(\"{}\")".into(),
            Scalar::Chunks => "[slack_api::block_kit::MarkdownTextChunk::new(\"Hello\")]".into(),
            Scalar::Enum => format!(
                "{:?}",
                a.enum_type.as_ref().and_then(|e| e.values.first()).map_or("…", |(w, _)| w.as_str())
            ),
            Scalar::Id(kind) => {
                let prefix = match kind {
                    crate::spec::IdKind::User => "U",
                    crate::spec::IdKind::Channel => "C",
                    crate::spec::IdKind::Team => "T",
                    crate::spec::IdKind::Enterprise => "E",
                    crate::spec::IdKind::App => "A",
                    crate::spec::IdKind::File => "F",
                    crate::spec::IdKind::Usergroup => "S",
                    crate::spec::IdKind::Function => "Fn",
                    crate::spec::IdKind::Bot => "B",
                };
                let id = example.filter(|e| e.starts_with(prefix) && !e.contains([',', ' '])).map(str::to_owned);
                format!("{:?}", id.unwrap_or_else(|| format!("{prefix}0123456789")))
            }
        }
    };
    match &a.ty {
        ArgType::Scalar(s) => Some(scalar(*s)),
        ArgType::Array(s) => {
            let one = match s {
                Scalar::String | Scalar::Timestamp | Scalar::Id(_) => {
                    // A JSON list or a comma-separated example is several values.
                    let listed = example.and_then(|e| serde_json::from_str::<Vec<serde_json::Value>>(e).ok()).and_then(|v| {
                        v.first().map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                    });
                    let first = match &listed {
                        Some(f) => Some(f.as_str()),
                        None => example.and_then(|e| e.split(',').next()).map(str::trim),
                    };
                    match (s, first) {
                        (Scalar::String, Some(f)) if !f.is_empty() => format!("{f:?}"),
                        _ => {
                            let mut plain = a.clone();
                            plain.ty = ArgType::Scalar(*s);
                            plain.example = first.map(str::to_owned);
                            return sample(&plain).map(|v| format!("[{v}]"));
                        }
                    }
                }
                other => scalar(*other),
            };
            Some(format!("[{one}]"))
        }
        ArgType::File => None,
        ArgType::Token => None,
    }
}

pub fn arg_doc(a: &Arg, page: &str, rt: Runtime) -> Vec<String> {
    let mut d = match &a.description {
        Some(desc) => {
            let mut p = paragraphs_in(desc, Some(page));
            if let Some(last) = p.last_mut() {
                *last = sentence(last);
            }
            p
        }
        None => vec![format!("The `{}` argument.", a.wire_name)],
    };
    d.push(String::new());
    let mut facts = format!(
        "Wire name `{}`, {}, {}.",
        a.wire_name,
        type_text(a, rt),
        if a.required { "required" } else { "optional" }
    );
    if let Some(e) = &a.example {
        facts.push_str(&format!(" Example: {}.", code(e)));
    }
    if let Some(v) = &a.default {
        facts.push_str(&format!(" Slack's default: {}.", code(v)));
    }
    d.push(facts);
    d
}

pub fn setter_doc(a: &Arg) -> Vec<String> {
    vec![format!("Sets [`{}`](Self::{}) (described there).", a.wire_name, a.field)]
}

pub fn new_doc(m: &Method) -> Vec<String> {
    let req: Vec<String> = m.required_args().map(|a| format!("`{}`", a.wire_name)).collect();
    if req.is_empty() {
        vec![format!("A `{}` call with no optional argument set.", m.wire_name)]
    } else {
        vec![format!("A `{}` call with its required arguments: {}.", m.wire_name, req.join(", "))]
    }
}

pub fn error_enum_doc(m: &Method, rt: Runtime) -> Vec<String> {
    vec![
        format!("An error [`{}`]({}) can return.", m.wire_name, m.docs_url),
        String::new(),
        format!(
            "Match on the variants or on [`code`]({}); \
             codes this crate does not know arrive as [`Unknown`]({}::Unknown).",
            rt.doc_path("MethodError::code"),
            m.error_type
        ),
    ]
}

pub fn error_variant_doc(e: &ErrorVariant) -> Vec<String> {
    vec![format!("`{}`: {}", e.code, md(&e.description, true))]
}

pub fn common_errors_doc(errs: &[ErrorVariant]) -> Vec<String> {
    vec![
        "Errors any Slack Web API method can return.".into(),
        String::new(),
        format!(
            "{} codes, from `spec/common-errors.yaml`. A method whose documentation gives one of \
             these codes its own description has its own variant for it instead.",
            errs.len()
        ),
    ]
}

pub fn response_doc(m: &Method, rt: Runtime) -> Vec<String> {
    let first = format!("What [`{}`]({}) returns on success.", m.wire_name, m.docs_url);
    match &m.response {
        None => vec![
            first,
            String::new(),
            format!(
                "Slack's reference does not describe this response: it is typed as `ok`, `warning` and \
                 `response_metadata`, and every other field is kept in \
                 [`UntypedResponse::fields`]({}).",
                rt.doc_path("UntypedResponse::fields")
            ),
        ],
        Some(_) => vec![
            first,
            String::new(),
            "Every field is optional (Slack may omit any); a field this version does not know, or a \
             value of an unexpected shape, is kept in `extra`, and the response serialises back to the \
             JSON it came from."
                .into(),
        ],
    }
}

pub fn field_doc(f: &FieldIr) -> Vec<String> {
    let mut d = match &f.description {
        Some(desc) => paragraphs(desc),
        None => vec![format!("The `{}` field.", f.wire_name)],
    };
    d.push(String::new());
    d.push(format!("JSON key `{}`, `{}`.", f.wire_name, f.ty));
    if f.from_example {
        d.push(String::new());
        d.push("Typed from Slack's example answers (the method's output schema does not give this type).".into());
    }
    d
}

pub fn object_doc(o: &Object) -> Vec<String> {
    let mut d = paragraphs(&o.description);
    d.push(String::new());
    if let Some(url) = &o.docs_url {
        d.push(format!("Slack's reference: <{url}>."));
        d.push(String::new());
    }
    d.push(format!("Generated from `{}`.", o.spec_file));
    d
}

pub fn enum_doc(e: &EnumType) -> Vec<String> {
    let vals: Vec<String> = e.values.iter().map(|(w, _)| format!("`{w}`")).collect();
    vec![format!("Accepted values: {}.", vals.join(", "))]
}

pub fn family_doc(f: &Family) -> Vec<String> {
    vec![
        format!("The `{}.*` methods ({}).", f.wire_name, f.methods.len()),
        String::new(),
        format!("Enabled by the `{}` cargo feature (part of `full`, the default).", f.feature),
    ]
}

#[cfg(test)]
mod tests {
    use super::{first_sentence, md, md_in};

    #[test]
    fn first_sentences() {
        assert_eq!(first_sentence("One. Two."), "One.");
        assert_eq!(first_sentence("Use `a. b` here. Then"), "Use `a. b` here.");
        assert_eq!(first_sentence("No stop"), "No stop");
    }

    #[test]
    fn prose_is_escaped_and_links_kept() {
        assert_eq!(md("a [b] <c> | d_e", true), "a \\[b\\] \\<c\\> \\| d\\_e");
        assert_eq!(md("see `a_b [x]` here", true), "see `a_b [x]` here");
        assert_eq!(
            md("We [truncate long messages](/changelog/2018-04-truncating).", true),
            "We [truncate long messages](https://docs.slack.dev/changelog/2018-04-truncating)."
        );
        assert_eq!(md("Read https://docs.slack.dev/x for more.", true), "Read <https://docs.slack.dev/x> for more.");
        assert_eq!(md("[not a link] (x)", true), "\\[not a link\\] (x)");
        // In-page links point at the method's page; without a page they stay text.
        assert_eq!(
            md_in("See [below](#channels).", true, Some("https://docs.slack.dev/reference/methods/x")),
            "See [below](https://docs.slack.dev/reference/methods/x#channels)."
        );
        assert_eq!(md("See [below](#channels).", true), "See \\[below\\](\\#channels).");
    }
}
