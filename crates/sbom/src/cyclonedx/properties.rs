//! A package's Syft facts that CycloneDX has no field for, as Syft writes them: `syft:package:*`
//! (cataloger, language, type, metadata type), `syft:cpe23` for every CPE after the first, and
//! `syft:location:<index>:path` / `:layerID` for the evidence locations.

use std::collections::BTreeMap;

use plimsoll_model::{Cpe, Location, Package};

use super::document::{Component, Property};

pub(crate) const FOUND_BY: &str = "syft:package:foundBy";
pub(crate) const LANGUAGE: &str = "syft:package:language";
pub(crate) const PACKAGE_TYPE: &str = "syft:package:type";
pub(crate) const METADATA_TYPE: &str = "syft:package:metadataType";
const CPE: &str = "syft:cpe23";
const LOCATION: &str = "syft:location:";

/// A package component's properties in Syft's order: package facts, extra CPEs, locations
/// (sorted by name), then the metadata properties given.
pub(crate) fn encode(package: &Package, metadata: Vec<Property>) -> Vec<Property> {
    let mut properties = Vec::new();
    if !package.found_by.is_empty() {
        properties.push(Property::new(FOUND_BY, &package.found_by));
    }
    if !package.language.is_empty() {
        properties.push(Property::new(LANGUAGE, &package.language));
    }
    properties.push(Property::new(PACKAGE_TYPE, package.package_type.as_str()));
    if let Some(metadata_type) = package.metadata.metadata_type() {
        properties.push(Property::new(METADATA_TYPE, metadata_type));
    }

    for cpe in package.cpes.iter().skip(1) {
        properties.push(Property::new(CPE, &cpe.cpe));
    }

    let mut locations = Vec::new();
    for (index, location) in package.locations.iter().enumerate() {
        if let Some(layer) = &location.layer_id {
            locations.push(Property::new(format!("{LOCATION}{index}:layerID"), layer));
        }
        locations.push(Property::new(
            format!("{LOCATION}{index}:path"),
            &location.path,
        ));
    }
    // Syft sorts these by name as text, so `10:path` precedes `2:path`.
    locations.sort_by(|a, b| a.name.cmp(&b.name));
    properties.extend(locations);

    properties.extend(metadata);
    properties
}

/// The component's CPEs: `cpe` first, then each `syft:cpe23` property. Their sources are not
/// written, so they come back empty.
pub(crate) fn cpes(component: &Component) -> Vec<Cpe> {
    let first = Some(component.cpe.as_str()).filter(|cpe| !cpe.is_empty());
    let rest = component
        .properties
        .iter()
        .filter(|property| property.name == CPE)
        .map(|property| property.value.as_str());
    first
        .into_iter()
        .chain(rest)
        .map(|cpe| Cpe {
            cpe: cpe.to_string(),
            source: String::new(),
        })
        .collect()
}

/// The component's locations, in index order. Access paths are not written, so each comes
/// back equal to the real path.
pub(crate) fn locations(component: &Component) -> Vec<Location> {
    let mut by_index: BTreeMap<usize, (String, Option<String>)> = BTreeMap::new();
    for property in &component.properties {
        let Some(rest) = property.name.strip_prefix(LOCATION) else {
            continue;
        };
        let Some((index, field)) = rest.split_once(':') else {
            continue;
        };
        let Ok(index) = index.parse::<usize>() else {
            continue;
        };
        let entry = by_index.entry(index).or_default();
        match field {
            "path" => entry.0 = property.value.clone(),
            "layerID" => entry.1 = Some(property.value.clone()),
            _ => {}
        }
    }
    by_index
        .into_values()
        .filter(|(path, _)| !path.is_empty())
        .map(|(path, layer)| Location::new(path, layer))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_model::{PackageMetadata, PackageType};

    #[test]
    fn locations_sort_as_text_and_read_back_in_order() {
        let package = Package {
            name: "many".into(),
            version: "1".into(),
            package_type: PackageType::Deb,
            found_by: "dpkg-db-cataloger".into(),
            locations: (0..12)
                .map(|i| Location::new(format!("/p/{i:02}"), Some("sha256:l".into())))
                .collect(),
            licenses: vec![],
            language: String::new(),
            cpes: vec![],
            purl: String::new(),
            metadata: PackageMetadata::None,
        };
        let properties = encode(&package, vec![]);
        let names: Vec<&str> = properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(&names[..2], [FOUND_BY, PACKAGE_TYPE]);
        assert_eq!(names[2], "syft:location:0:layerID");
        assert_eq!(names[4], "syft:location:10:layerID");

        let component = Component {
            properties,
            ..Default::default()
        };
        assert_eq!(locations(&component), package.locations);
    }
}
