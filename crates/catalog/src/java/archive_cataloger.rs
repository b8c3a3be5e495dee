//! The Java archive cataloger: each jar, war, ear, hpi… (and each archive inside a zip) is
//! a package named by its manifest, `pom.properties`, `pom.xml` or file name; every other
//! `pom.properties` in it (a shaded jar's) is a package of its own, and archives nested in
//! it (`BOOT-INF/lib/*.jar`, `WEB-INF/lib/*.jar`) are read in turn.

use std::collections::{BTreeMap, BTreeSet};

use sha1::{Digest, Sha1};

use plimsoll_image::FileView;
use plimsoll_model::metadata::{FileDigest, JavaArchive, JavaPomProperties};
use plimsoll_model::{Evidence, License, Location, Package, PackageMetadata, PackageType};

use super::filename::ArchiveFilename;
use super::group_id::{group_id, package_url};
use super::pom_resolver::PomResolver;
use super::pom_xml::{self, Pom};
use super::zip_archive::{ArchiveError, ArchiveLimits, Budget, JavaZip};
use super::{handle, license_file, manifest, pom_properties};
use crate::cataloger::{Cataloger, Environment};
use crate::{CatalogError, UNKNOWN_VERSION};

const NAME: &str = "java-archive-cataloger";

/// The extensions of Java archives, matched case-sensitively as Syft's globs are.
const ARCHIVE_EXTENSIONS: &[&str] = &[
    ".jar", ".war", ".ear", ".par", ".sar", ".nar", ".jpi", ".hpi", ".kar", ".lpkg",
];

/// `pom.properties` group IDs that mark a Jenkins plugin.
const JENKINS_GROUPS: &[&str] = &[
    "io.jenkins.plugins",
    "org.jenkins.plugins",
    "org.jenkins-ci.plugins",
    "io.jenkins-ci.plugins",
    "com.cloudbees.jenkins.plugins",
];

const MANIFEST_PATH: &str = "META-INF/MANIFEST.MF";

fn is_java_archive(path: &str) -> bool {
    ARCHIVE_EXTENSIONS.iter().any(|ext| path.ends_with(ext))
}

/// Zip files are searched for Java archives inside them, as Syft does by default.
fn is_zip(path: &str) -> bool {
    path.ends_with(".zip")
}

/// Finds Java archives and the packages inside them.
#[derive(Debug, Default)]
pub struct JavaArchiveCataloger {
    limits: ArchiveLimits,
}

impl Cataloger for JavaArchiveCataloger {
    fn name(&self) -> &'static str {
        NAME
    }

    fn wants(&self, path: &str) -> bool {
        is_java_archive(path) || is_zip(path)
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        let mut packages = Vec::new();
        for location in view.find(&|path| self.wants(path)) {
            let Some(bytes) = view.contents(&location) else {
                continue;
            };
            let mut budget = Budget::new(self.limits.max_total);
            let parser = ArchiveParser {
                location: &location,
                limits: self.limits,
            };
            let result = if is_zip(&location.path) {
                parser.nested(&bytes, &location.path, None, 0, &mut budget, &mut packages)
            } else {
                parser.parse(&bytes, &location.path, None, 0, &mut budget, &mut packages)
            };
            if let Err(error) = result {
                tracing::warn!(
                    path = %location.path,
                    error = %error_chain(&error),
                    "skipping unreadable java archive"
                );
            }
        }
        // A package needs a name (Syft drops nameless ones); a missing version is stubbed.
        packages.retain(|package| !package.name.is_empty());
        for package in &mut packages {
            if package.version.is_empty() {
                package.version = UNKNOWN_VERSION.to_string();
            }
        }
        Ok(packages)
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Reads one top-level archive and everything nested in it.
struct ArchiveParser<'l> {
    /// The file on disk (or in the image) that holds the archive.
    location: &'l Location,
    limits: ArchiveLimits,
}

/// The Maven files of one archive, keyed by the directory that holds them.
struct MavenFiles {
    properties: BTreeMap<String, JavaPomProperties>,
    projects: BTreeMap<String, (String, Pom)>,
}

fn directory(path: &str) -> &str {
    path.rfind('/').map_or(".", |i| &path[..i])
}

