//! Slack's per-method reference JSON → `spec/methods/*.yaml`.
//!
//! Imported data and hand corrections are kept apart: the importer derives a [`MethodSpec`] from
//! the JSON alone, then applies `spec/corrections/<method>.yaml` on top. Re-importing therefore
//! never loses a correction, and a correction that no longer applies (its argument vanished, say)
//! is an error rather than a silent no-op.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::spec::load::SpecError;
use crate::spec::{
    ArgName, ArgType, Argument, ArrayEncoding, Deprecation, ErrorCode, ErrorTable, HttpMethod, IdKind,
    MethodName, MethodSpec, RateLimit, Scalar, Scopes,
};

/// Where Slack documents each method.
pub const DOCS_BASE: &str = "https://docs.slack.dev/reference/methods/";

/// A problem importing one method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: PathBuf,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

/// A hand correction of Slack's data for one method: `spec/corrections/<method>.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// Why the correction exists (shown in review; required).
    pub reason: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub http_method: Option<HttpMethod>,
    #[serde(default)]
    pub content_types: Option<Vec<String>>,
    #[serde(default)]
    pub scopes: Option<Scopes>,
    #[serde(default)]
    pub rate_limit: Option<RateLimit>,
    #[serde(default)]
    pub rate_limit_note: Option<String>,
    #[serde(default)]
    pub deprecated: Option<Deprecation>,
    /// Names in Slack's `required` list that are not arguments and must be ignored.
    #[serde(default)]
    pub drop_required: Vec<String>,
    /// The required arguments, for methods whose data has no `required` list at all (the
    /// importer refuses to guess). `[]` says none is required.
    #[serde(default)]
    pub required_args: Option<Vec<String>>,
    /// Argument groups (not in Slack's method data).
    #[serde(default)]
    pub arg_groups: Vec<crate::spec::ArgGroup>,
    /// The paginated list's field, where the output schema does not tell it.
    #[serde(default)]
    pub list_field: Option<String>,
    /// Per argument: a patch of its fields, or `null` to remove it. A patch naming an argument
    /// Slack's data lacks adds it (and must then give `type` and `required`).
    #[serde(default)]
    pub arguments: BTreeMap<String, Option<ArgumentPatch>>,
    /// Per code: a description to add or replace, or `null` to remove.
    #[serde(default)]
    pub errors: BTreeMap<String, Option<String>>,
    /// Per response field: a patch of its keys, or `null` to remove it. A patch naming a field
    /// the output schema lacks adds it (and must then give `type`).
    #[serde(default)]
    pub response: BTreeMap<String, Option<FieldPatch>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldPatch {
    #[serde(default, rename = "type")]
    pub ty: Option<crate::spec::FieldType>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub values: Option<Vec<String>>,
    #[serde(default)]
    pub secret: Option<bool>,
    /// The Rust name, for a key that cannot be one (see `spec::Field::rust_name`).
    #[serde(default)]
    pub rust_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArgumentPatch {
    #[serde(default, rename = "type")]
    pub ty: Option<ArgType>,
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub example: Option<String>,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub values: Option<Vec<String>>,
    #[serde(default)]
    pub encoding: Option<ArrayEncoding>,
    #[serde(default)]
    pub secret: Option<bool>,
    /// Values to remove from the data's list (a value Slack lists by mistake). Unlike
    /// `values`, values Slack adds later still come through.
    #[serde(default)]
    pub drop_values: Option<Vec<String>>,
}

/// Loads `spec/corrections/*.yaml`, keyed by method name.
pub fn load_corrections(dir: &Path, display_root: &Path) -> Result<BTreeMap<String, Correction>, Vec<SpecError>> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    // Subdirectories hold other corrections (`events/`, `blocks/`).
    for file in crate::spec::load::named_yaml_files(dir, display_root, "<method>", true)? {
        match file.and_then(|(name, src)| Ok((name, src.parse::<Correction>()?))) {
            Ok((name, c)) => {
                out.insert(name, c);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Names in `methods.json` (the index), in index order.
pub fn index_names(docs_dir: &Path) -> Result<Vec<String>, ImportError> {
    let path = docs_dir.join("methods.json");
    let err = |message: String| ImportError { file: path.clone(), message };
    let text = std::fs::read_to_string(&path).map_err(|e| err(e.to_string()))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| err(format!("not JSON: {e}")))?;
    let list = v.as_array().ok_or_else(|| err("expected an array of methods".into()))?;
    list.iter()
        .enumerate()
        .map(|(i, m)| {
            m.get("name")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| err(format!("entry {i} has no `name`")))
        })
        .collect()
}

/// Imports one method's JSON text, then applies its correction if any.
pub fn import_method(
    name: &str,
    file: &Path,
    json: &str,
    correction: Option<&Correction>,
) -> Result<MethodSpec, ImportError> {
    let err = |message: String| ImportError { file: file.to_path_buf(), message };
    let doc: Value = serde_json::from_str(json).map_err(|e| err(format!("not JSON: {e}")))?;
    let empty = Correction::default();
    let c = correction.unwrap_or(&empty);
    let (mut spec, dangling) = from_json(name, &doc, c.required_args.as_ref()).map_err(err)?;
    check_dangling(&dangling, &c.drop_required).map_err(err)?;
    if correction.is_some() {
        let raw = spec.clone();
        apply(&mut spec, c).map_err(|m| {
            err(format!("spec/corrections/{name}.yaml does not apply: {m}; edit or delete that correction"))
        })?;
        check_correction(name, &raw, c).map_err(err)?;
    }
    Ok(spec)
}

/// A correction that now hides a change of Slack's data is an error: an enum patch that lacks
/// values Slack's data now has would silently drop them.
fn check_correction(name: &str, raw: &MethodSpec, c: &Correction) -> Result<(), String> {
    for (arg, patch) in &c.arguments {
        let (Some(Some(patch)), Some(data)) = (Some(patch), raw.arguments.iter().find(|a| a.name.as_str() == arg)) else {
            continue;
        };
        if let (Some(patched), Some(values)) = (&patch.values, &data.values) {
            let hidden: Vec<&String> = values.iter().filter(|v| !patched.contains(v)).collect();
            if !hidden.is_empty() {
                let list: Vec<String> = hidden.iter().map(|v| format!("`{v}`")).collect();
                return Err(format!(
                    "spec/corrections/{name}.yaml replaces the values of `{arg}`, but Slack's data now also has {}: \
                     the correction would hide them; add them to it or delete it",
                    list.join(", ")
                ));
            }
        }
    }
    Ok(())
}

/// The parts of a correction that change nothing any more (Slack's data now says the same), as
/// report lines naming the correction file.
pub fn redundant_parts(name: &str, raw: &MethodSpec, c: &Correction) -> Vec<String> {
    let file = format!("spec/corrections/{name}.yaml");
    let mut out = Vec::new();
    let mut same = |what: String| out.push(format!("{file}: {what} is what Slack's data says now; delete it"));
    if c.description.as_ref().is_some_and(|d| *d == raw.description) {
        same("`description`".into());
    }
    if c.http_method.is_some_and(|h| h == raw.http_method) {
        same("`http_method`".into());
    }
    if c.content_types.as_ref().is_some_and(|v| *v == raw.content_types) {
        same("`content_types`".into());
    }
    if c.scopes.as_ref().is_some_and(|v| *v == raw.scopes) {
        same("`scopes`".into());
    }
    if c.rate_limit.is_some_and(|v| v == raw.rate_limit) {
        same("`rate_limit`".into());
    }
    for (arg, patch) in &c.arguments {
        let (Some(patch), Some(data)) = (patch, raw.arguments.iter().find(|a| a.name.as_str() == arg)) else {
            continue;
        };
        let mut patched = data.clone();
        patch_arg(&mut patched, patch);
        if patched == *data {
            same(format!("the patch of argument `{arg}`"));
        }
    }
    for (code, desc) in &c.errors {
        if let Some(d) = desc {
            if raw.errors.0.iter().any(|(k, v)| k.as_str() == code && v == d) {
                same(format!("error `{code}`"));
            }
        }
    }
    out
}

/// The spec Slack's data gives, and the names its `required` list holds that are no argument.
fn from_json(
    name: &str,
    doc: &Value,
    required_override: Option<&Vec<String>>,
) -> Result<(MethodSpec, Vec<String>), String> {
    let obj = doc.as_object().ok_or("expected a JSON object")?;
    let str_of = |k: &str| obj.get(k).and_then(Value::as_str);
    let method_name = MethodName(name.to_owned());

    let http_method = match str_of("http_method") {
        Some("GET") => HttpMethod::Get,
        Some("POST") => HttpMethod::Post,
        other => return Err(format!("`http_method` is {other:?}, expected GET or POST")),
    };
    let mut content_types = vec!["application/x-www-form-urlencoded".to_owned()];
    if obj.get("json_input_supported").and_then(Value::as_bool) == Some(true) {
        content_types.push("application/json".to_owned());
    }

    let scopes = scopes(obj.get("scope"), obj.get("no_scope_required"))?;
    let (rate_limit, rate_limit_note) = rate_limit(obj.get("rate_limits"))?;

    let mut warnings = table(obj.get("warnings"), "warnings")?;
    let deprecated = deprecation(obj, &mut warnings);

    let args = obj.get("args").and_then(Value::as_object);
    let props = args.and_then(|a| a.get("properties")).and_then(Value::as_object);
    let required = required_args(args, required_override)?;
    let arguments = arguments(props, &required)?;
    if arguments.iter().any(|a| a.ty == ArgType::File) {
        content_types.push("multipart/form-data".to_owned());
    }
    // A required name with no argument is an error of the data; a correction must drop it.
    let dangling: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !arguments.iter().any(|a: &Argument| a.name.as_str() == *r))
        .collect();

    let spec = MethodSpec {
        docs_url: format!("{DOCS_BASE}{name}"),
        name: method_name,
        description: str_of("desc").unwrap_or_default().trim().to_owned(),
        http_method,
        content_types,
        scopes,
        rate_limit,
        rate_limit_note,
        deprecated,
        arguments,
        errors: table(obj.get("errors"), "errors")?,
        arg_groups: Vec::new(),
        warnings,
        list_field: None,
        response: with_examples(response_fields(obj.get("output")), obj.get("examples")),
    };
    let mut spec = spec;
    if spec.arguments.iter().any(|a| a.name.as_str() == "cursor") {
        spec.list_field = list_field(obj.get("output"));
    }
    Ok((spec, dangling.into_iter().map(str::to_owned).collect()))
}

/// The rate limit tier of Slack's `rate_limits`, and its text where it is no tier.
fn rate_limit(value: Option<&Value>) -> Result<(RateLimit, Option<String>), String> {
    Ok(match value {
        None | Some(Value::Null) => (RateLimit::None, None),
        Some(Value::String(t)) => match t.as_str() {
            "t1" => (RateLimit::Tier1, None),
            "t2" => (RateLimit::Tier2, None),
            "t3" => (RateLimit::Tier3, None),
            "t4" => (RateLimit::Tier4, None),
            "t5" => (RateLimit::Special, None),
            text => (RateLimit::Special, Some(text.to_owned())),
        },
        Some(other) => return Err(format!("`rate_limits` is {other}, expected a string")),
    })
}

/// The names of the required arguments: Slack's `required` list, or the correction's
/// `required_args` where the data has none (never both).
fn required_args<'a>(args: Option<&'a serde_json::Map<String, Value>>, required_override: Option<&'a Vec<String>>) -> Result<Vec<&'a str>, String> {
    let required: Option<Vec<&str>> = args
        .and_then(|a| a.get("required"))
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect());
    let required_list = match (&required, required_override) {
        (_, Some(list)) => list.iter().map(String::as_str).collect::<Vec<_>>(),
        (Some(list), None) => list.clone(),
        (None, None) => {
            return Err("Slack's data has no `required` list for the arguments: give the required ones \
                        with `required_args: [...]` (or `[]`) in spec/corrections/"
                .into());
        }
    };
    if required.is_some() && required_override.is_some() {
        return Err("`required_args` is given, but Slack's data has a `required` list: use argument patches".into());
    }
    Ok(required_list)
}

