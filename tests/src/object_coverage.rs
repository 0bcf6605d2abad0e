//! Typing coverage per object type: for each shared object (and Block Kit type) an answer
//! holds, how many of its declared fields are typed, and how many answers show it with fields it
//! does not declare (which land in its `extra`), so the next gap is visible by name.
//!
//! The answer's JSON is walked alongside the spec's types (`codegen::load_api`): a response
//! field of type `file` leads into the `file` object's fields, `array<message>` into each
//! message, a Block Kit union into the member its `type` names.

use std::collections::{BTreeMap, BTreeSet};

use codegen::blocks::{KindIr, KitType};
use codegen::ir::{Api, FieldIr, ObjectKind};
use codegen::spec::FieldType;
use serde_json::Value;

/// What the answers showed of one object type.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ObjectStat {
    /// Fields the type declares.
    pub declared: usize,
    /// Of them, the fields with a type other than bare JSON.
    pub typed: usize,
    /// Answers holding at least one object of this type.
    pub answers: u64,
    /// Answers holding one with a field the type does not declare.
    pub answers_with_undeclared: u64,
    /// Undeclared field name → the number of answers showing it.
    pub undeclared: BTreeMap<String, u64>,
}

/// Per object type statistics over a set of answers.
pub struct ObjectCoverage<'a> {
    api: &'a Api,
    pub stats: BTreeMap<String, ObjectStat>,
}

/// Whether a spec type is bare JSON (`json`, or a list, map or `one_of` holding it).
pub fn is_json(t: &FieldType) -> bool {
    match t {
        FieldType::Json => true,
        FieldType::Array(inner) | FieldType::Map(inner) => is_json(inner),
        FieldType::OneOf(types) => types.iter().any(is_json),
        _ => false,
    }
}

/// Whether a Block Kit type is bare JSON (`json`, or a list holding it).
pub fn kit_is_json(t: &KitType) -> bool {
    match t {
        KitType::Json => true,
        KitType::Array(inner) | KitType::Nullable(inner) => kit_is_json(inner),
        _ => false,
    }
}

/// What one answer showed: object types seen, and (type, field) pairs undeclared.
#[derive(Default)]
struct Seen {
    types: BTreeSet<String>,
    undeclared: BTreeSet<(String, String)>,
}

impl<'a> ObjectCoverage<'a> {
    pub fn new(api: &'a Api) -> Self {
        ObjectCoverage { api, stats: BTreeMap::new() }
    }

    /// Walks one successful answer of `method`; an unknown method, or one without a typed
    /// response, adds nothing.
    pub fn answer(&mut self, method: &str, answer: &Value) {
        let Some(fields) = self.api.methods().find(|m| m.wire_name == method).and_then(|m| m.response.as_ref()) else {
            return;
        };
        let mut seen = Seen::default();
        if let Value::Object(map) = answer {
            for (key, value) in map {
                if let Some(f) = fields.iter().find(|f| f.wire_name == *key) {
                    self.walk(&f.ty, value, &mut seen);
                }
            }
        }
        for name in seen.types {
            self.stat(&name).answers += 1;
        }
        let mut with_undeclared = BTreeSet::new();
        for (name, field) in seen.undeclared {
            *self.stat(&name).undeclared.entry(field).or_default() += 1;
            with_undeclared.insert(name);
        }
        for name in with_undeclared {
            self.stat(&name).answers_with_undeclared += 1;
        }
    }

    fn stat(&mut self, name: &str) -> &mut ObjectStat {
        if !self.stats.contains_key(name) {
            let (declared, typed) = self.counts(name);
            self.stats.insert(name.to_owned(), ObjectStat { declared, typed, ..ObjectStat::default() });
        }
        self.stats.get_mut(name).expect("inserted above")
    }

    /// (declared, typed) fields of a shared object or Block Kit struct.
    fn counts(&self, name: &str) -> (usize, usize) {
        if let Some(o) = self.api.objects.iter().find(|o| o.wire_name == name) {
            if let ObjectKind::Struct(fields) = &o.kind {
                return (fields.len(), fields.iter().filter(|f| !is_json(&f.ty)).count());
            }
        }
        if let Some(KindIr::Struct { fields, .. }) = self.api.kit.get(name).map(|t| &t.kind) {
            return (fields.len(), fields.iter().filter(|f| !kit_is_json(&f.ty)).count());
        }
        (0, 0)
    }

