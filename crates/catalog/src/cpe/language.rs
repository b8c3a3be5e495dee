//! Candidate rules for language packages (Python, npm, gems, Java archives and Jenkins
//! plugins, Go modules, crates, Composer and .NET packages), after Syft 1.18.1's.
//!
//! Products start from the package name (Python adds a `python-` spelling; Java adds group-ID
//! words that look like the umbrella project; Go takes the module path after its owner).
//! Vendors start from the products, plus ecosystem hints: `ruby-lang`, Python authors and
//! author e-mail names (with `project` spellings), gem authors, Java group IDs and manifest
//! vendors, the owner of a Go module path. Candidates then get their `-`/`_` swaps and their
//! leading words (`jenkins-ci` also gives `jenkins`), except for person names and whole group
//! IDs. Syft's NVD dictionary hits (a fixed table of known packages) are not reproduced.

use std::collections::BTreeSet;

use plimsoll_model::metadata::JavaArchive;
use plimsoll_model::{Cpe, Package, PackageMetadata, PackageType};

use super::{escape, version_field, GENERATED};

/// Whether this module has rules for a package type.
pub(super) fn generates_for(package_type: PackageType) -> bool {
    matches!(
        package_type,
        PackageType::Python
            | PackageType::Npm
            | PackageType::Gem
            | PackageType::JavaArchive
            | PackageType::JenkinsPlugin
            | PackageType::GoModule
            | PackageType::RustCrate
            | PackageType::PhpComposer
            | PackageType::DotNet
    )
}

/// A vendor or product candidate, with the variations it may not get.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Candidate {
    value: String,
    /// No leading-word selections (person names, whole group IDs).
    whole: bool,
    /// No `-`/`_` swaps.
    verbatim: bool,
}

#[derive(Default)]
struct Candidates(BTreeSet<Candidate>);

impl Candidates {
    fn add(&mut self, value: impl Into<String>) {
        self.add_with(value, false, false);
    }

    fn add_with(&mut self, value: impl Into<String>, whole: bool, verbatim: bool) {
        let value = value.into();
        if value.is_empty() || value == "*" {
            return;
        }
        self.0.insert(Candidate {
            value,
            whole,
            verbatim,
        });
    }

    /// Each candidate with `-` also spelled with `_`, and the other way round.
    fn add_delimiter_swaps(&mut self) {
        let swapped: Vec<Candidate> = self
            .0
            .iter()
            .filter(|c| !c.verbatim)
            .flat_map(|c| {
                let mut out = Vec::new();
                if c.value.contains('-') {
                    out.push(c.value.replace('-', "_"));
                }
                if c.value.contains('_') {
                    out.push(c.value.replace('_', "-"));
                }
                out.into_iter()
                    .map(|value| Candidate { value, ..c.clone() })
            })
            .collect();
        self.0.extend(swapped);
    }

    /// The leading words of each candidate, cut at `-` or `_`.
    fn add_leading_words(&mut self) {
        let words: Vec<String> = self
            .0
            .iter()
            .filter(|c| !c.whole)
            .flat_map(|c| leading_words(&c.value))
            .collect();
        for word in words {
            self.add(word);
        }
    }

    fn values(&self) -> BTreeSet<String> {
        self.0.iter().map(|c| c.value.clone()).collect()
    }
}

/// `jenkins-ci-tools` gives `jenkins`, `jenkins-ci` and `jenkins-ci-tools`; separators at
/// either end and doubled separators are dropped.
fn leading_words(value: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut separator = None;
    for piece in value.split_inclusive(['-', '_']) {
        let word = piece.trim_matches(['-', '_']);
        if !word.is_empty() {
            let next = match (out.last(), separator) {
                (Some(last), Some(sep)) => format!("{last}{sep}{word}"),
                (Some(last), None) => format!("{last}{word}"),
                (None, _) => word.to_string(),
            };
            out.push(next);
        }
        separator = piece.chars().last().filter(|c| *c == '-' || *c == '_');
    }
    out
}

