//! Slack's OAuth side: the authorize page (the user approves or denies the install and is sent
//! back to the app's redirect URL) and `oauth.v2.access`, which turns the code into tokens that
//! the fake's Web API then accepts with the scopes the install granted.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::FakeSlack;
use crate::payloads::{APP_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID, USER_ID};
use crate::web_api::Call;

/// What the user does on the authorize page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Consent {
    /// Allows the install: the app gets a code.
    #[default]
    Allow,
    /// Cancels: the app gets `error=access_denied`.
    Deny,
}

/// One install the authorize page granted, kept until its code is exchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// The `client_id` the app sent.
    pub client_id: String,
    /// Bot scopes asked for (`scope`).
    pub scopes: Vec<String>,
    /// User scopes asked for (`user_scope`).
    pub user_scopes: Vec<String>,
    /// The `redirect_uri` the app sent, if any.
    pub redirect_uri: Option<String>,
    /// The `team` hint, if any.
    pub team: Option<String>,
    /// Whether `oauth.v2.access` has used the code (codes are single-use).
    pub used: bool,
}

#[derive(Default)]
pub(crate) struct OAuth {
    pub(crate) consent: Mutex<Consent>,
    pub(crate) grants: Mutex<HashMap<String, Grant>>,
    pub(crate) issued: std::sync::atomic::AtomicU64,
}

fn list(v: Option<&String>) -> Vec<String> {
    v.map(|s| s.split(',').filter(|p| !p.is_empty()).map(str::to_owned).collect()).unwrap_or_default()
}

fn redirect(to: &str, pairs: &[(&str, &str)]) -> axum::response::Response {
    let sep = if to.contains('?') { '&' } else { '?' };
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    axum::response::Response::builder()
        .status(StatusCode::FOUND)
        .header("location", format!("{to}{sep}{query}"))
        .body(axum::body::Body::empty())
        .unwrap_or_default()
}

fn page(status: StatusCode, text: &str) -> axum::response::Response {
    axum::response::Response::builder()
        .status(status)
        .header("content-type", "text/plain; charset=utf-8")
        .body(axum::body::Body::from(text.to_owned()))
        .unwrap_or_default()
}

pub(crate) fn router(shared: Arc<crate::Shared>, web: crate::WebApi) -> axum::Router {
    axum::Router::new().route(
        "/oauth/v2/authorize",
        axum::routing::get(move |query: axum::extract::RawQuery| {
            let (shared, web) = (shared.clone(), web.clone());
            async move {
                let q: HashMap<String, String> = form_urlencoded::parse(query.0.unwrap_or_default().as_bytes()).into_owned().collect();
                authorize(&shared, &web, &q)
            }
        }),
    )
}

fn authorize(shared: &crate::Shared, web: &crate::WebApi, q: &HashMap<String, String>) -> axum::response::Response {
    let Some(client_id) = q.get("client_id").filter(|c| !c.is_empty()) else {
        return page(StatusCode::BAD_REQUEST, "invalid_client_id: the authorize URL has no client_id");
    };
    if let Some(id) = web.client_id() {
        if id != *client_id {
            return page(StatusCode::BAD_REQUEST, "invalid_client_id: the authorize URL names another app");
        }
    }
    let Some(to) = q.get("redirect_uri").filter(|r| !r.is_empty()) else {
        return page(StatusCode::BAD_REQUEST, "bad_redirect_uri: the fake needs the redirect_uri to send the user back");
    };
    let state = q.get("state").map(String::as_str).unwrap_or_default();
    if *shared.oauth.consent.lock().unwrap_or_else(|p| p.into_inner()) == Consent::Deny {
        return redirect(to, &[("error", "access_denied"), ("state", state)]);
    }
    let n = shared.oauth.issued.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
    let code = format!("fake-code-{n}");
    let grant = Grant {
        client_id: client_id.clone(),
        scopes: list(q.get("scope")),
        user_scopes: list(q.get("user_scope")),
        redirect_uri: Some(to.clone()),
        team: q.get("team").cloned(),
        used: false,
    };
    shared.oauth.grants.lock().unwrap_or_else(|p| p.into_inner()).insert(code.clone(), grant);
    redirect(to, &[("code", &code), ("state", state)])
}

/// Tokens an exchange issued, each with the scopes the install granted it.
pub(crate) type Issued = Vec<(String, Vec<String>)>;