impl ArchiveParser<'_> {
    /// The location of a package found in the archive at `virtual_path`.
    fn package_location(&self, virtual_path: &str) -> Location {
        Location {
            access_path: virtual_path.to_string(),
            ..self.location.clone()
        }
        .with_evidence(Evidence::Primary)
    }

    /// Catalogs the archive `bytes`, known as `virtual_path`; `parent` is the virtual path
    /// of the package of the archive holding it.
    fn parse(
        &self,
        bytes: &[u8],
        virtual_path: &str,
        parent: Option<&str>,
        depth: usize,
        budget: &mut Budget,
        out: &mut Vec<Package>,
    ) -> Result<(), ArchiveError> {
        let mut zip = JavaZip::open(bytes)?;
        let own_name = virtual_path.rsplit(':').next().unwrap_or(virtual_path);
        let filename = ArchiveFilename::parse(own_name);
        let maven = self.maven_files(&mut zip, budget);
        let resolver = PomResolver::new(&[]);

        let mut main = self.main_package(
            &mut zip,
            bytes,
            virtual_path,
            &filename,
            &maven,
            &resolver,
            budget,
        );
        let mut found = Vec::new();
        if let Some(main) = main.as_mut() {
            for (dir, properties) in &maven.properties {
                let project = maven.projects.get(dir);
                if let Some(package) = self.maven_package(properties, project, main, &resolver) {
                    found.push(package);
                }
            }
            if let PackageMetadata::JavaArchive(metadata) = &mut main.metadata {
                metadata.dependency_of = parent
                    .map(|p| handle(&self.location.path, p))
                    .into_iter()
                    .collect();
            }
        }
        let main_path = main.as_ref().map(|_| virtual_path.to_string());
        if let Some(main) = main {
            out.push(finish(main));
        }
        out.extend(found.into_iter().map(finish));

        if depth < self.limits.max_depth {
            self.nested_in(&mut zip, virtual_path, main_path, depth, budget, out);
        } else {
            tracing::warn!(path = %virtual_path, "not reading java archives nested deeper");
        }
        Ok(())
    }

    /// Catalogs the Java archives inside a plain zip file.
    fn nested(
        &self,
        bytes: &[u8],
        virtual_path: &str,
        parent: Option<String>,
        depth: usize,
        budget: &mut Budget,
        out: &mut Vec<Package>,
    ) -> Result<(), ArchiveError> {
        let mut zip = JavaZip::open(bytes)?;
        self.nested_in(&mut zip, virtual_path, parent, depth, budget, out);
        Ok(())
    }

    fn nested_in(
        &self,
        zip: &mut JavaZip<'_>,
        virtual_path: &str,
        parent: Option<String>,
        depth: usize,
        budget: &mut Budget,
        out: &mut Vec<Package>,
    ) {
        let names: Vec<String> = zip
            .names()
            .iter()
            .filter(|n| is_java_archive(n))
            .cloned()
            .collect();
        for name in names {
            let nested_path = format!("{virtual_path}:{name}");
            let result = zip
                .read(&name, self.limits.max_nested_archive, budget)
                .and_then(|bytes| {
                    self.parse(
                        &bytes,
                        &nested_path,
                        parent.as_deref(),
                        depth + 1,
                        budget,
                        out,
                    )
                });
            if let Err(error) = result {
                tracing::warn!(
                    path = %nested_path,
                    error = %error_chain(&error),
                    "skipping unreadable nested java archive"
                );
            }
        }
    }

    /// Reads every `*pom.properties` (with an artifact ID and a version) and `*pom.xml`.
    fn maven_files(&self, zip: &mut JavaZip<'_>, budget: &mut Budget) -> MavenFiles {
        let mut files = MavenFiles {
            properties: BTreeMap::new(),
            projects: BTreeMap::new(),
        };
        let names: Vec<String> = zip.names().to_vec();
        for name in names.iter().filter(|n| n.ends_with("pom.properties")) {
            let Some(text) = self.read_text(zip, name, budget) else {
                continue;
            };
            match pom_properties::parse(name, &text) {
                Ok(properties)
                    if !properties.version.is_empty() && !properties.artifact_id.is_empty() =>
                {
                    files
                        .properties
                        .insert(directory(name).to_string(), properties);
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(path = %self.location.path, entry = %name, %error, "skipping pom.properties")
                }
            }
        }
        for name in names.iter().filter(|n| n.ends_with("pom.xml")) {
            let Some(text) = self.read_text(zip, name, budget) else {
                continue;
            };
            match pom_xml::parse(&text) {
                Ok(pom) => {
                    files
                        .projects
                        .insert(directory(name).to_string(), (name.clone(), pom));
                }
                Err(error) => {
                    tracing::warn!(path = %self.location.path, entry = %name, error = %error_chain(&error), "skipping pom.xml")
                }
            }
        }
        files
    }

    fn read_text(&self, zip: &mut JavaZip<'_>, name: &str, budget: &mut Budget) -> Option<String> {
        match zip.read(name, self.limits.max_metadata_entry, budget) {
            Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Err(error) => {
                tracing::warn!(path = %self.location.path, entry = %name, error = %error_chain(&error), "skipping java archive entry");
                None
            }
        }
    }

    /// The archive's own package, named from the best source; `None` without a manifest.
    #[expect(
        clippy::too_many_arguments,
        reason = "the steps of one archive's parse share them"
    )]
    fn main_package(
        &self,
        zip: &mut JavaZip<'_>,
        bytes: &[u8],
        virtual_path: &str,
        filename: &ArchiveFilename,
        maven: &MavenFiles,
        resolver: &PomResolver<'_>,
        budget: &mut Budget,
    ) -> Option<Package> {
        if !zip.names().iter().any(|n| n == MANIFEST_PATH) {
            return None;
        }
        let manifest = manifest::parse(&self.read_text(zip, MANIFEST_PATH, budget)?);
        // Instrumentation jars (New Relic's) name the library they instrument.
        if manifest.main_value("Weave-Classes").is_some() {
            return None;
        }
        let location = self.package_location(virtual_path);

        let mut licenses: Vec<License> = ["Bundle-License", "Plugin-License-Name"]
            .iter()
            .filter_map(|field| manifest::field(&manifest, field))
            .map(|value| License::declared(value, location.clone()))
            .collect();

        // pom.properties whose artifact ID fits the file name, and the pom.xml beside it.
        let artifacts: BTreeSet<&str> = maven
            .properties
            .values()
            .map(|p| p.artifact_id.as_str())
            .collect();
        let mut chosen: Option<&JavaPomProperties> = None;
        let mut chosen_pom: Option<&Pom> = None;
        for (dir, properties) in &maven.properties {
            if artifact_matches_filename(&properties.artifact_id, &filename.name, &artifacts) {
                chosen = Some(properties);
                if let Some((_, pom)) = maven.projects.get(dir) {
                    chosen_pom = Some(pom);
                    break;
                }
            }
        }
        // Where Syft names the archive from its file and then reports the one
        // `pom.properties` again as a package of its own (often with version UNKNOWN for
        // the archive), the single `pom.properties` names the archive instead.
        if chosen.is_none() && maven.properties.len() == 1 {
            if let Some((dir, properties)) = maven.properties.iter().next() {
                let unversioned = select_version(&manifest, filename).is_empty();
                if unversioned || normalized(&properties.artifact_id) == normalized(&filename.name)
                {
                    chosen = Some(properties);
                    chosen_pom = maven.projects.get(dir).map(|(_, pom)| pom);
                }
            }
        }
        let mut name = chosen.map(|p| p.artifact_id.clone()).unwrap_or_default();
        let mut version = chosen.map(|p| p.version.clone()).unwrap_or_default();
        if let Some(pom) = chosen_pom {
            let id = resolver.id(pom);
            if name.is_empty() {
                name = id.artifact_id;
            }
            if version.is_empty() {
                version = id.version;
            }
        }
        if name.is_empty() {
            name = select_name(&manifest, filename);
        }
        if version.is_empty() {
            version = select_version(&manifest, filename);
        }

        if licenses.is_empty() {
            for candidate in license_file::candidates(zip.names()) {
                if let Some(text) = self.read_text(zip, &candidate, budget) {
                    licenses.extend(license_file::identify(&text, &location));
                }
            }
        }
        if licenses.is_empty() {
            if let Some(pom) = chosen_pom {
                licenses = pom_licenses(resolver, pom, &location);
            }
        }

        let digest = hex(&Sha1::digest(bytes));
        Some(Package {
            name: name.trim().to_string(),
            version: version.trim().to_string(),
            package_type: archive_type(virtual_path),
            found_by: NAME.to_string(),
            locations: vec![location],
            licenses,
            language: "java".to_string(),
            cpes: Vec::new(),
            purl: String::new(),
            metadata: PackageMetadata::JavaArchive(JavaArchive {
                virtual_path: virtual_path.to_string(),
                manifest: Some(manifest),
                archive_digests: vec![FileDigest {
                    algorithm: "sha1".to_string(),
                    value: digest,
                }],
                ..Default::default()
            }),
        })
    }

    /// The package a `pom.properties` names, or `None` when it is the archive's own
    /// package, which then takes its name, version and type from it.
    fn maven_package(
        &self,
        properties: &JavaPomProperties,
        project: Option<&(String, Pom)>,
        main: &mut Package,
        resolver: &PomResolver<'_>,
    ) -> Option<Package> {
        let PackageMetadata::JavaArchive(main_metadata) = &main.metadata else {
            return None;
        };
        let main_group = group_id(main_metadata);
        let main_key = format!("{main_group}:{}:{}", main.name, main.version);
        let key = format!(
            "{}:{}:{}",
            properties.group_id, properties.artifact_id, properties.version
        );
        let mut virtual_path = main_metadata.virtual_path.clone();
        if key != main_key {
            // Keeps apart packages of the same name in different groups.
            virtual_path = format!(
                "{virtual_path}:{}:{}",
                properties.group_id, properties.artifact_id
            );
        }
        let location = self.package_location(&main.locations[0].access_path);
        let (pom_project, licenses) = match project {
            Some((path, pom)) => (
                Some(resolver.project(pom, path, true)),
                pom_licenses(resolver, pom, &location),
            ),
            None => (None, Vec::new()),
        };
        let metadata = JavaArchive {
            virtual_path,
            pom_properties: Some(properties.clone()),
            pom_project,
            dependency_of: vec![handle(&self.location.path, &main_metadata.virtual_path)],
            ..Default::default()
        };
        let package = Package {
            name: properties.artifact_id.clone(),
            version: properties.version.clone(),
            package_type: properties_type(properties),
            found_by: NAME.to_string(),
            locations: vec![location],
            licenses,
            language: "java".to_string(),
            cpes: Vec::new(),
            purl: String::new(),
            metadata: PackageMetadata::JavaArchive(metadata),
        };

        if same_package(&package, main) {
            main.name = package.name;
            main.version = package.version;
            main.package_type = package.package_type;
            if let PackageMetadata::JavaArchive(main_metadata) = &mut main.metadata {
                if main_metadata.pom_properties.is_none() {
                    main_metadata.pom_properties = Some(properties.clone());
                }
            }
            return None;
        }
        Some(package)
    }
}

