//! `cargo xtask import-blocks --schema FILE`: the facts a JSON Schema compilation of Slack's
//! Block Kit reference holds (such as `../shared/block-kit/slack-block-kit.schema.json`) written
//! into `spec/blocks/`, with the hand corrections of `spec/corrections/blocks/` applied on top.
//!
//! From the schema: which types exist, their `tag`, a union's members, each field's `type`,
//! `required`, limits (`min_length`, `max_length`, `min_items`, `max_items`, `item_max_length`,
//! `minimum`, `maximum`), `format` (from the date, time, decimal and colour patterns) and `values`,
//! and the `groups` (exactly one of / at least one of). Kept from the existing file: everything
//! else — descriptions, examples, `docs_url`, `rust_example`, `surface(s)`, `group`, the order of
//! the fields — and the types the schema does not have (a `hand_only` correction says why).
//!
//! `cargo xtask check-blocks` runs the same import in memory and lists how `spec/blocks/` differs
//! from it (`blocks_check`, beside this file), so the two never disagree about a deviation.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::ir::blocks::TEXT_OBJECTS;
use crate::spec::FormatName;
use crate::spec::blocks::{FieldGroup, Group, KitField, KitSpec, KitType};
use crate::spec::load::{Seg, SourceFile, SpecError};

/// Where Block Kit corrections live, relative to the repository root.
pub const CORRECTIONS_DIR: &str = "spec/corrections/blocks";

/// The `docs_url` of a type the schema adds (a placeholder until someone reviews it).
pub const NEW_TYPE_DOCS_URL: &str = "https://docs.slack.dev/reference/block-kit";

/// Schema definitions → our types. `None`: not a type of its own (a field's string limits, or
/// `plain_text` with a tighter limit), read where it is used.
pub fn our_name(def: &str) -> Option<&str> {
    Some(match def {
        "action_id" | "block_id" | "placeholder_object" => return None,
        // One option type for every context (its `text` may be plain_text or mrkdwn; `url` is
        // for overflow menus): the three schema variants are merged (see `merge`).
        "option_object_plain_text" | "option_object_overflow" | "option_object_radio_or_checkbox" => "option_object",
        "plain_text_object" => "plain_text",
        "mrkdwn_text_object" => "mrkdwn",
        "text_object" => "text",
        "confirm_object" => "confirm",
        "option_group_object" => "option_group",
        "slack_file_object" => "slack_file",
        "dispatch_action_config_object" => "dispatch_action_config",
        "conversation_filter_object" => "conversation_filter",
        "trigger_object" => "trigger",
        "workflow_object" => "workflow",
        "feedback_button_subobject" => "feedback_button",
        "actions_block_element" => "actions_element",
        "section_accessory_element" => "section_accessory",
        "input_block_element" => "input_element",
        "context_block_element" => "context_element",
        "context_actions_block_element" => "context_actions_element",
        "rich_text_style_object" => "rich_text_style",
        "rich_text_leaf" => "rich_text_element",
        "rich_text_container_element" => "rich_text_container",
        "rich_text_section_element" => "rich_text_section",
        "rich_text_list_element" => "rich_text_list",
        "rich_text_preformatted_element" => "rich_text_preformatted",
        "rich_text_quote_element" => "rich_text_quote",
        "task_card_inline_object" => "plan_task",
        "" => return None,
        other => other.strip_suffix("_leaf").unwrap_or(other),
    })
}

// ---------------------------------------------------------------------------------------------
// The schema's facts

/// The limits, format and values the schema gives a field, in our terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub item_max_length: Option<usize>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub format: Option<FormatName>,
    pub values: Option<Vec<String>>,
}

impl Facts {
    fn of(f: &KitField) -> Facts {
        Facts {
            min_length: f.min_length,
            max_length: f.max_length,
            min_items: f.min_items,
            max_items: f.max_items,
            item_max_length: f.item_max_length,
            minimum: f.minimum,
            maximum: f.maximum,
            format: f.format,
            values: f.values.clone(),
        }
    }

    fn set_on(&self, f: &mut KitField) {
        f.min_length = self.min_length;
        f.max_length = self.max_length;
        f.min_items = self.min_items;
        f.max_items = self.max_items;
        f.item_max_length = self.item_max_length;
        f.minimum = self.minimum;
        f.maximum = self.maximum;
        f.format = self.format;
        f.values = self.values.clone();
    }
}

/// One field as the schema (and the corrections) say.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaField {
    pub name: String,
    /// `None`: the schema gives no type we can name (an object defined in place, `number`, …);
    /// an existing field keeps its type, a new one becomes `json`.
    pub ty: Option<KitType>,
    pub required: bool,
    pub facts: Facts,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemaKind {
    Struct { tag: Option<String>, fields: Vec<SchemaField>, groups: Vec<FieldGroup> },
    /// The members by our names; `None` when the schema defines them in place (kept as written).
    Union(Option<Vec<String>>),
}

