//! Writes a CycloneDX document as XML in the 1.6 namespace, elements in the order the XML
//! schema requires, escaped as Go's `encoding/xml` escapes (so Syft's documents and
//! Plimsoll's read alike).

use super::document::{Bom, Component, LicenseChoice, Tools};
use super::SPEC_VERSION;

/// The XML document, without a trailing newline (as Syft writes it).
pub(crate) fn write(bom: &Bom) -> String {
    let mut xml = Xml(String::with_capacity(4096));
    xml.0
        .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.0.push_str(&format!(
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/{SPEC_VERSION}\""
    ));
    if !bom.serial_number.is_empty() {
        xml.attribute("serialNumber", &bom.serial_number);
    }
    xml.attribute("version", &bom.version.to_string());
    xml.0.push('>');

    if let Some(metadata) = &bom.metadata {
        xml.open("metadata");
        xml.leaf("timestamp", &metadata.timestamp);
        if let Some(Tools::Components { components }) = &metadata.tools {
            xml.open("tools");
            xml.open("components");
            for tool in components {
                component(&mut xml, tool);
            }
            xml.close("components");
            xml.close("tools");
        }
        if let Some(subject) = &metadata.component {
            component(&mut xml, subject);
        }
        xml.close("metadata");
    }

    if !bom.components.is_empty() {
        xml.open("components");
        for each in &bom.components {
            component(&mut xml, each);
        }
        xml.close("components");
    }

    if !bom.dependencies.is_empty() {
        xml.open("dependencies");
        for dependency in &bom.dependencies {
            xml.0.push_str("<dependency");
            xml.attribute("ref", &dependency.reference);
            xml.0.push('>');
            for target in &dependency.depends_on {
                xml.0.push_str("<dependency");
                xml.attribute("ref", target);
                xml.0.push_str("></dependency>");
            }
            xml.close("dependency");
        }
        xml.close("dependencies");
    }
    xml.close("bom");
    xml.0
}

fn component(xml: &mut Xml, component: &Component) {
    xml.0.push_str("<component");
    if !component.bom_ref.is_empty() {
        xml.attribute("bom-ref", &component.bom_ref);
    }
    xml.attribute("type", &component.component_type);
    xml.0.push('>');

    xml.leaf("author", &component.author);
    xml.leaf("publisher", &component.publisher);
    xml.0.push_str("<name>");
    xml.text(&component.name);
    xml.0.push_str("</name>");
    xml.leaf("version", &component.version);
    xml.leaf("description", &component.description);
    licenses(xml, &component.licenses);
    xml.leaf("cpe", &component.cpe);
    xml.leaf("purl", &component.purl);

    if let Some(swid) = &component.swid {
        xml.0.push_str("<swid");
        xml.attribute("tagId", &swid.tag_id);
        xml.attribute("name", &swid.name);
        if !swid.version.is_empty() {
            xml.attribute("version", &swid.version);
        }
        xml.0.push_str("></swid>");
    }

    if !component.external_references.is_empty() {
        xml.open("externalReferences");
        for reference in &component.external_references {
            xml.0.push_str("<reference");
            xml.attribute("type", &reference.reference_type);
            xml.0.push_str("><url>");
            xml.text(&reference.url);
            xml.0.push_str("</url>");
            xml.leaf("comment", &reference.comment);
            xml.close("reference");
        }
        xml.close("externalReferences");
    }

    if !component.properties.is_empty() {
        xml.open("properties");
        for property in &component.properties {
            xml.0.push_str("<property");
            xml.attribute("name", &property.name);
            xml.0.push('>');
            xml.text(&property.value);
            xml.close("property");
        }
        xml.close("properties");
    }

    if !component.components.is_empty() {
        xml.open("components");
        for nested in &component.components {
            self::component(xml, nested);
        }
        xml.close("components");
    }
    xml.close("component");
}

fn licenses(xml: &mut Xml, choices: &[LicenseChoice]) {
    if choices.is_empty() {
        return;
    }
    xml.open("licenses");
    for choice in choices {
        if let Some(license) = &choice.license {
            xml.open("license");
            xml.leaf("id", &license.id);
            xml.leaf("name", &license.name);
            xml.leaf("url", &license.url);
            xml.close("license");
        } else if let Some(expression) = &choice.expression {
            xml.leaf("expression", expression);
        }
    }
    xml.close("licenses");
}

/// An XML text being written.
struct Xml(String);

impl Xml {
    fn open(&mut self, name: &str) {
        self.0.push('<');
        self.0.push_str(name);
        self.0.push('>');
    }

    fn close(&mut self, name: &str) {
        self.0.push_str("</");
        self.0.push_str(name);
        self.0.push('>');
    }

    /// `<name>text</name>`, or nothing when the text is empty.
    fn leaf(&mut self, name: &str, text: &str) {
        if text.is_empty() {
            return;
        }
        self.open(name);
        self.text(text);
        self.close(name);
    }

    fn attribute(&mut self, name: &str, value: &str) {
        self.0.push(' ');
        self.0.push_str(name);
        self.0.push_str("=\"");
        self.text(value);
        self.0.push('"');
    }

    /// Escapes as Go's `xml.EscapeText`: markup characters and quotes as entities, tab and
    /// line breaks as character references (so attributes keep them), and characters XML 1.0
    /// cannot hold as U+FFFD.
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '&' => self.0.push_str("&amp;"),
                '<' => self.0.push_str("&lt;"),
                '>' => self.0.push_str("&gt;"),
                '"' => self.0.push_str("&#34;"),
                '\'' => self.0.push_str("&#39;"),
                '\t' => self.0.push_str("&#x9;"),
                '\n' => self.0.push_str("&#xA;"),
                '\r' => self.0.push_str("&#xD;"),
                c if is_xml_char(c) => self.0.push(c),
                _ => self.0.push('\u{FFFD}'),
            }
        }
    }
}

/// The characters XML 1.0 allows (its `Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_go() {
        let mut xml = Xml(String::new());
        xml.text("a<b>&\"c'\td\ne\u{1}");
        assert_eq!(xml.0, "a&lt;b&gt;&amp;&#34;c&#39;&#x9;d&#xA;e\u{FFFD}");
    }
}
