//! The shape every cataloger has: the paths it wants, and how it turns a view into packages.

use plimsoll_image::FileView;
use plimsoll_model::{Distro, Package};

use crate::CatalogError;

/// What a cataloger knows besides the files: the distro detected for the whole source.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub distro: Option<Distro>,
}

/// One ecosystem's package finder.
pub trait Cataloger: Send + Sync {
    /// The name reported in `foundBy` (for example `dpkg-db-cataloger`).
    fn name(&self) -> &'static str;

    /// Whether the content of the file at `path` (absolute, as stored) is needed. Called for
    /// every entry of every layer, so it must be cheap.
    fn wants(&self, path: &str) -> bool;

    /// Whether the cataloger reads executables, which are recognised by their content
    /// rather than their path (see `Wanted`).
    fn reads_executables(&self) -> bool {
        false
    }

    /// Finds packages in a view of the source.
    fn catalog(
        &self,
        view: &FileView<'_>,
        environment: &Environment,
    ) -> Result<Vec<Package>, CatalogError>;

    /// Finds packages and the dependency edges its files state among them. Catalogers whose
    /// files give no edges keep this default.
    fn catalog_with_dependencies(
        &self,
        view: &FileView<'_>,
        environment: &Environment,
    ) -> Result<Cataloged, CatalogError> {
        Ok(Cataloged {
            packages: self.catalog(view, environment)?,
            dependencies: Vec::new(),
        })
    }
}

/// Packages found in one view, with the edges between them.
#[derive(Debug, Clone, Default)]
pub struct Cataloged {
    pub packages: Vec<Package>,
    /// `(dependency, dependent)` pairs of indices into `packages`.
    pub dependencies: Vec<(usize, usize)>,
}
