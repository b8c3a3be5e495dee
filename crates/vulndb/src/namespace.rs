//! Namespaces: where a package is looked up. OS packages by distro and release, language
//! packages by ecosystem (from the PURL type), anything else by CPE against NVD.

use plimsoll_model::{Distro, Package, PackageMetadata, PackageType};

/// Distro IDs that take their advisories from another distro's data.
fn distro_family(id: &str) -> &str {
    match id {
        // Rebuilds of RHEL use Red Hat's data.
        "rocky" | "almalinux" | "centos" | "ol" | "redhat" => "rhel",
        other => other,
    }
}

/// The namespace of an OS package on `distro`: `debian:12`, `ubuntu:22.04`, `alpine:3.18`,
/// `rhel:9`. Alpine and RHEL data are kept per minor and major release respectively.
pub fn os_namespace(distro: &Distro) -> Option<String> {
    let id = distro_family(&distro.id);
    if id.is_empty() {
        return None;
    }
    let version = distro.version_id.as_str();
    let release = match id {
        // Rolling distributions keep one set of advisories.
        "wolfi" | "chainguard" => String::new(),
        "alpine" => version.split('.').take(2).collect::<Vec<_>>().join("."),
        "rhel" | "amzn" | "sles" | "opensuse-leap" => {
            version.split('.').next().unwrap_or("").to_string()
        }
        _ => version.to_string(),
    };
    Some(if release.is_empty() {
        id.to_string()
    } else {
        format!("{id}:{release}")
    })
}

/// The OSV ecosystem name's namespace for a PURL type (`pypi` → `pypi`, `golang` → `go`).
pub fn ecosystem_of_purl_type(purl_type: &str) -> Option<&'static str> {
    Some(match purl_type {
        "pypi" => "pypi",
        "npm" => "npm",
        "maven" => "maven",
        "golang" => "go",
        "cargo" => "crates.io",
        "gem" => "rubygems",
        "composer" => "packagist",
        "nuget" => "nuget",
        "hex" => "hex",
        "pub" => "pub",
        _ => return None,
    })
}

/// The namespace for an OSV `ecosystem` value (`PyPI`, `Go`, `crates.io`, `Debian:12`,
/// `Alpine:v3.18`), or `None` for ecosystems Plimsoll does not match.
pub fn from_osv_ecosystem(ecosystem: &str) -> Option<String> {
    let (name, release) = match ecosystem.split_once(':') {
        Some((name, release)) => (name, Some(release)),
        None => (ecosystem, None),
    };
    let base = match name {
        "PyPI" => "pypi",
        "npm" => "npm",
        "Maven" => "maven",
        "Go" => "go",
        "crates.io" => "crates.io",
        "RubyGems" => "rubygems",
        "Packagist" => "packagist",
        "NuGet" => "nuget",
        "Hex" => "hex",
        "Pub" => "pub",
        "Debian" => "debian",
        "Ubuntu" => "ubuntu",
        "Alpine" => "alpine",
        "Rocky Linux" | "AlmaLinux" | "Red Hat" => "rhel",
        "Wolfi" => "wolfi",
        "Chainguard" => "chainguard",
        _ => return None,
    };
    Some(match release {
        Some(release) => {
            let release = release.trim_start_matches('v');
            // Ubuntu's OSV ecosystems carry suffixes such as `:Pro:` or `:LTS`.
            let release = release.split(':').next().unwrap_or(release);
            format!("{base}:{release}")
        }
        None => base.to_string(),
    })
}

/// The version scheme of a namespace.
pub fn scheme_of(namespace: &str) -> &'static str {
    match namespace.split(':').next().unwrap_or("") {
        "debian" | "ubuntu" => "dpkg",
        "rhel" | "amzn" | "sles" | "opensuse-leap" | "oracle" | "mariner" => "rpm",
        "alpine" | "wolfi" | "chainguard" => "apk",
        "pypi" => "pep440",
        "npm" | "crates.io" | "hex" | "pub" => "semver",
        "maven" => "maven",
        "go" => "golang",
        "rubygems" => "gem",
        "nuget" => "nuget",
        _ => "generic",
    }
}

/// Lower-cases and collapses runs of `-`, `_` and `.` to `-` (PEP 503), as PyPI compares
/// names.
pub fn normalise_pypi_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

/// The package name to look up in `namespace`: Debian-family packages by their source
/// package, RPMs by the source RPM's name, apk packages by origin, PyPI names normalised.
pub fn lookup_name(package: &Package) -> String {
    match &package.metadata {
        PackageMetadata::Dpkg(entry) if !entry.source.is_empty() => entry.source.clone(),
        PackageMetadata::Rpm(entry) if !entry.source_rpm.is_empty() => {
            source_rpm_name(&entry.source_rpm)
        }
        PackageMetadata::Apk(entry) if !entry.origin_package.is_empty() => {
            entry.origin_package.clone()
        }
        _ if package.package_type == PackageType::Python => normalise_pypi_name(&package.name),
        _ => package.name.clone(),
    }
}

/// The name part of a source RPM file name: `openssl-3.0.7-6.el9_2.src.rpm` is `openssl`.
pub fn source_rpm_name(source_rpm: &str) -> String {
    let stem = source_rpm.trim_end_matches(".rpm");
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _arch)| s);
    // name-version-release: drop the last two dash-separated fields.
    let mut parts = stem.rsplitn(3, '-');
    let _release = parts.next();
    let _version = parts.next();
    parts.next().unwrap_or(stem).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distros_map_to_namespaces() {
        let distro = |id: &str, version: &str| Distro {
            id: id.into(),
            version_id: version.into(),
            ..Distro::default()
        };
        assert_eq!(
            os_namespace(&distro("debian", "12")).as_deref(),
            Some("debian:12")
        );
        assert_eq!(
            os_namespace(&distro("alpine", "3.18.4")).as_deref(),
            Some("alpine:3.18")
        );
        assert_eq!(
            os_namespace(&distro("rocky", "9.2")).as_deref(),
            Some("rhel:9")
        );
        assert_eq!(
            os_namespace(&distro("rhel", "8.8")).as_deref(),
            Some("rhel:8")
        );
    }

    #[test]
    fn osv_ecosystems() {
        assert_eq!(from_osv_ecosystem("PyPI").as_deref(), Some("pypi"));
        assert_eq!(
            from_osv_ecosystem("Alpine:v3.18").as_deref(),
            Some("alpine:3.18")
        );
        assert_eq!(
            from_osv_ecosystem("Debian:12").as_deref(),
            Some("debian:12")
        );
        assert_eq!(
            from_osv_ecosystem("Ubuntu:22.04:LTS").as_deref(),
            Some("ubuntu:22.04")
        );
        assert_eq!(from_osv_ecosystem("OSS-Fuzz"), None);
    }

    #[test]
    fn names() {
        assert_eq!(source_rpm_name("openssl-3.0.7-6.el9_2.src.rpm"), "openssl");
        assert_eq!(
            source_rpm_name("python3.9-3.9.16-1.el9.src.rpm"),
            "python3.9"
        );
        assert_eq!(normalise_pypi_name("Flask_SQLAlchemy"), "flask-sqlalchemy");
        assert_eq!(normalise_pypi_name("zope..interface"), "zope-interface");
    }
}
