//! Ecosystem-specific facts about a package, in the shapes Syft's JSON uses.

mod languages;

pub use languages::{
    BinarySignature, ClassifierMatch, DotnetDepsEntry, JavaJvmInstallation, JavaVmRelease,
    MatchLocation, PhpComposerAuthor, PhpComposerEntry, PhpComposerReference, RubyGemspec,
};

use serde::{Deserialize, Serialize};

/// The metadata attached to a package; its variant decides `metadataType` in syft-json.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PackageMetadata {
    /// No metadata.
    #[default]
    None,
    Dpkg(DpkgDbEntry),
    Rpm(RpmDbEntry),
    Apk(ApkDbEntry),
    Python(PythonPackage),
    Npm(NpmPackage),
    NpmLock(NpmPackageLockEntry),
    YarnLock(YarnLockEntry),
    JavaArchive(JavaArchive),
    RubyGemspec(RubyGemspec),
    PhpComposerLock(PhpComposerEntry),
    PhpComposerInstalled(PhpComposerEntry),
    DotnetDeps(DotnetDepsEntry),
    BinarySignature(BinarySignature),
    JavaJvmInstallation(JavaJvmInstallation),
    GoBuildinfo(GoBuildinfoEntry),
    GoModule(GoModuleEntry),
    RustCargoLock(RustCargoLockEntry),
    RustCargoAudit(RustCargoAuditEntry),
}

impl PackageMetadata {
    /// The `metadataType` string for syft-json; `None` when there is no metadata.
    pub fn metadata_type(&self) -> Option<&'static str> {
        match self {
            PackageMetadata::None => None,
            PackageMetadata::Dpkg(_) => Some("dpkg-db-entry"),
            PackageMetadata::Rpm(_) => Some("rpm-db-entry"),
            PackageMetadata::Apk(_) => Some("apk-db-entry"),
            PackageMetadata::Python(_) => Some("python-package"),
            PackageMetadata::Npm(_) => Some("javascript-npm-package"),
            PackageMetadata::NpmLock(_) => Some("javascript-npm-package-lock-entry"),
            PackageMetadata::YarnLock(_) => Some("javascript-yarn-lock-entry"),
            PackageMetadata::JavaArchive(_) => Some("java-archive"),
            PackageMetadata::RubyGemspec(_) => Some("ruby-gemspec"),
            PackageMetadata::PhpComposerLock(_) => Some("php-composer-lock-entry"),
            PackageMetadata::PhpComposerInstalled(_) => Some("php-composer-installed-entry"),
            PackageMetadata::DotnetDeps(_) => Some("dotnet-deps-entry"),
            PackageMetadata::BinarySignature(_) => Some("binary-signature"),
            PackageMetadata::JavaJvmInstallation(_) => Some("java-jvm-installation"),
            PackageMetadata::GoBuildinfo(_) => Some("go-module-buildinfo-entry"),
            PackageMetadata::GoModule(_) => Some("go-module-entry"),
            PackageMetadata::RustCargoLock(_) => Some("rust-cargo-lock-entry"),
            PackageMetadata::RustCargoAudit(_) => Some("rust-cargo-audit-entry"),
        }
    }
}

/// A digest of a file's content.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileDigest {
    pub algorithm: String,
    pub value: String,
}

/// A file that a dpkg package installed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DpkgFileRecord {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<FileDigest>,
    pub is_config_file: bool,
}

/// One package entry of a dpkg status database (`var/lib/dpkg/status` or `status.d/`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DpkgDbEntry {
    pub package: String,
    pub source: String,
    pub version: String,
    pub source_version: String,
    pub architecture: String,
    pub maintainer: String,
    pub installed_size: u64,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub provides: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub depends: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub pre_depends: Vec<String>,
    pub files: Vec<DpkgFileRecord>,
}

/// A file that an RPM package installed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RpmFileRecord {
    pub path: String,
    pub mode: u32,
    pub size: u64,
    pub digest: FileDigest,
    pub user_name: String,
    pub group_name: String,
    pub flags: String,
}

/// One package header of an RPM database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RpmDbEntry {
    pub name: String,
    pub version: String,
    pub epoch: Option<i64>,
    pub architecture: String,
    pub release: String,
    pub source_rpm: String,
    pub size: u64,
    pub vendor: String,
    pub modularity_label: String,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub provides: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub requires: Vec<String>,
    pub files: Vec<RpmFileRecord>,
}

/// A file that an apk package installed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApkFileRecord {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_uid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_gid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<FileDigest>,
}

/// One package entry of the apk database (`lib/apk/db/installed`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApkDbEntry {
    pub package: String,
    pub origin_package: String,
    pub maintainer: String,
    pub version: String,
    pub architecture: String,
    pub url: String,
    pub description: String,
    pub size: u64,
    pub installed_size: u64,
    pub pull_dependencies: Vec<String>,
    pub provides: Vec<String>,
    pub pull_checksum: String,
    pub git_commit_of_apk_port: String,
    pub files: Vec<ApkFileRecord>,
}

/// A file listed in a Python package's `RECORD` (or `installed-files.txt`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PythonFileRecord {
    /// The path as written, relative to the site-packages directory.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<FileDigest>,
    /// The size in bytes, kept as the text the record holds (Syft writes it as a string).
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub size: String,
}

