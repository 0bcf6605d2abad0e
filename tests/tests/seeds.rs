//! The five seed pages in `../shared/seeds` against `spec/`: every argument with its required
//! flag and description, and every error code with its description, on each page is in the spec.
//!
//! The pages are text scraped from HTML, often with the spaces between items lost
//! (`unavailableinvalid_role_for_user- The requested…`), so they cannot be split on their own.
//! Instead each list is *segmented* against the spec: after removing white space, backticks and
//! bullets, the list must be exactly a concatenation of entries the spec predicts (an error code
//! and one of its spec descriptions; an argument's name, flag, description and example). Anything
//! on a page that the spec lacks or words differently leaves text no entry matches, and the test
//! names it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use codegen::ir::Api;
use slack_api_tests::{repo_root, shared_or_skip};

const SLACKKIT_USERS: [&str; 9] = [
    "admin.users.assign",
    "admin.users.getExpiration",
    "admin.users.invite",
    "admin.users.list",
    "admin.users.remove",
    "admin.users.setAdmin",
    "admin.users.setExpiration",
    "admin.users.setOwner",
    "admin.users.setRegular",
];

fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && !matches!(c, '`' | '•')).collect()
}

/// Splits `text` into entries, each one of the candidate strings (already normalised), taking
/// the longest match at each step. Returns the keys matched, or the text no candidate matches.
fn segment<'k>(text: &str, candidates: &[(&'k str, String)]) -> Result<Vec<&'k str>, String> {
    let t = norm(text);
    let mut at = 0;
    let mut out = Vec::new();
    while at < t.len() {
        let best = candidates
            .iter()
            .filter(|(_, c)| !c.is_empty() && t[at..].starts_with(c.as_str()))
            .max_by_key(|(_, c)| c.len());
        match best {
            Some((key, c)) => {
                out.push(*key);
                at += c.len();
            }
            None => {
                let end = t[at..].char_indices().nth(160).map_or(t.len(), |(i, _)| at + i);
                return Err(t[at..end].to_owned());
            }
        }
    }
    Ok(out)
}

/// A page's lists for one method.
struct Page {
    method: &'static str,
    file: String,
    kind: Layout,
    required: String,
    optional: String,
    errors: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Layout {
    /// SlackKit module docs: `name - desc ex: example`, no token argument listed.
    SlackKit,
    /// Slack's own pages: `name type Required|Optional desc example`.
    Slack,
}

fn between<'t>(text: &'t str, start: &str, ends: &[&str]) -> &'t str {
    let Some(i) = text.find(start) else { return "" };
    let rest = &text[i + start.len()..];
    let end = ends.iter().filter_map(|e| rest.find(e)).min().unwrap_or(rest.len());
    &rest[..end]
}

fn pages(seeds: &Path) -> Vec<Page> {
    let mut files: Vec<_> = std::fs::read_dir(seeds).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 5, "five seed pages");
    let read = |i: usize| std::fs::read_to_string(&files[i]).unwrap();
    let name = |i: usize| files[i].file_name().unwrap().to_string_lossy().into_owned();
    let mut out = Vec::new();

    // 000: conversations.externalInvitePermissions.set, SlackKit with bullets.
    let t = read(0);
    assert!(t.contains("Slack.Web.Conversations.ExternalInvitePermissions"), "{}", name(0));
    out.push(Page {
        method: "conversations.externalInvitePermissions.set",
        file: name(0),
        kind: Layout::SlackKit,
        required: between(&t, "Required Params", &["Optional Params", "Errors the API"]).into(),
        optional: between(&t, "Optional Params", &["Errors the API"]).into(),
        errors: between(&t, "Errors the API can return:", &[]).into(),
    });

    // 001: the nine admin.users methods, SlackKit with the spacing lost.
    let t = read(1);
    assert!(t.contains("Slack. Web. Admin. Users"), "{}", name(1));
    let parts: Vec<&str> = t.split("\nErrors the API can return:\n").collect();
    assert_eq!(parts.len(), SLACKKIT_USERS.len() + 1, "one error list per admin.users method");
    for (i, method) in SLACKKIT_USERS.into_iter().enumerate() {
        // parts[i] is the previous method's errors line (i > 0), then this method's params.
        let params = if i == 0 { parts[0] } else { parts[i].split_once('\n').map_or("", |(_, p)| p) };
        let line_after = |marker: &str| {
            params.find(marker).map_or(String::new(), |at| {
                params[at + marker.len()..].trim_start_matches('\n').lines().next().unwrap_or("").to_owned()
            })
        };
        out.push(Page {
            method,
            file: name(1),
            kind: Layout::SlackKit,
            required: line_after("Required Params"),
            optional: line_after("Optional Params"),
            errors: parts[i + 1].lines().next().unwrap_or("").to_owned(),
        });
    }

    // 002–004: Slack's own pages.
    for (i, method) in [
        (2, "admin.inviteRequests.approve"),
        (3, "workflows.triggers.permissions.set"),
        (4, "functions.distributions.permissions.set"),
    ] {
        let t = read(i);
        let errors = between(&t, "Callers should always check the value of the ok", &[]);
        let errors = errors.trim_start().strip_prefix("parameter in the response.").unwrap_or(errors);
        out.push(Page {
            method,
            file: name(i),
            kind: Layout::Slack,
            required: between(&t, "Required arguments", &["Optional arguments", "Usage info"]).into(),
            optional: between(&t, "Optional arguments", &["Usage info"]).into(),
            errors: errors.into(),
        });
    }
    out
}

