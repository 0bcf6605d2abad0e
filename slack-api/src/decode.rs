//! An answer read as the method's response, or as the precise reason it is not one.
//! [`decode_response`] is the twin of [`encode_request`](crate::encode_request).

use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::error::{AnyError, AnyMethodError, ApiError, Error, snippet};
use crate::{Method, Response};

/// Decodes a complete answer to a call of `M` as [`Client::call`](crate::Client::call) does,
/// without sending anything: for tests, and for answers obtained some other way. Never
/// panics, whatever the bytes.
pub fn decode_response<M: Method>(status: u16, body: &[u8]) -> Result<M::Response, Error<M::Error>> {
    decode::<M::Response>(M::INFO.name, status, body, None).map_err(AnyError::typed)
}

/// The answer as `R` when it says `"ok": true` (its warnings are logged), else why not. Each
/// answer is decoded once, straight into `R`; only one that is not a success goes through the
/// slower, precise [`classify`]. `retry_after` is the answer's `Retry-After`, kept in an
/// [`Error::Http`].
pub(crate) fn decode<R: DeserializeOwned + Response>(
    method: &'static str,
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
) -> Result<R, AnyError> {
    match serde_json::from_slice::<R>(body) {
        Ok(response) if response.is_ok() => {
            let warnings = response.warnings();
            if !warnings.is_empty() {
                tracing::warn!(warnings = %warnings.join(","), "Slack answered with warnings");
            }
            Ok(response)
        }
        Ok(_) => Err(classify(method, status, body, retry_after, None)),
        Err(e) => Err(classify(method, status, body, retry_after, Some(e))),
    }
}

/// Why an answer is not a success: a Slack error, an HTTP error, or a body that is not the
/// expected JSON (`type_error`: what decoding it as the method's response said). Every field
/// but `ok` and `error` is optional and of any shape: one of an unexpected shape is kept in the
/// error's `fields`, never allowed to hide the error code.
fn classify(
    method: &'static str,
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
    type_error: Option<serde_json::Error>,
) -> AnyError {
    let http_ok = (200..300).contains(&status);
    let decode = |message: String| Error::Decode { status, message, body: snippet(body) };
    let http = || Error::Http { status, body: snippet(body), retry_after };
    let mut fields = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => map,
        Ok(_) | Err(_) if !http_ok => return http(),
        Ok(_) => return decode("the response is not a JSON object".into()),
        Err(e) => return decode(e.to_string()),
    };
    match fields.get("ok") {
        // The envelope says ok, but the body is not what the method returns.
        Some(serde_json::Value::Bool(true)) => decode(
            type_error.map_or_else(|| "the response does not match the method's type".into(), |e| e.to_string()),
        ),
        Some(serde_json::Value::Bool(false)) => {
            let code = match fields.remove("error") {
                Some(serde_json::Value::String(code)) if !code.is_empty() => code,
                Some(serde_json::Value::String(_)) => return decode("`ok` is false but `error` is empty".into()),
                Some(other) => {
                    fields.insert("error".into(), other);
                    return decode("`ok` is false but `error` is not a string".into());
                }
                None => return decode("`ok` is false but there is no `error` code".into()),
            };
            fields.remove("ok");
            Error::Api(Box::new(ApiError::from_fields(AnyMethodError::new(method, code), status, fields)))
        }
        _ if !http_ok => http(),
        Some(_) => decode("`ok` is not a boolean".into()),
        None => decode("the response has no `ok` field".into()),
    }
}
