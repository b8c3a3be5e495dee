//! The part of the CycloneDX 1.6 document model that Syft writes, shared by the JSON and XML
//! writers and readers. Field order is Syft's JSON key order; reading is lenient (unknown
//! fields are ignored, missing ones are empty).

use serde::{Deserialize, Serialize};

/// A CycloneDX BOM.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Bom {
    #[serde(rename = "$schema", default, skip_serializing_if = "String::is_empty")]
    pub schema: String,
    #[serde(rename = "bomFormat", default)]
    pub bom_format: String,
    #[serde(rename = "specVersion", default)]
    pub spec_version: String,
    #[serde(
        rename = "serialNumber",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub serial_number: String,
    #[serde(default = "first_version")]
    pub version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Dependency>,
}

fn first_version() -> u64 {
    1
}

/// `metadata`: when, by what, and about what the BOM was made.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Metadata {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub timestamp: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Tools>,
    /// The subject of the BOM: the scanned image, directory or file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<Component>,
}

/// `metadata.tools`, in the 1.5+ object form Syft writes or the older array form that other
/// producers still write (read and ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum Tools {
    Components {
        #[serde(default)]
        components: Vec<Component>,
    },
    Legacy(Vec<serde_json::Value>),
}

/// A component: a package, the operating system, the scanned source or a tool.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Component {
    #[serde(rename = "bom-ref", default, skip_serializing_if = "String::is_empty")]
    pub bom_ref: String,
    #[serde(rename = "type", default)]
    pub component_type: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub publisher: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<LicenseChoice>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cpe: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub purl: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swid: Option<Swid>,
    #[serde(
        rename = "externalReferences",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub external_references: Vec<ExternalReference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
    /// Nested components: Syft writes none, other producers do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
}

impl Component {
    /// The value of the first property with this name.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|property| property.name == name)
            .map(|property| property.value.as_str())
    }
}

/// One entry of `licenses`: a license or an SPDX expression.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct LicenseChoice {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<License>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// CycloneDX 1.6's `declared` or `concluded`; read from other producers, never written
    /// (Syft 1.18.1 does not write it).
    #[serde(default, skip_serializing)]
    pub acknowledgement: String,
}

/// A license by SPDX identifier or by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct License {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// As on [`LicenseChoice`].
    #[serde(default, skip_serializing)]
    pub acknowledgement: String,
}

/// A SWID tag; Syft gives the operating system one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Swid {
    #[serde(rename = "tagId", default)]
    pub tag_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
}

/// A link to something outside the BOM (a home page, an issue tracker, a download).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ExternalReference {
    #[serde(default)]
    pub url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
    #[serde(rename = "type", default)]
    pub reference_type: String,
}

/// A name-value pair; Syft's own facts are all `syft:` properties.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Property {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub value: String,
}

impl Property {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Property {
        Property {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// The components that one component depends on, by `bom-ref`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Dependency {
    #[serde(rename = "ref", default)]
    pub reference: String,
    #[serde(rename = "dependsOn", default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}
