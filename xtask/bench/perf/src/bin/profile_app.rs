//! Runs signed `app_mention` requests through the App's HTTP service (`HttpApp::handle`: verify,
//! decode, deduplicate, route, acknowledge, and the listener's task) in one thread, for
//! callgrind, whose instruction counts repeat where wall time on a shared host does not:
//!
//! ```text
//! valgrind --tool=callgrind profile_app handle 2000   # requests built, then handled
//! valgrind --tool=callgrind profile_app build 2000    # requests built only
//! valgrind --tool=callgrind profile_app route 2000    # the same through `HttpHandler::handle`
//! ```
//!
//! (handle − build) ÷ N is the App's cost per request, without the HTTP server around it;
//! (route − build) ÷ N is the cost of the handler under it (verify, decode, deduplicate, the
//! ack's answer) — the App's own share (ignore-self, routing, its task, the context) is the
//! difference.

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::Full;
use slack_api::app::{App, Cx};
use http_body_util::BodyExt;
use slack_api::events::{AppMentionEvent, Event, HttpHandler, Incoming, Verifier};

const SECRET: &str = "bench-signing-secret";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).cloned().unwrap_or_else(|| "handle".into());
    let n: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(2000);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async move {
        let mut app = App::new(slack_api::Client::new("xoxb-bench").unwrap());
        app.bot_user_id("U123ABC456").bot_id("B123ABC456");
        app.event(|_mention: AppMentionEvent, _cx: Cx| async move { Ok(()) });
        let http = app.http(SECRET);
        let handler = HttpHandler::new(Verifier::new(SECRET));
        let signer = Verifier::new(SECRET);
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        let requests: Vec<_> = (0..n)
            .map(|i| {
                let body = slack_api_bench::app_mention_body(&format!("Ev{i:016X}"), now);
                let ts = now.to_string();
                let sig = signer.sign(now as i64, body.as_bytes());
                hyper::Request::post("/slack/events")
                    .header("content-type", "application/json")
                    .header("x-slack-request-timestamp", ts)
                    .header("x-slack-signature", sig)
                    .body(Full::new(Bytes::from(body)))
                    .unwrap()
            })
            .collect();
        let mut ok = 0usize;
        for req in requests {
            if mode == "handle" {
                let resp = http.handle(req).await;
                ok += usize::from(resp.status() == 200);
            } else if mode == "route" {
                let (parts, body) = req.into_parts();
                let body = body.collect().await.unwrap().to_bytes();
                let lookup = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
                if let Ok(received) = handler.handle(lookup, &body).await
                    && let Incoming::Event(cb) = &received.incoming
                    && let Some(Event::AppMention(_mention)) = &cb.event
                {
                    ok += usize::from(received.answer.status == 200);
                }
            } else {
                drop(req);
            }
            // Lets the listener's task run, as a server's runtime would.
            tokio::task::yield_now().await;
        }
        println!("{mode}: {ok} of {n} answered 200");
    });
}
