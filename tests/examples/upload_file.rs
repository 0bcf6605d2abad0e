//! Uploads a file in one call (`files.getUploadURLExternal`, the upload, then
//! `files.completeUploadExternal`), streaming it from disk, against a local mock of Slack.
//!
//! cargo run -p slack-api-tests --example upload_file

use slack_api::FileToUpload;
use slack_api_tests::{MockServer, Recorded, Reply};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let slack = MockServer::start().await;
    let upload_url = slack.base_url().replace("/api/", "/upload/v1/example");
    let url = upload_url.clone();
    slack.set_handler(move |r: &Recorded| match r.path.as_str() {
        "/api/files.getUploadURLExternal" => {
            Some(Reply::json(&format!(r#"{{"ok":true,"upload_url":"{url}","file_id":"F0EXAMPLE"}}"#)))
        }
        "/upload/v1/example" => Some(Reply::status(200, "text/plain", "OK")),
        "/api/files.completeUploadExternal" => Some(Reply::json(
            r#"{"ok":true,"files":[{"id":"F0EXAMPLE","title":"Quarterly report","name":"report.csv"}]}"#,
        )),
        _ => None,
    });

    let path = std::env::temp_dir().join("slack-api-example-report.csv");
    let rows: String = (0..50_000).map(|i| format!("{i},{}\n", i * 7 % 1000)).collect();
    std::fs::write(&path, &rows)?;

    let client = slack_api::Client::builder("xoxb-example-token").base_url(slack.base_url()).build()?;
    let file = FileToUpload::path(&path).title("Quarterly report").channel_id("C0123456789").initial_comment("Numbers are in");
    let uploaded = client.upload_file(file).await?;

    let requests = slack.take();
    println!("uploaded {} ({} bytes) as {}", path.display(), rows.len(), uploaded.id);
    for r in &requests {
        println!("  {} {} ({} bytes)", r.method, r.path, r.body.len());
    }
    assert_eq!(requests[1].body.len(), rows.len());
    std::fs::remove_file(&path)?;
    Ok(())
}
