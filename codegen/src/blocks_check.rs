//! `spec/blocks/` against a machine-readable compilation of Slack's Block Kit reference (a JSON
//! Schema, such as `../shared/block-kit/slack-block-kit.schema.json`): every type, field,
//! required flag and limit it lists must be in the spec with the same value, unless a deviation
//! below says why ours differs (Slack's reference pages win where the compilation disagrees).
//!
//! `spec/blocks/` is the reviewed transcription; this is how a newer compilation of the
//! reference is compared with it (`cargo xtask check-blocks --schema FILE`), and a test runs it
//! on the snapshot in `../shared`.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::blocks::{Kit, KindIr, KitFieldIr, Limits};


/// Schema definitions → our types.
pub fn our_name(def: &str) -> Option<&str> {
    Some(match def {
        // Not types of their own: a field's string limits, and plain_text with a tighter limit.
        "action_id" | "block_id" | "placeholder_object" => return None,
        // One option type for every context (its `text` may be plain_text or mrkdwn; `url`
        // is for overflow menus): the three schema variants have the same limits.
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
        other => return Some(other.strip_suffix("_leaf").unwrap_or(other)).filter(|_| !other.is_empty()),
    })
}

/// Fields where the spec deliberately differs from the schema, and why.
const DEVIATIONS: &[(&str, &str, &str)] = &[
    ("plan_task", "type", "the schema's inline task card may omit `type`; ours keeps it as an optional field"),
    ("option_object", "url", "overflow menus' options only; merged into the one option type"),
];

/// Limits where Slack's reference page and the schema disagree: the page wins.
const LIMIT_DEVIATIONS: &[(&str, &str, &str)] = &[
    (
        "option_object_radio_or_checkbox",
        "text",
        "Slack's option object page: at most 75 characters, in every menu and group; the schema leaves radio buttons' and checkboxes' options without",
    ),
    ("option_object_radio_or_checkbox", "description", "as for `text`: at most 75 characters on Slack's page"),
];

/// The limits the schema gives a property, in our terms.
fn limits_of(defs: &serde_json::Map<String, Value>, p: &Value, out: &mut Limits, values: &mut Option<Vec<String>>) {
    if let Some(r) = p.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or_default();
        match name {
            "action_id" | "block_id" => limits_of(defs, &defs[name], out, values),
            "placeholder_object" => out.max_length = Some(150),
            _ => {}
        }
        return;
    }
    if let Some(all) = p.get("allOf").and_then(Value::as_array) {
        if let Some(m) = all.get(1).and_then(|x| x.pointer("/properties/text/maxLength")).and_then(Value::as_u64) {
            out.max_length = Some(m as usize);
        }
        return;
    }
    let u = |k: &str| p.get(k).and_then(Value::as_u64).map(|v| v as usize);
    let i = |k: &str| p.get(k).and_then(Value::as_i64);
    if let Some(c) = p.get("const").and_then(Value::as_str) {
        *values = Some(vec![c.to_owned()]);
    }
    if let Some(e) = p.get("enum").and_then(Value::as_array) {
        if e.iter().all(Value::is_i64) {
            out.minimum = e.iter().filter_map(Value::as_i64).min();
            out.maximum = e.iter().filter_map(Value::as_i64).max();
        } else {
            *values = Some(e.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect());
        }
    }
    match p.get("type").and_then(Value::as_str) {
        Some("string") => {
            out.min_length = u("minLength");
            out.max_length = u("maxLength");
        }
        Some("integer") => {
            out.minimum = out.minimum.or(i("minimum"));
            out.maximum = out.maximum.or(i("maximum"));
        }
        Some("array") => {
            out.min_items = u("minItems");
            out.max_items = u("maxItems");
            let mut item = Limits::default();
            let items = &p["items"];
            limits_of(defs, items, &mut item, values);
            if items.get("allOf").is_some() {
                out.item_max_length = item.max_length;
            }
        }
        _ => {}
    }
}

/// What [`compare`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// One line per difference.
    pub problems: Vec<String>,
    /// How many fields were compared.
    pub compared: usize,
}

