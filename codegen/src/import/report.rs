//! The API change report: what changed between two spec trees, as Markdown a reviewer reads.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::spec::load::{SourceFile, SpecError};
use crate::spec::{ArgType, Argument, MethodSpec, RateLimit, Scopes};

/// Method specs by wire name.
pub type Methods = BTreeMap<String, MethodSpec>;

/// Parses method files (name, text) into specs, keyed by method name.
pub fn parse_methods(files: impl IntoIterator<Item = SourceFile>) -> Result<Methods, Vec<SpecError>> {
    let mut out = Methods::new();
    let mut errors = Vec::new();
    for src in files {
        match crate::spec::methods::parse_method(src.path, src.text) {
            Ok((_, spec)) => {
                out.insert(spec.name.0.clone(), spec);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Reads every `*.yaml` in `dir` (a `spec/methods` directory).
pub fn read_methods_dir(dir: &Path) -> Result<Methods, Vec<SpecError>> {
    let io = |e: std::io::Error| vec![SpecError { file: dir.into(), line: 0, column: 0, message: e.to_string() }];
    let mut files = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir).map_err(io)?.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&p).map_err(io)?;
            files.push(SourceFile { path: p, text });
        }
    }
    parse_methods(files)
}

/// Reads `spec/methods/*.yaml` as of git revision `rev` in the repository at `repo`.
pub fn read_methods_at_rev(repo: &Path, rev: &str) -> Result<Methods, String> {
    let files = crate::spec::load::yaml_files_at_rev(repo, rev, "spec/methods", true)?;
    parse_methods(files).map_err(|errs| errs.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
}

/// Everything that changed between two trees.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Changes {
    pub before_count: usize,
    pub after_count: usize,
    /// (name, description)
    pub added: Vec<(String, String)>,
    pub removed: Vec<(String, String)>,
    /// (name, note): methods deprecated in `after` and not in `before`.
    pub deprecated: Vec<(String, String)>,
    /// Per method, what changed (in `after` order).
    pub changed: Vec<(String, Vec<String>)>,
    /// What breaks code that calls the crate: removed methods and features, arguments now
    /// required, removed or retyped, a reordered `new`, removed enum values and response fields.
    pub breaking: Vec<String>,
    /// Hand-written runtime code that uses something this update removes (found by name).
    pub runtime_uses: Vec<String>,
    /// Corrections that change nothing any more, or other notes on `spec/corrections/`.
    pub corrections: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.deprecated.is_empty()
            && self.changed.is_empty()
            && self.corrections.is_empty()
    }
}

fn tier(t: RateLimit) -> &'static str {
    match t {
        RateLimit::Tier1 => "Tier 1",
        RateLimit::Tier2 => "Tier 2",
        RateLimit::Tier3 => "Tier 3",
        RateLimit::Tier4 => "Tier 4",
        RateLimit::Special => "special",
        RateLimit::None => "none",
    }
}

fn arg_summary(a: &Argument) -> String {
    format!("{}, {}", a.ty, if a.required { "required" } else { "optional" })
}

fn scope_sets(s: &Scopes) -> BTreeMap<&'static str, BTreeSet<&str>> {
    let mut out = BTreeMap::new();
    for (kind, list) in [
        ("bot", &s.bot),
        ("user", &s.user),
        ("app", &s.app),
        ("configuration", &s.configuration),
        ("seamless_user", &s.seamless_user),
    ] {
        if let Some(l) = list {
            out.insert(kind, l.iter().map(String::as_str).collect());
        }
    }
    out
}

/// What changed in one method, as report lines.
fn method_changes(b: &MethodSpec, a: &MethodSpec) -> Vec<String> {
    let mut out = Vec::new();
    call_changes(b, a, &mut out);
    argument_changes(b, a, &mut out);
    error_changes(b, a, &mut out);
    response_changes(b, a, &mut out);
    wording_changes(b, a, &mut out);
    out
}

