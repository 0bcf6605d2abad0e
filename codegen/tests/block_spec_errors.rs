//! Bad `spec/blocks/` files: every error names the file, line and column and what is wrong.

use codegen::ir::blocks::build;
use codegen::spec::blocks::parse;
use codegen::spec::load::SourceFile;

const BUTTON: &str = "\
name: button_element
group: element
tag: button
description: A button.
docs_url: https://docs.slack.dev/reference/block-kit/block-elements/button-element
fields:
- name: text
  type: plain_text
  required: true
  max_length: 75
- name: style
  type: enum
  required: false
  values: [primary, danger]
";

const PLAIN_TEXT: &str = "\
name: plain_text
group: composition
tag: plain_text
description: Plain text.
docs_url: https://docs.slack.dev/reference/block-kit/composition-objects/text-object
fields:
- name: text
  type: string
  required: true
  min_length: 1
  max_length: 3000
";

const UNION: &str = "\
name: actions_element
group: element
description: What an actions block takes.
docs_url: https://docs.slack.dev/reference/block-kit/block-elements
union: [button_element]
";

/// The errors of loading and validating these files (name, text), one string each.
fn errors_of(files: &[(&str, &str)]) -> Vec<String> {
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in files {
        match parse(SourceFile { path: format!("spec/blocks/{name}").into(), text: (*text).into() }) {
            Ok(x) => loaded.push(x),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        if let Err(e) = build(&loaded) {
            errors.extend(e.0.iter().map(ToString::to_string));
        }
    }
    errors
}

fn good() -> Vec<(&'static str, String)> {
    vec![("button_element.yaml", BUTTON.into()), ("plain_text.yaml", PLAIN_TEXT.into()), ("actions_element.yaml", UNION.into())]
}

fn with(name: &str, text: String) -> Vec<String> {
    let mut files = good();
    files.iter_mut().find(|(n, _)| *n == name).unwrap().1 = text;
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    errors_of(&refs)
}

#[test]
fn the_good_files_load() {
    assert_eq!(with("button_element.yaml", BUTTON.into()), Vec::<String>::new());
    let kit = {
        let files = good();
        let loaded: Vec<_> = files
            .iter()
            .map(|(n, t)| parse(SourceFile { path: format!("spec/blocks/{n}").into(), text: t.clone() }).unwrap())
            .collect();
        build(&loaded).unwrap()
    };
    assert!(kit.is_text("plain_text"));
    assert_eq!(kit.get("button_element").unwrap().rust, "ButtonElement");
}

#[test]
fn unknown_keys_are_rejected_where_they_are() {
    let e = with("button_element.yaml", BUTTON.replace("  max_length: 75", "  max_lenght: 75"));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("spec/blocks/button_element.yaml:10:3: fields[0]: unknown field `max_lenght`"), "{}", e[0]);
}

#[test]
fn unknown_types_are_named() {
    let e = with("button_element.yaml", BUTTON.replace("type: plain_text", "type: fancy_text"));
    assert_eq!(e, ["spec/blocks/button_element.yaml:8:9: unknown Block Kit type `fancy_text`: there is no spec/blocks/fancy_text.yaml"]);
    let e = with("button_element.yaml", BUTTON.replace("type: plain_text", "type: Fancy"));
    assert!(e[0].starts_with("spec/blocks/button_element.yaml:8:9: fields[0].type: unknown Block Kit type `Fancy`"), "{e:?}");
}

#[test]
fn limits_must_fit_the_field() {
    let e = with("button_element.yaml", BUTTON.replace("  values: [primary, danger]", "  values: [primary, danger]\n  max_items: 3"));
    assert_eq!(e, ["spec/blocks/button_element.yaml:15:14: `max_items` does not apply to `style` of type `enum`"]);
    let e = with("plain_text.yaml", PLAIN_TEXT.replace("min_length: 1", "min_length: 4000"));
    assert_eq!(e, ["spec/blocks/plain_text.yaml:10:15: `min_length` is above `max_length`"]);
}

#[test]
fn enums_need_values_and_groups_need_optional_fields() {
    let e = with("button_element.yaml", BUTTON.replace("  values: [primary, danger]\n", ""));
    assert_eq!(e, ["spec/blocks/button_element.yaml:12:9: enum field `style` has no `values`"]);
    let e = with("button_element.yaml", format!("{BUTTON}groups:\n- exactly_one_of: [text, style]\n"));
    assert_eq!(e, ["spec/blocks/button_element.yaml:16:3: `text` is required, so it cannot be in a group"]);
    let e = with("button_element.yaml", format!("{BUTTON}groups:\n- at_least_one_of: [style, colour]\n"));
    assert_eq!(e, ["spec/blocks/button_element.yaml:16:3: the group names `colour`, which is not a field"]);
}

#[test]
fn union_members_need_distinct_tags() {
    let e = with("actions_element.yaml", UNION.replace("[button_element]", "[button_element, plain_text, button_element]"));
    assert_eq!(e, ["spec/blocks/actions_element.yaml:5:37: two members of the union have the tag `button`"]);
    let untagged = PLAIN_TEXT.replace("tag: plain_text\n", "");
    let mut files = good();
    files[1].1 = untagged;
    files[2].1 = UNION.replace("[button_element]", "[plain_text]");
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    assert_eq!(errors_of(&refs), ["spec/blocks/actions_element.yaml:5:9: `plain_text` has no `tag`, so a union cannot tell it apart"]);
}

#[test]
fn the_file_name_is_the_name() {
    let e = with("button_element.yaml", BUTTON.replace("name: button_element", "name: button"));
    assert_eq!(e[0], "spec/blocks/button_element.yaml:1:7: file name does not match the name: the file for `button` must be named `button.yaml`");
    // …and what named it by its file name is not found either.
    assert_eq!(e[1], "spec/blocks/actions_element.yaml:5:9: unknown Block Kit type `button_element`: there is no spec/blocks/button_element.yaml");
}
