//! The floor of the listener benchmark (`xtask/bench/listener.sh`): plain axum on
//! 127.0.0.1:$PORT answering 200 to every POST to `/slack/events` without reading the
//! signature or the body. What it measures is the load generator, the HTTP stack and the
//! machine; each target's distance from it is the cost of its Slack layer.

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::var("PORT").as_deref().unwrap_or("3000").parse()?;
    let app = axum::Router::new().route("/slack/events", axum::routing::post(|_body: axum::body::Bytes| async {}));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
