//! Shared objects: the loaded `spec/objects/` files → [`Object`]s, a struct of typed fields or a
//! tagged union each.

use std::collections::{BTreeSet, HashMap};

use crate::names;
use crate::spec::ObjectSpec;
use crate::spec::load::{Seg, SourceFile, SpecError};
use super::common::{FieldIr, FieldList, fields_ir};

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

fn object(
    src: &SourceFile,
    o: &ObjectSpec,
    objects: &BTreeSet<&str>,
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

/// Checks and names the shared objects, sorted by name. `names` are every type a field may name
/// (the objects and Block Kit's types).
pub(crate) fn build(files: &[(SourceFile, ObjectSpec)], names: &BTreeSet<&str>, errors: &mut Vec<SpecError>) -> Vec<Object> {
    let mut objects: Vec<Object> = files.iter().filter_map(|(src, o)| object(src, o, names, errors)).collect();
    objects.sort_by(|a, b| a.wire_name.cmp(&b.wire_name));
    objects
}
