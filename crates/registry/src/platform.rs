//! Platforms (`linux/arm64/v8`) and choosing one manifest from an index.

use std::fmt;

use serde::Deserialize;

use crate::manifest::{Descriptor, Index};

/// An OS, architecture and optional variant.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Platform {
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub architecture: String,
    #[serde(default)]
    pub variant: Option<String>,
}

impl Platform {
    /// Parses `OS/ARCH[/VARIANT]`.
    pub fn parse(text: &str) -> Option<Platform> {
        let mut parts = text.split('/');
        let os = parts.next().filter(|p| !p.is_empty())?;
        let architecture = parts.next().filter(|p| !p.is_empty())?;
        let variant = parts.next().map(str::to_string);
        if parts.next().is_some() || variant.as_deref() == Some("") {
            return None;
        }
        Some(Platform {
            os: os.to_string(),
            architecture: architecture.to_string(),
            variant,
        })
    }

    /// Linux on the host's architecture, spelled as image configs spell it.
    pub fn host() -> Platform {
        let architecture = match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            "x86" => "386",
            "powerpc64" => "ppc64le",
            other => other,
        };
        Platform {
            os: "linux".to_string(),
            architecture: architecture.to_string(),
            variant: None,
        }
    }

    /// Whether an index entry's platform satisfies this wanted one: a wanted platform
    /// without a variant accepts any variant.
    fn accepts(&self, offered: &Platform) -> bool {
        self.os == offered.os
            && self.architecture == offered.architecture
            && (self.variant.is_none() || self.variant == offered.variant)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(variant) = &self.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

/// The manifest descriptor of an index for `wanted`, or the platforms it offers. Entries
/// without a platform (attestations, signatures) are never chosen.
pub(crate) fn choose(index: &Index, wanted: &Platform) -> Result<Descriptor, Vec<String>> {
    index
        .manifests
        .iter()
        .find(|d| d.platform.as_ref().is_some_and(|p| wanted.accepts(p)))
        .cloned()
        .ok_or_else(|| {
            index
                .manifests
                .iter()
                .filter_map(|d| d.platform.as_ref())
                .filter(|p| p.os != "unknown")
                .map(Platform::to_string)
                .collect()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_parse_and_match_with_optional_variants() {
        let index: Index = serde_json::from_str(
            r#"{"manifests": [
                {"digest": "sha256:1", "platform": {"os": "linux", "architecture": "amd64"}},
                {"digest": "sha256:2", "platform": {"os": "linux", "architecture": "arm", "variant": "v7"}},
                {"digest": "sha256:3", "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
                {"digest": "sha256:4", "platform": {"os": "unknown", "architecture": "unknown"}}
            ]}"#,
        )
        .unwrap();
        let pick = |text: &str| choose(&index, &Platform::parse(text).unwrap());
        assert_eq!(pick("linux/amd64").unwrap().digest, "sha256:1");
        assert_eq!(pick("linux/arm64").unwrap().digest, "sha256:3");
        assert_eq!(pick("linux/arm/v7").unwrap().digest, "sha256:2");
        assert_eq!(
            pick("linux/arm/v6").unwrap_err(),
            ["linux/amd64", "linux/arm/v7", "linux/arm64/v8"]
        );
        assert_eq!(Platform::parse("linux"), None);
        assert_eq!(Platform::parse("linux/arm64/v8/x"), None);
        assert_eq!(
            Platform::parse("linux/arm64/v8").unwrap().to_string(),
            "linux/arm64/v8"
        );
    }
}
