//! What the kinds share in the IR: typed fields (of responses, objects, events and
//! interactions) with their enums, and the checks that name them.

use std::collections::{BTreeSet, HashMap};

use crate::names;
use crate::spec::load::{Seg, SourceFile, SpecError};
use crate::spec::{Field, FieldType, ObjectLimits};

/// A typed field of a response or object.
#[derive(Debug, Clone)]
pub struct FieldIr {
    pub wire_name: String,
    pub field: String,
    pub ty: FieldType,
    pub description: Option<String>,
    pub enum_type: Option<EnumType>,
    /// A credential: redacted in `Debug`.
    pub secret: bool,
    /// Typed from an example answer rather than Slack's output schema.
    pub from_example: bool,
    /// For `one_of<…>`: the generated enum.
    pub one_of: Option<OneOfType>,
    /// What `validate()` checks (shared objects only).
    pub limits: ObjectLimits,
}

/// The enum of a `one_of<…>` field: one variant per type, each for one JSON kind.
#[derive(Debug, Clone)]
pub struct OneOfType {
    pub name: String,
    /// Variant name, type, and the JSON kind it takes.
    pub variants: Vec<(String, FieldType, JsonKind)>,
}

/// The kinds of JSON value a `one_of` tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Scalar,
    Object,
    Array,
}

#[derive(Debug, Clone)]
pub struct EnumType {
    pub name: String,
    /// (wire value, variant), in spec order.
    pub values: Vec<(String, String)>,
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

/// The type names a field type refers to (`array<team_ref>` → `team_ref`).
pub(crate) fn named_types(ty: &FieldType) -> Vec<&str> {
    match ty {
        FieldType::Object(name) => vec![name.as_str()],
        FieldType::Array(t) | FieldType::Map(t) => named_types(t),
        FieldType::OneOf(ts) => ts.iter().flat_map(named_types).collect(),
        _ => Vec::new(),
    }
}

/// Reports every field type naming neither a type of the file's own kind (in `own_dir`), a shared
/// object nor a Block Kit type: none of `known`.
pub(crate) fn unknown_types(src: &SourceFile, fields: &[Field], known: &BTreeSet<&str>, own_dir: &str, errors: &mut Vec<SpecError>) {
    for (i, f) in fields.iter().enumerate() {
        for name in named_types(&f.ty).into_iter().filter(|n| !known.contains(n)) {
            errors.push(src.error_at(
                &[Seg::key("fields"), Seg::Index(i), Seg::key("type")],
                format!(
                    "unknown type `{name}` of field `{}`: there is no {own_dir}/{name}.yaml, spec/objects/{name}.yaml or Block Kit type `{name}`",
                    f.name
                ),
            ));
        }
    }
}

/// Checks and names a list of fields.
pub(crate) fn fields_ir(
    src: &SourceFile,
    list: FieldList<'_>,
    fields: &[Field],
    objects: &BTreeSet<&str>,
    errors: &mut Vec<SpecError>,
) -> Vec<FieldIr> {
    let FieldList { key, owner, reserved, limits_allowed } = list;
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, f) in fields.iter().enumerate() {
        let at = At { src, key, index: i };
        let wire = f.name.as_str();
        let field = match rust_field(&at, f) {
            Ok(field) => field,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if reserved.contains(&wire) || reserved.contains(&field.as_str()) {
            errors.push(at.error("name", format!("field `{wire}` is typed by the envelope already (or reserved)")));
            continue;
        }
        // The same key twice (under two `rust_name`s, say), or two keys as one Rust field.
        let same_key = fields[..i].iter().position(|g| g.name.as_str() == wire);
        if let Some(first) = same_key.or_else(|| seen.insert(field.clone(), i)) {
            let first_line = src.line_of(&[Seg::key(key), Seg::Index(first)]).unwrap_or(0);
            errors.push(at.error("name", format!("duplicate field `{wire}` (first defined at line {first_line})")));
            continue;
        }
        if !known_types(&at, f, objects, errors) {
            continue;
        }
        // The field's own types are named after its owner and the field.
        let type_name = format!("{owner}{}", names::type_name(if f.rust_name.is_some() { &field } else { wire }));
        let Ok(one_of) = one_of_type(&at, f, type_name.clone(), objects, errors) else { continue };
        let Ok(enum_type) = field_enum(&at, f, type_name, errors) else { continue };
        let limits = f.limits();
        if let Some(problem) = limits_problem(&limits, &f.ty, limits_allowed) {
            errors.push(at.error("name", format!("field `{wire}`: {problem}")));
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

/// The field being checked, for errors at one of its keys.
struct At<'a> {
    src: &'a SourceFile,
    /// The key of the list of fields in the file.
    key: &'a str,
    index: usize,
}

impl At<'_> {
    fn error(&self, k: &str, message: impl Into<String>) -> SpecError {
        self.src.error_at(&[Seg::key(self.key), Seg::Index(self.index), Seg::key(k)], message)
    }
}

/// The Rust field: the JSON key's, or the `rust_name` of a key that cannot be one.
fn rust_field(at: &At, f: &Field) -> Result<String, SpecError> {
    let wire = f.name.as_str();
    match &f.rust_name {
        Some(n) if n.starts_with(|c: char| c.is_ascii_lowercase()) && n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') => Ok(names::snake_name(n)),
        Some(n) => Err(at.error("rust_name", format!("rust_name `{n}` must be lower-case ASCII letters, digits and `_`, starting with a letter"))),
        None if f.name.is_plain() => Ok(names::snake_name(wire)),
        None => Err(at.error("name", format!("field name `{wire}` cannot become a Rust identifier: give it a `rust_name` (lower-case ASCII letters, digits and `_`)"))),
    }
}

/// Whether every object the field's type names exists and a `one_of` is only the whole type;
/// each problem is reported.
fn known_types(at: &At, f: &Field, objects: &BTreeSet<&str>, errors: &mut Vec<SpecError>) -> bool {
    let members: Vec<&FieldType> = match &f.ty {
        FieldType::OneOf(ts) => ts.iter().collect(),
        t => vec![t],
    };
    let mut ok = true;
    for m in &members {
        let mut inner = *m;
        while let FieldType::Array(t) | FieldType::Map(t) = inner {
            inner = t;
        }
        match inner {
            FieldType::Object(name) if !objects.contains(name.as_str()) => {
                errors.push(at.error("type", format!("unknown object `{name}`: there is no spec/objects/{name}.yaml")));
                ok = false;
            }
            FieldType::OneOf(_) => {
                errors.push(at.error("type", "`one_of` may only be a field's whole type, not inside `array`, `map` or another `one_of`"));
                ok = false;
            }
            _ => {}
        }
    }
    ok
}

/// The enum of a `one_of<…>` field, named `name`: one variant per type, each of its own JSON
/// kind. `Err` once a problem is reported.
fn one_of_type(at: &At, f: &Field, name: String, objects: &BTreeSet<&str>, errors: &mut Vec<SpecError>) -> Result<Option<OneOfType>, ()> {
    let FieldType::OneOf(ts) = &f.ty else { return Ok(None) };
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
                errors.push(at.error("type", format!("`{other}` cannot be one of a `one_of`'s types")));
                return Err(());
            }
        };
        // Two types of one kind are told apart only as an object and a map: the object when it
        // takes every key sent (nothing left in its `extra`), the map otherwise. Anything else
        // could not be told apart by the value sent.
        let pair = |a: &FieldType, b: &FieldType| {
            matches!((a, b), (FieldType::Object(n), FieldType::Map(_)) | (FieldType::Map(_), FieldType::Object(n)) if objects.contains(n.as_str()))
        };
        if let Some((_, other, _)) = variants.iter().find(|(_, _, k)| *k == kind) {
            if !pair(other, t) || variants.iter().filter(|(_, _, k)| *k == kind).count() > 1 {
                errors.push(at.error(
                    "type",
                    format!(
                        "`{}` has two types of one JSON kind: the value sent could not tell them apart (only an object of spec/objects/ and a `map` can share a kind)",
                        f.ty
                    ),
                ));
                return Err(());
            }
        }
        variants.push((variant, t.clone(), kind));
    }
    if objects.iter().any(|o| names::type_name(o) == name) {
        errors.push(at.error("type", format!("the `one_of` type would be named `{name}`, which an object's type already is")));
        return Err(());
    }
    Ok(Some(OneOfType { name, variants }))
}

