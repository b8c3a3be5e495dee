//! The Gradle lockfile cataloger: `gradle.lockfile` lines `group:name:version=configurations`.

use plimsoll_image::FileView;
use plimsoll_model::metadata::{JavaArchive, JavaPomProject};
use plimsoll_model::{Evidence, Package, PackageMetadata, PackageType};

use super::group_id::package_url;
use crate::cataloger::{Cataloger, Environment};
use crate::CatalogError;

/// Finds the dependencies locked in Gradle lockfiles.
#[derive(Debug, Default)]
pub struct GradleLockfileCataloger;

fn is_lockfile(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|name| name.starts_with("gradle.lockfile"))
}

/// The `(group, name, version)` of each dependency line; comments and `empty=` lines have
/// no three-part coordinates and are skipped.
fn parse(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .filter_map(|line| {
            let coordinates = line.trim().split('=').next().unwrap_or("");
            let parts: Vec<&str> = coordinates.split(':').collect();
            match parts.as_slice() {
                [group, name, version] => {
                    Some((group.to_string(), name.to_string(), version.to_string()))
                }
                _ => None,
            }
        })
        .collect()
}

impl Cataloger for GradleLockfileCataloger {
    fn name(&self) -> &'static str {
        "java-gradle-lockfile-cataloger"
    }

    fn wants(&self, path: &str) -> bool {
        is_lockfile(path)
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        let mut packages = Vec::new();
        for location in view.find(&is_lockfile) {
            let Some(bytes) = view.contents(&location) else {
                continue;
            };
            for (group, name, version) in parse(&String::from_utf8_lossy(&bytes)) {
                let metadata = JavaArchive {
                    pom_project: Some(JavaPomProject {
                        group_id: group,
                        artifact_id: name.clone(),
                        version: version.clone(),
                        name: name.clone(),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                packages.push(Package {
                    purl: package_url(&name, &version, &metadata),
                    name,
                    version,
                    package_type: PackageType::JavaArchive,
                    found_by: self.name().to_string(),
                    locations: vec![location.clone().with_evidence(Evidence::Primary)],
                    licenses: Vec::new(),
                    language: "java".to_string(),
                    cpes: Vec::new(),
                    metadata: PackageMetadata::JavaArchive(metadata),
                });
            }
        }
        Ok(packages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_lines_only() {
        let parsed = parse(
            "# This is a Gradle generated file\n\
             junit:junit:4.12=testCompileClasspath\n\
             org.hamcrest:hamcrest-core:1.3=a,b\nempty=annotationProcessor\n",
        );
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0], ("junit".into(), "junit".into(), "4.12".into()));
    }

    #[test]
    fn lockfile_names() {
        assert!(is_lockfile("/a/gradle.lockfile"));
        assert!(is_lockfile("/a/gradle.lockfile.bak"));
        assert!(!is_lockfile("/a/buildscript-gradle.lockfile"));
    }
}
