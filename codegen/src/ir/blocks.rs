//! Block Kit: the loaded `spec/blocks/` files → validated IR, every reference between types
//! resolved and every limit checked against its field's type.

use std::collections::{BTreeMap, BTreeSet};

use crate::names;
use crate::spec::FormatName;
use crate::spec::blocks::{Group, KitField, KitSpec, KitType, SurfaceName};
use crate::spec::load::{Seg, SourceFile, SpecError, SpecErrors};
use super::common::EnumType;

/// The validated Block Kit model, types sorted by name.
#[derive(Debug, Clone, Default)]
pub struct Kit {
    pub types: Vec<KitTypeIr>,
}

impl Kit {
    pub fn get(&self, name: &str) -> Option<&KitTypeIr> {
        self.types.binary_search_by(|t| t.name.as_str().cmp(name)).ok().map(|i| &self.types[i])
    }

    /// Whether `name` is a text object (`plain_text`, `mrkdwn`, or a union of only those).
    pub fn is_text(&self, name: &str) -> bool {
        TEXT_OBJECTS.contains(&name)
            || self.get(name).is_some_and(|t| match &t.kind {
                KindIr::Union(vs) => vs.iter().all(|v| TEXT_OBJECTS.contains(&v.member.as_str())),
                KindIr::Struct { .. } => false,
            })
    }
}

/// The text objects: their `text` limits are checked by the field that holds them, which may
/// tighten them (a button's label is at most 75 characters, not 3,000).
pub const TEXT_OBJECTS: &[&str] = &["plain_text", "mrkdwn"];

#[derive(Debug, Clone)]
pub struct KitTypeIr {
    pub name: String,
    pub rust: String,
    pub group: Group,
    pub tag: Option<String>,
    pub description: String,
    pub docs_url: String,
    /// `None`: every surface.
    pub surfaces: Option<Vec<SurfaceName>>,
    pub surface: Option<SurfaceName>,
    pub example: Option<String>,
    /// `from_schema: true`: imported from the Block Kit schema, not yet reviewed.
    pub from_schema: bool,
    pub kind: KindIr,
    pub spec_file: String,
}

#[derive(Debug, Clone)]
pub enum KindIr {
    Struct { fields: Vec<KitFieldIr>, groups: Vec<GroupIr> },
    Union(Vec<VariantIr>),
}

#[derive(Debug, Clone)]
pub struct VariantIr {
    pub tag: String,
    pub variant: String,
    pub member: String,
    pub member_rust: String,
}

#[derive(Debug, Clone)]
pub struct GroupIr {
    pub exactly_one: bool,
    pub fields: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct KitFieldIr {
    pub wire: String,
    pub field: String,
    pub ty: KitType,
    pub required: bool,
    pub description: Option<String>,
    /// `from_schema: true`: imported from the Block Kit schema, not yet described.
    pub from_schema: bool,
    pub example: Option<String>,
    pub enum_type: Option<EnumType>,
    pub limits: Limits,
}

/// A field's limits. For a text object field, `min_length`/`max_length` apply to its `text`
/// (defaulting to the text object's own); `item_max_length` to each text of a list of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub item_max_length: Option<usize>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub format: Option<FormatName>,
}

