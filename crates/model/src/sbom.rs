//! The SBOM: what was scanned, the distro, the packages and the edges between them.

use serde::{Deserialize, Serialize};

use crate::{Distro, ImageMetadata, Package, Relationship};

/// The kind of thing that was scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceKind {
    /// A container image.
    Image(Box<ImageMetadata>),
    /// A directory tree, by the path the user gave.
    Directory { path: String },
    /// A single file.
    File { path: String },
}

/// The scanned source: its identity and description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// A stable identifier: the manifest digest's hex for images, a digest of the input
    /// path for directories and files.
    pub id: String,
    /// The name shown to users (the path or image reference given).
    pub name: String,
    /// The version shown to users (the manifest digest for images).
    pub version: String,
    pub kind: SourceKind,
}

/// A software bill of materials for one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sbom {
    pub source: Source,
    pub distro: Option<crate::Distro>,
    /// Packages in Syft's order: name, version, type, location paths.
    pub packages: Vec<Package>,
    pub relationships: Vec<Relationship>,
}

impl Sbom {
    /// The distro, or an empty one.
    pub fn distro_or_default(&self) -> Distro {
        self.distro.clone().unwrap_or_default()
    }
}
