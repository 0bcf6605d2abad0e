//! Event payloads: every example event of Slack's reference (and our fixtures) decodes into its
//! typed struct with nothing left over, and serialises back to the same JSON.

use serde_json::{Value, json};
use slack_api::events::{EVENT_TYPES, Event, EventCallback, MESSAGE_SUBTYPES, MessageEvent};

fn check_event(label: &str, json: &Value) -> Result<(), String> {
    let ev: Event = serde_json::from_value(json.clone()).map_err(|e| format!("{label}: does not decode: {e}"))?;
    if let Event::Unknown(_) = ev {
        return Err(format!("{label}: decoded as Unknown (`type` {:?})", json.get("type")));
    }
    if let Event::Message(MessageEvent::Other(_)) = ev {
        return Err(format!("{label}: message subtype {:?} not typed", json.get("subtype")));
    }
    match ev.extra() {
        Some(extra) if !extra.is_empty() => {
            return Err(format!("{label}: untyped fields {:?}", extra.keys().collect::<Vec<_>>()));
        }
        _ => {}
    }
    let back = serde_json::to_value(&ev).map_err(|e| format!("{label}: does not serialise: {e}"))?;
    if back != *json {
        return Err(format!("{label}: round trip differs:\n  in:  {json}\n  out: {back}"));
    }
    // Decoding from text (the streaming path) gives the same value.
    let from_text: Event = serde_json::from_str(&json.to_string()).map_err(|e| format!("{label}: from text: {e}"))?;
    if from_text != ev {
        return Err(format!("{label}: decoding from text and from a value differ"));
    }
    Ok(())
}

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn every_slack_example_event_is_typed_and_round_trips() {
    let Some(shared) = slack_api_tests::shared_or_skip("every_slack_example_event_is_typed_and_round_trips") else { return };
    let dir = shared.join("slack-docs/events");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).expect("events dir").flatten().map(|e| e.path()).collect();
    paths.sort();
    let (mut checked, mut failures) = (0, Vec::new());
    for p in paths {
        if p.file_name().is_some_and(|n| n == "index.json") {
            continue;
        }
        let doc: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        let Some(example) = doc.get("example").filter(|e| e.is_object()) else { continue };
        checked += 1;
        if let Err(e) = check_event(&p.display().to_string(), example) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{} of {checked} examples failed:\n{}", failures.len(), failures.join("\n"));
    assert!(checked >= 60, "only {checked} examples found");
    eprintln!("{checked} example events typed and round-tripped");
}

