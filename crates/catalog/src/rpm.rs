//! The rpm cataloger: packages from RPM databases (SQLite, Berkeley DB, NDB) as Red Hat,
//! Fedora, SUSE, Mariner and their relatives keep them.

use plimsoll_image::FileView;
use plimsoll_model::metadata::{FileDigest, RpmDbEntry, RpmFileRecord};
use plimsoll_model::{Distro, Evidence, License, Location, Package, PackageMetadata, PackageType};

use crate::cataloger::{Cataloger, Environment};
use crate::purl::PackageUrl;
use crate::rpmdb::{self, RpmHeader};
use crate::{CatalogError, UNKNOWN_VERSION};

/// Finds rpm-installed packages.
#[derive(Debug, Default)]
pub struct RpmCataloger;

/// CBL-Mariner's distroless images list their packages in a text manifest instead of a
/// database: tab-separated name, version-release, install time, build time, vendor, epoch,
/// size, arch, checksum and source RPM.
fn is_manifest(path: &str) -> bool {
    path.ends_with("/var/lib/rpmmanifest/container-manifest-2")
}

fn is_database(path: &str) -> bool {
    let in_db_dir = path.contains("/var/lib/rpm/")
        || path.contains("/usr/share/rpm/")
        || path.contains("/usr/lib/sysimage/rpm/");
    in_db_dir
        && (path.ends_with("/Packages")
            || path.ends_with("/Packages.db")
            || path.ends_with("/rpmdb.sqlite"))
}

impl Cataloger for RpmCataloger {
    fn name(&self) -> &'static str {
        "rpm-db-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        is_database(path) || is_manifest(path)
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
            let headers = rpmdb::read_headers(&bytes).map_err(|source| CatalogError::RpmDb {
                path: database.path.clone(),
                layer: database.layer_id.clone(),
                source,
            })?;
            for header in headers {
                if rpmdb::is_gpg_pubkey(&header) {
                    // Public keys imported with `rpm --import`, not software.
                    continue;
                }
                packages.push(self.package(&database, header, environment.distro.as_ref()));
            }
        }
        for manifest in view.find(&is_manifest) {
            let Some(bytes) = view.contents(&manifest) else {
                continue;
            };
            for header in parse_manifest(&String::from_utf8_lossy(&bytes)) {
                packages.push(self.package(&manifest, header, environment.distro.as_ref()));
            }
        }
        Ok(packages)
    }
}

/// Parses a `container-manifest-2` file; lines with too few fields are skipped.
fn parse_manifest(text: &str) -> Vec<RpmHeader> {
    text.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() < 10 {
                return None;
            }
            let (version, release) = fields[1].rsplit_once('-').unwrap_or((fields[1], ""));
            Some(RpmHeader {
                name: fields[0].to_string(),
                version: version.to_string(),
                release: release.to_string(),
                epoch: fields[5].parse().ok(),
                arch: fields[7].to_string(),
                source_rpm: fields[9].to_string(),
                size: fields[6].parse().unwrap_or(0),
                vendor: fields[4].to_string(),
                ..RpmHeader::default()
            })
        })
        .collect()
}

impl RpmCataloger {
    fn package(&self, database: &Location, header: RpmHeader, distro: Option<&Distro>) -> Package {
        let location = database.clone().with_evidence(Evidence::Primary);
        let licenses = if header.license.is_empty() {
            Vec::new()
        } else {
            vec![License::declared(header.license.clone(), location.clone())]
        };
        let purl = purl(&header, distro);
        let version = match (header.epoch, header.version.is_empty()) {
            (_, true) => UNKNOWN_VERSION.to_string(),
            (Some(epoch), false) => format!("{epoch}:{}-{}", header.version, header.release),
            (None, false) => format!("{}-{}", header.version, header.release),
        };
        let files = header
            .files
            .iter()
            .map(|file| RpmFileRecord {
                path: file.path.clone(),
                mode: file.mode,
                size: file.size,
                digest: FileDigest {
                    algorithm: file.digest_algorithm.clone(),
                    value: file.digest.clone(),
                },
                user_name: file.user_name.clone(),
                group_name: file.group_name.clone(),
                flags: flags_text(file.flags),
            })
            .collect();
        let entry = RpmDbEntry {
            name: header.name.clone(),
            version: header.version,
            epoch: header.epoch,
            architecture: header.arch,
            release: header.release,
            source_rpm: header.source_rpm,
            size: header.size,
            vendor: header.vendor,
            modularity_label: header.modularity_label,
            provides: header.provides,
            requires: header.requires,
            files,
        };
        Package {
            name: header.name,
            version,
            package_type: PackageType::Rpm,
            found_by: self.name().to_string(),
            locations: vec![location],
            licenses,
            language: String::new(),
            cpes: Vec::new(),
            purl,
            metadata: PackageMetadata::Rpm(entry),
        }
    }
}

/// `pkg:rpm/<distro>/<name>@<version>-<release>?arch=…&distro=…&epoch=…&upstream=…`, with
/// Red Hat's `rhel` ID written as the `redhat` namespace; no namespace without a distro.
fn purl(header: &RpmHeader, distro: Option<&Distro>) -> String {
    let mut purl = PackageUrl::new("rpm", &header.name)
        .qualifier("arch", header.arch.clone())
        .qualifier(
            "epoch",
            header.epoch.map(|e| e.to_string()).unwrap_or_default(),
        )
        .qualifier("upstream", header.source_rpm.clone());
    if let Some(distro) = distro.filter(|d| !d.id.is_empty()) {
        purl.namespace = if distro.id == "rhel" {
            "redhat".to_string()
        } else {
            distro.id.clone()
        };
        purl = purl.qualifier("distro", distro.purl_qualifier());
    }
    if !header.version.is_empty() {
        purl.version = format!("{}-{}", header.version, header.release);
    }
    purl.to_string()
}

/// RPM file flags (rpmfileAttrs) as the letters `rpm -qlv --dump` style tools print.
fn flags_text(flags: u32) -> String {
    const LETTERS: &[(u32, char)] = &[
        (1, 'c'),
        (2, 'd'),
        (8, 'm'),
        (16, 'n'),
        (32, 'g'),
        (64, 'g'),
        (128, 'l'),
        (256, 'r'),
        (4096, 'a'),
    ];
    LETTERS
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, c)| *c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_lines() {
        let text = "glibc\t2.35-2.cm2\t1653816591\t1653628955\tMicrosoft Corporation\t(none)\t10855265\tx86_64\t0\tglibc-2.35-2.cm2.src.rpm\nshort\tline\n";
        let headers = parse_manifest(text);
        assert_eq!(headers.len(), 1);
        assert_eq!(
            (headers[0].version.as_str(), headers[0].release.as_str()),
            ("2.35", "2.cm2")
        );
        assert_eq!(headers[0].epoch, None);
        assert_eq!(headers[0].source_rpm, "glibc-2.35-2.cm2.src.rpm");
    }
}
