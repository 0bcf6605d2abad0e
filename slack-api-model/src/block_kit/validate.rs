//! Validation of Block Kit payloads against the limits in `spec/blocks/`.
//!
//! Each generated type implements [`Validate`] with the checks its spec lists (lengths, item
//! counts, ranges, allowed values, formats, exactly-one-of and at-least-one-of groups) using the
//! named constants of `block_kit::limits`. [`Validator`] adds the rules of a whole payload: block
//! counts per surface, blocks and elements a surface does not allow, duplicate `block_id`s and
//! `action_id`s, the markdown blocks' total length and a modal's `submit` button. Every violation
//! is reported, each with its JSON path. What Slack's reference does not state firmly is not
//! checked: validation must never reject a payload Slack accepts.

use std::fmt;

use crate::block_kit::{Attachment, Block, View};

/// Where blocks are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Surface {
    /// A message (`chat.postMessage`, `chat.update`, attachments, unfurls…).
    Message,
    /// A modal (`views.open`, `views.push`, `views.update`).
    Modal,
    /// An app's Home tab (`views.publish`).
    Home,
}

impl Surface {
    /// Every surface.
    pub const ALL: &'static [Surface] = &[Surface::Message, Surface::Modal, Surface::Home];

    fn name(self) -> &'static str {
        match self {
            Surface::Message => "a message",
            Surface::Modal => "a modal",
            Surface::Home => "a Home tab",
        }
    }
}

/// The most blocks a message may hold.
pub const MESSAGE_MAX_BLOCKS: usize = 50;
/// The most blocks a modal or Home tab may hold.
pub const VIEW_MAX_BLOCKS: usize = 100;
/// The most characters the markdown blocks of one payload may hold together.
pub const MARKDOWN_TOTAL_MAX_LENGTH: usize = 12_000;

/// Formats a string field must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// `YYYY-MM-DD`.
    Date,
    /// `HH:mm`, 24-hour.
    Time,
    /// A decimal number: `-12`, `3.5`.
    Decimal,
    /// A hex colour, `#F405B3` or `F405B3`.
    HexColor,
    /// A hex colour with its `#`, three or six digits: `#0AA`, `#0000AA`.
    CssHexColor,
    /// An `https://` URL.
    HttpsUrl,
    /// An `http://` or `https://` URL.
    HttpUrl,
    /// A slash command: `/` and at least one more character.
    SlashCommand,
}

impl Format {
    fn describe(self) -> &'static str {
        match self {
            Format::Date => "a date (YYYY-MM-DD)",
            Format::Time => "a time (HH:mm)",
            Format::Decimal => "a decimal number",
            Format::HexColor => "a hex colour (#RRGGBB)",
            Format::CssHexColor => "a hex colour (#RGB or #RRGGBB)",
            Format::HttpsUrl => "an https:// URL",
            Format::HttpUrl => "an http:// or https:// URL",
            Format::SlashCommand => "a command starting with /",
        }
    }

    /// Whether `s` has this format.
    pub fn matches(self, s: &str) -> bool {
        let b = s.as_bytes();
        let digits = |r: &[u8]| !r.is_empty() && r.iter().all(u8::is_ascii_digit);
        let num = |r: &[u8]| r.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
        match self {
            Format::Date => {
                b.len() == 10
                    && b[4] == b'-'
                    && b[7] == b'-'
                    && digits(&b[..4])
                    && digits(&b[5..7])
                    && digits(&b[8..])
                    && (1..=12).contains(&num(&b[5..7]))
                    && (1..=31).contains(&num(&b[8..]))
            }
            Format::Time => b.len() == 5 && b[2] == b':' && digits(&b[..2]) && digits(&b[3..]) && num(&b[..2]) < 24 && num(&b[3..]) < 60,
            Format::Decimal => {
                let r = b.strip_prefix(b"-").unwrap_or(b);
                match r.iter().position(|&c| c == b'.') {
                    Some(i) => digits(&r[..i]) && digits(&r[i + 1..]),
                    None => digits(r),
                }
            }
            Format::HexColor => {
                let r = b.strip_prefix(b"#").unwrap_or(b);
                r.len() == 6 && r.iter().all(u8::is_ascii_hexdigit)
            }
            Format::CssHexColor => {
                b.first() == Some(&b'#') && matches!(b.len(), 4 | 7) && b[1..].iter().all(u8::is_ascii_hexdigit)
            }
            Format::HttpsUrl => s.len() > "https://".len() && s.get(..8).is_some_and(|p| p.eq_ignore_ascii_case("https://")),
            Format::HttpUrl => {
                Format::HttpsUrl.matches(s) || (s.len() > "http://".len() && s.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("http://")))
            }
            Format::SlashCommand => b.len() > 1 && b[0] == b'/',
        }
    }
}

