//! The validated, sorted model that "will become" code: every Rust name already resolved, every
//! wire name kept beside it.

use std::collections::{BTreeMap, HashMap};

use crate::load::{LoadedSpec, Seg, SourceFile, SpecError, SpecErrors};
use crate::names;
use crate::spec::{ArgType, ArrayEncoding, ErrorTable, HttpMethod, MethodSpec, RateLimit, Scalar};

#[derive(Debug, Clone)]
pub struct Api {
    pub common_errors: Vec<ErrorVariant>,
    /// Sorted by module name.
    pub families: Vec<Family>,
    /// Shared objects, sorted by name.
    pub objects: Vec<Object>,
    /// Block Kit (`spec/blocks/`).
    pub kit: crate::blocks::Kit,
    /// Events and message subtypes (`spec/events/`).
    pub events: crate::events::EventsIr,
    /// Interactivity payloads (`spec/interactions/`).
    pub interactions: crate::interactions::InteractionsIr,
}

/// A shared object: a struct of known fields, or a tagged union.
#[derive(Debug, Clone)]
pub struct Object {
    pub wire_name: String,
    pub type_name: String,
    pub description: String,
    pub docs_url: Option<String>,
    pub kind: ObjectKind,
    pub spec_file: String,
    /// `validate()` also calls the hand-written `object_checks::<wire_name>`.
    pub cross_checks: bool,
}

#[derive(Debug, Clone)]
pub enum ObjectKind {
    Struct(Vec<FieldIr>),
    /// (wire tag value, variant)
    Union { tag: String, variants: Vec<(String, String)> },
}

/// A typed field of a response or object.
#[derive(Debug, Clone)]
pub struct FieldIr {
    pub wire_name: String,
    pub field: String,
    pub ty: crate::spec::FieldType,
    pub description: Option<String>,
    pub enum_type: Option<EnumType>,
    /// A credential: redacted in `Debug`.
    pub secret: bool,
    /// Typed from an example answer rather than Slack's output schema.
    pub from_example: bool,
    /// For `one_of<…>`: the generated enum.
    pub one_of: Option<OneOfType>,
    /// What `validate()` checks (shared objects only).
    pub limits: crate::spec::ObjectLimits,
}

/// The enum of a `one_of<…>` field: one variant per type, each for one JSON kind.
#[derive(Debug, Clone)]
pub struct OneOfType {
    pub name: String,
    /// Variant name, type, and the JSON kind it takes.
    pub variants: Vec<(String, crate::spec::FieldType, JsonKind)>,
}

/// The kinds of JSON value a `one_of` tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Scalar,
    Object,
    Array,
}

impl Api {
    pub fn methods(&self) -> impl Iterator<Item = &Method> {
        self.families.iter().flat_map(|f| &f.methods)
    }

    /// Every wire name marked `secret` on an argument, a response field, an object field, an
    /// event field or an interaction field, sorted and without repeats.
    pub fn secret_names(&self) -> Vec<String> {
        let mut names = std::collections::BTreeSet::new();
        for m in self.methods() {
            names.extend(m.args.iter().filter(|a| a.secret).map(|a| a.wire_name.clone()));
            for f in m.response.iter().flatten().filter(|f| f.secret) {
                names.insert(f.wire_name.clone());
            }
        }
        for o in &self.objects {
            if let ObjectKind::Struct(fields) = &o.kind {
                names.extend(fields.iter().filter(|f| f.secret).map(|f| f.wire_name.clone()));
            }
        }
        // Payloads Slack sends: events and interactions carry credentials too
        // (`bot_access_token`, an interactor's `secret`).
        let events = self.events.events.iter().chain(&self.events.subtypes).flat_map(|e| &e.fields);
        let interactions = self.interactions.types.iter().flat_map(|t| t.fields());
        for f in events.chain(interactions).filter(|f| f.secret) {
            names.insert(f.wire_name.clone());
        }
        names.into_iter().collect()
    }
}

/// Methods sharing their first name segment; one module and one cargo feature each.
#[derive(Debug, Clone)]
pub struct Family {
    pub wire_name: String,
    pub module: String,
    pub feature: String,
    /// Sorted by wire name.
    pub methods: Vec<Method>,
}

