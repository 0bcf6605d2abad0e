//! Apps for many workspaces, end to end over loopback: a browser goes through "Add to Slack"
//! and a stand-in for Slack's authorization page, the app exchanges the code with a loopback
//! `oauth.v2.access`, stores the installation (memory, a SQLite file, a real PostgreSQL), and
//! answers each workspace's events with that workspace's own bot token.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use slack_api::Method;
use slack_api::app::{App, Cx};
use slack_api::chat::ChatPostMessageRequest;
use slack_api::events::{AppMentionEvent, SlashCommand, Verifier};
use slack_api::install::{
    CachedStore, InstallFlow, Installation, InstallationKey, InstallationStore, MemoryStore, PostgresStore, SqliteStore,
    StoreError, TokenCipher,
};
use slack_api_tests::socket_sim::SocketSim;
use slack_api_tests::{LogCapture, MockServer, PostgresServer, Recorded, Reply};

const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
const CLIENT_ID: &str = "111.222";
const CLIENT_SECRET: &str = "client-secret-for-tests";

/// Every log line of the test binary (the listeners log from tasks on any worker thread).
fn logs() -> &'static LogCapture {
    static LOGS: std::sync::OnceLock<LogCapture> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let capture = LogCapture::default();
        tracing::subscriber::set_global_default(capture.clone()).expect("the only global subscriber of this test binary");
        capture
    })
}

/// A browser: no redirects followed (each hop is looked at), cookies carried by hand.
fn browser() -> &'static reqwest::Client {
    static HTTP: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    HTTP.get_or_init(|| {
        slack_api::install_crypto_provider();
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
    })
}

/// What Slack's side saw: calls by method, with the bearer token each carried.
#[derive(Default)]
struct Seen {
    calls: Mutex<Vec<(String, Option<String>, String)>>,
    refreshes: AtomicUsize,
}

impl Seen {
    /// The bearer tokens of every `chat.postMessage`.
    fn posts(&self) -> Vec<String> {
        self.calls.lock().unwrap().iter().filter(|(m, _, _)| m == "chat.postMessage").filter_map(|(_, t, _)| t.clone()).collect()
    }