/// A place in a payload, built on the stack as validation descends; turned into text only when
/// something is wrong there.
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    seg: Seg<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Seg<'a> {
    Root(&'a str),
    Key(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    /// The top of a payload, named as the argument it is (`blocks`, `view`), or `""`.
    pub fn root(name: &'a str) -> Self {
        Path { parent: None, seg: Seg::Root(name) }
    }

    /// The value of `key` here.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path { parent: Some(self), seg: Seg::Key(key) }
    }

    /// Item `i` of the list here.
    pub fn index(&'a self, i: usize) -> Path<'a> {
        Path { parent: Some(self), seg: Seg::Index(i) }
    }

    fn write(&self, out: &mut String) {
        if let Some(p) = self.parent {
            p.write(out);
        }
        match self.seg {
            Seg::Root(name) => out.push_str(name),
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write(&mut s);
        f.write_str(&s)
    }
}

/// One broken rule: where, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The JSON path, e.g. `blocks[2].accessory.text.text`.
    pub path: String,
    pub kind: ViolationKind,
}

/// Which rule is broken, with the limit and the actual value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ViolationKind {
    /// A string longer than its limit (in characters).
    TooLong { max: usize, actual: usize },
    /// A string shorter than its minimum (in characters).
    TooShort { min: usize, actual: usize },
    /// A list with more items than allowed.
    TooManyItems { max: usize, actual: usize },
    /// A list with fewer items than required.
    TooFewItems { min: usize, actual: usize },
    /// A number outside its range.
    OutOfRange { min: Option<i64>, max: Option<i64>, actual: i64 },
    /// A value that is not one of the allowed values.
    NotAllowed { value: String, allowed: &'static [&'static str] },
    /// A string without the required format.
    BadFormat { format: Format, value: String },
    /// Not exactly one of these fields is set.
    ExactlyOneOf { fields: &'static [&'static str], present: usize },
    /// None of these fields is set.
    AtLeastOneOf { fields: &'static [&'static str] },
    /// A block or element that this surface does not allow.
    NotOnSurface { kind: String, surface: Surface },
    /// More blocks than the surface allows.
    TooManyBlocks { max: usize, actual: usize, surface: Surface },
    /// A `block_id` used twice.
    DuplicateBlockId { id: String, first: String },
    /// An `action_id` used twice in one block.
    DuplicateActionId { id: String },
    /// The markdown blocks of the payload hold more characters together than allowed.
    MarkdownTotal { max: usize, actual: usize },
    /// A modal with an input block but no `submit` button.
    SubmitRequired,
    /// A JSON argument that could not be encoded.
    NotEncodable(String),
    /// A required field that is not set.
    Missing,
    /// A field whose value has another shape than its type (kept as sent in `extra`).
    WrongShape { expected: &'static str },
    /// A field that another one needs, not set (`settings.function_runtime` when the manifest
    /// has `functions`).
    RequiredWith { with: &'static str },
    /// A value that must also be in another list and is not (an optional scope that is not
    /// among the scopes).
    NotListedIn { value: String, list: &'static str },
    /// A name that is not snake_case (lower-case ASCII letters, digits and `_`, starting with a
    /// letter).
    NotSnakeCase { value: String },
    /// Parameters written the way manifest version `written` writes them, in a manifest of
    /// version `manifest` (version 1 lists them by name, version 2 under `properties`).
    ParametersOfVersion { written: u8, manifest: u8 },
    /// A name in `required` that is not among the `properties`.
    UndeclaredRequired { name: String },
}

/// `12345` → `12,345`.
fn n(v: usize) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn list(fields: &[&str]) -> String {
    fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ViolationKind as K;
        match self {
            K::TooLong { max, actual } => write!(f, "{} characters, at most {}", n(*actual), n(*max)),
            K::TooShort { min, actual } => write!(f, "{} characters, at least {}", n(*actual), n(*min)),
            K::TooManyItems { max, actual } => write!(f, "{} items, at most {}", n(*actual), n(*max)),
            K::TooFewItems { min, actual } => write!(f, "{} items, at least {}", n(*actual), n(*min)),
            K::OutOfRange { min, max, actual } => match (min, max) {
                (Some(lo), _) if actual < lo => write!(f, "{actual}, at least {lo}"),
                (_, Some(hi)) => write!(f, "{actual}, at most {hi}"),
                _ => write!(f, "{actual}, out of range"),
            },
            K::NotAllowed { value, allowed } => write!(f, "`{value}`, not one of {}", list(allowed)),
            K::BadFormat { format, value } => write!(f, "`{value}` is not {}", format.describe()),
            K::ExactlyOneOf { fields, present } => {
                write!(f, "exactly one of {} must be set, {present} are", list(fields))
            }
            K::AtLeastOneOf { fields } => write!(f, "at least one of {} must be set", list(fields)),
            K::NotOnSurface { kind, surface } => write!(f, "`{kind}` cannot be used in {}", surface.name()),
            K::TooManyBlocks { max, actual, surface } => {
                write!(f, "{} blocks, at most {} in {}", n(*actual), n(*max), surface.name())
            }
            K::DuplicateBlockId { id, first } => write!(f, "block_id `{id}` is also used at {first}"),
            K::DuplicateActionId { id } => write!(f, "action_id `{id}` is used twice in this block"),
            K::MarkdownTotal { max, actual } => {
                write!(f, "markdown blocks hold {} characters together, at most {}", n(*actual), n(*max))
            }
            K::SubmitRequired => f.write_str("a modal with an input block needs a `submit` button"),
            K::NotEncodable(why) => write!(f, "cannot be encoded as JSON: {why}"),
            K::Missing => f.write_str("required, but not set"),
            K::WrongShape { expected } => write!(f, "not {expected}"),
            K::RequiredWith { with } => write!(f, "required when `{with}` is set, but not set"),
            K::NotListedIn { value, list } => write!(f, "`{value}` is not also listed in `{list}`"),
            K::NotSnakeCase { value } => {
                write!(f, "`{value}` is not snake_case (lower-case letters, digits and `_`, starting with a letter)")
            }
            K::ParametersOfVersion { written: 1, manifest } => write!(
                f,
                "parameters listed by name (manifest version 1) in a version {manifest} manifest, which lists them under `properties`, with `required`"
            ),
            K::ParametersOfVersion { written, manifest } => write!(
                f,
                "parameters under `properties` (manifest version {written}) in a version {manifest} manifest (no `_metadata.major_version: 2`), which lists them by name"
            ),
            K::UndeclaredRequired { name } => write!(f, "`{name}` is required but not among the `properties`"),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            self.kind.fmt(f)
        } else {
            write!(f, "{}: {}", self.path, self.kind)
        }
    }
}

/// Every violation found in a payload (never empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violations(pub Vec<Violation>);

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            v.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// A cheap fingerprint of an ID, to compare IDs quickly (equal fingerprints are then compared
/// exactly): its length and its first and last eight bytes, read as words — a few instructions
/// whatever the length, where hashing every byte cost more than the comparisons it saved. IDs
/// that differ only in their middle bytes share a fingerprint and are told apart by the exact
/// comparison.
#[inline]
fn fingerprint(s: &str) -> u64 {
    let b = s.as_bytes();
    let word = |w: &[u8]| {
        let mut a = [0u8; 8];
        a[..w.len()].copy_from_slice(w);
        u64::from_le_bytes(a)
    };
    let (first, last) = if b.len() >= 8 { (word(&b[..8]), word(&b[b.len() - 8..])) } else { (word(b), 0) };
    (first ^ last.rotate_left(29) ^ (b.len() as u64).rotate_left(53)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// A text object: `PlainText`, `Mrkdwn` or `Text`.
pub trait TextObject {
    /// The text, if this is a known kind of text object.
    fn text_str(&self) -> Option<&str>;
}

/// A Block Kit value that can be checked against Slack's limits.
pub trait Validate {
    /// Checks this value, found at `at`, into `v`.
    fn validate_at<'a>(&'a self, at: &Path<'_>, v: &mut Validator<'a>);

    /// Checks this value alone (payload rules that need the surface are checked by
    /// [`Validator`]'s entry points). Returns every violation.
    fn validate(&self) -> Result<(), Violations> {
        let mut v = Validator::new();
        self.validate_at(&Path::root(""), &mut v);
        v.finish()
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at<'a>(&'a self, at: &Path<'_>, v: &mut Validator<'a>) {
        if let Some(x) = self {
            x.validate_at(at, v);
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at<'a>(&'a self, at: &Path<'_>, v: &mut Validator<'a>) {
        (**self).validate_at(at, v);
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_at<'a>(&'a self, at: &Path<'_>, v: &mut Validator<'a>) {
        for (i, x) in self.iter().enumerate() {
            x.validate_at(&at.index(i), v);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at<'a>(&'a self, at: &Path<'_>, v: &mut Validator<'a>) {
        self.as_slice().validate_at(at, v);
    }
}

impl<T: Validate + crate::Empty> Validate for crate::Thin<T> {
    fn validate_at<'a>(&'a self, at: &Path<'_>, v: &mut Validator<'a>) {
        (**self).validate_at(at, v);
    }
}

impl<T: Validate> Validate for crate::Keyed<T> {
    fn validate_at<'a>(&'a self, at: &Path<'_>, v: &mut Validator<'a>) {
        for (k, x) in self.iter() {
            x.validate_at(&at.key(k), v);
        }
    }
}

impl<T: Validate> Validate for std::collections::BTreeMap<String, T> {
    fn validate_at<'a>(&'a self, at: &Path<'_>, v: &mut Validator<'a>) {
        for (k, x) in self {
            x.validate_at(&at.key(k), v);
        }
    }
}

/// Collects violations; the entry points check whole payloads.
///
/// ```
/// use slack_api::block_kit::{Block, ButtonElement, SectionBlock, Mrkdwn, Surface, Validator};
///
/// let blocks: Vec<Block> = vec![
///     SectionBlock::new().text(Mrkdwn::new("*Deploy?*")).accessory(ButtonElement::new("x".repeat(80))).into(),
/// ];
/// let mut v = Validator::new();
/// v.blocks("blocks", &blocks, Surface::Message);
/// let err = v.finish().unwrap_err();
/// assert_eq!(err.to_string(), "blocks[0].accessory.text.text: 80 characters, at most 75");
/// ```
#[derive(Debug, Default)]
pub struct Validator<'a> {
    surface: Option<Surface>,
    violations: Vec<Violation>,
    /// `action_id`s of the current block.
    action_ids: Vec<&'a str>,
    /// `block_id`s of the lists being checked: (hash, ID, index in its list).
    block_ids: Vec<(u64, &'a str, usize)>,
}

impl<'a> Validator<'a> {
    pub fn new() -> Self {
        Self::default()
    }

    /// The violations found, if any.
    pub fn finish(self) -> Result<(), Violations> {
        if self.violations.is_empty() { Ok(()) } else { Err(Violations(self.violations)) }
    }

    /// The violations found so far.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    pub(crate) fn push(&mut self, at: &Path<'_>, kind: ViolationKind) {
        self.violations.push(Violation { path: at.to_string(), kind });
    }

    /// A message's (or an attachment's) blocks, under the argument name `root`.
    pub fn blocks(&mut self, root: &str, blocks: &'a [Block], surface: Surface) {
        self.block_list(blocks, &Path::root(root), Some(surface));
    }

    /// A view payload (modal or Home tab).
    pub fn view(&mut self, root: &str, view: &'a View) {
        let at = Path::root(root);
        if let View::Modal(m) = view {
            let has_input = m.blocks.iter().any(|b| matches!(b, Block::Input(_)));
            if has_input && m.submit.is_none() {
                self.push(&at.key("submit"), ViolationKind::SubmitRequired);
            }
        }
        view.validate_at(&at, self);
    }

    /// Legacy attachments.
    pub fn attachments(&mut self, root: &str, attachments: &'a [Attachment]) {
        attachments.validate_at(&Path::root(root), self);
    }

    /// Any other Block Kit value.
    pub fn value<T: Validate + ?Sized>(&mut self, root: &str, value: &'a T) {
        value.validate_at(&Path::root(root), self);
    }

    /// A JSON argument: it must have been encodable.
    pub fn json(&mut self, root: &str, json: &crate::Json) {
        if let Err(why) = json.as_text() {
            self.push(&Path::root(root), ViolationKind::NotEncodable(why.to_owned()));
        }
    }

    /// A list of blocks at `at`, shown on `surface` (`None`: not known, surface rules skipped).
    #[doc(hidden)]
    pub fn block_list(&mut self, blocks: &'a [Block], at: &Path<'_>, surface: Option<Surface>) {
        let outer = self.surface;
        self.surface = surface.or(outer);
        if let Some(s) = self.surface {
            let max = if s == Surface::Message { MESSAGE_MAX_BLOCKS } else { VIEW_MAX_BLOCKS };
            if blocks.len() > max {
                self.push(at, ViolationKind::TooManyBlocks { max, actual: blocks.len(), surface: s });
            }
        }
        // This list's block IDs go after those of any list it is inside (room made once).
        let ids_from = self.block_ids.len();
        self.block_ids.reserve(blocks.len());
        let mut markdown = 0usize;
        for (i, block) in blocks.iter().enumerate() {
            let here = at.index(i);
            if let Some(s) = self.surface {
                if !block.surfaces().contains(&s) {
                    let kind = block.kind().unwrap_or("?").to_owned();
                    self.push(&here, ViolationKind::NotOnSurface { kind, surface: s });
                }
            }
            // Slack ignores (and drops) a markdown block's `block_id`.
            let id = if matches!(block, Block::Markdown(_)) { None } else { block.block_id() };
            if let Some(id) = id {
                // Compared by a cheap hash first, then exactly: no allocation, no sorting.
                let h = fingerprint(id);
                match self.block_ids[ids_from..].iter().find(|(hx, x, _)| *hx == h && *x == id) {
                    Some(&(_, _, first)) => {
                        let first = at.index(first).to_string();
                        self.push(&here.key("block_id"), ViolationKind::DuplicateBlockId { id: id.to_owned(), first });
                    }
                    None => self.block_ids.push((h, id, i)),
                }
            }
            if let Block::Markdown(m) = block {
                markdown += m.text.chars().count();
            }
            // Action IDs are unique per block: this block's go after those of any block it is in.
            let actions_from = self.action_ids.len();
            block.validate_at(&here, self);
            self.action_ids.truncate(actions_from);
        }
        if markdown > MARKDOWN_TOTAL_MAX_LENGTH {
            self.push(at, ViolationKind::MarkdownTotal { max: MARKDOWN_TOTAL_MAX_LENGTH, actual: markdown });
        }
        self.block_ids.truncate(ids_from);
        self.surface = outer;
    }

    /// A string's length in characters: at least `min`, at most `max`.
    #[doc(hidden)]
    #[inline]
    pub fn len(&mut self, value: Option<&str>, at: &Path<'_>, min: usize, max: usize) {
        let Some(s) = value else { return };
        // Characters never outnumber bytes, nor are they fewer than a quarter of them (rounded
        // up: n bytes hold at least ceil(n / 4) characters, which is at least `min` from
        // 4 * min - 3 bytes on): most strings need no counting.
        if s.len() <= max && s.len() + 3 >= min.saturating_mul(4) {
            return;
        }
        self.count_len(s, at, min, max);
    }

    fn count_len(&mut self, s: &str, at: &Path<'_>, min: usize, max: usize) {
        let actual = s.chars().count();
        if actual > max {
            self.push(at, ViolationKind::TooLong { max, actual });
        } else if actual < min {
            self.push(at, ViolationKind::TooShort { min, actual });
        }
    }

    /// A text object's text, at `at` (the path of the object; `.text` is added).
    #[doc(hidden)]
    #[inline]
    pub fn text<T: TextObject>(&mut self, value: Option<&T>, at: &Path<'_>, min: usize, max: usize) {
        if let Some(s) = value.and_then(TextObject::text_str) {
            self.len(Some(s), &at.key("text"), min, max);
        }
    }

    /// A list's length: at least `min`, at most `max`.
    #[doc(hidden)]
    #[inline]
    pub fn items(&mut self, len: Option<usize>, at: &Path<'_>, min: usize, max: usize) {
        match len {
            Some(actual) if actual > max => self.push(at, ViolationKind::TooManyItems { max, actual }),
            Some(actual) if actual < min => self.push(at, ViolationKind::TooFewItems { min, actual }),
            _ => {}
        }
    }

    /// A number's range.
    #[doc(hidden)]
    #[inline]
    pub fn range(&mut self, value: Option<i64>, at: &Path<'_>, min: Option<i64>, max: Option<i64>) {
        let Some(actual) = value else { return };
        if min.is_some_and(|m| actual < m) || max.is_some_and(|m| actual > m) {
            self.push(at, ViolationKind::OutOfRange { min, max, actual });
        }
    }

    /// An enumerated value outside the spec's list.
    #[doc(hidden)]
    pub fn not_allowed(&mut self, value: &str, at: &Path<'_>, allowed: &'static [&'static str]) {
        self.push(at, ViolationKind::NotAllowed { value: value.to_owned(), allowed });
    }

    /// A lenient object's field: `typed` when it holds a value; otherwise a value kept in `extra`
    /// under its name (`sent`) had another shape than `expected`, and no value at all breaks a
    /// `required` field. A `null` counts as no value.
    #[doc(hidden)]
    pub fn presence(&mut self, at: &Path<'_>, typed: bool, sent: Option<&serde_json::Value>, required: bool, expected: &'static str) {
        if typed {
            return;
        }
        match sent {
            Some(x) if !x.is_null() => self.push(at, ViolationKind::WrongShape { expected }),
            _ if required => self.push(at, ViolationKind::Missing),
            _ => {}
        }
    }

    /// A string's format.
    #[doc(hidden)]
    pub fn format(&mut self, value: Option<&str>, at: &Path<'_>, format: Format) {
        if let Some(s) = value {
            if !format.matches(s) {
                self.push(at, ViolationKind::BadFormat { format, value: s.to_owned() });
            }
        }
    }

    /// Exactly one of `fields` is set (`present` says which are).
    #[doc(hidden)]
    #[inline]
    pub fn exactly_one_of(&mut self, at: &Path<'_>, fields: &'static [&'static str], present: &[bool]) {
        let count = present.iter().filter(|p| **p).count();
        if count != 1 {
            self.push(at, ViolationKind::ExactlyOneOf { fields, present: count });
        }
    }

    /// At least one of `fields` is set.
    #[doc(hidden)]
    #[inline]
    pub fn at_least_one_of(&mut self, at: &Path<'_>, fields: &'static [&'static str], present: &[bool]) {
        if !present.iter().any(|p| *p) {
            self.push(at, ViolationKind::AtLeastOneOf { fields });
        }
    }

    /// An element that only some surfaces allow.
    #[doc(hidden)]
    pub fn surfaces(&mut self, at: &Path<'_>, kind: &str, allowed: &[Surface]) {
        if let Some(s) = self.surface {
            if !allowed.contains(&s) {
                self.push(at, ViolationKind::NotOnSurface { kind: kind.to_owned(), surface: s });
            }
        }
    }

    /// An element's `action_id`: unique within its block.
    #[doc(hidden)]
    #[inline]
    pub fn action_id(&mut self, id: Option<&'a str>, at: &Path<'_>) {
        let Some(id) = id else { return };
        if self.action_ids.contains(&id) {
            self.push(&at.key("action_id"), ViolationKind::DuplicateActionId { id: id.to_owned() });
        } else {
            self.action_ids.push(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(Format::Date.matches("1990-04-28"));
        assert!(!Format::Date.matches("1990-13-28"));
        assert!(!Format::Date.matches("90-04-28"));
        assert!(Format::Time.matches("23:59"));
        assert!(!Format::Time.matches("24:00"));
        assert!(Format::Decimal.matches("-12.5"));
        assert!(!Format::Decimal.matches("1."));
        assert!(!Format::Decimal.matches("abc"));
        assert!(Format::HexColor.matches("#F405B3"));
        assert!(!Format::HexColor.matches("#F405B"));
        assert!(Format::CssHexColor.matches("#0AA") && Format::CssHexColor.matches("#0000aa"));
        assert!(!Format::CssHexColor.matches("0000AA") && !Format::CssHexColor.matches("#00AA") && !Format::CssHexColor.matches("#GGG"));
        assert!(Format::HttpsUrl.matches("https://example.com") && Format::HttpsUrl.matches("HTTPS://example.com"));
        assert!(!Format::HttpsUrl.matches("http://example.com") && !Format::HttpsUrl.matches("https://") && !Format::HttpsUrl.matches("é"));
        assert!(Format::HttpUrl.matches("http://example.com") && Format::HttpUrl.matches("https://example.com"));
        assert!(!Format::HttpUrl.matches("ftp://example.com") && !Format::HttpUrl.matches("http://"));
        assert!(Format::SlashCommand.matches("/zork") && !Format::SlashCommand.matches("/") && !Format::SlashCommand.matches("zork"));
    }

    #[test]
    fn paths_and_numbers() {
        let root = Path::root("blocks");
        let b = root.index(2);
        let a = b.key("accessory");
        assert_eq!(a.key("text").to_string(), "blocks[2].accessory.text");
        assert_eq!(Path::root("").key("text").to_string(), "text");
        assert_eq!(n(3012), "3,012");
        assert_eq!(n(12_000_000), "12,000,000");
        assert_eq!(n(75), "75");
    }
}
