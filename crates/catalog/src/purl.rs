//! Package URLs (https://github.com/package-url/purl-spec), formed as Syft forms them.

/// The parts of a package URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageUrl {
    pub purl_type: String,
    pub namespace: String,
    pub name: String,
    pub version: String,
    /// Qualifiers; empty values are dropped and the rest are written sorted by key.
    pub qualifiers: Vec<(String, String)>,
}

impl PackageUrl {
    /// A URL of the given type and name with no namespace, version or qualifiers.
    pub fn new(purl_type: &str, name: &str) -> Self {
        PackageUrl {
            purl_type: purl_type.to_string(),
            name: name.to_string(),
            ..Default::default()
        }
    }

    /// Adds a qualifier (ignored when the value is empty).
    pub fn qualifier(mut self, key: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        if !value.is_empty() {
            self.qualifiers.push((key.to_string(), value));
        }
        self
    }
}

impl std::fmt::Display for PackageUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "pkg:{}/", self.purl_type)?;
        for segment in self.namespace.split('/').filter(|s| !s.is_empty()) {
            write!(f, "{}/", encode(segment))?;
        }
        f.write_str(&encode(&self.name))?;
        if !self.version.is_empty() {
            write!(f, "@{}", encode(&self.version))?;
        }
        let mut qualifiers: Vec<&(String, String)> = self.qualifiers.iter().collect();
        qualifiers.sort();
        for (position, (key, value)) in qualifiers.iter().enumerate() {
            let separator = if position == 0 { '?' } else { '&' };
            write!(f, "{separator}{key}={}", encode(value))?;
        }
        Ok(())
    }
}

/// Percent-encodes what would break the URL's structure, as Syft's purl library does:
/// `@`, `+`, `?`, `#`, space and non-ASCII text (as UTF-8 bytes). Everything else, `/` and
/// `:` included, stays literal, so a dpkg epoch reads `1:1.2.13` and a `vcs_url` qualifier
/// reads `git%2Bhttps://host/repo.git%40<commit>`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '@' | '+' | '?' | '#' | ' ') || !c.is_ascii() {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deb_purl_as_syft_writes_it() {
        let mut purl = PackageUrl::new("deb", "python3-yaml")
            .qualifier("upstream", "pyyaml@6.0-3")
            .qualifier("distro", "debian-12")
            .qualifier("arch", "amd64");
        purl.namespace = "debian".into();
        purl.version = "6.0-3+b2".into();
        assert_eq!(
            purl.to_string(),
            "pkg:deb/debian/python3-yaml@6.0-3%2Bb2?arch=amd64&distro=debian-12&upstream=pyyaml%406.0-3"
        );
        let mut zlib = PackageUrl::new("deb", "zlib1g").qualifier("epoch", "");
        zlib.version = "1:1.2.13.dfsg-1".into();
        assert_eq!(zlib.to_string(), "pkg:deb/zlib1g@1:1.2.13.dfsg-1");
    }

    #[test]
    fn language_purls_keep_slashes_and_colons() {
        let purl = PackageUrl {
            version: "2.6.1".into(),
            ..PackageUrl::new("pypi", "pygments")
        }
        .qualifier(
            "vcs_url",
            "git+https://github.com/python-test/test.git@aaaa",
        );
        assert_eq!(
            purl.to_string(),
            "pkg:pypi/pygments@2.6.1?vcs_url=git%2Bhttps://github.com/python-test/test.git%40aaaa"
        );
        let scoped = PackageUrl {
            namespace: "@actions".into(),
            version: "1.6.0".into(),
            ..PackageUrl::new("npm", "core")
        };
        assert_eq!(scoped.to_string(), "pkg:npm/%40actions/core@1.6.0");
        let local = PackageUrl {
            version: "1.0+local é".into(),
            ..PackageUrl::new("pypi", "x")
        };
        assert_eq!(local.to_string(), "pkg:pypi/x@1.0%2Blocal%20%C3%A9");
    }
}
