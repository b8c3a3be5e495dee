//! `dependency-of` edges between OS packages, from what each package requires and what
//! each provides: dpkg `Depends`/`Pre-Depends` against names and `Provides`, rpm
//! `REQUIRENAME` against `PROVIDENAME`, apk `D:` against names and `p:`.

use std::collections::{BTreeSet, HashMap};

use plimsoll_model::{Package, PackageMetadata, PackageType};

/// What a package needs and what it offers, as bare capability names.
struct Capabilities {
    kind: PackageType,
    requires: Vec<String>,
    provides: Vec<String>,
}

/// Strips a dpkg relation to its package name: `libc6 (>= 2.34)` and `libc6:any` are `libc6`.
fn dpkg_name(relation: &str) -> String {
    let name = relation.trim().split(['(', ' ']).next().unwrap_or("");
    name.split(':').next().unwrap_or("").trim().to_string()
}

/// Strips an apk dependency or provide to its name: `so:libc.musl-x86_64.so.1=1` and
/// `musl>=1.2` become `so:libc.musl-x86_64.so.1` and `musl`.
fn apk_name(entry: &str) -> String {
    entry
        .split(['=', '<', '>', '~'])
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

fn capabilities(package: &Package) -> Option<Capabilities> {
    let (requires, mut provides) = match &package.metadata {
        PackageMetadata::Dpkg(entry) => {
            let requires = entry
                .depends
                .iter()
                .chain(&entry.pre_depends)
                .flat_map(|relation| relation.split('|').map(dpkg_name).collect::<Vec<_>>())
                .collect();
            (
                requires,
                entry
                    .provides
                    .iter()
                    .map(|p| dpkg_name(p))
                    .collect::<Vec<_>>(),
            )
        }
        PackageMetadata::Rpm(entry) => (entry.requires.clone(), entry.provides.clone()),
        PackageMetadata::Apk(entry) => {
            let requires = entry
                .pull_dependencies
                .iter()
                .filter(|d| !d.starts_with('!'))
                .map(|d| apk_name(d))
                .collect();
            (
                requires,
                entry
                    .provides
                    .iter()
                    .map(|p| apk_name(p))
                    .collect::<Vec<_>>(),
            )
        }
        _ => return None,
    };
    provides.push(package.name.clone());
    Some(Capabilities {
        kind: package.package_type,
        requires,
        provides,
    })
}

/// Pairs `(dependency, dependent)` of package indices: the first provides something the
/// second requires. Packages only depend on packages of their own type; a package never
/// depends on itself.
pub fn dependency_pairs(packages: &[Package]) -> Vec<(usize, usize)> {
    let capabilities: Vec<Option<Capabilities>> = packages.iter().map(capabilities).collect();
    let mut providers: HashMap<(PackageType, &str), Vec<usize>> = HashMap::new();
    for (index, capability) in capabilities.iter().enumerate() {
        let Some(capability) = capability else {
            continue;
        };
        let unique: BTreeSet<&str> = capability
            .provides
            .iter()
            .map(String::as_str)
            .filter(|p| !p.is_empty())
            .collect();
        for provided in unique {
            providers
                .entry((capability.kind, provided))
                .or_default()
                .push(index);
        }
    }

    let mut pairs = BTreeSet::new();
    for (dependent, capability) in capabilities.iter().enumerate() {
        let Some(capability) = capability else {
            continue;
        };
        for required in &capability.requires {
            for &dependency in providers
                .get(&(capability.kind, required.as_str()))
                .into_iter()
                .flatten()
            {
                if dependency != dependent {
                    pairs.insert((dependency, dependent));
                }
            }
        }
    }
    pairs.extend(crate::java::dependency_pairs(packages));
    pairs.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relation_names() {
        assert_eq!(dpkg_name("libc6 (>= 2.34)"), "libc6");
        assert_eq!(dpkg_name("python3:any"), "python3");
        assert_eq!(dpkg_name(" debconf-2.0"), "debconf-2.0");
        assert_eq!(
            apk_name("so:libc.musl-x86_64.so.1"),
            "so:libc.musl-x86_64.so.1"
        );
        assert_eq!(
            apk_name("alpine-baselayout-data=3.2.0-r22"),
            "alpine-baselayout-data"
        );
        assert_eq!(apk_name("cmd:mkmntdirs=3.2.0-r22"), "cmd:mkmntdirs");
    }
}