/// The arguments of Slack's `properties`, after the token where it is required but has none.
fn arguments(props: Option<&serde_json::Map<String, Value>>, required: &[&str]) -> Result<Vec<Argument>, String> {
    let mut arguments = Vec::new();
    // The token is an argument of every method that lists it as required, even where the data
    // has no property for it.
    if required.contains(&"token") && !props.is_some_and(|p| p.contains_key("token")) {
        arguments.push(Argument {
            name: ArgName("token".into()),
            ty: ArgType::Token,
            required: true,
            description: None,
            example: None,
            default: None,
            values: None,
            encoding: None,
            secret: false,
        });
    }
    if let Some(props) = props {
        for (arg_name, p) in props {
            arguments.push(argument(arg_name, p, required.contains(&arg_name.as_str()))?);
        }
    }
    Ok(arguments)
}

/// Where the spec records which docs snapshot it was imported from.
pub const SNAPSHOT_FILE: &str = "spec/docs-snapshot.txt";

pub use crate::snapshot::snapshot_digest;

/// The text of [`SNAPSHOT_FILE`] for a snapshot.
pub fn snapshot_record(digest: &str, methods: usize) -> String {
    format!(
        "# The docs snapshot spec/methods/ was imported from (written by `cargo xtask import`).\n\
         # Tests that compare the spec with ../shared's snapshot run only when it is this one.\n\
         digest: {digest}\nmethods: {methods}\n"
    )
}

