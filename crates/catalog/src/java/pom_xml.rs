//! `pom.xml`, a Maven project object model: the project's coordinates, its parent, its
//! properties, dependencies and licenses, as written (expressions unresolved).

use std::collections::BTreeMap;

use quick_xml::events::Event;
use quick_xml::Reader;

/// Coordinates as a POM writes them; `None` where the element is absent (which differs
/// from empty for inheritance from the parent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Coordinates {
    pub group_id: Option<String>,
    pub artifact_id: Option<String>,
    pub version: Option<String>,
}

/// One `<dependency>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Dependency {
    pub coordinates: Coordinates,
    pub scope: Option<String>,
}

/// One `<license>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PomLicense {
    pub name: Option<String>,
    pub url: Option<String>,
}

/// A parsed POM.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Pom {
    pub coordinates: Coordinates,
    pub name: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub parent: Option<Coordinates>,
    pub properties: BTreeMap<String, String>,
    pub dependencies: Vec<Dependency>,
    /// `<dependencyManagement>`'s dependencies: versions for dependencies that omit one.
    pub managed: Vec<Dependency>,
    pub licenses: Vec<PomLicense>,
}

/// Why a POM could not be read.
#[derive(Debug, thiserror::Error)]
#[error("malformed pom.xml")]
pub(crate) struct PomError(#[from] quick_xml::Error);

fn set_coordinate(coordinates: &mut Coordinates, field: &str, text: String) {
    match field {
        "groupId" => coordinates.group_id = Some(text),
        "artifactId" => coordinates.artifact_id = Some(text),
        "version" => coordinates.version = Some(text),
        _ => {}
    }
}

fn set_dependency(list: &mut [Dependency], field: &str, text: String) {
    let Some(dependency) = list.last_mut() else {
        return;
    };
    if field == "scope" {
        dependency.scope = Some(text);
    } else {
        set_coordinate(&mut dependency.coordinates, field, text);
    }
}

impl Pom {
    /// Files a finished element's text under the path of element names that leads to it
    /// (the root element's own name is not checked, as Maven's readers do not).
    fn assign(&mut self, path: &[String], text: String) {
        let path: Vec<&str> = path.iter().skip(1).map(String::as_str).collect();
        match path.as_slice() {
            [field @ ("groupId" | "artifactId" | "version")] => {
                set_coordinate(&mut self.coordinates, field, text)
            }
            ["name"] => self.name = Some(text),
            ["description"] => self.description = Some(text),
            ["url"] => self.url = Some(text),
            ["parent", field] => set_coordinate(
                self.parent.get_or_insert_with(Default::default),
                field,
                text,
            ),
            ["properties", key] => {
                self.properties.insert(key.to_string(), text);
            }
            ["dependencies", "dependency", field] => {
                set_dependency(&mut self.dependencies, field, text)
            }
            ["dependencyManagement", "dependencies", "dependency", field] => {
                set_dependency(&mut self.managed, field, text)
            }
            ["licenses", "license", "name"] => {
                if let Some(license) = self.licenses.last_mut() {
                    license.name = Some(text);
                }
            }
            ["licenses", "license", "url"] => {
                if let Some(license) = self.licenses.last_mut() {
                    license.url = Some(text);
                }
            }
            _ => {}
        }
    }

    /// Notes the start of an element that is a list item.
    fn open(&mut self, path: &[String]) {
        let path: Vec<&str> = path.iter().skip(1).map(String::as_str).collect();
        match path.as_slice() {
            ["dependencies", "dependency"] => self.dependencies.push(Dependency::default()),
            ["dependencyManagement", "dependencies", "dependency"] => {
                self.managed.push(Dependency::default())
            }
            ["licenses", "license"] => self.licenses.push(PomLicense::default()),
            ["parent"] => {
                self.parent.get_or_insert_with(Default::default);
            }
            _ => {}
        }
    }
}

/// Parses a POM.
pub(crate) fn parse(text: &str) -> Result<Pom, PomError> {
    let mut reader = Reader::from_str(text);
    let mut pom = Pom::default();
    let mut path: Vec<String> = Vec::new();
    let mut content = String::new();
    let mut saw_root = false;
    loop {
        match reader.read_event()? {
            Event::Start(start) => {
                path.push(String::from_utf8_lossy(start.local_name().as_ref()).into_owned());
                saw_root = true;
                content.clear();
                pom.open(&path);
            }
            Event::Empty(start) => {
                path.push(String::from_utf8_lossy(start.local_name().as_ref()).into_owned());
                saw_root = true;
                pom.open(&path);
                pom.assign(&path, String::new());
                path.pop();
            }
            Event::Text(text) => {
                content.push_str(&text.xml_content().map_err(quick_xml::Error::from)?)
            }
            Event::CData(data) => content.push_str(&String::from_utf8_lossy(&data)),
            Event::GeneralRef(reference) => {
                // Entity and character references arrive apart from the text around them.
                if let Some(c) = reference.resolve_char_ref()? {
                    content.push(c);
                } else {
                    let name = reference.decode().map_err(quick_xml::Error::from)?;
                    content.push_str(quick_xml::escape::resolve_xml_entity(&name).unwrap_or(""));
                }
            }
            Event::End(_) => {
                pom.assign(&path, std::mem::take(&mut content));
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root || !path.is_empty() {
        return Err(PomError(quick_xml::Error::Syntax(
            quick_xml::errors::SyntaxError::UnclosedTag,
        )));
    }
    Ok(pom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_coordinates_parent_properties_dependencies() {
        let pom = parse(
            r#"<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><groupId>org.p</groupId><artifactId>parent</artifactId><version>7</version></parent>
  <artifactId>child</artifactId>
  <name>Child &amp; co</name>
  <properties><dep.version>1.2</dep.version></properties>
  <licenses><license><name>Apache 2</name><url>http://a</url></license></licenses>
  <dependencies>
    <dependency><groupId>g</groupId><artifactId>a</artifactId><version>${dep.version}</version><scope>test</scope></dependency>
    <dependency><groupId>g</groupId><artifactId>b</artifactId></dependency>
  </dependencies>
  <dependencyManagement><dependencies>
    <dependency><groupId>g</groupId><artifactId>b</artifactId><version>3</version></dependency>
  </dependencies></dependencyManagement>
</project>"#,
        )
        .unwrap();
        assert_eq!(pom.coordinates.artifact_id.as_deref(), Some("child"));
        assert_eq!(pom.coordinates.group_id, None);
        assert_eq!(pom.name.as_deref(), Some("Child & co"));
        assert_eq!(pom.parent.unwrap().version.as_deref(), Some("7"));
        assert_eq!(pom.properties["dep.version"], "1.2");
        assert_eq!(pom.dependencies.len(), 2);
        assert_eq!(pom.dependencies[0].scope.as_deref(), Some("test"));
        assert_eq!(pom.managed[0].coordinates.version.as_deref(), Some("3"));
        assert_eq!(pom.licenses[0].name.as_deref(), Some("Apache 2"));
    }

    #[test]
    fn malformed_xml_is_an_error() {
        assert!(parse("<project><artifactId>x</project>").is_err());
        assert!(parse("").is_err());
        assert!(parse("<project><a>").is_err());
    }
}
