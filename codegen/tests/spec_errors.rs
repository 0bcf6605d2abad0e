//! Every kind of bad spec gets an error naming the file, line and column and what is wrong.

use codegen::spec::load::SourceFile;
use codegen::spec::methods::load_sources;

const COMMON: &str = "errors:\n  not_authed: No authentication token provided.\n";

const GOOD: &str = "\
name: chat.postMessage
description: Sends a message to a channel.
docs_url: https://docs.slack.dev/reference/methods/chat.postMessage
http_method: POST
content_types: [application/x-www-form-urlencoded]
scopes:
  bot: [chat:write]
rate_limit: special
arguments:
- name: channel
  type: string
  required: true
errors:
  channel_not_found: Value passed for `channel` was invalid.
";

fn src(path: &str, text: &str) -> SourceFile {
    SourceFile { path: path.into(), text: text.into() }
}

/// The errors of loading and validating `methods` (file name, text), one string each.
fn errors_of(methods: &[(&str, &str)]) -> Vec<String> {
    errors_with_common(COMMON, methods)
}

fn errors_with_common(common: &str, methods: &[(&str, &str)]) -> Vec<String> {
    let methods = methods.iter().map(|(p, t)| src(&format!("spec/methods/{p}"), t)).collect();
    let result = load_sources(src("spec/common-errors.yaml", common), methods).and_then(|l| codegen::ir::build(&l));
    match result {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    }
}

fn one_error(methods: &[(&str, &str)]) -> String {
    let errs = errors_of(methods);
    assert_eq!(errs.len(), 1, "expected exactly one error, got {errs:#?}");
    errs.into_iter().next().unwrap()
}

#[test]
fn the_good_spec_loads() {
    assert_eq!(errors_of(&[("chat.postMessage.yaml", GOOD)]), Vec::<String>::new());
}

#[test]
fn yaml_syntax_error() {
    let bad = GOOD.replace("  bot: [chat:write]", "  bot: [chat:write");
    let e = one_error(&[("chat.postMessage.yaml", &bad)]);
    assert!(e.starts_with("spec/methods/chat.postMessage.yaml:8:11: "), "{e}");
    assert!(e.contains("did not find expected ',' or ']'"), "{e}");
}

#[test]
fn unknown_key() {
    let bad = GOOD.replace("  required: true\n", "  required: true\n  requird: false\n");
    assert_eq!(
        one_error(&[("chat.postMessage.yaml", &bad)]),
        "spec/methods/chat.postMessage.yaml:13:3: arguments[0]: unknown field `requird`, expected one of \
         `name`, `type`, `required`, `description`, `example`, `default`, `values`, `encoding`, `secret`"
    );
}

#[test]
fn missing_key() {
    let bad = GOOD.replace("  required: true\n", "");
    assert_eq!(
        one_error(&[("chat.postMessage.yaml", &bad)]),
        "spec/methods/chat.postMessage.yaml:10:3: arguments[0]: missing field `required`"
    );
}

#[test]
fn unknown_type() {
    let bad = GOOD.replace("  type: string", "  type: strng");
    assert_eq!(
        one_error(&[("chat.postMessage.yaml", &bad)]),
        "spec/methods/chat.postMessage.yaml:11:9: arguments[0].type: unknown type `strng`; expected one of \
         `string`, `boolean`, `integer`, `number`, `timestamp`, `object`, `enum`, `user_id`, `channel_id`, `team_id`, \
         `enterprise_id`, `app_id`, `file_id`, `usergroup_id`, `function_id`, `bot_id`, `json`, `blocks`, `attachments`, \
         `view`, `message_metadata`, `entity_metadata`, `entity_comments`, `entity_comment`, `unfurls`, `chunks`, `token`, \
         `file` or `array<T>`"
    );
    let bad = GOOD.replace("  type: string", "  type: array<blocks>");
    assert_eq!(
        one_error(&[("chat.postMessage.yaml", &bad)]),
        "spec/methods/chat.postMessage.yaml:11:9: arguments[0].type: unknown array item type `blocks`; expected one of \
         `string`, `boolean`, `integer`, `number`, `timestamp`, `object`, `enum`, `user_id`, `channel_id`, `team_id`, \
         `enterprise_id`, `app_id`, `file_id`, `usergroup_id`, `function_id`, `bot_id`"
    );
    let bad = GOOD.replace("  type: string", "  type: array<token>");
    assert_eq!(
        one_error(&[("chat.postMessage.yaml", &bad)]),
        "spec/methods/chat.postMessage.yaml:11:9: arguments[0].type: unknown array item type `token`; expected \
         one of `string`, `boolean`, `integer`, `number`, `timestamp`, `object`, `enum`, `user_id`, `channel_id`, \
         `team_id`, `enterprise_id`, `app_id`, `file_id`, `usergroup_id`, `function_id`, `bot_id`"
    );
}

