//! Maven group IDs for package URLs, from the best source a package has:
//! `pom.properties`, then `pom.xml`, then the manifest's fields that usually hold a
//! reverse-domain name.

use plimsoll_model::metadata::{JavaArchive, JavaManifest};

use crate::purl::PackageUrl;

/// Manifest fields that name the group, best first; the second list is tried only when
/// the first gives nothing.
const PRIMARY_MANIFEST_FIELDS: &[&str] = &[
    "Group-Id",
    "Bundle-SymbolicName",
    "Extension-Name",
    "Specification-Vendor",
    "Implementation-Vendor",
    "Implementation-Vendor-Id",
    "Implementation-Title",
    "Bundle-Activator",
];
const SECONDARY_MANIFEST_FIELDS: &[&str] = &["Automatic-Module-Name", "Main-Class", "Package"];

/// The top-level domains a manifest value must start with to be taken for a group.
const DOMAINS: &[&str] = &["com", "org", "net", "io", "be"];

/// A group without OSGi directives (`org.foo;singleton:=true` is `org.foo`).
fn clean(group: &str) -> String {
    group.split(';').next().unwrap_or("").trim().to_string()
}

/// A value with a dot may be a group ID that a publisher put in the artifact ID field.
fn looks_like_group(value: &str) -> bool {
    value.contains('.')
}

fn from_manifest(manifest: &JavaManifest, fields: &[&str]) -> Option<String> {
    let mut groups: Vec<String> = Vec::new();
    for field in fields {
        for section in std::iter::once(&manifest.main).chain(&manifest.sections) {
            if let Some(entry) = section.iter().find(|entry| entry.key == *field) {
                if DOMAINS.iter().any(|domain| entry.value.starts_with(domain)) {
                    // Manifest values may also carry a `#` fragment.
                    let value = entry.value.split(';').next().unwrap_or("");
                    groups.push(value.split('#').next().unwrap_or("").trim().to_string());
                }
            }
        }
    }
    // Syft takes the alphabetically first candidate, not the best field's.
    groups.sort();
    groups.into_iter().next()
}

/// The group ID of a Java package, empty when nothing names one.
///
/// Not yet: Syft also consults a built-in table of well-known artifact IDs (about 1,900
/// entries, Apache and Jenkins projects mostly) before the manifest; packages it would
/// name that way get their group from the manifest or their own name here.
pub(crate) fn group_id(metadata: &JavaArchive) -> String {
    if let Some(properties) = &metadata.pom_properties {
        if !properties.group_id.is_empty() {
            return clean(&properties.group_id);
        }
        if looks_like_group(&properties.artifact_id) {
            return clean(&properties.artifact_id);
        }
    }
    if let Some(project) = &metadata.pom_project {
        if !project.group_id.is_empty() {
            return clean(&project.group_id);
        }
        if looks_like_group(&project.artifact_id) {
            return clean(&project.artifact_id);
        }
        if let Some(parent) = &project.parent {
            if !parent.group_id.is_empty() {
                return clean(&parent.group_id);
            }
            if looks_like_group(&parent.artifact_id) {
                return clean(&parent.artifact_id);
            }
        }
    }
    if let Some(manifest) = &metadata.manifest {
        if let Some(group) = from_manifest(manifest, PRIMARY_MANIFEST_FIELDS)
            .or_else(|| from_manifest(manifest, SECONDARY_MANIFEST_FIELDS))
        {
            return group;
        }
    }
    String::new()
}

/// `pkg:maven/<group>/<name>@<version>`; the name stands in for a missing group.
pub(crate) fn package_url(name: &str, version: &str, metadata: &JavaArchive) -> String {
    let mut group = group_id(metadata);
    if group.is_empty() {
        group = name.to_string();
    }
    PackageUrl {
        namespace: group,
        version: version.to_string(),
        ..PackageUrl::new("maven", name)
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use plimsoll_model::metadata::{JavaPomProperties, KeyValue};

    use super::*;

    fn manifest(entries: &[(&str, &str)]) -> JavaManifest {
        JavaManifest {
            main: entries
                .iter()
                .map(|(key, value)| KeyValue {
                    key: key.to_string(),
                    value: value.to_string(),
                })
                .collect(),
            sections: Vec::new(),
        }
    }

    #[test]
    fn pom_properties_come_first() {
        let metadata = JavaArchive {
            pom_properties: Some(JavaPomProperties {
                group_id: "org.anchore".into(),
                ..Default::default()
            }),
            manifest: Some(manifest(&[("Group-Id", "com.other")])),
            ..Default::default()
        };
        assert_eq!(
            package_url("example", "0.1.0", &metadata),
            "pkg:maven/org.anchore/example@0.1.0"
        );
    }

    #[test]
    fn manifest_fields_give_the_smallest_domain_value() {
        let metadata = JavaArchive {
            manifest: Some(manifest(&[
                ("Bundle-SymbolicName", "org.zeta.bundle;singleton:=true"),
                ("Implementation-Vendor", "The Apache Software Foundation"),
                ("Implementation-Title", "com.alpha"),
            ])),
            ..Default::default()
        };
        assert_eq!(group_id(&metadata), "com.alpha");
        assert_eq!(
            package_url("x", "", &JavaArchive::default()),
            "pkg:maven/x/x"
        );
    }
}