    fn walk(&self, ty: &FieldType, value: &Value, seen: &mut Seen) {
        match (ty, value) {
            (FieldType::Object(name), _) => self.object(name, value, seen),
            (FieldType::Array(inner), Value::Array(items)) => items.iter().for_each(|v| self.walk(inner, v, seen)),
            (FieldType::Map(inner), Value::Object(map)) => map.values().for_each(|v| self.walk(inner, v, seen)),
            (FieldType::OneOf(types), _) => {
                let fits = |t: &FieldType| match t {
                    FieldType::Array(_) => value.is_array(),
                    FieldType::Object(_) | FieldType::Map(_) => value.is_object(),
                    _ => false,
                };
                if let Some(t) = types.iter().find(|t| fits(t)) {
                    self.walk(t, value, seen);
                }
            }
            _ => {}
        }
    }

    fn object(&self, name: &str, value: &Value, seen: &mut Seen) {
        let Value::Object(map) = value else { return };
        if let Some(o) = self.api.objects.iter().find(|o| o.wire_name == name) {
            if let ObjectKind::Struct(fields) = &o.kind {
                self.fields(name, fields, map, seen);
            }
            return;
        }
        self.kit(name, map, seen);
    }

    fn fields(&self, name: &str, fields: &[FieldIr], map: &serde_json::Map<String, Value>, seen: &mut Seen) {
        seen.types.insert(name.to_owned());
        for (key, v) in map {
            match fields.iter().find(|f| f.wire_name == *key) {
                Some(f) => self.walk(&f.ty, v, seen),
                None => {
                    seen.undeclared.insert((name.to_owned(), key.clone()));
                }
            }
        }
    }

    fn kit(&self, name: &str, map: &serde_json::Map<String, Value>, seen: &mut Seen) {
        let Some(t) = self.api.kit.get(name) else { return };
        match &t.kind {
            KindIr::Union(variants) => {
                let tag = map.get("type").and_then(Value::as_str);
                if let Some(v) = variants.iter().find(|v| Some(v.tag.as_str()) == tag) {
                    self.kit(&v.member, map, seen);
                }
            }
            KindIr::Struct { fields, .. } => {
                seen.types.insert(name.to_owned());
                for (key, v) in map {
                    if key == "type" && t.tag.is_some() {
                        continue;
                    }
                    match fields.iter().find(|f| f.wire == *key) {
                        Some(f) => self.kit_value(&f.ty, v, seen),
                        None => {
                            seen.undeclared.insert((name.to_owned(), key.clone()));
                        }
                    }
                }
            }
        }
    }

    fn kit_value(&self, ty: &KitType, value: &Value, seen: &mut Seen) {
        match (ty, value) {
            (KitType::Named(n), Value::Object(map)) => self.kit(n, map, seen),
            (KitType::Array(inner) | KitType::Nullable(inner), Value::Array(items)) => {
                items.iter().for_each(|v| self.kit_value(inner, v, seen))
            }
            (KitType::Nullable(inner), v) => self.kit_value(inner, v, seen),
            _ => {}
        }
    }

    /// The table `cargo xtask coverage` prints: one line per object type, those with the most
    /// answers showing undeclared fields first; `limit` lines at most.
    pub fn table(&self, limit: usize) -> String {
        let mut rows: Vec<(&String, &ObjectStat)> = self.stats.iter().collect();
        rows.sort_by(|a, b| b.1.answers_with_undeclared.cmp(&a.1.answers_with_undeclared).then(a.0.cmp(b.0)));
        let mut out = String::new();
        for (name, s) in rows.into_iter().take(limit) {
            let mut top: Vec<(&String, &u64)> = s.undeclared.iter().collect();
            top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let top: Vec<String> = top.iter().take(6).map(|(k, n)| format!("{k} ({n})")).collect();
            out.push_str(&format!(
                "  {name:<32} fields typed {:>3}/{:<3}  answers with undeclared fields {:>3}/{:<3}  {}\n",
                s.typed,
                s.declared,
                s.answers_with_undeclared,
                s.answers,
                top.join(", ")
            ));
        }
        out
    }
}
