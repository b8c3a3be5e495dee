//! Package URLs, as far as SBOM formats need them: reading a PURL's parts, adding the
//! qualifier Syft puts in CycloneDX `bom-ref`s, and mapping PURL types onto Syft's package
//! types and languages.

use plimsoll_model::{Distro, PackageType};

/// A parsed package URL (`pkg:type/namespace/name@version?qualifiers#subpath`), with every
/// part percent-decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Purl {
    pub purl_type: String,
    pub namespace: String,
    pub name: String,
    pub version: String,
    pub qualifiers: Vec<(String, String)>,
}

impl Purl {
    /// Parses a package URL; `None` when it lacks the `pkg:` scheme, a type or a name.
    pub fn parse(text: &str) -> Option<Purl> {
        let scheme_end = text.find(':')?;
        if !text[..scheme_end].eq_ignore_ascii_case("pkg") {
            return None;
        }
        let rest = text[scheme_end + 1..].trim_start_matches('/');
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));

        let (path, version) = match path.rsplit_once('@') {
            Some((path, version)) => (path, percent_decode(version)),
            None => (path, String::new()),
        };
        let (purl_type, path) = path.split_once('/')?;
        let path = path.trim_end_matches('/');
        let (namespace, name) = path.rsplit_once('/').unwrap_or(("", path));
        if purl_type.is_empty() || name.is_empty() {
            return None;
        }

        let qualifiers = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(key, value)| (key.to_ascii_lowercase(), percent_decode(value)))
            .collect();
        Some(Purl {
            purl_type: purl_type.to_ascii_lowercase(),
            namespace: namespace
                .split('/')
                .map(percent_decode)
                .collect::<Vec<_>>()
                .join("/"),
            name: percent_decode(name),
            version,
            qualifiers,
        })
    }

    /// The value of a qualifier, if present.
    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    }
}

/// Adds `key=value` to a PURL's qualifiers, keeping them sorted by key as the PURL
/// specification asks (and as Syft's CycloneDX `bom-ref`s show). `value` must need no
/// percent-encoding.
pub(crate) fn with_qualifier(purl: &str, key: &str, value: &str) -> String {
    let (body, subpath) = match purl.split_once('#') {
        Some((body, subpath)) => (body, Some(subpath)),
        None => (purl, None),
    };
    let (base, query) = body.split_once('?').unwrap_or((body, ""));
    let added = format!("{key}={value}");
    let mut qualifiers: Vec<&str> = query.split('&').filter(|q| !q.is_empty()).collect();
    qualifiers.push(&added);
    qualifiers.sort_by_key(|qualifier| qualifier.split_once('=').map_or(*qualifier, |(k, _)| k));

    let mut out = format!("{base}?{}", qualifiers.join("&"));
    if let Some(subpath) = subpath {
        out.push('#');
        out.push_str(subpath);
    }
    out
}

/// The Syft package type a PURL type stands for, as Syft's catalogers write them.
pub(crate) fn package_type(purl_type: &str) -> Option<PackageType> {
    let package_type = match purl_type {
        "alpm" => PackageType::Alpm,
        "apk" | "alpine" => PackageType::Apk,
        "cargo" | "crate" => PackageType::RustCrate,
        "cocoapods" => PackageType::CocoaPods,
        "composer" => PackageType::PhpComposer,
        "conan" => PackageType::Conan,
        "cran" => PackageType::RPackage,
        "deb" | "debian" => PackageType::Deb,
        "ebuild" | "portage" => PackageType::Portage,
        "gem" => PackageType::Gem,
        "generic" => PackageType::Binary,
        "github" => PackageType::GithubAction,
        "golang" => PackageType::GoModule,
        "hackage" => PackageType::Hackage,
        "hex" => PackageType::Hex,
        "luarocks" => PackageType::LuaRocks,
        "maven" => PackageType::JavaArchive,
        "nix" => PackageType::Nix,
        "npm" => PackageType::Npm,
        "nuget" | "dotnet" => PackageType::DotNet,
        "opam" => PackageType::Opam,
        "otp" => PackageType::ErlangOtp,
        "pecl" => PackageType::PhpPecl,
        "pub" => PackageType::DartPub,
        "pypi" => PackageType::Python,
        "rpm" => PackageType::Rpm,
        "swift" => PackageType::Swift,
        "swiplpack" => PackageType::SwiplPack,
        _ => return None,
    };
    Some(package_type)
}

/// The language Syft gives packages of a PURL type; empty for OS and binary packages.
pub(crate) fn language(purl_type: &str) -> &'static str {
    match purl_type {
        "cargo" | "crate" => "rust",
        "cocoapods" | "swift" => "swift",
        "composer" | "pecl" => "php",
        "conan" => "c++",
        "cran" => "R",
        "gem" => "ruby",
        "golang" => "go",
        "hackage" => "haskell",
        "hex" => "elixir",
        "luarocks" => "lua",
        "maven" => "java",
        "npm" => "javascript",
        "nuget" | "dotnet" => "dotnet",
        "opam" => "ocaml",
        "otp" => "erlang",
        "pub" => "dart",
        "pypi" => "python",
        "swiplpack" => "swipl",
        _ => "",
    }
}

