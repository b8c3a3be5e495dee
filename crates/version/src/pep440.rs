//! Python package versions and specifiers, as PEP 440 defines them and `packaging` applies
//! them.

mod parse;
mod specifier;
mod version;

pub use specifier::{Specifier, SpecifierOp, SpecifierSet};
pub use version::{Pep440Version, PreKind};
