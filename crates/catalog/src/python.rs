//! The installed-Python cataloger: wheel and egg installations, read from their core
//! metadata (`*.dist-info/METADATA`, `*.egg-info/PKG-INFO`, or an `*.egg-info` file) and
//! the `RECORD`, `installed-files.txt`, `top_level.txt` and `direct_url.json` (PEP 610)
//! beside it.

mod core_metadata;
mod record;

use serde::Deserialize;

use plimsoll_image::FileView;
use plimsoll_model::metadata::{PythonDirectUrlOrigin, PythonFileRecord, PythonPackage};
use plimsoll_model::{Evidence, License, Location, Package, PackageMetadata, PackageType};

use crate::cataloger::{Cataloger, Environment};
use crate::paths::{clean, parent};
use crate::purl::PackageUrl;
use crate::{CatalogError, UNKNOWN_VERSION};

use core_metadata::CoreMetadata;
use record::{parse_installed_files, parse_record};

/// Finds Python distributions installed as wheels or eggs.
#[derive(Debug, Default)]
pub struct PythonInstalledCataloger;

/// The ends of the metadata files' paths, as Syft's globs (`**/*dist-info/METADATA`, …)
/// match them: case-sensitively, with both spellings listed. `**/*.egg-info` (an egg's
/// metadata as a single file) is checked apart.
const METADATA_SUFFIXES: &[&str] = &[
    "dist-info/METADATA",
    "DIST-INFO/METADATA",
    "egg-info/PKG-INFO",
    "EGG-INFO/PKG-INFO",
];

/// The files read from the metadata file's directory.
const COMPANION_NAMES: &[&str] = &[
    "/RECORD",
    "/installed-files.txt",
    "/top_level.txt",
    "/direct_url.json",
];

fn is_egg_file(path: &str) -> bool {
    path.ends_with(".egg-info")
}

fn is_metadata(path: &str) -> bool {
    is_egg_file(path)
        || METADATA_SUFFIXES
            .iter()
            .any(|suffix| path.ends_with(suffix))
}

impl Cataloger for PythonInstalledCataloger {
    fn name(&self) -> &'static str {
        "python-installed-package-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        is_metadata(path) || COMPANION_NAMES.iter().any(|name| path.ends_with(name))
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        let mut packages = Vec::new();
        for location in view.find(&is_metadata) {
            let Some(bytes) = view.contents(&location) else {
                continue;
            };
            let metadata = match core_metadata::parse(&String::from_utf8_lossy(&bytes)) {
                Ok(metadata) => metadata,
                Err(error) => {
                    tracing::debug!(path = %location.path, %error, "skipping python metadata");
                    continue;
                }
            };
            // An empty name is no package; `Python` is the interpreter's own egg-info
            // (Python 2.7 installs one), not a package.
            if metadata.name.is_empty() || metadata.name == "Python" {
                continue;
            }
            if let Some(package) = self.package(view, location, metadata) {
                packages.push(package);
            }
        }
        Ok(packages)
    }
}

impl PythonInstalledCataloger {
    fn package(
        &self,
        view: &FileView<'_>,
        location: Location,
        metadata: CoreMetadata,
    ) -> Option<Package> {
        let directory = parent(&location.path).to_string();
        let companion = |name: &str| {
            let path = clean(&format!("{directory}/{name}"));
            view.file(&path)
                .map(|l| l.with_evidence(Evidence::Supporting))
        };
        let text = |location: &Location| {
            view.contents(location)
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .unwrap_or_default()
        };
        let site_packages = site_packages_root(&location.path);
        let mut locations = vec![location.clone().with_evidence(Evidence::Primary)];

        // RECORD lists the files; without rows there, installed-files.txt does, and then
        // only it counts as evidence.
        let mut files: Vec<PythonFileRecord> = Vec::new();
        let mut file_sources = Vec::new();
        if let Some(record) = companion("RECORD") {
            files = parse_record(&text(&record));
            file_sources.push(record);
        }
        if files.is_empty() {
            if let Some(installed) = companion("installed-files.txt") {
                files = parse_installed_files(&text(&installed), &location.path, &site_packages);
                file_sources = vec![installed];
            }
        }
        locations.extend(file_sources);

        let mut top_level_packages = Vec::new();
        if let Some(top_level) = companion("top_level.txt") {
            top_level_packages = lines(&text(&top_level));
            locations.push(top_level);
        }

        let mut direct_url_origin = None;
        if let Some(direct_url) = companion("direct_url.json") {
            match parse_direct_url(&text(&direct_url)) {
                Ok(origin) => direct_url_origin = Some(origin),
                Err(error) => {
                    // Syft drops the whole package when this file is unreadable.
                    tracing::debug!(path = %direct_url.path, %error, "skipping python package");
                    return None;
                }
            }
            locations.push(direct_url);
        }
        locations.sort();

        let licenses = licenses(&metadata, &location.path);
        let name = normalize(&metadata.name);
        let vcs_url = direct_url_origin
            .as_ref()
            .filter(|origin| !origin.vcs.is_empty())
            .map(|origin| format!("{}+{}@{}", origin.vcs, origin.url, origin.commit_id))
            .unwrap_or_default();
        let purl = PackageUrl {
            version: metadata.version.clone(),
            ..PackageUrl::new("pypi", &name)
        }
        .qualifier("vcs_url", vcs_url)
        .to_string();
        let version = if metadata.version.trim().is_empty() {
            UNKNOWN_VERSION.to_string()
        } else {
            metadata.version.clone()
        };
        Some(Package {
            name,
            version,
            package_type: PackageType::Python,
            found_by: self.name().to_string(),
            locations,
            licenses,
            language: "python".to_string(),
            cpes: Vec::new(),
            purl,
            metadata: PackageMetadata::Python(PythonPackage {
                name: metadata.name,
                version: metadata.version,
                author: metadata.author,
                author_email: metadata.author_email,
                platform: metadata.platform,
                files,
                site_packages_root_path: site_packages,
                top_level_packages,
                direct_url_origin,
                requires_python: metadata.requires_python,
                requires_dist: metadata.requires_dist,
                provides_extra: metadata.provides_extra,
            }),
        })
    }
}

