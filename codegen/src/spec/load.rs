//! What every kind's loading shares: source files kept in memory, errors at a file, line and
//! column, the position of a node found by its path, and reading YAML files from disk or git.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};


/// One problem in the spec, at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// Path as given to the loader (relative to the repository root when loaded by xtask).
    pub file: PathBuf,
    /// 1-based; 0 when the problem concerns the file as a whole.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(f, "{}:{}:{}: {}", self.file.display(), self.line, self.column, self.message)
        }
    }
}

/// All problems found in one load; loading does not stop at the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

/// A source file kept in memory so that later stages can point into it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    /// Reads the file at `path`, named in messages without the `display_root` prefix; one that
    /// cannot be read is an error naming it.
    pub(crate) fn read(path: &Path, display_root: &Path) -> Result<SourceFile, SpecError> {
        let shown = path.strip_prefix(display_root).unwrap_or(path).to_path_buf();
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(SourceFile { path: shown, text }),
            Err(e) => Err(SpecError { file: shown, line: 0, column: 0, message: format!("cannot read: {e}") }),
        }
    }

    /// An error at the node that `path` leads to (falling back to the whole file when the
    /// node cannot be found, which only happens if the text and the parsed value disagree).
    pub fn error_at(&self, path: &[Seg], message: impl Into<String>) -> SpecError {
        let (line, column) = locate(&self.text, path).unwrap_or((0, 0));
        SpecError { file: self.path.clone(), line, column, message: message.into() }
    }

    /// The 1-based line of the node at `path`, if it exists.
    pub fn line_of(&self, path: &[Seg]) -> Option<usize> {
        locate(&self.text, path).map(|(l, _)| l)
    }

    pub(crate) fn parse<T: de::DeserializeOwned>(&self) -> Result<T, SpecError> {
        serde_yaml::from_str(&self.text).map_err(|e| {
            let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0));
            SpecError { file: self.path.clone(), line, column, message: yaml_message(&e) }
        })
    }
}

/// Parses each file as `T`; a file that does not parse adds its error to `errors` and is left
/// out, so that every file's error is reported at once.
pub(crate) fn parse_each<T: de::DeserializeOwned>(files: Vec<SourceFile>, errors: &mut Vec<SpecError>) -> Vec<(SourceFile, T)> {
    let mut out = Vec::new();
    for src in files {
        match src.parse::<T>() {
            Ok(spec) => out.push((src, spec)),
            Err(e) => errors.push(e),
        }
    }
    out
}

/// A loader's result: the errors met reading its files (first) and those of parsing what was
/// read, or the parsed value when there are none.
pub(crate) fn after_reading<T>(mut read_errors: Vec<SpecError>, parsed: Result<T, SpecErrors>) -> Result<T, SpecErrors> {
    match parsed {
        Ok(l) if read_errors.is_empty() => Ok(l),
        Ok(_) => Err(SpecErrors(read_errors)),
        Err(SpecErrors(more)) => {
            read_errors.extend(more);
            Err(SpecErrors(read_errors))
        }
    }
}

/// serde_yaml's message without its own " at line L column C" suffix (we print the position in
/// front, compiler style).
fn yaml_message(e: &serde_yaml::Error) -> String {
    let full = e.to_string();
    match full.find(" at line ") {
        Some(i) if e.location().is_some() => full[..i].to_owned(),
        _ => full,
    }
}

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// The value of mapping key `name`; `nth` counts repeated keys (0 = first).
    Key(String, usize),
    /// The key itself (rather than its value) of the `nth` occurrence of `name`.
    KeyName(String, usize),
    Index(usize),
}

impl Seg {
    pub fn key(name: &str) -> Seg {
        Seg::Key(name.to_owned(), 0)
    }
}

/// Finds the line and column (1-based) of the node that `path` leads to, by deserializing the
/// text once more with a seed that fails on arrival: serde_yaml marks the failure with the
/// position of the node it was reading. Costs nothing unless an error is being reported.
pub fn locate(text: &str, path: &[Seg]) -> Option<(usize, usize)> {
    const FOUND: &str = "\u{0}located";
    let de = serde_yaml::Deserializer::from_str(text);
    match Locate(path).deserialize(de) {
        Err(e) if e.to_string().contains(FOUND) => e.location().map(|l| (l.line(), l.column())),
        _ => None,
    }
}

struct Locate<'p>(&'p [Seg]);

