//! Reads SPDX tag-value text into the shared document model. Tags apply to the element
//! opened last (`PackageName` opens a package, `FileName` a file, `LicenseID` an extracted
//! license); file and snippet details are skipped, as the model has no files.

use super::document::{Checksum, Document, ExternalRef, ExtractedLicense, Package, Relationship};
use crate::error::DecodeError;

/// What the tags being read belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Document,
    Package,
    Other,
    License,
}

/// Parses tag-value text.
pub(crate) fn read(text: &str) -> Result<Document, DecodeError> {
    let mut document = Document::default();
    let mut section = Section::Document;
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let number = index + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = trimmed.split_once(':') else {
            return Err(error(
                number,
                format!("expected `Tag: value`, found `{trimmed}`"),
            ));
        };
        let tag = tag.trim();
        let mut value = value.trim().to_string();
        if let Some(first) = value.strip_prefix("<text>") {
            value = multi_line(first, &mut lines, number)?;
        }

        match tag {
            "PackageName" => {
                section = Section::Package;
                document.packages.push(Package {
                    name: value,
                    ..Default::default()
                });
                continue;
            }
            "FileName" | "SnippetSPDXID" => {
                section = Section::Other;
                continue;
            }
            "LicenseID" => {
                section = Section::License;
                document.extracted_licenses.push(ExtractedLicense {
                    license_id: value,
                    extracted_text: String::new(),
                });
                continue;
            }
            "Relationship" => {
                document.relationships.push(relationship(&value, number)?);
                continue;
            }
            "RelationshipComment" => {
                if let Some(last) = document.relationships.last_mut() {
                    last.comment = value;
                }
                continue;
            }
            _ => {}
        }

        match section {
            Section::Document => document_tag(&mut document, tag, value),
            Section::Package => {
                if let Some(package) = document.packages.last_mut() {
                    package_tag(package, tag, value, number)?;
                }
            }
            Section::License => {
                if let (Some(license), "ExtractedText") =
                    (document.extracted_licenses.last_mut(), tag)
                {
                    license.extracted_text = value;
                }
            }
            Section::Other => {}
        }
    }
    if document.spdx_version.is_empty() {
        return Err(error(1, "no `SPDXVersion` tag".to_string()));
    }
    Ok(document)
}

fn document_tag(document: &mut Document, tag: &str, value: String) {
    match tag {
        "SPDXVersion" => document.spdx_version = value,
        "DataLicense" => document.data_license = value,
        "SPDXID" => document.spdx_id = value,
        "DocumentName" => document.name = value,
        "DocumentNamespace" => document.document_namespace = value,
        "LicenseListVersion" => document.creation_info.license_list_version = value,
        "Creator" => document.creation_info.creators.push(value),
        "Created" => document.creation_info.created = value,
        _ => {}
    }
}

fn package_tag(
    package: &mut Package,
    tag: &str,
    value: String,
    number: usize,
) -> Result<(), DecodeError> {
    match tag {
        "SPDXID" => package.spdx_id = value,
        "PackageVersion" => package.version_info = value,
        "PackageSupplier" => package.supplier = value,
        "PackageOriginator" => package.originator = value,
        "PackageDownloadLocation" => package.download_location = value,
        "FilesAnalyzed" => package.files_analyzed = value.eq_ignore_ascii_case("true"),
        "PackageChecksum" => {
            let Some((algorithm, checksum)) = value.split_once(':') else {
                return Err(error(
                    number,
                    format!("checksum `{value}` is not `ALGORITHM: value`"),
                ));
            };
            package.checksums.push(Checksum {
                algorithm: algorithm.trim().to_string(),
                checksum_value: checksum.trim().to_string(),
            });
        }
        "PackageHomePage" => package.homepage = value,
        "PackageSourceInfo" => package.source_info = value,
        "PackageLicenseConcluded" => package.license_concluded = value,
        "PackageLicenseDeclared" => package.license_declared = value,
        "PackageCopyrightText" => package.copyright_text = value,
        "PackageDescription" => package.description = value,
        "PrimaryPackagePurpose" => package.primary_package_purpose = value,
        "ExternalRef" => {
            let parts: Vec<&str> = value.split_whitespace().collect();
            let [category, reference_type, locator] = parts[..] else {
                return Err(error(
                    number,
                    format!("external reference `{value}` is not `CATEGORY TYPE LOCATOR`"),
                ));
            };
            package.external_refs.push(ExternalRef {
                reference_category: category.to_string(),
                reference_type: reference_type.to_string(),
                reference_locator: locator.to_string(),
            });
        }
        _ => {}
    }
    Ok(())
}