/// How the method is called: HTTP method, rate limit, token types and scopes, content types,
/// deprecation.
fn call_changes(b: &MethodSpec, a: &MethodSpec, out: &mut Vec<String>) {
    if b.http_method != a.http_method {
        let m = |h: crate::spec::HttpMethod| match h {
            crate::spec::HttpMethod::Get => "GET",
            crate::spec::HttpMethod::Post => "POST",
        };
        out.push(format!("HTTP method: {} → {}", m(b.http_method), m(a.http_method)));
    }
    if b.rate_limit != a.rate_limit {
        out.push(format!("rate limit: {} → {}", tier(b.rate_limit), tier(a.rate_limit)));
    }
    let (sb, sa) = (scope_sets(&b.scopes), scope_sets(&a.scopes));
    for kind in sb.keys().chain(sa.keys()).collect::<BTreeSet<_>>() {
        match (sb.get(kind), sa.get(kind)) {
            (None, Some(_)) => out.push(format!("token type `{kind}` now accepted")),
            (Some(_), None) => out.push(format!("token type `{kind}` no longer accepted")),
            (Some(x), Some(y)) => {
                let plus: Vec<String> = y.difference(x).map(|s| format!("+`{s}`")).collect();
                let minus: Vec<String> = x.difference(y).map(|s| format!("−`{s}`")).collect();
                if !plus.is_empty() || !minus.is_empty() {
                    let all: Vec<String> = plus.into_iter().chain(minus).collect();
                    out.push(format!("{kind} scopes: {}", all.join(", ")));
                }
            }
            (None, None) => {}
        }
    }
    if b.content_types != a.content_types {
        out.push(format!("content types: {} → {}", b.content_types.join(", "), a.content_types.join(", ")));
    }
    if b.deprecated.is_some() && a.deprecated.is_none() {
        out.push("no longer deprecated".into());
    }
}

fn arguments_by_name(s: &MethodSpec) -> BTreeMap<String, Argument> {
    s.arguments.iter().map(|x| (x.name.0.clone(), x.clone())).collect()
}

/// Arguments added, removed, or changed in requiredness, type, enum values or list encoding.
fn argument_changes(b: &MethodSpec, a: &MethodSpec, out: &mut Vec<String>) {
    let (ab, aa) = (arguments_by_name(b), arguments_by_name(a));
    for (name, arg) in &aa {
        match ab.get(name) {
            None => out.push(format!("argument `{name}` added ({})", arg_summary(arg))),
            Some(old) => {
                if old.required != arg.required {
                    out.push(format!(
                        "argument `{name}` now {} (was {})",
                        if arg.required { "required" } else { "optional" },
                        if old.required { "required" } else { "optional" }
                    ));
                }
                if old.ty != arg.ty {
                    out.push(format!("argument `{name}` type: {} → {}", old.ty, arg.ty));
                }
                if old.values != arg.values && (old.ty == arg.ty) && matches!(arg.ty.scalar(), Some(crate::spec::Scalar::Enum)) {
                    let ov: BTreeSet<&String> = old.values.iter().flatten().collect();
                    let nv: BTreeSet<&String> = arg.values.iter().flatten().collect();
                    let plus: Vec<String> = nv.difference(&ov).map(|v| format!("+`{v}`")).collect();
                    let minus: Vec<String> = ov.difference(&nv).map(|v| format!("−`{v}`")).collect();
                    let all: Vec<String> = plus.into_iter().chain(minus).collect();
                    if !all.is_empty() {
                        out.push(format!("argument `{name}` values: {}", all.join(", ")));
                    }
                }
                if old.encoding.unwrap_or(crate::spec::ArrayEncoding::Comma) != arg.encoding.unwrap_or(crate::spec::ArrayEncoding::Comma)
                    && matches!(arg.ty, ArgType::Array(_))
                {
                    let enc = |e: Option<crate::spec::ArrayEncoding>| match e {
                        Some(crate::spec::ArrayEncoding::Json) => "JSON array",
                        _ => "comma-separated",
                    };
                    out.push(format!("argument `{name}` list encoding: {} → {}", enc(old.encoding), enc(arg.encoding)));
                }
            }
        }
    }
    for (name, arg) in &ab {
        if !aa.contains_key(name) {
            out.push(format!("argument `{name}` removed (was {})", arg_summary(arg)));
        }
    }
}