#[test]
fn enum_without_values() {
    let bad = GOOD.replace("  type: string", "  type: enum");
    assert_eq!(
        one_error(&[("chat.postMessage.yaml", &bad)]),
        "spec/methods/chat.postMessage.yaml:11:9: enum argument `channel` has no `values`: list the accepted values"
    );
    let bad = GOOD.replace("  type: string", "  type: enum\n  values: []");
    assert_eq!(
        one_error(&[("chat.postMessage.yaml", &bad)]),
        "spec/methods/chat.postMessage.yaml:12:11: enum argument `channel` has an empty `values` list"
    );
}

#[test]
fn enum_value_that_cannot_be_a_variant() {
    let bad = GOOD.replace("  type: string", "  type: enum\n  values: [a, '*']");
    assert_eq!(
        one_error(&[("chat.postMessage.yaml", &bad)]),
        "spec/methods/chat.postMessage.yaml:12:15: enum value `*` cannot become a Rust identifier"
    );
}

#[test]
fn duplicate_argument() {
    let bad = GOOD.replace(
        "errors:",
        "- name: text\n  type: string\n  required: false\n- name: channel\n  type: string\n  required: false\nerrors:",
    );
    assert_eq!(
        one_error(&[("chat.postMessage.yaml", &bad)]),
        "spec/methods/chat.postMessage.yaml:16:9: duplicate argument `channel` (first defined at line 10)"
    );
}

#[test]
fn duplicate_error_code() {
    let bad = format!("{GOOD}  channel_not_found: Again.\n");
    assert_eq!(
        one_error(&[("chat.postMessage.yaml", &bad)]),
        "spec/methods/chat.postMessage.yaml:15:3: duplicate error code `channel_not_found` (first defined at line 14)"
    );
    let common = format!("{COMMON}  not_authed: Twice.\n");
    assert_eq!(
        errors_with_common(&common, &[("chat.postMessage.yaml", GOOD)]),
        ["spec/common-errors.yaml:3:3: duplicate error code `not_authed` (first defined at line 2)"]
    );
}

#[test]
fn duplicate_method() {
    // Two names that differ only where Rust names cannot tell them apart.
    let other = GOOD.replace("chat.postMessage", "chat.post_message");
    let errs = errors_of(&[("chat.postMessage.yaml", GOOD), ("chat.post_message.yaml", &other)]);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(errs[0].starts_with("spec/methods/chat.post_message.yaml:1:7: "), "{}", errs[0]);
    assert!(errs[0].contains("cannot become a Rust identifier"), "{}", errs[0]);

    let other = GOOD.replace("chat.postMessage", "chat.postmessage.x").replace("chat.postmessage.x", "chat.postMessage");
    let clash = other.replace("name: chat.postMessage", "name: chatPost.message");
    let errs = errors_of(&[("chat.postMessage.yaml", GOOD), ("chatPost.message.yaml", &clash)]);
    assert_eq!(
        errs,
        ["spec/methods/chatPost.message.yaml:1:7: duplicate method: `chatPost.message` and `chat.postMessage` \
          (spec/methods/chat.postMessage.yaml) both become `ChatPostMessageRequest`"]
    );
}

#[test]
fn names_that_cannot_become_identifiers() {
    let bad = GOOD.replace("- name: channel", "- name: Channel-ID");
    assert_eq!(
        one_error(&[("chat.postMessage.yaml", &bad)]),
        "spec/methods/chat.postMessage.yaml:10:9: arguments[0].name: argument name `Channel-ID` cannot become a Rust \
         identifier: expected lower-case ASCII letters, digits and `_`, starting with a letter"
    );
    let bad = GOOD.replace("  channel_not_found:", "  channel not found:");
    assert_eq!(
        one_error(&[("chat.postMessage.yaml", &bad)]),
        "spec/methods/chat.postMessage.yaml:14:3: errors: error code `channel not found` cannot become a Rust \
         identifier: expected lower-case ASCII letters, digits and `_`, starting with a letter"
    );
}

