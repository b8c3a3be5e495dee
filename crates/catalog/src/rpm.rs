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
        is_database(path)
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
        Ok(packages)
    }
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
