//! Package metadata in syft-json, read by `metadataType` for the types the model knows
//! (`dpkg-db-entry`, `rpm-db-entry`, `apk-db-entry`, `python-package`,
//! `javascript-npm-package`, `javascript-npm-package-lock-entry`,
//! `javascript-yarn-lock-entry`, `go-module-buildinfo-entry`, `go-module-entry`,
//! `rust-cargo-lock-entry`, `rust-cargo-audit-entry`, and through the model's own shapes
//! `java-archive`, `ruby-gemspec`, `php-composer-lock-entry`, `php-composer-installed-entry`,
//! `dotnet-deps-entry`, `binary-signature`, `java-jvm-installation`); every other type reads
//! as no metadata. Fields Syft leaves out (`omitempty`) or writes as `null` read as empty;
//! in the types read through the model's shapes, which have no field Syft writes as `null`,
//! only omitted fields do.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use plimsoll_model::metadata::{
    ApkDbEntry, ApkFileRecord, DpkgDbEntry, DpkgFileRecord, FileDigest, NpmPackage,
    NpmPackageLockEntry, PythonDirectUrlOrigin, PythonFileRecord, PythonPackage, RpmDbEntry,
    RpmFileRecord, YarnLockEntry,
};
use plimsoll_model::metadata::{
    GoBuildinfoEntry, GoModuleEntry, KeyValue, RustCargoAuditEntry, RustCargoLockEntry,
};
use plimsoll_model::PackageMetadata;

/// The metadata of one artifact. On error, returns the JSON path within `metadata` and the
/// parser's message.
pub(super) fn decode(
    metadata_type: &str,
    metadata: &Value,
) -> Result<PackageMetadata, (String, String)> {
    let decoded = match metadata_type {
        "dpkg-db-entry" => PackageMetadata::Dpkg(parse::<Dpkg>(metadata)?.into()),
        "rpm-db-entry" => PackageMetadata::Rpm(parse::<Rpm>(metadata)?.into()),
        "apk-db-entry" => PackageMetadata::Apk(parse::<Apk>(metadata)?.into()),
        "python-package" => PackageMetadata::Python(parse::<Python>(metadata)?.into()),
        "javascript-npm-package" => PackageMetadata::Npm(parse::<Npm>(metadata)?.into()),
        "javascript-npm-package-lock-entry" => {
            let entry = parse::<LockEntry>(metadata)?;
            PackageMetadata::NpmLock(NpmPackageLockEntry {
                resolved: entry.resolved,
                integrity: entry.integrity,
            })
        }
        "javascript-yarn-lock-entry" => {
            let entry = parse::<LockEntry>(metadata)?;
            PackageMetadata::YarnLock(YarnLockEntry {
                resolved: entry.resolved,
                integrity: entry.integrity,
            })
        }
        // The model's own shape is syft-json's for Java; every field may be left out.
        "java-archive" => PackageMetadata::JavaArchive(parse(metadata)?),
        "ruby-gemspec" => PackageMetadata::RubyGemspec(parse(metadata)?),
        "php-composer-lock-entry" => PackageMetadata::PhpComposerLock(parse(metadata)?),
        "php-composer-installed-entry" => PackageMetadata::PhpComposerInstalled(parse(metadata)?),
        "dotnet-deps-entry" => PackageMetadata::DotnetDeps(parse(metadata)?),
        "binary-signature" => PackageMetadata::BinarySignature(parse(metadata)?),
        "java-jvm-installation" => PackageMetadata::JavaJvmInstallation(parse(metadata)?),
        "go-module-buildinfo-entry" => {
            PackageMetadata::GoBuildinfo(parse::<GoBuildinfo>(metadata)?.into())
        }
        "go-module-entry" => PackageMetadata::GoModule(GoModuleEntry {
            h1_digest: parse::<GoModule>(metadata)?.h1_digest,
        }),
        "rust-cargo-lock-entry" => {
            let entry = parse::<CargoLock>(metadata)?;
            PackageMetadata::RustCargoLock(RustCargoLockEntry {
                name: entry.name,
                version: entry.version,
                source: entry.source,
                checksum: entry.checksum,
                dependencies: entry.dependencies,
            })
        }
        "rust-cargo-audit-entry" => {
            let entry = parse::<CargoAudit>(metadata)?;
            PackageMetadata::RustCargoAudit(RustCargoAuditEntry {
                name: entry.name,
                version: entry.version,
                source: entry.source,
            })
        }
        _ => PackageMetadata::None,
    };
    Ok(decoded)
}