/// Argument and response-field names that carry credentials wherever they appear; the importer
/// marks them `secret: true` (corrections can mark more, e.g. a `url` that embeds a ticket).
pub const SECRET_NAMES: &[&str] = &[
    "access_token",
    "app_token",
    "assertion",
    "bot_access_token",
    "client_secret",
    "code",
    "code_verifier",
    "id_token",
    "refresh_token",
    "signing_secret",
    "verification_token",
];

/// Fields the envelope types for every response.
const ENVELOPE: &[&str] = &["ok", "warning", "response_metadata", "error"];

/// The response's fields from the `output` schema, where it has properties.
fn response_fields(output: Option<&Value>) -> Option<Vec<crate::spec::Field>> {
    let props = output?.get("properties")?.as_object()?;
    let mut fields = Vec::new();
    for (name, p) in props {
        if ENVELOPE.contains(&name.as_str()) || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let (ty, values) = field_type(p);
        let description = p.get("desc").and_then(Value::as_str).map(|d| d.trim().to_owned()).filter(|d| !d.is_empty());
        let secret = SECRET_NAMES.contains(&name.as_str());
        fields.push(crate::spec::Field {
            name: crate::spec::FieldName(name.clone()),
            ty,
            description,
            values,
            secret,
            from_example: false,
            rust_name: None, required: false, min_length: None, max_length: None, min_items: None, max_items: None, item_max_length: None, format: None, closed: false,
        });
    }
    Some(fields)
}

/// The successful example answers of a method's `examples`.
fn success_examples(examples: Option<&Value>) -> Vec<&serde_json::Map<String, Value>> {
    let Some(examples) = examples.and_then(Value::as_object) else { return Vec::new() };
    examples
        .values()
        .filter_map(|e| e.get("example")?.as_object())
        .filter(|e| e.get("ok") == Some(&Value::Bool(true)))
        .collect()
}

/// Completes the output schema's fields with what the example answers show: a field the schema
/// lacks is added, and a field the schema leaves as bare JSON gets the type its values show,
/// both marked `from_example`. Without a schema, the examples alone give the fields. A field
/// whose values are only `null` or empty lists, or disagree, is left out (or left `json`).
fn with_examples(schema: Option<Vec<crate::spec::Field>>, examples: Option<&Value>) -> Option<Vec<crate::spec::Field>> {
    let answers = success_examples(examples);
    let mut keys: Vec<&String> = answers.iter().flat_map(|a| a.keys()).collect();
    keys.sort();
    keys.dedup();
    if schema.is_none() && answers.is_empty() {
        return None;
    }
    let mut fields = schema.unwrap_or_default();
    for key in keys {
        let plain = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if ENVELOPE.contains(&key.as_str()) || key == "extra" || !plain {
            continue;
        }
        let values: Vec<&Value> = answers.iter().filter_map(|a| a.get(key.as_str())).collect();
        let Some(ty) = infer_type(key, &values) else { continue };
        match fields.iter_mut().find(|f| f.name.0 == *key) {
            Some(f) if untyped(&f.ty) => {
                f.ty = ty;
                f.from_example = true;
            }
            Some(_) => {}
            None => fields.push(crate::spec::Field {
                name: crate::spec::FieldName(key.clone()),
                ty,
                description: None,
                values: None,
                secret: SECRET_NAMES.contains(&key.as_str()),
                from_example: true,
                rust_name: None, required: false, min_length: None, max_length: None, min_items: None, max_items: None, item_max_length: None, format: None, closed: false,
            }),
        }
    }
    Some(fields)
}

/// `json`, or a list of it: what the schema leaves open.
fn untyped(ty: &crate::spec::FieldType) -> bool {
    match ty {
        crate::spec::FieldType::Json => true,
        crate::spec::FieldType::Array(inner) | crate::spec::FieldType::Map(inner) => untyped(inner),
        _ => false,
    }
}