/// Lower case, spaces, dots and hyphens as `_`, without a leading `the_`
/// (`The Apache Software Foundation` gives `apache_software_foundation`).
fn person_name(name: &str) -> String {
    let name = name.trim().to_lowercase().replace(['-', ' ', '.'], "_");
    name.strip_prefix("the_").unwrap_or(&name).to_string()
}

pub(super) fn generate(package: &Package) -> Vec<Cpe> {
    if !generates_for(package.package_type) {
        return Vec::new();
    }
    // Syft generates nothing for a Go binary's main module.
    if let PackageMetadata::GoBuildinfo(info) = &package.metadata {
        if info.main_module == package.name {
            return Vec::new();
        }
    }
    let products = products(package);
    if products.is_empty() {
        return Vec::new();
    }
    let vendors = vendors(package, &products);
    let version = version_field(&package.version);

    let mut pairs: Vec<(String, String)> = Vec::new();
    for vendor in &vendors {
        for product in &products {
            if !filtered(package, vendor, product) {
                pairs.push((vendor.clone(), product.clone()));
            }
        }
    }
    let format = |(vendor, product): &(String, String)| -> String {
        format!(
            "cpe:2.3:a:{}:{}:{version}:*:*:*:*:*:*:*",
            escape(vendor),
            escape(product)
        )
    };
    // Most specific first: longer vendor and product together, then alphabetical.
    let mut keyed: Vec<(usize, String)> = pairs
        .iter()
        .map(|pair| (pair.0.len() + pair.1.len(), format(pair)))
        .collect();
    keyed.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    keyed.dedup();
    keyed
        .into_iter()
        .map(|(_, cpe)| Cpe {
            cpe,
            source: GENERATED.to_string(),
        })
        .collect()
}

fn java_metadata(package: &Package) -> Option<&JavaArchive> {
    match &package.metadata {
        PackageMetadata::JavaArchive(archive) => Some(archive),
        _ => None,
    }
}

fn products(package: &Package) -> BTreeSet<String> {
    let name = package.name.as_str();
    let mut products = Candidates::default();
    match package.package_type {
        PackageType::GoModule => {
            if let Some((_, product)) = go_vendor_product(name) {
                products.add(product);
            }
        }
        PackageType::Python => {
            products.add(name);
            if !name.starts_with("python") {
                products.add(format!("python-{name}"));
            }
        }
        _ => {
            products.add(name);
            if let Some(archive) = java_metadata(package) {
                for product in java_products(name, archive) {
                    products.add(product);
                }
            }
        }
    }
    products.add_delimiter_swaps();
    products.values()
}

fn vendors(package: &Package, products: &BTreeSet<String>) -> BTreeSet<String> {
    let mut vendors = Candidates::default();
    if package.package_type == PackageType::GoModule {
        if let Some((vendor, _)) = go_vendor_product(&package.name) {
            vendors.add(vendor);
        }
    } else {
        for product in products {
            vendors.add(product.clone());
        }
    }
    if package.package_type == PackageType::Gem {
        vendors.add("ruby-lang");
    }
    match &package.metadata {
        PackageMetadata::Python(python) => {
            let author = person_name(&python.author);
            let email = person_name(python.author_email.split('@').next().unwrap_or(""));
            if !author.is_empty() {
                vendors.add_with(author.clone(), true, true);
            }
            if !email.is_empty() {
                vendors.add_with(email.clone(), true, false);
            }
            for name in [author, email] {
                if !name.is_empty() && !name.ends_with("project") {
                    vendors.add_with(format!("{name}project"), true, true);
                    vendors.add_with(format!("{name}_project"), true, true);
                }
            }
        }
        PackageMetadata::RubyGemspec(gem) => {
            for author in &gem.authors {
                let name = person_name(author.split('@').next().unwrap_or(""));
                vendors.add_with(name, true, false);
            }
        }
        PackageMetadata::JavaArchive(archive) => {
            for group in group_ids(&package.name, archive) {
                for (i, word) in group.split('.').map(str::trim).enumerate() {
                    let forbidden = matches!(word.to_lowercase().as_str(), "plugin" | "plugins");
                    if i > 0 && !word.is_empty() && !forbidden {
                        vendors.add(word);
                    }
                }
                vendors.add_with(group, true, true);
            }
            if let Some(manifest) = &archive.manifest {
                let sections = std::iter::once(&manifest.main).chain(&manifest.sections);
                for section in sections {
                    for entry in section {
                        let named = matches!(
                            entry.key.as_str(),
                            "Specification-Vendor" | "Implementation-Vendor"
                        );
                        if named && !starts_with_domain(&entry.value) {
                            vendors.add_with(person_name(&entry.value), true, false);
                        }
                    }
                }
            }
        }
        _ => {}
    }
    vendors.add_delimiter_swaps();
    vendors.add_leading_words();
    let vendors = vendors.values();
    // NVD knows Apache's projects by the vendor `apache`: when it is a candidate, it is the
    // only one.
    if vendors.contains("apache") {
        return BTreeSet::from(["apache".to_string()]);
    }
    vendors
}