impl Limits {
    /// How many limits there are (for the counts in the docs).
    pub fn count(&self) -> usize {
        [
            self.min_length.is_some(),
            self.max_length.is_some(),
            self.min_items.is_some(),
            self.max_items.is_some(),
            self.item_max_length.is_some(),
            self.minimum.is_some(),
            self.maximum.is_some(),
            self.format.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count()
    }
}

/// Rust names a Block Kit type may not take: what `block_kit.rs` names unqualified (the
/// prelude's types and variants) or re-exports from the runtime by a glob (a type of the same
/// name would shadow it).
const SHADOWED: &[&str] = &[
    "String", "Option", "Vec", "Box", "Result", "Self", "Some", "None", "Ok", "Err",
    "IntoJson", "Json", "JsonArg", "FromJson", "JsonWriter", "WriteJson", "Format", "Path", "Surface",
    "TextObject", "Validate", "Validator", "Violation", "ViolationKind", "Violations",
];

/// Validates the loaded files and resolves them into the IR.
pub fn build(files: &[(SourceFile, KitSpec)]) -> Result<Kit, SpecErrors> {
    let mut errors = Vec::new();
    let by_name: BTreeMap<&str, (&SourceFile, &KitSpec)> = files.iter().map(|(s, k)| (k.name.as_str(), (s, k))).collect();
    let mut rust_names: BTreeSet<String> = BTreeSet::new();
    let mut types = Vec::new();
    for (src, k) in files {
        let stem = src.path.file_name().and_then(|s| s.to_str()).and_then(|s| s.strip_suffix(".yaml"));
        if stem != Some(k.name.as_str()) {
            errors.push(src.error_at(&[Seg::key("name")], format!("file name does not match the name: the file for `{0}` must be named `{0}.yaml`", k.name)));
            continue;
        }
        if k.name.is_empty() || !k.name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            errors.push(src.error_at(&[Seg::key("name")], format!("name `{}` must be lower-case letters and `_`", k.name)));
            continue;
        }
        let rust = names::type_name(&k.name);
        if SHADOWED.contains(&rust.as_str()) {
            errors.push(src.error_at(&[Seg::key("name")], format!("name `{}` would become `{rust}`, a name the generated code uses for something else", k.name)));
            continue;
        }
        if !rust_names.insert(rust.clone()) {
            errors.push(src.error_at(&[Seg::key("name")], format!("two Block Kit types become `{rust}`")));
        }
        let kind = match (&k.fields, &k.union) {
            (Some(fields), None) => struct_ir(src, k, &rust, fields, &by_name, &mut errors),
            (None, Some(members)) => {
                if k.tag.is_some() || !k.groups.is_empty() || k.surface.is_some() {
                    errors.push(src.error_at(&[Seg::key("union")], "a union has no `tag`, `groups` or `surface` of its own"));
                }
                union_ir(src, members, &by_name, &mut errors)
            }
            _ => {
                errors.push(src.error_at(&[Seg::key("name")], "a Block Kit type has either `fields` or `union`, not both or neither"));
                continue;
            }
        };
        if let Some(t) = &k.tag {
            if t.is_empty() {
                errors.push(src.error_at(&[Seg::key("tag")], "empty `tag`"));
            }
        }
        types.push(KitTypeIr {
            name: k.name.clone(),
            rust,
            group: k.group,
            tag: k.tag.clone(),
            description: k.description.clone(),
            docs_url: k.docs_url.clone(),
            surfaces: k.surfaces.clone(),
            surface: k.surface,
            example: k.rust_example.clone(),
            from_schema: k.from_schema,
            kind,
            spec_file: src.path.to_string_lossy().replace('\\', "/"),
        });
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    types.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Kit { types })
}

fn union_ir(
    src: &SourceFile,
    members: &[String],
    by_name: &BTreeMap<&str, (&SourceFile, &KitSpec)>,
    errors: &mut Vec<SpecError>,
) -> KindIr {
    let mut out = Vec::new();
    let mut tags = BTreeSet::new();
    for (i, m) in members.iter().enumerate() {
        let at = [Seg::key("union"), Seg::Index(i)];
        let Some((_, spec)) = by_name.get(m.as_str()) else {
            errors.push(src.error_at(&at, format!("unknown Block Kit type `{m}`: there is no spec/blocks/{m}.yaml")));
            continue;
        };
        let Some(tag) = &spec.tag else {
            errors.push(src.error_at(&at, format!("`{m}` has no `tag`, so a union cannot tell it apart")));
            continue;
        };
        if !tags.insert(tag.clone()) {
            errors.push(src.error_at(&at, format!("two members of the union have the tag `{tag}`")));
            continue;
        }
        let Some(variant) = names::variant_name(tag).filter(|v| v != "Unknown") else {
            errors.push(src.error_at(&at, format!("tag `{tag}` cannot become a Rust variant")));
            continue;
        };
        out.push(VariantIr { tag: tag.clone(), variant, member: m.clone(), member_rust: names::type_name(m) });
    }
    KindIr::Union(out)
}

