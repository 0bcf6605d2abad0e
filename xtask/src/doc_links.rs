//! Checks the relative links of rendered rustdoc pages: every `href` to a file of the same
//! documentation must name a file that exists.
//!
//! The generated code is compiled in crates below `slack-api` and links to its client with
//! relative links (`../struct.Client.html`), because an intra-doc link cannot reach a crate
//! that depends on the one it is written in; rustdoc does not check those, so this does, on the
//! pages `cargo doc -p slack-api` writes. Links with an anchor are checked up to the `#`.
//! Not checked: absolute URLs, rustdoc's script templates (`${f}`), and `href`s that are Rust paths (`super::Subscriber`), which
//! rustdoc leaves in place for unresolved links in other crates' documentation it shows (the
//! blanket implementations of tracing's traits).

use std::path::{Path, PathBuf};

/// A link to a file that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The page, relative to the checked directory's parent.
    pub page: PathBuf,
    /// The `href` as written.
    pub href: String,
}

/// Every broken relative link under `dir` (a crate's documentation, e.g. `target/doc/slack_api`),
/// and how many relative links were checked.
pub fn check(dir: &Path) -> std::io::Result<(Vec<Broken>, usize)> {
    let base = dir.parent().unwrap_or(dir);
    let mut pages = Vec::new();
    collect(dir, &mut pages)?;
    pages.sort();
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in pages {
        let html = std::fs::read_to_string(&page)?;
        let folder = page.parent().unwrap_or(base);
        for href in hrefs(&html) {
            let Some(target) = local_target(href) else { continue };
            checked += 1;
            if !folder.join(target).exists() {
                let shown = page.strip_prefix(base).unwrap_or(&page).to_path_buf();
                broken.push(Broken { page: shown, href: href.to_owned() });
            }
        }
    }
    Ok((broken, checked))
}

/// The values of the `href="…"` attributes of a page.
fn hrefs(html: &str) -> impl Iterator<Item = &str> {
    html.split("href=\"").skip(1).filter_map(|rest| rest.split_once('"').map(|(value, _)| value))
}

/// The file a link points to, if it is a relative link to a file of the documentation.
fn local_target(href: &str) -> Option<&str> {
    let path = href.split(['#', '?']).next().unwrap_or("");
    // `${…}`: a template in rustdoc's own script-built markup, not a link.
    let external = path.contains("://") || path.starts_with('/') || path.starts_with("mailto:") || path.contains("${");
    let rust_path = path.contains("::") || !path.contains('.');
    (!path.is_empty() && !external && !rust_path).then_some(path)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "html") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_link_to_a_missing_page_and_passes_the_rest() {
        let root = std::env::temp_dir().join(format!("doc-links-{}", std::process::id()));
        let docs = root.join("krate");
        std::fs::create_dir_all(docs.join("chat")).unwrap();
        std::fs::write(docs.join("struct.Client.html"), "").unwrap();
        std::fs::write(
            docs.join("chat/struct.Post.html"),
            r##"<a href="../struct.Client.html#method.call">ok</a> <a href="struct.Client.html">missing</a>
               <a href="https://docs.slack.dev/x.html">external</a> <a href="super::Subscriber">rust path</a>
               <a href="#fields">anchor</a> <a href="../static.files/${f}">template</a>"##,
        )
        .unwrap();
        let (broken, checked) = check(&docs).unwrap();
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(checked, 2, "the two relative file links");
        assert_eq!(broken, [Broken { page: PathBuf::from("krate/chat/struct.Post.html"), href: "struct.Client.html".into() }]);
    }
}
