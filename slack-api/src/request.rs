//! A call as a plain value: the method and its arguments, checked and encoded once, before
//! any client, token or connection is involved. [`encode_request`] is the twin of
//! [`decode_response`](crate::decode_response).

use std::fmt;

use crate::error::{AnyError, Error};
use crate::{Method, MethodInfo};
use crate::wire::Args;

/// A call ready to be sent: its method's facts and its arguments, each encoded as the text
/// Slack takes, checked. Built by [`encode_request`]; the client sends the same value on every
/// attempt, as a query string (`GET`), a form, or a multipart body when it has files. Its
/// `Debug` shows the method and the argument names, never a value.
pub struct EncodedRequest {
    info: &'static MethodInfo,
    args: Args,
    basic_auth: bool,
}

impl fmt::Debug for EncodedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncodedRequest")
            .field("method", &self.info.name)
            .field("args", &self.args)
            .field("basic_auth", &self.basic_auth)
            .finish_non_exhaustive()
    }
}

/// Checks a request and encodes it as [`Client::call`](crate::Client::call) sends it, without
/// sending anything: the method's argument groups (e.g. two mutually exclusive arguments)
/// and its Block Kit arguments against Slack's limits, then the form body or query. A request
/// that breaks a rule is [`Error::InvalidRequest`], saying which.
pub fn encode_request<M: Method>(request: &M) -> Result<EncodedRequest, Error<M::Error>> {
    EncodedRequest::new(request, true).map_err(AnyError::typed)
}

impl EncodedRequest {
    /// Checks and encodes `request`; Block Kit arguments are checked when `check_block_kit`
    /// (see [`ClientBuilder::validate_block_kit`](crate::ClientBuilder::validate_block_kit)).
    /// Every check of a request before it is sent is here.
    pub(crate) fn new<M: Method>(request: &M, check_block_kit: bool) -> Result<Self, AnyError> {
        if check_block_kit {
            if let Err(violations) = request.validate() {
                return Err(Error::InvalidRequest(format!("{}: {violations}", M::INFO.name)));
            }
        }
        let mut args = Args::new();
        request.write_args(&mut args);
        Self::from_args(M::INFO, args)
    }

    /// The call of the method `info` with `args`, its argument groups checked.
    fn from_args(info: &'static MethodInfo, args: Args) -> Result<Self, AnyError> {
        if !info.arg_groups.is_empty() {
            let names: Vec<&str> =
                args.pairs().iter().map(|(k, _)| *k).chain(args.files().iter().map(|(k, _)| *k)).collect();
            for group in info.arg_groups {
                if let Err(why) = group.check(&names) {
                    return Err(Error::InvalidRequest(format!("{}: {why}", info.name)));
                }
            }
        }
        // The client credentials of an OAuth exchange travel as HTTP Basic authentication, not
        // in the form.
        let basic_auth = info.client_auth && args.client_credentials().is_some();
        Ok(EncodedRequest { info, args, basic_auth })
    }

    /// The method's facts from the spec: its name, HTTP method, tier, whether it is idempotent.
    pub fn method(&self) -> &'static MethodInfo {
        self.info
    }

    /// The arguments, as the request wrote them.
    pub fn args(&self) -> &Args {
        &self.args
    }

    /// The arguments as `application/x-www-form-urlencoded` text: the query string of a `GET`,
    /// the body of a `POST` without files. The client credentials of an OAuth exchange are left
    /// out: they travel as HTTP Basic authentication.
    pub fn form(&self) -> String {
        self.args.to_form_without(self.sent_apart())
    }

    /// The arguments that do not travel in the form or the multipart body.
    pub(crate) fn sent_apart(&self) -> &'static [&'static str] {
        if self.basic_auth { &["client_id", "client_secret"] } else { &[] }
    }

    /// The app's `client_id` and `client_secret`, when the call authenticates with them (the
    /// OAuth exchange) rather than with a token.
    pub(crate) fn basic_auth(&self) -> Option<(&str, &str)> {
        if self.basic_auth { self.args.client_credentials() } else { None }
    }

    /// Whether the call authenticates with the app's credentials, never with a token.
    pub(crate) fn client_auth(&self) -> bool {
        self.info.client_auth
    }
}