#[derive(Debug, Clone)]
pub struct Method {
    pub wire_name: String,
    /// The spec file it came from, relative to the repository root, `/`-separated.
    pub spec_file: String,
    pub description: String,
    pub docs_url: String,
    pub http_method: HttpMethod,
    pub content_types: Vec<String>,
    /// (token type, scopes) in the order bot, user, app.
    pub token_types: Vec<(&'static str, Vec<String>)>,
    pub no_scope_required: bool,
    pub rate_limit: RateLimit,
    pub rate_limit_note: Option<String>,
    pub deprecated: Option<String>,
    pub request_type: String,
    pub error_type: String,
    pub response_type: String,
    /// The documented token argument, if the method takes one (sent as a header).
    pub token: Option<Arg>,
    /// Every other argument: required ones first, each group in spec order.
    pub args: Vec<Arg>,
    /// Method-specific codes, sorted by code.
    pub errors: Vec<ErrorVariant>,
    /// Documented warning codes, sorted by code.
    pub warnings: Vec<ErrorVariant>,
    pub arg_groups: Vec<ArgGroup>,
    /// Whether sending the call twice is harmless (reads): such calls may be retried after a
    /// failure that leaves open whether the first attempt took effect.
    pub idempotent: bool,
    /// Authenticates with `client_id`/`client_secret` (HTTP Basic), not a token: it has both
    /// arguments and no `token` argument.
    pub client_auth: bool,
    /// For methods with a `cursor` argument: the pagination facts.
    pub pagination: Option<Pagination>,
    /// The typed fields of a successful response; `None` where the response stays untyped.
    pub response: Option<Vec<FieldIr>>,
}

#[derive(Debug, Clone)]
pub struct Pagination {
    /// The Rust field of the `cursor` argument.
    pub cursor_field: String,
    pub cursor_required: bool,
    /// The response field holding the items, if known.
    pub list_field: Option<String>,
}

/// Reads, by name: GET methods, and POST methods whose last name segment is a read verb.
pub fn is_idempotent(wire: &str, http: HttpMethod) -> bool {
    if http == HttpMethod::Get {
        return true;
    }
    let last = wire.rsplit('.').next().unwrap_or(wire);
    let family = wire.split('.').next().unwrap_or(wire);
    const READS: &[&str] = &["info", "history", "replies", "members", "test", "list", "lookup", "search"];
    const READ_PREFIXES: &[&str] = &["get", "list", "lookup", "search"];
    family == "search"
        || READS.contains(&last)
        || READ_PREFIXES.iter().any(|p| last.strip_prefix(p).is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_uppercase)))
}

#[derive(Debug, Clone)]
pub struct ArgGroup {
    /// Wire names.
    pub args: Vec<String>,
    pub description: String,
    pub required: bool,
    pub exclusive: bool,
}

impl Method {
    pub fn required_args(&self) -> impl Iterator<Item = &Arg> {
        self.args.iter().filter(|a| a.required)
    }
    pub fn optional_args(&self) -> impl Iterator<Item = &Arg> {
        self.args.iter().filter(|a| !a.required)
    }
}

#[derive(Debug, Clone)]
pub struct Arg {
    pub wire_name: String,
    pub field: String,
    pub ty: ArgType,
    pub required: bool,
    pub description: Option<String>,
    pub example: Option<String>,
    pub default: Option<String>,
    /// For `enum` and `array<enum>`: the generated enum.
    pub enum_type: Option<EnumType>,
    pub encoding: ArrayEncoding,
    /// A credential: redacted in `Debug`.
    pub secret: bool,
}