/// Pairings that are no CPE, or would match a different product than the package: Jenkins itself for
/// plugins and unrelated packages, Jira for its clients, Tomcat for its embedded EL library.
fn filtered(package: &Package, vendor: &str, product: &str) -> bool {
    // A CPE 2.3 value holds printable ASCII only (`André` makes no vendor).
    let printable = |value: &str| value.chars().all(|c| c.is_ascii_graphic());
    if !printable(vendor) || !printable(product) {
        return true;
    }
    let name = package.name.to_lowercase();
    if product == "jenkins" {
        if package.package_type == PackageType::JenkinsPlugin {
            return true;
        }
        if !name.contains("jenkins") && matches!(vendor, "jenkins" | "cloudbees") {
            return true;
        }
    }
    if product == "jira" && name.contains("client") && matches!(vendor, "jira" | "atlassian") {
        return true;
    }
    if vendor == "apache" && product == "tomcat" {
        if let Some(properties) = java_metadata(package).and_then(|a| a.pom_properties.as_ref()) {
            return properties.group_id == "org.apache.tomcat.embed"
                && properties.artifact_id == "tomcat-embed-el";
        }
    }
    false
}

/// Syft's test for a group ID: a value starting with one of these (as text, so `commons-io`
/// counts too).
fn starts_with_domain(value: &str) -> bool {
    ["com", "org", "net", "io", "be"]
        .iter()
        .any(|domain| value.starts_with(domain))
}

/// A group ID without OSGi directives (`;uses:=…`) or a `#` suffix.
fn clean_group_id(value: &str) -> String {
    let value = value.split(';').next().unwrap_or("");
    value.split('#').next().unwrap_or("").trim().to_string()
}

/// The group IDs a Java archive states: in its pom.properties, its pom.xml and the parent
/// there, or (failing those) group-ID-like values in its manifest.
fn group_ids(name: &str, archive: &JavaArchive) -> Vec<String> {
    let mut groups = Vec::new();
    let mut from_pair = |group: &str, artifact: &str| {
        if starts_with_domain(group) {
            groups.push(clean_group_id(group));
        }
        // Publishers sometimes put the group ID in the artifact ID field.
        if starts_with_domain(artifact) && artifact.contains('.') {
            groups.push(clean_group_id(artifact));
        }
    };
    if let Some(properties) = &archive.pom_properties {
        from_pair(&properties.group_id, &properties.artifact_id);
    }
    if let Some(project) = &archive.pom_project {
        from_pair(&project.group_id, &project.artifact_id);
        if let Some(parent) = &project.parent {
            from_pair(&parent.group_id, &parent.artifact_id);
        }
    }
    if let Some(group) = known_group_id(name) {
        groups.push(group.to_string());
    } else if let Some(manifest) = &archive.manifest {
        let from_fields = |fields: &[&str]| -> Vec<String> {
            let mut found = Vec::new();
            for field in fields {
                let sections = std::iter::once(&manifest.main).chain(&manifest.sections);
                for section in sections {
                    for entry in section.iter().filter(|e| e.key == *field) {
                        if starts_with_domain(&entry.value) {
                            found.push(clean_group_id(&entry.value));
                        }
                    }
                }
            }
            found.sort();
            found
        };
        let mut found = from_fields(&[
            "Bundle-SymbolicName",
            "Extension-Name",
            "Specification-Vendor",
            "Implementation-Vendor",
            "Implementation-Vendor-Id",
            "Implementation-Title",
            "Bundle-Activator",
        ]);
        if found.is_empty() {
            found = from_fields(&["Automatic-Module-Name", "Main-Class", "Package"]);
        }
        groups.extend(found);
    }
    groups
}