/// Whether a `pom.properties` package is the archive's own package.
fn same_package(package: &Package, main: &Package) -> bool {
    let (PackageMetadata::JavaArchive(metadata), PackageMetadata::JavaArchive(main_metadata)) =
        (&package.metadata, &main.metadata)
    else {
        return false;
    };
    let key = |group: String, p: &Package| format!("{group}|{}|{}", p.name, p.version);
    key(group_id(metadata), package) == key(group_id(main_metadata), main)
        || metadata.virtual_path == main_metadata.virtual_path
        || metadata
            .pom_properties
            .as_ref()
            .is_some_and(|p| !p.artifact_id.is_empty() && p.artifact_id == main.name)
}

/// Sets the package URL (and with it the Jenkins plugin type) once the name is final.
fn finish(mut package: Package) -> Package {
    if let PackageMetadata::JavaArchive(metadata) = &package.metadata {
        package.purl = package_url(&package.name, &package.version, metadata);
        if package.purl.contains("io.jenkins.plugins")
            || package.purl.contains("org.jenkins-ci.plugins")
        {
            package.package_type = PackageType::JenkinsPlugin;
        }
    }
    package
}

fn pom_licenses(resolver: &PomResolver<'_>, pom: &Pom, location: &Location) -> Vec<License> {
    resolver
        .licenses(pom)
        .into_iter()
        .filter_map(|license| {
            let name = license.name.unwrap_or_default();
            let url = license.url.unwrap_or_default();
            if name.is_empty() && url.is_empty() {
                return None;
            }
            let mut declared = License::declared(
                if name.is_empty() { url.clone() } else { name },
                location.clone(),
            );
            if !url.is_empty() {
                declared.urls.push(url);
            }
            Some(declared)
        })
        .collect()
}

