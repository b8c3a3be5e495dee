//! Writes an SPDX document as tag-value text, laid out as Syft lays it out: the document
//! header, the root package, the packages, other licenses, then relationships, each section
//! under a `#####` comment. Values spanning lines are wrapped in `<text>…</text>`.

use super::document::{Document, Package};

/// The tag-value text.
pub(crate) fn write(document: &Document) -> String {
    let mut out = Text(String::with_capacity(4096));
    out.tag("SPDXVersion", &document.spdx_version);
    out.tag("DataLicense", &document.data_license);
    out.tag("SPDXID", &document.spdx_id);
    out.tag("DocumentName", &document.name);
    out.tag("DocumentNamespace", &document.document_namespace);
    let creation = &document.creation_info;
    out.optional("LicenseListVersion", &creation.license_list_version);
    for creator in &creation.creators {
        out.tag("Creator", creator);
    }
    out.tag("Created", &creation.created);
    out.0.push('\n');

    // Syft's tag-value writer orders packages by element ID, which puts the document root
    // (`SPDXRef-DocumentRoot-…`, last in JSON) first.
    let mut packages: Vec<&Package> = document.packages.iter().collect();
    packages.sort_by(|a, b| a.spdx_id.cmp(&b.spdx_id));
    for package in packages {
        write_package(&mut out, package);
    }

    if !document.extracted_licenses.is_empty() {
        out.0.push_str("##### Other Licenses\n\n");
        for license in &document.extracted_licenses {
            out.tag("LicenseID", &license.license_id);
            out.tag("ExtractedText", &license.extracted_text);
            out.0.push('\n');
        }
    }

    if !document.relationships.is_empty() {
        out.0.push_str("##### Relationships\n\n");
        for relationship in &document.relationships {
            out.tag(
                "Relationship",
                &format!(
                    "{} {} {}",
                    relationship.spdx_element_id,
                    relationship.relationship_type,
                    relationship.related_spdx_element
                ),
            );
            out.optional("RelationshipComment", &relationship.comment);
        }
        out.0.push('\n');
    }
    out.0
}

fn write_package(out: &mut Text, package: &Package) {
    out.0.push_str(&format!(
        "##### Package: {}\n\n",
        single_line(&package.name)
    ));
    out.tag("PackageName", &package.name);
    out.tag("SPDXID", &package.spdx_id);
    out.optional("PackageVersion", &package.version_info);
    out.optional("PackageSupplier", &package.supplier);
    out.optional("PackageOriginator", &package.originator);
    out.tag("PackageDownloadLocation", &package.download_location);
    out.optional("PrimaryPackagePurpose", &package.primary_package_purpose);
    out.tag(
        "FilesAnalyzed",
        if package.files_analyzed {
            "true"
        } else {
            "false"
        },
    );
    for checksum in &package.checksums {
        out.tag(
            "PackageChecksum",
            &format!("{}: {}", checksum.algorithm, checksum.checksum_value),
        );
    }
    out.optional("PackageHomePage", &package.homepage);
    out.optional("PackageSourceInfo", &package.source_info);
    out.optional("PackageLicenseConcluded", &package.license_concluded);
    out.optional("PackageLicenseDeclared", &package.license_declared);
    out.optional("PackageCopyrightText", &package.copyright_text);
    out.optional("PackageDescription", &package.description);
    for reference in &package.external_refs {
        out.tag(
            "ExternalRef",
            &format!(
                "{} {} {}",
                reference.reference_category, reference.reference_type, reference.reference_locator
            ),
        );
    }
    out.0.push('\n');
}

/// A comment line cannot hold a line break.
fn single_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

struct Text(String);

impl Text {
    fn tag(&mut self, tag: &str, value: &str) {
        self.0.push_str(tag);
        self.0.push_str(": ");
        if value.contains('\n') {
            self.0.push_str("<text>");
            self.0.push_str(value);
            self.0.push_str("</text>");
        } else {
            self.0.push_str(value);
        }
        self.0.push('\n');
    }

    fn optional(&mut self, tag: &str, value: &str) {
        if !value.is_empty() {
            self.tag(tag, value);
        }
    }
}