/// Checks one page's argument lists; returns how many arguments it holds.
fn check_arguments(api: &Api, page: &Page, problems: &mut Vec<String>) -> usize {
    let Some(m) = api.methods().find(|m| m.wire_name == page.method) else {
        problems.push(format!(
            "{}: the seed page documents `{}`, which spec/methods/ no longer has (every seed method must stay)",
            page.method, page.method
        ));
        return 0;
    };
    let args: Vec<&codegen::ir::Arg> = m.token.iter().chain(&m.args).collect();
    let mut total = 0;
    for (list, required) in [(&page.required, true), (&page.optional, false)] {
        let mut cands = Vec::new();
        for a in &args {
            let desc = a.description.as_deref().unwrap_or("");
            let examples = [String::new(), a.example.clone().unwrap_or_default()];
            for ex in &examples {
                let text = match page.kind {
                    Layout::SlackKit => {
                        let values = a
                            .enum_type
                            .as_ref()
                            .map(|e| {
                                let v: Vec<&str> = e.values.iter().map(|(w, _)| w.as_str()).collect();
                                format!("Acceptable values:{}", v.join(""))
                            })
                            .unwrap_or_default();
                        let ex = if ex.is_empty() { String::new() } else { format!("ex:{ex}") };
                        vec![format!("{}-{desc}{values}{ex}", a.wire_name)]
                    }
                    Layout::Slack => {
                        let flag = if a.required { "Required" } else { "Optional" };
                        ["string", "array", "boolean", "integer", "number", "object", "enum"]
                            .iter()
                            .map(|ty| format!("{}{ty}{flag}{desc}{ex}", a.wire_name))
                            .collect()
                    }
                };
                cands.extend(text.into_iter().map(|t| (a.wire_name.as_str(), norm(&t))));
            }
        }
        match segment(list, &cands) {
            Ok(found) => {
                total += found.len();
                for name in found {
                    let a = args.iter().find(|a| a.wire_name == name).unwrap();
                    if a.required != required {
                        problems.push(format!(
                            "{} ({}): `{name}` is {} on the page but {} in the spec",
                            page.method,
                            page.file,
                            if required { "required" } else { "optional" },
                            if a.required { "required" } else { "optional" }
                        ));
                    }
                }
            }
            Err(rest) => problems.push(format!(
                "{} ({}): {} arguments: no spec argument matches `{rest}`",
                page.method,
                page.file,
                if required { "required" } else { "optional" }
            )),
        }
    }
    // The reverse: the spec has no argument the page lacks (SlackKit pages omit the token).
    let on_page = total + usize::from(page.kind == Layout::SlackKit && m.token.is_some());
    if on_page != args.len() {
        problems.push(format!("{}: {} arguments on the page, {} in the spec", page.method, on_page, args.len()));
    }
    total
}

/// Checks one page's error list; returns the codes on it.
fn check_errors(api: &Api, page: &Page, problems: &mut Vec<String>) -> BTreeSet<String> {
    let Some(m) = api.methods().find(|m| m.wire_name == page.method) else {
        problems.push(format!(
            "{}: the seed page documents `{}`, which spec/methods/ no longer has (every seed method must stay)",
            page.method, page.method
        ));
        return BTreeSet::new();
    };
    let sep = if page.kind == Layout::SlackKit { "-" } else { "" };
    // Each code with every description the spec gives it: the method's own, and the common one.
    let mut descs: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in m.errors.iter().chain(&api.common_errors) {
        descs.entry(e.code.as_str()).or_default().push(e.description.as_str());
    }
    let cands: Vec<(&str, String)> = descs
        .iter()
        .flat_map(|(code, ds)| ds.iter().map(move |d| (*code, norm(&format!("{code}{sep}{d}")))))
        .collect();
    match segment(&page.errors, &cands) {
        Ok(found) => {
            let codes: BTreeSet<String> = found.iter().map(|c| c.to_string()).collect();
            if found.len() < 30 {
                problems.push(format!("{}: only {} errors read from the page", page.method, found.len()));
            }
            codes
        }
        Err(rest) => {
            problems.push(format!("{} ({}): no spec error matches `{rest}`", page.method, page.file));
            BTreeSet::new()
        }
    }
}

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn every_seed_argument_and_error_is_in_the_spec() {
    let Some(shared) = shared_or_skip("every_seed_argument_and_error_is_in_the_spec") else { return };
    let api = codegen::load_api(&repo_root()).unwrap();
    let mut problems = Vec::new();
    let (mut n_args, mut n_errors) = (0, 0);
    let pages = pages(&shared.join("seeds"));
    assert_eq!(pages.len(), 13, "13 methods on the five pages");
    for page in &pages {
        n_args += check_arguments(&api, page, &mut problems);
        let codes = check_errors(&api, page, &mut problems);
        n_errors += codes.len();
        // The generated enum knows every one of them (decoding is tested over HTTP in
        // seed_methods.rs for the spec's full list, which these are part of).
        let Some(m) = api.methods().find(|m| m.wire_name == page.method) else { continue };
        for c in &codes {
            let known = m.errors.iter().chain(&api.common_errors).any(|e| &e.code == c);
            assert!(known, "{}: `{c}`", page.method);
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
    eprintln!("seed pages: 13 methods, {n_args} arguments and {n_errors} error codes, all in the spec");
    assert!(n_args >= 50 && n_errors >= 13 * 30, "{n_args} arguments, {n_errors} errors");
}

#[test]
fn segmentation_rejects_what_the_spec_lacks() {
    let cands = vec![("a_code", norm("a_code-First.")), ("b_code", norm("b_code-Second one."))];
    assert_eq!(segment("a_code- First.b_code- Second one.", &cands), Ok(vec!["a_code", "b_code"]));
    assert_eq!(segment("a_code- First.new_code- Surprise.", &cands), Err("new_code-Surprise.".into()));
    assert_eq!(segment("a_code- First, reworded.", &cands), Err("a_code-First,reworded.".into()));
}