/// The distro named by the first `distro` qualifier among some PURLs, for documents that
/// carry no distro of their own (SPDX): `debian-12` is ID `debian`, version `12`. The split
/// is at the last `-`, so `opensuse-leap-15.2` is `opensuse-leap` `15.2`.
pub(crate) fn distro_from_purls<'a>(purls: impl IntoIterator<Item = &'a str>) -> Option<Distro> {
    let qualifier = purls.into_iter().find_map(|text| {
        let purl = Purl::parse(text)?;
        purl.qualifier("distro")
            .filter(|value| !value.is_empty())
            .map(str::to_string)
    })?;
    let (id, version_id) = match qualifier.rsplit_once('-') {
        Some((id, version)) if !id.is_empty() => (id.to_string(), version.to_string()),
        _ => (qualifier, String::new()),
    };
    Some(Distro {
        id,
        version_id,
        ..Default::default()
    })
}

/// Decodes `%XX` escapes; a malformed escape is kept as written.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                index += 3;
            }
            None => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_syft_purls() {
        let purl = Purl::parse(
            "pkg:deb/debian/python3-yaml@6.0-3%2Bb2?arch=amd64&distro=debian-12&upstream=pyyaml%406.0-3",
        )
        .unwrap();
        assert_eq!(purl.purl_type, "deb");
        assert_eq!(purl.namespace, "debian");
        assert_eq!(purl.name, "python3-yaml");
        assert_eq!(purl.version, "6.0-3+b2");
        assert_eq!(purl.qualifier("distro"), Some("debian-12"));
        assert_eq!(purl.qualifier("upstream"), Some("pyyaml@6.0-3"));

        let scoped = Purl::parse("pkg:npm/%40actions/core@1.6.0").unwrap();
        assert_eq!(
            (scoped.namespace.as_str(), scoped.name.as_str()),
            ("@actions", "core")
        );

        let bare = Purl::parse("pkg:maven/CloudDatastore/CloudDatastore").unwrap();
        assert_eq!(bare.version, "");

        let go = Purl::parse("pkg:golang/github.com/a/b@v1.0.0#sub/path").unwrap();
        assert_eq!(
            (go.namespace.as_str(), go.name.as_str()),
            ("github.com/a", "b")
        );
        assert_eq!(go.version, "v1.0.0");

        for bad in ["", "pkg:", "pkg:deb", "http://x/y", "pkg:/name", "pkg:deb/"] {
            assert_eq!(Purl::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn adds_a_sorted_qualifier() {
        assert_eq!(
            with_qualifier(
                "pkg:deb/debian/apt@1.8.2?arch=amd64&distro=debian-8&upstream=apt-dev",
                "package-id",
                "3aa1"
            ),
            "pkg:deb/debian/apt@1.8.2?arch=amd64&distro=debian-8&package-id=3aa1&upstream=apt-dev"
        );
        assert_eq!(
            with_qualifier("pkg:gem/bundler@2.1.4", "package-id", "ab"),
            "pkg:gem/bundler@2.1.4?package-id=ab"
        );
        assert_eq!(
            with_qualifier("pkg:golang/a/b@v1?x=1#sub", "package-id", "ab"),
            "pkg:golang/a/b@v1?package-id=ab&x=1#sub"
        );
    }

    #[test]
    fn distros_from_qualifiers() {
        let distro =
            |purls: &[&str]| distro_from_purls(purls.iter().copied()).map(|d| (d.id, d.version_id));
        let pair = |id: &str, version: &str| Some((id.to_string(), version.to_string()));
        assert_eq!(
            distro(&["pkg:rpm/x@1", "pkg:deb/debian/a@1?distro=debian-12"]),
            pair("debian", "12")
        );
        assert_eq!(
            distro(&["pkg:apk/alpine/a@1?distro=alpine-3.11.6"]),
            pair("alpine", "3.11.6")
        );
        assert_eq!(
            distro(&["pkg:rpm/o/a@1?distro=opensuse-leap-15.2"]),
            pair("opensuse-leap", "15.2")
        );
        assert_eq!(distro(&["pkg:alpm/arch/a@1?distro=arch"]), pair("arch", ""));
        assert_eq!(distro(&["pkg:npm/a@1", "junk"]), None);
    }

    #[test]
    fn percent_decoding_keeps_malformed_escapes() {
        assert_eq!(percent_decode("a%2Bb%4"), "a+b%4");
        assert_eq!(percent_decode("%zz%"), "%zz%");
        assert_eq!(percent_decode("%e2%9c%93"), "\u{2713}");
    }
}