fn struct_ir(
    src: &SourceFile,
    k: &KitSpec,
    rust: &str,
    fields: &[KitField],
    by_name: &BTreeMap<&str, (&SourceFile, &KitSpec)>,
    errors: &mut Vec<SpecError>,
) -> KindIr {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, f) in fields.iter().enumerate() {
        let at = |key: &str| [Seg::key("fields"), Seg::Index(i), Seg::key(key)];
        let wire = f.name.as_str();
        let ok_name = wire.starts_with(|c: char| c.is_ascii_lowercase())
            && wire.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok_name {
            errors.push(src.error_at(&at("name"), format!("field name `{wire}` must be lower-case ASCII letters, digits and `_`")));
            continue;
        }
        if wire == "extra" || (k.tag.is_some() && wire == "type") {
            errors.push(src.error_at(&at("name"), format!("field `{wire}` is taken (by `extra` or the tag)")));
            continue;
        }
        if !seen.insert(wire) {
            errors.push(src.error_at(&at("name"), format!("duplicate field `{wire}`")));
            continue;
        }
        let leaf = f.ty.leaf();
        if let KitType::Named(n) = leaf {
            if !by_name.contains_key(n.as_str()) {
                errors.push(src.error_at(&at("type"), format!("unknown Block Kit type `{n}`: there is no spec/blocks/{n}.yaml")));
                continue;
            }
        }
        let is_text = matches!(leaf, KitType::Named(n) if is_text_spec(n, by_name));
        let Ok(enum_type) = field_enum(src, i, f, rust, errors) else { continue };
        check_limits(src, i, f, is_text, errors);
        let example = f.example.as_ref().map(|v| match v {
            serde_yaml::Value::String(s) => s.clone(),
            other => serde_json::to_string(other).unwrap_or_default(),
        });
        out.push(KitFieldIr {
            wire: wire.to_owned(),
            field: names::snake_name(wire),
            ty: f.ty.clone(),
            required: f.required,
            description: f.description.clone(),
            from_schema: f.from_schema,
            example,
            enum_type,
            limits: Limits {
                min_length: f.min_length,
                max_length: f.max_length,
                min_items: f.min_items,
                max_items: f.max_items,
                item_max_length: f.item_max_length,
                minimum: f.minimum,
                maximum: f.maximum,
                format: f.format,
            },
        });
    }
    let groups = groups_ir(src, k, &out, errors);
    if k.surface.is_some() && !out.iter().any(|f| f.wire == "blocks") {
        errors.push(src.error_at(&[Seg::key("surface")], "`surface` is only for types with a `blocks` field"));
    }
    KindIr::Struct { fields: out, groups }
}

/// The enum of an `enum` field, named after its type (`rust`) and the field; `values` on any
/// other type is an error. `Err` where the field cannot be kept.
fn field_enum(src: &SourceFile, i: usize, f: &KitField, rust: &str, errors: &mut Vec<SpecError>) -> Result<Option<EnumType>, ()> {
    let at = |key: &str| [Seg::key("fields"), Seg::Index(i), Seg::key(key)];
    let wire = f.name.as_str();
    match (f.ty.leaf(), &f.values) {
        (KitType::Enum, Some(values)) if !values.is_empty() => {
            let mut vs: Vec<(String, String)> = Vec::new();
            for v in values {
                match names::variant_name(v) {
                    Some(n) if n != "Unknown" && !vs.iter().any(|(_, x)| *x == n) => vs.push((v.clone(), n)),
                    _ => errors.push(src.error_at(&at("values"), format!("value `{v}` cannot become a distinct Rust variant"))),
                }
            }
            Ok(Some(EnumType { name: format!("{rust}{}", names::type_name(wire)), values: vs }))
        }
        (KitType::Enum, _) => {
            errors.push(src.error_at(&at("type"), format!("enum field `{wire}` has no `values`")));
            Err(())
        }
        (_, Some(_)) => {
            errors.push(src.error_at(&at("values"), format!("`values` given for `{wire}`, which is not an enum")));
            Err(())
        }
        _ => Ok(None),
    }
}

