//! Image references, normalised so that `alpine:3.12`, `docker.io/alpine:3.12` and
//! `index.docker.io/library/alpine:3.12` name the same image. Anchore's engine fills in
//! `docker.io` and `latest` but keeps `library/` and `index.docker.io`, so an image that Syft
//! uploads as `index.docker.io/library/alpine:3.12` cannot be found as `alpine:3.12` there;
//! here it can.

/// A registry, repository and tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagReference {
    pub registry: String,
    pub repo: String,
    pub tag: String,
}

impl TagReference {
    /// Parses a reference as a user or client gives it. `None` when it names no repository.
    pub fn parse(input: &str) -> Option<TagReference> {
        let input = input.trim();
        // A digest suffix names content, not a tag; the tag part (if any) still counts.
        let input = input.split('@').next().unwrap_or_default();
        if input.is_empty() {
            return None;
        }
        let (registry, rest) = match input.split_once('/') {
            Some((first, rest)) if is_registry(first) => (first.to_ascii_lowercase(), rest),
            _ => ("docker.io".to_string(), input),
        };
        let registry = match registry.as_str() {
            "index.docker.io" | "registry-1.docker.io" => "docker.io".to_string(),
            _ => registry,
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (repo, tag) = match rest[last_slash..].rfind(':') {
            Some(colon) => (&rest[..last_slash + colon], &rest[last_slash + colon + 1..]),
            None => (rest, "latest"),
        };
        let repo = if registry == "docker.io" {
            repo.strip_prefix("library/").unwrap_or(repo)
        } else {
            repo
        };
        if repo.is_empty() || tag.is_empty() {
            return None;
        }
        Some(TagReference {
            registry,
            repo: repo.to_string(),
            tag: tag.to_string(),
        })
    }

    /// `registry/repo:tag`.
    pub fn full_tag(&self) -> String {
        format!("{}/{}:{}", self.registry, self.repo, self.tag)
    }

    /// `registry/repo@digest`.
    pub fn full_digest(&self, digest: &str) -> String {
        format!("{}/{}@{}", self.registry, self.repo, digest)
    }
}

/// Whether the first path component of a reference is a registry host rather than part of
/// a Docker Hub repository name: it has a dot or a port, or is `localhost`.
fn is_registry(component: &str) -> bool {
    component.contains('.') || component.contains(':') || component == "localhost"
}

/// Whether `text` is a manifest digest (`sha256:` and 64 lower-case hex digits).
pub fn is_digest(text: &str) -> bool {
    text.strip_prefix("sha256:").is_some_and(is_hex64)
}

/// Whether `text` is 64 hex digits (an image ID without its prefix).
pub fn is_hex64(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_hub_spellings_name_the_same_image() {
        let expected = "docker.io/alpine:3.12";
        for input in [
            "alpine:3.12",
            "docker.io/alpine:3.12",
            "docker.io/library/alpine:3.12",
            "index.docker.io/library/alpine:3.12",
        ] {
            assert_eq!(
                TagReference::parse(input).unwrap().full_tag(),
                expected,
                "{input}"
            );
        }
        assert_eq!(
            TagReference::parse("alpine").unwrap().full_tag(),
            "docker.io/alpine:latest"
        );
    }

    #[test]
    fn registries_with_ports_and_nested_repositories() {
        let reference = TagReference::parse("localhost:5000/team/app:1.0@sha256:abc").unwrap();
        assert_eq!(reference.registry, "localhost:5000");
        assert_eq!(reference.repo, "team/app");
        assert_eq!(reference.tag, "1.0");
        let reference = TagReference::parse("quay.io/library/app").unwrap();
        assert_eq!(reference.full_tag(), "quay.io/library/app:latest");
        assert_eq!(TagReference::parse(""), None);
        assert_eq!(TagReference::parse("app:"), None);
    }

    #[test]
    fn digests_and_image_ids() {
        let hex = "a".repeat(64);
        assert!(is_digest(&format!("sha256:{hex}")));
        assert!(!is_digest(&hex));
        assert!(is_hex64(&hex));
        assert!(!is_hex64("abc"));
    }
}
