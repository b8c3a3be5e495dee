//! The Maven POM cataloger (directories): each `pom.xml` is a package, and each of its
//! direct dependencies one more, a dependency of it. Parents and properties are resolved
//! from the POMs found in the same scan; nothing is fetched from a repository.

use std::collections::HashMap;

use plimsoll_image::FileView;
use plimsoll_model::metadata::{JavaArchive, JavaPomParent, JavaPomProperties};
use plimsoll_model::{Evidence, License, Location, Package, PackageMetadata, PackageType};

use super::group_id::package_url;
use super::handle;
use super::pom_resolver::{MavenId, PomResolver};
use super::pom_xml::{self, Pom};
use crate::cataloger::{Cataloger, Environment};
use crate::{CatalogError, UNKNOWN_VERSION};

const NAME: &str = "java-pom-cataloger";

/// Finds Maven projects and their declared dependencies.
#[derive(Debug, Default)]
pub struct JavaPomCataloger;

fn is_pom(path: &str) -> bool {
    path.ends_with("/pom.xml")
}

impl Cataloger for JavaPomCataloger {
    fn name(&self) -> &'static str {
        NAME
    }

    fn wants(&self, path: &str) -> bool {
        is_pom(path)
    }

    fn catalog(
        &self,
        view: &FileView<'_>,
        _environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError> {
        let mut poms: Vec<(Location, Pom)> = Vec::new();
        for location in view.find(&is_pom) {
            let Some(bytes) = view.contents(&location) else {
                continue;
            };
            match pom_xml::parse(&String::from_utf8_lossy(&bytes)) {
                Ok(pom) => poms.push((location, pom)),
                Err(error) => tracing::warn!(path = %location.path, %error, "skipping pom.xml"),
            }
        }
        let all: Vec<&Pom> = poms.iter().map(|(_, pom)| pom).collect();
        let resolver = PomResolver::new(&all);

        let mut packages: Vec<Package> = Vec::new();
        let mut resolved: HashMap<MavenId, usize> = HashMap::new();
        for (location, pom) in &poms {
            let package = project_package(&resolver, pom, location);
            resolved.entry(resolver.id(pom)).or_insert(packages.len());
            packages.push(package);
        }
        for (location, pom) in &poms {
            let Some(&project) = resolved.get(&resolver.id(pom)) else {
                continue;
            };
            let project_handle = handles(&packages[project]);
            for dependency in &pom.dependencies {
                let id = resolver.dependency_id(pom, dependency);
                let index = match resolved.get(&id) {
                    Some(&index) => index,
                    None => {
                        let properties = JavaPomProperties {
                            group_id: id.group_id.clone(),
                            artifact_id: id.artifact_id.clone(),
                            scope: resolver.resolve(pom, dependency.scope.as_deref()),
                            ..Default::default()
                        };
                        let metadata = JavaArchive {
                            pom_properties: Some(properties),
                            ..Default::default()
                        };
                        resolved.insert(id.clone(), packages.len());
                        packages.push(package(&id, metadata, location, Vec::new()));
                        packages.len() - 1
                    }
                };
                if let PackageMetadata::JavaArchive(metadata) = &mut packages[index].metadata {
                    metadata
                        .dependency_of
                        .extend(project_handle.iter().cloned());
                }
            }
        }
        for package in &mut packages {
            if package.version.is_empty() {
                package.version = UNKNOWN_VERSION.to_string();
            }
        }
        packages.retain(|package| !package.name.is_empty());
        Ok(packages)
    }
}

fn handles(package: &Package) -> Vec<String> {
    package
        .locations
        .iter()
        .map(|location| handle(&location.path, &package.purl))
        .collect()
}

fn project_package(resolver: &PomResolver<'_>, pom: &Pom, location: &Location) -> Package {
    let id = resolver.id(pom);
    let mut project = resolver.project(pom, "", false);
    project.parent = parent(resolver, pom);
    let licenses = resolver
        .licenses(pom)
        .into_iter()
        .filter_map(|license| {
            let name = license.name.unwrap_or_default();
            let url = license.url.unwrap_or_default();
            let value = if name.is_empty() { url.clone() } else { name };
            if value.is_empty() {
                return None;
            }
            let mut declared = License::declared(value, location.clone());
            declared.urls.extend((!url.is_empty()).then_some(url));
            Some(declared)
        })
        .collect();
    let metadata = JavaArchive {
        pom_project: Some(project),
        ..Default::default()
    };
    package(&id, metadata, location, licenses)
}

/// The parent's coordinates: a parent found in the scan by its own, else the `<parent>`
/// element's, the project's group standing in for a missing one; `None` without an
/// artifact ID and a version.
fn parent(resolver: &PomResolver<'_>, pom: &Pom) -> Option<JavaPomParent> {
    let mut parent = resolver.parent_coordinates(pom)?;
    if parent.group_id.is_empty() {
        parent.group_id = resolver.resolve(pom, pom.coordinates.group_id.as_deref());
    }
    (!parent.artifact_id.is_empty() && !parent.version.is_empty()).then_some(parent)
}

fn package(
    id: &MavenId,
    metadata: JavaArchive,
    location: &Location,
    licenses: Vec<License>,
) -> Package {
    let purl = package_url(&id.artifact_id, &id.version, &metadata);
    let jenkins = purl.contains("io.jenkins.plugins") || purl.contains("org.jenkins-ci.plugins");
    Package {
        name: id.artifact_id.clone(),
        version: id.version.clone(),
        package_type: if jenkins {
            PackageType::JenkinsPlugin
        } else {
            PackageType::JavaArchive
        },
        found_by: NAME.to_string(),
        locations: vec![location.clone().with_evidence(Evidence::Primary)],
        licenses,
        language: "java".to_string(),
        cpes: Vec::new(),
        purl,
        metadata: PackageMetadata::JavaArchive(metadata),
    }
}
