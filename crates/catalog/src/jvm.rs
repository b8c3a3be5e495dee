//! JDK and JRE installations, found by the `release` file at the top of each install
//! (`JAVA_VERSION="21.0.4"`, `IMPLEMENTOR="Eclipse Adoptium"`, …), named, versioned and
//! given CPEs as Syft's `java-jvm-cataloger` does.

use plimsoll_image::FileView;
use plimsoll_model::metadata::{JavaJvmInstallation, JavaVmRelease};
use plimsoll_model::{Cpe, Location, Package, PackageMetadata, PackageType};

use crate::cataloger::{Cataloger, Environment};
use crate::paths::parent;
use crate::purl::PackageUrl;
use crate::CatalogError;

/// Finds JVM installations by their `release` files.
#[derive(Debug, Default)]
pub struct JavaJvmCataloger;

/// Syft reads no more of a `release` file than this.
const MAX_RELEASE_BYTES: usize = 500 * 1000;

fn is_release(path: &str) -> bool {
    path.ends_with("/release")
}

impl Cataloger for JavaJvmCataloger {
    fn name(&self) -> &'static str {
        "java-jvm-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        is_release(path)
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        let mut packages = Vec::new();
        for location in view.find(&is_release) {
            let Some(bytes) = view.contents(&location) else {
                continue;
            };
            let bytes = &bytes[..bytes.len().min(MAX_RELEASE_BYTES)];
            // Most files named `release` are not a JVM's; those name no Java version.
            let Some(release) = parse_release(&String::from_utf8_lossy(bytes)) else {
                continue;
            };
            let install_dir = parent(&location.path).to_string();
            let prefix = format!("{}/", install_dir.trim_end_matches('/'));
            let files: Vec<String> = view
                .find(&|path| path.starts_with(&prefix))
                .into_iter()
                .map(|l| l.path)
                .collect();
            packages.push(self.package(location, release, files));
        }
        Ok(packages)
    }
}

impl JavaJvmCataloger {
    fn package(
        &self,
        location: Location,
        release: JavaVmRelease,
        mut files: Vec<String>,
    ) -> Package {
        files.sort();
        files.dedup();
        let has_jdk = files.iter().any(|f| f.ends_with("bin/javac"));
        let version = package_version(&release);
        let (vendor, product) = vendor_product(
            &release.implementor,
            &location.path,
            &release.image_type,
            has_jdk,
        );
        let cpes = cpes(&version, vendor, product, &release.image_type, has_jdk);
        let repository = if release.source_repo.is_empty() {
            &release.build_source_repo
        } else {
            &release.source_repo
        };
        let purl = PackageUrl {
            namespace: vendor.to_string(),
            version: version.clone(),
            ..PackageUrl::new("generic", product)
        }
        .qualifier("repository_url", repository.clone())
        .to_string();
        Package {
            name: product.to_string(),
            version,
            package_type: PackageType::Binary,
            found_by: self.name().to_string(),
            locations: vec![location],
            licenses: Vec::new(),
            language: String::new(),
            cpes,
            purl,
            metadata: PackageMetadata::JavaJvmInstallation(JavaJvmInstallation { release, files }),
        }
    }
}

/// `KEY="value"` lines; `None` unless `JAVA_VERSION` or `JAVA_RUNTIME_VERSION` is set.
fn parse_release(text: &str) -> Option<JavaVmRelease> {
    let mut release = JavaVmRelease::default();
    let mut has_version = false;
    for line in text.lines() {
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim_matches('"').to_string();
        let field = match key {
            "MODULES" => {
                release.modules = value.split(' ').map(str::to_string).collect();
                continue;
            }
            "JAVA_VERSION" | "JAVA_RUNTIME_VERSION" => {
                has_version = true;
                if key == "JAVA_VERSION" {
                    &mut release.java_version
                } else {
                    &mut release.java_runtime_version
                }
            }
            "IMPLEMENTOR" => &mut release.implementor,
            "IMPLEMENTOR_VERSION" => &mut release.implementor_version,
            "JAVA_VERSION_DATE" => &mut release.java_version_date,
            "LIBC" => &mut release.libc,
            "OS_ARCH" => &mut release.os_arch,
            "OS_NAME" => &mut release.os_name,
            "OS_VERSION" => &mut release.os_version,
            "SOURCE" => &mut release.source,
            "BUILD_SOURCE" => &mut release.build_source,
            "BUILD_SOURCE_REPO" => &mut release.build_source_repo,
            "SOURCE_REPO" => &mut release.source_repo,
            "FULL_VERSION" => &mut release.full_version,
            "SEMANTIC_VERSION" => &mut release.semantic_version,
            "BUILD_INFO" => &mut release.build_info,
            "JVM_VARIANT" => &mut release.jvm_variant,
            "JVM_VERSION" => &mut release.jvm_version,
            "IMAGE_TYPE" => &mut release.image_type,
            "BUILD_TYPE" => &mut release.build_type,
            _ => continue,
        };
        *field = value;
    }
    has_version.then_some(release)
}

/// The runtime version if given; else the full version when its major number agrees with
/// the Java version's; else the Java version.
fn package_version(release: &JavaVmRelease) -> String {
    if !release.java_runtime_version.is_empty() {
        return release.java_runtime_version.clone();
    }
    let major = |v: &str| v.split('.').next().unwrap_or("").to_string();
    if !release.full_version.is_empty()
        && major(&release.full_version) == major(&release.java_version)
    {
        return release.full_version.clone();
    }
    release.java_version.clone()
}

