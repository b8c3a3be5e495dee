//! Resolves a POM's `${…}` expressions as Maven would, from the POM itself and the parent
//! POMs at hand: `project.*` fields (a missing version or group inherited from the
//! parent), then `<properties>` up the parent chain. An expression that cannot be
//! resolved empties the whole value, as in Syft. Nothing is fetched from a repository.

use std::collections::HashMap;

use plimsoll_model::metadata::{JavaPomParent, JavaPomProject};

use super::pom_xml::{Coordinates, Dependency, Pom, PomLicense};

/// How far up a chain of parents properties are looked for.
const MAX_PARENT_DEPTH: usize = 16;

/// A project's resolved Maven coordinates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct MavenId {
    pub group_id: String,
    pub artifact_id: String,
    pub version: String,
}

/// The POMs known by their resolved coordinates, for finding parents.
#[derive(Debug, Default)]
pub(crate) struct PomResolver<'p> {
    known: HashMap<MavenId, &'p Pom>,
}

/// An unresolvable expression.
struct Unresolved;

impl<'p> PomResolver<'p> {
    /// A resolver that knows these POMs as possible parents.
    pub fn new(poms: &[&'p Pom]) -> Self {
        let mut resolver = PomResolver::default();
        for pom in poms {
            let id = resolver.id(pom);
            resolver.known.entry(id).or_insert(pom);
        }
        resolver
    }

    fn parent(&self, pom: &Pom) -> Option<&'p Pom> {
        let parent = pom.parent.as_ref()?;
        // The parent's own coordinates are resolved without the parent, as Maven must.
        let orphan = Pom {
            parent: None,
            ..pom.clone()
        };
        let id = MavenId {
            group_id: self.resolve(&orphan, parent.group_id.as_deref()),
            artifact_id: self.resolve(&orphan, parent.artifact_id.as_deref()),
            version: self.resolve(&orphan, parent.version.as_deref()),
        };
        self.known.get(&id).copied()
    }

    /// A value with its expressions replaced; empty if any cannot be.
    pub fn resolve(&self, pom: &Pom, value: Option<&str>) -> String {
        let Some(value) = value else {
            return String::new();
        };
        self.expand(pom, value, &mut Vec::new()).unwrap_or_default()
    }

    fn expand(
        &self,
        pom: &Pom,
        value: &str,
        resolving: &mut Vec<String>,
    ) -> Result<String, Unresolved> {
        let mut out = String::new();
        let mut rest = value;
        let mut failed = false;
        while let Some(start) = rest.find("${") {
            let Some(length) = rest[start + 2..].find('}') else {
                break;
            };
            out.push_str(&rest[..start]);
            let expression = rest[start + 2..start + 2 + length].trim();
            // `${}` is no expression and stays as written.
            if expression.is_empty() && length == 0 {
                out.push_str("${}");
            } else {
                match self.property(pom, expression, resolving) {
                    Ok(resolved) => out.push_str(&resolved),
                    Err(Unresolved) => failed = true,
                }
            }
            rest = &rest[start + 3 + length..];
        }
        out.push_str(rest);
        if failed {
            Err(Unresolved)
        } else {
            Ok(out)
        }
    }

    fn property(
        &self,
        pom: &Pom,
        expression: &str,
        resolving: &mut Vec<String>,
    ) -> Result<String, Unresolved> {
        if resolving.iter().any(|p| p == expression) {
            return Err(Unresolved);
        }
        resolving.push(expression.to_string());
        let result = self.property_uncached(pom, expression, resolving);
        resolving.pop();
        result
    }

    fn property_uncached(
        &self,
        pom: &Pom,
        expression: &str,
        resolving: &mut Vec<String>,
    ) -> Result<String, Unresolved> {
        if let Some(field) = expression.strip_prefix("project.") {
            if let Some(value) = self.project_field(pom, field)? {
                return self.expand(pom, &value, resolving);
            }
        }
        let mut current = Some(pom);
        for _ in 0..MAX_PARENT_DEPTH {
            let Some(project) = current else { break };
            if let Some(value) = project.properties.get(expression) {
                return self.expand(pom, value, resolving);
            }
            current = self.parent(project);
        }
        Err(Unresolved)
    }

    /// A `project.*` field: `Ok(None)` when the name is not a field read here.
    fn project_field(&self, pom: &Pom, field: &str) -> Result<Option<String>, Unresolved> {
        let defined = |value: &Option<String>| value.clone().map(Some).ok_or(Unresolved);
        match field {
            // Only the version falls back to the parent's: Syft's lookup of the group
            // misspells the field and never inherits it.
            "version" if pom.coordinates.version.is_none() => {
                match pom.parent.as_ref().and_then(|p| p.version.clone()) {
                    Some(version) => Ok(Some(version)),
                    None => Err(Unresolved),
                }
            }
            "groupId" => defined(&pom.coordinates.group_id),
            "artifactId" => defined(&pom.coordinates.artifact_id),
            "version" => defined(&pom.coordinates.version),
            "name" => defined(&pom.name),
            "description" => defined(&pom.description),
            "url" => defined(&pom.url),
            "parent.groupId" | "parent.artifactId" | "parent.version" => {
                let parent = pom.parent.as_ref().ok_or(Unresolved)?;
                defined(match field {
                    "parent.groupId" => &parent.group_id,
                    "parent.artifactId" => &parent.artifact_id,
                    _ => &parent.version,
                })
            }
            _ => Ok(None),
        }
    }

