//! Normalising paths inside an image root: absolute, `/`-separated, no `.` or `..`.

/// Joins `rel` onto the directory `base` and normalises the result lexically inside the
/// root: `..` at the root stays at the root, so no result can escape it.
pub(crate) fn join_in_root(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Normalises a tar entry name into an absolute path. `None` when the name climbs out of
/// the root with `..` or is an absolute path, which no well-formed layer contains (a bare
/// `/` for the root directory itself is common and harmless).
pub(crate) fn normalise_entry(name: &str) -> Option<String> {
    let trimmed = name.strip_prefix("./").unwrap_or(name);
    if trimmed.starts_with('/') && trimmed.trim_matches('/').is_empty() {
        return Some("/".to_string());
    }
    if trimmed.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in trimmed.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            other => parts.push(other),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// The parent directory of an absolute path (`/` for top-level entries and the root).
pub(crate) fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_stays_inside_the_root() {
        assert_eq!(
            join_in_root("/usr/lib", "../../../../etc/passwd"),
            "/etc/passwd"
        );
        assert_eq!(
            join_in_root("/etc", "../usr/lib/os-release"),
            "/usr/lib/os-release"
        );
        assert_eq!(join_in_root("/etc", "/usr/./lib//x"), "/usr/lib/x");
        assert_eq!(join_in_root("/", ".."), "/");
    }

    #[test]
    fn entries_that_climb_or_are_absolute_are_refused() {
        assert_eq!(normalise_entry("./usr/bin/"), Some("/usr/bin".to_string()));
        assert_eq!(
            normalise_entry("usr//bin/./x"),
            Some("/usr/bin/x".to_string())
        );
        assert_eq!(normalise_entry("./"), Some("/".to_string()));
        assert_eq!(normalise_entry("../etc/passwd"), None);
        assert_eq!(normalise_entry("usr/../../x"), None);
        assert_eq!(normalise_entry("/etc/passwd"), None);
        assert_eq!(normalise_entry("/"), Some("/".to_string()));
    }

    #[test]
    fn parents() {
        assert_eq!(parent("/etc/os-release"), "/etc");
        assert_eq!(parent("/etc"), "/");
        assert_eq!(parent("/"), "/");
    }
}