/// A name compared without regard to case or to `_` standing for `-`.
fn normalized(name: &str) -> String {
    name.to_ascii_lowercase().replace('_', "-")
}

/// Whether a `pom.properties` artifact ID fits the archive's file name. When some
/// artifact ID is the file name exactly, only that one fits.
fn artifact_matches_filename(artifact: &str, name: &str, artifacts: &BTreeSet<&str>) -> bool {
    if artifact.is_empty() || name.is_empty() {
        return false;
    }
    if artifacts.contains(name) {
        return artifact == name;
    }
    artifact.starts_with(name) || name.ends_with(artifact)
}

fn archive_type(virtual_path: &str) -> PackageType {
    let extension = virtual_path
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match extension.as_str() {
        "jpi" | "hpi" => PackageType::JenkinsPlugin,
        _ => PackageType::JavaArchive,
    }
}

fn properties_type(properties: &JavaPomProperties) -> PackageType {
    let group = &properties.group_id;
    if JENKINS_GROUPS.iter().any(|g| group.starts_with(g)) || group.contains(".jenkins.plugin") {
        PackageType::JenkinsPlugin
    } else {
        PackageType::JavaArchive
    }
}

/// The name from the manifest and the file name: the Maven bundle plugin's symbolic
/// name, then the file name, then the manifest's name fields.
fn select_name(
    manifest: &plimsoll_model::metadata::JavaManifest,
    filename: &ArchiveFilename,
) -> String {
    if manifest
        .main_value("Created-By")
        .is_some_and(|v| v.contains("Apache Maven Bundle Plugin"))
    {
        if let Some(symbolic) = manifest
            .main_value("Bundle-SymbolicName")
            .filter(|s| !s.is_empty())
        {
            let vendor = manifest
                .main_value("Implementation-Vendor-Id")
                .unwrap_or("");
            let bundle = symbolic.rsplit('.').next().unwrap_or(symbolic);
            // Syft takes the bundle's last name part over the file name; where the file
            // name already holds that part (`commons-logging-api` for `logging`), it is
            // the more specific name and is kept.
            if vendor != symbolic && !filename.name.contains(bundle) {
                return bundle.to_string();
            }
        }
    }
    let name = name_from_filename(&filename.name);
    if !name.is_empty() {
        return name;
    }
    [
        "Name",
        "Bundle-Name",
        "Short-Name",
        "Extension-Name",
        "Implementation-Title",
    ]
    .iter()
    .filter_map(|field| manifest.main_value(field))
    .find(|value| !value.is_empty())
    .unwrap_or("")
    .to_string()
}

