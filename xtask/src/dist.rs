//! `cargo xtask dist`: the release bundle, ready to copy to a static host.

use anyhow::{Context, Result, bail};

use crate::tools::ensure_build_tools;
use crate::workspace::{Workspace, announce, run};

/// Options of `cargo xtask dist`.
#[derive(Debug)]
pub struct DistOptions {
    /// Path the app is served under, such as `/support/cases/`.
    pub base: Option<String>,
}

/// Installs the missing build tools and builds the release bundle in `dist/`.
pub fn dist(workspace: &Workspace, options: &DistOptions) -> Result<()> {
    let base = options
        .base
        .as_deref()
        .map(normalize_base_path)
        .transpose()?;

    ensure_build_tools(workspace)?;
    build_release_bundle(workspace, base.as_deref())?;

    println!("dist/ is ready: serve it so that unknown paths return index.html (or 404.html).");
    Ok(())
}

/// Builds `dist/` with `trunk build --release`, sets its `<base href>` when a
/// base path is given and writes `dist/404.html` for static hosts that cannot
/// rewrite unknown paths to `index.html`. The demo and the tests use this too,
/// so they run what `cargo xtask dist` ships.
pub fn build_release_bundle(workspace: &Workspace, base: Option<&str>) -> Result<()> {
    trunk_build_release(workspace)?;

    let index_path = workspace.root.join("dist/index.html");
    let mut index = std::fs::read_to_string(&index_path)
        .with_context(|| format!("failed to read {}", index_path.display()))?;
    if let Some(base) = base {
        announce(&format!(
            "Setting <base href=\"{base}\"> in dist/index.html"
        ));
        index = rewrite_base_href(&index, base)?;
        std::fs::write(&index_path, &index)
            .with_context(|| format!("failed to write {}", index_path.display()))?;
    }

    if let Some(base) = base {
        let config_path = workspace.root.join("dist/config.json");
        let config = std::fs::read_to_string(&config_path)
            .with_context(|| format!("failed to read {}", config_path.display()))?;
        announce(&format!(
            "Setting \"basePath\": \"{base}\" in dist/config.json"
        ));
        std::fs::write(&config_path, set_base_path(&config, base)?)
            .with_context(|| format!("failed to write {}", config_path.display()))?;
    }

    announce("Writing dist/404.html as a copy of dist/index.html");
    let not_found_path = workspace.root.join("dist/404.html");
    std::fs::write(&not_found_path, &index)
        .with_context(|| format!("failed to write {}", not_found_path.display()))
}

/// Runs `trunk build --release`, which writes `dist/`.
fn trunk_build_release(workspace: &Workspace) -> Result<()> {
    announce("Building the app: trunk build --release");
    run(
        workspace.command("trunk").args(["build", "--release"]),
        "trunk build --release",
        "read Trunk's and rustc's errors above, fix them and rerun",
    )
}

/// Checks a base path and gives it a leading and a trailing slash, which a
/// `<base href>` needs so that relative asset links resolve inside it.
pub fn normalize_base_path(base: &str) -> Result<String> {
    let trimmed = base.trim().trim_matches('/');
    let forbidden =
        |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '?' | '#' | '\\');
    if trimmed.contains(forbidden) {
        bail!("invalid --base {base:?}: use a plain URL path such as /support/cases/");
    }
    if trimmed.is_empty() {
        return Ok("/".to_string());
    }
    Ok(format!("/{trimmed}/"))
}

/// Sets `basePath` in the text of a `config.json`, keeping the rest of the
/// file as it was written (key order, spacing and comments on other keys).
/// The router needs this value to match `<base href>`, or its links leave
/// the sub-path.
pub fn set_base_path(config: &str, base: &str) -> Result<String> {
    let parsed: serde_json::Value = serde_json::from_str(config)
        .context("public/config.json is not valid JSON: fix it and rerun")?;
    let object = parsed
        .as_object()
        .context("public/config.json must hold a JSON object")?;
    let value = serde_json::to_string(base)?;

    if !object.contains_key("basePath") {
        let brace = config
            .find('{')
            .context("public/config.json has no opening brace")?;
        let rest = &config[brace + 1..];
        let separator = if object.is_empty() { "" } else { "," };
        return Ok(format!(
            "{}{{\n  \"basePath\": {value}{separator}{rest}",
            &config[..brace]
        ));
    }

    // The key's value is the first string after `"basePath"` and its colon.
    let key = config
        .find("\"basePath\"")
        .context("public/config.json names basePath in an escaped form: write it plainly")?;
    let after_key = key + "\"basePath\"".len();
    let colon = after_key
        + config[after_key..]
            .find(':')
            .context("no colon after basePath in public/config.json")?;
    let start = colon
        + 1
        + config[colon + 1..]
            .find('"')
            .context("basePath in public/config.json is not a string")?;
    if !config[colon + 1..start].trim().is_empty() {
        bail!("basePath in public/config.json is not a string: write it as \"/\"");
    }
    let mut end = start + 1;
    let bytes = config.as_bytes();
    while end < bytes.len() && bytes[end] != b'"' {
        end += if bytes[end] == b'\\' { 2 } else { 1 };
    }
    if end >= bytes.len() {
        bail!("basePath in public/config.json is not a closed string");
    }

    Ok(format!("{}{value}{}", &config[..start], &config[end + 1..]))
}