/// `oauth.v2.access`: the code of a grant, once, for the same client and redirect URI.
pub(crate) fn access(shared: &crate::Shared, call: &Call) -> Result<(Value, Issued), &'static str> {
    // The app's credentials were checked before (see `WebApi::app_credentials`).
    let code = call.arg("code").ok_or("invalid_code")?;
    let mut grants = shared.oauth.grants.lock().unwrap_or_else(|p| p.into_inner());
    let grant = grants.get_mut(code).filter(|g| !g.used).ok_or("invalid_code")?;
    if let Some(uri) = call.arg("redirect_uri") {
        if grant.redirect_uri.as_deref() != Some(uri) {
            return Err("bad_redirect_uri");
        }
    }
    grant.used = true;
    let n = shared.oauth.issued.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
    let bot_token = format!("xoxb-fake-{n}");
    let mut tokens = vec![(bot_token.clone(), grant.scopes.clone())];
    let mut authed_user = json!({ "id": USER_ID });
    if !grant.user_scopes.is_empty() {
        let user_token = format!("xoxp-fake-{n}");
        tokens.push((user_token.clone(), grant.user_scopes.clone()));
        authed_user = json!({ "id": USER_ID, "scope": grant.user_scopes.join(","), "access_token": user_token, "token_type": "user" });
    }
    let answer = json!({
        "ok": true, "app_id": APP_ID, "authed_user": authed_user, "scope": grant.scopes.join(","), "token_type": "bot",
        "access_token": bot_token, "bot_user_id": BOT_USER_ID, "team": { "id": TEAM_ID, "name": TEAM_DOMAIN },
        "enterprise": null, "is_enterprise_install": false,
    });
    Ok((answer, tokens))
}

impl FakeSlack {
    /// The authorize URL to give an install flow (`InstallFlow::authorize_url`).
    pub fn authorize_url(&self) -> String {
        format!("http://{}/oauth/v2/authorize", self.addr)
    }

    /// Makes the fake check the app's credentials: `client_id` on the authorize page and in
    /// `oauth.v2.access`, `client_secret` there too (until then any are accepted); see
    /// [`WebApi::app_credentials`](crate::WebApi::app_credentials).
    pub fn oauth_client(&self, client_id: &str, client_secret: &str) {
        self.web.app_credentials(client_id, client_secret);
    }

    /// What the user does on the authorize page from now on.
    pub fn consent(&self, consent: Consent) {
        *self.shared.oauth.consent.lock().unwrap_or_else(|p| p.into_inner()) = consent;
    }

    /// The installs granted so far, by code.
    pub fn grants(&self) -> HashMap<String, Grant> {
        self.shared.oauth.grants.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Walks an install as a browser would: `install_url` (the app's install page, e.g.
    /// `http://127.0.0.1:PORT/slack/install`) → the authorize link on it (or its redirect) →
    /// the fake's authorize page → the app's redirect URL, carrying the cookies the app set.
    /// Returns the app's final answer (status, body).
    pub async fn install(&self, install_url: &str) -> Result<(u16, String), String> {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().map_err(|e| e.to_string())?;
        let first = http.get(install_url).send().await.map_err(|e| format!("install page: {e}"))?;
        let cookies: Vec<String> = first
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|c| c.split(';').next().map(str::to_owned))
            .collect();
        let authorize = match first.headers().get("location").and_then(|l| l.to_str().ok()) {
            Some(location) => location.to_owned(),
            None => {
                let body = first.text().await.map_err(|e| format!("install page: {e}"))?;
                let prefix = self.authorize_url();
                let start = body.find(&prefix).ok_or_else(|| format!("the install page has no link to {prefix}: {body}"))?;
                let end = body[start..].find(['"', '\'', ' ', '>']).map_or(body.len(), |e| start + e);
                body[start..end].replace("&amp;", "&")
            }
        };
        let back = http.get(&authorize).send().await.map_err(|e| format!("authorize page: {e}"))?;
        let Some(to) = back.headers().get("location").and_then(|l| l.to_str().ok()).map(str::to_owned) else {
            let status = back.status().as_u16();
            return Ok((status, back.text().await.unwrap_or_default()));
        };
        let mut req = http.get(&to);
        if !cookies.is_empty() {
            req = req.header("cookie", cookies.join("; "));
        }
        let last = req.send().await.map_err(|e| format!("redirect URL {to}: {e}"))?;
        let status = last.status().as_u16();
        Ok((status, last.text().await.map_err(|e| e.to_string())?))
    }
}
