//! Lexical helpers for the absolute paths of a view (no file system is consulted).

/// The directory part of an absolute path (`/` for a file at the root).
pub(crate) fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// An absolute path with `.`, `..` and repeated separators resolved lexically.
pub(crate) fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_and_clean() {
        assert_eq!(parent("/test.egg-info"), "/");
        assert_eq!(parent("/a/b/METADATA"), "/a/b");
        assert_eq!(clean("/a/./b/../c//d"), "/a/c/d");
        assert_eq!(clean("/../x"), "/x");
    }
}
