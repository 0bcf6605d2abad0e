//! Typing coverage over Slack's example answers: every successful example answer in the docs
//! snapshot is decoded with the crate's types, and its JSON leaves (scalars, and empty lists and
//! objects; the envelope's `ok` aside) are counted as typed or kept as sent (`extra`, `json`
//! fields, union bodies, untyped responses). A `null` under a field the type declares counts as
//! typed: the field reads `None`, which is what Slack means by it (the `null` itself is kept in
//! `extra` only to write the answer back as sent). Prints the share overall and the median per method,
//! the least-typed methods, the largest untyped sites and the object types most often shown with
//! fields they do not declare; `cargo xtask coverage` prints the full tables. Fails below the
//! floor, so typing cannot silently regress.

use slack_api_tests::coverage::Tally;
use slack_api_tests::dispatch::tally_by_name;
use slack_api_tests::object_coverage::ObjectCoverage;
use slack_api_tests::{shared_or_skip, snapshot_examples};

/// The least share of leaves that must land in typed fields over all example answers: the goal
/// of 98 % (99.04 % after issue 23), so typing cannot silently regress. What stays untyped, and why, is
/// listed in spec/README.md ("What stays untyped").
const FLOOR_PERCENT: f64 = 98.0;

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn example_answers_land_in_typed_fields() {
    let Some(shared) = shared_or_skip("example_answers_land_in_typed_fields") else { return };
    let mut overall = Tally::default();
    let mut per_method: Vec<(String, Tally)> = Vec::new();
    let mut failures = Vec::new();
    let api = codegen::load_api(&slack_api_tests::repo_root()).unwrap_or_else(|e| panic!("{e}"));
    let mut objects = ObjectCoverage::new(&api);
    for ex in snapshot_examples(&shared).iter().filter(|e| e.is_success()) {
        objects.answer(&ex.method, &ex.answer);
        match tally_by_name(&ex.method, &serde_json::to_vec(&ex.answer).unwrap()) {
            None => failures.push(format!("{}: no such method in the crate", ex.method)),
            Some(Err(e)) => failures.push(format!("{} ({}): {e}", ex.method, ex.name)),
            Some(Ok(t)) => match per_method.last_mut() {
                Some((m, mine)) if *m == ex.method => mine.add(&t, ""),
                _ => per_method.push((ex.method.clone(), t)),
            },
        }
    }
    for (method, mine) in &per_method {
        overall.add(mine, &format!("{method}: "));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(per_method.len() > 200, "only {} methods have example answers", per_method.len());

    let with_payload: Vec<&(String, Tally)> = per_method.iter().filter(|(_, t)| t.total() > 0).collect();
    let mut shares: Vec<f64> = with_payload.iter().map(|(_, t)| t.percent()).collect();
    shares.sort_by(f64::total_cmp);
    let median = if shares.is_empty() {
        100.0
    } else if shares.len() % 2 == 1 {
        shares[shares.len() / 2]
    } else {
        (shares[shares.len() / 2 - 1] + shares[shares.len() / 2]) / 2.0
    };
    let full = std::env::var_os("SLACK_API_COVERAGE_FULL").is_some();

    let mut out = String::new();
    out.push_str(&format!(
        "typing coverage over the docs snapshot's example answers: {:.2} % of {} leaves typed ({} untyped; {:.2} % if the {} nulls of declared fields counted as untyped); {} methods with example answers, {} with any payload, median per method {:.1} %\n",
        overall.percent(),
        overall.total(),
        overall.untyped,
        overall.percent_without_nulls(),
        overall.typed_nulls,
        per_method.len(),
        with_payload.len(),
        median
    ));
    let mut ranked = with_payload.clone();
    ranked.sort_by(|a, b| a.1.percent().total_cmp(&b.1.percent()).then(a.0.cmp(&b.0)));
    let show = if full { ranked.len() } else { ranked.len().min(15) };
    out.push_str(if full { "per method (least typed first):\n" } else { "least typed methods:\n" });
    for (m, t) in ranked.iter().take(show) {
        out.push_str(&format!("  {:6.1} %  {:5}/{:<5}  {m}\n", t.percent(), t.typed, t.total()));
    }
    let mut sites: Vec<(&String, &u64)> = overall.sites.iter().collect();
    sites.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let show = if full { sites.len() } else { sites.len().min(20) };
    out.push_str("largest untyped sites (leaves):\n");
    for (site, n) in sites.iter().take(show) {
        out.push_str(&format!("  {n:6}  {site}\n"));
    }
    let show = if full { objects.stats.len() } else { 15 };
    out.push_str("per object type (fields typed of declared; answers showing it with fields it does not declare, of answers showing it; those fields by answers):\n");
    out.push_str(&objects.table(show));
    eprint!("{out}");

    assert!(
        overall.percent() >= FLOOR_PERCENT,
        "typing coverage {:.2} % is below the floor of {FLOOR_PERCENT} %\n{out}",
        overall.percent()
    );
}

#[test]
fn the_count_tells_typed_from_untyped_leaves() {
    // `user.id` and `user.profile.email` are typed, and so is the `null` of the declared
    // `user.deleted` (it reads as `None`); `user.brand_new` (2 leaves), the mistyped
    // `user.is_bot` and the `null` of the undeclared `user.vanished` sit in `extra`; `ok` is
    // not counted.
    let body = br#"{"ok":true,"user":{"id":"U1","is_bot":"no","profile":{"email":"a@b.c"},"brand_new":{"a":1,"b":[]},"deleted":null,"vanished":null}}"#;
    let t = tally_by_name("users.info", body).unwrap().unwrap();
    assert_eq!((t.typed, t.untyped, t.typed_nulls), (3, 4, 1), "{t:?}");
    assert_eq!(t.sites.get("user.vanished"), Some(&1));
    assert_eq!(t.sites.get("user.deleted"), None);
    assert_eq!(t.sites.get("user.brand_new"), Some(&2));
    assert_eq!(t.sites.get("user.is_bot"), Some(&1));
    // An untyped response: everything is untyped.
    let t = tally_by_name("admin.apps.approve", br#"{"ok":true,"x":[1,{"y":null}]}"#).unwrap().unwrap();
    assert_eq!((t.typed, t.untyped), (0, 2), "{t:?}");
}

#[test]
fn the_object_table_counts_declared_fields_and_answers_with_others() {
    let api = codegen::load_api(&slack_api_tests::repo_root()).unwrap();
    let mut objects = ObjectCoverage::new(&api);
    // A match with an undeclared `sparkle`, whose file has an undeclared `glitter`, and whose
    // image block (a Block Kit union member) has only declared fields.
    let answer = serde_json::json!({"ok": true, "query": "q", "messages": {"total": 1, "matches": [
        {"ts": "1.2", "sparkle": 1, "files": [{"id": "F1", "glitter": true, "name": "a"}],
         "blocks": [{"type": "image", "alt_text": "a", "image_url": "https://x", "image_bytes": 3}]},
        {"ts": "1.3", "sparkle": 2}
    ]}});
    objects.answer("search.messages", &answer);
    objects.answer("search.messages", &serde_json::json!({"ok": true, "messages": {"matches": [{"ts": "1.4"}]}}));
    let m = &objects.stats["search_match"];
    assert_eq!((m.answers, m.answers_with_undeclared), (2, 1), "{m:?}");
    assert_eq!(m.undeclared.get("sparkle"), Some(&1), "counted once per answer: {m:?}");
    assert!(m.declared >= 17 && m.typed == m.declared, "every declared field of a match is typed: {m:?}");
    let f = &objects.stats["file"];
    assert_eq!((f.answers, f.answers_with_undeclared), (1, 1));
    assert_eq!(f.undeclared.keys().collect::<Vec<_>>(), ["glitter"]);
    assert!(f.typed < f.declared, "a file's `transcription` stays JSON: {f:?}");
    let image = &objects.stats["image_block"];
    assert_eq!((image.answers, image.answers_with_undeclared), (1, 0), "{image:?}");
    let table = objects.table(100);
    // Most answers with undeclared fields first, ties by name: `file`, then `search_match`.
    let order: Vec<&str> = table.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert_eq!(order[..2], ["file", "search_match"], "{table}");
    assert!(table.contains("sparkle (1)"), "{table}");
}
