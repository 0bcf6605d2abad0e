//! Methods: the loaded `spec/methods/` files → families of [`Method`]s, each argument, error
//! code, warning and response field checked and named.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::names;
use crate::spec::load::{Seg, SourceFile, SpecError};
use crate::spec::{ArgType, Argument, ArrayEncoding, ErrorTable, HttpMethod, MethodSpec, RateLimit, Scalar};
use super::common::{EnumType, FieldIr, FieldList, fields_ir};

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
pub struct ErrorVariant {
    pub code: String,
    pub variant: String,
    pub description: String,
}

/// Variant names the generated error enums use for themselves.
const RESERVED_VARIANTS: &[&str] = &["Common", "Unknown"];

/// Checks and names the methods, each in its family (by the first segment of its name), the
/// families sorted by module and their methods by wire name.
pub(crate) fn families(
    specs: &[(SourceFile, MethodSpec)],
    object_names: &BTreeSet<&str>,
    errors: &mut Vec<SpecError>,
) -> Vec<Family> {
    let mut families: BTreeMap<String, Family> = BTreeMap::new();
    // Rust type name → (wire name, file) of the method that took it.
    let mut taken: HashMap<String, (String, SourceFile)> = HashMap::new();
    for (src, m) in specs {
        let Some(method) = method(src, m, object_names, errors) else { continue };
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
    let mut families: Vec<Family> = families.into_values().collect();
    for f in &mut families {
        f.methods.sort_by(|a, b| a.wire_name.cmp(&b.wire_name));
    }
    families
}

fn method(
    src: &SourceFile,
    m: &MethodSpec,
    objects: &BTreeSet<&str>,
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
    let (token, args) = arguments(src, m, &base, errors);
    let mut method_errors = error_variants(src, "errors", &m.errors, errors);
    method_errors.sort_by(|a, b| a.code.cmp(&b.code));
    let mut warnings = error_variants(src, "warnings", &m.warnings, errors);
    warnings.sort_by(|a, b| a.code.cmp(&b.code));
    let arg_groups = arg_groups(src, m, &args, errors);
    let token_types = token_types(m);
    let pagination = pagination(src, m, &args, errors);
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

/// The token argument, if any, and every other argument, checked and named: required ones
/// first (they become `new`'s parameters), spec order within each group.
fn arguments(src: &SourceFile, m: &MethodSpec, base: &str, errors: &mut Vec<SpecError>) -> (Option<Arg>, Vec<Arg>) {
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
        let enum_type = arg_enum(src, i, a, base, errors);
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
    (token, args)
}

/// The enum of an `enum` (or `array<enum>`) argument, named after the method (`base`) and the
/// argument; `values` given to any other type is an error.
fn arg_enum(src: &SourceFile, i: usize, a: &Argument, base: &str, errors: &mut Vec<SpecError>) -> Option<EnumType> {
    let at = |key: &str| [Seg::key("arguments"), Seg::Index(i), Seg::key(key)];
    let name = a.name.as_str();
    let is_enum = a.ty.scalar() == Some(Scalar::Enum);
    match (&a.values, is_enum) {
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
    }
}

/// The argument groups, each naming arguments of the method.
fn arg_groups(src: &SourceFile, m: &MethodSpec, args: &[Arg], errors: &mut Vec<SpecError>) -> Vec<ArgGroup> {
    let wire = m.name.as_str();
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
    arg_groups
}

/// (token type, scopes) for each token type that may call the method, in the order bot, user,
/// app, configuration, seamless user.
fn token_types(m: &MethodSpec) -> Vec<(&'static str, Vec<String>)> {
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
    token_types
}

/// The pagination facts of a method with a `cursor` argument (which must be a string);
/// `list_field` without one is an error.
fn pagination(src: &SourceFile, m: &MethodSpec, args: &[Arg], errors: &mut Vec<SpecError>) -> Option<Pagination> {
    let cursor = args.iter().find(|a| a.wire_name == "cursor");
    if let Some(c) = cursor {
        if c.ty != ArgType::Scalar(Scalar::String) {
            errors.push(src.error_at(&[Seg::key("arguments")], format!("the `cursor` argument must be a `string`, not `{}`", c.ty)));
        }
    } else if m.list_field.is_some() {
        errors.push(src.error_at(&[Seg::key("list_field")], "`list_field` is given but the method has no `cursor` argument"));
    }
    cursor.map(|c| Pagination {
        cursor_field: c.field.clone(),
        cursor_required: c.required,
        list_field: m.list_field.clone(),
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
pub(crate) fn error_variants(
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
