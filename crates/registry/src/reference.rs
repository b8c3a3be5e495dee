//! Image references as Docker spells them: `[HOST[:PORT]/]REPOSITORY[:TAG][@DIGEST]`.
//! A bare name means Docker Hub (`alpine:3.12` is `docker.io/library/alpine:3.12`), and no
//! tag or digest means `latest`, following the grammar of the distribution project's
//! `reference` package.

use std::fmt;

use crate::RegistryError;

/// The registry that bare names live in.
pub const DOCKER_HUB: &str = "docker.io";
/// Where Docker Hub's v2 API is served.
const DOCKER_HUB_API: &str = "registry-1.docker.io";

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The registry host and port as written (`docker.io` for Docker Hub).
    pub registry: String,
    /// The repository path inside the registry (`library/alpine`).
    pub repository: String,
    /// The tag, unless only a digest was given.
    pub tag: Option<String>,
    /// The manifest digest (`sha256:…`), when given.
    pub digest: Option<String>,
}

impl Reference {
    /// Parses a reference, filling in Docker Hub and `latest` as Docker does.
    pub fn parse(input: &str) -> Result<Reference, RegistryError> {
        let bad = |reason: &str| RegistryError::Reference {
            input: input.to_string(),
            reason: reason.to_string(),
        };
        let (name, digest) = match input.split_once('@') {
            Some((name, digest)) => {
                if !is_digest(digest) {
                    return Err(bad("the digest is not `ALGORITHM:HEX`"));
                }
                (name, Some(digest.to_string()))
            }
            None => (input, None),
        };
        let (registry, rest) = match name.split_once('/') {
            Some((first, rest)) if is_registry(first) => (first.to_ascii_lowercase(), rest),
            _ => (DOCKER_HUB.to_string(), name),
        };
        let registry = match registry.as_str() {
            "index.docker.io" | "registry-1.docker.io" => DOCKER_HUB.to_string(),
            _ => registry,
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match rest[last_slash..].rfind(':') {
            Some(colon) => (
                &rest[..last_slash + colon],
                Some(&rest[last_slash + colon + 1..]),
            ),
            None => (rest, None),
        };
        if !is_repository(repository) {
            return Err(bad(
                "the repository must be lower-case letters, digits and `._-` separators, \
                 in `/`-separated parts",
            ));
        }
        if let Some(tag) = tag {
            if !is_tag(tag) {
                return Err(bad(
                    "the tag must be 1 to 128 letters, digits, `_`, `.` or `-`",
                ));
            }
        }
        let repository = if registry == DOCKER_HUB && !repository.contains('/') {
            format!("library/{repository}")
        } else {
            repository.to_string()
        };
        let tag = match (tag, &digest) {
            (Some(tag), _) => Some(tag.to_string()),
            (None, Some(_)) => None,
            (None, None) => Some("latest".to_string()),
        };
        Ok(Reference {
            registry,
            repository,
            tag,
            digest,
        })
    }

    /// Whether `input` reads as an image reference at all (for telling references from
    /// paths that do not exist).
    pub fn looks_like(input: &str) -> bool {
        !input.starts_with(['.', '/', '~']) && Reference::parse(input).is_ok()
    }

    /// The host (and port) that serves the registry's API.
    pub fn api_host(&self) -> &str {
        if self.registry == DOCKER_HUB {
            DOCKER_HUB_API
        } else {
            &self.registry
        }
    }

    /// What the manifest endpoint is asked for: the digest when there is one, else the tag.
    pub fn target(&self) -> &str {
        self.digest
            .as_deref()
            .or(self.tag.as_deref())
            .unwrap_or("latest")
    }

    /// `registry/repository:tag`, the name an image is recorded under (without a digest).
    pub fn tagged_name(&self) -> Option<String> {
        let tag = self.tag.as_ref()?;
        Some(format!("{}/{}:{tag}", self.registry, self.repository))
    }

    /// `registry/repository@digest`.
    pub fn with_digest(&self, digest: &str) -> String {
        format!("{}/{}@{digest}", self.registry, self.repository)
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

/// Whether the first part of a name is a registry host rather than part of a Docker Hub
/// repository: it has a dot or a port, or is `localhost`.
fn is_registry(component: &str) -> bool {
    let host_chars = component
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        && component.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '[');
    host_chars && (component.contains('.') || component.contains(':') || component == "localhost")
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/…)*`, the distribution grammar's path components.
fn is_repository(repository: &str) -> bool {
    !repository.is_empty()
        && repository.len() <= 255
        && repository.split('/').all(|part| {
            let bytes = part.as_bytes();
            !part.is_empty()
                && bytes[0].is_ascii_alphanumeric()
                && bytes[bytes.len() - 1].is_ascii_alphanumeric()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        })
}

/// `[\w][\w.-]{0,127}`.
fn is_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    !tag.is_empty()
        && tag.len() <= 128
        && word(tag.as_bytes()[0])
        && tag.bytes().all(|b| word(b) || b == b'.' || b == b'-')
}

/// `ALGORITHM:HEX` with at least 32 hex digits; `sha256` needs exactly 64.
pub(crate) fn is_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let algorithm_ok = !algorithm.is_empty()
        && algorithm
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+._-".contains(&b));
    let hex_ok = hex.len() >= 32
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    algorithm_ok && hex_ok && (algorithm != "sha256" || hex.len() == 64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_hub_names_get_library_and_latest() {
        for (input, expected) in [
            ("alpine", "docker.io/library/alpine:latest"),
            ("alpine:3.12", "docker.io/library/alpine:3.12"),
            ("docker.io/alpine:3.12", "docker.io/library/alpine:3.12"),
            (
                "index.docker.io/library/alpine:3.12",
                "docker.io/library/alpine:3.12",
            ),
            ("bitnami/redis:7", "docker.io/bitnami/redis:7"),
        ] {
            assert_eq!(
                Reference::parse(input).unwrap().to_string(),
                expected,
                "{input}"
            );
        }
        let hub = Reference::parse("alpine").unwrap();
        assert_eq!(hub.api_host(), "registry-1.docker.io");
    }

    #[test]
    fn hosts_ports_digests_and_nested_repositories() {
        let digest = format!("sha256:{}", "a".repeat(64));
        let reference = Reference::parse(&format!("localhost:5000/team/app@{digest}")).unwrap();
        assert_eq!(reference.registry, "localhost:5000");
        assert_eq!(reference.repository, "team/app");
        assert_eq!(reference.tag, None);
        assert_eq!(reference.target(), digest);
        let reference = Reference::parse(&format!("127.0.0.1:5000/app:1.0@{digest}")).unwrap();
        assert_eq!(reference.tag.as_deref(), Some("1.0"));
        assert_eq!(reference.target(), digest, "the digest wins over the tag");
        assert_eq!(reference.api_host(), "127.0.0.1:5000");
        let reference = Reference::parse("quay.io/prometheus/node-exporter").unwrap();
        assert_eq!(
            reference.to_string(),
            "quay.io/prometheus/node-exporter:latest"
        );
    }

    #[test]
    fn malformed_references_are_refused() {
        for input in [
            "",
            "Alpine",
            "alpine:",
            "alpine:-x",
            "host.io/",
            "alpine@sha256:abc",
            "a//b",
            "app-:1",
            "./image.tar",
        ] {
            assert!(Reference::parse(input).is_err(), "{input}");
        }
        assert!(!Reference::looks_like("/tmp/image.tar"));
        assert!(Reference::looks_like("alpine:3.12"));
    }
}