fn is_jdk(image_type: &str, has_jdk: bool) -> bool {
    has_jdk || !image_type.to_lowercase().contains("jre")
}

/// The vendor and product: Azul Zulu, Sun or Oracle (JDK or JRE) by implementor or path;
/// anything else is OpenJDK.
fn vendor_product(
    implementor: &str,
    path: &str,
    image_type: &str,
    has_jdk: bool,
) -> (&'static str, &'static str) {
    let implementor = implementor.to_lowercase().replace(' ', "");
    let product = if is_jdk(image_type, has_jdk) {
        "jdk"
    } else {
        "jre"
    };
    if implementor.contains("azul") || path.contains("zulu") {
        ("azul", "zulu")
    } else if implementor.contains("sun") {
        ("sun", product)
    } else if implementor.contains("oracle") || path.contains("oracle") {
        ("oracle", product)
    } else {
        ("oracle", "openjdk")
    }
}

fn cpes(version: &str, vendor: &str, product: &str, image_type: &str, has_jdk: bool) -> Vec<Cpe> {
    let mut candidates: Vec<(&str, &str)> = Vec::new();
    let enterprise = |candidates: &mut Vec<(&str, &str)>, vendor: &'static str| {
        candidates.push((vendor, "jre"));
        if is_jdk(image_type, has_jdk) {
            candidates.push((vendor, "jdk"));
        }
    };
    match (vendor, product) {
        ("azul", _) => candidates.extend([("azul", "zulu"), ("oracle", "openjdk")]),
        ("sun", _) => enterprise(&mut candidates, "sun"),
        ("oracle", product) if product != "openjdk" => {
            candidates.push(("oracle", "java_se"));
            enterprise(&mut candidates, "oracle");
        }
        _ => candidates.push((vendor, product)),
    }
    let (short, update) = version_and_update(version);
    if short.is_empty() {
        return Vec::new();
    }
    let update = if update.is_empty() {
        "*".to_string()
    } else {
        crate::cpe::escape(&update)
    };
    candidates
        .into_iter()
        .map(|(vendor, product)| Cpe {
            cpe: format!(
                "cpe:2.3:a:{vendor}:{product}:{}:{update}:*:*:*:*:*:*",
                crate::cpe::escape(short)
            ),
            source: "declared".to_string(),
        })
        .collect()
}

/// `1.8.0_411-b25` → (`1.8.0`, `update411`); `21.0.4+7-LTS` → (`21.0.4`, ``).
fn version_and_update(version: &str) -> (&str, String) {
    if version.contains('_') {
        let fields: Vec<&str> = version.split('_').collect();
        if let [short, rest] = fields.as_slice() {
            let update = rest.split('-').next().unwrap_or("");
            if update.is_empty() || update.to_lowercase().contains("update") {
                return (short, update.to_string());
            }
            let trimmed = if update == "0" {
                update
            } else {
                update.trim_start_matches('0')
            };
            return (short, format!("update{trimmed}"));
        }
    } else if let Some((short, _)) = version.split_once('+') {
        return (short, String::new());
    }
    (version, String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMURIN: &str =
        "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_RUNTIME_VERSION=\"21.0.4+7-LTS\"\n\
        JAVA_VERSION=\"21.0.4\"\nMODULES=\"java.base java.sql\"\n\
        SOURCE_REPO=\"https://github.com/adoptium/jdk21u.git\"\nIMAGE_TYPE=\"JDK\"\n";

    #[test]
    fn temurin_is_openjdk() {
        let release = parse_release(TEMURIN).unwrap();
        assert_eq!(release.modules, vec!["java.base", "java.sql"]);
        let location = Location::new("/jvm/openjdk/release", None);
        let package = JavaJvmCataloger.package(location, release, vec![]);
        assert_eq!(package.name, "openjdk");
        assert_eq!(
            package.purl,
            "pkg:generic/oracle/openjdk@21.0.4%2B7-LTS?repository_url=https://github.com/adoptium/jdk21u.git"
        );
        assert_eq!(
            package.cpes[0].cpe,
            "cpe:2.3:a:oracle:openjdk:21.0.4:*:*:*:*:*:*:*"
        );
    }

    #[test]
    fn oracle_8_with_update() {
        let release =
            parse_release("JAVA_VERSION=\"1.8.0_411\"\nJAVA_RUNTIME_VERSION=\"1.8.0_411-b25\"\n")
                .unwrap();
        let location = Location::new("/usr/lib/jvm/jdk-1.8-oracle-x64/release", None);
        let files = vec!["/usr/lib/jvm/jdk-1.8-oracle-x64/bin/javac".to_string()];
        let package = JavaJvmCataloger.package(location, release, files);
        assert_eq!(package.name, "jdk");
        let cpes: Vec<&str> = package.cpes.iter().map(|c| c.cpe.as_str()).collect();
        assert_eq!(
            cpes,
            vec![
                "cpe:2.3:a:oracle:java_se:1.8.0:update411:*:*:*:*:*:*",
                "cpe:2.3:a:oracle:jre:1.8.0:update411:*:*:*:*:*:*",
                "cpe:2.3:a:oracle:jdk:1.8.0:update411:*:*:*:*:*:*",
            ]
        );
    }

    #[test]
    fn other_release_files_are_not_jvms() {
        assert!(parse_release("VERSION=1\nNAME=x\n").is_none());
        assert!(parse_release("\u{0}\u{ff}garbage").is_none());
    }
}
