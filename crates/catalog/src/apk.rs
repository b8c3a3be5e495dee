//! The apk cataloger: Alpine and Wolfi packages from `lib/apk/db/installed`
//! (the format is described in apk-tools' documentation of the installed database).

use plimsoll_image::FileView;
use plimsoll_model::metadata::{ApkDbEntry, ApkFileRecord, FileDigest};
use plimsoll_model::{Distro, Evidence, License, Location, Package, PackageMetadata, PackageType};

use crate::cataloger::{Cataloger, Environment};
use crate::purl::PackageUrl;
use crate::{CatalogError, UNKNOWN_VERSION};

/// Finds apk-installed packages.
#[derive(Debug, Default)]
pub struct ApkCataloger;

fn is_database(path: &str) -> bool {
    path.ends_with("/lib/apk/db/installed")
}

impl Cataloger for ApkCataloger {
    fn name(&self) -> &'static str {
        "apk-db-cataloger"
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
            for (entry, license) in parse(&String::from_utf8_lossy(&bytes)) {
                packages.push(self.package(
                    &database,
                    entry,
                    &license,
                    environment.distro.as_ref(),
                ));
            }
        }
        Ok(packages)
    }
}

impl ApkCataloger {
    fn package(
        &self,
        database: &Location,
        entry: ApkDbEntry,
        license: &str,
        distro: Option<&Distro>,
    ) -> Package {
        let location = database.clone().with_evidence(Evidence::Primary);
        let licenses = split_license(license)
            .into_iter()
            .map(|l| License::declared(l, location.clone()))
            .collect();
        let purl = match distro {
            Some(distro) if !distro.id.is_empty() => {
                let upstream = if entry.origin_package != entry.package {
                    entry.origin_package.clone()
                } else {
                    String::new()
                };
                let mut purl = PackageUrl::new("apk", &entry.package)
                    .qualifier("arch", entry.architecture.clone())
                    .qualifier("distro", distro.purl_qualifier())
                    .qualifier("upstream", upstream);
                purl.namespace = distro.id.to_lowercase();
                purl.version = entry.version.clone();
                purl.to_string()
            }
            _ => String::new(),
        };
        Package {
            name: entry.package.clone(),
            version: if entry.version.is_empty() {
                UNKNOWN_VERSION.to_string()
            } else {
                entry.version.clone()
            },
            package_type: PackageType::Apk,
            found_by: self.name().to_string(),
            locations: vec![location],
            licenses,
            language: String::new(),
            cpes: Vec::new(),
            purl,
            metadata: PackageMetadata::Apk(entry),
        }
    }
}

/// Splits an apk license field: an SPDX expression stays whole, a plain list is split.
fn split_license(license: &str) -> Vec<String> {
    let license = license.trim();
    if license.is_empty() {
        return Vec::new();
    }
    if license.contains(" AND ") || license.contains(" OR ") || license.contains(" WITH ") {
        return vec![license.to_string()];
    }
    license.split_whitespace().map(str::to_string).collect()
}

/// Parses the installed database into entries and their license fields.
pub(crate) fn parse(text: &str) -> Vec<(ApkDbEntry, String)> {
    let mut out = Vec::new();
    let mut entry = ApkDbEntry::default();
    let mut license = String::new();
    let mut dir = String::new();
    let finish =
        |entry: &mut ApkDbEntry, license: &mut String, out: &mut Vec<(ApkDbEntry, String)>| {
            if !entry.package.is_empty() {
                out.push((std::mem::take(entry), std::mem::take(license)));
            }
            *entry = ApkDbEntry::default();
            license.clear();
        };
    for line in text.lines() {
        if line.trim().is_empty() {
            finish(&mut entry, &mut license, &mut out);
            dir.clear();
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key {
            "P" => entry.package = value.to_string(),
            "o" => entry.origin_package = value.to_string(),
            "m" => entry.maintainer = value.to_string(),
            "V" => entry.version = value.to_string(),
            "A" => entry.architecture = value.to_string(),
            "U" => entry.url = value.to_string(),
            "T" => entry.description = value.to_string(),
            "S" => entry.size = value.parse().unwrap_or(0),
            "I" => entry.installed_size = value.parse().unwrap_or(0),
            "D" => entry.pull_dependencies = value.split_whitespace().map(str::to_string).collect(),
            "p" => entry.provides = value.split_whitespace().map(str::to_string).collect(),
            "C" => entry.pull_checksum = value.to_string(),
            "c" => entry.git_commit_of_apk_port = value.to_string(),
            "L" => license = value.to_string(),
            "F" => {
                dir = format!("/{}", value.trim_start_matches('/'));
                entry.files.push(ApkFileRecord {
                    path: dir.clone(),
                    owner_uid: None,
                    owner_gid: None,
                    permissions: None,
                    digest: None,
                });
            }
            "M" | "a" => {
                let mut parts = value.splitn(3, ':');
                if let Some(record) = entry.files.last_mut() {
                    record.owner_uid = parts.next().map(str::to_string);
                    record.owner_gid = parts.next().map(str::to_string);
                    record.permissions = parts.next().map(str::to_string);
                }
            }
            "R" => {
                let path = if dir.is_empty() || dir == "/" {
                    format!("/{value}")
                } else {
                    format!("{dir}/{value}")
                };
                entry.files.push(ApkFileRecord {
                    path,
                    owner_uid: None,
                    owner_gid: None,
                    permissions: None,
                    digest: None,
                });
            }
            "Z" => {
                if let Some(record) = entry.files.last_mut() {
                    let algorithm = if value.starts_with("Q1") {
                        "'Q1'+base64(sha1)"
                    } else {
                        "md5"
                    };
                    record.digest = Some(FileDigest {
                        algorithm: algorithm.to_string(),
                        value: value.to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    finish(&mut entry, &mut license, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_files_and_licenses() {
        let text = "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\na:0:0:755\nZ:Q1xyz=\n\nP:busybox-binsh\nV:1.36.1-r5\no:busybox\nL:GPL-2.0-only AND MIT\n";
        let parsed = parse(text);
        assert_eq!(parsed.len(), 2);
        let (musl, license) = &parsed[0];
        assert_eq!(musl.files[1].path, "/lib/ld-musl-x86_64.so.1");
        assert_eq!(musl.files[1].permissions.as_deref(), Some("755"));
        assert_eq!(musl.files[1].digest.as_ref().unwrap().value, "Q1xyz=");
        assert_eq!(license, "MIT");
        assert_eq!(parsed[1].0.origin_package, "busybox");
        assert_eq!(split_license(&parsed[1].1), vec!["GPL-2.0-only AND MIT"]);
    }
}