#[derive(Debug, Clone)]
pub struct EnumType {
    pub name: String,
    /// (wire value, variant), in spec order.
    pub values: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct ErrorVariant {
    pub code: String,
    pub variant: String,
    pub description: String,
}

/// Variant names the generated error enums use for themselves.
const RESERVED_VARIANTS: &[&str] = &["Common", "Unknown"];

/// Validates a loaded spec and resolves it into the IR. Reports every problem found, each at its
/// place in its file.
pub fn build(spec: &LoadedSpec) -> Result<Api, SpecErrors> {
    build_with_kit(spec, crate::blocks::Kit::default())
}

/// [`build`], with Block Kit: object fields may name its types (`array<block>`).
pub fn build_with_kit(spec: &LoadedSpec, kit: crate::blocks::Kit) -> Result<Api, SpecErrors> {
    let mut errors = Vec::new();
    let (common_src, common) = &spec.common;
    let common_errors = error_variants(common_src, "errors", &common.errors, &mut errors);
    let mut object_names: std::collections::BTreeSet<&str> = spec.objects.iter().map(|(_, o)| o.name.as_str()).collect();
    object_names.extend(kit.types.iter().map(|t| t.name.as_str()));
    let mut objects = Vec::new();
    for (src, o) in &spec.objects {
        if let Some(obj) = object(src, o, &object_names, &mut errors) {
            objects.push(obj);
        }
    }
    objects.sort_by(|a: &Object, b: &Object| a.wire_name.cmp(&b.wire_name));

    let mut families: BTreeMap<String, Family> = BTreeMap::new();
    // Rust type name → (wire name, file) of the method that took it.
    let mut taken: HashMap<String, (String, SourceFile)> = HashMap::new();
    for (src, m) in &spec.methods {
        let Some(method) = method(src, m, &object_names, &mut errors) else { continue };
        if let Some((other, other_src)) = taken.get(&method.request_type) {
            errors.push(src.error_at(
                &[Seg::key("name")],
                format!(
                    "duplicate method: `{}` and `{other}` ({}) both become `{}`",
                    method.wire_name,
                    other_src.path.display(),
                    method.request_type
                ),
            ));
            continue;
        }
        taken.insert(method.request_type.clone(), (method.wire_name.clone(), src.clone()));
        let family_wire = method.wire_name.split('.').next().unwrap_or_default().to_owned();
        let module = names::snake_name(&family_wire);
        families
            .entry(module.clone())
            .or_insert_with(|| Family {
                feature: module.trim_end_matches('_').to_owned(),
                wire_name: family_wire,
                module,
                methods: Vec::new(),
            })
            .methods
            .push(method);
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    let mut families: Vec<Family> = families.into_values().collect();
    for f in &mut families {
        f.methods.sort_by(|a, b| a.wire_name.cmp(&b.wire_name));
    }
    Ok(Api { common_errors, families, objects, kit, events: Default::default(), interactions: Default::default() })
}

fn method(
    src: &SourceFile,
    m: &MethodSpec,
    objects: &std::collections::BTreeSet<&str>,
    errors: &mut Vec<SpecError>,
) -> Option<Method> {
    let before = errors.len();
    let wire = m.name.as_str();
    let stem = src.path.file_name().and_then(|s| s.to_str()).and_then(|s| s.strip_suffix(".yaml"));
    if stem != Some(wire) {
        errors.push(src.error_at(
            &[Seg::key("name")],
            format!(
                "file name does not match method name: the file for `{wire}` must be named `{wire}.yaml`"
            ),
        ));
    }
    if m.content_types.is_empty() {
        errors.push(src.error_at(&[Seg::key("content_types")], "`content_types` must not be empty"));
    }

    let base = names::type_name(wire);
    let mut token = None;
    let mut args: Vec<Arg> = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut fields: HashMap<String, &str> = HashMap::new();
    for (i, a) in m.arguments.iter().enumerate() {
        let at = |key: &str| [Seg::key("arguments"), Seg::Index(i), Seg::key(key)];
        let name = a.name.as_str();
        if let Some(first) = seen.insert(name, i) {
            let first_line = src.line_of(&[Seg::key("arguments"), Seg::Index(first)]).unwrap_or(0);
            errors.push(src.error_at(
                &at("name"),
                format!("duplicate argument `{name}` (first defined at line {first_line})"),
            ));
            continue;
        }
        let field = names::snake_name(name);
        if let Some(other) = fields.insert(field.clone(), name) {
            errors.push(src.error_at(
                &at("name"),
                format!("arguments `{other}` and `{name}` both become the field `{field}`"),
            ));
        }
        let is_enum = a.ty.scalar() == Some(Scalar::Enum);
        let enum_type = match (&a.values, is_enum) {
            (None, true) => {
                errors.push(src.error_at(
                    &at("type"),
                    format!("enum argument `{name}` has no `values`: list the accepted values"),
                ));
                None
            }
            (Some(v), true) if v.is_empty() => {
                errors.push(src.error_at(
                    &at("values"),
                    format!("enum argument `{name}` has an empty `values` list"),
                ));
                None
            }
            (Some(_), false) => {
                errors.push(src.error_at(
                    &at("values"),
                    format!("`values` given for argument `{name}` of type `{}`: only `enum` types take values", a.ty),
                ));
                None
            }
            (Some(values), true) => enum_type(src, i, &format!("{base}{}", names::type_name(name)), values, errors),
            (None, false) => None,
        };
        if a.encoding.is_some() && !matches!(a.ty, ArgType::Array(_)) {
            errors.push(src.error_at(
                &at("encoding"),
                format!("`encoding` given for argument `{name}` of type `{}`: only arrays take an encoding", a.ty),
            ));
        }
        let arg = Arg {
            wire_name: name.to_owned(),
            field,
            ty: a.ty.clone(),
            required: a.required,
            description: a.description.clone(),
            example: a.example.clone(),
            default: a.default.clone(),
            enum_type,
            encoding: a.encoding.unwrap_or(ArrayEncoding::Comma),
            secret: a.secret,
        };
        if a.ty == ArgType::Token {
            if token.is_some() {
                errors.push(src.error_at(&at("type"), "a method takes at most one `token` argument"));
            }
            token = Some(arg);
        } else {
            args.push(arg);
        }
    }
    // Required first (they become `new`'s parameters), spec order within each group.
    args.sort_by_key(|a| !a.required);

    let mut method_errors = error_variants(src, "errors", &m.errors, errors);
    method_errors.sort_by(|a, b| a.code.cmp(&b.code));
    let mut warnings = error_variants(src, "warnings", &m.warnings, errors);
    warnings.sort_by(|a, b| a.code.cmp(&b.code));

    let mut arg_groups = Vec::new();
    for (i, g) in m.arg_groups.iter().enumerate() {
        let mut ok = true;
        for (j, a) in g.args.iter().enumerate() {
            if !args.iter().any(|x| x.wire_name == a.as_str()) {
                ok = false;
                errors.push(src.error_at(
                    &[Seg::key("arg_groups"), Seg::Index(i), Seg::key("args"), Seg::Index(j)],
                    format!("argument group names `{a}`, which is not an argument of `{wire}`"),
                ));
            }
        }
        if g.args.is_empty() {
            ok = false;
            errors.push(src.error_at(&[Seg::key("arg_groups"), Seg::Index(i)], "argument group with no arguments"));
        }
        if ok {
            arg_groups.push(ArgGroup {
                args: g.args.iter().map(|a| a.0.clone()).collect(),
                description: g.description.clone(),
                required: g.required,
                exclusive: g.exclusive,
            });
        }
    }

    let mut token_types = Vec::new();
    for (kind, scopes) in [
        ("bot", &m.scopes.bot),
        ("user", &m.scopes.user),
        ("app", &m.scopes.app),
        ("configuration", &m.scopes.configuration),
        ("seamless_user", &m.scopes.seamless_user),
    ] {
        if let Some(s) = scopes {
            token_types.push((kind, s.clone()));
        }
    }

    let cursor = args.iter().find(|a| a.wire_name == "cursor");
    if let Some(c) = cursor {
        if c.ty != ArgType::Scalar(Scalar::String) {
            errors.push(src.error_at(&[Seg::key("arguments")], format!("the `cursor` argument must be a `string`, not `{}`", c.ty)));
        }
    } else if m.list_field.is_some() {
        errors.push(src.error_at(&[Seg::key("list_field")], "`list_field` is given but the method has no `cursor` argument"));
    }
    let pagination = cursor.map(|c| Pagination {
        cursor_field: c.field.clone(),
        cursor_required: c.required,
        list_field: m.list_field.clone(),
    });

    let response = m
        .response
        .as_ref()
        .map(|fields| {
            let owner = format!("{base}Response");
            let list = FieldList { key: "response", owner: &owner, reserved: &["ok", "warning", "response_metadata", "extra"], limits_allowed: false };
            fields_ir(src, list, fields, objects, errors)
        });

    let client_auth = token.is_none()
        && ["client_id", "client_secret"].iter().all(|n| args.iter().any(|a| a.wire_name == *n));
    (errors.len() == before).then(|| Method {
        wire_name: wire.to_owned(),
        spec_file: src.path.to_string_lossy().replace('\\', "/"),
        description: m.description.clone(),
        docs_url: m.docs_url.clone(),
        http_method: m.http_method,
        content_types: m.content_types.clone(),
        token_types,
        no_scope_required: m.scopes.no_scope_required,
        rate_limit: m.rate_limit,
        rate_limit_note: m.rate_limit_note.clone(),
        deprecated: m.deprecated.as_ref().map(|d| d.note.clone()),
        request_type: format!("{base}Request"),
        error_type: format!("{base}Error"),
        response_type: format!("{base}Response"),
        token,
        args,
        errors: method_errors,
        warnings,
        arg_groups,
        idempotent: is_idempotent(wire, m.http_method),
        client_auth,
        pagination,
        response,
    })
}

fn enum_type(
    src: &SourceFile,
    arg_index: usize,
    name: &str,
    values: &[String],
    errors: &mut Vec<SpecError>,
) -> Option<EnumType> {
    let before = errors.len();
    let mut out = Vec::new();
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (j, v) in values.iter().enumerate() {
        let at = [Seg::key("arguments"), Seg::Index(arg_index), Seg::key("values"), Seg::Index(j)];
        let Some(variant) = names::variant_name(v) else {
            errors.push(src.error_at(&at, format!("enum value `{v}` cannot become a Rust identifier")));
            continue;
        };
        if variant == "Unknown" {
            errors.push(src.error_at(&at, format!("enum value `{v}` clashes with the `Unknown` fallback variant")));
        } else if let Some(other) = seen.insert(variant.clone(), v) {
            let msg = if other == v {
                format!("duplicate enum value `{v}`")
            } else {
                format!("enum values `{other}` and `{v}` both become the variant `{variant}`")
            };
            errors.push(src.error_at(&at, msg));
        }
        out.push((v.clone(), variant));
    }
    (errors.len() == before).then(|| EnumType { name: name.to_owned(), values: out })
}

/// Checks an error table (duplicates, variant clashes) and names its variants. `key` is the
/// table's key in the file.
fn error_variants(
    src: &SourceFile,
    key: &str,
    table: &ErrorTable,
    errors: &mut Vec<SpecError>,
) -> Vec<ErrorVariant> {
    let mut out = Vec::new();
    let mut codes: HashMap<&str, usize> = HashMap::new();
    let mut variants: HashMap<String, &str> = HashMap::new();
    for (code, description) in &table.0 {
        let code = code.as_str();
        let nth = codes.entry(code).or_insert(0);
        let occurrence = *nth;
        *nth += 1;
        let at = [Seg::key(key), Seg::KeyName(code.to_owned(), occurrence)];
        if occurrence > 0 {
            let first = [Seg::key(key), Seg::KeyName(code.to_owned(), 0)];
            let first_line = src.line_of(&first).unwrap_or(0);
            errors.push(src.error_at(
                &at,
                format!("duplicate error code `{code}` (first defined at line {first_line})"),
            ));
            continue;
        }
        let variant = names::type_name(code);
        if RESERVED_VARIANTS.contains(&variant.as_str()) {
            errors.push(src.error_at(
                &at,
                format!("error code `{code}` would become `{variant}`, which the generated error enum reserves"),
            ));
            continue;
        }
        if let Some(other) = variants.insert(variant.clone(), code) {
            errors.push(src.error_at(
                &at,
                format!("error codes `{other}` and `{code}` both become the variant `{variant}`"),
            ));
            continue;
        }
        if description.trim().is_empty() {
            errors.push(src.error_at(&at, format!("error code `{code}` has an empty description")));
        }
        out.push(ErrorVariant { code: code.to_owned(), variant, description: description.clone() });
    }
    out
}

fn object(
    src: &SourceFile,
    o: &crate::spec::ObjectSpec,
    objects: &std::collections::BTreeSet<&str>,
    errors: &mut Vec<SpecError>,
) -> Option<Object> {
    let before = errors.len();
    let stem = src.path.file_name().and_then(|s| s.to_str()).and_then(|s| s.strip_suffix(".yaml"));
    if stem != Some(o.name.as_str()) {
        errors.push(src.error_at(
            &[Seg::key("name")],
            format!("file name does not match object name: the file for `{0}` must be named `{0}.yaml`", o.name),
        ));
    }
    if !o.name.chars().all(|c| c.is_ascii_lowercase() || c == '_') || o.name.is_empty() {
        errors.push(src.error_at(&[Seg::key("name")], format!("object name `{}` must be lower-case letters and `_`", o.name)));
    }
    if o.cross_checks && o.fields.is_none() {
        errors.push(src.error_at(&[Seg::key("cross_checks")], "`cross_checks` is for an object with `fields`"));
    }
    let type_name = names::type_name(&o.name);
    let kind = match (&o.fields, &o.union) {
        (Some(fields), None) => ObjectKind::Struct(fields_ir(
            src,
            FieldList { key: "fields", owner: &type_name, reserved: &["extra"], limits_allowed: true },
            fields,
            objects,
            errors,
        )),
        (None, Some(u)) => {
            let mut variants = Vec::new();
            let mut seen = HashMap::new();
            for (i, v) in u.variants.iter().enumerate() {
                let at = [Seg::key("union"), Seg::key("variants"), Seg::Index(i)];
                match names::variant_name(v) {
                    Some(name) if name != "Unknown" => {
                        if seen.insert(name.clone(), v).is_some() {
                            errors.push(src.error_at(&at, format!("duplicate union variant `{v}`")));
                        }
                        variants.push((v.clone(), name));
                    }
                    _ => errors.push(src.error_at(&at, format!("union variant `{v}` cannot become a Rust variant"))),
                }
            }
            ObjectKind::Union { tag: u.tag.clone(), variants }
        }
        _ => {
            errors.push(src.error_at(&[Seg::key("name")], "an object has either `fields` or `union`, not both or neither"));
            return None;
        }
    };
    (errors.len() == before).then(|| Object {
        wire_name: o.name.clone(),
        type_name,
        description: o.description.clone(),
        docs_url: o.docs_url.clone(),
        kind,
        spec_file: src.path.to_string_lossy().replace('\\', "/"),
        cross_checks: o.cross_checks,
    })
}

/// Where a list of fields is: under `key` of the file, held by the Rust type `owner` (enum types
/// are named after it), which uses the `reserved` names itself; `limits_allowed`: the fields may
/// carry limits (a shared object's).
pub(crate) struct FieldList<'a> {
    pub key: &'a str,
    pub owner: &'a str,
    pub reserved: &'a [&'a str],
    pub limits_allowed: bool,
}

