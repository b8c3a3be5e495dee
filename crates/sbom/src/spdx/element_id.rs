//! SPDX element identifiers as Syft forms them: `SPDXRef-Package-<type>-<name>-<id>` for
//! packages and `SPDXRef-DocumentRoot-<Image|Directory|File>-<name>` for the scanned source,
//! with every character SPDX does not allow in an ID replaced by `-`.

use plimsoll_model::{Package, PackageType, SourceKind};

/// The document's own ID.
pub(crate) const DOCUMENT: &str = "SPDXRef-DOCUMENT";

const PACKAGE_PREFIX: &str = "SPDXRef-Package-";
const ROOT_PREFIX: &str = "SPDXRef-DocumentRoot-";

/// The kind of source a document root stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RootKind {
    Image,
    Directory,
    File,
}

impl RootKind {
    pub fn of(kind: &SourceKind) -> RootKind {
        match kind {
            SourceKind::Image(_) => RootKind::Image,
            SourceKind::Directory { .. } => RootKind::Directory,
            SourceKind::File { .. } => RootKind::File,
        }
    }

    fn word(self) -> &'static str {
        match self {
            RootKind::Image => "Image",
            RootKind::Directory => "Directory",
            RootKind::File => "File",
        }
    }
}

/// A package's element ID.
pub(crate) fn package(package: &Package, id: &str) -> String {
    sanitise(&format!(
        "{PACKAGE_PREFIX}{}-{}-{id}",
        package.package_type, package.name
    ))
}

/// The document root's element ID.
pub(crate) fn root(kind: RootKind, name: &str) -> String {
    sanitise(&format!("{ROOT_PREFIX}{}-{name}", kind.word()))
}

/// The kind of a document-root element ID; `None` for any other ID.
pub(crate) fn root_kind(element_id: &str) -> Option<RootKind> {
    let rest = element_id.strip_prefix(ROOT_PREFIX)?;
    [RootKind::Image, RootKind::Directory, RootKind::File]
        .into_iter()
        .find(|kind| rest.starts_with(&format!("{}-", kind.word())))
}

/// The package type named in a Syft package element ID, trying the longest type names first
/// (`linux-kernel-module` before `linux-kernel`).
pub(crate) fn package_type(element_id: &str) -> Option<PackageType> {
    let rest = element_id.strip_prefix(PACKAGE_PREFIX)?;
    let prefixes: Vec<&str> = rest.match_indices('-').map(|(at, _)| &rest[..at]).collect();
    prefixes.into_iter().rev().find_map(PackageType::from_name)
}

/// Replaces characters other than letters, digits, `.` and `-` with `-` (SPDX 2.3 section
/// 3.2: `SPDXRef-` followed by `[a-zA-Z0-9.-]+`).
fn sanitise(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots() {
        assert_eq!(
            root(RootKind::Directory, "weird name/with:stuff"),
            "SPDXRef-DocumentRoot-Directory-weird-name-with-stuff"
        );
        assert_eq!(
            root(RootKind::Image, "wh-img.tar"),
            "SPDXRef-DocumentRoot-Image-wh-img.tar"
        );
        assert_eq!(
            root_kind("SPDXRef-DocumentRoot-File-x"),
            Some(RootKind::File)
        );
        assert_eq!(root_kind("SPDXRef-Package-deb-x-1"), None);
    }

    #[test]
    fn package_types_from_ids() {
        let cases = [
            (
                "SPDXRef-Package-deb--scope-we-ird-name-x-0000000000abc001",
                Some(PackageType::Deb),
            ),
            (
                "SPDXRef-Package-linux-kernel-module-kmod-0000000000abc006",
                Some(PackageType::LinuxKernelModule),
            ),
            (
                "SPDXRef-Package-linux-kernel-kern-0000000000abc005",
                Some(PackageType::LinuxKernel),
            ),
            (
                "SPDXRef-Package-R-package-base-1",
                Some(PackageType::RPackage),
            ),
            ("SPDXRef-Package-unknown-x-1", None),
            ("SPDXRef-DocumentRoot-Image-x", None),
        ];
        for (id, expected) in cases {
            assert_eq!(package_type(id), expected, "{id}");
        }
    }
}