/// A file name of dotted Java identifiers (`com.fasterxml.jackson.core.jackson-core` is
/// not one) is a group and artifact; the artifact is its last part. Eclipse bundles keep
/// their whole name.
fn name_from_filename(name: &str) -> String {
    if name.contains('.') && !name.starts_with("org.eclipse.") {
        let fields: Vec<&str> = name.split('.').collect();
        let identifiers = fields.iter().all(|field| {
            field
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '$' || c == '_')
        });
        if identifiers {
            return fields[fields.len() - 1].to_string();
        }
    }
    name.to_string()
}

/// The version from the manifest, else from the file name. Syft prefers the file name,
/// but distributions rename jars (Debian's `atinject-jsr330-api-1.0.jar` holds 1.0.0,
/// `log4j-1.2-1.2.17.jar` 1.2.17); the archive's own manifest is the better witness.
fn select_version(
    manifest: &plimsoll_model::metadata::JavaManifest,
    filename: &ArchiveFilename,
) -> String {
    [
        "Implementation-Version",
        "Specification-Version",
        "Plugin-Version",
        "Bundle-Version",
    ]
    .iter()
    .find_map(|field| manifest::field(manifest, field))
    .map(str::to_string)
    .unwrap_or_else(|| filename.version.clone())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::super::zip_archive::tests::zip_of;
    use super::*;

    const MANIFEST: &[u8] = b"Manifest-Version: 1.0\r\nImplementation-Version: 9\r\n\r\n";

    fn catalog(bytes: &[u8], path: &str, limits: ArchiveLimits) -> Vec<Package> {
        let location = Location::new(path, None);
        let parser = ArchiveParser {
            location: &location,
            limits,
        };
        let mut out = Vec::new();
        let mut budget = Budget::new(limits.max_total);
        parser
            .parse(bytes, path, None, 0, &mut budget, &mut out)
            .unwrap();
        out.into_iter().map(finish).collect()
    }

    fn properties(group: &str, artifact: &str, version: &str) -> Vec<u8> {
        format!("groupId={group}\nartifactId={artifact}\nversion={version}\n").into_bytes()
    }

    #[test]
    fn shaded_and_nested_packages_depend_on_their_archive() {
        let inner = zip_of(&[
            ("META-INF/MANIFEST.MF", MANIFEST),
            (
                "META-INF/maven/org.apache.commons/commons-lang3/pom.properties",
                &properties("org.apache.commons", "commons-lang3", "3.12.0"),
            ),
        ]);
        let outer = zip_of(&[
            ("META-INF/MANIFEST.MF", MANIFEST),
            (
                "META-INF/maven/com.example/app/pom.properties",
                &properties("com.example", "app", "2.3.0"),
            ),
            (
                "META-INF/maven/joda-time/joda-time/pom.properties",
                &properties("joda-time", "joda-time", "2.9.2"),
            ),
            ("BOOT-INF/lib/commons-lang3-3.12.0.jar", &inner),
        ]);
        let packages = catalog(&outer, "/app-2.3.0.jar", ArchiveLimits::default());
        let summary: Vec<(&str, &str, &str)> = packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.purl.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("app", "2.3.0", "pkg:maven/com.example/app@2.3.0"),
                ("joda-time", "2.9.2", "pkg:maven/joda-time/joda-time@2.9.2"),
                (
                    "commons-lang3",
                    "3.12.0",
                    "pkg:maven/org.apache.commons/commons-lang3@3.12.0"
                ),
            ]
        );
        let pairs = crate::java::dependency_pairs(&packages);
        assert_eq!(pairs, [(1, 0), (2, 0)]);
        assert!(packages
            .iter()
            .all(|p| p.locations[0].path == "/app-2.3.0.jar"));
    }

    #[test]
    fn a_nested_bomb_is_skipped_and_the_rest_reported() {
        let zeros = vec![0u8; 32 << 20];
        let outer = zip_of(&[
            ("META-INF/MANIFEST.MF", MANIFEST),
            ("WEB-INF/lib/bomb.jar", &zeros),
            ("WEB-INF/lib/garbage.jar", b"PK\x03\x04 truncated"),
        ]);
        let limits = ArchiveLimits {
            max_nested_archive: 1 << 20,
            ..ArchiveLimits::default()
        };
        let packages = catalog(&outer, "/web-1.0.war", limits);
        assert_eq!(packages.len(), 1);
        assert_eq!(
            (packages[0].name.as_str(), packages[0].version.as_str()),
            ("web", "9")
        );
    }

    #[test]
    fn nesting_stops_at_the_depth_limit() {
        let mut archive = zip_of(&[("META-INF/MANIFEST.MF", MANIFEST)]);
        for level in 0..12 {
            archive = zip_of(&[
                ("META-INF/MANIFEST.MF", MANIFEST),
                (&format!("lib/level{level}.jar"), &archive),
            ]);
        }
        let limits = ArchiveLimits {
            max_depth: 3,
            ..ArchiveLimits::default()
        };
        assert_eq!(catalog(&archive, "/top.jar", limits).len(), 4);
    }

    #[test]
    fn weave_classes_jars_are_not_packages() {
        let jar = zip_of(&[("META-INF/MANIFEST.MF", b"Weave-Classes: x\n")]);
        assert!(catalog(
            &jar,
            "/spring-instrumentation-4.3.0-1.0.jar",
            ArchiveLimits::default()
        )
        .is_empty());
    }
}
