//! Every Rust name the generator emits comes through here: wire names in, identifiers out.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be plain identifiers (strict and reserved keywords of edition 2024).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// `admin.inviteRequests.approve` → `AdminInviteRequestsApprove`.
pub fn type_name(wire: &str) -> String {
    let s = wire.to_upper_camel_case();
    if s.starts_with(|c: char| c.is_ascii_digit()) { format!("V{s}") } else { s }
}

/// `admin.inviteRequests.approve` → `admin_invite_requests_approve`; keywords get a trailing `_`.
pub fn snake_name(wire: &str) -> String {
    let s = wire.to_snake_case();
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) { format!("v{s}") } else { s };
    if KEYWORDS.contains(&s.as_str()) { format!("{s}_") } else { s }
}

/// An enum variant for a wire value (`in_channel` → `InChannel`, `1` → `V1`, `*` → none).
pub fn variant_name(wire: &str) -> Option<String> {
    let s = type_name(wire);
    (!s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric())).then_some(s)
}

/// Whether `s` can be used as written as a Rust identifier.
pub fn is_identifier(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(type_name("admin.inviteRequests.approve"), "AdminInviteRequestsApprove");
        assert_eq!(snake_name("admin.inviteRequests.approve"), "admin_invite_requests_approve");
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(variant_name("in_channel").as_deref(), Some("InChannel"));
        assert_eq!(variant_name("1").as_deref(), Some("V1"));
        assert_eq!(variant_name("*"), None);
        assert!(is_identifier("team_id"));
        assert!(!is_identifier("type"));
    }
}