#[test]
fn response_keys_that_are_not_identifiers_need_a_rust_name() {
    let with = |field: &str| format!("{GOOD}response:\n{field}");
    // A claim named by URL loads once it has a Rust name…
    let good = with("- name: https://slack.com/team_id\n  type: team_id\n  rust_name: slack_team_id\n");
    assert_eq!(errors_of(&[("chat.postMessage.yaml", &good)]), Vec::<String>::new());
    // …and without one, the error says where and what to add.
    let e = one_error(&[("chat.postMessage.yaml", &with("- name: https://slack.com/team_id\n  type: team_id\n"))]);
    assert!(e.starts_with("spec/methods/chat.postMessage.yaml:16:"), "{e}");
    assert!(e.contains("field name `https://slack.com/team_id` cannot become a Rust identifier: give it a `rust_name`"), "{e}");
    // A Rust name must be one.
    let e = one_error(&[(
        "chat.postMessage.yaml",
        &with("- name: https://slack.com/team_id\n  type: team_id\n  rust_name: Team-Id\n"),
    )]);
    assert!(e.starts_with("spec/methods/chat.postMessage.yaml:18:"), "{e}");
    assert!(e.contains("rust_name `Team-Id` must be lower-case ASCII letters"), "{e}");
    // Two keys may not end up as one field.
    let e = one_error(&[(
        "chat.postMessage.yaml",
        &with("- name: team_id\n  type: team_id\n- name: https://slack.com/team_id\n  type: team_id\n  rust_name: team_id\n"),
    )]);
    assert!(e.contains("duplicate field `https://slack.com/team_id`"), "{e}");
    // Control characters are refused outright.
    let e = one_error(&[("chat.postMessage.yaml", &with("- name: \"a\\tb\"\n  type: string\n"))]);
    assert!(e.contains("has control characters"), "{e}");
}

#[test]
fn a_one_of_must_tell_its_types_apart_by_json_kind() {
    let with = |ty: &str| format!("{GOOD}response:\n- name: value\n  type: {ty}\n");
    assert_eq!(errors_of(&[("chat.postMessage.yaml", &with("one_of<string, array<string>>"))]), Vec::<String>::new());
    let e = one_error(&[("chat.postMessage.yaml", &with("one_of<string, integer>"))]);
    assert!(e.starts_with("spec/methods/chat.postMessage.yaml:17:"), "{e}");
    assert!(e.contains("has two types of one JSON kind"), "{e}");
    let e = one_error(&[("chat.postMessage.yaml", &with("array<one_of<string, array<string>>>"))]);
    assert!(e.contains("`one_of` may only be a field's whole type"), "{e}");
    let e = one_error(&[("chat.postMessage.yaml", &with("one_of<string, json>"))]);
    assert!(e.contains("`json` cannot be one of a `one_of`'s types"), "{e}");
    let e = one_error(&[("chat.postMessage.yaml", &with("one_of<string>"))]);
    assert!(e.contains("needs at least two types"), "{e}");
}

#[test]
fn a_one_of_type_may_not_take_an_object_type_s_name() {
    let method = format!("{GOOD}response:\n- name: value\n  type: one_of<string, array<string>>\n");
    let object = "name: chat_post_message_response_value\ndescription: A clash.\nfields:\n- name: id\n  type: string\n";
    let result = codegen::spec::methods::load_sources_with_objects(
        src("spec/common-errors.yaml", COMMON),
        vec![src("spec/methods/chat.postMessage.yaml", &method)],
        vec![src("spec/objects/chat_post_message_response_value.yaml", object)],
    )
    .and_then(|l| codegen::ir::build(&l));
    let errors: Vec<String> = match result {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    };
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("which an object's type already is"), "{errors:#?}");
}