fn parse<'de, T: Deserialize<'de>>(metadata: &'de Value) -> Result<T, (String, String)> {
    serde_path_to_error::deserialize(metadata).map_err(|error| {
        let path = error.path().to_string();
        (path, error.into_inner().to_string())
    })
}

/// Reads `null` as the default value.
pub(super) fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Digest {
    #[serde(deserialize_with = "nullable")]
    algorithm: String,
    #[serde(deserialize_with = "nullable")]
    value: String,
}

impl From<Digest> for FileDigest {
    fn from(digest: Digest) -> FileDigest {
        FileDigest {
            algorithm: digest.algorithm,
            value: digest.value,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Dpkg {
    #[serde(deserialize_with = "nullable")]
    package: String,
    #[serde(deserialize_with = "nullable")]
    source: String,
    #[serde(deserialize_with = "nullable")]
    version: String,
    #[serde(deserialize_with = "nullable")]
    source_version: String,
    #[serde(deserialize_with = "nullable")]
    architecture: String,
    #[serde(deserialize_with = "nullable")]
    maintainer: String,
    #[serde(deserialize_with = "nullable")]
    installed_size: u64,
    #[serde(deserialize_with = "nullable")]
    provides: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    depends: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pre_depends: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    files: Vec<DpkgFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct DpkgFile {
    #[serde(deserialize_with = "nullable")]
    path: String,
    digest: Option<Digest>,
    #[serde(deserialize_with = "nullable")]
    is_config_file: bool,
}

impl From<Dpkg> for DpkgDbEntry {
    fn from(entry: Dpkg) -> DpkgDbEntry {
        DpkgDbEntry {
            package: entry.package,
            source: entry.source,
            version: entry.version,
            source_version: entry.source_version,
            architecture: entry.architecture,
            maintainer: entry.maintainer,
            installed_size: entry.installed_size,
            provides: entry.provides,
            depends: entry.depends,
            pre_depends: entry.pre_depends,
            files: entry
                .files
                .into_iter()
                .map(|file| DpkgFileRecord {
                    path: file.path,
                    digest: file.digest.map(FileDigest::from),
                    is_config_file: file.is_config_file,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Rpm {
    #[serde(deserialize_with = "nullable")]
    name: String,
    #[serde(deserialize_with = "nullable")]
    version: String,
    epoch: Option<i64>,
    #[serde(deserialize_with = "nullable")]
    architecture: String,
    #[serde(deserialize_with = "nullable")]
    release: String,
    #[serde(deserialize_with = "nullable")]
    source_rpm: String,
    #[serde(deserialize_with = "nullable")]
    size: u64,
    #[serde(deserialize_with = "nullable")]
    vendor: String,
    #[serde(deserialize_with = "nullable")]
    modularity_label: String,
    #[serde(deserialize_with = "nullable")]
    provides: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    requires: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    files: Vec<RpmFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct RpmFile {
    #[serde(deserialize_with = "nullable")]
    path: String,
    #[serde(deserialize_with = "nullable")]
    mode: u32,
    #[serde(deserialize_with = "nullable")]
    size: u64,
    #[serde(deserialize_with = "nullable")]
    digest: Digest,
    #[serde(deserialize_with = "nullable")]
    user_name: String,
    #[serde(deserialize_with = "nullable")]
    group_name: String,
    #[serde(deserialize_with = "nullable")]
    flags: String,
}

impl From<Rpm> for RpmDbEntry {
    fn from(entry: Rpm) -> RpmDbEntry {
        RpmDbEntry {
            name: entry.name,
            version: entry.version,
            epoch: entry.epoch,
            architecture: entry.architecture,
            release: entry.release,
            source_rpm: entry.source_rpm,
            size: entry.size,
            vendor: entry.vendor,
            modularity_label: entry.modularity_label,
            provides: entry.provides,
            requires: entry.requires,
            files: entry
                .files
                .into_iter()
                .map(|file| RpmFileRecord {
                    path: file.path,
                    mode: file.mode,
                    size: file.size,
                    digest: file.digest.into(),
                    user_name: file.user_name,
                    group_name: file.group_name,
                    flags: file.flags,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Apk {
    #[serde(deserialize_with = "nullable")]
    package: String,
    #[serde(deserialize_with = "nullable")]
    origin_package: String,
    #[serde(deserialize_with = "nullable")]
    maintainer: String,
    #[serde(deserialize_with = "nullable")]
    version: String,
    #[serde(deserialize_with = "nullable")]
    architecture: String,
    #[serde(deserialize_with = "nullable")]
    url: String,
    #[serde(deserialize_with = "nullable")]
    description: String,
    #[serde(deserialize_with = "nullable")]
    size: u64,
    #[serde(deserialize_with = "nullable")]
    installed_size: u64,
    #[serde(deserialize_with = "nullable")]
    pull_dependencies: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    provides: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pull_checksum: String,
    #[serde(deserialize_with = "nullable")]
    git_commit_of_apk_port: String,
    #[serde(deserialize_with = "nullable")]
    files: Vec<ApkFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct ApkFile {
    #[serde(deserialize_with = "nullable")]
    path: String,
    owner_uid: Option<String>,
    owner_gid: Option<String>,
    permissions: Option<String>,
    digest: Option<Digest>,
}

impl From<Apk> for ApkDbEntry {
    fn from(entry: Apk) -> ApkDbEntry {
        ApkDbEntry {
            package: entry.package,
            origin_package: entry.origin_package,
            maintainer: entry.maintainer,
            version: entry.version,
            architecture: entry.architecture,
            url: entry.url,
            description: entry.description,
            size: entry.size,
            installed_size: entry.installed_size,
            pull_dependencies: entry.pull_dependencies,
            provides: entry.provides,
            pull_checksum: entry.pull_checksum,
            git_commit_of_apk_port: entry.git_commit_of_apk_port,
            files: entry
                .files
                .into_iter()
                .map(|file| ApkFileRecord {
                    path: file.path,
                    owner_uid: file.owner_uid,
                    owner_gid: file.owner_gid,
                    permissions: file.permissions,
                    digest: file.digest.map(FileDigest::from),
                })
                .collect(),
        }
    }
}

/// Reads a string, or a number as its text (Python `RECORD` sizes are strings in syft-json).
fn text_or_number<'de, D>(deserializer: D) -> Result<String, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match Option::<Value>::deserialize(deserializer)? {
        Some(Value::String(text)) => text,
        Some(Value::Number(number)) => number.to_string(),
        Some(Value::Null) | None => String::new(),
        Some(other) => {
            return Err(serde::de::Error::custom(format!(
                "invalid type: {other}, expected a string or a number"
            )))
        }
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Python {
    #[serde(deserialize_with = "nullable")]
    name: String,
    #[serde(deserialize_with = "nullable")]
    version: String,
    #[serde(deserialize_with = "nullable")]
    author: String,
    #[serde(deserialize_with = "nullable")]
    author_email: String,
    #[serde(deserialize_with = "nullable")]
    platform: String,
    #[serde(deserialize_with = "nullable")]
    files: Vec<PythonFile>,
    #[serde(deserialize_with = "nullable")]
    site_packages_root_path: String,
    #[serde(deserialize_with = "nullable")]
    top_level_packages: Vec<String>,
    direct_url_origin: Option<DirectUrl>,
    #[serde(deserialize_with = "nullable")]
    requires_python: String,
    #[serde(deserialize_with = "nullable")]
    requires_dist: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    provides_extra: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PythonFile {
    #[serde(deserialize_with = "nullable")]
    path: String,
    digest: Option<Digest>,
    #[serde(deserialize_with = "text_or_number")]
    size: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct DirectUrl {
    #[serde(deserialize_with = "nullable")]
    url: String,
    #[serde(deserialize_with = "nullable")]
    commit_id: String,
    #[serde(deserialize_with = "nullable")]
    vcs: String,
}

impl From<Python> for PythonPackage {
    fn from(entry: Python) -> PythonPackage {
        PythonPackage {
            name: entry.name,
            version: entry.version,
            author: entry.author,
            author_email: entry.author_email,
            platform: entry.platform,
            files: entry
                .files
                .into_iter()
                .map(|file| PythonFileRecord {
                    path: file.path,
                    digest: file.digest.map(FileDigest::from),
                    size: file.size,
                })
                .collect(),
            site_packages_root_path: entry.site_packages_root_path,
            top_level_packages: entry.top_level_packages,
            direct_url_origin: entry.direct_url_origin.map(|origin| PythonDirectUrlOrigin {
                url: origin.url,
                commit_id: origin.commit_id,
                vcs: origin.vcs,
            }),
            requires_python: entry.requires_python,
            requires_dist: entry.requires_dist,
            provides_extra: entry.provides_extra,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Npm {
    #[serde(deserialize_with = "nullable")]
    name: String,
    #[serde(deserialize_with = "nullable")]
    version: String,
    #[serde(deserialize_with = "nullable")]
    author: String,
    #[serde(deserialize_with = "nullable")]
    homepage: String,
    #[serde(deserialize_with = "nullable")]
    description: String,
    #[serde(deserialize_with = "nullable")]
    url: String,
    #[serde(deserialize_with = "nullable")]
    private: bool,
}

impl From<Npm> for NpmPackage {
    fn from(entry: Npm) -> NpmPackage {
        NpmPackage {
            name: entry.name,
            version: entry.version,
            author: entry.author,
            homepage: entry.homepage,
            description: entry.description,
            url: entry.url,
            private: entry.private,
        }
    }
}

/// An npm or yarn lock-file entry.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LockEntry {
    #[serde(deserialize_with = "nullable")]
    resolved: String,
    #[serde(deserialize_with = "nullable")]
    integrity: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Pair {
    #[serde(deserialize_with = "nullable")]
    key: String,
    #[serde(deserialize_with = "nullable")]
    value: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct GoBuildinfo {
    #[serde(deserialize_with = "nullable")]
    go_build_settings: Vec<Pair>,
    #[serde(deserialize_with = "nullable")]
    go_compiled_version: String,
    #[serde(deserialize_with = "nullable")]
    architecture: String,
    #[serde(deserialize_with = "nullable")]
    h1_digest: String,
    #[serde(deserialize_with = "nullable")]
    main_module: String,
    #[serde(deserialize_with = "nullable")]
    go_crypto_settings: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    go_experiments: Vec<String>,
}

impl From<GoBuildinfo> for GoBuildinfoEntry {
    fn from(entry: GoBuildinfo) -> GoBuildinfoEntry {
        GoBuildinfoEntry {
            build_settings: entry
                .go_build_settings
                .into_iter()
                .map(|pair| KeyValue {
                    key: pair.key,
                    value: pair.value,
                })
                .collect(),
            go_compiled_version: entry.go_compiled_version,
            architecture: entry.architecture,
            h1_digest: entry.h1_digest,
            main_module: entry.main_module,
            go_crypto_settings: entry.go_crypto_settings,
            go_experiments: entry.go_experiments,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct GoModule {
    #[serde(deserialize_with = "nullable")]
    h1_digest: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CargoLock {
    #[serde(deserialize_with = "nullable")]
    name: String,
    #[serde(deserialize_with = "nullable")]
    version: String,
    #[serde(deserialize_with = "nullable")]
    source: String,
    #[serde(deserialize_with = "nullable")]
    checksum: String,
    #[serde(deserialize_with = "nullable")]
    dependencies: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CargoAudit {
    #[serde(deserialize_with = "nullable")]
    name: String,
    #[serde(deserialize_with = "nullable")]
    version: String,
    #[serde(deserialize_with = "nullable")]
    source: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn omitted_and_null_fields_read_as_empty() {
        let metadata = json!({"name": "a", "epoch": null, "files": null, "size": 3});
        let PackageMetadata::Rpm(entry) = decode("rpm-db-entry", &metadata).unwrap() else {
            panic!("not rpm");
        };
        assert_eq!(
            (entry.name.as_str(), entry.epoch, entry.size),
            ("a", None, 3)
        );
        assert!(entry.files.is_empty());
        assert_eq!(
            decode("haskell-hackage-stack-entry", &metadata).unwrap(),
            PackageMetadata::None
        );
    }

    #[test]
    fn java_archive_metadata_reads_back() {
        let metadata = json!({
            "virtualPath": "/a.jar:g:b",
            "pomProperties": {"path": "p", "name": "", "groupId": "g", "artifactId": "b",
                "version": "1", "extraFields": {"x": "y"}},
            "digest": [{"algorithm": "sha1", "value": "00"}]
        });
        let decoded = decode("java-archive", &metadata).unwrap();
        let PackageMetadata::JavaArchive(archive) = &decoded else {
            panic!("not java");
        };
        assert_eq!(archive.virtual_path, "/a.jar:g:b");
        assert_eq!(serde_json::to_value(&decoded).unwrap(), metadata);
    }

    #[test]
    fn language_metadata_reads_back_as_written() {
        let cases = [
            (
                "binary-signature",
                json!({"matches": [{"classifier": "python-binary", "location": {
                    "path": "/usr/bin/python3.11", "layerID": "sha256:ab",
                    "accessPath": "/usr/bin/python3", "annotations": {"evidence": "primary"}}}]}),
            ),
            (
                "dotnet-deps-entry",
                json!({"name": "Serilog", "version": "2.10.0", "path": "serilog/2.10.0",
                       "sha512": "sha512-x", "hashPath": "serilog.2.10.0.nupkg.sha512"}),
            ),
            (
                "php-composer-installed-entry",
                json!({"name": "psr/container", "version": "2.0.2",
                       "source": {"type": "git", "url": "u", "reference": "r"},
                       "dist": {"type": "zip", "url": "u", "reference": "r", "shasum": "s"},
                       "require": {"php": ">=7.4.0"}, "require-dev": {"x/y": "^1"},
                       "type": "library", "authors": [{"name": "PHP-FIG"}]}),
            ),
            (
                "ruby-gemspec",
                json!({"name": "bundler", "version": "2.1.4", "files": ["exe/bundle"]}),
            ),
            (
                "java-jvm-installation",
                json!({"release": {"javaVersion": "21.0.4", "modules": ["java.base"]},
                       "files": ["/jvm/release"]}),
            ),
        ];
        for (metadata_type, metadata) in cases {
            let decoded = decode(metadata_type, &metadata).unwrap();
            assert_eq!(decoded.metadata_type(), Some(metadata_type));
            assert_eq!(
                serde_json::to_value(&decoded).unwrap(),
                metadata,
                "{metadata_type}"
            );
        }
        assert!(decode("dotnet-deps-entry", &json!({"name": 5})).is_err());
    }

    #[test]
    fn go_and_rust_entries_read_back() {
        let metadata = json!({
            "goBuildSettings": [{"key": "GOOS", "value": "linux"}],
            "goCompiledVersion": "go1.19.8",
            "architecture": "amd64",
            "mainModule": "example.com/hello"
        });
        let PackageMetadata::GoBuildinfo(entry) =
            decode("go-module-buildinfo-entry", &metadata).unwrap()
        else {
            panic!("not go");
        };
        assert_eq!(entry.build_settings[0].value, "linux");
        assert_eq!(entry.main_module, "example.com/hello");
        assert!(entry.h1_digest.is_empty());

        let metadata = json!({"name": "a", "version": "1", "dependencies": null});
        let PackageMetadata::RustCargoLock(entry) =
            decode("rust-cargo-lock-entry", &metadata).unwrap()
        else {
            panic!("not cargo");
        };
        assert!(entry.dependencies.is_empty());
    }

    #[test]
    fn wrong_shapes_name_the_field() {
        let metadata = json!({"files": [{"path": "/a"}, {"path": 5}]});
        let (path, message) = decode("dpkg-db-entry", &metadata).unwrap_err();
        assert_eq!(path, "files[1].path");
        assert!(message.contains("invalid type"), "{message}");
    }
}