    /// The project's coordinates, group and version inherited from the parent if absent.
    pub fn id(&self, pom: &Pom) -> MavenId {
        let coordinates = &pom.coordinates;
        let mut id = MavenId {
            group_id: self.resolve(pom, coordinates.group_id.as_deref()),
            artifact_id: self.resolve(pom, coordinates.artifact_id.as_deref()),
            version: self.resolve(pom, coordinates.version.as_deref()),
        };
        if let Some(parent) = &pom.parent {
            if id.group_id.is_empty() && coordinates.group_id.as_deref().unwrap_or("").is_empty() {
                id.group_id = self.resolve(pom, parent.group_id.as_deref());
            }
            if id.version.is_empty() && coordinates.version.as_deref().unwrap_or("").is_empty() {
                id.version = self.resolve(pom, parent.version.as_deref());
            }
        }
        id
    }

    /// A dependency's coordinates; a missing version comes from `<dependencyManagement>`
    /// of the POM or its parents.
    pub fn dependency_id(&self, pom: &Pom, dependency: &Dependency) -> MavenId {
        let coordinates: &Coordinates = &dependency.coordinates;
        let mut id = MavenId {
            group_id: self.resolve(pom, coordinates.group_id.as_deref()),
            artifact_id: self.resolve(pom, coordinates.artifact_id.as_deref()),
            version: self.resolve(pom, coordinates.version.as_deref()),
        };
        if id.version.is_empty() {
            let mut current = Some(pom);
            for _ in 0..MAX_PARENT_DEPTH {
                let Some(project) = current else { break };
                let managed = project.managed.iter().find(|managed| {
                    self.resolve(project, managed.coordinates.group_id.as_deref()) == id.group_id
                        && self.resolve(project, managed.coordinates.artifact_id.as_deref())
                            == id.artifact_id
                });
                if let Some(managed) = managed {
                    id.version = self.resolve(project, managed.coordinates.version.as_deref());
                    if !id.version.is_empty() {
                        break;
                    }
                }
                current = self.parent(project);
            }
        }
        id
    }

    /// The `<parent>` coordinates, resolved; `None` when all are empty.
    pub fn parent_coordinates(&self, pom: &Pom) -> Option<JavaPomParent> {
        let parent = pom.parent.as_ref()?;
        let resolved = JavaPomParent {
            group_id: self.resolve(pom, parent.group_id.as_deref()),
            artifact_id: self.resolve(pom, parent.artifact_id.as_deref()),
            version: self.resolve(pom, parent.version.as_deref()),
        };
        let empty = resolved.group_id.is_empty()
            && resolved.artifact_id.is_empty()
            && resolved.version.is_empty();
        (!empty).then_some(resolved)
    }

    /// The licenses the POM declares, or else its nearest known parent's.
    pub fn licenses(&self, pom: &Pom) -> Vec<PomLicense> {
        let mut current = Some(pom);
        for _ in 0..MAX_PARENT_DEPTH {
            let Some(project) = current else { break };
            if !project.licenses.is_empty() {
                return project
                    .licenses
                    .iter()
                    .map(|license| PomLicense {
                        name: Some(self.resolve(project, license.name.as_deref())),
                        url: Some(self.resolve(project, license.url.as_deref())),
                    })
                    .collect();
            }
            current = self.parent(project);
        }
        Vec::new()
    }

    /// The `pomProject` metadata of a POM found at `path` (inside an archive, or empty).
    pub fn project(&self, pom: &Pom, path: &str, clean_description: bool) -> JavaPomProject {
        let id = self.id(pom);
        let mut description = self.resolve(pom, pom.description.as_deref());
        if clean_description {
            // Descriptions are often wrapped over indented lines; one line reads better.
            description = description
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
        }
        JavaPomProject {
            path: path.to_string(),
            parent: self.parent_coordinates(pom),
            group_id: id.group_id,
            artifact_id: id.artifact_id,
            version: id.version,
            name: self.resolve(pom, pom.name.as_deref()),
            description,
            url: self.resolve(pom, pom.url.as_deref()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::pom_xml::parse;
    use super::*;

    #[test]
    fn expressions_resolve_through_properties_and_parents() {
        let parent = parse(
            "<project><groupId>org.p</groupId><artifactId>parent</artifactId>\
             <version>7</version><properties><lib.version>2.${minor}</lib.version>\
             <minor>5</minor></properties></project>",
        )
        .unwrap();
        let child = parse(
            "<project><parent><groupId>org.p</groupId><artifactId>parent</artifactId>\
             <version>7</version></parent><artifactId>child</artifactId>\
             <name>${project.artifactId} v${project.version}</name>\
             <url>${missing}/x</url><description>${project.groupId}</description>\
             <dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId>\
             <version>${lib.version}</version></dependency></dependencies></project>",
        )
        .unwrap();
        let resolver = PomResolver::new(&[&parent, &child]);
        let id = resolver.id(&child);
        assert_eq!((id.group_id.as_str(), id.version.as_str()), ("org.p", "7"));
        assert_eq!(resolver.resolve(&child, child.name.as_deref()), "child v7");
        assert_eq!(resolver.resolve(&child, child.url.as_deref()), "");
        assert_eq!(resolver.resolve(&child, child.description.as_deref()), "");
        let dependency = resolver.dependency_id(&child, &child.dependencies[0]);
        assert_eq!(dependency.version, "2.5");
    }

    #[test]
    fn cycles_end() {
        let pom = parse("<project><properties><a>${b}</a><b>${a}</b></properties><version>${a}</version></project>").unwrap();
        assert_eq!(PomResolver::new(&[]).id(&pom).version, "");
    }
}
