//! Image sources and the file index. A source (an archive, an OCI layout, a registry, a
//! directory) is opened, its manifest and config are read into [`ImageMetadata`], and its
//! layers are streamed once each into a [`FileIndex`]: the metadata of every entry plus the
//! contents of the files that catalogers asked for. Views over the index give the squashed image or
//! each layer's own files, with symbolic links resolved inside the root.
//!
//! [`ImageMetadata`]: plimsoll_model::ImageMetadata

mod archive;
mod blobs;
mod cache;
mod capture;
mod directory;
mod docker;
mod error;
mod index;
mod layer;
mod limits;
mod oci;
mod path;
mod registry;
mod source;
mod view;

pub use cache::{LayerCache, DEFAULT_MAX_BYTES as DEFAULT_LAYER_CACHE_BYTES};
pub use capture::{Capture, SNIFF_LENGTH};
pub use directory::read_directory;
pub use error::ImageError;
pub use index::{Entry, EntryKind, FileIndex, Inspected, Layer, SearchHit};
pub use layer::Progress;
pub use limits::Limits;
pub use plimsoll_registry::{ClientOptions as RegistryOptions, Credentials};
pub use source::{open, open_with, Image, Opened, SourceKind, SourceSpec};
pub use view::{FileView, Scope};
