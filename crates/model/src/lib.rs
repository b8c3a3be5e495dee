//! The shared vocabulary of Plimsoll: packages and where they were found, the distro, the
//! image they came from and the SBOM that holds them. No I/O lives here.

mod content;
mod distro;
mod image;
mod license;
mod location;
pub mod metadata;
mod package;
mod relationship;
mod sbom;

pub use content::{ContentMatch, FileKind, FileRecord, ImageContent};
pub use distro::Distro;
pub use image::{HistoryEntry, ImageMetadata, LayerMetadata};
pub use license::License;
pub use location::{Evidence, Location};
pub use metadata::PackageMetadata;
pub use package::{Cpe, Package, PackageType};
pub use relationship::{Relationship, RelationshipType};
pub use sbom::{Sbom, Source, SourceKind};