/// The type a field's example values show, helped by its name: IDs and timestamps by the
/// usual key names and value forms, objects by the key (`channel` → `conversation`). `None`
/// when the values tell nothing (`null`, `[]`) or disagree.
pub fn infer_type(key: &str, values: &[&Value]) -> Option<crate::spec::FieldType> {
    use crate::spec::FieldType as T;
    let mut found: Option<crate::spec::FieldType> = None;
    for v in values {
        let Some(t) = infer_one(key, v) else { continue };
        match &found {
            None => found = Some(t),
            Some(f) if *f == t => {}
            // An integer in one example and a fraction in another: a number.
            Some(T::Integer | T::Number) if matches!(t, T::Integer | T::Number) => found = Some(T::Number),
            Some(_) => return None,
        }
    }
    found
}

fn infer_one(key: &str, v: &Value) -> Option<crate::spec::FieldType> {
    use crate::spec::FieldType as T;
    Some(match v {
        Value::Null => return None,
        Value::Bool(_) => T::Boolean,
        Value::Number(n) if n.is_i64() || n.is_u64() => T::Integer,
        Value::Number(_) => T::Number,
        Value::String(s) => string_type(key, s),
        Value::Object(_) => T::Object(object_for_key(key)?.into()),
        Value::Array(items) => {
            let singular = key.strip_suffix("ies").map(|k| format!("{k}y")).or_else(|| key.strip_suffix('s').map(str::to_owned));
            let item_key = singular.as_deref().unwrap_or(key);
            let refs: Vec<&Value> = items.iter().collect();
            let inner = infer_type(item_key, &refs)?;
            // Every element must agree (a list of mixed shapes stays JSON).
            if items.iter().any(|i| !i.is_null() && infer_one(item_key, i).as_ref() != Some(&inner)) {
                return None;
            }
            T::Array(Box::new(inner))
        }
    })
}

/// A string's type: an ID or timestamp where both the key and the value's form say so.
fn string_type(key: &str, s: &str) -> crate::spec::FieldType {
    use crate::spec::FieldType as T;
    let ts_like = s.len() > 11 && s.as_bytes()[10] == b'.' && s.bytes().enumerate().all(|(i, b)| i == 10 || b.is_ascii_digit());
    if ts_like && (key == "ts" || key.ends_with("_ts") || key == "latest" || key == "last_read") {
        return T::Timestamp;
    }
    let id_like = |prefixes: &str| {
        s.len() > 2
            && prefixes.contains(s.chars().next().unwrap_or(' '))
            && s.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    let kind = match key {
        "user" | "user_id" | "creator" | "owner" | "inviter" | "created_by" | "updated_by" | "last_updated_by" | "member" => {
            id_like("UW").then_some(IdKind::User)
        }
        "channel" | "channel_id" | "conversation_id" => id_like("CDG").then_some(IdKind::Channel),
        "team" | "team_id" | "user_team" | "source_team" | "date_team" | "context_team_id" => id_like("TE").then_some(IdKind::Team),
        "enterprise_id" => id_like("E").then_some(IdKind::Enterprise),
        "app_id" => id_like("A").then_some(IdKind::App),
        "bot_id" => id_like("B").then_some(IdKind::Bot),
        "file" | "file_id" => id_like("F").then_some(IdKind::File),
        "usergroup" | "usergroup_id" => id_like("S").then_some(IdKind::Usergroup),
        _ => None,
    };
    kind.map_or(T::String, T::Id)
}

/// The shared object a key of an example answer names, where it holds an object.
fn object_for_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "user" | "member" => "user",
        "profile" => "user_profile",
        "channel" | "conversation" | "group" | "im" => "conversation",
        "message" | "latest" | "root" | "parent" => "message",
        "file" => "file",
        "usergroup" | "subteam" => "usergroup",
        "bookmark" => "bookmark",
        "reminder" => "reminder",
        "view" => "view",
        "paging" => "paging",
        "team" => "team",
        _ => return None,
    })
}

/// The shared object (in `spec/objects/`) a schema name of Slack's output data stands for.
fn object_for(schema: &str) -> Option<&'static str> {
    Some(match schema {
        "user" => "user",
        "user_profile" => "user_profile",
        "conversation" => "conversation",
        "message" => "message",
        "file" => "file",
        "subteam" => "usergroup",
        "bookmark" => "bookmark",
        "reminder" => "reminder",
        "view" | "modal" | "home" | "publishable-view" => "view",
        "paging" => "paging",
        "team" => "team",
        _ => return None,
    })
}

/// A response field's type from its schema, and its enum values.
fn field_type(p: &Value) -> (crate::spec::FieldType, Option<Vec<String>>) {
    use crate::spec::FieldType as T;
    let schema = p.get("schema").and_then(Value::as_str).unwrap_or_default();
    if let Some(object) = object_for(schema) {
        return (T::Object(object.into()), None);
    }
    if schema == "ts" {
        return (T::Timestamp, None);
    }
    if let Some(kind) = id_kind(if schema == "workspace_id" { "team_id" } else { schema }, "") {
        return (T::Id(kind), None);
    }
    // `type` may be a list such as ["null", "string"]: the non-null one counts.
    let ty = match p.get("type") {
        Some(Value::String(t)) => Some(t.as_str()),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    };
    match ty {
        Some("boolean") => (T::Boolean, None),
        Some("integer") => (T::Integer, None),
        Some("number") => (T::Number, None),
        Some("string") => match p.get("enum").and_then(Value::as_array) {
            Some(values) => {
                let v: Vec<String> = values.iter().filter_map(Value::as_str).filter(|v| !v.is_empty()).map(str::to_owned).collect();
                if v.is_empty() || v.iter().any(|x| crate::names::variant_name(x).is_none()) {
                    (T::String, None)
                } else {
                    (T::Enum, Some(v))
                }
            }
            None => (T::String, None),
        },
        Some("array") => {
            let items = p.get("items").cloned().unwrap_or(Value::Null);
            let (inner, _) = field_type(&items);
            // Enum items would need a name of their own; strings keep the values.
            let inner = if inner == T::Enum { T::String } else { inner };
            (T::Array(Box::new(inner)), None)
        }
        _ => (T::Json, None),
    }
}

