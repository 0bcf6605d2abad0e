//! Every field the spec leaves as bare JSON (`json`, `array<json>`, `map<json>`, a `one_of` with
//! `json`) is listed, with its reason, in spec/README.md ("Fields kept as JSON"). A new `json`
//! field without a row fails here, and so does a row whose field is now typed or gone, so the list
//! is what the spec holds.

use std::collections::BTreeSet;

use codegen::blocks::KindIr;
use codegen::ir::ObjectKind;
use slack_api_tests::object_coverage::{is_json, kit_is_json};
use slack_api_tests::repo_root;

/// The heading of the table in spec/README.md.
const HEADING: &str = "### Fields kept as JSON";

/// `(kind, owner, field)`: where a field is, as the README's table writes it.
type Place = (String, String, String);

/// Every bare-JSON field of the spec.
fn spec_places() -> BTreeSet<Place> {
    let api = codegen::load_api(&repo_root()).unwrap_or_else(|e| panic!("{e}"));
    let mut out = BTreeSet::new();
    let mut add = |kind: &str, owner: &str, field: &str| {
        out.insert((kind.to_owned(), owner.to_owned(), field.to_owned()));
    };
    for m in api.families.iter().flat_map(|f| &f.methods) {
        for f in m.response.iter().flatten().filter(|f| is_json(&f.ty)) {
            add("method", &m.wire_name, &f.wire_name);
        }
    }
    for o in &api.objects {
        if let ObjectKind::Struct(fields) = &o.kind {
            for f in fields.iter().filter(|f| is_json(&f.ty)) {
                add("object", &o.wire_name, &f.wire_name);
            }
        }
    }
    for e in &api.events.events {
        for f in e.fields.iter().filter(|f| is_json(&f.ty)) {
            add("event", &e.wire, &f.wire_name);
        }
    }
    for e in &api.events.subtypes {
        for f in e.fields.iter().filter(|f| is_json(&f.ty)) {
            add("message subtype", &e.wire, &f.wire_name);
        }
    }
    for t in &api.interactions.types {
        for f in t.fields().iter().filter(|f| is_json(&f.ty)) {
            add("interaction", &t.name, &f.wire_name);
        }
    }
    for t in &api.kit.types {
        if let KindIr::Struct { fields, .. } = &t.kind {
            for f in fields.iter().filter(|f| kit_is_json(&f.ty)) {
                add("block kit", &t.name, &f.wire);
            }
        }
    }
    out
}

/// The rows of the README's table: `| kind | owner | fields | why |`, fields comma-separated,
/// names in backticks. Panics, naming the line, on a row without a reason.
fn readme_places(readme: &str) -> BTreeSet<Place> {
    let start = readme.find(HEADING).unwrap_or_else(|| panic!("spec/README.md has no `{HEADING}` section"));
    let section = &readme[start + HEADING.len()..];
    let section = &section[..section.find("\n#").unwrap_or(section.len())];
    let mut out = BTreeSet::new();
    for line in section.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() != 4 || cells[0] == "kind" || cells[0].starts_with("---") {
            continue;
        }
        let strip = |s: &str| s.trim().trim_matches('`').to_owned();
        assert!(!cells[3].is_empty(), "spec/README.md: the row `{line}` gives no reason");
        for field in cells[2].split(',') {
            out.insert((cells[0].to_owned(), strip(cells[1]), strip(field)));
        }
    }
    out
}

fn show(places: &BTreeSet<Place>) -> String {
    places.iter().map(|(k, o, f)| format!("  {k} `{o}` `{f}`")).collect::<Vec<_>>().join("\n")
}

#[test]
fn every_json_field_is_listed_with_its_reason() {
    let readme = std::fs::read_to_string(repo_root().join("spec/README.md")).unwrap();
    let listed = readme_places(&readme);
    let spec = spec_places();
    let unlisted: BTreeSet<Place> = spec.difference(&listed).cloned().collect();
    let stale: BTreeSet<Place> = listed.difference(&spec).cloned().collect();
    assert!(
        unlisted.is_empty(),
        "these fields are bare JSON but not listed under `{HEADING}` in spec/README.md: type them, \
         or add a row saying why they stay JSON\n{}",
        show(&unlisted)
    );
    assert!(stale.is_empty(), "spec/README.md lists these under `{HEADING}`, but the spec types them (or lacks them): delete the rows\n{}", show(&stale));
    // The list is not trivially empty: free-form app data stays JSON on purpose.
    assert!(spec.contains(&("method".into(), "apps.datastore.get".into(), "item".into())), "{}", show(&spec));
}

#[test]
fn the_check_notices_an_unlisted_field_and_a_stale_row() {
    let readme = "intro\n### Fields kept as JSON\n\n| kind | owner | fields | why |\n|---|---|---|---|\n\
                  | method | `a.b` | `x`, `y` | free-form |\n| object | `file` | `z` | undocumented |\n## next\n| method | `c.d` | `w` | not in the section |\n";
    let listed = readme_places(readme);
    let want: BTreeSet<Place> = [("method", "a.b", "x"), ("method", "a.b", "y"), ("object", "file", "z")]
        .into_iter()
        .map(|(k, o, f)| (k.to_owned(), o.to_owned(), f.to_owned()))
        .collect();
    assert_eq!(listed, want);
    let no_reason = std::panic::catch_unwind(|| readme_places("### Fields kept as JSON\n| method | `a.b` | `x` |  |\n"));
    assert!(no_reason.is_err(), "a row without a reason is refused");
}
