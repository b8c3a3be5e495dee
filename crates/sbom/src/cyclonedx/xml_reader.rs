//! Reads a CycloneDX XML document (any 1.x namespace, prefixed or not) into the shared
//! document model: first into a small element tree, then element by element.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::document::{
    Bom, Component, Dependency, ExternalReference, License, LicenseChoice, Metadata, Property, Swid,
};
use crate::error::DecodeError;

const NAMESPACE_PREFIX: &str = "http://cyclonedx.org/schema/bom/";
/// Deeper nesting than this is refused: the reader recurses into nested components, and a
/// hostile document could otherwise exhaust the stack. Real BOMs nest a handful of levels.
const MAX_DEPTH: usize = 128;

/// Parses the XML text of a CycloneDX BOM.
pub(crate) fn read(text: &str) -> Result<Bom, DecodeError> {
    let root = tree(text)?;
    if root.name != "bom" {
        return Err(DecodeError::UnknownFormat {
            reason: format!(
                "an XML document whose root element is `{}` (CycloneDX's is `bom`)",
                root.name
            ),
        });
    }
    let namespace = root
        .attributes
        .iter()
        .find(|(name, _)| name == "xmlns" || name.starts_with("xmlns:"))
        .map(|(_, value)| value.as_str())
        .unwrap_or_default();
    let Some(spec_version) = namespace.strip_prefix(NAMESPACE_PREFIX) else {
        return Err(invalid(format!(
            "the namespace is `{namespace}`, expected `{NAMESPACE_PREFIX}1.x`"
        )));
    };

    let version = match root.attribute("version") {
        "" => 1,
        text => text
            .trim()
            .parse()
            .map_err(|_| invalid(format!("`bom` attribute `version` is `{text}`")))?,
    };
    Ok(Bom {
        schema: String::new(),
        bom_format: "CycloneDX".to_string(),
        spec_version: spec_version.to_string(),
        serial_number: root.attribute("serialNumber").to_string(),
        version,
        metadata: root.child("metadata").map(|metadata| Metadata {
            timestamp: metadata.child_text("timestamp"),
            tools: None,
            component: metadata.child("component").map(component),
        }),
        components: components(&root),
        dependencies: root
            .child("dependencies")
            .map(|list| list.children_named("dependency").map(dependency).collect())
            .unwrap_or_default(),
    })
}

fn components(parent: &Element) -> Vec<Component> {
    parent
        .child("components")
        .map(|list| list.children_named("component").map(component).collect())
        .unwrap_or_default()
}

fn component(element: &Element) -> Component {
    Component {
        bom_ref: element.attribute("bom-ref").to_string(),
        component_type: element.attribute("type").to_string(),
        author: element.child_text("author"),
        publisher: element.child_text("publisher"),
        name: element.child_text("name"),
        version: element.child_text("version"),
        description: element.child_text("description"),
        licenses: element
            .child("licenses")
            .map(|list| list.children.iter().filter_map(license_choice).collect())
            .unwrap_or_default(),
        cpe: element.child_text("cpe"),
        purl: element.child_text("purl"),
        swid: element.child("swid").map(|swid| Swid {
            tag_id: swid.attribute("tagId").to_string(),
            name: swid.attribute("name").to_string(),
            version: swid.attribute("version").to_string(),
        }),
        external_references: element
            .child("externalReferences")
            .map(|list| {
                list.children_named("reference")
                    .map(|reference| ExternalReference {
                        url: reference.child_text("url"),
                        comment: reference.child_text("comment"),
                        reference_type: reference.attribute("type").to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        properties: element
            .child("properties")
            .map(|list| {
                list.children_named("property")
                    .map(|property| Property::new(property.attribute("name"), &property.text))
                    .collect()
            })
            .unwrap_or_default(),
        components: components(element),
    }
}

fn license_choice(element: &Element) -> Option<LicenseChoice> {
    match element.name.as_str() {
        "license" => Some(LicenseChoice {
            license: Some(License {
                id: element.child_text("id"),
                name: element.child_text("name"),
                url: element.child_text("url"),
                acknowledgement: element.attribute("acknowledgement").to_string(),
            }),
            ..Default::default()
        }),
        "expression" => Some(LicenseChoice {
            expression: Some(element.text.trim().to_string()),
            acknowledgement: element.attribute("acknowledgement").to_string(),
            ..Default::default()
        }),
        _ => None,
    }
}

fn dependency(element: &Element) -> Dependency {
    Dependency {
        reference: element.attribute("ref").to_string(),
        depends_on: element
            .children_named("dependency")
            .map(|target| target.attribute("ref").to_string())
            .collect(),
    }
}

/// One XML element: its local name, attributes, child elements and text.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attribute(&self, name: &str) -> &str {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default()
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |child| child.name == name)
    }

    fn child_text(&self, name: &str) -> String {
        self.child(name)
            .map(|child| child.text.trim().to_string())
            .unwrap_or_default()
    }
}

/// Builds the element tree of a whole document.
fn tree(text: &str) -> Result<Element, DecodeError> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|error| invalid(format!("{error} (near byte {position})")))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(invalid(format!(
                        "elements nest deeper than {MAX_DEPTH} levels (near byte {position})"
                    )));
                }
                stack.push(element(&start, position)?);
            }
            Event::Empty(start) => {
                let element = element(&start, position)?;
                attach(&mut stack, &mut root, element, position)?;
            }
            Event::End(_) => {
                let Some(element) = stack.pop() else {
                    return Err(invalid(format!("unexpected end tag near byte {position}")));
                };
                attach(&mut stack, &mut root, element, position)?;
            }
            Event::Text(content) => {
                let decoded = content
                    .xml10_content()
                    .map_err(|error| invalid(format!("{error} (near byte {position})")))?;
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&decoded);
                }
            }
            Event::CData(content) => {
                let decoded = content
                    .decode()
                    .map_err(|error| invalid(format!("{error} (near byte {position})")))?;
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&decoded);
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = resolve_reference(&reference).ok_or_else(|| {
                    invalid(format!("unknown entity reference near byte {position}"))
                })?;
                if let Some(current) = stack.last_mut() {
                    current.text.push(resolved);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(invalid("the document ends inside an element".to_string()));
    }
    root.ok_or_else(|| invalid("the document has no root element".to_string()))
}

