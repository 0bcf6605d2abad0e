//! `spec/interactions/`: bad files get errors naming the file, line and column and what is
//! wrong.

use std::collections::BTreeSet;

use codegen::ir::interactions::{InteractionKind, build};
use codegen::spec::interactions::parse_sources;
use codegen::spec::load::SourceFile;

const TEAM: &str = "name: team_ref\ndescription: A workspace.\nfields:\n- name: id\n  type: team_id\n";
const BUTTON: &str = "name: button_action\ndescription: A button.\nfields:\n- name: type\n  rust_name: kind\n  type: string\n- name: action_id\n  type: string\n- name: text\n  type: plain_text\n";
const SELECT: &str = "name: select_action\ndescription: A select.\nfields:\n- name: type\n  rust_name: kind\n  type: string\n- name: action_id\n  type: string\n- name: placeholder\n  type: plain_text\n";
const UNION: &str = "name: element_action\ndescription: An action.\nunion:\n  tag: type\n  tags_const: ELEMENT_TYPES\n  variants:\n  - { value: button, type: button_action }\n  - { value: datepicker, type: select_action, variant: DatePicker }\n  accessors: [action_id]\n";

fn errors(files: &[(&str, &str)]) -> Vec<String> {
    let sources = files.iter().map(|(p, t)| SourceFile { path: format!("spec/interactions/{p}").into(), text: (*t).into() }).collect();
    let others: BTreeSet<&str> = ["plain_text", "message", "user"].into_iter().collect();
    match parse_sources(sources).and_then(|l| build(&l, &others)) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn good_interactions_load() {
    let files = [("team_ref.yaml", TEAM), ("button_action.yaml", BUTTON), ("select_action.yaml", SELECT), ("element_action.yaml", UNION)];
    assert_eq!(errors(&files), Vec::<String>::new());
    let sources = files.iter().map(|(p, t)| SourceFile { path: (*p).into(), text: (*t).into() }).collect();
    let ir = build(&parse_sources(sources).unwrap(), &["plain_text"].into_iter().collect()).unwrap();
    let InteractionKind::Union(u) = &ir.get("element_action").unwrap().kind else { panic!() };
    let variants: Vec<_> = u.variants.iter().map(|v| (v.value.as_str(), v.variant.as_str(), v.type_name.as_str())).collect();
    assert_eq!(variants, [("button", "Button", "ButtonAction"), ("datepicker", "DatePicker", "SelectAction")]);
    assert_eq!(u.accessors[0].members.len(), 2);
}

#[test]
fn unknown_keys_and_bad_yaml_are_rejected_with_their_place() {
    let bad = "name: team_ref\ndescription: A workspace.\nfeilds: []\n";
    let errs = errors(&[("team_ref.yaml", bad)]);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with("spec/interactions/team_ref.yaml:3:1: unknown field `feilds`"), "{}", errs[0]);

    let bad = "name: team_ref\ndescription: A workspace: the one.\n";
    let errs = errors(&[("team_ref.yaml", bad)]);
    assert_eq!(errs, ["spec/interactions/team_ref.yaml:2:25: mapping values are not allowed in this context"]);

    let bad = "name: element_action\ndescription: x\nunion:\n  tag: type\n  variants:\n  - { value: button, typ: button_action }\n";
    let errs = errors(&[("element_action.yaml", bad)]);
    assert!(errs[0].starts_with("spec/interactions/element_action.yaml:6:"), "{errs:?}");
    assert!(errs[0].contains("unknown field `typ`"), "{errs:?}");
}

#[test]
fn names_files_and_field_types_are_checked() {
    let errs = errors(&[("team.yaml", TEAM)]);
    assert_eq!(errs, ["spec/interactions/team.yaml:1:7: file name does not match the name: the file for `team_ref` must be named `team_ref.yaml`"]);

    let bad = "name: team_ref\ndescription: x\nfields:\n- name: owner\n  type: usr_ref\n";
    let errs = errors(&[("team_ref.yaml", bad)]);
    assert_eq!(
        errs,
        ["spec/interactions/team_ref.yaml:5:9: unknown type `usr_ref` of field `owner`: there is no spec/interactions/usr_ref.yaml, spec/objects/usr_ref.yaml or Block Kit type `usr_ref`"]
    );

    let bad = "name: team_ref\ndescription: x\nfields:\n- name: id\n  type: team_id\n- name: id\n  type: string\n";
    let errs = errors(&[("team_ref.yaml", bad)]);
    assert_eq!(errs, ["spec/interactions/team_ref.yaml:6:9: duplicate field `id` (first defined at line 4)"]);

    let bad = "name: team_ref\ndescription: x\n";
    let errs = errors(&[("team_ref.yaml", bad)]);
    assert_eq!(errs, ["spec/interactions/team_ref.yaml:1:7: an interaction type has either `fields` or `union`, not both or neither"]);

    let bad = "name: Team\ndescription: x\nfields: []\n";
    let errs = errors(&[("Team.yaml", bad)]);
    assert_eq!(errs, ["spec/interactions/Team.yaml:1:7: name `Team` must be lower-case ASCII letters, digits and `_`, starting with a letter"]);
}