/// The enum of an `enum` field, named `name`; `values` on any other type is an error. `Err`
/// where the field cannot be kept (a value that cannot become a variant is reported, and the
/// field kept without it).
fn field_enum(at: &At, f: &Field, name: String, errors: &mut Vec<SpecError>) -> Result<Option<EnumType>, ()> {
    let wire = f.name.as_str();
    match (&f.ty, &f.values) {
        (FieldType::Enum, Some(values)) if !values.is_empty() => {
            let mut vs = Vec::new();
            for v in values {
                match names::variant_name(v) {
                    Some(n) if n != "Unknown" && !vs.iter().any(|(_, x): &(String, String)| *x == n) => vs.push((v.clone(), n)),
                    _ => errors.push(at.error("values", format!("enum value `{v}` cannot become a distinct Rust variant"))),
                }
            }
            Ok(Some(EnumType { name, values: vs }))
        }
        (FieldType::Enum, _) => {
            errors.push(at.error("type", format!("enum field `{wire}` has no `values`")));
            Err(())
        }
        (_, Some(_)) => {
            errors.push(at.error("values", format!("`values` given for field `{wire}`, which is not an enum")));
            Err(())
        }
        _ => Ok(None),
    }
}

/// What is wrong with a field's limits, if anything: they belong to shared objects, and each
/// fits only some types.
fn limits_problem(l: &ObjectLimits, ty: &FieldType, in_object: bool) -> Option<String> {
    use FieldType as T;
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

/// Whether the file is named after the type it holds (`<name>.yaml`); an error otherwise.
pub(crate) fn check_file_name(src: &SourceFile, name: &str, errors: &mut Vec<SpecError>) {
    let stem = src.path.file_name().and_then(|s| s.to_str()).and_then(|s| s.strip_suffix(".yaml"));
    if stem != Some(name) {
        errors.push(src.error_at(
            &[Seg::key("name")],
            format!("file name does not match the name: the file for `{name}` must be named `{name}.yaml`"),
        ));
    }
}

/// The Rust type name of a type file's `name`, after checking that the file is named after it
/// and that the name is one Rust names can be made from; `None` (with the error) when it is not.
pub(crate) fn checked_type_name(src: &SourceFile, name: &str, errors: &mut Vec<SpecError>) -> Option<String> {
    check_file_name(src, name, errors);
    check_lower_name(src, name, errors).then(|| names::type_name(name))
}

/// Whether a type's `name` is lower-case ASCII letters, digits and `_`, starting with a letter
/// (what its Rust names are made from); an error otherwise.
fn check_lower_name(src: &SourceFile, name: &str, errors: &mut Vec<SpecError>) -> bool {
    let ok = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        errors.push(src.error_at(
            &[Seg::key("name")],
            format!("name `{name}` must be lower-case ASCII letters, digits and `_`, starting with a letter"),
        ));
    }
    ok
}
