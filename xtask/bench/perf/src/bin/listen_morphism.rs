//! A target of the listener benchmark (`xtask/bench/listener.sh`): slack-morphism's axum events
//! listener (`SlackEventsAxumListener`, its signature-verifying layer and push-event extractor)
//! on 127.0.0.1:$PORT at `/slack/events`, with one handler for `app_mention` that does
//! nothing. slack-morphism does not deduplicate by `event_id`.

use std::sync::Arc;

use axum::Extension;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use slack_morphism::prelude::*;

async fn push_event(Extension(event): Extension<SlackPushEvent>) -> Response {
    match event {
        SlackPushEvent::UrlVerification(v) => v.challenge.into_response(),
        SlackPushEvent::EventCallback(cb) => {
            if let SlackEventCallbackBody::AppMention(_mention) = cb.event {
                // the listener: nothing to do
            }
            StatusCode::OK.into_response()
        }
        _ => StatusCode::OK.into_response(),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let port: u16 = std::env::var("PORT").as_deref().unwrap_or("3000").parse()?;
    let secret: SlackSigningSecret = std::env::var("SLACK_SIGNING_SECRET")?.into();
    let client = Arc::new(SlackClient::new(SlackClientHyperConnector::new()?));
    let environment = Arc::new(SlackHyperListenerEnvironment::new(client));
    let listener = SlackEventsAxumListener::<SlackHyperHttpsConnector>::new(environment);
    let app = axum::Router::new().route(
        "/slack/events",
        axum::routing::post(push_event)
            .layer(listener.events_layer(&secret).with_event_extractor(SlackEventsExtractors::push_event())),
    );
    let tcp = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    axum::serve(tcp, app).await?;
    Ok(())
}