#[test]
fn union_variants_and_accessors_are_checked() {
    let with = |union: &str| {
        let mut files = vec![("team_ref.yaml", TEAM), ("button_action.yaml", BUTTON), ("select_action.yaml", SELECT)];
        files.push(("element_action.yaml", union));
        errors(&files)
    };
    let head = "name: element_action\ndescription: x\nunion:\n  tag: type\n  variants:\n";

    // A variant naming no struct, an object, or a struct without the tag field.
    let errs = with(&format!("{head}  - {{ value: button, type: buton_action }}\n"));
    assert_eq!(errs, ["spec/interactions/element_action.yaml:6:28: unknown type `buton_action`: there is no spec/interactions/buton_action.yaml"]);
    let errs = with(&format!("{head}  - {{ value: button, type: message }}\n"));
    assert_eq!(errs, ["spec/interactions/element_action.yaml:6:28: `message` is a shared object or Block Kit type: a variant holds a struct of spec/interactions/"]);
    let errs = with(&format!("{head}  - {{ value: button, type: team_ref }}\n"));
    assert_eq!(errs, ["spec/interactions/element_action.yaml:6:28: `team_ref` does not declare the tag field `type`"]);

    // The same value twice, two values as one variant, a bad variant name.
    let errs = with(&format!("{head}  - {{ value: button, type: button_action }}\n  - {{ value: button, type: select_action }}\n"));
    assert_eq!(errs, ["spec/interactions/element_action.yaml:7:14: duplicate variant value `button` (first at line 6)"]);
    let errs = with(&format!("{head}  - {{ value: date_picker, type: button_action }}\n  - {{ value: datePicker, type: select_action }}\n"));
    assert_eq!(errs, ["spec/interactions/element_action.yaml:7:14: `date_picker` and `datePicker` both become the variant `DatePicker`"]);
    let errs = with(&format!("{head}  - {{ value: datepicker, type: button_action, variant: date_picker }}\n"));
    assert_eq!(errs, ["spec/interactions/element_action.yaml:6:56: variant name `date_picker` must be UpperCamelCase ASCII letters and digits"]);
    let errs = with(&format!("{head}  - {{ value: unknown, type: button_action }}\n"));
    assert!(errs[0].contains("the variant `Unknown` is the union's own"), "{errs:?}");

    // Accessors: a field no kind has, kinds that disagree on its type, the union's own `kind`.
    let two = format!("{head}  - {{ value: button, type: button_action }}\n  - {{ value: static_select, type: select_action }}\n");
    let errs = with(&format!("{two}  accessors: [action_idd]\n"));
    assert_eq!(errs, ["spec/interactions/element_action.yaml:8:15: accessor `action_idd`: no variant's struct has the field `action_idd`"]);
    let button = BUTTON.replace("- name: action_id\n  type: string\n", "- name: action_id\n  type: integer\n");
    let files = [("button_action.yaml", button.as_str()), ("select_action.yaml", SELECT), ("element_action.yaml", &format!("{two}  accessors: [action_id]\n"))];
    assert_eq!(
        errors(&files),
        ["spec/interactions/element_action.yaml:8:15: accessor `action_id`: the kinds disagree on its type (`integer` in one, `string` in `static_select`)"]
    );
    let errs = with(&format!("{two}  accessors: [type]\n"));
    assert_eq!(errs, ["spec/interactions/element_action.yaml:8:15: accessor `type` (`kind()`) would hide the union's own `kind()`"]);
    let errs = with(&format!("{two}  tags_const: element_types\n"));
    assert_eq!(errs, ["spec/interactions/element_action.yaml:8:15: `element_types` must be an upper-case constant name (`A_B`)"]);
}