/// Checks and names a list of fields.
pub(crate) fn fields_ir(
    src: &SourceFile,
    list: FieldList<'_>,
    fields: &[crate::spec::Field],
    objects: &std::collections::BTreeSet<&str>,
    errors: &mut Vec<SpecError>,
) -> Vec<FieldIr> {
    let FieldList { key, owner, reserved, limits_allowed } = list;
    use crate::spec::FieldType;
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, f) in fields.iter().enumerate() {
        let at = |k: &str| [Seg::key(key), Seg::Index(i), Seg::key(k)];
        let wire = f.name.as_str();
        let field = match &f.rust_name {
            Some(n) if n.starts_with(|c: char| c.is_ascii_lowercase()) && n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') => names::snake_name(n),
            Some(n) => {
                errors.push(src.error_at(&at("rust_name"), format!("rust_name `{n}` must be lower-case ASCII letters, digits and `_`, starting with a letter")));
                continue;
            }
            None if f.name.is_plain() => names::snake_name(wire),
            None => {
                errors.push(src.error_at(&at("name"), format!("field name `{wire}` cannot become a Rust identifier: give it a `rust_name` (lower-case ASCII letters, digits and `_`)")));
                continue;
            }
        };
        if reserved.contains(&wire) || reserved.contains(&field.as_str()) {
            errors.push(src.error_at(&at("name"), format!("field `{wire}` is typed by the envelope already (or reserved)")));
            continue;
        }
        // The same key twice (under two `rust_name`s, say), or two keys as one Rust field.
        let same_key = fields[..i].iter().position(|g| g.name.as_str() == wire);
        if let Some(first) = same_key.or_else(|| seen.insert(field.clone(), i)) {
            let first_line = src.line_of(&[Seg::key(key), Seg::Index(first)]).unwrap_or(0);
            errors.push(src.error_at(&at("name"), format!("duplicate field `{wire}` (first defined at line {first_line})")));
            continue;
        }
        let members: Vec<&FieldType> = match &f.ty {
            FieldType::OneOf(ts) => ts.iter().collect(),
            t => vec![t],
        };
        let mut bad = false;
        for m in &members {
            let mut inner = *m;
            while let FieldType::Array(t) | FieldType::Map(t) = inner {
                inner = t;
            }
            match inner {
                FieldType::Object(name) if !objects.contains(name.as_str()) => {
                    errors.push(src.error_at(&at("type"), format!("unknown object `{name}`: there is no spec/objects/{name}.yaml")));
                    bad = true;
                }
                FieldType::OneOf(_) => {
                    errors.push(src.error_at(&at("type"), "`one_of` may only be a field's whole type, not inside `array`, `map` or another `one_of`"));
                    bad = true;
                }
                _ => {}
            }
        }
        if bad {
            continue;
        }
        let one_of = match &f.ty {
            FieldType::OneOf(ts) => {
                let mut variants: Vec<(String, FieldType, JsonKind)> = Vec::new();
                for t in ts {
                    let (kind, variant) = match t {
                        FieldType::Object(name) => (JsonKind::Object, names::type_name(name)),
                        FieldType::Map(_) => (JsonKind::Object, "Map".to_owned()),
                        FieldType::Array(_) => (JsonKind::Array, "List".to_owned()),
                        FieldType::AnyScalar => (JsonKind::Scalar, "Scalar".to_owned()),
                        FieldType::String => (JsonKind::Scalar, "Text".to_owned()),
                        FieldType::Boolean => (JsonKind::Scalar, "Bool".to_owned()),
                        FieldType::Integer | FieldType::LaxInteger => (JsonKind::Scalar, "Integer".to_owned()),
                        FieldType::Number => (JsonKind::Scalar, "Number".to_owned()),
                        FieldType::Timestamp => (JsonKind::Scalar, "Timestamp".to_owned()),
                        FieldType::Id(k) => (JsonKind::Scalar, k.names().1.to_owned()),
                        other => {
                            errors.push(src.error_at(&at("type"), format!("`{other}` cannot be one of a `one_of`'s types")));
                            bad = true;
                            break;
                        }
                    };
                    // Two types of one kind are told apart only as an object and a map: the
                    // object when it takes every key sent (nothing left in its `extra`), the map
                    // otherwise. Anything else could not be told apart by the value sent.
                    let pair = |a: &FieldType, b: &FieldType| {
                        matches!((a, b), (FieldType::Object(n), FieldType::Map(_)) | (FieldType::Map(_), FieldType::Object(n)) if objects.contains(n.as_str()))
                    };
                    if let Some((_, other, _)) = variants.iter().find(|(_, _, k)| *k == kind) {
                        if !pair(other, t) || variants.iter().filter(|(_, _, k)| *k == kind).count() > 1 {
                            errors.push(src.error_at(
                                &at("type"),
                                format!(
                                    "`{}` has two types of one JSON kind: the value sent could not tell them apart (only an object of spec/objects/ and a `map` can share a kind)",
                                    f.ty
                                ),
                            ));
                            bad = true;
                            break;
                        }
                    }
                    variants.push((variant, t.clone(), kind));
                }
                if bad {
                    continue;
                }
                let name = format!("{owner}{}", names::type_name(if f.rust_name.is_some() { &field } else { wire }));
                if objects.iter().any(|o| names::type_name(o) == name) {
                    errors.push(src.error_at(&at("type"), format!("the `one_of` type would be named `{name}`, which an object's type already is")));
                    continue;
                }
                Some(OneOfType { name, variants })
            }
            _ => None,
        };
        let enum_type = match (&f.ty, &f.values) {
            (FieldType::Enum, Some(values)) if !values.is_empty() => {
                let mut vs = Vec::new();
                for v in values {
                    match names::variant_name(v) {
                        Some(n) if n != "Unknown" && !vs.iter().any(|(_, x): &(String, String)| *x == n) => vs.push((v.clone(), n)),
                        _ => errors.push(src.error_at(&at("values"), format!("enum value `{v}` cannot become a distinct Rust variant"))),
                    }
                }
                Some(EnumType { name: format!("{owner}{}", names::type_name(if f.rust_name.is_some() { &field } else { wire })), values: vs })
            }
            (FieldType::Enum, _) => {
                errors.push(src.error_at(&at("type"), format!("enum field `{wire}` has no `values`")));
                continue;
            }
            (_, Some(_)) => {
                errors.push(src.error_at(&at("values"), format!("`values` given for field `{wire}`, which is not an enum")));
                continue;
            }
            _ => None,
        };
        let limits = f.limits();
        if let Some(problem) = limits_problem(&limits, &f.ty, limits_allowed) {
            errors.push(src.error_at(&at("name"), format!("field `{wire}`: {problem}")));
            continue;
        }
        out.push(FieldIr {
            wire_name: wire.to_owned(),
            field,
            ty: f.ty.clone(),
            description: f.description.clone(),
            enum_type,
            secret: f.secret,
            from_example: f.from_example,
            one_of,
            limits,
        });
    }
    out
}

