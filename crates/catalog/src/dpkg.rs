//! The dpkg cataloger: Debian and Ubuntu packages from `var/lib/dpkg/status`, distroless
//! `status.d/` files and opkg's status, with file lists and copyright licenses.

mod copyright;
mod status;

use std::collections::BTreeSet;

use plimsoll_image::FileView;
use plimsoll_model::metadata::DpkgFileRecord;
use plimsoll_model::{Distro, Evidence, License, Location, Package, PackageMetadata, PackageType};

use crate::cataloger::{Cataloger, Environment};
use crate::purl::PackageUrl;
use crate::{CatalogError, UNKNOWN_VERSION};

/// Files in `status.d/` that accompany a package's control file rather than being one.
const STATUS_D_COMPANIONS: &[&str] = &[
    ".md5sums",
    ".conffiles",
    ".list",
    ".preinst",
    ".postinst",
    ".prerm",
    ".postrm",
    ".triggers",
    ".shlibs",
    ".symbols",
    ".templates",
    ".config",
];

/// Finds dpkg-installed packages.
#[derive(Debug, Default)]
pub struct DpkgCataloger;

fn is_database(path: &str) -> bool {
    path.ends_with("/lib/dpkg/status")
        || path.ends_with("/lib/opkg/status")
        || (path.contains("/lib/dpkg/status.d/")
            && !STATUS_D_COMPANIONS
                .iter()
                .any(|suffix| path.ends_with(suffix)))
}

impl Cataloger for DpkgCataloger {
    fn name(&self) -> &'static str {
        "dpkg-db-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        if path.contains("/lib/dpkg/") {
            return is_database(path)
                || path.ends_with(".md5sums")
                || path.ends_with(".conffiles")
                || path.ends_with(".list");
        }
        path.ends_with("/lib/opkg/status")
            || (path.starts_with("/usr/share/doc/") && path.ends_with("/copyright"))
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        let mut packages = Vec::new();
        for database in view.find(&is_database) {
            let Some(bytes) = view.contents(&database) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes);
            for entry in status::parse(&text) {
                if entry.is_installed() {
                    packages.push(self.package(
                        view,
                        &database,
                        entry.entry,
                        environment.distro.as_ref(),
                    ));
                }
            }
        }
        Ok(packages)
    }
}

impl DpkgCataloger {
    fn package(
        &self,
        view: &FileView<'_>,
        database: &Location,
        mut entry: plimsoll_model::metadata::DpkgDbEntry,
        distro: Option<&Distro>,
    ) -> Package {
        let mut locations = vec![database.clone().with_evidence(Evidence::Primary)];
        let name = entry.package.clone();
        let companion = |suffix: &str| -> Option<Location> {
            companion_paths(&database.path, &name, &entry.architecture, suffix)
                .iter()
                .find_map(|path| view.file(path))
        };

        let mut files: Vec<DpkgFileRecord> = Vec::new();
        if let Some(md5sums) = companion(".md5sums") {
            if let Some(bytes) = view.contents(&md5sums) {
                files.extend(status::parse_md5sums(&String::from_utf8_lossy(&bytes)));
            }
            locations.push(md5sums.with_evidence(Evidence::Supporting));
        }
        if let Some(conffiles) = companion(".conffiles") {
            locations.push(conffiles.with_evidence(Evidence::Supporting));
        }
        // Conffiles listed in the status entry carry their digests; mark the md5sums
        // records they match and add the rest.
        for conffile in std::mem::take(&mut entry.files) {
            match files.iter_mut().find(|f| f.path == conffile.path) {
                Some(existing) => existing.is_config_file = true,
                None => files.push(conffile),
            }
        }
        // `.list` files name every path the package installed, including those without
        // checksums (symlinks, files created by maintainer scripts); directories are skipped.
        if let Some(list) = companion(".list").and_then(|l| view.contents(&l)) {
            let known: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
            for path in String::from_utf8_lossy(&list).lines() {
                let path = path.trim();
                if path.is_empty() || path == "/." || known.contains(path) || !view.exists(path) {
                    continue;
                }
                files.push(DpkgFileRecord {
                    path: path.to_string(),
                    digest: None,
                    is_config_file: false,
                });
            }
        }
        entry.files = files;

        let mut licenses = Vec::new();
        if let Some(copyright) = view.file(&format!("/usr/share/doc/{name}/copyright")) {
            if let Some(bytes) = view.contents(&copyright) {
                let plain = Location {
                    evidence: None,
                    ..copyright.clone()
                };
                licenses = copyright::licenses(&String::from_utf8_lossy(&bytes))
                    .into_iter()
                    .map(|value| License::declared(value, plain.clone()))
                    .collect();
            }
            locations.push(copyright.with_evidence(Evidence::Supporting));
        }
        locations.sort();

        let purl = purl(&entry, distro);
        let version = if entry.version.is_empty() {
            UNKNOWN_VERSION.to_string()
        } else {
            entry.version.clone()
        };
        Package {
            name,
            version,
            package_type: PackageType::Deb,
            found_by: self.name().to_string(),
            locations,
            licenses,
            language: String::new(),
            cpes: Vec::new(),
            purl,
            metadata: PackageMetadata::Dpkg(entry),
        }
    }
}

/// Where a package's `.md5sums` (or other companion) file may be, next to its database.
fn companion_paths(database: &str, package: &str, architecture: &str, suffix: &str) -> Vec<String> {
    if let Some((dir, _)) = database.rsplit_once("/status.d/") {
        return vec![format!("{dir}/status.d/{package}{suffix}")];
    }
    let dir = database.rsplit_once('/').map_or("", |(d, _)| d);
    let mut paths = Vec::new();
    if !architecture.is_empty() {
        paths.push(format!("{dir}/info/{package}:{architecture}{suffix}"));
    }
    paths.push(format!("{dir}/info/{package}{suffix}"));
    paths
}

/// `pkg:deb/<distro>/<name>@<version>?arch=…&distro=…&upstream=…`; empty without a
/// Debian-like distro, since the namespace names it.
fn purl(entry: &plimsoll_model::metadata::DpkgDbEntry, distro: Option<&Distro>) -> String {
    let Some(distro) = distro.filter(|d| d.is_like("debian")) else {
        return String::new();
    };
    let upstream = match (entry.source.as_str(), entry.source_version.as_str()) {
        ("", _) => String::new(),
        (source, "") => source.to_string(),
        (source, version) => format!("{source}@{version}"),
    };
    let mut purl = PackageUrl::new("deb", &entry.package)
        .qualifier("arch", entry.architecture.clone())
        .qualifier("distro", distro.purl_qualifier())
        .qualifier("upstream", upstream);
    purl.namespace = distro.id.clone();
    purl.version = entry.version.clone();
    purl.to_string()
}
