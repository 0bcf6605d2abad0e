//! Every method of the spec answers its documentation example through `Client::call`: each
//! is called once with sample arguments (generated from the spec), with a token of a type
//! it allows, and the typed answer must equal the example decoded with the same type.

use slack_api::{Client, Method, RetryPolicy, TokenType};
use slack_api_testkit::{FakeSlack, WebApi};

#[path = "generated/samples.rs"]
mod samples;

/// Calls each method and collects what went wrong.
pub(crate) struct Samples {
    fake: FakeSlack,
    checked: usize,
    with_example: usize,
    failures: Vec<String>,
}

impl Samples {
    fn client(&self, token: &str) -> Client {
        Client::builder(token).base_url(self.fake.base_url()).retry_policy(RetryPolicy::none()).build().unwrap()
    }

    pub(crate) async fn check<M>(&mut self, request: M)
    where
        M: Method,
        M::Response: serde::Serialize,
    {
        let name = M::INFO.name;
        self.checked += 1;
        let kinds: Vec<TokenType> = M::INFO.token_types.iter().map(|t| t.token_type).collect();
        let token = if kinds.is_empty() || kinds.contains(&TokenType::Bot) {
            "xoxb-sample"
        } else if kinds.contains(&TokenType::User) {
            "xoxp-sample"
        } else if kinds.contains(&TokenType::App) {
            "xapp-sample"
        } else if kinds.contains(&TokenType::Configuration) {
            "xoxe.xoxp-sample"
        } else {
            self.failures.push(format!("{name}: no token type the fake knows ({kinds:?})"));
            return;
        };
        let example = WebApi::example(name);
        self.with_example += usize::from(example.is_some());
        let want: M::Response = match serde_json::from_str(example.unwrap_or(r#"{"ok":true}"#)) {
            Ok(w) => w,
            Err(e) => {
                self.failures.push(format!("{name}: the example does not decode: {e}"));
                return;
            }
        };
        match self.client(token).call(&request).await {
            Ok(got) => {
                let (got, want) = (serde_json::to_value(&got).unwrap(), serde_json::to_value(&want).unwrap());
                if got != want {
                    self.failures.push(format!("{name}: answered {got}, the example is {want}"));
                }
            }
            Err(e) => self.failures.push(format!("{name}: {e}")),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_method_answers_its_documentation_example() {
    let fake = FakeSlack::start().await;
    // The examples as they are: no fresh `ts`, no per-token `auth.test`.
    fake.web().stateful(false);
    let mut s = Samples { fake, checked: 0, with_example: 0, failures: Vec::new() };
    samples::every_method(&mut s).await;
    let recorded = s.fake.web().raw_calls();
    assert!(s.failures.is_empty(), "{} of {} methods failed:\n{}", s.failures.len(), s.checked, s.failures.join("\n"));
    println!(
        "{} of {} methods answered their documentation example ({} from the docs, {} `{{\"ok\":true}}`)",
        s.checked,
        WebApi::method_count(),
        s.with_example,
        s.checked - s.with_example
    );
    assert_eq!(s.checked, WebApi::method_count());
    assert_eq!(s.checked, 322, "the spec has 322 methods");
    assert_eq!(recorded.len(), 322, "each call recorded once");
    assert!(recorded.iter().all(|c| c.status == 200 && c.error.is_none()));
}