/// Error codes added, removed or reworded.
fn error_changes(b: &MethodSpec, a: &MethodSpec, out: &mut Vec<String>) {
    let codes = |s: &MethodSpec| -> BTreeSet<String> { s.errors.0.iter().map(|(c, _)| c.0.clone()).collect() };
    let (eb, ea) = (codes(b), codes(a));
    let added: Vec<String> = ea.difference(&eb).map(|c| format!("`{c}`")).collect();
    let removed: Vec<String> = eb.difference(&ea).map(|c| format!("`{c}`")).collect();
    if !added.is_empty() {
        out.push(format!("error codes added: {}", added.join(", ")));
    }
    if !removed.is_empty() {
        out.push(format!("error codes removed: {}", removed.join(", ")));
    }
    for (code, old) in &b.errors.0 {
        if let Some((_, new)) = a.errors.0.iter().find(|(c2, d2)| c2 == code && d2 != old) {
            out.push(format!("error `{code}` reworded: {}", before_after(old, new)));
        }
    }
}

/// The response typed, untyped, or its fields added, removed or retyped.
fn response_changes(b: &MethodSpec, a: &MethodSpec, out: &mut Vec<String>) {
    let fields = |s: &MethodSpec| -> BTreeMap<String, String> {
        s.response
            .iter()
            .flatten()
            .map(|f| (f.name.0.clone(), format!("{}{}", f.ty, if f.from_example { ", from an example" } else { "" })))
            .collect()
    };
    match (b.response.is_some(), a.response.is_some()) {
        (false, true) => {
            let fa = fields(a);
            let list: Vec<String> = fa.iter().map(|(n, t)| format!("`{n}` ({t})")).collect();
            out.push(if list.is_empty() {
                "response now typed (no field besides the envelope)".into()
            } else {
                format!("response now typed: {}", list.join(", "))
            });
        }
        (true, false) => out.push("response no longer typed".into()),
        _ => {
            let (fb, fa) = (fields(b), fields(a));
            for (name, ty) in &fa {
                match fb.get(name) {
                    None => out.push(format!("response field `{name}` added ({ty})")),
                    Some(old) if old != ty => out.push(format!("response field `{name}` type: {old} → {ty}")),
                    _ => {}
                }
            }
            for (name, ty) in &fb {
                if !fa.contains_key(name) {
                    out.push(format!("response field `{name}` removed (was {ty})"));
                }
            }
        }
    }
}

/// The method's and its arguments' descriptions and examples.
fn wording_changes(b: &MethodSpec, a: &MethodSpec, out: &mut Vec<String>) {
    let ab = arguments_by_name(b);
    if b.description != a.description {
        out.push(format!("description reworded: {}", before_after(&b.description, &a.description)));
    }
    for x in &a.arguments {
        let Some(o) = ab.get(&x.name.0) else { continue };
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        if o.description != x.description {
            out.push(format!(
                "argument `{}` description reworded: {}",
                x.name.0,
                before_after(&text(&o.description), &text(&x.description))
            ));
        }
        if o.example != x.example {
            out.push(format!("argument `{}` example: {}", x.name.0, before_after(&text(&o.example), &text(&x.example))));
        }
    }
}

/// `"old" → "new"`, each on one line and clipped, around where they differ.
fn before_after(old: &str, new: &str) -> String {
    let (old, new) = (one_line(old), one_line(new));
    let common = old.chars().zip(new.chars()).take_while(|(x, y)| x == y).count();
    let clip = |s: &str| {
        let skip = common.saturating_sub(40);
        let text: String = s.chars().skip(skip).take(160).collect();
        let more = s.chars().count() > skip + 160;
        format!("\"{}{text}{}\"", if skip > 0 { "…" } else { "" }, if more { "…" } else { "" })
    };
    format!("{} → {}", clip(&old), clip(&new))
}

