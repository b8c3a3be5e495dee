//! Metadata of Ruby, PHP and .NET packages, of binaries recognised by their content, and of
//! JVM installations, in the shapes Syft's JSON gives them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What a `.gemspec` file declares about its gem (`ruby-gemspec`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RubyGemspec {
    pub name: String,
    pub version: String,
    /// The files the gem ships, relative to the gem's own directory.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub files: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub homepage: String,
}

/// Where Composer fetched a package from (`source` or `dist`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhpComposerReference {
    #[serde(rename = "type")]
    pub reference_type: String,
    pub url: String,
    pub reference: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub shasum: String,
}

/// One author of a Composer package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhpComposerAuthor {
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub email: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub homepage: String,
}

/// One package of a `composer.lock` (`php-composer-lock-entry`) or an `installed.json`
/// (`php-composer-installed-entry`); both files describe packages the same way. The
/// licenses are the package's own licenses, not repeated here, as Syft leaves them out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhpComposerEntry {
    pub name: String,
    pub version: String,
    pub source: PhpComposerReference,
    pub dist: PhpComposerReference,
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub require: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub provide: BTreeMap<String, String>,
    #[serde(
        rename = "require-dev",
        skip_serializing_if = "BTreeMap::is_empty",
        default
    )]
    pub require_dev: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub suggest: BTreeMap<String, String>,
    #[serde(rename = "type", skip_serializing_if = "String::is_empty", default)]
    pub package_type: String,
    #[serde(
        rename = "notification-url",
        skip_serializing_if = "String::is_empty",
        default
    )]
    pub notification_url: String,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub bin: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub authors: Vec<PhpComposerAuthor>,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub description: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub homepage: String,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub keywords: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub time: String,
}

/// One library of a .NET `*.deps.json` file (`dotnet-deps-entry`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DotnetDepsEntry {
    pub name: String,
    pub version: String,
    /// The package's directory in the NuGet cache (`name/version`, lowercase).
    pub path: String,
    pub sha512: String,
    pub hash_path: String,
}

/// The file a binary classifier matched, as Syft writes a location inside metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchLocation {
    pub path: String,
    #[serde(rename = "layerID", skip_serializing_if = "Option::is_none", default)]
    pub layer_id: Option<String>,
    pub access_path: String,
    /// `{"evidence": "primary"}`: the matched file is the package's primary evidence.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub annotations: BTreeMap<String, String>,
}

/// Which classifier recognised a binary, and in which file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassifierMatch {
    pub classifier: String,
    pub location: MatchLocation,
}

/// How a binary package was recognised (`binary-signature`): every classifier match that
/// named the same package and version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BinarySignature {
    pub matches: Vec<ClassifierMatch>,
}

/// The fields of a JDK or JRE `release` file, named as Syft names them; empty ones are
/// left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct JavaVmRelease {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub implementor: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub implementor_version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub java_runtime_version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub java_version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub java_version_date: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub libc: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub modules: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub os_arch: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub os_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub os_version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub build_source: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub build_source_repo: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source_repo: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub full_version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub semantic_version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub build_info: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub jvm_variant: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub jvm_version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub image_type: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub build_type: String,
}

/// A JDK or JRE installation (`java-jvm-installation`): its `release` file and the files
/// that show it is installed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JavaJvmInstallation {
    pub release: JavaVmRelease,
    pub files: Vec<String>,
}