    async fn wait_posts(&self, n: usize) -> Vec<String> {
        for _ in 0..300 {
            let p = self.posts();
            if p.len() >= n {
                return p;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("expected {n} chat.postMessage call(s); saw {:?}", self.calls.lock().unwrap());
    }
}

fn form(r: &Recorded) -> Vec<(String, String)> {
    let text = r.query.clone().unwrap_or_else(|| r.body_text());
    form_urlencoded::parse(text.as_bytes()).into_owned().collect()
}

fn get<'a>(f: &'a [(String, String)], k: &str) -> Option<&'a str> {
    f.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

/// The stand-in for Slack: its authorization page (`/oauth/v2/authorize`, where the user
/// "chooses" the workspace named by `team`, or the organisation `E1` for `team=E1`, or
/// declines for `team=DENY`), `oauth.v2.access` (codes, refreshes that take 300 ms and are
/// counted), `auth.test` and `chat.postMessage`.
async fn slack() -> (MockServer, Arc<Seen>) {
    let server = MockServer::start().await;
    let seen = Arc::new(Seen::default());
    let s = seen.clone();
    server.set_handler(move |r: &Recorded| {
        let f = form(r);
        let method = r.path.rsplit('/').next().unwrap_or_default().to_owned();
        let bearer = r.header("authorization").and_then(|a| a.strip_prefix("Bearer ")).map(str::to_owned);
        s.calls.lock().unwrap().push((method.clone(), bearer.clone(), r.body_text()));
        if r.path == "/oauth/v2/authorize" {
            let redirect = get(&f, "redirect_uri").unwrap_or_default();
            let state = get(&f, "state").unwrap_or_default();
            let team = get(&f, "team").unwrap_or("T1");
            let location = if team == "DENY" {
                format!("{redirect}?error=access_denied&state={state}")
            } else {
                format!("{redirect}?code=CODE-{team}&state={state}")
            };
            return Some(Reply::status(302, "text/plain", "").with_header("location", &location));
        }
        Some(match method.as_str() {
            "oauth.v2.access" if get(&f, "grant_type") == Some("refresh_token") => {
                let n = s.refreshes.fetch_add(1, Ordering::SeqCst) + 1;
                std::thread::sleep(Duration::from_millis(300));
                Reply::json(&format!(
                    r#"{{"ok":true,"access_token":"xoxb-T7-rotated-{n}","refresh_token":"xoxe-1-next-{n}","expires_in":43200,"token_type":"bot","scope":"chat:write"}}"#
                ))
            }
            "oauth.v2.access" => match get(&f, "code").unwrap_or_default() {
                "CODE-E1" => Reply::json(
                    r#"{"ok":true,"app_id":"A1","access_token":"xoxb-E1","token_type":"bot","scope":"chat:write,commands",
                        "bot_user_id":"UBOTE1","is_enterprise_install":true,"team":null,"enterprise":{"id":"E1","name":"Org"},
                        "authed_user":{"id":"UADMIN"}}"#,
                ),
                code if code.starts_with("CODE-T") => {
                    let team = &code[5..];
                    Reply::json(&format!(
                        r#"{{"ok":true,"app_id":"A1","access_token":"xoxb-{team}","token_type":"bot","scope":"chat:write,commands",
                            "bot_user_id":"UBOT{team}","is_enterprise_install":false,"team":{{"id":"{team}","name":"Team {team}"}},
                            "enterprise":null,"authed_user":{{"id":"UINSTALLER","scope":"search:read","access_token":"xoxp-{team}","token_type":"user"}},
                            "incoming_webhook":{{"url":"https://hooks.example/{team}","channel":"general","channel_id":"C1"}}}}"#
                    ))
                }
                _ => Reply::json(r#"{"ok":false,"error":"invalid_code"}"#),
            },
            "auth.test" => {
                let token = bearer.unwrap_or_default();
                let who = token.strip_prefix("xoxb-").unwrap_or("?");
                Reply::json(&format!(r#"{{"ok":true,"team_id":"{who}","user_id":"UBOT{who}","bot_id":"B{who}"}}"#))
            }
            "chat.postMessage" => Reply::json(r#"{"ok":true,"channel":"C1","ts":"1700000001.000200"}"#),
            _ => Reply::json(r#"{"ok":true}"#),
        })
    });
    (server, seen)
}

fn base(server: &MockServer) -> String {
    server.base_url().trim_end_matches("/api/").to_owned()
}

/// An app on a free port whose mentions are answered with `say`, and whose `/whoami` answers
/// which bot user serves it; returns the app's origin.
async fn serve(server: &MockServer, store: impl InstallationStore, tune: impl FnOnce(InstallFlow) -> InstallFlow) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let flow = InstallFlow::new(CLIENT_ID, CLIENT_SECRET, store)
        .calls(&[ChatPostMessageRequest::INFO])
        .bot_scopes(["commands"])
        .authorize_url(format!("{}/oauth/v2/authorize", base(server)))
        .redirect_uri(format!("{origin}/slack/oauth_redirect"))
        .secure_cookie(false);
    let client = slack_api::Client::without_token().base_url(server.base_url()).build().unwrap();
    let mut app = App::new(client);
    app.oauth(tune(flow));
    app.event(|_: AppMentionEvent, cx: Cx| async move {
        cx.say("hello").await?;
        Ok(())
    });
    app.command("/whoami", |_: SlashCommand, cx: Cx| async move {
        let bot = cx.installation().and_then(|i| i.bot_user_id.clone()).map(|u| u.to_string()).unwrap_or_default();
        // The user's own installation (their user token), read only when asked.
        let user = cx.user_installation().await?.map_or_else(|| "none".to_owned(), |i| i.user_scopes.join(","));
        cx.ack_with(slack_api::app::Ack::ephemeral(format!("{bot}|{user}")))?;
        Ok(())
    });
    tokio::spawn(async move { app.serve_http_on(listener, SECRET).await });
    origin
}

struct Page {
    status: u16,
    location: Option<String>,
    cookies: Vec<String>,
    body: String,
}

async fn open(url: &str, cookie: Option<&str>) -> Page {
    let mut req = browser().get(url);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let location = resp.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
    let cookies = resp.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    Page { status, location, cookies, body: resp.text().await.unwrap() }
}

/// The install page's link and the state cookie (`name=value`).
async fn start_install(origin: &str, team: &str) -> (String, String) {
    let page = open(&format!("{origin}/slack/install?team={team}"), None).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let cookie = page.cookies.first().expect("a state cookie").split(';').next().unwrap().to_owned();
    let href = page.body.split("href=\"").nth(1).expect("an Add to Slack link").split('"').next().unwrap().replace("&amp;", "&");
    (href, cookie)
}

/// A whole install through the stand-in's authorization page; returns the final page.
async fn install(origin: &str, team: &str) -> Page {
    let (authorize, cookie) = start_install(origin, team).await;
    let consent = open(&authorize, None).await;
    assert_eq!(consent.status, 302);
    open(consent.location.as_deref().unwrap(), Some(&cookie)).await
}

fn signed(body: &str) -> (String, String) {
    Verifier::new(SECRET).sign_now(body.as_bytes())
}

async fn post(origin: &str, content_type: &str, body: String) -> (u16, String) {
    let (ts, sig) = signed(&body);
    let resp = browser()
        .post(format!("{origin}/slack/events"))
        .header("content-type", content_type)
        .header("x-slack-request-timestamp", ts)
        .header("x-slack-signature", sig)
        .body(body)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

/// An `app_mention` from `team` (of `enterprise`, installed org-wide when `org_wide`).
fn mention(id: &str, team: &str, enterprise: Option<&str>, org_wide: bool) -> String {
    json!({
        "token": "tok", "team_id": team, "enterprise_id": enterprise, "api_app_id": "A1", "type": "event_callback",
        "event_id": id, "event_time": 1700000000,
        "event": { "type": "app_mention", "user": "U1", "text": "<@UBOT> hi", "ts": "1700000000.000100", "channel": "C1" },
        "authorizations": [{ "team_id": if org_wide { Value::Null } else { json!(team) }, "enterprise_id": enterprise,
                             "user_id": "UBOT", "is_bot": true, "is_enterprise_install": org_wide }]
    })
    .to_string()
}

fn event(id: &str, team: &str, event: Value) -> String {
    json!({
        "token": "tok", "team_id": team, "api_app_id": "A1", "type": "event_callback", "event_id": id, "event_time": 1700000000,
        "event": event, "authorizations": [{ "team_id": team, "user_id": "UBOT", "is_bot": true, "is_enterprise_install": false }]
    })
    .to_string()
}

fn command(team: &str) -> String {
    command_by(team, "U1")
}

fn command_by(team: &str, user: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("command", "/whoami")
        .append_pair("team_id", team)
        .append_pair("user_id", user)
        .append_pair("channel_id", "C1")
        .append_pair("text", "")
        .append_pair("trigger_id", "1.2.3")
        .append_pair("response_url", "http://127.0.0.1:9/respond")
        .finish()
}

fn key(team: &str) -> InstallationKey {
    InstallationKey::team(None, team.into())
}

fn temp_db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("slack-api-install-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("installations.db")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workspaces_and_an_organisation_install_and_each_is_answered_with_its_own_token() {
    let (slack, seen) = slack().await;
    let store = MemoryStore::new();
    let origin = serve(&slack, store.clone(), |f| f).await;

    // The install URL carries the client ID, the scopes derived from the spec plus the given
    // one, the redirect URI and the state.
    let (authorize, cookie) = start_install(&origin, "T1").await;
    assert!(authorize.starts_with(&format!("{}/oauth/v2/authorize?client_id=111.222&scope=chat%3Awrite%2Ccommands", base(&slack))), "{authorize}");
    assert!(authorize.contains("&redirect_uri=http%3A%2F%2F127.0.0.1") && authorize.contains("&state=") && authorize.ends_with("&team=T1"));
    assert!(cookie.starts_with("slack-app-oauth-state="));

    for team in ["T1", "T2", "E1"] {
        let done = install(&origin, team).await;
        assert_eq!(done.status, 200, "{team}: {}", done.body);
        assert!(done.body.contains("installed"), "{}", done.body);
        assert!(done.cookies.iter().any(|c| c.contains("Max-Age=0")), "the state cookie is cleared");
    }
    let t1 = store.find_bot(&key("T1")).await.unwrap().expect("T1 is installed");
    assert_eq!(t1.bot_token.as_ref().map(|t| format!("{t:?}")), Some("Token(xoxb-<redacted>)".into()));
    assert_eq!(t1.bot_id.as_ref().map(|b| b.as_str()), Some("BT1"), "bot id from auth.test");
    assert_eq!(t1.bot_user_id.as_ref().map(|u| u.as_str()), Some("UBOTT1"));
    assert_eq!(t1.bot_scopes, ["chat:write", "commands"]);
    assert_eq!(t1.user_scopes, ["search:read"]);
    assert!(t1.user_token.is_some() && t1.incoming_webhook.as_ref().is_some_and(|w| w.url.is_some()));
    let org = store.find_bot(&InstallationKey::enterprise("E1".into())).await.unwrap().expect("the org-wide installation");
    assert!(org.is_enterprise_install && org.team_id.is_none());
    // The exchange sent the code with the client's credentials (HTTP Basic) and the redirect URI.
    let exchanges: Vec<String> =
        seen.calls.lock().unwrap().iter().filter(|(m, t, _)| m == "oauth.v2.access" && t.is_none()).map(|(_, _, b)| b.clone()).collect();
    assert_eq!(exchanges.len(), 3);
    assert!(exchanges[0].contains("code=CODE-T1") && exchanges[0].contains("redirect_uri="), "{}", exchanges[0]);

    // Events from each workspace are answered with that workspace's bot token; two
    // workspaces of the organisation share its org-wide installation.
    for (i, (team, ent, org_wide)) in
        [("T1", None, false), ("T2", None, false), ("T21", Some("E1"), true), ("T22", Some("E1"), true)].into_iter().enumerate()
    {
        let (status, _) = post(&origin, "application/json", mention(&format!("Ev{i}"), team, ent, org_wide)).await;
        assert_eq!(status, 200);
    }
    let mut posts = seen.wait_posts(4).await;
    posts.sort();
    assert_eq!(posts, ["xoxb-E1", "xoxb-E1", "xoxb-T1", "xoxb-T2"]);

    // A slash command's listener reads its installation, and the user's own when there is one.
    let (status, body) = post(&origin, "application/x-www-form-urlencoded", command("T2")).await;
    assert_eq!(status, 200);
    assert!(body.contains("UBOTT2|none"), "{body}");
    let (_, body) = post(&origin, "application/x-www-form-urlencoded", command_by("T2", "UINSTALLER")).await;
    assert!(body.contains("UBOTT2|search:read"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uninstalling_and_revoking_remove_the_tokens_and_unknown_workspaces_reach_no_listener() {
    let (slack, seen) = slack().await;
    let store = MemoryStore::new();
    let origin = serve(&slack, store.clone(), |f| f).await;
    for team in ["T1", "T2"] {
        assert_eq!(install(&origin, team).await.status, 200);
    }
    let logs = logs();

    // tokens_revoked for T2's bot and its installing user's token.
    let revoked = event("EvR", "T2", json!({ "type": "tokens_revoked", "tokens": { "oauth": ["UINSTALLER"], "bot": ["UBOTT2"] } }));
    assert_eq!(post(&origin, "application/json", revoked).await.0, 200);
    // app_uninstalled for T1.
    assert_eq!(post(&origin, "application/json", event("EvU", "T1", json!({ "type": "app_uninstalled" }))).await.0, 200);
    for _ in 0..200 {
        if store.find_bot(&key("T1")).await.unwrap().is_none() && store.find_bot(&key("T2")).await.unwrap().is_none() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(store.find_bot(&key("T1")).await.unwrap().is_none(), "app_uninstalled removed T1's bot");
    assert!(store.find_installation(&key("T1"), None).await.unwrap().is_none(), "and its user installations");
    assert!(store.find_bot(&key("T2")).await.unwrap().is_none(), "tokens_revoked removed T2's bot token");
    assert!(store.find_installation(&key("T2"), Some(&"UINSTALLER".into())).await.unwrap().is_none());

    // A mention from the uninstalled workspace, and a command from one that never installed:
    // acknowledged, logged, no listener ran.
    assert_eq!(post(&origin, "application/json", mention("EvX", "T1", None, false)).await.0, 200);
    let started = std::time::Instant::now();
    let (status, body) = post(&origin, "application/x-www-form-urlencoded", command("T9")).await;
    assert_eq!((status, body.as_str()), (200, ""), "an empty ack");
    assert!(started.elapsed() < Duration::from_secs(1), "acked at once, not at the deadline");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(seen.posts().is_empty(), "no listener ran: {:?}", seen.posts());
    let text = logs.text();
    assert!(text.contains("no installation for workspace T1"), "{text}");
    assert!(text.contains("no installation for workspace T9"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_redirect_gets_a_clear_page_and_stores_nothing() {
    let (slack, _) = slack().await;
    let store = MemoryStore::new();
    let origin = serve(&slack, store.clone(), |f| f).await;
    let redirect = |q: &str| format!("{origin}/slack/oauth_redirect?{q}");

    // The user declines.
    let denied = install(&origin, "DENY").await;
    assert_eq!(denied.status, 200);
    assert!(denied.body.contains("cancelled (access_denied)"), "{}", denied.body);

    // No cookie: the redirect did not come back to the browser that started the install.
    let (authorize, cookie) = start_install(&origin, "T1").await;
    let location = open(&authorize, None).await.location.unwrap();
    let page = open(&location, None).await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("this browser did not start the installation"), "{}", page.body);

    // Another browser's cookie.
    let (_, other_cookie) = start_install(&origin, "T1").await;
    let page = open(&location, Some(&other_cookie)).await;
    assert!(page.body.contains("does not belong to this browser"), "{}", page.body);

    // The right cookie: installed; the same redirect again is a replay.
    assert_eq!(open(&location, Some(&cookie)).await.status, 200);
    let again = open(&location, Some(&cookie)).await;
    assert_eq!(again.status, 400);
    assert!(again.body.contains("already used"), "{}", again.body);
    store.delete_installation(&key("T1"), None).await.unwrap();

    // A forged state (its signature altered), with a matching cookie.
    let (authorize, cookie) = start_install(&origin, "T1").await;
    let state = cookie.split('=').nth(1).unwrap().to_owned();
    let forged = format!("{}{}", &state[..state.len() - 1], if state.ends_with('0') { '1' } else { '0' });
    let page = open(&redirect(&format!("code=CODE-T1&state={forged}")), Some(&format!("slack-app-oauth-state={forged}"))).await;
    assert!(page.body.contains("not issued by this app"), "{}", page.body);
    let _ = authorize;

    // No state at all; a state but no code.
    assert!(open(&redirect("code=CODE-T1"), None).await.body.contains("carries no state"));
    let (authorize, cookie) = start_install(&origin, "T1").await;
    let state = cookie.split('=').nth(1).unwrap();
    let page = open(&redirect(&format!("state={state}")), Some(&cookie)).await;
    assert!(page.body.contains("carries no code"), "{}", page.body);
    let _ = authorize;

    // A failed exchange (Slack refuses the code).
    let (_, cookie) = start_install(&origin, "T1").await;
    let state = cookie.split('=').nth(1).unwrap();
    let page = open(&redirect(&format!("code=WRONG&state={state}")), Some(&cookie)).await;
    assert_eq!(page.status, 502);
    assert!(page.body.contains("invalid_code"), "{}", page.body);

    // Markup in a hostile `error` is shown as text.
    let page = open(&redirect("error=%3Cscript%3Ealert(1)%3C/script%3E"), None).await;
    assert!(page.body.contains("&lt;script&gt;") && !page.body.contains("<script>"), "{}", page.body);

    assert!(store.find_bot(&key("T1")).await.unwrap().is_none(), "nothing was stored");
    assert!(store.find_installation(&key("T1"), None).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_state_is_refused() {
    let (slack, _) = slack().await;
    let store = MemoryStore::new();
    let origin = serve(&slack, store.clone(), |f| f.state_ttl(Duration::from_secs(1))).await;
    let (authorize, cookie) = start_install(&origin, "T1").await;
    let location = open(&authorize, None).await.location.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let page = open(&location, Some(&cookie)).await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("expired"), "{}", page.body);
    assert!(store.find_bot(&key("T1")).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn installations_outlive_a_restart_in_the_sqlite_file_and_tokens_are_encrypted_at_rest() {
    let (slack, seen) = slack().await;
    let path = temp_db("restart");
    let cipher = TokenCipher::from_hex(&"5a".repeat(32)).unwrap();
    {
        let store = SqliteStore::open(&path).unwrap().encrypt(cipher.clone());
        let origin = serve(&slack, store, |f| f).await;
        assert_eq!(install(&origin, "T1").await.status, 200);
    }
    // The file holds no token.
    let bytes = std::fs::read(&path).unwrap();
    let wal = std::fs::read(path.with_extension("db-wal")).unwrap_or_default();
    for needle in [&b"xoxb-"[..], b"xoxp-", b"hooks.example"] {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle), "the database file shows {:?}", String::from_utf8_lossy(needle));
        assert!(!wal.windows(needle.len()).any(|w| w == needle), "the WAL shows {:?}", String::from_utf8_lossy(needle));
    }
    // "Restarted": a new store on the same file, a new app.
    let store = SqliteStore::open(&path).unwrap().encrypt(cipher);
    let found = store.find_bot(&key("T1")).await.unwrap().expect("the installation survived");
    assert_eq!(found.bot_id.as_ref().map(|b| b.as_str()), Some("BT1"));
    let origin = serve(&slack, store, |f| f).await;
    assert_eq!(post(&origin, "application/json", mention("Ev1", "T1", None, false)).await.0, 200);
    assert_eq!(seen.wait_posts(1).await, ["xoxb-T1"]);

    // Without the key, the rows are refused as corrupt, naming the row.
    let keyless = SqliteStore::open(&path).unwrap();
    let err = keyless.find_bot(&key("T1")).await.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }) && err.to_string().contains("slack_bots row (\"\", \"T1\")"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_row_is_a_clear_error_and_the_payload_is_acked() {
    let (slack, seen) = slack().await;
    let path = temp_db("corrupt");
    let store = SqliteStore::open(&path).unwrap();
    store
        .save(&Installation { team_id: Some("T1".into()), bot_token: Some("xoxb-T1".into()), installed_at: 1, ..Installation::default() })
        .await
        .unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE slack_bots SET record = '{\"team_id\": 42' WHERE team_id = 'T1'", []).unwrap();
    let err = store.find_bot(&key("T1")).await.unwrap_err();
    assert!(err.to_string().contains("slack_bots row (\"\", \"T1\") is corrupt: not an installation record"), "{err}");

    let logs = logs();
    let origin = serve(&slack, store, |f| f).await;
    let (status, body) = post(&origin, "application/x-www-form-urlencoded", command("T1")).await;
    assert_eq!((status, body.as_str()), (200, ""));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(seen.posts().is_empty());
    assert!(logs.text().contains("could not authorize the payload"), "{}", logs.text());

    // A schema newer than this version knows is refused when the store opens.
    conn.execute("INSERT INTO slack_schema (version, applied_at) VALUES (99, 0)", []).unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(err.to_string().contains("schema is at version 99"), "{err}");
}

/// Two app processes' worth of state — each its own store connection and app — on one
/// PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_apps_on_one_postgres_share_installations_and_refresh_a_rotating_token_once() {
    let mut pg = PostgresServer::start();
    let (slack, seen) = slack().await;
    let (a, b) = (PostgresStore::connect(&pg.url()).await.unwrap(), PostgresStore::connect(&pg.url()).await.unwrap());
    assert_eq!(a.schema_version().await.unwrap(), 1, "migrated once, by whichever came first");
    let app_a = serve(&slack, a.clone(), |f| f).await;
    let app_b = serve(&slack, CachedStore::new(b.clone()), |f| f).await;

    // Installed through A; B serves it.
    assert_eq!(install(&app_a, "T1").await.status, 200);
    assert_eq!(post(&app_b, "application/json", mention("Ev1", "T1", None, false)).await.0, 200);
    assert_eq!(seen.wait_posts(1).await, ["xoxb-T1"]);

    // A rotating token about to expire: both apps get a mention at once; one refresh between them.
    let expiring = Installation {
        team_id: Some("T7".into()),
        bot_token: Some("xoxb-T7-old".into()),
        bot_refresh_token: Some("xoxe-1-first".into()),
        bot_token_expires_at: Some(SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 60),
        installed_at: 1,
        ..Installation::default()
    };
    a.save(&expiring).await.unwrap();
    let (ra, rb) = tokio::join!(
        post(&app_a, "application/json", mention("Ev2", "T7", None, false)),
        post(&app_b, "application/json", mention("Ev3", "T7", None, false)),
    );
    assert_eq!((ra.0, rb.0), (200, 200));
    let posts = seen.wait_posts(3).await;
    assert_eq!(seen.refreshes.load(Ordering::SeqCst), 1, "one refresh between the two apps");
    assert_eq!(&posts[1..], ["xoxb-T7-rotated-1", "xoxb-T7-rotated-1"]);
    let stored = b.find_bot(&key("T7")).await.unwrap().unwrap();
    assert!(stored.bot_refresh_token == Some("xoxe-1-next-1".into()), "the new refresh token was stored");
    assert!(stored.bot_token == Some("xoxb-T7-rotated-1".into()));
    assert!(stored.bot_token_expires_at.unwrap() > expiring.bot_token_expires_at.unwrap() + 40_000);

    // The database goes down: a command is acked empty at once, with a clear log line.
    let logs = logs();
    pg.kill();
    let started = std::time::Instant::now();
    let (status, body) = post(&app_a, "application/x-www-form-urlencoded", command("T1")).await;
    assert_eq!((status, body.as_str()), (200, ""));
    assert!(started.elapsed() < Duration::from_secs(3), "acked within Slack's 3 s: {:?}", started.elapsed());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(logs.text().contains("installation store unavailable: postgres"), "{}", logs.text());

    // While it is down, operations fail at once (one connection attempt a second).
    let started = std::time::Instant::now();
    for _ in 0..50 {
        assert!(matches!(a.find_bot(&key("T1")).await, Err(StoreError::Unavailable(_))));
    }
    assert!(started.elapsed() < Duration::from_secs(3), "fifty failures took {:?}", started.elapsed());

    // Back up: the store reconnects by itself within a second or so.
    pg.restart();
    let mut back = None;
    for _ in 0..100 {
        if let Ok(found) = a.find_bot(&key("T1")).await {
            back = Some(found);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(back.flatten().is_some(), "the store reconnected and found T1");
}

/// Over Socket Mode the same: each workspace's events are answered with its own token, and a
/// payload from a workspace without an installation is acknowledged and reaches no listener.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_socket_mode_each_payload_gets_its_workspaces_token() {
    let mut sim = SocketSim::start().await;
    let posts: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = posts.clone();
    sim.other_methods(move |r| {
        if r.path.ends_with("chat.postMessage") {
            log.lock().unwrap().push(r.header("authorization").unwrap_or_default().to_owned());
        }
        Some(Reply::json(r#"{"ok":true,"channel":"C1","ts":"1700000001.000200"}"#))
    });
    let store = MemoryStore::new();
    for team in ["T1", "T2"] {
        let bot = Installation { team_id: Some(team.into()), bot_token: Some(format!("xoxb-{team}").into()), installed_at: 1, ..Installation::default() };
        store.save(&bot).await.unwrap();
    }
    // T2 belongs to an organisation; its payloads below do not say so, and it is found anyway.
    let mut t2 = store.find_bot(&key("T2")).await.unwrap().unwrap();
    t2.enterprise_id = Some("E2".into());
    store.save(&t2).await.unwrap();
    assert!(store.find_bot(&InstallationKey::team(Some("E2".into()), "T2".into())).await.unwrap().is_some());
    let mut app = App::new(slack_api::Client::without_token().base_url(sim.api_url()).build().unwrap());
    app.oauth(InstallFlow::new(CLIENT_ID, CLIENT_SECRET, store));
    app.event(|_: AppMentionEvent, cx: Cx| async move {
        cx.say("hello").await?;
        Ok(())
    });
    let socket = slack_api::socket_mode::SocketMode::builder("xapp-1-test").base_url(sim.api_url()).build().unwrap();
    let server = tokio::spawn(async move { app.run_socket_mode(socket).await });
    let mut conn = sim.accept(Duration::from_secs(5)).await;
    conn.hello().await;
    for (i, team) in ["T1", "T2", "T9"].into_iter().enumerate() {
        let payload: Value = serde_json::from_str(&mention(&format!("Ev{i}"), team, None, false)).unwrap();
        conn.send_json(json!({ "envelope_id": format!("e{i}"), "type": "events_api", "payload": payload, "accepts_response_payload": false })).await;
        assert_eq!(conn.recv(Duration::from_secs(5)).await.unwrap(), json!({ "envelope_id": format!("e{i}") }));
    }
    for _ in 0..300 {
        if posts.lock().unwrap().len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut got = posts.lock().unwrap().clone();
    got.sort();
    assert_eq!(got, ["Bearer xoxb-T1", "Bearer xoxb-T2"], "T9 has no installation: no listener ran");
    server.abort();
}
