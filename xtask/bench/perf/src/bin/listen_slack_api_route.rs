//! A target of the listener benchmark (`xtask/bench/listener.sh`): slack-api's HTTP entry point
//! as an axum route (`slack_api::events::axum::route`, feature `axum`) on 127.0.0.1:$PORT at
//! `/slack/events`, with one listener for `app_mention` that does nothing. Each request is
//! verified (v0 signature, timestamp), decoded, deduplicated by `event_id` and acknowledged.

use slack_api::events::{Event, HttpHandler, Incoming, Received, Verifier};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::var("PORT").as_deref().unwrap_or("3000").parse()?;
    let secret = std::env::var("SLACK_SIGNING_SECRET")?;
    let handler = HttpHandler::new(Verifier::new(secret));
    let app = axum::Router::new().route(
        "/slack/events",
        slack_api::events::axum::route(handler, |received: Received| async move {
            if let Incoming::Event(cb) = &received.incoming
                && let Some(Event::AppMention(_mention)) = &cb.event
            {
                // the listener: nothing to do
            }
            received.answer
        }),
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