/// Group IDs for archives that are known by a bare artifact ID and often ship without Maven
/// metadata, where the manifest's values would mislead: Log4j 1.x's classes live in
/// `org.apache.log4j`, and NVD files it under the vendor `apache`.
fn known_group_id(name: &str) -> Option<&'static str> {
    match name {
        "log4j" => Some("org.apache.log4j"),
        _ => None,
    }
}

/// The artifact ID, and the group-ID words (third and later) that begin or end it: umbrella
/// projects name their parts after themselves (`org.springframework.boot` and `spring-boot`
/// give `boot`). Plugins and clients get no such words.
fn java_products(name: &str, archive: &JavaArchive) -> Vec<String> {
    // An artifact ID with dots is taken for a misplaced group ID.
    let artifact = archive
        .pom_properties
        .as_ref()
        .map(|p| p.artifact_id.trim().to_string())
        .filter(|a| !a.contains('.'))
        .unwrap_or_default();
    let mut products = Vec::new();
    if !artifact.is_empty() {
        products.push(artifact.clone());
    }
    for group in group_ids(name, archive) {
        let plugin = artifact.contains("plugin") || group.contains("plugin");
        for (i, word) in group.split('.').map(str::trim).enumerate() {
            let forbidden = matches!(
                word.to_lowercase().as_str(),
                "plugin" | "plugins" | "client"
            );
            if word.is_empty() || forbidden || i <= 1 {
                continue;
            }
            let project = artifact.starts_with(word) || artifact.ends_with(word);
            if artifact.is_empty() || (project && !plugin) {
                products.push(word.to_string());
            }
        }
    }
    products
}

