//! Interactivity payloads: the loaded `spec/interactions/` files → [`InteractionsIr`], every
//! field type resolved (an interaction type, a shared object or a Block Kit type), every union's
//! variants and accessors checked against its member structs.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::names;
use crate::spec::interactions::{LoadedInteractions, UnionSpec};
use crate::spec::load::{Seg, SourceFile, SpecError, SpecErrors};
use crate::spec::FieldType;
use super::common::{FieldIr, FieldList, checked_type_name, fields_ir, named_types, unknown_types};

/// An interaction type ready to emit.
#[derive(Debug, Clone)]
pub struct InteractionTypeIr {
    /// The spec name (`team_ref`).
    pub name: String,
    /// The Rust type (`TeamRef`).
    pub type_name: String,
    pub description: String,
    pub docs_url: Option<String>,
    pub spec_file: String,
    pub kind: InteractionKind,
}

#[derive(Debug, Clone)]
pub enum InteractionKind {
    Struct(Vec<FieldIr>),
    Union(UnionIr),
}

impl InteractionTypeIr {
    /// The fields of a struct (none for a union).
    pub fn fields(&self) -> &[FieldIr] {
        match &self.kind {
            InteractionKind::Struct(f) => f,
            InteractionKind::Union(_) => &[],
        }
    }
}

/// A tagged union of interaction structs.
#[derive(Debug, Clone)]
pub struct UnionIr {
    pub tag: String,
    pub tags_const: Option<String>,
    pub variants: Vec<VariantIr>,
    pub accessors: Vec<AccessorIr>,
}

#[derive(Debug, Clone)]
pub struct VariantIr {
    /// The tag's value.
    pub value: String,
    pub variant: String,
    /// The member struct's Rust type.
    pub type_name: String,
}

/// A field read through a union: from every member that declares it.
#[derive(Debug, Clone)]
pub struct AccessorIr {
    /// The method's name: the members' Rust field.
    pub method: String,
    /// The JSON key.
    pub wire_name: String,
    /// The type every member declaring it gives it.
    pub ty: FieldType,
    /// The member field (one of them; they agree on the type), for its type's path.
    pub field: FieldIr,
    /// The variants whose struct declares it, with the struct's Rust field.
    pub members: Vec<(String, String)>,
}

/// Every interaction type, sorted by name.
#[derive(Debug, Clone, Default)]
pub struct InteractionsIr {
    pub types: Vec<InteractionTypeIr>,
}

impl InteractionsIr {
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// The type named `name` in the spec.
    pub fn get(&self, name: &str) -> Option<&InteractionTypeIr> {
        self.types.iter().find(|t| t.name == name)
    }
}