/// Where a Python package was installed from, per its `direct_url.json` (PEP 610).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PythonDirectUrlOrigin {
    pub url: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub commit_id: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub vcs: String,
}

/// An installed Python distribution: its core metadata (`METADATA` or `PKG-INFO`) and the
/// files beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PythonPackage {
    /// The name as the metadata writes it (the package name is its normalised form).
    pub name: String,
    pub version: String,
    pub author: String,
    pub author_email: String,
    pub platform: String,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub files: Vec<PythonFileRecord>,
    /// The directory that holds the metadata directory (or the `.egg-info` file).
    pub site_packages_root_path: String,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub top_level_packages: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub direct_url_origin: Option<PythonDirectUrlOrigin>,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub requires_python: String,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub requires_dist: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub provides_extra: Vec<String>,
}

/// The facts a JavaScript `package.json` gives about its package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NpmPackage {
    pub name: String,
    pub version: String,
    /// `name <email> (url)`, whichever parts are known.
    pub author: String,
    pub homepage: String,
    pub description: String,
    /// The repository URL.
    pub url: String,
    pub private: bool,
}

/// One package entry of an npm `package-lock.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NpmPackageLockEntry {
    pub resolved: String,
    pub integrity: String,
}

/// One package entry of a `yarn.lock`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YarnLockEntry {
    pub resolved: String,
    pub integrity: String,
}

/// A `key` and `value` pair: a Java manifest line, or a Go build setting as Syft writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

/// A JAR manifest (`META-INF/MANIFEST.MF`): the main section, then each named section, as
/// the ordered lines they hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JavaManifest {
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub main: Vec<KeyValue>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub sections: Vec<Vec<KeyValue>>,
}

impl JavaManifest {
    /// The first value of `key` in the main section.
    pub fn main_value(&self, key: &str) -> Option<&str> {
        self.main
            .iter()
            .find(|entry| entry.key == key)
            .map(|entry| entry.value.as_str())
    }
}

/// A Maven `pom.properties` file (written by the Maven archiver into every jar it builds).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JavaPomProperties {
    /// The file's path inside the archive.
    pub path: String,
    pub name: String,
    pub group_id: String,
    pub artifact_id: String,
    pub version: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub scope: String,
    /// Keys other than the ones above, sorted.
    #[serde(
        rename = "extraFields",
        skip_serializing_if = "std::collections::BTreeMap::is_empty",
        default
    )]
    pub extra: std::collections::BTreeMap<String, String>,
}

/// The coordinates of a POM's `<parent>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JavaPomParent {
    pub group_id: String,
    pub artifact_id: String,
    pub version: String,
}

/// What a `pom.xml` says about its project, properties resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JavaPomProject {
    /// The file's path inside the archive; empty for a POM found on the file system.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parent: Option<JavaPomParent>,
    pub group_id: String,
    pub artifact_id: String,
    pub version: String,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub description: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub url: String,
}

/// A Java package: an archive (jar, war, hpi…) or a Maven/Gradle declaration, with whatever
/// of the manifest, `pom.properties` and `pom.xml` named it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JavaArchive {
    /// The archive's path, nested archives joined with `:`; a package found through one of
    /// several `pom.properties` in an archive adds `:groupId:artifactId`.
    #[serde(default)]
    pub virtual_path: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub manifest: Option<JavaManifest>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pom_properties: Option<JavaPomProperties>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pom_project: Option<JavaPomProject>,
    /// The SHA-1 of the archive itself.
    #[serde(rename = "digest", skip_serializing_if = "Vec::is_empty", default)]
    pub archive_digests: Vec<FileDigest>,
    /// Handles of the packages this one is a dependency of (the archive holding it, the
    /// project declaring it), for `dependency-of` edges; not part of the package's
    /// identity, and not written.
    #[serde(skip)]
    pub dependency_of: Vec<String>,
}

/// A Go module (or the standard library) compiled into a binary, from the binary's build
/// information.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GoBuildinfoEntry {
    /// The `build` lines, in order; only the main module carries them.
    #[serde(
        rename = "goBuildSettings",
        skip_serializing_if = "Vec::is_empty",
        default
    )]
    pub build_settings: Vec<KeyValue>,
    /// The toolchain version (`go1.19.8`), without experiment suffixes.
    pub go_compiled_version: String,
    pub architecture: String,
    /// The module's `go.sum` hash (`h1:…`).
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub h1_digest: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub main_module: String,
    /// `standard-crypto`, `boring-crypto`, `crypto/tls/fipsonly`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub go_crypto_settings: Vec<String>,
    /// `GOEXPERIMENT`s named in the toolchain version (`go1.20 X:boringcrypto`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub go_experiments: Vec<String>,
}

/// A Go module required by a `go.mod` file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GoModuleEntry {
    /// The module's hash from the sibling `go.sum` (`h1:…`).
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub h1_digest: String,
}

/// One `[[package]]` of a `Cargo.lock`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RustCargoLockEntry {
    pub name: String,
    pub version: String,
    pub source: String,
    pub checksum: String,
    /// The package's dependencies as the lock writes them (`name`, `name version` or
    /// `name version (source)`).
    pub dependencies: Vec<String>,
}

/// A crate recorded in a binary's `cargo auditable` dependency section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RustCargoAuditEntry {
    pub name: String,
    pub version: String,
    /// `crates.io`, `local`, `git`, `registry` or `other`.
    pub source: String,
}