/// Compares the spec's Block Kit with a JSON Schema compilation of Slack's reference.
pub fn compare(schema: &Value, kit: &Kit) -> Report {
    let Some(defs) = schema.get("$defs").and_then(Value::as_object) else {
        return Report { problems: vec!["the schema has no `$defs`".into()], compared: 0 };
    };
    let mut problems = Vec::new();
    let mut compared = 0;
    let mut seen_fields: BTreeSet<(String, String)> = BTreeSet::new();
    for (def, d) in defs {
        let Some(ours) = our_name(def) else { continue };
        let Some(t) = kit.get(ours) else {
            problems.push(format!("{def}: no spec/blocks/{ours}.yaml"));
            continue;
        };
        // Object definitions: a struct (table settings are `null` or an object).
        let object = d.get("oneOf").and_then(|o| o.get(1)).filter(|_| def == "table_column_setting").unwrap_or(d);
        let Some(props) = object.get("properties").and_then(Value::as_object) else {
            if !matches!(t.kind, KindIr::Union(_)) && def != "table_cell" {
                problems.push(format!("{def}: a union in the schema, a struct in the spec"));
            }
            continue;
        };
        let KindIr::Struct { fields, groups } = &t.kind else {
            problems.push(format!("{def}: a struct in the schema, a union in the spec"));
            continue;
        };
        let required: Vec<&str> = object.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        for (name, p) in props {
            if name == "type" && p.get("const").is_some() && t.tag.is_some() {
                if t.tag.as_deref() != p["const"].as_str() {
                    problems.push(format!("{def}: tag `{:?}`, the schema says {}", t.tag, p["const"]));
                }
                continue;
            }
            let Some(f): Option<&KitFieldIr> = fields.iter().find(|f| f.wire == *name) else {
                problems.push(format!("{def}.{name}: not in spec/blocks/{ours}.yaml"));
                continue;
            };
            seen_fields.insert((ours.to_owned(), name.clone()));
            compared += 1;
            if f.required != required.contains(&name.as_str()) && !DEVIATIONS.iter().any(|(t, n, _)| *t == ours && n == name) {
                problems.push(format!("{def}.{name}: required is {}, the schema says {}", f.required, !f.required));
            }
            let mut want = Limits::default();
            let mut values = None;
            limits_of(defs, p, &mut want, &mut values);
            let mut got = f.limits.clone();
            got.format = None; // formats are our reading of the schema's patterns, checked below
            if got != want && !LIMIT_DEVIATIONS.iter().any(|(d, n, _)| d == def && n == name) {
                problems.push(format!("{def}.{name}: limits {got:?}, the schema says {want:?}"));
            }
            let ours_values = f.enum_type.as_ref().map(|e| e.values.iter().map(|(w, _)| w.clone()).collect::<Vec<_>>());
            if values.is_some() && ours_values != values && !(name == "type" && ours == "plan_task") {
                problems.push(format!("{def}.{name}: values {ours_values:?}, the schema says {values:?}"));
            }
            let pattern = p.get("pattern").and_then(Value::as_str);
            let expect_format = match pattern {
                Some("^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$") => Some("Date"),
                Some("^([01][0-9]|2[0-3]):[0-5][0-9]$") => Some("Time"),
                Some(r"^-?[0-9]+(\.[0-9]+)?$") => Some("Decimal"),
                Some("^#?[0-9a-fA-F]{6}$") => Some("HexColor"),
                // ID shapes and `https://`: not checked (IDs take other forms too).
                _ => None,
            };
            if f.limits.format.map(|x| x.variant()) != expect_format {
                problems.push(format!("{def}.{name}: format {:?}, the schema's pattern is {pattern:?}", f.limits.format));
            }
        }
        // Groups: oneOf/anyOf of `required` alternatives.
        for (key, exactly) in [("oneOf", true), ("anyOf", false)] {
            if let Some(alts) = object.get(key).and_then(Value::as_array) {
                let names: Vec<String> = alts
                    .iter()
                    .filter_map(|a| a.pointer("/required/0").and_then(Value::as_str).map(str::to_owned))
                    .collect();
                if names.len() == alts.len() && !groups.iter().any(|g| g.exactly_one == exactly && g.fields == names) {
                    problems.push(format!("{def}: no {key} group {names:?} in the spec"));
                }
            }
        }
    }
    // Nothing in the spec that the schema lacks, but the deviations.
    for t in &kit.types {
        if let KindIr::Struct { fields, .. } = &t.kind {
            let in_schema = defs.keys().any(|d| our_name(d) == Some(t.name.as_str()));
            for f in fields {
                if in_schema && !seen_fields.contains(&(t.name.clone(), f.wire.clone())) && !DEVIATIONS.iter().any(|(x, n, _)| *x == t.name && *n == f.wire) {
                    problems.push(format!("{}.{}: in the spec, not in the schema", t.name, f.wire));
                }
            }
        }
    }
    Report { problems, compared }
}