fn relationship(value: &str, number: usize) -> Result<Relationship, DecodeError> {
    let parts: Vec<&str> = value.split_whitespace().collect();
    let [element, relationship_type, related] = parts[..] else {
        return Err(error(
            number,
            format!("relationship `{value}` is not `ELEMENT TYPE ELEMENT`"),
        ));
    };
    Ok(Relationship {
        spdx_element_id: element.to_string(),
        related_spdx_element: related.to_string(),
        relationship_type: relationship_type.to_string(),
        comment: String::new(),
    })
}

/// The rest of a `<text>` value that began on line `number`, up to `</text>`.
fn multi_line<'a>(
    first: &str,
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
    number: usize,
) -> Result<String, DecodeError> {
    if let Some(end) = first.find("</text>") {
        return Ok(first[..end].to_string());
    }
    let mut value = first.to_string();
    for (_, line) in lines {
        value.push('\n');
        if let Some(end) = line.find("</text>") {
            value.push_str(&line[..end]);
            return Ok(value);
        }
        value.push_str(line);
    }
    Err(error(
        number,
        "`<text>` is never closed by `</text>`".to_string(),
    ))
}

fn error(line: usize, message: String) -> DecodeError {
    DecodeError::TagValue { line, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_packages_files_and_multi_line_text() {
        let document = read(
            "SPDXVersion: SPDX-2.3\nDocumentName: d\n\n##### Unpackaged files\n\nFileName: a\nSPDXID: SPDXRef-File-a\n\n\
             ##### Package: p\n\nPackageName: p\nSPDXID: SPDXRef-Package-deb-p-1\nPackageDescription: <text>one\ntwo</text>\n\
             ExternalRef: PACKAGE-MANAGER purl pkg:deb/debian/p@1\nLicenseID: LicenseRef-x\nExtractedText: <text>x</text>\n\
             Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-Package-deb-p-1\nRelationshipComment: c\n",
        )
        .unwrap();
        assert_eq!(document.name, "d");
        assert_eq!(document.packages.len(), 1);
        let package = &document.packages[0];
        assert_eq!(package.spdx_id, "SPDXRef-Package-deb-p-1");
        assert_eq!(package.description, "one\ntwo");
        assert_eq!(
            package.external_refs[0].reference_locator,
            "pkg:deb/debian/p@1"
        );
        assert_eq!(document.extracted_licenses[0].extracted_text, "x");
        assert_eq!(document.relationships[0].comment, "c");
    }

    #[test]
    fn malformed_lines_are_errors() {
        let cases = [
            (
                "SPDXVersion: SPDX-2.3\nnot a tag\n",
                2,
                "expected `Tag: value`",
            ),
            (
                "SPDXVersion: SPDX-2.3\nRelationship: a b\n",
                2,
                "is not `ELEMENT TYPE ELEMENT`",
            ),
            (
                "SPDXVersion: SPDX-2.3\nPackageName: p\nExternalRef: purl x\n",
                3,
                "CATEGORY TYPE LOCATOR",
            ),
            (
                "SPDXVersion: SPDX-2.3\nPackageName: p\nPackageDescription: <text>open\n",
                3,
                "never closed",
            ),
            ("DocumentName: d\n", 1, "no `SPDXVersion`"),
        ];
        for (text, line, expected) in cases {
            match read(text) {
                Err(DecodeError::TagValue { line: at, message }) => {
                    assert_eq!(at, line, "{text}");
                    assert!(message.contains(expected), "{message}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }
}
