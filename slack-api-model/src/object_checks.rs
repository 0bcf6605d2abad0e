//! Rules between fields of the objects apps send, which a field's own limits cannot say. The
//! generated `Validate` impl of an object marked `cross_checks: true` in `spec/objects/` calls
//! the function of this module named after it, after its own checks.

use crate::block_kit::{Path, Validator, ViolationKind};
use crate::objects::{
    AppManifestFields, AppManifestFunctionInputParameters, AppManifestFunctionOutputParameters, AppManifestParameters,
    AppManifestWorkflowInputParameters, AppManifestWorkflowOutputParameters,
};

/// A function's callback ID: "a unique string identifier in snake_case format … max 100
/// characters" (Slack's manifest reference, `functions.<callback_id>`).
pub const APP_MANIFEST_FUNCTION_CALLBACK_ID_MAX_LENGTH: usize = 100;

/// The app manifest's rules between fields, from Slack's manifest reference
/// (<https://docs.slack.dev/reference/app-manifest>):
///
/// - `settings.function_runtime` is required when the manifest has `functions`;
/// - an optional scope (`oauth_config.scopes.bot_optional`, `user_optional`) must also be
///   listed among the scopes (`bot`, `user`);
/// - a function's callback ID (its key under `functions`) is snake_case, at most 100
///   characters;
/// - the parameters of functions and workflows take the form of the manifest's version:
///   version 1 (no `_metadata.major_version`, or 1) lists them by name, version 2 under
///   `properties` with the names that are `required`; each of those names must be a property.
pub(crate) fn app_manifest<'a>(m: &'a AppManifestFields, at: &Path<'_>, v: &mut Validator<'a>) {
    let functions = m.functions.as_ref().filter(|f| !f.is_empty());
    if functions.is_some() {
        let settings = m.settings.as_ref();
        let runtime_set = settings.is_some_and(|s| {
            // A value of another shape is reported by the field's own check.
            s.function_runtime.is_some() || s.extra.get("function_runtime").is_some_and(|x| !x.is_null())
        });
        if !runtime_set {
            let settings_at = at.key("settings");
            v.push(&settings_at.key("function_runtime"), ViolationKind::RequiredWith { with: "functions" });
        }
    }

    if let Some(scopes) = m.oauth_config.as_ref().and_then(|o| o.scopes.as_ref()) {
        let oauth_at = at.key("oauth_config");
        let scopes_at = oauth_at.key("scopes");
        let pairs = [
            ("bot_optional", &scopes.bot_optional, &scopes.bot, "oauth_config.scopes.bot"),
            ("user_optional", &scopes.user_optional, &scopes.user, "oauth_config.scopes.user"),
        ];
        for (key, optional, main, list) in pairs {
            let list_at = scopes_at.key(key);
            for (i, scope) in optional.iter().flatten().enumerate() {
                if !main.iter().flatten().any(|s| s == scope) {
                    v.push(&list_at.index(i), ViolationKind::NotListedIn { value: scope.clone(), list });
                }
            }
        }
    }

    let version: u8 = match m.metadata.as_ref().and_then(|x| x.major_version) {
        Some(2..) => 2,
        _ => 1,
    };
    let functions_at = at.key("functions");
    for (id, f) in functions.iter().flat_map(|f| f.iter()) {
        let here = functions_at.key(id);
        let len = id.chars().count();
        if len > APP_MANIFEST_FUNCTION_CALLBACK_ID_MAX_LENGTH {
            v.push(&here, ViolationKind::TooLong { max: APP_MANIFEST_FUNCTION_CALLBACK_ID_MAX_LENGTH, actual: len });
        }
        if !is_snake_case(id) {
            v.push(&here, ViolationKind::NotSnakeCase { value: id.to_owned() });
        }
        let input = f.input_parameters.as_ref().map(|p| match p {
            AppManifestFunctionInputParameters::AppManifestParameters(x) => Form::Properties(x),
            AppManifestFunctionInputParameters::Map(x) => Form::ByName(x.is_empty()),
        });
        let output = f.output_parameters.as_ref().map(|p| match p {
            AppManifestFunctionOutputParameters::AppManifestParameters(x) => Form::Properties(x),
            AppManifestFunctionOutputParameters::Map(x) => Form::ByName(x.is_empty()),
        });
        parameters(input, &here.key("input_parameters"), version, v);
        parameters(output, &here.key("output_parameters"), version, v);
    }
    let workflows_at = at.key("workflows");
    for (id, w) in m.workflows.iter().flat_map(|w| w.iter()) {
        let here = workflows_at.key(id);
        let input = w.input_parameters.as_ref().map(|p| match p {
            AppManifestWorkflowInputParameters::AppManifestParameters(x) => Form::Properties(x),
            AppManifestWorkflowInputParameters::Map(x) => Form::ByName(x.is_empty()),
        });
        let output = w.output_parameters.as_ref().map(|p| match p {
            AppManifestWorkflowOutputParameters::AppManifestParameters(x) => Form::Properties(x),
            AppManifestWorkflowOutputParameters::Map(x) => Form::ByName(x.is_empty()),
        });
        parameters(input, &here.key("input_parameters"), version, v);
        parameters(output, &here.key("output_parameters"), version, v);
    }
}

/// How a function's or workflow's parameters are written.
enum Form<'a> {
    /// Version 2: under `properties`, with `required`.
    Properties(&'a AppManifestParameters),
    /// Version 1: by name (`true`: there are none).
    ByName(bool),
}

/// Parameters in the form of the manifest's `version`, and every `required` name a property.
/// Empty parameters (`{}`) read the same in both versions.
fn parameters(form: Option<Form<'_>>, at: &Path<'_>, version: u8, v: &mut Validator<'_>) {
    match form {
        Some(Form::Properties(p)) => {
            if p.is_empty() {
                return;
            }
            if version < 2 {
                v.push(at, ViolationKind::ParametersOfVersion { written: 2, manifest: version });
            }
            let declared = |name: &str| p.properties.as_ref().is_some_and(|props| props.get(name).is_some());
            let required_at = at.key("required");
            for (i, name) in p.required.iter().flatten().enumerate() {
                if !declared(name) {
                    v.push(&required_at.index(i), ViolationKind::UndeclaredRequired { name: name.clone() });
                }
            }
        }
        Some(Form::ByName(false)) if version >= 2 => {
            v.push(at, ViolationKind::ParametersOfVersion { written: 1, manifest: version });
        }
        _ => {}
    }
}

/// Lower-case ASCII letters, digits and `_`, starting with a letter (`prep_ingredients`).
fn is_snake_case(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase()) && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::is_snake_case;

    #[test]
    fn snake_case_is_lower_case_letters_digits_and_underscores_from_a_letter() {
        for ok in ["a_callback_id", "prep_ingredients", "step2", "a"] {
            assert!(is_snake_case(ok), "{ok}");
        }
        for bad in ["", "A_callback", "prep-ingredients", "2step", "_step", "step id", "étape"] {
            assert!(!is_snake_case(bad), "{bad}");
        }
    }
}