/// Validates loaded interaction types and resolves names. Field types may name another
/// interaction type (which wins), a shared object or a Block Kit type (`others`).
pub fn build(loaded: &LoadedInteractions, others: &BTreeSet<&str>) -> Result<InteractionsIr, SpecErrors> {
    let mut errors = Vec::new();
    let own: BTreeSet<&str> = loaded.iter().map(|(_, t)| t.name.as_str()).collect();
    let known: BTreeSet<&str> = own.iter().chain(others).copied().collect();
    let mut types = Vec::new();
    let mut type_names: HashMap<String, &str> = HashMap::new();
    for (src, t) in loaded {
        let before = errors.len();
        let Some(type_name) = checked_type_name(src, &t.name, &mut errors) else {
            continue;
        };
        if let Some(other) = type_names.insert(type_name.clone(), &t.name) {
            errors.push(src.error_at(&[Seg::key("name")], format!("`{}` and `{other}` both become `{type_name}`", t.name)));
        }
        let kind = match (&t.fields, &t.union) {
            (Some(fields), None) => {
                unknown_types(src, fields, &known, "spec/interactions", &mut errors);
                // Names already reported count as known, so that fields_ir does not report
                // them a second time with its objects-only wording.
                let mut names = known.clone();
                names.extend(fields.iter().flat_map(|f| named_types(&f.ty)));
                InteractionKind::Struct(fields_ir(
                    src,
                    FieldList { key: "fields", owner: &type_name, reserved: &["extra"], limits_allowed: false },
                    fields,
                    &names,
                    &mut errors,
                ))
            }
            // Checked once every struct is known (below).
            (None, Some(_)) => InteractionKind::Union(UnionIr { tag: String::new(), tags_const: None, variants: Vec::new(), accessors: Vec::new() }),
            _ => {
                errors.push(src.error_at(&[Seg::key("name")], "an interaction type has either `fields` or `union`, not both or neither"));
                continue;
            }
        };
        if errors.len() == before {
            types.push(InteractionTypeIr {
                name: t.name.clone(),
                type_name,
                description: t.description.clone(),
                docs_url: t.docs_url.clone(),
                spec_file: src.path.to_string_lossy().replace('\\', "/"),
                kind,
            });
        }
    }
    let structs: BTreeMap<&str, (&str, &[FieldIr])> = types
        .iter()
        .filter_map(|t| match &t.kind {
            InteractionKind::Struct(f) => Some((t.name.as_str(), (t.type_name.as_str(), f.as_slice()))),
            InteractionKind::Union(_) => None,
        })
        .collect();
    let mut unions = BTreeMap::new();
    let mut consts: HashMap<String, &str> = HashMap::new();
    for (src, t) in loaded {
        let Some(u) = &t.union else { continue };
        if t.fields.is_some() {
            continue;
        }
        if let Some(c) = &u.tags_const {
            if let Some(other) = consts.insert(c.clone(), &t.name) {
                errors.push(src.error_at(&[Seg::key("union"), Seg::key("tags_const")], format!("`{c}` is the constant of `{other}` already")));
            }
        }
        if let Some(ir) = union_ir(src, u, &structs, &own, others, &mut errors) {
            unions.insert(t.name.clone(), ir);
        }
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    for t in &mut types {
        if let InteractionKind::Union(u) = &mut t.kind {
            if let Some(ir) = unions.remove(&t.name) {
                *u = ir;
            }
        }
    }
    types.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(InteractionsIr { types })
}

fn union_ir(
    src: &SourceFile,
    u: &UnionSpec,
    structs: &BTreeMap<&str, (&str, &[FieldIr])>,
    own: &BTreeSet<&str>,
    others: &BTreeSet<&str>,
    errors: &mut Vec<SpecError>,
) -> Option<UnionIr> {
    let before = errors.len();
    let at = |key: &str| [Seg::key("union"), Seg::key(key)];
    if u.tag.is_empty() {
        errors.push(src.error_at(&at("tag"), "`tag` must name the JSON key that tells the kinds apart"));
    }
    if let Some(c) = &u.tags_const {
        if !(c.starts_with(|ch: char| ch.is_ascii_uppercase()) && c.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '_')) {
            errors.push(src.error_at(&at("tags_const"), format!("`{c}` must be an upper-case constant name (`A_B`)")));
        }
    }
    if u.variants.is_empty() {
        errors.push(src.error_at(&at("variants"), "a union needs at least one variant"));
    }
    let variants = union_variants(src, u, structs, own, others, errors);
    let accessors = union_accessors(src, u, &variants, errors);
    (errors.len() == before).then(|| UnionIr {
        tag: u.tag.clone(),
        tags_const: u.tags_const.clone(),
        variants: variants.into_iter().map(|(v, _)| v).collect(),
        accessors,
    })
}

