//! Ecosystem metadata in CycloneDX, for the metadata types the model knows. Syft writes
//! selected OS-package fields as `syft:metadata:<field>` properties (lists as
//! `<field>:<index>`), the maintainer or vendor as `publisher`, a language package's author
//! as `author`, descriptions as `description`, and project URLs as external references;
//! reading reverses that, taking name, version and architecture from the component and its
//! PURL. File lists, dependency fields and lock-file digests are not written, so they do not
//! come back.

use plimsoll_model::metadata::{
    ApkDbEntry, DpkgDbEntry, JavaArchive, NpmPackage, NpmPackageLockEntry, PythonDirectUrlOrigin,
    PythonPackage, RpmDbEntry, YarnLockEntry,
};
use plimsoll_model::PackageMetadata;

use super::document::{Component, ExternalReference, Property};
use crate::error::DecodeError;
use crate::purl::Purl;

const PREFIX: &str = "syft:metadata:";

/// What a package's metadata contributes to its component.
#[derive(Debug, Default)]
pub(crate) struct MetadataFields {
    pub author: String,
    pub publisher: String,
    pub description: String,
    pub external_references: Vec<ExternalReference>,
    /// Sorted by name, as Syft sorts them.
    pub properties: Vec<Property>,
}

/// The component fields and properties for a package's metadata.
pub(crate) fn encode(metadata: &PackageMetadata) -> MetadataFields {
    let mut properties = Properties::default();
    let mut fields = MetadataFields::default();
    match metadata {
        PackageMetadata::Dpkg(entry) => {
            fields.publisher = entry.maintainer.clone();
            properties.number("installedSize", entry.installed_size);
            properties.text("source", &entry.source);
            properties.text("sourceVersion", &entry.source_version);
        }
        PackageMetadata::Rpm(entry) => {
            fields.publisher = entry.vendor.clone();
            if let Some(epoch) = entry.epoch {
                properties.text("epoch", &epoch.to_string());
            }
            properties.text("release", &entry.release);
            properties.number("size", entry.size);
            properties.text("sourceRpm", &entry.source_rpm);
        }
        PackageMetadata::Apk(entry) => {
            fields.publisher = entry.maintainer.clone();
            fields.description = entry.description.clone();
            if !entry.url.is_empty() {
                fields.external_references.push(ExternalReference {
                    url: entry.url.clone(),
                    comment: String::new(),
                    reference_type: "distribution".to_string(),
                });
            }
            properties.text("gitCommitOfApkPort", &entry.git_commit_of_apk_port);
            properties.number("installedSize", entry.installed_size);
            properties.text("originPackage", &entry.origin_package);
            properties.list("provides", &entry.provides);
            properties.text("pullChecksum", &entry.pull_checksum);
            properties.list("pullDependencies", &entry.pull_dependencies);
            properties.number("size", entry.size);
        }
        PackageMetadata::Python(entry) => {
            fields.author = python_author(&entry.author, &entry.author_email);
            if let Some(origin) = entry
                .direct_url_origin
                .as_ref()
                .filter(|o| !o.vcs.is_empty())
            {
                fields.external_references.push(ExternalReference {
                    url: origin.url.clone(),
                    comment: if origin.commit_id.is_empty() {
                        String::new()
                    } else {
                        format!("commit: {}", origin.commit_id)
                    },
                    reference_type: "vcs".to_string(),
                });
            }
        }
        PackageMetadata::Npm(entry) => {
            fields.author = entry.author.clone();
            fields.description = entry.description.clone();
            let mut reference = |url: &str, reference_type: &str| {
                if !url.is_empty() {
                    fields.external_references.push(ExternalReference {
                        url: url.to_string(),
                        comment: String::new(),
                        reference_type: reference_type.to_string(),
                    });
                }
            };
            reference(&entry.url, "distribution");
            reference(&entry.homepage, "website");
        }
        // Syft writes a Java package's virtual path, which keeps the jars inside a jar
        // apart.
        PackageMetadata::JavaArchive(entry) => properties.text("virtualPath", &entry.virtual_path),
        // Lock-file entries add nothing to the component.
        _ => {}
    }
    fields.properties = properties.sorted();
    fields
}