/// Reports each limit that does not fit the field's type, and minimums above their maximums.
/// `is_text`: the field holds text objects (a length limit is their text's).
fn check_limits(src: &SourceFile, i: usize, f: &KitField, is_text: bool, errors: &mut Vec<SpecError>) {
    let at = |key: &str| [Seg::key("fields"), Seg::Index(i), Seg::key(key)];
    let wire = f.name.as_str();
    let is_array = matches!(f.ty, KitType::Array(_));
    // Each limit must fit the field's type.
    let fits = |key: &str, ok: bool, errors: &mut Vec<SpecError>| {
        if !ok {
            errors.push(src.error_at(&at(key), format!("`{key}` does not apply to `{wire}` of type `{}`", f.ty)));
        }
    };
    let stringish = matches!(f.ty, KitType::String) || (is_text && !is_array);
    if f.min_length.is_some() {
        fits("min_length", stringish, errors);
    }
    if f.max_length.is_some() {
        fits("max_length", stringish, errors);
    }
    if f.min_items.is_some() {
        fits("min_items", is_array, errors);
    }
    if f.max_items.is_some() {
        fits("max_items", is_array, errors);
    }
    if f.item_max_length.is_some() {
        fits("item_max_length", is_array && is_text, errors);
    }
    if f.minimum.is_some() {
        fits("minimum", f.ty == KitType::Integer, errors);
    }
    if f.maximum.is_some() {
        fits("maximum", f.ty == KitType::Integer, errors);
    }
    if f.format.is_some() {
        fits("format", f.ty == KitType::String, errors);
    }
    if let (Some(lo), Some(hi)) = (f.min_length, f.max_length) {
        if lo > hi {
            errors.push(src.error_at(&at("min_length"), "`min_length` is above `max_length`"));
        }
    }
    if let (Some(lo), Some(hi)) = (f.min_items, f.max_items) {
        if lo > hi {
            errors.push(src.error_at(&at("min_items"), "`min_items` is above `max_items`"));
        }
    }
}

/// A type's groups of fields, each naming optional fields of it.
fn groups_ir(src: &SourceFile, k: &KitSpec, fields: &[KitFieldIr], errors: &mut Vec<SpecError>) -> Vec<GroupIr> {
    let mut groups = Vec::new();
    for (i, g) in k.groups.iter().enumerate() {
        let (exactly_one, names) = match (&g.exactly_one_of, &g.at_least_one_of) {
            (Some(n), None) => (true, n),
            (None, Some(n)) => (false, n),
            _ => {
                errors.push(src.error_at(&[Seg::key("groups"), Seg::Index(i)], "a group is either `exactly_one_of` or `at_least_one_of`"));
                continue;
            }
        };
        if names.len() < 2 {
            errors.push(src.error_at(&[Seg::key("groups"), Seg::Index(i)], "a group names at least two fields"));
        }
        for n in names {
            match fields.iter().find(|f| f.wire == *n) {
                Some(f) if f.required => errors.push(src.error_at(&[Seg::key("groups"), Seg::Index(i)], format!("`{n}` is required, so it cannot be in a group"))),
                Some(_) => {}
                None => errors.push(src.error_at(&[Seg::key("groups"), Seg::Index(i)], format!("the group names `{n}`, which is not a field"))),
            }
        }
        groups.push(GroupIr { exactly_one, fields: names.clone() });
    }
    groups
}

fn is_text_spec(name: &str, by_name: &BTreeMap<&str, (&SourceFile, &KitSpec)>) -> bool {
    TEXT_OBJECTS.contains(&name)
        || by_name
            .get(name)
            .and_then(|(_, k)| k.union.as_ref())
            .is_some_and(|members| members.iter().all(|m| TEXT_OBJECTS.contains(&m.as_str())))
}
