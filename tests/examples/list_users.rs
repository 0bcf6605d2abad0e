//! Lists every user of a workspace with cursor pagination, against a local mock of Slack that
//! serves 2,500 users in pages of 200.
//!
//! cargo run -p slack-api-tests --example list_users

use slack_api::stream::TryStreamExt;
use slack_api::users::UsersListRequest;
use slack_api_tests::{MockServer, Recorded, Reply};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let slack = mock_slack(2_500).await;
    let client = slack_api::Client::builder("xoxb-example-token").base_url(slack.base_url()).build()?;

    // Items, page after page; only one page is held at a time.
    let mut users = std::pin::pin!(client.items(UsersListRequest::new().limit(200)));
    let (mut count, mut bots) = (0, 0);
    while let Some(user) = users.try_next().await? {
        count += 1;
        if user.is_bot == Some(true) {
            bots += 1;
        }
    }
    let pages = slack.take().len();
    println!("{count} users ({bots} bots) in {pages} pages");
    assert_eq!((count, pages), (2_500, 13));
    Ok(())
}

/// `users.list` over `total` users; the cursor is the offset of the next page.
async fn mock_slack(total: usize) -> MockServer {
    let server = MockServer::start().await;
    server.set_handler(move |r: &Recorded| {
        let query = r.query.clone().unwrap_or_default();
        let arg = |name: &str| {
            query.split('&').find_map(|kv| kv.strip_prefix(&format!("{name}="))).map(str::to_owned)
        };
        let start: usize = arg("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
        let limit: usize = arg("limit").and_then(|l| l.parse().ok()).unwrap_or(100);
        let end = (start + limit).min(total);
        let members: Vec<String> = (start..end)
            .map(|i| format!(r#"{{"id":"U{i:08}","name":"user{i}","is_bot":{}}}"#, i % 10 == 0))
            .collect();
        let next = if end < total { end.to_string() } else { String::new() };
        Some(Reply::json(&format!(
            r#"{{"ok":true,"members":[{}],"response_metadata":{{"next_cursor":"{next}"}}}}"#,
            members.join(",")
        )))
    });
    server
}