/// A name normalised as PEP 503 says: lowercase, each run of `-`, `_` and `.` one `-`.
pub(crate) fn normalize(name: &str) -> String {
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

/// The directory holding the distribution: beside an `.egg-info` file, or above the
/// metadata directory.
fn site_packages_root(metadata_path: &str) -> String {
    if is_egg_file(metadata_path) {
        parent(metadata_path).to_string()
    } else {
        parent(parent(metadata_path)).to_string()
    }
}

/// The declared licenses: `License-Expression` if given, else `License`.
///
/// Not yet: a package that names only a `License-File` gets no license here; Syft
/// identifies the license from that file's text, which needs a license-text classifier.
fn licenses(metadata: &CoreMetadata, metadata_path: &str) -> Vec<License> {
    let value = if metadata.license_expression.is_empty() {
        &metadata.license
    } else {
        &metadata.license_expression
    };
    if value.is_empty() {
        return Vec::new();
    }
    // Syft records the license as found at the metadata file's path alone (no layer).
    vec![License::declared(
        value.clone(),
        Location::new(metadata_path, None),
    )]
}

/// The lines of a text file, a trailing carriage return dropped from each.
fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// `direct_url.json` as PEP 610 writes it; only the VCS facts are kept.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DirectUrl {
    url: Option<String>,
    vcs_info: Option<VcsInfo>,
    // The other PEP 610 objects are type-checked as Syft checks them, then dropped.
    #[serde(rename = "archive_info")]
    _archive_info: Option<ArchiveInfo>,
    #[serde(rename = "dir_info")]
    _dir_info: Option<DirInfo>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VcsInfo {
    commit_id: Option<String>,
    vcs: Option<String>,
    #[serde(rename = "requested_revision")]
    _requested_revision: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ArchiveInfo {
    #[serde(rename = "hash")]
    _hash: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DirInfo {
    #[serde(rename = "editable")]
    _editable: Option<bool>,
}

fn parse_direct_url(text: &str) -> Result<PythonDirectUrlOrigin, serde_json::Error> {
    let direct: DirectUrl = serde_json::from_str(text)?;
    let vcs = direct.vcs_info.unwrap_or_default();
    Ok(PythonDirectUrlOrigin {
        url: direct.url.unwrap_or_default(),
        commit_id: vcs.commit_id.unwrap_or_default(),
        vcs: vcs.vcs.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_as_pep_503_says() {
        assert_eq!(normalize("PyYAML"), "pyyaml");
        assert_eq!(normalize("lazr.uri"), "lazr-uri");
        assert_eq!(normalize("Foo__Bar-.baz"), "foo-bar-baz");
    }

    #[test]
    fn wants_metadata_and_companions_only() {
        let cataloger = PythonInstalledCataloger;
        for path in [
            "/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA",
            "/x/y.DIST-INFO/METADATA",
            "/x/requests.egg-info/PKG-INFO",
            "/test.egg-info",
            "/x/y.dist-info/RECORD",
            "/x/y.egg-info/installed-files.txt",
        ] {
            assert!(cataloger.wants(path), "{path}");
        }
        for path in [
            "/x/METADATA.txt",
            "/x/y.dist-info/WHEEL",
            "/x/y.dist-info/metadata",
        ] {
            assert!(!cataloger.wants(path), "{path}");
        }
    }

    #[test]
    fn site_packages_is_above_the_metadata_directory() {
        assert_eq!(site_packages_root("/test.egg-info"), "/");
        assert_eq!(site_packages_root("/dist-info/METADATA"), "/");
        assert_eq!(site_packages_root("/a/b/x.dist-info/METADATA"), "/a/b");
    }

    #[test]
    fn direct_url_keeps_vcs_facts_and_rejects_bad_types() {
        let origin = parse_direct_url(
            r#"{"url": "https://h/r.git", "vcs_info": {"commit_id": "abc", "vcs": "git"}}"#,
        )
        .unwrap();
        assert_eq!(origin.vcs, "git");
        assert_eq!(origin.commit_id, "abc");
        assert!(parse_direct_url(r#"{"url": 5}"#).is_err());
        assert!(parse_direct_url(r#"{"dir_info": {"editable": "yes"}}"#).is_err());
        assert!(parse_direct_url("not json").is_err());
    }
}
