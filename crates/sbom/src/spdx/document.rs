//! The part of the SPDX 2.3 document model that Syft writes, shared by the JSON and
//! tag-value writers and readers. Field order is Syft's JSON key order; reading is lenient
//! (unknown fields are ignored, missing ones are empty).

use serde::{Deserialize, Serialize};

/// An SPDX document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Document {
    #[serde(rename = "spdxVersion", default)]
    pub spdx_version: String,
    #[serde(rename = "dataLicense", default)]
    pub data_license: String,
    #[serde(rename = "SPDXID", default)]
    pub spdx_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "documentNamespace", default)]
    pub document_namespace: String,
    #[serde(rename = "creationInfo", default)]
    pub creation_info: CreationInfo,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<Package>,
    #[serde(
        rename = "hasExtractedLicensingInfos",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extracted_licenses: Vec<ExtractedLicense>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relationships: Vec<Relationship>,
    /// SPDX 2.2's way of naming what the document describes; read, never written.
    #[serde(rename = "documentDescribes", default, skip_serializing)]
    pub document_describes: Vec<String>,
}

/// `creationInfo`: who made the document, and when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct CreationInfo {
    #[serde(
        rename = "licenseListVersion",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub license_list_version: String,
    #[serde(default)]
    pub creators: Vec<String>,
    #[serde(default)]
    pub created: String,
}

/// An SPDX package: a package, or the scanned source as the document's root.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Package {
    #[serde(default)]
    pub name: String,
    #[serde(rename = "SPDXID", default)]
    pub spdx_id: String,
    #[serde(
        rename = "versionInfo",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub version_info: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub supplier: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub originator: String,
    #[serde(rename = "downloadLocation", default)]
    pub download_location: String,
    #[serde(rename = "filesAnalyzed", default)]
    pub files_analyzed: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checksums: Vec<Checksum>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub homepage: String,
    #[serde(
        rename = "sourceInfo",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub source_info: String,
    #[serde(
        rename = "licenseConcluded",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub license_concluded: String,
    #[serde(
        rename = "licenseDeclared",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub license_declared: String,
    #[serde(
        rename = "copyrightText",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub copyright_text: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(
        rename = "externalRefs",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub external_refs: Vec<ExternalRef>,
    #[serde(
        rename = "primaryPackagePurpose",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub primary_package_purpose: String,
}

/// A package checksum; Syft gives an image root its manifest digest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Checksum {
    #[serde(default)]
    pub algorithm: String,
    #[serde(rename = "checksumValue", default)]
    pub checksum_value: String,
}

/// A reference to an identifier outside the document: a PURL or a CPE.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ExternalRef {
    #[serde(rename = "referenceCategory", default)]
    pub reference_category: String,
    #[serde(rename = "referenceType", default)]
    pub reference_type: String,
    #[serde(rename = "referenceLocator", default)]
    pub reference_locator: String,
}

/// The text behind a `LicenseRef-` used in a license expression.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ExtractedLicense {
    #[serde(rename = "licenseId", default)]
    pub license_id: String,
    #[serde(rename = "extractedText", default)]
    pub extracted_text: String,
}

/// An edge between two SPDX elements.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Relationship {
    #[serde(rename = "spdxElementId", default)]
    pub spdx_element_id: String,
    #[serde(rename = "relatedSpdxElement", default)]
    pub related_spdx_element: String,
    #[serde(rename = "relationshipType", default)]
    pub relationship_type: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}
