//! A custom workflow step's inputs, read as the types the app expects.

use serde::de::DeserializeOwned;

use super::FunctionExecutedEvent;

/// An input of a custom step that is missing or not of the type asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The input's name (`None`: the inputs as a whole).
    pub name: Option<String>,
    /// What is wrong, from the decoder: `missing field …`, `invalid type: …`.
    pub reason: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.name {
            Some(n) => write!(f, "the step's input `{n}`: {}", self.reason),
            None => write!(f, "the step's inputs: {}", self.reason),
        }
    }
}

impl std::error::Error for InputError {}

impl FunctionExecutedEvent {
    /// The function's `callback_id` (which step of the app's manifest runs).
    pub fn callback_id(&self) -> Option<&str> {
        self.function.as_ref()?.callback_id.as_deref()
    }

    /// The input `name` as a `T` (`String`, `i64`, `bool`, `UserId`, `Vec<ChannelId>`, a
    /// struct of a custom type…): `Ok(None)` when the step was not given it (an optional
    /// parameter left empty, or `null`), an error naming the input when its value is not a `T`.
    ///
    /// ```
    /// use slack_api::events::FunctionExecutedEvent;
    /// use slack_api::UserId;
    /// let ev: FunctionExecutedEvent = serde_json::from_str(
    ///     r#"{"type":"function_executed","inputs":{"user_id":"U0123","count":3}}"#,
    /// ).unwrap();
    /// assert_eq!(ev.input::<UserId>("user_id").unwrap(), Some(UserId::from("U0123")));
    /// assert_eq!(ev.input::<i64>("count").unwrap(), Some(3));
    /// assert_eq!(ev.input::<i64>("missing").unwrap(), None);
    /// assert_eq!(
    ///     ev.input::<bool>("count").unwrap_err().to_string(),
    ///     "the step's input `count`: invalid type: integer `3`, expected a boolean",
    /// );
    /// ```
    pub fn input<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, InputError> {
        match self.inputs.as_ref().and_then(|i| i.get(name)) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(v) => T::deserialize(v).map(Some).map_err(|e| InputError { name: Some(name.to_owned()), reason: e.to_string() }),
        }
    }

    /// Every input at once, as a struct whose fields are the parameters (`#[derive(Deserialize)]`;
    /// `Option` fields for optional parameters). An input the struct lacks is ignored unless it
    /// says `#[serde(deny_unknown_fields)]`.
    pub fn inputs_as<T: DeserializeOwned>(&self) -> Result<T, InputError> {
        let map: serde_json::Map<String, serde_json::Value> =
            self.inputs.as_ref().map(|i| i.iter().map(|(k, v)| (k.to_owned(), v.clone())).collect()).unwrap_or_default();
        T::deserialize(serde_json::Value::Object(map)).map_err(|e| InputError { name: None, reason: e.to_string() })
    }
}