/// A Go module's vendor and product: the owner and the rest of the path for hosted modules
/// (`github.com/pierrec/lz4/v4` gives `pierrec` and `lz4/v4`), `golang` and the path for
/// `golang.org`, `google` and the first element for `google.golang.org`. `gopkg.in` modules
/// have no vendor, and paths without an owner give nothing.
fn go_vendor_product(name: &str) -> Option<(String, String)> {
    let (host, path) = name.split_once('/')?;
    let path = path.trim_matches('/');
    let elements: Vec<&str> = path.split('/').collect();
    match host {
        "golang.org" => Some(("golang".to_string(), path.to_string())),
        "google.golang.org" => Some(("google".to_string(), elements[0].to_string())),
        "gopkg.in" => None,
        _ if elements.len() >= 2 => Some((elements[0].to_string(), elements[1..].join("/"))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_model::metadata::{JavaPomProperties, PythonPackage};

    fn package(package_type: PackageType, name: &str, metadata: PackageMetadata) -> Package {
        Package {
            name: name.into(),
            version: "1.0".into(),
            package_type,
            found_by: String::new(),
            locations: vec![],
            licenses: vec![],
            language: String::new(),
            cpes: vec![],
            purl: String::new(),
            metadata,
        }
    }

    fn vendor_product(cpes: &[Cpe]) -> Vec<String> {
        cpes.iter()
            .map(|c| {
                c.cpe
                    .split(':')
                    .skip(3)
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(":")
            })
            .collect()
    }

    #[test]
    fn python_names_authors_and_order() {
        let metadata = PythonPackage {
            name: "pygments".into(),
            author: "Georg Brandl".into(),
            author_email: "georg@python.org".into(),
            ..Default::default()
        };
        let cpes = generate(&package(
            PackageType::Python,
            "pygments",
            PackageMetadata::Python(metadata),
        ));
        let pairs = vendor_product(&cpes);
        assert_eq!(pairs.len(), 30);
        assert_eq!(pairs[0], "georg_brandl_project:python-pygments");
        assert!(pairs.contains(&"georgproject:pygments".to_string()));
        assert!(pairs.contains(&"python:python_pygments".to_string()));
        assert!(!pairs.iter().any(|p| p.starts_with("georg-brandl:")));
        assert!(cpes.iter().all(|c| c.source == GENERATED));
    }

    #[test]
    fn scoped_npm_names_are_escaped() {
        let cpes = generate(&package(
            PackageType::Npm,
            "@babel/code-frame",
            PackageMetadata::None,
        ));
        assert_eq!(
            cpes[0].cpe,
            "cpe:2.3:a:\\@babel\\/code-frame:\\@babel\\/code-frame:1.0:*:*:*:*:*:*:*"
        );
        assert_eq!(cpes.len(), 6);
    }

    #[test]
    fn java_group_ids_and_apache() {
        let archive = |group: &str, artifact: &str| {
            PackageMetadata::JavaArchive(JavaArchive {
                pom_properties: Some(JavaPomProperties {
                    group_id: group.into(),
                    artifact_id: artifact.into(),
                    ..Default::default()
                }),
                ..Default::default()
            })
        };
        let jackson = generate(&package(
            PackageType::JavaArchive,
            "jackson-core",
            archive("com.fasterxml.jackson.core", "jackson-core"),
        ));
        let pairs = vendor_product(&jackson);
        assert!(pairs.contains(&"fasterxml:jackson".to_string()));
        assert!(pairs.contains(&"com.fasterxml.jackson.core:core".to_string()));
        let commons = generate(&package(
            PackageType::JavaArchive,
            "commons-text",
            archive("org.apache.commons", "commons-text"),
        ));
        assert_eq!(
            vendor_product(&commons),
            vec![
                "apache:commons-text",
                "apache:commons_text",
                "apache:commons"
            ]
        );
    }

    #[test]
    fn ruby_and_go() {
        let gem = vendor_product(&generate(&package(
            PackageType::Gem,
            "rack",
            PackageMetadata::None,
        )));
        assert_eq!(
            gem,
            vec!["ruby-lang:rack", "ruby_lang:rack", "rack:rack", "ruby:rack"]
        );
        let go = vendor_product(&generate(&package(
            PackageType::GoModule,
            "github.com/CycloneDX/cyclonedx-go",
            PackageMetadata::None,
        )));
        assert_eq!(go, vec!["CycloneDX:cyclonedx-go", "CycloneDX:cyclonedx_go"]);
    }

    #[test]
    fn leading_words_keep_their_separators() {
        assert_eq!(
            leading_words("winapi-x86_64-pc"),
            vec!["winapi", "winapi-x86", "winapi-x86_64", "winapi-x86_64-pc"]
        );
        assert_eq!(leading_words("-a--b_"), vec!["a", "a-b"]);
    }

    #[test]
    fn go_paths() {
        assert_eq!(
            go_vendor_product("github.com/pierrec/lz4/v4"),
            Some(("pierrec".into(), "lz4/v4".into()))
        );
        assert_eq!(
            go_vendor_product("golang.org/x/net"),
            Some(("golang".into(), "x/net".into()))
        );
        assert_eq!(go_vendor_product("gopkg.in/yaml.v3"), None);
        assert_eq!(go_vendor_product("example.com/main"), None);
    }
}