/// What in one method's change breaks callers, as report lines.
fn breaking_changes(name: &str, b: &MethodSpec, a: &MethodSpec) -> Vec<String> {
    let mut out = Vec::new();
    let required = |s: &MethodSpec| -> Vec<String> {
        s.arguments.iter().filter(|x| x.required && x.ty != ArgType::Token).map(|x| x.name.0.clone()).collect()
    };
    let (rb, ra) = (required(b), required(a));
    if rb != ra {
        let mut sb = rb.clone();
        let mut sa = ra.clone();
        sb.sort();
        sa.sort();
        let what = if sb == sa { "reordered: calls that pass same-typed arguments would send them swapped" } else { "changed" };
        out.push(format!("`{name}`: `new` takes ({}) → ({}): its required arguments {what}", rb.join(", "), ra.join(", ")));
    }
    for x in &b.arguments {
        match a.arguments.iter().find(|y| y.name == x.name) {
            None if x.ty != ArgType::Token => out.push(format!("`{name}`: argument `{}` removed (its field and setter go)", x.name.0)),
            Some(y) if y.ty != x.ty => out.push(format!("`{name}`: argument `{}` type {} → {}", x.name.0, x.ty, y.ty)),
            Some(y) if y.ty == x.ty => {
                let gone: Vec<String> = x
                    .values
                    .iter()
                    .flatten()
                    .filter(|v| !y.values.iter().flatten().any(|w| w == *v))
                    .map(|v| format!("`{v}`"))
                    .collect();
                if !gone.is_empty() {
                    out.push(format!("`{name}`: argument `{}` loses values {} (their variants go)", x.name.0, gone.join(", ")));
                }
            }
            _ => {}
        }
    }
    match (&b.response, &a.response) {
        (Some(_), None) => out.push(format!("`{name}`: the response is no longer typed")),
        (Some(fb), Some(fa)) => {
            for f in fb {
                match fa.iter().find(|g| g.name == f.name) {
                    None => out.push(format!("`{name}`: response field `{}` removed", f.name.0)),
                    Some(g) if g.ty != f.ty => out.push(format!("`{name}`: response field `{}` type {} → {}", f.name.0, f.ty, g.ty)),
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out
}

/// Where hand-written code that may name a method lives (`generated/` below them is skipped).
pub const HAND_WRITTEN_SOURCES: [&str; 2] = ["slack-api/src", "slack-api-model/src"];

/// Hand-written code under [`HAND_WRITTEN_SOURCES`] (outside `generated/`) that names a method this
/// change removes (its wire name in quotes, or its request, response or error type), or a
/// removed response field of a method it names: `file:line: …` lines, so the maintainer fixes
/// them before the build fails.
pub fn runtime_uses(root: &Path, c: &Changes) -> Vec<String> {
    let mut targets: Vec<(String, Vec<String>, Option<String>)> = Vec::new();
    for (name, _) in &c.removed {
        let base = crate::names::type_name(name);
        targets.push((
            name.clone(),
            vec![format!("\"{name}\""), format!("{base}Request"), format!("{base}Response"), format!("{base}Error")],
            None,
        ));
    }
    for line in &c.breaking {
        // `m`: response field `f` removed
        if let Some((m, rest)) = line.strip_prefix('`').and_then(|l| l.split_once("`: response field `")) {
            if let Some((field, _)) = rest.split_once('`') {
                let base = crate::names::type_name(m);
                targets.push((m.to_owned(), vec![format!("{base}Response"), format!("{base}Request")], Some(format!(".{field}"))));
            }
        }
    }
    if targets.is_empty() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for dir in HAND_WRITTEN_SOURCES {
        collect_rs(&root.join(dir), &mut files);
    }
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        let shown = file.strip_prefix(root).unwrap_or(&file).display().to_string();
        for (method, needles, field) in &targets {
            if !needles.iter().any(|n| text.contains(n.as_str())) {
                continue;
            }
            for (i, l) in text.lines().enumerate() {
                let hit = match field {
                    None => needles.iter().any(|n| l.contains(n.as_str())),
                    Some(f) => l.contains(f.as_str()),
                };
                if hit {
                    let what = match field {
                        None => format!("`{method}`, which this update removes"),
                        Some(f) => format!("`{}` of `{method}`'s response, which this update removes", &f[1..]),
                    };
                    out.push(format!("{shown}:{}: uses {what}", i + 1));
                }
            }
        }
    }
    out
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "generated") {
                collect_rs(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Compares two trees.
pub fn diff(before: &Methods, after: &Methods) -> Changes {
    let mut c = Changes { before_count: before.len(), after_count: after.len(), ..Changes::default() };
    for (name, a) in after {
        match before.get(name) {
            None => {
                c.added.push((name.clone(), a.description.clone()));
                if let Some(d) = &a.deprecated {
                    c.deprecated.push((name.clone(), d.note.clone()));
                }
            }
            Some(b) => {
                if b.deprecated.is_none() {
                    if let Some(d) = &a.deprecated {
                        c.deprecated.push((name.clone(), d.note.clone()));
                    }
                }
                let lines = method_changes(b, a);
                if !lines.is_empty() {
                    c.changed.push((name.clone(), lines));
                }
                c.breaking.extend(breaking_changes(name, b, a));
            }
        }
    }
    for (name, b) in before {
        if !after.contains_key(name) {
            c.removed.push((name.clone(), b.description.clone()));
        }
    }
    let family = |n: &str| n.split('.').next().unwrap_or(n).to_owned();
    let mut breaking: Vec<String> = c.removed.iter().map(|(n, _)| format!("`{n}` removed (its request, response and error types go)")).collect();
    let gone: BTreeSet<String> = before.keys().map(|n| family(n)).filter(|f| !after.keys().any(|n| family(n) == *f)).collect();
    for f in gone {
        breaking.push(format!("cargo feature `{}` removed: no `{f}.*` method is left", crate::names::snake_name(&f)));
    }
    breaking.append(&mut c.breaking);
    c.breaking = breaking;
    c
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The report as Markdown.
pub fn markdown(c: &Changes) -> String {
    let mut s = String::from("# Slack Web API changes\n\n");
    let _ = writeln!(
        s,
        "{} → {} methods: {} added, {} removed, {} deprecated, {} changed.",
        c.before_count,
        c.after_count,
        c.added.len(),
        c.removed.len(),
        c.deprecated.len(),
        c.changed.len()
    );
    if c.is_empty() {
        s.push_str("\nNo changes.\n");
        return s;
    }
    if !c.breaking.is_empty() || !c.runtime_uses.is_empty() {
        let _ = writeln!(s, "\n## Breaking for callers\n");
        for l in &c.breaking {
            let _ = writeln!(s, "- {l}");
        }
        if !c.runtime_uses.is_empty() {
            let _ = writeln!(s, "\nHand-written code that uses what this update removes (fix it before building):\n");
            for l in &c.runtime_uses {
                let _ = writeln!(s, "- {l}");
            }
        }
    }
    let list = |s: &mut String, title: &str, items: &[(String, String)]| {
        if !items.is_empty() {
            let _ = writeln!(s, "\n## {title}\n");
            for (name, text) in items {
                let _ = writeln!(s, "- `{name}` — {}", one_line(text));
            }
        }
    };
    list(&mut s, "Added", &c.added);
    list(&mut s, "Removed", &c.removed);
    list(&mut s, "Deprecated", &c.deprecated);
    if !c.corrections.is_empty() {
        let _ = writeln!(s, "\n## Corrections\n");
        for l in &c.corrections {
            let _ = writeln!(s, "- {l}");
        }
    }
    if !c.changed.is_empty() {
        let _ = writeln!(s, "\n## Changed");
        for (name, lines) in &c.changed {
            let _ = writeln!(s, "\n### `{name}`\n");
            for l in lines {
                let _ = writeln!(s, "- {l}");
            }
        }
    }
    s
}