/// Puts a finished element under its parent, or makes it the root.
fn attach(
    stack: &mut [Element],
    root: &mut Option<Element>,
    element: Element,
    position: u64,
) -> Result<(), DecodeError> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None if root.is_none() => *root = Some(element),
        None => {
            return Err(invalid(format!(
                "a second root element near byte {position}"
            )))
        }
    }
    Ok(())
}

fn element(start: &BytesStart<'_>, position: u64) -> Result<Element, DecodeError> {
    let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute =
            attribute.map_err(|error| invalid(format!("{error} (near byte {position})")))?;
        let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
        let value = attribute
            .unescape_value()
            .map_err(|error| invalid(format!("{error} (near byte {position})")))?
            .into_owned();
        attributes.push((key, value));
    }
    Ok(Element {
        name,
        attributes,
        ..Default::default()
    })
}

/// A character reference (`&#34;`) or one of XML's five predefined entities.
fn resolve_reference(reference: &quick_xml::events::BytesRef<'_>) -> Option<char> {
    if reference.is_char_ref() {
        return reference.resolve_char_ref().ok().flatten();
    }
    let name = reference.decode().ok()?;
    quick_xml::escape::resolve_predefined_entity(&name)?
        .chars()
        .next()
}

fn invalid(message: String) -> DecodeError {
    DecodeError::Xml { message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_prefixed_documents_and_entities() {
        let bom = read(
            r#"<?xml version="1.0"?>
<c:bom xmlns:c="http://cyclonedx.org/schema/bom/1.5" version="2">
  <c:components>
    <c:component type="library" bom-ref="a">
      <c:name>x&amp;y&#34;</c:name><c:version><![CDATA[1<2]]></c:version>
      <c:licenses><c:expression>MIT OR ISC</c:expression></c:licenses>
    </c:component>
  </c:components>
</c:bom>"#,
        )
        .unwrap();
        assert_eq!(bom.spec_version, "1.5");
        assert_eq!(bom.version, 2);
        assert_eq!(bom.components[0].name, "x&y\"");
        assert_eq!(bom.components[0].version, "1<2");
        assert_eq!(
            bom.components[0].licenses[0].expression.as_deref(),
            Some("MIT OR ISC")
        );
    }

    #[test]
    fn malformed_documents_are_errors() {
        let deep = "<a>".repeat(200);
        let cases = [
            (
                "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>",
                "ends inside",
            ),
            (
                "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"></bomb>",
                "near byte",
            ),
            ("<notbom/>", "root element is `notbom`"),
            ("<bom xmlns=\"urn:other\"/>", "namespace is `urn:other`"),
            (
                "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">&nope;</bom>",
                "entity",
            ),
            ("", "no root element"),
            (deep.as_str(), "nest deeper than 128"),
        ];
        for (text, expected) in cases {
            let error = read(text).unwrap_err().to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }
}