/// The field of a paginated response that holds the items: the output schema's only top-level
/// array, or `messages` where a history also lists other arrays.
fn list_field(output: Option<&Value>) -> Option<String> {
    let props = output?.get("properties")?.as_object()?;
    let arrays: Vec<&String> = props
        .iter()
        .filter(|(_, v)| v.get("type").and_then(Value::as_str) == Some("array"))
        .map(|(k, _)| k)
        .collect();
    match arrays.as_slice() {
        [one] => Some((*one).clone()),
        many if many.iter().any(|k| *k == "messages") => Some("messages".into()),
        _ => None,
    }
}

/// Compares the required names that are not arguments with the correction's `drop_required`.
fn check_dangling(dangling: &[String], drop: &[String]) -> Result<(), String> {
    let mut problems = Vec::new();
    for d in drop {
        if !dangling.contains(d) {
            problems.push(format!(
                "`drop_required` names `{d}`, which Slack's `required` list does not hold (or which is an argument)"
            ));
        }
    }
    for d in dangling {
        if !drop.contains(d) {
            problems.push(format!(
                "Slack's `required` list names `{d}`, which is not an argument: fix the data with \
                 `drop_required: [{d}]` in spec/corrections/"
            ));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

fn scopes(v: Option<&Value>, no_scope: Option<&Value>) -> Result<Scopes, String> {
    let mut s = Scopes {
        no_scope_required: no_scope.and_then(Value::as_bool).unwrap_or(false),
        ..Scopes::default()
    };
    match v {
        None | Some(Value::Null) => {}
        // Slack writes `"none"` for methods that take no token scope at all.
        Some(Value::String(t)) if t == "none" => s.no_scope_required = true,
        Some(Value::Object(map)) => {
            for (kind, list) in map {
                let mut list: Vec<String> = match list {
                    Value::Array(a) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
                    Value::String(one) => vec![one.clone()],
                    other => return Err(format!("scopes for `{kind}` are {other}, expected a list")),
                };
                // Slack's data sometimes lists a scope twice; once is enough.
                let mut seen = std::collections::BTreeSet::new();
                list.retain(|scope| seen.insert(scope.clone()));
                let slot = match kind.as_str() {
                    "bot" => &mut s.bot,
                    "user" => &mut s.user,
                    "app" => &mut s.app,
                    "configuration" => &mut s.configuration,
                    "seamless_user" => &mut s.seamless_user,
                    other => return Err(format!("unknown token type `{other}` in `scope`")),
                };
                *slot = Some(list);
            }
        }
        Some(other) => return Err(format!("`scope` is {other}, expected an object")),
    }
    Ok(s)
}

fn table(v: Option<&Value>, what: &str) -> Result<ErrorTable, String> {
    let mut out = Vec::new();
    match v {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (code, entry) in map {
                let desc = match entry {
                    Value::Object(o) => o.get("desc").and_then(Value::as_str).unwrap_or_default(),
                    Value::String(s) => s,
                    _ => "",
                };
                out.push((ErrorCode(code.clone()), desc.trim().to_owned()));
            }
        }
        Some(other) => return Err(format!("`{what}` is {other}, expected an object")),
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(ErrorTable(out))
}

/// Slack marks deprecation three ways: `"deprecated": true`, a `method_deprecated` warning, or
/// only in prose. The first two are read here (the warning moves into the note); prose-only
/// cases need a correction.
fn deprecation(obj: &serde_json::Map<String, Value>, warnings: &mut ErrorTable) -> Option<Deprecation> {
    if let Some(i) = warnings.0.iter().position(|(c, _)| c.as_str() == "method_deprecated") {
        let (_, note) = warnings.0.remove(i);
        return Some(Deprecation { note });
    }
    (obj.get("deprecated").and_then(Value::as_bool) == Some(true))
        .then(|| Deprecation { note: "Slack's reference marks this method deprecated.".into() })
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn argument(name: &str, p: &Value, required: bool) -> Result<Argument, String> {
    let get = |k: &str| p.get(k);
    let desc = get("desc").and_then(Value::as_str).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let schema = get("schema").and_then(Value::as_str).unwrap_or_default();
    let subtype = get("subtype").and_then(Value::as_str).unwrap_or_default();
    let enum_values: Option<Vec<String>> =
        get("enum").and_then(Value::as_array).map(|a| a.iter().filter_map(value_text).collect());
    let scalar_of = |ty: Option<&str>, schema: &str, subtype: &str, has_enum: bool| match ty {
        Some("boolean") => Scalar::Boolean,
        Some("integer") => Scalar::Integer,
        Some("number") => Scalar::Number,
        Some("object") => Scalar::Object,
        _ if has_enum => Scalar::Enum,
        _ if schema == "ts" || subtype == "timestamp" => Scalar::Timestamp,
        _ => id_kind(schema, subtype).map_or(Scalar::String, Scalar::Id),
    };
    let ty = get("type").and_then(Value::as_str);
    // Slack marks a few `limit`s `number`; an item count is whole ("must be an integer").
    let ty = if name == "limit" && ty == Some("number") { Some("integer") } else { ty };
    let (arg_type, values) = if subtype == "auth" || name == "token" {
        (ArgType::Token, None)
    } else if ty.is_none() && desc.as_deref().is_some_and(|d| d.contains("multipart/form-data")) {
        // Slack does not flag upload methods; their file argument has no type and says how it
        // travels.
        (ArgType::File, None)
    } else if ty == Some("array") {
        let items = get("items").cloned().unwrap_or(Value::Null);
        let item_ty = items.get("type").and_then(Value::as_str);
        // One method writes `$schema` for `schema` in its items.
        let item_schema = items.get("schema").or_else(|| items.get("$schema")).and_then(Value::as_str).unwrap_or_default();
        let item_subtype = items.get("subtype").and_then(Value::as_str).unwrap_or_default();
        let item_enum: Option<Vec<String>> =
            items.get("enum").and_then(Value::as_array).map(|a| a.iter().filter_map(value_text).collect());
        let s = scalar_of(item_ty, item_schema, item_subtype, item_enum.is_some());
        (ArgType::Array(s), item_enum)
    } else if ty.is_none_or(|t| t == "string")
        && enum_values.is_none()
        && desc.as_deref().is_some_and(is_comma_list)
    {
        (ArgType::Array(Scalar::String), None)
    } else {
        let s = scalar_of(ty, schema, subtype, enum_values.is_some());
        (ArgType::Scalar(s), if s == Scalar::Enum { enum_values } else { None })
    };
    let arg_type = refine(name, desc.as_deref(), arg_type);
    // Objects cannot be comma-joined: a list of them travels as a JSON array.
    let encoding = (arg_type == ArgType::Array(Scalar::Object)).then_some(ArrayEncoding::Json);
    Ok(Argument {
        name: ArgName(name.to_owned()),
        ty: arg_type,
        required,
        description: desc,
        example: get("example").and_then(value_text),
        default: get("default").and_then(value_text),
        values,
        encoding,
        secret: SECRET_NAMES.contains(&name),
    })
}

/// Types Slack's data leaves as strings: Block Kit payloads, other JSON text, and timestamps.
fn refine(name: &str, desc: Option<&str>, ty: ArgType) -> ArgType {
    let ArgType::Scalar(s @ (Scalar::String | Scalar::Object)) = ty else { return ty };
    let desc = desc.unwrap_or_default();
    let kit = match name {
        "blocks" | "user_auth_blocks" => Some(Scalar::Blocks),
        "attachments" | "unfurled_attachments" => Some(Scalar::Attachments),
        "view" => Some(Scalar::View),
        "unfurls" => Some(Scalar::Unfurls),
        // `chat.*` metadata; other methods' `metadata` (work object entities) is other JSON.
        "metadata" if desc.contains("event_type and event_payload") => Some(Scalar::MessageMetadata),
        _ => None,
    };
    if let Some(k) = kit {
        return ArgType::Scalar(k);
    }
    if s == Scalar::Object || desc.contains("JSON") {
        return ArgType::Scalar(Scalar::Json);
    }
    if name == "ts" || name.ends_with("_ts") {
        return ArgType::Scalar(Scalar::Timestamp);
    }
    ty
}

/// The ID kind Slack's `schema` (or, failing that, `subtype`) names, if it is one with a type.
fn id_kind(schema: &str, subtype: &str) -> Option<IdKind> {
    Some(match (schema, subtype) {
        ("user_id" | "enterprise_user_id" | "user", _) | ("", "user") => IdKind::User,
        ("channel" | "channel_id", _) | ("", "channel" | "channel_group") => IdKind::Channel,
        ("workspace_id" | "team_id", _) | ("", "team") => IdKind::Team,
        ("enterprise_id", _) | ("", "enterprise") => IdKind::Enterprise,
        ("app_id", _) => IdKind::App,
        ("file_id", _) | ("", "file") => IdKind::File,
        ("subteam_id", _) | ("", "user_group") => IdKind::Usergroup,
        ("function_id", _) => IdKind::Function,
        ("", "bot") => IdKind::Bot,
        _ => return None,
    })
}

/// Whether a string argument's description says it is a comma-separated list.
fn is_comma_list(desc: &str) -> bool {
    let d = desc.to_ascii_lowercase();
    d.contains("comma-separated") || d.contains("comma separated")
}

/// Applies a hand correction.
pub fn apply(spec: &mut MethodSpec, c: &Correction) -> Result<(), String> {
    if let Some(v) = &c.description {
        spec.description = v.clone();
    }
    if let Some(v) = c.http_method {
        spec.http_method = v;
    }
    if let Some(v) = &c.content_types {
        spec.content_types = v.clone();
    }
    if let Some(v) = &c.scopes {
        spec.scopes = v.clone();
    }
    if let Some(v) = c.rate_limit {
        spec.rate_limit = v;
    }
    if let Some(v) = &c.rate_limit_note {
        spec.rate_limit_note = Some(v.clone());
    }
    if let Some(v) = &c.deprecated {
        spec.deprecated = Some(v.clone());
    }
    for g in &c.arg_groups {
        for a in &g.args {
            if !spec.arguments.iter().any(|x| x.name == *a) {
                return Err(format!("argument group names `{a}`, which is not an argument"));
            }
        }
    }
    spec.arg_groups = c.arg_groups.clone();
    if let Some(f) = &c.list_field {
        spec.list_field = Some(f.clone());
    }
    apply_arguments(spec, c)?;
    for (code, desc) in &c.errors {
        let pos = spec.errors.0.iter().position(|(k, _)| k.as_str() == code);
        match (pos, desc) {
            (Some(i), None) => {
                spec.errors.0.remove(i);
            }
            (None, None) => return Err(format!("removes error `{code}`, which Slack's data does not have")),
            (Some(i), Some(d)) => spec.errors.0[i].1 = d.clone(),
            (None, Some(d)) => spec.errors.0.push((ErrorCode(code.clone()), d.clone())),
        }
    }
    spec.errors.0.sort_by(|a, b| a.0.cmp(&b.0));
    if !c.response.is_empty() {
        let Some(fields) = spec.response.as_mut() else {
            return Err("patches response fields, but the method's response is untyped in Slack's data".into());
        };
        apply_response(fields, c)?;
    }
    Ok(())
}

/// A correction's argument patches: each removes, patches or adds an argument.
fn apply_arguments(spec: &mut MethodSpec, c: &Correction) -> Result<(), String> {
    for (name, patch) in &c.arguments {
        let pos = spec.arguments.iter().position(|a| a.name.as_str() == name);
        match (pos, patch) {
            (Some(i), None) => {
                spec.arguments.remove(i);
            }
            (None, None) => return Err(format!("removes argument `{name}`, which Slack's data does not have")),
            (Some(i), Some(p)) => patch_arg(&mut spec.arguments[i], p),
            (None, Some(p)) => {
                let (Some(ty), Some(required)) = (p.ty.clone(), p.required) else {
                    let close: Vec<String> = spec
                        .arguments
                        .iter()
                        .filter(|a| similar(a.name.as_str(), name))
                        .map(|a| format!("`{}`", a.name.as_str()))
                        .collect();
                    let hint = if close.is_empty() {
                        String::new()
                    } else {
                        format!(" (renamed? Slack's data has {})", close.join(", "))
                    };
                    return Err(format!(
                        "patches argument `{name}`, which Slack's data does not have{hint}; a patch that adds an argument must give `type` and `required`"
                    ));
                };
                let mut a = Argument {
                    name: ArgName(name.clone()),
                    ty,
                    required,
                    description: None,
                    example: None,
                    default: None,
                    values: None,
                    encoding: None,
                    secret: false,
                };
                patch_arg(&mut a, p);
                spec.arguments.push(a);
            }
        }
    }
    Ok(())
}

/// A correction's response patches: each removes, patches or adds a response field.
fn apply_response(fields: &mut Vec<crate::spec::Field>, c: &Correction) -> Result<(), String> {
    for (name, patch) in &c.response {
        let pos = fields.iter().position(|f| f.name.0 == *name);
        match (pos, patch) {
            (Some(i), None) => {
                fields.remove(i);
            }
            (None, None) => return Err(format!("removes response field `{name}`, which Slack's data does not have")),
            (Some(i), Some(p)) => patch_field(&mut fields[i], p),
            (None, Some(p)) => {
                let Some(ty) = p.ty.clone() else {
                    return Err(format!("adds response field `{name}` without `type`"));
                };
                let mut f = crate::spec::Field {
                    name: crate::spec::FieldName(name.clone()),
                    ty,
                    description: None,
                    values: None,
                    secret: false,
                    from_example: false,
                    rust_name: None, required: false, min_length: None, max_length: None, min_items: None, max_items: None, item_max_length: None, format: None, closed: false,
                };
                patch_field(&mut f, p);
                fields.push(f);
            }
        }
    }
    Ok(())
}

/// Whether two argument names look like one renamed: one contains the other, or they share
/// their first word.
fn similar(a: &str, b: &str) -> bool {
    a.contains(b) || b.contains(a) || a.split('_').next() == b.split('_').next()
}

fn patch_arg(a: &mut Argument, p: &ArgumentPatch) {
    if let Some(v) = &p.ty {
        a.ty = v.clone();
        if a.ty.scalar() != Some(Scalar::Enum) {
            a.values = None;
        }
        // A list's encoding goes with it when the correction makes it a whole value.
        if !matches!(a.ty, ArgType::Array(_)) {
            a.encoding = None;
        }
    }
    if let Some(v) = p.required {
        a.required = v;
    }
    if let Some(v) = &p.description {
        a.description = Some(v.clone());
    }
    if let Some(v) = &p.example {
        a.example = Some(v.clone());
    }
    if let Some(v) = &p.default {
        a.default = Some(v.clone());
    }
    if let Some(v) = &p.values {
        a.values = Some(v.clone());
    }
    if let Some(v) = p.encoding {
        a.encoding = Some(v);
    }
    if let Some(v) = p.secret {
        a.secret = v;
    }
    if let (Some(drop), Some(values)) = (&p.drop_values, &mut a.values) {
        values.retain(|v| !drop.contains(v));
    }
}

fn patch_field(f: &mut crate::spec::Field, p: &FieldPatch) {
    if let Some(v) = &p.ty {
        f.ty = v.clone();
        if !matches!(f.ty, crate::spec::FieldType::Enum)
            && !matches!(&f.ty, crate::spec::FieldType::Array(i) if matches!(**i, crate::spec::FieldType::Enum))
        {
            f.values = None;
        }
    }
    if let Some(v) = &p.description {
        f.description = Some(v.clone());
    }
    if let Some(v) = &p.values {
        f.values = Some(v.clone());
    }
    if let Some(v) = p.secret {
        f.secret = v;
    }
    if let Some(v) = &p.rust_name {
        f.rust_name = Some(v.clone());
    }
}

/// The YAML text of a method spec, as the importer writes it.
pub fn to_yaml(spec: &MethodSpec) -> String {
    let body = serde_yaml::to_string(spec).unwrap_or_else(|e| format!("# cannot serialize: {e}\n"));
    format!(
        "# Imported from Slack's reference data by `cargo xtask import`; corrections live in\n\
         # spec/corrections/{}.yaml. Re-import rather than editing by hand.\n{body}",
        spec.name
    )
}

/// Imports `docs_dir` (a `methods.json` index and one `<method>.json` per method) into
/// `<root>/spec/methods`. With `only`, just those methods are imported and no other spec file is
/// touched; otherwise spec files of methods the index no longer lists are removed (or, with
/// `check`, reported).
pub fn import_tree(
    root: &Path,
    docs_dir: &Path,
    only: Option<&[String]>,
    check: bool,
) -> Result<(crate::write::Report, super::report::Changes), Vec<String>> {
    import_tree_with(root, docs_dir, only, check, false)
}

/// Import errors, one line each; when many methods fail with the same message (a format
/// change upstream), one summary line for them with a few examples.
fn summarise(failures: Vec<ImportError>) -> Vec<String> {
    let mut by_message: BTreeMap<String, Vec<ImportError>> = BTreeMap::new();
    for f in failures {
        by_message.entry(f.message.clone()).or_default().push(f);
    }
    let mut out = Vec::new();
    for (message, group) in by_message {
        if group.len() >= 5 {
            let examples: Vec<String> = group.iter().take(3).map(|f| f.file.display().to_string()).collect();
            out.push(format!(
                "{} methods fail alike: {message} (e.g. {}, …): a change of the data's format, most likely",
                group.len(),
                examples.join(", ")
            ));
        } else {
            out.extend(group.iter().map(ToString::to_string));
        }
    }
    out
}

/// Share of the methods an import may remove without `allow_removal`.
pub const MAX_SILENT_REMOVAL: f64 = 0.10;

/// [`import_tree`]; `allow_removal` lets an import remove more than a tenth of the methods (an
/// empty or truncated index would otherwise delete the API).
pub fn import_tree_with(
    root: &Path,
    docs_dir: &Path,
    only: Option<&[String]>,
    check: bool,
    allow_removal: bool,
) -> Result<(crate::write::Report, super::report::Changes), Vec<String>> {
    let mut problems = Vec::new();
    let corrections = load_corrections(&root.join("spec/corrections"), root)
        .map_err(|e| e.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    let names = index_names(docs_dir).map_err(|e| vec![e.to_string()])?;
    let wanted = methods_to_import(docs_dir, &names, only, &corrections, &mut problems);
    let (mut files, notes) = import_files(docs_dir, &wanted, &corrections, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    if only.is_none() {
        if let Ok((digest, methods)) = snapshot_digest(docs_dir) {
            files.push(crate::write::GeneratedFile { path: PathBuf::from(SNAPSHOT_FILE), contents: snapshot_record(&digest, methods) });
        }
    }
    let (before, mut changes) = change_report(root, &files, only)?;
    changes.corrections = notes;
    changes.runtime_uses = super::report::runtime_uses(root, &changes);
    if !allow_removal && only.is_none() && !before.is_empty() {
        let removed = changes.removed.len();
        if removed as f64 > before.len() as f64 * MAX_SILENT_REMOVAL {
            return Err(vec![format!(
                "this import would remove {removed} of {} methods (more than a tenth): if Slack really removed \
                 them, run it again with --allow-removal; an empty or truncated index would look the same",
                before.len()
            )]);
        }
    }
    let owned: &[&str] = if only.is_some() { &[] } else { &["spec/methods"] };
    let report = crate::write::ensure(root, &files, owned, check).map_err(|e| vec![e.to_string()])?;
    Ok((report, changes))
}

/// The methods to import: those of the index (or of `only`, each of which must be in it). A
/// method file missing from the index, and a correction of a method no longer in it, are
/// problems: nothing is dropped silently.
fn methods_to_import<'a>(
    docs_dir: &Path,
    names: &'a [String],
    only: Option<&[String]>,
    corrections: &BTreeMap<String, Correction>,
    problems: &mut Vec<String>,
) -> Vec<&'a String> {
    // Every method file must be in the index, and the reverse: nothing is dropped silently.
    if let Ok(entries) = std::fs::read_dir(docs_dir) {
        for e in entries.flatten() {
            let f = e.file_name().to_string_lossy().into_owned();
            if let Some(stem) = f.strip_suffix(".json") {
                if stem != "methods" && !names.iter().any(|n| n == stem) {
                    problems.push(format!("{}: not listed in methods.json", docs_dir.join(&f).display()));
                }
            }
        }
    }
    let wanted: Vec<&String> = match only {
        Some(list) => {
            for m in list {
                if !names.contains(m) {
                    problems.push(format!("`{m}` is not in {}", docs_dir.join("methods.json").display()));
                }
            }
            names.iter().filter(|n| list.contains(n)).collect()
        }
        None => names.iter().collect(),
    };
    for name in corrections.keys() {
        if !names.contains(name) {
            problems.push(format!(
                "spec/corrections/{name}.yaml: `{name}` is no longer in Slack's index; if the method is gone, delete the correction"
            ));
        }
    }
    wanted
}

/// The spec file of each method, with the notes on correction parts Slack's data now has.
fn import_files(
    docs_dir: &Path,
    wanted: &[&String],
    corrections: &BTreeMap<String, Correction>,
    problems: &mut Vec<String>,
) -> (Vec<crate::write::GeneratedFile>, Vec<String>) {
    let mut files = Vec::new();
    let mut notes = Vec::new();
    let mut failures: Vec<ImportError> = Vec::new();
    for &name in wanted {
        let path = docs_dir.join(format!("{name}.json"));
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        match import_method(name, &path, &text, corrections.get(name)) {
            Ok(spec) => {
                if let Some(c) = corrections.get(name) {
                    if let Ok(doc) = serde_json::from_str::<Value>(&text) {
                        if let Ok((raw, _)) = from_json(name, &doc, c.required_args.as_ref()) {
                            notes.extend(redundant_parts(name, &raw, c));
                        }
                    }
                }
                files.push(crate::write::GeneratedFile {
                    path: PathBuf::from(format!("spec/methods/{name}.yaml")),
                    contents: to_yaml(&spec),
                })
            }
            Err(e) => failures.push(e),
        }
    }
    problems.extend(summarise(failures));
    (files, notes)
}

/// The change report: the spec as it was (of `only`, if given) against what this import
/// produces. Also returns the methods as they were.
fn change_report(
    root: &Path,
    files: &[crate::write::GeneratedFile],
    only: Option<&[String]>,
) -> Result<(super::report::Methods, super::report::Changes), Vec<String>> {
    let strings = |errs: Vec<SpecError>| errs.iter().map(ToString::to_string).collect::<Vec<_>>();
    let mut before = match super::report::read_methods_dir(&root.join("spec/methods")) {
        Ok(m) => m,
        Err(e) if !root.join("spec/methods").exists() => {
            drop(e);
            super::report::Methods::new()
        }
        Err(e) => return Err(strings(e)),
    };
    if let Some(list) = only {
        before.retain(|name, _| list.contains(name));
    }
    let after = super::report::parse_methods(
        files
            .iter()
            .filter(|f| f.path.starts_with("spec/methods"))
            .map(|f| crate::spec::load::SourceFile { path: f.path.clone(), text: f.contents.clone() }),
    )
    .map_err(strings)?;
    let changes = super::report::diff(&before, &after);
    Ok((before, changes))
}