#[test]
fn file_name_must_match_method_name() {
    assert_eq!(
        one_error(&[("chat.update.yaml", GOOD)]),
        "spec/methods/chat.update.yaml:1:7: file name does not match method name: the file for `chat.postMessage` \
         must be named `chat.postMessage.yaml`"
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let a = GOOD.replace("  type: string", "  type: strng");
    let b = GOOD.replace("chat.postMessage", "chat.update").replace("rate_limit: special", "rate_limit: tier9");
    let errs = errors_of(&[("chat.postMessage.yaml", &a), ("chat.update.yaml", &b)]);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(errs[1].starts_with("spec/methods/chat.update.yaml:8:13: rate_limit: unknown variant `tier9`"), "{}", errs[1]);
}

#[test]
fn loading_a_directory_reports_stray_files() {
    let dir = std::env::temp_dir().join(format!("slack-api-spec-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("methods")).unwrap();
    std::fs::write(dir.join("common-errors.yaml"), COMMON).unwrap();
    std::fs::write(dir.join("methods/chat.postMessage.yaml"), GOOD).unwrap();
    std::fs::write(dir.join("methods/notes.txt"), "x").unwrap();
    let err = codegen::spec::methods::load_dir(&dir, &dir).unwrap_err().to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(err, "error: methods/notes.txt: unexpected file in spec/methods: every file must be `<method>.yaml`");
}

#[test]
fn one_json_key_given_twice_under_two_rust_names_is_a_duplicate() {
    // Before `rust_name`, the Rust name followed from the key, so the duplicate-field check (on
    // Rust names) also caught a key given twice; now two entries for `team_id` with different
    // Rust names load, and the generated `match` on the key never reaches the second.
    let spec = format!("{GOOD}response:\n- name: team_id\n  type: team_id\n- name: team_id\n  type: string\n  rust_name: team_id_text\n");
    let e = one_error(&[("chat.postMessage.yaml", &spec)]);
    assert!(e.contains("duplicate field `team_id`"), "{e}");
}

/// The errors of a spec with `chat.postMessage` (with `response`) and the object `o`.
fn object_errors(response: &str, object: &str) -> Vec<String> {
    let method = format!("{GOOD}{response}");
    let result = codegen::spec::methods::load_sources_with_objects(
        src("spec/common-errors.yaml", COMMON),
        vec![src("spec/methods/chat.postMessage.yaml", &method)],
        vec![src("spec/objects/app_part.yaml", object)],
    )
    .and_then(|l| codegen::ir::build(&l));
    match result {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn object_limits_load_and_must_fit_their_field() {
    let object = |field: &str| format!("name: app_part\ndescription: A part.\nfields:\n{field}");
    let good = object(
        "- name: name\n  type: string\n  required: true\n  min_length: 1\n  max_length: 35\n  format: https_url\n\
         - name: tags\n  type: array<string>\n  max_items: 5\n  item_max_length: 50\n\
         - name: kind\n  type: enum\n  values: [a, b]\n  closed: true\n",
    );
    assert_eq!(object_errors("", &good), Vec::<String>::new());
    let cases = [
        ("- name: on\n  type: boolean\n  max_length: 3\n", "app_part.yaml:4:9: field `on`: `min_length` / `max_length` need a `string`, not `boolean`"),
        ("- name: n\n  type: string\n  max_items: 3\n", "app_part.yaml:4:9: field `n`: `min_items` / `max_items` need an `array` or `map`, not `string`"),
        ("- name: n\n  type: array<integer>\n  item_max_length: 3\n", "field `n`: `item_max_length` needs an `array<string>`, not `array<integer>`"),
        ("- name: n\n  type: integer\n  format: date\n", "field `n`: `format` needs a `string` or `array<string>`, not `integer`"),
        ("- name: n\n  type: string\n  closed: true\n", "field `n`: `closed` needs an `enum`, not `string`"),
        ("- name: n\n  type: string\n  min_length: 9\n  max_length: 3\n", "field `n`: a minimum (9) above its maximum (3)"),
        ("- name: n\n  type: string\n  maximum_length: 3\n", "unknown field `maximum_length`"),
    ];
    for (field, expected) in cases {
        let errors = object_errors("", &object(field));
        assert_eq!(errors.len(), 1, "{field}: {errors:#?}");
        assert!(errors[0].contains(expected), "{field}: {errors:#?}");
    }
    // A method's answer is what Slack sends: nothing to check there.
    let errors = object_errors("response:\n- name: id\n  type: string\n  max_length: 3\n", &good);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].contains("field `id`: limits (`required`, lengths, item counts, `format`, `closed`) are for fields of spec/objects/ only"), "{errors:#?}");
}

#[test]
fn an_object_and_a_map_may_share_a_one_of_but_nothing_else_of_one_kind() {
    let response = |ty: &str| format!("response:\n- name: value\n  type: {ty}\n");
    let object = "name: app_part\ndescription: A part.\nfields:\n- name: id\n  type: string\n";
    assert_eq!(object_errors(&response("one_of<app_part, map<app_part>>"), object), Vec::<String>::new());
    assert_eq!(object_errors(&response("one_of<map<string>, app_part, array<string>>"), object), Vec::<String>::new());
    for ty in ["one_of<map<string>, map<app_part>>", "one_of<app_part, app_part>", "one_of<app_part, map<string>, map<app_part>>"] {
        let errors = object_errors(&response(ty), object);
        assert_eq!(errors.len(), 1, "{ty}: {errors:#?}");
        assert!(errors[0].contains("has two types of one JSON kind"), "{ty}: {errors:#?}");
        assert!(errors[0].contains("only an object of spec/objects/ and a `map` can share a kind"), "{ty}: {errors:#?}");
    }
}

#[test]
fn cross_checks_are_for_an_object_with_fields() {
    let good = "name: app_part\ndescription: A part.\ncross_checks: true\nfields:\n- name: id\n  type: string\n";
    assert_eq!(object_errors("", good), Vec::<String>::new());
    let union = "name: app_part\ndescription: A part.\ncross_checks: true\nunion:\n  tag: type\n  variants: [a, b]\n";
    let errors = object_errors("", union);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].starts_with("spec/objects/app_part.yaml:3:"), "{errors:#?}");
    assert!(errors[0].contains("`cross_checks` is for an object with `fields`"), "{errors:#?}");
}