impl<'de> DeserializeSeed<'de> for Locate<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Locate<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.0.split_first() else { return Err(found()) };
        let (want, nth, at_key) = match first {
            Seg::Key(k, nth) => (k.as_str(), *nth, false),
            Seg::KeyName(k, nth) => (k.as_str(), *nth, true),
            Seg::Index(_) => return Err(de::Error::custom("not found")),
        };
        let mut seen = 0;
        loop {
            // For `KeyName`, the key seed itself fails on the wanted occurrence, so the error
            // carries the key's own position.
            let seed = KeySeed { want, fail_at: at_key.then_some(nth), seen: &mut seen };
            match map.next_key_seed(seed)? {
                None => return Err(de::Error::custom("not found")),
                Some(true) if seen == nth + 1 => return map.next_value_seed(Locate(rest)),
                Some(_) => map.next_value::<IgnoredAny>()?,
            };
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.0.split_first() else { return Err(found()) };
        let Seg::Index(want) = first else { return Err(de::Error::custom("not found")) };
        let mut i = 0;
        loop {
            if i == *want {
                return match seq.next_element_seed(Locate(rest))? {
                    Some(()) => Ok(()),
                    None => Err(de::Error::custom("not found")),
                };
            }
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Err(de::Error::custom("not found"));
            }
            i += 1;
        }
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar()
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }
}

impl Locate<'_> {
    fn scalar<E: de::Error>(&self) -> Result<(), E> {
        if self.0.is_empty() { Err(found()) } else { Err(E::custom("not found")) }
    }
}

/// Reads a mapping key; `true` when it is `want`. Counts matches in `seen` and fails (marking the
/// key's position) on match number `fail_at`.
struct KeySeed<'a> {
    want: &'a str,
    fail_at: Option<usize>,
    seen: &'a mut usize,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        if v != self.want {
            return Ok(false);
        }
        if self.fail_at == Some(*self.seen) {
            return Err(found());
        }
        *self.seen += 1;
        Ok(true)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
}

fn found<E: de::Error>() -> E {
    E::custom("\u{0}located")
}

/// The `.yaml` files under `dir` (`spec/methods`, `spec/blocks/`…; with `recursive`, those of
/// its subfolders too) as of git revision `rev` of the repository at `repo`, each named
/// `rev:path`. One `git cat-file --batch` reads them all rather than a process per file.
pub fn yaml_files_at_rev(repo: &Path, rev: &str, dir: &str, recursive: bool) -> Result<Vec<SourceFile>, String> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut args = vec!["ls-tree", "--name-only"];
    if recursive {
        args.push("-r");
    }
    args.extend([rev, "--", dir]);
    let list = Command::new("git").current_dir(repo).args(&args).output().map_err(|e| format!("cannot run git: {e}"))?;
    if !list.status.success() {
        return Err(format!("git ls-tree {rev}: {}", String::from_utf8_lossy(&list.stderr).trim()));
    }
    let paths: Vec<String> =
        String::from_utf8_lossy(&list.stdout).lines().filter(|p| p.ends_with(".yaml")).map(str::to_owned).collect();
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = Command::new("git")
        .current_dir(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin for git")?;
    let request: String = paths.iter().map(|p| format!("{rev}:{p}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let output = child.wait_with_output().map_err(|e| format!("git cat-file: {e}"))?;
    let _ = writer.join();
    let mut data = &output.stdout[..];
    let mut files = Vec::new();
    for p in &paths {
        let nl = data.iter().position(|&b| b == b'\n').ok_or("git cat-file: truncated output")?;
        let header = String::from_utf8_lossy(&data[..nl]).into_owned();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("git cat-file: unexpected header `{header}` for {p}"))?;
        let body = data.get(nl + 1..nl + 1 + size).ok_or("git cat-file: truncated output")?;
        files.push(SourceFile { path: format!("{rev}:{p}").into(), text: String::from_utf8_lossy(body).into_owned() });
        data = data.get(nl + 1 + size + 1..).unwrap_or_default();
    }
    Ok(files)
}

/// One file of a corrections folder: its name and text, or why it cannot be one.
pub type NamedFile = Result<(String, SourceFile), SpecError>;

/// The `<name>.yaml` files of a corrections folder, sorted by path, each read as a source shown
/// relative to `display_root` and keyed by its name; a file of another name or one that cannot
/// be read is an error in its place (`what` names the expected file: `<method>`). A missing
/// folder holds none. With `skip_dirs`, subfolders (other corrections) are passed over.
pub fn named_yaml_files(
    dir: &Path,
    display_root: &Path,
    what: &str,
    skip_dirs: bool,
) -> Result<Vec<NamedFile>, Vec<SpecError>> {
    let shown = |p: &Path| p.strip_prefix(display_root).unwrap_or(p).to_path_buf();
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(e) => e.flatten().map(|e| e.path()).filter(|p| !(skip_dirs && p.is_dir())).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(vec![SpecError { file: shown(dir), line: 0, column: 0, message: e.to_string() }]),
    };
    paths.sort();
    Ok(paths
        .into_iter()
        .map(|p| {
            let file = shown(&p);
            let Some(name) = p.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".yaml")) else {
                return Err(SpecError { file, line: 0, column: 0, message: format!("expected `{what}.yaml`") });
            };
            let name = name.to_owned();
            match std::fs::read_to_string(&p) {
                Ok(text) => Ok((name, SourceFile { path: file, text })),
                Err(e) => Err(SpecError { file, line: 0, column: 0, message: e.to_string() }),
            }
        })
        .collect())
}