/// One of our types as the schema says, from one or more definitions.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaType {
    pub defs: Vec<String>,
    pub description: Option<String>,
    pub kind: SchemaKind,
}

/// Reads the schema: our type name → what the schema says of it. Problems name the file and
/// the JSON pointer (or line and column for text that is not JSON).
pub fn read_schema(path: &Path, text: &str) -> Result<BTreeMap<String, SchemaType>, Vec<String>> {
    let shown = path.display();
    let root: Value = serde_json::from_str(text)
        .map_err(|e| vec![format!("{shown}:{}:{}: not JSON: {e}", e.line(), e.column())])?;
    let Some(defs) = root.get("$defs").and_then(Value::as_object) else {
        return Err(vec![format!("{shown}: no `$defs` object: not a Block Kit schema")]);
    };
    let mut problems = Vec::new();
    let mut out: BTreeMap<String, SchemaType> = BTreeMap::new();
    for (def, d) in defs {
        let Some(ours) = our_name(def) else { continue };
        let at = format!("{shown}: /$defs/{def}");
        let Some(t) = read_def(defs, def, d, &at, &mut problems) else { continue };
        match out.get_mut(ours) {
            Some(prev) => {
                if let Err(e) = merge(prev, t) {
                    problems.push(format!("{at}: cannot merge into `{ours}`: {e}"));
                }
            }
            None => {
                out.insert(ours.to_owned(), t);
            }
        }
    }
    // A union's member that is itself a union (a context block's `text_object`) stands for its
    // members: ours are told apart by `type`, one level.
    let unions: BTreeMap<String, Vec<String>> = out
        .iter()
        .filter_map(|(n, t)| match &t.kind {
            SchemaKind::Union(Some(m)) => Some((n.clone(), m.clone())),
            _ => None,
        })
        .collect();
    for (name, t) in out.iter_mut() {
        if let SchemaKind::Union(Some(members)) = &mut t.kind {
            let mut flat = Vec::new();
            for m in members.iter() {
                match unions.get(m) {
                    Some(inner) if inner.iter().all(|x| !unions.contains_key(x)) => flat.extend(inner.iter().cloned()),
                    Some(_) => problems.push(format!("{shown}: the union `{name}` has `{m}`, a union of unions")),
                    None => flat.push(m.clone()),
                }
            }
            *members = flat;
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

fn read_def(defs: &Map<String, Value>, def: &str, d: &Value, at: &str, problems: &mut Vec<String>) -> Option<SchemaType> {
    let Some(d_obj) = d.as_object() else {
        problems.push(format!("{at}: a definition must be an object"));
        return None;
    };
    let description = d_obj.get("description").and_then(Value::as_str).map(str::to_owned);
    // An object, or `null` or an object (a table's column settings).
    let alts = d.get("oneOf").and_then(Value::as_array);
    let object = if d.get("properties").is_some() {
        Some(d)
    } else {
        alts.and_then(|a| {
            let objects: Vec<&Value> = a.iter().filter(|x| x.get("properties").is_some()).collect();
            let nulls = a.iter().filter(|x| x.get("type").and_then(Value::as_str) == Some("null")).count();
            (objects.len() == 1 && nulls + 1 == a.len()).then(|| objects[0])
        })
    };
    let Some(object) = object else {
        let Some(alts) = alts else {
            problems.push(format!("{at}: neither `properties` (a struct) nor `oneOf` (a union)"));
            return None;
        };
        let members: Option<Vec<String>> = alts
            .iter()
            .map(|a| a.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/$defs/")).and_then(our_name).map(str::to_owned))
            .collect();
        return Some(SchemaType { defs: vec![def.to_owned()], description, kind: SchemaKind::Union(members) });
    };
    let Some(props) = object.get("properties").and_then(Value::as_object) else {
        problems.push(format!("{at}/properties: must be an object"));
        return None;
    };
    let required: Vec<&str> = match object.get("required") {
        None => Vec::new(),
        Some(Value::Array(r)) if r.iter().all(Value::is_string) => r.iter().filter_map(Value::as_str).collect(),
        Some(_) => {
            problems.push(format!("{at}/required: must be a list of names"));
            return None;
        }
    };
    let mut tag = None;
    let mut fields = Vec::new();
    for (name, p) in props {
        let pat = format!("{at}/properties/{name}");
        if name == "type" && required.contains(&"type") {
            match p.get("const").and_then(Value::as_str) {
                Some(c) => tag = Some(c.to_owned()),
                None => problems.push(format!("{pat}: a required `type` must be a `const` string (the tag)")),
            }
            continue;
        }
        let derived = derive(defs, p, &pat, problems);
        fields.push(SchemaField { name: name.clone(), ty: derived.ty, required: required.contains(&name.as_str()), facts: derived.facts });
    }
    for r in &required {
        if !props.contains_key(*r) {
            problems.push(format!("{at}/required: `{r}` is not a property"));
        }
    }
    let mut groups = Vec::new();
    for (key, exactly) in [("oneOf", true), ("anyOf", false)] {
        let Some(alts) = object.get(key).and_then(Value::as_array) else { continue };
        let names: Option<Vec<String>> = alts.iter().map(|a| a.pointer("/required/0").and_then(Value::as_str).map(str::to_owned)).collect();
        match names {
            Some(names) if names.len() >= 2 => groups.push(if exactly {
                FieldGroup { exactly_one_of: Some(names), at_least_one_of: None }
            } else {
                FieldGroup { exactly_one_of: None, at_least_one_of: Some(names) }
            }),
            _ => problems.push(format!("{at}/{key}: expected alternatives of `required` fields")),
        }
    }
    Some(SchemaType { defs: vec![def.to_owned()], description, kind: SchemaKind::Struct { tag, fields, groups } })
}

/// What a schema gives of a value: its type (`None`: none of ours to name) and its facts.
#[derive(Default)]
struct Derived {
    ty: Option<KitType>,
    facts: Facts,
}

fn is_text_type(t: &Option<KitType>) -> bool {
    matches!(t, Some(KitType::Named(n)) if TEXT_OBJECTS.contains(&n.as_str()) || n == "text")
}

/// A property's type and limits. `problems` gets what cannot be read.
fn derive(defs: &Map<String, Value>, p: &Value, at: &str, problems: &mut Vec<String>) -> Derived {
    let Some(obj) = p.as_object() else {
        problems.push(format!("{at}: must be an object"));
        return Derived::default();
    };
    if let Some(r) = obj.get("$ref") {
        return derive_ref(defs, r, at, problems);
    }
    if let Some(all) = obj.get("allOf") {
        return derive_all_of(defs, all, at, problems);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = obj.get(key) {
            return derive_alternatives(defs, key, alts, at, problems);
        }
    }
    if let Some(c) = obj.get("const") {
        return match c.as_str() {
            Some(c) => Derived { ty: Some(KitType::Enum), facts: Facts { values: Some(vec![c.to_owned()]), ..Facts::default() } },
            None => Derived::default(),
        };
    }
    if let Some(e) = obj.get("enum") {
        return derive_enum(e, at, problems);
    }
    derive_typed(defs, obj, at, problems)
}

/// A `$ref`: one of our types by name, or a definition of no type of ours read in place.
fn derive_ref(defs: &Map<String, Value>, r: &Value, at: &str, problems: &mut Vec<String>) -> Derived {
    let none = Derived::default();
    let Some(name) = r.as_str().and_then(|r| r.strip_prefix("#/$defs/")) else {
        problems.push(format!("{at}/$ref: expected `#/$defs/<name>`, found {r}"));
        return none;
    };
    let Some(target) = defs.get(name) else {
        problems.push(format!("{at}/$ref: `{name}` is not in `$defs`"));
        return none;
    };
    match our_name(name) {
        Some(ours) => Derived { ty: Some(KitType::Named(ours.to_owned())), facts: Facts::default() },
        // A definition read in place entered again on the way here: a cycle (more hops
        // than there are definitions).
        None if at.matches(" → /$defs/").count() >= defs.len() => {
            problems.push(format!("{at}/$ref: a cycle of `$ref`s through `{name}`"));
            none
        }
        // `action_id`, `block_id`, `placeholder_object`: read in place.
        None => derive(defs, target, &format!("{at} → /$defs/{name}"), problems),
    }
}

/// `allOf`: a shared object, and a refinement of its text's length.
fn derive_all_of(defs: &Map<String, Value>, all: &Value, at: &str, problems: &mut Vec<String>) -> Derived {
    let none = Derived::default();
    let Some(all) = all.as_array() else {
        problems.push(format!("{at}/allOf: must be a list"));
        return none;
    };
    let mut out = Derived { ty: None, facts: Facts::default() };
    for (i, part) in all.iter().enumerate() {
        if let Some(m) = part.pointer("/properties/text/maxLength") {
            match m.as_u64() {
                Some(m) => out.facts.max_length = Some(m as usize),
                None => problems.push(format!("{at}/allOf/{i}: `maxLength` must be a whole number")),
            }
        } else {
            let d = derive(defs, part, &format!("{at}/allOf/{i}"), problems);
            out.ty = out.ty.or(d.ty);
        }
    }
    out
}

/// `oneOf` / `anyOf` (`key`): what all alternatives agree on, a text object, or any JSON.
fn derive_alternatives(defs: &Map<String, Value>, key: &str, alts: &Value, at: &str, problems: &mut Vec<String>) -> Derived {
    let none = Derived::default();
    let Some(alts) = alts.as_array().filter(|a| !a.is_empty()) else {
        problems.push(format!("{at}/{key}: must be a list of alternatives"));
        return none;
    };
    let each: Vec<Derived> = alts.iter().enumerate().map(|(i, a)| derive(defs, a, &format!("{at}/{key}/{i}"), problems)).collect();
    let first = &each[0];
    if each.iter().all(|d| d.ty == first.ty && d.facts == first.facts) {
        return Derived { ty: first.ty.clone(), facts: first.facts.clone() };
    }
    if each.iter().all(|d| is_text_type(&d.ty)) {
        // plain_text or mrkdwn: a text object, with the length they all give.
        let max = first.facts.max_length.filter(|m| each.iter().all(|d| d.facts.max_length == Some(*m)));
        return Derived { ty: Some(KitType::Named("text".into())), facts: Facts { max_length: max, ..Facts::default() } };
    }
    // Different kinds of value (a string or a text object): any JSON.
    Derived { ty: Some(KitType::Json), facts: Facts::default() }
}

/// `enum`: a range of integers, or string values.
fn derive_enum(e: &Value, at: &str, problems: &mut Vec<String>) -> Derived {
    let none = Derived::default();
    let mut facts = Facts::default();
    let Some(e) = e.as_array().filter(|e| !e.is_empty()) else {
        problems.push(format!("{at}/enum: must be a list of values"));
        return none;
    };
    if e.iter().all(Value::is_i64) {
        facts.minimum = e.iter().filter_map(Value::as_i64).min();
        facts.maximum = e.iter().filter_map(Value::as_i64).max();
        return Derived { ty: Some(KitType::Integer), facts };
    }
    if e.iter().all(Value::is_string) {
        facts.values = Some(e.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect());
        return Derived { ty: Some(KitType::Enum), facts };
    }
    problems.push(format!("{at}/enum: values must be all strings or all integers"));
    none
}

/// A value of one JSON `type`, with the limits the schema gives it.
fn derive_typed(defs: &Map<String, Value>, obj: &Map<String, Value>, at: &str, problems: &mut Vec<String>) -> Derived {
    let none = Derived::default();
    let mut facts = Facts::default();
    let usize_of = |k: &str, problems: &mut Vec<String>| match obj.get(k) {
        None => None,
        Some(v) => v.as_u64().map(|v| v as usize).or_else(|| {
            problems.push(format!("{at}/{k}: must be a whole number"));
            None
        }),
    };
    let i64_of = |k: &str, problems: &mut Vec<String>| match obj.get(k) {
        None => None,
        Some(v) => v.as_i64().or_else(|| {
            problems.push(format!("{at}/{k}: must be an integer"));
            None
        }),
    };
    let ty = match obj.get("type") {
        None => return none,
        Some(Value::String(t)) => t.as_str(),
        Some(other) => {
            problems.push(format!("{at}/type: expected one type name, found {other}"));
            return none;
        }
    };
    match ty {
        "string" => {
            facts.min_length = usize_of("minLength", problems);
            facts.max_length = usize_of("maxLength", problems);
            facts.format = match obj.get("pattern").and_then(Value::as_str) {
                Some("^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$") => Some(FormatName::Date),
                Some("^([01][0-9]|2[0-3]):[0-5][0-9]$") => Some(FormatName::Time),
                Some(r"^-?[0-9]+(\.[0-9]+)?$") => Some(FormatName::Decimal),
                Some("^#?[0-9a-fA-F]{6}$") => Some(FormatName::HexColor),
                // ID shapes and `^https://`: not checked (IDs take other forms too).
                _ => None,
            };
            Derived { ty: Some(KitType::String), facts }
        }
        "integer" => {
            facts.minimum = i64_of("minimum", problems);
            facts.maximum = i64_of("maximum", problems);
            Derived { ty: Some(KitType::Integer), facts }
        }
        "boolean" => Derived { ty: Some(KitType::Boolean), facts },
        "array" => {
            facts.min_items = usize_of("minItems", problems);
            facts.max_items = usize_of("maxItems", problems);
            let Some(items) = obj.get("items") else {
                return Derived { ty: Some(KitType::Array(Box::new(KitType::Json))), facts };
            };
            let item = derive(defs, items, &format!("{at}/items"), problems);
            // Each text's length; a list's enum values. (A nested list's own limits have no
            // key in spec/blocks.)
            if is_text_type(&item.ty) {
                facts.item_max_length = item.facts.max_length;
            }
            facts.values = item.facts.values;
            Derived { ty: item.ty.map(|t| KitType::Array(Box::new(t))), facts }
        }
        // An object defined in place, `number`, `null`: no type of ours to name.
        _ => none,
    }
}

/// Merges a second definition of the same type of ours (the option object's three variants): a
/// field some variants lack is optional, a field that is plain text in one variant and a text
/// object in another is a text object, and where limits differ the looser one holds (validation
/// never rejects what Slack accepts).
fn merge(a: &mut SchemaType, b: SchemaType) -> Result<(), String> {
    a.defs.extend(b.defs);
    if a.description.is_none() {
        a.description = b.description;
    }
    match (&mut a.kind, b.kind) {
        (SchemaKind::Union(x), SchemaKind::Union(y)) => {
            if let (Some(x), Some(y)) = (x.as_mut(), y) {
                for m in y {
                    if !x.contains(&m) {
                        x.push(m);
                    }
                }
            }
            Ok(())
        }
        (SchemaKind::Struct { tag, fields, groups }, SchemaKind::Struct { tag: t2, fields: f2, groups: g2 }) => {
            if *tag != t2 {
                return Err(format!("tags {tag:?} and {t2:?}"));
            }
            groups.retain(|g| g2.contains(g));
            for f in fields.iter_mut() {
                if !f2.iter().any(|x| x.name == f.name) {
                    f.required = false;
                }
            }
            for g in f2 {
                let Some(f) = fields.iter_mut().find(|x| x.name == g.name) else {
                    fields.push(SchemaField { required: false, ..g });
                    continue;
                };
                f.required &= g.required;
                if f.ty != g.ty {
                    f.ty = if is_text_type(&f.ty) && is_text_type(&g.ty) { Some(KitType::Named("text".into())) } else { None };
                }
                let (x, y) = (&mut f.facts, g.facts);
                let loose_max = |a: Option<usize>, b: Option<usize>| a.zip(b).map(|(a, b)| a.max(b));
                let loose_min = |a: Option<usize>, b: Option<usize>| a.zip(b).map(|(a, b)| a.min(b));
                x.min_length = loose_min(x.min_length, y.min_length);
                x.max_length = loose_max(x.max_length, y.max_length);
                x.min_items = loose_min(x.min_items, y.min_items);
                x.max_items = loose_max(x.max_items, y.max_items);
                x.item_max_length = loose_max(x.item_max_length, y.item_max_length);
                x.minimum = x.minimum.zip(y.minimum).map(|(a, b)| a.min(b));
                x.maximum = x.maximum.zip(y.maximum).map(|(a, b)| a.max(b));
                if x.format != y.format {
                    x.format = None;
                }
                if let (Some(v), Some(w)) = (x.values.as_mut(), y.values) {
                    for value in w {
                        if !v.contains(&value) {
                            v.push(value);
                        }
                    }
                }
            }
            Ok(())
        }
        _ => Err("a struct in one definition, a union in the other".into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Corrections

/// One `spec/corrections/blocks/<type>.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockCorrection {
    /// For a type the schema does not have: why it is kept (its file is then hand-kept whole).
    #[serde(default)]
    pub hand_only: Option<String>,
    /// Replaces the schema's groups.
    #[serde(default)]
    pub groups: Option<GroupsCorrection>,
    /// Field name → what to change in the schema's facts of it.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldCorrection>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupsCorrection {
    pub reason: String,
    pub groups: Vec<FieldGroup>,
}

/// A patch of one field's schema facts. A key given as `null` removes the schema's limit.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldCorrection {
    /// Why the schema is wrong here, and where the right fact comes from.
    pub reason: String,
    /// `true`: drop the field the schema has.
    #[serde(default)]
    pub remove: bool,
    #[serde(default, rename = "type")]
    pub ty: Option<KitType>,
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default, deserialize_with = "some")]
    pub min_length: Option<Option<usize>>,
    #[serde(default, deserialize_with = "some")]
    pub max_length: Option<Option<usize>>,
    #[serde(default, deserialize_with = "some")]
    pub min_items: Option<Option<usize>>,
    #[serde(default, deserialize_with = "some")]
    pub max_items: Option<Option<usize>>,
    #[serde(default, deserialize_with = "some")]
    pub item_max_length: Option<Option<usize>>,
    #[serde(default, deserialize_with = "some")]
    pub minimum: Option<Option<i64>>,
    #[serde(default, deserialize_with = "some")]
    pub maximum: Option<Option<i64>>,
    #[serde(default, deserialize_with = "some")]
    pub format: Option<Option<FormatName>>,
    #[serde(default, deserialize_with = "some")]
    pub values: Option<Option<Vec<String>>>,
}

/// A key that is present (`null` included) is `Some`.
fn some<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// The loaded corrections: type name → (file, correction).
pub type Corrections = BTreeMap<String, (SourceFile, BlockCorrection)>;

/// Loads `spec/corrections/blocks/*.yaml` (none: no corrections). Errors name file, line and column.
pub fn load_corrections(root: &Path) -> Result<Corrections, Vec<SpecError>> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for file in crate::spec::load::named_yaml_files(&root.join(CORRECTIONS_DIR), root, "<type>", false)? {
        match file.and_then(|(name, src)| {
            let c = src.parse::<BlockCorrection>()?;
            Ok((name, (src, c)))
        }) {
            Ok((name, c)) => {
                out.insert(name, c);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Applies one type's correction to the schema's facts. Returns the redundant entries (the
/// schema already says what they say); errors name the file, line and column.
fn apply_correction(name: &str, t: &mut SchemaType, src: &SourceFile, c: &BlockCorrection, errors: &mut Vec<SpecError>) -> Vec<String> {
    let shown = src.path.display().to_string();
    let mut redundant = Vec::new();
    if c.hand_only.is_some() {
        redundant.push(format!("{shown}: `hand_only`, but the schema now has `{name}` ({}): delete the file", t.defs.join(", ")));
    }
    let SchemaKind::Struct { fields, groups, .. } = &mut t.kind else {
        if !c.fields.is_empty() || c.groups.is_some() {
            errors.push(src.error_at(&[Seg::key("fields")], format!("`{name}` is a union in the schema: it has no fields or groups to correct")));
        }
        return redundant;
    };
    if let Some(g) = &c.groups {
        if *groups == g.groups {
            redundant.push(format!("{shown}: `groups`: the schema now says the same; delete the entry"));
        }
        *groups = g.groups.clone();
    }
    for (fname, fc) in &c.fields {
        let at = [Seg::key("fields"), Seg::key(fname)];
        let Some(i) = fields.iter().position(|f| f.name == *fname) else {
            if fc.remove {
                errors.push(src.error_at(&at, format!("removes `{fname}`, which the schema's `{name}` does not have")));
            } else if let (Some(ty), Some(required)) = (&fc.ty, fc.required) {
                let mut f = SchemaField { name: fname.clone(), ty: Some(ty.clone()), required, facts: Facts::default() };
                patch(&mut f.facts, fc);
                fields.push(f);
            } else {
                errors.push(src.error_at(&at, format!("`{fname}` is not a field of `{name}` in the schema: give `type` and `required` to add it")));
            }
            continue;
        };
        if fc.remove {
            fields.remove(i);
            continue;
        }
        let f = &mut fields[i];
        let before = f.clone();
        if let Some(ty) = &fc.ty {
            f.ty = Some(ty.clone());
        }
        if let Some(r) = fc.required {
            f.required = r;
        }
        patch(&mut f.facts, fc);
        if *f == before {
            redundant.push(format!("{shown}: `fields.{fname}`: the schema now says the same; delete the entry"));
        }
    }
    redundant
}

fn patch(x: &mut Facts, c: &FieldCorrection) {
    fn set<T: Clone>(slot: &mut Option<T>, v: &Option<Option<T>>) {
        if let Some(v) = v {
            *slot = v.clone();
        }
    }
    set(&mut x.min_length, &c.min_length);
    set(&mut x.max_length, &c.max_length);
    set(&mut x.min_items, &c.min_items);
    set(&mut x.max_items, &c.max_items);
    set(&mut x.item_max_length, &c.item_max_length);
    set(&mut x.minimum, &c.minimum);
    set(&mut x.maximum, &c.maximum);
    set(&mut x.format, &c.format);
    set(&mut x.values, &c.values);
}

// ---------------------------------------------------------------------------------------------
// The import

/// What an import produced.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// Every `spec/blocks/` type after the import, by name.
    pub types: BTreeMap<String, KitSpec>,
    /// Types imported from the schema (the others are hand-only).
    pub from_schema: BTreeSet<String>,
    /// Corrections that change nothing any more, to be deleted.
    pub redundant: Vec<String>,
    /// Types and fields marked `from_schema: true`: they need a description.
    pub needs_description: Vec<String>,
    /// Fields the schema lists (after merging variants).
    pub schema_fields: usize,
}

/// Imports the schema's facts onto the existing `spec/blocks/` types (by name), with the
/// corrections applied.
pub fn import(schema: &BTreeMap<String, SchemaType>, existing: &BTreeMap<String, KitSpec>, corrections: &Corrections) -> Result<Imported, Vec<String>> {
    let mut errors = Vec::new();
    let mut out = Imported::default();
    let mut schema = schema.clone();
    for (name, (src, c)) in corrections {
        match schema.get_mut(name) {
            Some(t) => out.redundant.extend(apply_correction(name, t, src, c, &mut errors)),
            None if !existing.contains_key(name) => {
                errors.push(src.error_at(&[], format!("no Block Kit type `{name}`: neither the schema nor spec/blocks has it")))
            }
            None if c.hand_only.is_none() => errors.push(src.error_at(
                &[],
                format!("the schema has no `{name}`: a hand-kept type needs `hand_only: <why>`, and its fields are edited in spec/blocks/{name}.yaml"),
            )),
            None if !c.fields.is_empty() || c.groups.is_some() => {
                errors.push(src.error_at(&[Seg::key("fields")], format!("`{name}` is hand-only: edit spec/blocks/{name}.yaml instead")))
            }
            None => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors.iter().map(ToString::to_string).collect());
    }
    for (name, t) in &schema {
        let spec = import_type(name, t, existing.get(name));
        if let SchemaKind::Struct { fields, .. } = &t.kind {
            out.schema_fields += fields.len();
        }
        out.from_schema.insert(name.clone());
        out.types.insert(name.clone(), spec);
    }
    // Hand-only types stay as they are; a type neither the schema nor a correction keeps is gone.
    for (name, spec) in existing {
        if !schema.contains_key(name) && corrections.get(name).is_some_and(|(_, c)| c.hand_only.is_some()) {
            out.types.insert(name.clone(), spec.clone());
        }
    }
    for (name, t) in &out.types {
        if t.from_schema {
            out.needs_description.push(format!("{name} (the type)"));
        }
        for f in t.fields.iter().flatten().filter(|f| f.from_schema) {
            out.needs_description.push(format!("{name}.{}", f.name));
        }
    }
    Ok(out)
}

/// A type the schema adds: where the docs file it.
fn group_of(name: &str) -> Group {
    if name.starts_with("rich_text") && name != "rich_text_block" && name != "rich_text_input_element" {
        Group::RichText
    } else if name.ends_with("_block") || name == "block" {
        Group::Block
    } else if name.ends_with("_element") {
        Group::Element
    } else if name.ends_with("_view") {
        Group::View
    } else {
        Group::Composition
    }
}

fn import_type(name: &str, t: &SchemaType, old: Option<&KitSpec>) -> KitSpec {
    let mut spec = match old {
        Some(o) => o.clone(),
        None => KitSpec {
            name: name.to_owned(),
            group: group_of(name),
            tag: None,
            description: t.description.clone().unwrap_or_else(|| format!("`{}` in the Block Kit schema; not yet described.", t.defs.join("`, `"))),
            from_schema: true,
            docs_url: NEW_TYPE_DOCS_URL.to_owned(),
            surface: None,
            rust_example: None,
            surfaces: None,
            fields: None,
            groups: Vec::new(),
            union: None,
        },
    };
    match &t.kind {
        SchemaKind::Union(members) => {
            spec.tag = None;
            spec.groups = Vec::new();
            spec.fields = None;
            spec.union = members.clone().or_else(|| old.and_then(|o| o.union.clone())).or(Some(Vec::new()));
        }
        SchemaKind::Struct { tag, fields, groups } => {
            spec.tag = tag.clone();
            spec.union = None;
            spec.groups = groups.clone();
            let old_fields = old.and_then(|o| o.fields.clone()).unwrap_or_default();
            let mut out: Vec<KitField> = Vec::new();
            // The existing order, then the schema's new fields in its order.
            for o in &old_fields {
                if let Some(w) = fields.iter().find(|w| w.name == o.name) {
                    let mut f = o.clone();
                    if let Some(ty) = &w.ty {
                        f.ty = ty.clone();
                    }
                    f.required = w.required;
                    w.facts.set_on(&mut f);
                    out.push(f);
                }
            }
            for w in fields.iter().filter(|w| !old_fields.iter().any(|o| o.name == w.name)) {
                let mut f = KitField {
                    name: w.name.clone(),
                    ty: w.ty.clone().unwrap_or(KitType::Json),
                    required: w.required,
                    description: None,
                    from_schema: true,
                    example: None,
                    min_length: None,
                    max_length: None,
                    min_items: None,
                    max_items: None,
                    item_max_length: None,
                    minimum: None,
                    maximum: None,
                    format: None,
                    values: None,
                };
                w.facts.set_on(&mut f);
                out.push(f);
            }
            spec.fields = Some(out);
        }
    }
    spec
}

// ---------------------------------------------------------------------------------------------
// Whole tree, and the change summary

/// The types of `<spec_dir>/blocks/`, by name (their files must load); paths in errors are
/// shown relative to `display_root`.
pub fn read_blocks_dir(spec_dir: &Path, display_root: &Path) -> Result<BTreeMap<String, KitSpec>, Vec<String>> {
    let files = crate::spec::blocks::load_dir(spec_dir, display_root).map_err(|e| e.0.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    Ok(files.into_iter().map(|(_, k)| (k.name.clone(), k)).collect())
}

/// The `spec/blocks/` types as of git revision `rev` (none if it has no `spec/blocks/`).
pub fn read_blocks_at_rev(repo: &Path, rev: &str) -> Result<BTreeMap<String, KitSpec>, String> {
    let mut out = BTreeMap::new();
    for file in crate::spec::load::yaml_files_at_rev(repo, rev, "spec/blocks/", false)? {
        let (_, k) = crate::spec::blocks::parse(file).map_err(|e| e.to_string())?;
        out.insert(k.name.clone(), k);
    }
    Ok(out)
}

/// Reads the schema file, the corrections and `spec/blocks/`, and imports.
pub fn import_from(root: &Path, schema_path: &Path) -> Result<(BTreeMap<String, KitSpec>, Imported), Vec<String>> {
    let text = std::fs::read_to_string(schema_path).map_err(|e| vec![format!("{}: {e}", schema_path.display())])?;
    let schema = read_schema(schema_path, &text)?;
    let corrections = load_corrections(root).map_err(|e| e.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    let before = read_blocks_dir(&root.join("spec"), root)?;
    let imported = import(&schema, &before, &corrections)?;
    // What is written must load and validate like any spec/blocks tree.
    let files: Vec<_> = imported
        .types
        .values()
        .map(|k| (SourceFile { path: PathBuf::from(format!("spec/blocks/{}.yaml", k.name)), text: crate::spec::blocks::to_yaml(k) }, k.clone()))
        .collect();
    crate::ir::blocks::build(&files).map_err(|e| e.0.iter().map(|e| format!("{e} (after the import)")).collect::<Vec<_>>())?;
    Ok((before, imported))
}

/// `cargo xtask import-blocks`: writes (or with `check`, compares) `spec/blocks/`. Returns the
/// write report, the change summary and the import.
pub fn import_tree(root: &Path, schema_path: &Path, check: bool) -> Result<(crate::write::Report, Changes, Imported), Vec<String>> {
    let (before, imported) = import_from(root, schema_path)?;
    let files: Vec<crate::write::GeneratedFile> = imported
        .types
        .values()
        .map(|k| crate::write::GeneratedFile { path: PathBuf::from(format!("spec/blocks/{}.yaml", k.name)), contents: crate::spec::blocks::to_yaml(k) })
        .collect();
    let report = crate::write::ensure(root, &files, &["spec/blocks"], check).map_err(|e| vec![e.to_string()])?;
    let changes = diff(&before, &imported.types);
    Ok((report, changes, imported))
}

/// What changed between two sets of Block Kit types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added_types: Vec<String>,
    pub removed_types: Vec<String>,
    /// `type.field` added / removed.
    pub added_fields: Vec<String>,
    pub removed_fields: Vec<String>,
    /// `type.field: key before → after`, `type: key before → after`.
    pub changed: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

fn show<T: fmt::Debug>(v: &Option<T>) -> String {
    match v {
        None => "none".into(),
        Some(v) => format!("{v:?}").trim_matches('"').to_owned(),
    }
}

/// The differences between two sets of Block Kit types (descriptions and examples included).
pub fn diff(before: &BTreeMap<String, KitSpec>, after: &BTreeMap<String, KitSpec>) -> Changes {
    let mut c = Changes::default();
    for (name, a) in after {
        let Some(b) = before.get(name) else {
            c.added_types.push(name.clone());
            continue;
        };
        let mut type_key = |key: &str, x: String, y: String| {
            if x != y {
                c.changed.push(format!("{name}: {key} {x} → {y}"));
            }
        };
        type_key("tag", show(&b.tag), show(&a.tag));
        type_key("union", show(&b.union), show(&a.union));
        type_key("groups", format!("{:?}", b.groups), format!("{:?}", a.groups));
        type_key("group", format!("{:?}", b.group), format!("{:?}", a.group));
        for (key, x, y) in [
            ("description", &b.description, &a.description),
            ("docs_url", &b.docs_url, &a.docs_url),
        ] {
            if x != y {
                c.changed.push(format!("{name}: {key} changed"));
            }
        }
        let (bf, af) = (b.fields.clone().unwrap_or_default(), a.fields.clone().unwrap_or_default());
        for f in &af {
            let Some(o) = bf.iter().find(|x| x.name == f.name) else {
                c.added_fields.push(format!("{name}.{} ({}{})", f.name, f.ty, if f.required { ", required" } else { "" }));
                continue;
            };
            let mut key = |k: &str, x: String, y: String| {
                if x != y {
                    c.changed.push(format!("{name}.{}: {k} {x} → {y}", f.name));
                }
            };
            key("type", o.ty.to_string(), f.ty.to_string());
            key("required", o.required.to_string(), f.required.to_string());
            let (x, y) = (Facts::of(o), Facts::of(f));
            key("min_length", show(&x.min_length), show(&y.min_length));
            key("max_length", show(&x.max_length), show(&y.max_length));
            key("min_items", show(&x.min_items), show(&y.min_items));
            key("max_items", show(&x.max_items), show(&y.max_items));
            key("item_max_length", show(&x.item_max_length), show(&y.item_max_length));
            key("minimum", show(&x.minimum), show(&y.minimum));
            key("maximum", show(&x.maximum), show(&y.maximum));
            key("format", show(&x.format), show(&y.format));
            key("values", show(&x.values), show(&y.values));
            if o.description != f.description || o.example != f.example || o.from_schema != f.from_schema {
                c.changed.push(format!("{name}.{}: description or example changed", f.name));
            }
        }
        for f in &bf {
            if !af.iter().any(|x| x.name == f.name) {
                c.removed_fields.push(format!("{name}.{}", f.name));
            }
        }
    }
    c.removed_types = before.keys().filter(|n| !after.contains_key(*n)).cloned().collect();
    c
}

impl fmt::Display for Changes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&markdown(self))
    }
}

/// The Block Kit section of the change report, in Markdown.
pub fn markdown(c: &Changes) -> String {
    if c.is_empty() {
        return "## Block Kit\n\nNo changes.\n".to_owned();
    }
    let mut out = String::from("## Block Kit\n\n");
    for (what, list) in [
        ("added type", &c.added_types),
        ("removed type", &c.removed_types),
        ("added field", &c.added_fields),
        ("removed field", &c.removed_fields),
    ] {
        for x in list {
            out.push_str(&format!("- {what} `{x}`\n"));
        }
    }
    for x in &c.changed {
        out.push_str(&format!("- {x}\n"));
    }
    out
}
