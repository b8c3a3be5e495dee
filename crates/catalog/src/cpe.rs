//! CPE 2.3 candidates for packages that declare none, generated as Syft generates them: every
//! vendor candidate paired with every product candidate, most specific first, so that NVD
//! configurations can be matched against them. OS packages (deb, rpm, apk) and language
//! packages (see [`language`]) have their own candidate rules.

mod language;

use plimsoll_model::{Cpe, Package, PackageMetadata, PackageType};

/// The `source` of a generated CPE, as Syft names it.
const GENERATED: &str = "syft-generated";

/// Generated CPEs for a package, or none where there is nothing to generate from or no rules
/// for its type. Callers skip packages that carry declared CPEs.
pub fn generate(package: &Package) -> Vec<Cpe> {
    if package.name.is_empty() {
        return Vec::new();
    }
    match package.package_type {
        PackageType::Deb | PackageType::Rpm | PackageType::Apk => os_package(package),
        _ => language::generate(package),
    }
}

/// Whether [`generate`] has candidate rules for a package type.
pub fn generates_for(package_type: PackageType) -> bool {
    matches!(
        package_type,
        PackageType::Deb | PackageType::Rpm | PackageType::Apk
    ) || language::generates_for(package_type)
}

/// The version field: a package with no known version matches any version (`*`).
fn version_field(version: &str) -> String {
    match version {
        "" | crate::UNKNOWN_VERSION => "*".to_string(),
        known => escape(known),
    }
}

fn os_package(package: &Package) -> Vec<Cpe> {
    let products = spellings(&package.name);
    let mut vendors = spellings(&package.name);
    for prefix in prefixes(&package.name) {
        vendors.extend(spellings(&prefix));
    }
    if let PackageMetadata::Rpm(entry) = &package.metadata {
        // The RPM vendor, lower-cased with spaces removed (`Microsoft Corporation` becomes
        // `microsoftcorporation`).
        let vendor: String = entry
            .vendor
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        // NVD names Red Hat `redhat`, whatever the header's spelling (`Red Hat, Inc.`).
        let vendor = if vendor.starts_with("redhat") {
            "redhat".to_string()
        } else {
            vendor
        };
        if !vendor.is_empty() {
            vendors.push(vendor);
        }
    }
    vendors.sort();
    vendors.dedup();

    let version = version_field(&package.version);
    let mut pairs: Vec<(String, String)> = Vec::new();
    for vendor in &vendors {
        for product in &products {
            pairs.push((vendor.clone(), product.clone()));
        }
    }
    // Most specific first: longer vendors, then longer products, then alphabetical.
    pairs.sort_by(|a, b| {
        b.0.len()
            .cmp(&a.0.len())
            .then(b.1.len().cmp(&a.1.len()))
            .then_with(|| format_cpe(a, &version).cmp(&format_cpe(b, &version)))
    });
    pairs.dedup();
    pairs
        .iter()
        .map(|pair| Cpe {
            cpe: format_cpe(pair, &version),
            source: GENERATED.to_string(),
        })
        .collect()
}

fn format_cpe((vendor, product): &(String, String), version: &str) -> String {
    format!(
        "cpe:2.3:a:{}:{}:{version}:*:*:*:*:*:*:*",
        escape(vendor),
        escape(product)
    )
}

/// A name as written, with every `_` as `-`, and with every `-` as `_`.
fn spellings(name: &str) -> Vec<String> {
    let mut out = vec![
        name.to_string(),
        name.replace('_', "-"),
        name.replace('-', "_"),
    ];
    out.sort();
    out.dedup();
    out
}

/// The name cut at each `-` or `_` (`elfutils-libelf-devel` gives `elfutils-libelf` and
/// `elfutils`): upstream projects often name the vendor by the first words.
fn prefixes(name: &str) -> Vec<String> {
    name.char_indices()
        .filter(|(i, c)| (*c == '-' || *c == '_') && *i > 0)
        .map(|(i, _)| name[..i].to_string())
        .collect()
}

/// Escapes the characters CPE 2.3's formatted string binding quotes with a backslash.
pub(crate) fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if "!\"#$%&'()*+,/:;<=>?@[\\]^`{|}~ ".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deb(name: &str, version: &str) -> Package {
        Package {
            name: name.into(),
            version: version.into(),
            package_type: PackageType::Deb,
            found_by: String::new(),
            locations: vec![],
            licenses: vec![],
            language: String::new(),
            cpes: vec![],
            purl: String::new(),
            metadata: PackageMetadata::None,
        }
    }

    #[test]
    fn vendors_products_and_escaping() {
        let cpes: Vec<String> = generate(&deb("python3-yaml", "6.0-3+b2"))
            .into_iter()
            .map(|c| c.cpe)
            .collect();
        assert_eq!(
            cpes,
            vec![
                "cpe:2.3:a:python3-yaml:python3-yaml:6.0-3\\+b2:*:*:*:*:*:*:*",
                "cpe:2.3:a:python3-yaml:python3_yaml:6.0-3\\+b2:*:*:*:*:*:*:*",
                "cpe:2.3:a:python3_yaml:python3-yaml:6.0-3\\+b2:*:*:*:*:*:*:*",
                "cpe:2.3:a:python3_yaml:python3_yaml:6.0-3\\+b2:*:*:*:*:*:*:*",
                "cpe:2.3:a:python3:python3-yaml:6.0-3\\+b2:*:*:*:*:*:*:*",
                "cpe:2.3:a:python3:python3_yaml:6.0-3\\+b2:*:*:*:*:*:*:*",
            ]
        );
        assert_eq!(generate(&deb("apt", "1.8.2")).len(), 1);
    }
}