/// Rebuilds the metadata of a component whose `syft:package:metadataType` is
/// `metadata_type`; types the model does not know give [`PackageMetadata::None`].
pub(crate) fn decode(
    metadata_type: &str,
    component: &Component,
    purl: Option<&Purl>,
) -> Result<PackageMetadata, DecodeError> {
    let read = Reader { component };
    let reference = |reference_type: &str| {
        component
            .external_references
            .iter()
            .find(|reference| reference.reference_type == reference_type)
    };
    let reference_url = |reference_type: &str| {
        reference(reference_type)
            .map(|reference| reference.url.clone())
            .unwrap_or_default()
    };
    let architecture = purl
        .and_then(|purl| purl.qualifier("arch"))
        .unwrap_or_default()
        .to_string();
    let metadata = match metadata_type {
        "dpkg-db-entry" => PackageMetadata::Dpkg(DpkgDbEntry {
            package: component.name.clone(),
            source: read.text("source"),
            version: component.version.clone(),
            source_version: read.text("sourceVersion"),
            architecture,
            maintainer: component.publisher.clone(),
            installed_size: read.number("installedSize")?,
            ..Default::default()
        }),
        "rpm-db-entry" => {
            let release = read.text("release");
            let epoch = match read.optional("epoch") {
                Some(text) => Some(read.parse::<i64>("epoch", text)?),
                None => None,
            };
            PackageMetadata::Rpm(RpmDbEntry {
                name: component.name.clone(),
                version: rpm_version(&component.version, &release),
                epoch,
                architecture,
                release,
                source_rpm: read.text("sourceRpm"),
                size: read.number("size")?,
                vendor: component.publisher.clone(),
                ..Default::default()
            })
        }
        "apk-db-entry" => PackageMetadata::Apk(ApkDbEntry {
            package: component.name.clone(),
            origin_package: read.text("originPackage"),
            maintainer: component.publisher.clone(),
            version: component.version.clone(),
            architecture,
            url: reference_url("distribution"),
            description: component.description.clone(),
            size: read.number("size")?,
            installed_size: read.number("installedSize")?,
            pull_dependencies: read.list("pullDependencies"),
            provides: read.list("provides"),
            pull_checksum: read.text("pullChecksum"),
            git_commit_of_apk_port: read.text("gitCommitOfApkPort"),
            files: Vec::new(),
        }),
        "python-package" => {
            let (author, author_email) = split_author(&component.author);
            PackageMetadata::Python(PythonPackage {
                name: component.name.clone(),
                version: component.version.clone(),
                author,
                author_email,
                direct_url_origin: reference("vcs").map(|vcs| PythonDirectUrlOrigin {
                    url: vcs.url.clone(),
                    commit_id: vcs
                        .comment
                        .strip_prefix("commit: ")
                        .unwrap_or_default()
                        .to_string(),
                    vcs: "git".to_string(),
                }),
                ..Default::default()
            })
        }
        "javascript-npm-package" => PackageMetadata::Npm(NpmPackage {
            name: component.name.clone(),
            version: component.version.clone(),
            author: component.author.clone(),
            homepage: reference_url("website"),
            description: component.description.clone(),
            url: reference_url("distribution"),
            private: false,
        }),
        "javascript-npm-package-lock-entry" => {
            PackageMetadata::NpmLock(NpmPackageLockEntry::default())
        }
        "javascript-yarn-lock-entry" => PackageMetadata::YarnLock(YarnLockEntry::default()),
        "java-archive" => PackageMetadata::JavaArchive(JavaArchive {
            virtual_path: read.text("virtualPath"),
            ..JavaArchive::default()
        }),
        _ => PackageMetadata::None,
    };
    Ok(metadata)
}

/// A Python package's author as Syft writes it: `Name <email>`, or whichever part is known.
fn python_author(name: &str, email: &str) -> String {
    match (name.is_empty(), email.is_empty()) {
        (false, false) => format!("{name} <{email}>"),
        (false, true) => name.to_string(),
        _ => email.to_string(),
    }
}

/// The name and address in `Name <email>`; a lone address (with `@`) is an address.
fn split_author(author: &str) -> (String, String) {
    if let Some((name, rest)) = author.split_once(" <") {
        if let Some(email) = rest.strip_suffix('>') {
            return (name.trim().to_string(), email.to_string());
        }
    }
    if author.contains('@') && !author.contains(' ') {
        return (String::new(), author.to_string());
    }
    (author.to_string(), String::new())
}

/// The bare version of an RPM package whose Syft version is `[epoch:]version-release`.
fn rpm_version(full: &str, release: &str) -> String {
    let without_epoch = full.split_once(':').map_or(full, |(_, rest)| rest);
    let suffix = format!("-{release}");
    match without_epoch.strip_suffix(&suffix) {
        Some(version) if !release.is_empty() => version.to_string(),
        _ => without_epoch.to_string(),
    }
}

/// Collects metadata properties; empty text is left out, numbers never are (as in Syft).
#[derive(Default)]
struct Properties(Vec<Property>);

impl Properties {
    fn text(&mut self, field: &str, value: &str) {
        if !value.is_empty() {
            self.0
                .push(Property::new(format!("{PREFIX}{field}"), value));
        }
    }