/// What is wrong with a field's limits, if anything: they belong to shared objects, and each
/// fits only some types.
fn limits_problem(l: &crate::spec::ObjectLimits, ty: &crate::spec::FieldType, in_object: bool) -> Option<String> {
    use crate::spec::FieldType as T;
    if l.is_empty() {
        return None;
    }
    if !in_object {
        return Some("limits (`required`, lengths, item counts, `format`, `closed`) are for fields of spec/objects/ only".into());
    }
    let string = matches!(ty, T::String);
    let strings = matches!(ty, T::Array(t) if matches!(**t, T::String));
    let list = matches!(ty, T::Array(_) | T::Map(_));
    let enumish = matches!(ty, T::Enum) || matches!(ty, T::Array(t) if matches!(**t, T::Enum));
    if (l.min_length.is_some() || l.max_length.is_some()) && !string {
        return Some(format!("`min_length` / `max_length` need a `string`, not `{ty}`"));
    }
    if (l.min_items.is_some() || l.max_items.is_some()) && !list {
        return Some(format!("`min_items` / `max_items` need an `array` or `map`, not `{ty}`"));
    }
    if l.item_max_length.is_some() && !strings {
        return Some(format!("`item_max_length` needs an `array<string>`, not `{ty}`"));
    }
    if l.format.is_some() && !(string || strings) {
        return Some(format!("`format` needs a `string` or `array<string>`, not `{ty}`"));
    }
    if l.closed && !enumish {
        return Some(format!("`closed` needs an `enum`, not `{ty}`"));
    }
    match (l.min_length, l.max_length, l.min_items, l.max_items) {
        (Some(a), Some(b), _, _) | (_, _, Some(a), Some(b)) if a > b => Some(format!("a minimum ({a}) above its maximum ({b})")),
        _ => None,
    }
}
