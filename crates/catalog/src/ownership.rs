//! File ownership between packages, as Syft defines it: a package whose metadata lists the
//! files it installed (dpkg, rpm, apk, Python `RECORD`, a JVM's files) owns every other
//! package whose evidence is one of those files (`ownership-by-file-overlap`). A binary
//! recognised by its content (a classifier match, a JVM) inside a file an OS package
//! installed is that OS package's, not a package of its own, and is removed; so is a binary
//! classifier match inside a JVM installation, which the JVM's release file describes better.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use plimsoll_model::{Package, PackageMetadata, PackageType};

/// One `ownership-by-file-overlap` edge: the owner, the owned, and the files they share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ownership {
    pub owner: usize,
    pub owned: usize,
    /// The shared paths, sorted.
    pub files: Vec<String>,
}

/// The package types Syft counts as OS packages for the binary exclusion.
fn is_os_package(package: &Package) -> bool {
    matches!(
        package.package_type,
        PackageType::Alpm
            | PackageType::Apk
            | PackageType::Deb
            | PackageType::Nix
            | PackageType::Portage
            | PackageType::Rpm
    )
}

fn is_binary(package: &Package) -> bool {
    package.package_type == PackageType::Binary
        || matches!(
            package.metadata,
            PackageMetadata::BinarySignature(_) | PackageMetadata::JavaJvmInstallation(_)
        )
}

fn is_jvm(package: &Package) -> bool {
    matches!(package.metadata, PackageMetadata::JavaJvmInstallation(_))
}