#[test]
fn every_fixture_event_is_typed_and_round_trips() {
    let dir = slack_api_tests::repo_root().join("tests/fixtures/events");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).expect("tests/fixtures/events").flatten().map(|e| e.path()).collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut subtypes = std::collections::BTreeSet::new();
    for p in &paths {
        let json: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let event = json.get("event").cloned().unwrap_or(json.clone());
        if let Some(s) = event.get("subtype").and_then(Value::as_str) {
            subtypes.insert(s.to_owned());
        }
        if let Err(e) = check_event(&p.display().to_string(), &event) {
            failures.push(e);
        }
        if json.get("type").and_then(Value::as_str) == Some("event_callback") {
            let cb: EventCallback = serde_json::from_value(json.clone()).unwrap();
            // A typed field sent as `null` stays in `extra` as `null`, so that it serialises back.
            let untyped: Vec<_> = cb.extra.iter().filter(|(_, v)| !v.is_null()).map(|(k, _)| k).collect();
            assert!(untyped.is_empty(), "{}: envelope fields untyped: {untyped:?}", p.display());
            assert!(cb.event.is_some() && cb.event_id.is_some() && cb.team_id.is_some(), "{}", p.display());
            assert_eq!(serde_json::to_value(&cb).unwrap(), json, "{}: envelope round trip", p.display());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every typed subtype has a fixture.
    let missing: Vec<_> = MESSAGE_SUBTYPES.iter().filter(|s| !subtypes.contains(**s)).collect();
    assert!(missing.is_empty(), "message subtypes without a fixture: {missing:?}");
}

#[test]
fn unknown_types_and_fields_are_kept_exactly() {
    let raw = r#"{"type":"brand_new_event","nested":{"a":[1,2.5,"x"]},"n":18446744073709551615}"#;
    let ev: Event = serde_json::from_str(raw).unwrap();
    assert!(matches!(ev, Event::Unknown(_)));
    assert_eq!(ev.kind(), "brand_new_event");
    assert_eq!(serde_json::to_value(&ev).unwrap(), serde_json::from_str::<Value>(raw).unwrap());

    // A known event with a new field and a field of an unexpected shape.
    let raw = r#"{"reaction":"+1","type":"reaction_added","user":{"not":"an id"},"new_field":[true],"event_ts":"1360782804.083113"}"#;
    let ev: Event = serde_json::from_str(raw).unwrap();
    let Event::ReactionAdded(r) = &ev else { panic!("{ev:?}") };
    assert_eq!(r.reaction.as_deref(), Some("+1"));
    assert!(r.user.is_none());
    assert_eq!(r.extra.len(), 2);
    assert_eq!(serde_json::to_value(&ev).unwrap(), serde_json::from_str::<Value>(raw).unwrap());

    // An unknown message subtype keeps the plain message's typed fields.
    let raw = r#"{"type":"message","subtype":"future_subtype","channel":"C1","text":"hi","ts":"1.2"}"#;
    let ev: Event = serde_json::from_str(raw).unwrap();
    let Event::Message(m @ MessageEvent::Other(inner)) = &ev else { panic!("{ev:?}") };
    assert_eq!(m.subtype(), Some("future_subtype"));
    assert_eq!(inner.text.as_deref(), Some("hi"));
    assert_eq!(serde_json::to_value(&ev).unwrap(), serde_json::from_str::<Value>(raw).unwrap());

    // `type` after other fields, and `subtype` before `type`.
    let raw = r#"{"subtype":"channel_join","user":"U1","type":"message","channel":"C1","ts":"1.2"}"#;
    let ev: Event = serde_json::from_str(raw).unwrap();
    assert!(matches!(ev, Event::Message(MessageEvent::ChannelJoin(_))), "{ev:?}");
    assert_eq!(serde_json::to_value(&ev).unwrap(), serde_json::from_str::<Value>(raw).unwrap());

    // Not an object at all, and an object without a type.
    assert!(matches!(serde_json::from_str::<Event>("[1]").unwrap(), Event::Unknown(_)));
    assert!(matches!(serde_json::from_str::<Event>(r#"{"x":1}"#).unwrap(), Event::Unknown(_)));
}

#[test]
fn counts() {
    // Every event Slack documents that has a payload type of its own, and the message subtypes.
    assert!(EVENT_TYPES.len() >= 110, "{}", EVENT_TYPES.len());
    assert!(MESSAGE_SUBTYPES.len() >= 30, "{}", MESSAGE_SUBTYPES.len());
    eprintln!("{} event types, {} message subtypes", EVENT_TYPES.len(), MESSAGE_SUBTYPES.len());
}

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn spec_events_are_what_the_importer_makes_of_slacks_data() {
    let Some(shared) = slack_api_tests::shared_or_skip("spec_events_are_what_the_importer_makes_of_slacks_data") else { return };
    let (report, changes) =
        codegen::import_events::import_tree(&slack_api_tests::repo_root(), &shared.join("slack-docs/events"), true).expect("import");
    assert!(report.is_fresh(), "spec/events differs from a fresh import (run `cargo xtask import-events --from …`):\n{report}");
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn events_api_payloads_by_type_round_trip() {
    use slack_api::events::EventsApiPayload as P;
    for (raw, kind) in [
        (r#"{"token":"t","challenge":"abc","type":"url_verification"}"#, "url_verification"),
        (r#"{"token":"t","type":"app_rate_limited","team_id":"T1","minute_rate_limited":1518467820,"api_app_id":"A1"}"#, "app_rate_limited"),
        (r#"{"token":"t","team_id":"T1","type":"event_callback","event":{"type":"team_rename","name":"n"},"event_id":"Ev1"}"#, "event_callback"),
        (r#"{"token":"t","event":{"weird":true},"type":"future_envelope","event_time":"soon"}"#, "future_envelope"),
    ] {
        let p: P = serde_json::from_str(raw).unwrap();
        assert_eq!(p.kind(), kind);
        assert_eq!(matches!(p, P::Unknown(_)), kind == "future_envelope");
        assert_eq!(serde_json::to_value(&p).unwrap(), serde_json::from_str::<Value>(raw).unwrap(), "{raw}");
    }
    let P::UrlVerification(v) = serde_json::from_str::<P>(r#"{"type":"url_verification","challenge":"c"}"#).unwrap() else { panic!() };
    assert_eq!(v.challenge.as_deref(), Some("c"));
}

/// The events that come from outside Slack's event data (an `added:` in
/// `spec/corrections/events/`), each with a phrase its `reason` must contain. Adding one, or
/// dropping one because the data has it again, changes this list on purpose.
const ADDED_EVENTS: &[(&str, &str)] = &[
    ("channel_archive", "lost the event when the subtypes were split out"),
    ("channel_unarchive", "lost the event when the subtypes were split out"),
    ("group_archive", "lost the event when the subtypes were split out"),
    ("group_unarchive", "lost the event when the subtypes were split out"),
];

#[test]
fn events_from_outside_slacks_data_are_listed_with_their_reason() {
    use codegen::import_events::{CORRECTIONS_DIR, load_corrections};
    let root = slack_api_tests::repo_root();
    let corrections = load_corrections(&root.join(CORRECTIONS_DIR), &root).expect("spec/corrections/events");
    let added: Vec<(&str, &str)> = corrections
        .iter()
        .filter(|(_, c)| c.added.is_some())
        .map(|(name, c)| (name.as_str(), c.reason.as_deref().unwrap_or_default()))
        .collect();
    let names: Vec<&str> = added.iter().map(|(n, _)| *n).collect();
    let expected: Vec<&str> = ADDED_EVENTS.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, expected, "events added by hand (update ADDED_EVENTS, saying why)");
    for ((name, reason), (_, phrase)) in added.iter().zip(ADDED_EVENTS) {
        assert!(reason.contains(phrase), "{name}: the reason does not say `{phrase}`: {reason}");
        let page = format!("https://docs.slack.dev/reference/events/{name}");
        assert!(reason.contains(&page), "{name}: the reason does not name its reference page {page}");
        assert!(EVENT_TYPES.contains(name), "{name}: not an `Event` variant");
        let spec = std::fs::read_to_string(root.join(format!("spec/events/{name}.yaml"))).unwrap();
        assert!(spec.starts_with("# Not in Slack's event data"), "{name}: spec/events/{name}.yaml is not marked as added");
    }
    // Still missing from the docs snapshot (else the importer refuses the `added`, too).
    if let Some(shared) = slack_api_tests::shared_dir() {
        for name in &names {
            assert!(!shared.join(format!("slack-docs/events/{name}.json")).exists(), "the docs snapshot has `{name}` now");
        }
    }
}

/// `event` inside the Events API envelope, as the reference pages show it: decodes as an
/// `event_callback` with nothing untyped, its event checked by `check_event`, and written back
/// exactly.
fn from_callback(event: Value) -> Event {
    check_event("inner event", &event).unwrap();
    let envelope = json!({
        "token": "XXYYZZ",
        "team_id": "T123ABC456",
        "api_app_id": "A123ABC456",
        "event": event,
        "type": "event_callback",
        "authorizations": [{ "team_id": "T123ABC456", "user_id": "U123ABC456", "is_bot": false, "is_enterprise_install": false }],
        "event_id": "Ev123ABC456",
        "event_time": 123456789,
    });
    let cb: EventCallback = serde_json::from_value(envelope.clone()).unwrap();
    assert!(cb.extra.is_empty(), "{:?}", cb.extra);
    assert_eq!(serde_json::to_value(&cb).unwrap(), envelope);
    cb.event.expect("event")
}

#[test]
fn the_verification_token_of_every_envelope_is_redacted_in_debug_and_written_back() {
    use slack_api::events::{AppRateLimited, AppRateLimitedEvent, UrlVerification, UrlVerificationEvent};
    fn check<T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug>(body: Value) {
        let v: T = serde_json::from_value(body.clone()).unwrap();
        let debug = format!("{v:?}");
        assert!(!debug.contains("Shh_verification") && debug.contains("<redacted>"), "{debug}");
        assert_eq!(serde_json::to_value(&v).unwrap(), body, "the token is written back as sent");
    }
    let callback = json!({
        "token": "Shh_verification", "team_id": "T1", "api_app_id": "A1", "type": "event_callback", "event_id": "Ev1", "event_time": 1,
        "event": { "type": "app_mention", "user": "U1", "text": "hi", "ts": "1.0", "channel": "C1", "event_ts": "1.0" },
        // A token the spec does not know, kept in `extra`, is redacted too.
        "bot_access_token": "xoxb-Shh_verification",
    });
    check::<EventCallback>(callback);
    let rate_limited = json!({ "token": "Shh_verification", "type": "app_rate_limited", "team_id": "T1", "minute_rate_limited": 1518467820, "api_app_id": "A1" });
    check::<AppRateLimited>(rate_limited.clone());
    check::<AppRateLimitedEvent>(rate_limited);
    let challenge = json!({ "token": "Shh_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification" });
    check::<UrlVerification>(challenge.clone());
    check::<UrlVerificationEvent>(challenge);
}

#[test]
fn a_list_of_mixed_shapes_and_the_rare_envelope_kinds_come_back_as_sent() {
    use slack_api::events::EventsApiPayload;
    let mention = json!({ "type": "app_mention", "user": "U1", "text": "hi", "ts": "1.0", "channel": "C1", "event_ts": "1.0" });
    // One typed authorization, then an item of another shape: the whole list is kept as sent.
    let body = json!({
        "type": "event_callback", "event_id": "Ev1", "event": mention,
        "authorizations": [{ "team_id": "T1", "user_id": "U9", "is_bot": true }, "not an object"],
    });
    let cb: EventCallback = serde_json::from_value(body.clone()).unwrap();
    assert_eq!((cb.authorizations.as_ref(), &cb.extra["authorizations"]), (None, &body["authorizations"]));
    assert_eq!(serde_json::to_value(&cb).unwrap(), body);

    // The kinds other than `event_callback` are read as one first, then converted; whatever the
    // target type has no field for (here an `event`, a numeric `team_id`) stays, as sent.
    let decode = |v: &Value| serde_json::from_slice::<EventsApiPayload>(&serde_json::to_vec(v).unwrap()).unwrap();
    let odd = json!({ "token": "t", "team_id": 5, "event": mention, "challenge": "c", "type": "url_verification" });
    let EventsApiPayload::UrlVerification(v) = decode(&odd) else { panic!("{odd}") };
    assert_eq!((v.challenge.as_deref(), serde_json::to_value(&v).unwrap()), (Some("c"), odd));
    let limited = json!({ "token": "t", "type": "app_rate_limited", "team_id": "T1", "minute_rate_limited": 1518467820, "api_app_id": "A1", "event": mention });
    let EventsApiPayload::AppRateLimited(r) = decode(&limited) else { panic!("{limited}") };
    assert_eq!((r.minute_rate_limited, serde_json::to_value(&r).unwrap()), (Some(1518467820), limited));
    let unknown = json!({ "token": "t", "type": "app_uninstalled_everywhere", "event": mention, "n": [1, "two"] });
    assert_eq!(decode(&unknown), EventsApiPayload::Unknown(unknown));
}

#[test]
fn channel_archive_from_its_reference_page() {
    // https://docs.slack.dev/reference/events/channel_archive
    let ev = from_callback(json!({ "type": "channel_archive", "channel": "C123ABC456", "user": "U123ABC456" }));
    let Event::ChannelArchive(e) = &ev else { panic!("{ev:?}") };
    assert_eq!(e.channel.as_ref().map(|c| c.as_str()), Some("C123ABC456"));
    assert_eq!(e.user.as_ref().map(|u| u.as_str()), Some("U123ABC456"));
    assert_eq!((ev.kind(), ev.user_id().map(|u| u.as_str()), ev.channel_id().map(|c| c.as_str())), ("channel_archive", Some("U123ABC456"), Some("C123ABC456")));
    // With the fields the page leaves out.
    let ev = from_callback(json!({ "type": "channel_archive", "channel": "C1", "user": "U1", "is_moved": 1, "event_ts": "1360782804.083113" }));
    let Event::ChannelArchive(e) = &ev else { panic!("{ev:?}") };
    assert_eq!((e.is_moved, e.event_ts.as_ref().map(|t| t.as_str())), (Some(1), Some("1360782804.083113")));
}

#[test]
fn channel_unarchive_from_its_reference_page() {
    // https://docs.slack.dev/reference/events/channel_unarchive
    let ev = from_callback(json!({ "type": "channel_unarchive", "channel": "C123ABC456", "user": "U123ABC456" }));
    let Event::ChannelUnarchive(e) = &ev else { panic!("{ev:?}") };
    assert_eq!(e.channel.as_ref().map(|c| c.as_str()), Some("C123ABC456"));
    assert_eq!(e.user.as_ref().map(|u| u.as_str()), Some("U123ABC456"));
    let ev = from_callback(json!({ "type": "channel_unarchive", "channel": "C1", "user": "U1", "event_ts": "1360782804.083113" }));
    assert!(matches!(&ev, Event::ChannelUnarchive(e) if e.event_ts.is_some()), "{ev:?}");
}

#[test]
fn group_archive_from_its_reference_page() {
    // https://docs.slack.dev/reference/events/group_archive
    let ev = from_callback(json!({ "type": "group_archive", "channel": "G024BE91L" }));
    let Event::GroupArchive(e) = &ev else { panic!("{ev:?}") };
    assert_eq!(e.channel.as_ref().map(|c| c.as_str()), Some("G024BE91L"));
    let ev = from_callback(json!({ "type": "group_archive", "channel": "G1", "user": "U1", "is_moved": 0, "event_ts": "1360782804.083113" }));
    let Event::GroupArchive(e) = &ev else { panic!("{ev:?}") };
    assert_eq!((e.user.as_ref().map(|u| u.as_str()), e.is_moved), (Some("U1"), Some(0)));
}

#[test]
fn group_unarchive_from_its_reference_page() {
    // https://docs.slack.dev/reference/events/group_unarchive
    let ev = from_callback(json!({ "type": "group_unarchive", "channel": "G024BE91L" }));
    let Event::GroupUnarchive(e) = &ev else { panic!("{ev:?}") };
    assert_eq!(e.channel.as_ref().map(|c| c.as_str()), Some("G024BE91L"));
    let ev = from_callback(json!({ "type": "group_unarchive", "channel": "G1", "actor_id": "U1", "event_ts": "1360782804.083113" }));
    let Event::GroupUnarchive(e) = &ev else { panic!("{ev:?}") };
    assert_eq!(e.actor_id.as_ref().map(|u| u.as_str()), Some("U1"));
}

#[test]
fn the_message_subtypes_of_the_same_names_stay_messages() {
    // `type` tells the event from the message subtype of the same name.
    for subtype in ["channel_archive", "channel_unarchive", "group_archive", "group_unarchive"] {
        let raw = json!({ "type": "message", "subtype": subtype, "ts": "1361482916.000003", "text": "archived", "user": "U1" });
        let ev: Event = serde_json::from_value(raw.clone()).unwrap();
        assert!(matches!(&ev, Event::Message(m) if m.subtype() == Some(subtype) && !matches!(m, MessageEvent::Other(_))), "{ev:?}");
        assert_eq!(serde_json::to_value(&ev).unwrap(), raw);
    }
}

/// Where an event holds JSON that no field types (`extra`, a `json` field), as `type: place`
/// (`type/subtype: place` for a message) — with `coverage::tally`, which counts every leaf.
fn untyped_sites(label: &str, json: &Value) -> Vec<String> {
    let ev: Event = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{label}: {e}"));
    let kind = match &ev {
        Event::Message(m) => format!("message/{}", m.subtype().unwrap_or("plain")),
        other => other.kind().to_owned(),
    };
    let t = slack_api_tests::coverage::tally(&ev).unwrap();
    t.sites.keys().map(|site| format!("{kind}: {site}")).collect()
}

/// The places of our fixtures' events kept as JSON on purpose: shapes Slack's reference leaves
/// open (a view's context entities, an AI thread's artifacts and context, a huddle's room, the
/// legacy `replies` of a changed message). Typing one, or a new untyped place, changes this
/// list; spec/README.md ("Fields kept as JSON") says why each field stays JSON.
const UNTYPED_IN_FIXTURES: &[&str] = &[
    "app_context_changed: context",
    "message/assistant_app_thread: assistant_app_thread.artifacts",
    "message/assistant_app_thread: assistant_app_thread.context",
    "message/huddle_thread: room",
    "message/message_replied: message.replies",
];

/// The same for the example payloads of Slack's event data: none, every example is typed to its
/// leaves.
const UNTYPED_IN_SLACK_EXAMPLES: &[&str] = &[];

#[test]
fn fixture_events_are_typed_to_their_leaves_but_where_listed() {
    let dir = slack_api_tests::repo_root().join("tests/fixtures/events");
    let mut sites = std::collections::BTreeSet::new();
    for p in std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()) {
        let json: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        let event = json.get("event").cloned().unwrap_or(json);
        sites.extend(untyped_sites(&p.display().to_string(), &event));
    }
    assert_eq!(sites.iter().map(String::as_str).collect::<Vec<_>>(), UNTYPED_IN_FIXTURES);
}

#[test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
fn slack_example_events_are_typed_to_their_leaves_but_where_listed() {
    let Some(shared) = slack_api_tests::shared_or_skip("slack_example_events_are_typed_to_their_leaves_but_where_listed") else { return };
    let mut sites = std::collections::BTreeSet::new();
    for p in std::fs::read_dir(shared.join("slack-docs/events")).unwrap().flatten().map(|e| e.path()) {
        let doc: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        if let Some(example) = doc.get("example").filter(|e| e.is_object()) {
            sites.extend(untyped_sites(&p.display().to_string(), example));
        }
    }
    assert_eq!(sites.iter().map(String::as_str).collect::<Vec<_>>(), UNTYPED_IN_SLACK_EXAMPLES);
}
