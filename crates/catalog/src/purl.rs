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
            write!(f, "{}/", encode(segment, true))?;
        }
        f.write_str(&encode(&self.name, true))?;
        if !self.version.is_empty() {
            write!(f, "@{}", encode(&self.version, true))?;
        }
        let mut qualifiers: Vec<&(String, String)> = self.qualifiers.iter().collect();
        qualifiers.sort();
        for (position, (key, value)) in qualifiers.iter().enumerate() {
            let separator = if position == 0 { '?' } else { '&' };
            write!(f, "{separator}{key}={}", encode(value, false))?;
        }
        Ok(())
    }
}

/// Percent-encodes all but the unreserved characters (RFC 3986); colons stay literal in
/// names and versions (so a dpkg epoch reads `1:1.2.13`), as the purl spec allows.
fn encode(text: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || (keep_colon && byte == b':');
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
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
}
