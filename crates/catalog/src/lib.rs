//! Catalogers: each finds one ecosystem's packages in a file index. Distro detection lives
//! here too, since package URLs depend on it.

pub mod distro;
pub mod rpmdb;
