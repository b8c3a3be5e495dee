//! An image's packages as Anchore's content listings (`GET /images/{digest}/content/{type}`):
//! `os` for distro packages, one listing per language ecosystem.

use std::collections::BTreeMap;

use plimsoll_model::{FileKind, FileRecord, ImageContent, Package, PackageType};
use serde_json::{json, Map, Value};

use super::vulnerabilities::is_os_package;

/// The content types every image lists, even when empty (anchore-cli prints a header-only
/// table for these).
pub const CONTENT_TYPES: &[&str] = &[
    "os", "files", "npm", "gem", "python", "java", "binary", "go", "malware", "nuget", "rust",
    "composer",
];

/// The content type a package is listed under.
fn content_type(package_type: PackageType) -> &'static str {
    if is_os_package(package_type) {
        return "os";
    }
    match package_type {
        PackageType::Npm => "npm",
        PackageType::Gem => "gem",
        PackageType::Python => "python",
        PackageType::JavaArchive | PackageType::JenkinsPlugin => "java",
        PackageType::GoModule => "go",
        PackageType::DotNet => "nuget",
        PackageType::RustCrate => "rust",
        PackageType::PhpComposer => "composer",
        PackageType::Binary => "binary",
        other => other.as_str(),
    }
}

/// Every listing of an image, by content type; `files` from the scanner's content analysis
/// when one was uploaded.
pub fn listings(packages: &[Package], image_content: Option<&ImageContent>) -> Value {
    let mut listings: BTreeMap<&str, Vec<Value>> = CONTENT_TYPES
        .iter()
        .map(|name| (*name, Vec::new()))
        .collect();
    for package in packages {
        let (kind, entry) = entry(package);
        listings.entry(kind).or_default().push(entry);
    }
    if let Some(image_content) = image_content {
        listings.insert(
            "files",
            image_content.files.iter().map(file_entry).collect(),
        );
    }
    let object: Map<String, Value> = listings
        .into_iter()
        .map(|(name, entries)| (name.to_string(), Value::Array(entries)))
        .collect();
    Value::Object(object)
}

/// A package's content type and its entry in that listing, the fields Anchore shows.
pub fn entry(package: &Package) -> (&'static str, Value) {
    let kind = content_type(package.package_type);
    let entry = match kind {
        "os" => os_entry(package),
        "java" => java_entry(package),
        _ => language_entry(package),
    };
    (kind, entry)
}

/// A file as Anchore lists it: the mode as five octal digits, links with their target.
fn file_entry(file: &FileRecord) -> Value {
    let kind = match file.kind {
        FileKind::File | FileKind::Hardlink => "file",
        FileKind::Dir => "dir",
        FileKind::Symlink => "slink",
        FileKind::Other => "other",
    };
    json!({
        "filename": file.path,
        "size": file.size,
        "mode": format!("{:05o}", file.mode & 0o7777),
        "uid": file.uid,
        "gid": file.gid,
        "type": kind,
        "linkdest": file.link,
        "sha256": file.sha256,
    })
}

fn licenses(package: &Package) -> Vec<String> {
    package
        .licenses
        .iter()
        .map(|license| license.value.clone())
        .collect()
}

fn cpes(package: &Package) -> Vec<String> {
    package.cpes.iter().map(|cpe| cpe.cpe.clone()).collect()
}

/// A metadata field, found by its syft-json name anywhere in the metadata.
fn metadata_field(package: &Package, names: &[&str]) -> Option<String> {
    let metadata = serde_json::to_value(&package.metadata).ok()?;
    let object = metadata.as_object()?;
    names.iter().find_map(|name| match object.get(*name)? {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    })
}

fn location(package: &Package) -> String {
    package
        .locations
        .first()
        .map_or_else(|| "N/A".to_string(), |location| location.path.clone())
}

fn os_entry(package: &Package) -> Value {
    let licenses = licenses(package);
    let package_type = super::vulnerabilities::anchore_package_type(package.package_type);
    // dpkg records the installed size in KiB, apk and rpm in bytes.
    let size = metadata_field(package, &["installedSize", "size"])
        .and_then(|size| size.parse::<u64>().ok())
        .map(|size| {
            if package.package_type == PackageType::Deb {
                size * 1024
            } else {
                size
            }
        })
        .map_or_else(|| "0".to_string(), |size| size.to_string());
    json!({
        "package": package.name,
        "version": package.version,
        "size": size,
        "type": package_type,
        "origin": metadata_field(package, &["maintainer", "packager", "vendor", "originPackage"])
            .unwrap_or_else(|| "N/A".to_string()),
        "license": if licenses.is_empty() { "Unknown".to_string() } else { licenses.join(" ") },
        "licenses": if licenses.is_empty() { vec!["Unknown".to_string()] } else { licenses },
        "location": "pkgdb",
        "cpes": cpes(package),
    })
}

fn language_entry(package: &Package) -> Value {
    let licenses = licenses(package);
    json!({
        "package": package.name,
        "version": package.version,
        "location": location(package),
        "type": content_type(package.package_type).to_ascii_uppercase(),
        "origin": metadata_field(package, &["author", "authors", "maintainer", "homepage"])
            .unwrap_or_else(|| "N/A".to_string()),
        "license": if licenses.is_empty() { "Unknown".to_string() } else { licenses.join(" ") },
        "licenses": if licenses.is_empty() { vec!["Unknown".to_string()] } else { licenses },
        "cpes": cpes(package),
        "purl": package.purl,
    })
}

fn java_entry(package: &Package) -> Value {
    let manifest = serde_json::to_value(&package.metadata)
        .ok()
        .and_then(|metadata| {
            metadata
                .get("manifest")
                .and_then(|m| m.get("main"))
                .cloned()
        });
    let manifest_field = |name: &str| {
        manifest
            .as_ref()
            .and_then(|main| main.get(name))
            .and_then(Value::as_str)
            .unwrap_or("N/A")
            .to_string()
    };
    json!({
        "package": package.name,
        "specification-version": manifest_field("Specification-Version"),
        "implementation-version": manifest_field("Implementation-Version"),
        "maven-version": package.version,
        "version": package.version,
        "location": location(package),
        "type": "JAVA-JAR",
        "origin": manifest_field("Implementation-Vendor"),
        "cpes": cpes(package),
        "metadata": serde_json::to_value(&package.metadata).unwrap_or(Value::Null),
        "purl": package.purl,
    })
}