/// A union's variants, each with its member struct's fields: distinct values and variant names,
/// each member a struct of `spec/interactions/` that declares the tag.
fn union_variants<'a>(
    src: &SourceFile,
    u: &UnionSpec,
    structs: &BTreeMap<&str, (&str, &'a [FieldIr])>,
    own: &BTreeSet<&str>,
    others: &BTreeSet<&str>,
    errors: &mut Vec<SpecError>,
) -> Vec<(VariantIr, &'a [FieldIr])> {
    let mut variants = Vec::new();
    let mut values: HashMap<&str, usize> = HashMap::new();
    let mut taken: HashMap<String, &str> = HashMap::new();
    for (i, v) in u.variants.iter().enumerate() {
        let vat = |key: &str| [Seg::key("union"), Seg::key("variants"), Seg::Index(i), Seg::key(key)];
        if let Some(first) = values.insert(v.value.as_str(), i) {
            let line = src.line_of(&[Seg::key("union"), Seg::key("variants"), Seg::Index(first)]).unwrap_or(0);
            errors.push(src.error_at(&vat("value"), format!("duplicate variant value `{}` (first at line {line})", v.value)));
            continue;
        }
        let variant = match &v.variant {
            Some(name) if names::variant_name(name).as_deref() == Some(name.as_str()) => name.clone(),
            Some(name) => {
                errors.push(src.error_at(&vat("variant"), format!("variant name `{name}` must be UpperCamelCase ASCII letters and digits")));
                continue;
            }
            None => match names::variant_name(&v.value) {
                Some(name) => name,
                None => {
                    errors.push(src.error_at(&vat("value"), format!("`{}` cannot become a Rust variant: give it a `variant` name", v.value)));
                    continue;
                }
            },
        };
        if variant == "Unknown" {
            errors.push(src.error_at(&vat("value"), "the variant `Unknown` is the union's own (kinds this version does not know)"));
            continue;
        }
        if let Some(other) = taken.insert(variant.clone(), &v.value) {
            errors.push(src.error_at(&vat("value"), format!("`{other}` and `{}` both become the variant `{variant}`", v.value)));
            continue;
        }
        let Some((type_name, fields)) = structs.get(v.ty.as_str()) else {
            let why = if own.contains(v.ty.as_str()) {
                format!("`{}` is a union (or failed to load): a variant holds a struct of spec/interactions/", v.ty)
            } else if others.contains(v.ty.as_str()) {
                format!("`{}` is a shared object or Block Kit type: a variant holds a struct of spec/interactions/", v.ty)
            } else {
                format!("unknown type `{}`: there is no spec/interactions/{}.yaml", v.ty, v.ty)
            };
            errors.push(src.error_at(&vat("type"), why));
            continue;
        };
        if !u.tag.is_empty() && !fields.iter().any(|f| f.wire_name == u.tag) {
            errors.push(src.error_at(&vat("type"), format!("`{}` does not declare the tag field `{}`", v.ty, u.tag)));
            continue;
        }
        variants.push((VariantIr { value: v.value.clone(), variant, type_name: (*type_name).to_owned() }, *fields));
    }
    variants
}

/// The fields read through a union, from every variant whose struct declares them (with one
/// type among them).
fn union_accessors(src: &SourceFile, u: &UnionSpec, variants: &[(VariantIr, &[FieldIr])], errors: &mut Vec<SpecError>) -> Vec<AccessorIr> {
    let mut accessors = Vec::new();
    let mut methods: HashMap<String, usize> = HashMap::new();
    for (i, name) in u.accessors.iter().enumerate() {
        let aat = [Seg::key("union"), Seg::key("accessors"), Seg::Index(i)];
        let mut found: Option<&FieldIr> = None;
        let mut members = Vec::new();
        let mut bad = false;
        for (v, fields) in variants {
            let Some(f) = fields.iter().find(|f| f.wire_name == *name) else { continue };
            if let Some(first) = found {
                if first.ty != f.ty {
                    errors.push(src.error_at(
                        &aat,
                        format!("accessor `{name}`: the kinds disagree on its type (`{}` in one, `{}` in `{}`)", first.ty, f.ty, v.value),
                    ));
                    bad = true;
                    break;
                }
            }
            found = found.or(Some(f));
            members.push((v.variant.clone(), f.field.clone()));
        }
        if bad {
            continue;
        }
        let Some(field) = found else {
            errors.push(src.error_at(&aat, format!("accessor `{name}`: no variant's struct has the field `{name}`")));
            continue;
        };
        // Named like the members' Rust field (`type` is `kind` there).
        let method = field.field.clone();
        if method == "kind" || method == "extra" {
            errors.push(src.error_at(&aat, format!("accessor `{name}` (`{method}()`) would hide the union's own `{method}()`")));
            continue;
        }
        if let Some(first) = methods.insert(method.clone(), i) {
            errors.push(src.error_at(&aat, format!("duplicate accessor `{name}` (first at position {})", first + 1)));
            continue;
        }
        accessors.push(AccessorIr { method, wire_name: name.clone(), ty: field.ty.clone(), field: field.clone(), members });
    }
    accessors
}