    fn number(&mut self, field: &str, value: u64) {
        self.0
            .push(Property::new(format!("{PREFIX}{field}"), value.to_string()));
    }

    fn list(&mut self, field: &str, values: &[String]) {
        for (index, value) in values.iter().enumerate() {
            self.0
                .push(Property::new(format!("{PREFIX}{field}:{index}"), value));
        }
    }

    fn sorted(mut self) -> Vec<Property> {
        self.0.sort_by(|a, b| a.name.cmp(&b.name));
        self.0
    }
}

/// Reads `syft:metadata:` properties of one component.
struct Reader<'a> {
    component: &'a Component,
}

impl Reader<'_> {
    fn optional(&self, field: &str) -> Option<&str> {
        self.component.property(&format!("{PREFIX}{field}"))
    }

    fn text(&self, field: &str) -> String {
        self.optional(field).unwrap_or_default().to_string()
    }

    fn number(&self, field: &str) -> Result<u64, DecodeError> {
        match self.optional(field) {
            Some(text) => self.parse(field, text),
            None => Ok(0),
        }
    }

    fn parse<T: std::str::FromStr>(&self, field: &str, text: &str) -> Result<T, DecodeError> {
        text.trim().parse().map_err(|_| DecodeError::Invalid {
            format: "CycloneDX",
            message: format!(
                "component `{}`: property `{PREFIX}{field}` is `{text}`, not a whole number",
                self.component.name
            ),
        })
    }

    /// `<field>:0`, `<field>:1`, … in index order.
    fn list(&self, field: &str) -> Vec<String> {
        let prefix = format!("{PREFIX}{field}:");
        let mut indexed: Vec<(usize, &str)> = self
            .component
            .properties
            .iter()
            .filter_map(|property| {
                let index = property.name.strip_prefix(&prefix)?.parse().ok()?;
                Some((index, property.value.as_str()))
            })
            .collect();
        indexed.sort_by_key(|(index, _)| *index);
        indexed
            .into_iter()
            .map(|(_, value)| value.to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpm_versions() {
        assert_eq!(rpm_version("2:1.2.3-4.el9", "4.el9"), "1.2.3");
        assert_eq!(rpm_version("3.0.6-1.cm2", "1.cm2"), "3.0.6");
        assert_eq!(rpm_version("3.0.6", ""), "3.0.6");
        assert_eq!(rpm_version("3.0.6-1", "2"), "3.0.6-1");
    }

    #[test]
    fn apk_round_trip() {
        let entry = ApkDbEntry {
            package: "musl".into(),
            origin_package: "musl".into(),
            maintainer: "Timo <t@example.org>".into(),
            version: "1.2.3-r0".into(),
            architecture: "x86_64".into(),
            url: "https://musl.libc.org/".into(),
            description: "the musl c library".into(),
            size: 1,
            installed_size: 2,
            pull_dependencies: (0..12).map(|i| format!("dep{i}")).collect(),
            provides: vec!["so:libc.musl-x86_64.so.1=1".into()],
            pull_checksum: "Q1abc=".into(),
            git_commit_of_apk_port: "abc".into(),
            files: vec![],
        };
        let fields = encode(&PackageMetadata::Apk(entry.clone()));
        let names: Vec<&str> = fields.properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names[0], "syft:metadata:gitCommitOfApkPort");
        // Syft sorts by name as text: index 10 comes before index 2.
        assert_eq!(names[5], "syft:metadata:pullDependencies:0");
        assert_eq!(names[7], "syft:metadata:pullDependencies:10");

        let component = Component {
            name: entry.package.clone(),
            version: entry.version.clone(),
            publisher: fields.publisher,
            description: fields.description,
            external_references: fields.external_references,
            properties: fields.properties,
            ..Default::default()
        };
        let purl = Purl::parse("pkg:apk/alpine/musl@1.2.3-r0?arch=x86_64").unwrap();
        let decoded = decode("apk-db-entry", &component, Some(&purl)).unwrap();
        assert_eq!(decoded, PackageMetadata::Apk(entry));
    }

    #[test]
    fn bad_numbers_are_errors() {
        let component = Component {
            name: "apt".into(),
            properties: vec![Property::new("syft:metadata:installedSize", "lots")],
            ..Default::default()
        };
        let error = decode("dpkg-db-entry", &component, None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid CycloneDX document: component `apt`: property \
             `syft:metadata:installedSize` is `lots`, not a whole number"
        );
        assert_eq!(
            decode("alpm-db-entry", &component, None).unwrap(),
            PackageMetadata::None
        );
    }
}