/// The files a package's metadata says it installed, as the metadata writes them.
fn owned_files(package: &Package) -> Vec<&str> {
    let mut files: Vec<&str> = match &package.metadata {
        PackageMetadata::Dpkg(entry) => entry.files.iter().map(|f| f.path.as_str()).collect(),
        PackageMetadata::Rpm(entry) => entry.files.iter().map(|f| f.path.as_str()).collect(),
        PackageMetadata::Apk(entry) => entry.files.iter().map(|f| f.path.as_str()).collect(),
        PackageMetadata::Python(entry) => entry.files.iter().map(|f| f.path.as_str()).collect(),
        PackageMetadata::JavaJvmInstallation(entry) => {
            entry.files.iter().map(String::as_str).collect()
        }
        _ => Vec::new(),
    };
    files.retain(|f| !f.is_empty());
    files.sort_unstable();
    files.dedup();
    files
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Package databases and copyright files, which several packages list or which are
/// evidence for many packages, are never owned (Syft's `globsForbiddenFromBeingOwned`).
fn may_be_owned(path: &str) -> bool {
    let database = path.ends_with("/lib/apk/db/installed")
        || path.ends_with("/var/lib/dpkg/status")
        || path.contains("/var/lib/dpkg/status.d/")
        || ["/rpm/Packages", "/rpm/Packages.db", "/rpm/rpmdb.sqlite"]
            .iter()
            .any(|end| path.ends_with(end));
    let copyright = path.starts_with("/usr/share/doc/") && path.ends_with("/copyright");
    !(database || copyright)
}

/// Every ownership edge among `packages`, sorted by owner then owned. `resolve` gives the
/// real path of a path in the scanned file system: a package database may list a file by a
/// path through a link (dpkg lists `/bin/bash` where `/bin` links to `/usr/bin`), which
/// Syft matches through the path the file was found by.
pub(crate) fn ownerships(
    packages: &[Package],
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Vec<Ownership> {
    // A package is found at the real and the access path of each of its locations.
    let mut by_path: HashMap<&str, BTreeSet<usize>> = HashMap::new();
    for (index, package) in packages.iter().enumerate() {
        for location in &package.locations {
            by_path.entry(&location.path).or_default().insert(index);
            by_path
                .entry(&location.access_path)
                .or_default()
                .insert(index);
        }
    }

    // Resolving is only worth it for a file named as some package's evidence is.
    let file_names: HashSet<&str> = by_path.keys().map(|path| file_name(path)).collect();

    let mut edges: BTreeMap<(usize, usize), BTreeSet<String>> = BTreeMap::new();
    for (owner, package) in packages.iter().enumerate() {
        for file in owned_files(package) {
            if !may_be_owned(file) || !file_names.contains(file_name(file)) {
                continue;
            }
            let mut found: BTreeSet<usize> = by_path.get(file).cloned().unwrap_or_default();
            if let Some(real) = resolve(file).filter(|real| real != file) {
                found.extend(by_path.get(real.as_str()).into_iter().flatten());
            }
            for owned in found {
                if owned != owner {
                    edges
                        .entry((owner, owned))
                        .or_default()
                        .insert(file.to_string());
                }
            }
        }
    }
    edges
        .into_iter()
        .map(|((owner, owned), files)| Ownership {
            owner,
            owned,
            files: files.into_iter().collect(),
        })
        .collect()
}

/// The packages Syft removes given the ownership edges: a binary owned by an OS package,
/// and the non-JVM side of an ownership between a JVM and another binary.
pub(crate) fn excluded(packages: &[Package], edges: &[Ownership]) -> BTreeSet<usize> {
    let mut removed = BTreeSet::new();
    for edge in edges {
        if removed.contains(&edge.owner) || removed.contains(&edge.owned) {
            continue;
        }
        let (owner, owned) = (&packages[edge.owner], &packages[edge.owned]);
        if is_os_package(owner) && is_binary(owned) {
            removed.insert(edge.owned);
        } else if owner.package_type == PackageType::Binary
            && owned.package_type == PackageType::Binary
            && is_jvm(owner) != is_jvm(owned)
        {
            removed.insert(if is_jvm(owner) {
                edge.owned
            } else {
                edge.owner
            });
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_model::metadata::{BinarySignature, DpkgDbEntry, DpkgFileRecord};
    use plimsoll_model::Location;

    fn package(name: &str, kind: PackageType, path: &str, metadata: PackageMetadata) -> Package {
        Package {
            name: name.into(),
            version: "1".into(),
            package_type: kind,
            found_by: String::new(),
            locations: vec![Location::new(path, None)],
            licenses: Vec::new(),
            language: String::new(),
            cpes: Vec::new(),
            purl: String::new(),
            metadata,
        }
    }

    fn dpkg(files: &[&str]) -> PackageMetadata {
        PackageMetadata::Dpkg(DpkgDbEntry {
            files: files
                .iter()
                .map(|f| DpkgFileRecord {
                    path: f.to_string(),
                    digest: None,
                    is_config_file: false,
                })
                .collect(),
            ..Default::default()
        })
    }

    #[test]
    fn os_packages_own_binaries_in_their_files() {
        let status = "/var/lib/dpkg/status";
        let packages = vec![
            package(
                "python3.11",
                PackageType::Deb,
                status,
                dpkg(&["/usr/bin/python3.11", status]),
            ),
            package(
                "python",
                PackageType::Binary,
                "/usr/bin/python3.11",
                PackageMetadata::BinarySignature(BinarySignature::default()),
            ),
            package("other", PackageType::Deb, status, dpkg(&[])),
        ];
        let edges = ownerships(&packages, &|_| None);
        assert_eq!(
            edges,
            vec![Ownership {
                owner: 0,
                owned: 1,
                files: vec!["/usr/bin/python3.11".into()],
            }],
            "the status file is never owned"
        );
        assert_eq!(excluded(&packages, &edges), BTreeSet::from([1]));
    }

    #[test]
    fn language_packages_are_owned_but_kept() {
        let record = "/usr/lib/python3/dist-packages/x.dist-info/METADATA";
        let packages = vec![
            package(
                "python3-x",
                PackageType::Deb,
                "/var/lib/dpkg/status",
                dpkg(&[record]),
            ),
            package("x", PackageType::Python, record, PackageMetadata::None),
        ];
        let edges = ownerships(&packages, &|_| None);
        assert_eq!(edges.len(), 1);
        assert!(excluded(&packages, &edges).is_empty());
    }

    #[test]
    fn files_listed_through_a_link_are_owned() {
        let packages = vec![
            package(
                "bash",
                PackageType::Deb,
                "/var/lib/dpkg/status",
                dpkg(&["/bin/bash"]),
            ),
            package(
                "bash",
                PackageType::Binary,
                "/usr/bin/bash",
                PackageMetadata::BinarySignature(BinarySignature::default()),
            ),
        ];
        let usr_merge = |path: &str| {
            path.strip_prefix("/bin/")
                .map(|rest| format!("/usr/bin/{rest}"))
        };
        let edges = ownerships(&packages, &usr_merge);
        assert_eq!(edges.len(), 1);
        assert_eq!(edges[0].files, vec!["/bin/bash".to_string()]);
        assert_eq!(excluded(&packages, &edges), BTreeSet::from([1]));
        assert!(ownerships(&packages, &|_| None).is_empty());
    }

    #[test]
    fn forbidden_paths() {
        assert!(!may_be_owned("/var/lib/dpkg/status"));
        assert!(!may_be_owned("/var/lib/dpkg/status.d/base"));
        assert!(!may_be_owned("/usr/lib/sysimage/rpm/rpmdb.sqlite"));
        assert!(!may_be_owned("/usr/share/doc/bash/copyright"));
        assert!(may_be_owned("/usr/bin/bash"));
    }
}