/// Replaces the `href` of the first `<base>` element in an HTML page.
pub fn rewrite_base_href(html: &str, base: &str) -> Result<String> {
    let tag_start = html.find("<base ").context(
        "dist/index.html has no <base href> element: keep `<base href=\"/\" />` in index.html",
    )?;
    let tag_end = tag_start
        + html[tag_start..]
            .find('>')
            .context("the <base> element in dist/index.html is not closed")?;
    let tag = &html[tag_start..tag_end];

    let href_start = tag
        .find("href=\"")
        .context("the <base> element in dist/index.html has no double-quoted href")?
        + "href=\"".len();
    let href_end = href_start
        + tag[href_start..]
            .find('"')
            .context("the href of the <base> element in dist/index.html is not closed")?;

    let absolute_start = tag_start + href_start;
    let absolute_end = tag_start + href_end;
    Ok(format!(
        "{}{base}{}",
        &html[..absolute_start],
        &html[absolute_end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_replaces_value_in_place() {
        let config = "{\n  \"apiBaseUrl\": \"https://api\",\n  \"basePath\": \"/\",\n  \"pageSize\": 20\n}\n";

        let written = set_base_path(config, "/support/cases/").unwrap();

        assert_eq!(
            written,
            "{\n  \"apiBaseUrl\": \"https://api\",\n  \"basePath\": \"/support/cases/\",\n  \"pageSize\": 20\n}\n"
        );
    }

    #[test]
    fn base_path_is_added_when_missing() {
        let written = set_base_path("{\"pageSize\": 20}", "/x/").unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&written).unwrap();

        assert_eq!(parsed["basePath"], "/x/");
        assert_eq!(parsed["pageSize"], 20);
        assert_eq!(
            set_base_path("{}", "/x/").unwrap(),
            "{\n  \"basePath\": \"/x/\"}"
        );
    }

    #[test]
    fn base_path_skips_escaped_quotes() {
        let written = set_base_path(r#"{"basePath": "/a\"b/", "x": 1}"#, "/c/").unwrap();

        assert_eq!(written, r#"{"basePath": "/c/", "x": 1}"#);
    }

    #[test]
    fn base_path_rejects_invalid_config() {
        assert!(set_base_path("not json", "/x/").is_err());
        assert!(set_base_path("[]", "/x/").is_err());
        assert!(set_base_path(r#"{"basePath": 3}"#, "/x/").is_err());
        assert!(set_base_path(r#"{"basePath": 3, "x": "y"}"#, "/x/").is_err());
    }

    #[test]
    fn base_path_gets_slashes() {
        assert_eq!(
            normalize_base_path("support/cases").unwrap(),
            "/support/cases/"
        );
        assert_eq!(
            normalize_base_path("/support/cases/").unwrap(),
            "/support/cases/"
        );
        assert_eq!(normalize_base_path("/").unwrap(), "/");
    }

    #[test]
    fn base_path_rejects_markup() {
        assert!(normalize_base_path("/a\"><script>").is_err());
        assert!(normalize_base_path("/a b/").is_err());
        assert!(normalize_base_path("/cases?x=1").is_err());
    }

    #[test]
    fn base_href_is_replaced() {
        let html = "<head>\n<meta charset=\"utf-8\" />\n<base href=\"/\" />\n<title>x</title>";
        let rewritten = rewrite_base_href(html, "/support/cases/").unwrap();
        assert_eq!(
            rewritten,
            "<head>\n<meta charset=\"utf-8\" />\n<base href=\"/support/cases/\" />\n<title>x</title>"
        );
    }

    #[test]
    fn base_href_without_self_closing_slash() {
        let rewritten =
            rewrite_base_href("<base href=\"/old/\"><link href=\"a.css\">", "/new/").unwrap();
        assert_eq!(rewritten, "<base href=\"/new/\"><link href=\"a.css\">");
    }

    #[test]
    fn base_href_missing_element() {
        let error = rewrite_base_href("<head></head>", "/x/")
            .unwrap_err()
            .to_string();
        assert!(error.contains("no <base href>"), "{error}");
    }
}
