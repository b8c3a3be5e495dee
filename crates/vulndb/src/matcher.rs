//! The matcher: packages and a store in, matches out. OS packages are looked up in their
//! distro's namespace, language packages in their ecosystem's (from the PURL); packages no
//! ecosystem data covers fall back to NVD by CPE. One vulnerability is reported once per
//! package however many advisories (aliases) describe it.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use plimsoll_model::{Distro, Package, PackageType};

use crate::namespace::{ecosystem_of_purl_type, lookup_name, os_namespace};
use crate::severity::severity_of;
use crate::{Advisory, Affected, Cvss, Event, ExploitInfo, FixState, Severity, StoreError};

/// Where advisories come from: the store, or anything else that can answer the same
/// questions (tests use an in-memory list).
pub trait AdvisorySource {
    /// Advisories naming `package` in `namespace`, with the matching affected entry.
    fn lookup(
        &self,
        namespace: &str,
        package: &str,
    ) -> Result<Vec<(Advisory, Affected)>, StoreError>;
    /// Whether any data exists for `namespace`.
    fn covers(&self, namespace: &str) -> Result<bool, StoreError>;
    /// KEV and EPSS facts for a CVE.
    fn exploit_info(&self, cve: &str) -> Result<ExploitInfo, StoreError>;
}

/// Version ordering per scheme, as the matcher needs it.
pub trait VersionOrder {
    /// Compares two versions of a scheme; an error for versions the scheme cannot parse.
    fn compare(&self, scheme: &str, a: &str, b: &str) -> Result<Ordering, String>;
    /// Whether `version` satisfies a native constraint string of the scheme.
    fn satisfies(&self, scheme: &str, version: &str, constraint: &str) -> Result<bool, String>;
}

/// How a match was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchType {
    /// The package's own name in its namespace.
    ExactDirect,
    /// The package's source (or origin) package in its namespace.
    ExactIndirect,
    /// One of the package's CPEs against NVD.
    Cpe,
}

impl MatchType {
    /// The name Grype uses in `matchDetails[].type`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchType::ExactDirect => "exact-direct-match",
            MatchType::ExactIndirect => "exact-indirect-match",
            MatchType::Cpe => "cpe-match",
        }
    }
}

/// One vulnerability found in one package.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Index of the package in the slice given to [`match_packages`].
    pub package: usize,
    /// The reported ID (a CVE for distro data, the advisory's own ID otherwise).
    pub id: String,
    /// Every other ID the same vulnerability goes by.
    pub related: Vec<String>,
    pub namespace: String,
    pub severity: Severity,
    pub cvss: Vec<Cvss>,
    pub fix: FixState,
    pub description: String,
    pub urls: Vec<String>,
    /// When the advisory was published, as its source writes it (a date or RFC 3339).
    pub published: Option<String>,
    pub exploit: ExploitInfo,
    pub match_type: MatchType,
    /// The name looked up and the version tested.
    pub searched_name: String,
    pub searched_version: String,
    /// The affected range that matched, in words (`< 2.31.0`, `introduced 0, fixed 1.2`).
    pub constraint: String,
}

impl Match {
    /// When the fix was announced, where an advisory of fix announcements dates it: a
    /// Debian DSA or DLA (or DTSA) publishes a release's fixed version on its date. Other
    /// sources date the vulnerability, not its fix.
    pub fn fix_announced(&self) -> Option<&str> {
        if !matches!(self.fix, FixState::Fixed(_)) {
            return None;
        }
        let announced = std::iter::once(&self.id)
            .chain(&self.related)
            .any(|id| ["DSA-", "DLA-", "DTSA-"].iter().any(|p| id.starts_with(p)));
        announced.then_some(self.published.as_deref()).flatten()
    }
}

/// Matches every package; results are sorted by package, then ID.
pub fn match_packages(
    packages: &[Package],
    distro: Option<&Distro>,
    source: &dyn AdvisorySource,
    versions: &dyn VersionOrder,
) -> Result<Vec<Match>, StoreError> {
    let os = distro.and_then(os_namespace);
    let mut matches = Vec::new();
    for (index, package) in packages.iter().enumerate() {
        let mut found = Vec::new();
        let mut covered = false;
        for (namespace, name, kind) in lookups(package, os.as_deref()) {
            covered |= source.covers(&namespace)?;
            for (advisory, affected) in source.lookup(&namespace, &name)? {
                if let Some(constraint) = affects(&affected, &package.version, versions) {
                    found.push(build(
                        index, package, &advisory, &affected, kind, &name, constraint,
                    ));
                }
            }
        }
        if !covered && !package.cpes.is_empty() {
            found.extend(cpe_matches(index, package, source, versions)?);
        }
        for mut merged in merge_aliases(found) {
            merged.exploit = exploit(source, &merged)?;
            matches.push(merged);
        }
    }
    matches.sort_by(|a, b| (a.package, &a.id).cmp(&(b.package, &b.id)));
    Ok(matches)
}

/// The (namespace, name, match type) pairs to look a package up under.
fn lookups(package: &Package, os: Option<&str>) -> Vec<(String, String, MatchType)> {
    match package.package_type {
        PackageType::Deb | PackageType::Rpm | PackageType::Apk => {
            let Some(os) = os else { return Vec::new() };
            let source = lookup_name(package);
            let mut out = vec![(os.to_string(), package.name.clone(), MatchType::ExactDirect)];
            if source != package.name {
                out.push((os.to_string(), source, MatchType::ExactIndirect));
            }
            out
        }
        _ => {
            let Some((purl_type, namespace, name)) = purl_parts(&package.purl) else {
                return Vec::new();
            };
            let Some(ecosystem) = ecosystem_of_purl_type(&purl_type) else {
                return Vec::new();
            };
            let name = match (ecosystem, namespace.is_empty()) {
                ("pypi", _) => crate::namespace::normalise_pypi_name(&name),
                ("maven", false) => format!("{namespace}:{name}"),
                ("npm", false) => format!("{namespace}/{name}"),
                ("go" | "packagist", false) => format!("{namespace}/{name}"),
                _ => name,
            };
            vec![(ecosystem.to_string(), name, MatchType::ExactDirect)]
        }
    }
}

/// The type, namespace and name of a PURL, percent-decoded.
fn purl_parts(purl: &str) -> Option<(String, String, String)> {
    let rest = purl.strip_prefix("pkg:")?;
    let rest = rest.split(['?', '#']).next()?;
    let rest = rest.rsplit_once('@').map_or(rest, |(path, _)| path);
    let (purl_type, path) = rest.split_once('/')?;
    let (namespace, name) = path.rsplit_once('/').unwrap_or(("", path));
    Some((purl_type.to_lowercase(), decode(namespace), decode(name)))
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 3 <= bytes.len() {
            if let Ok(byte) = u8::from_str_radix(text.get(i + 1..i + 3).unwrap_or(""), 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether `version` is affected by `affected`; returns the matching range in words.
pub(crate) fn affects(
    affected: &Affected,
    version: &str,
    versions: &dyn VersionOrder,
) -> Option<String> {
    let scheme = affected.scheme.as_str();
    let equal = |other: &str| {
        other == version
            || versions
                .compare(scheme, version, other)
                .is_ok_and(|o| o == Ordering::Equal)
    };
    if affected.versions.iter().any(|v| equal(v)) {
        return Some(format!("= {version}"));
    }
    for range in &affected.ranges {
        if in_range(&range.events, version, scheme, versions) {
            return Some(describe(&range.events));
        }
    }
    constraints_affect(&affected.constraints, version, scheme, versions)
}

/// Native constraints (see [`Affected::constraints`]): `!`-prefixed entries exclude the
/// versions they match, `*` matches every version. A version is affected when no exclusion
/// matches it and a plain entry does, or when there are only exclusions.
fn constraints_affect(
    constraints: &[String],
    version: &str,
    scheme: &str,
    versions: &dyn VersionOrder,
) -> Option<String> {
    if constraints.is_empty() {
        return None;
    }
    let fits = |constraint: &str| {
        constraint.trim() == "*"
            || versions
                .satisfies(scheme, version, constraint)
                .unwrap_or(false)
    };
    let (exclusions, inclusions): (Vec<&String>, Vec<&String>) =
        constraints.iter().partition(|c| c.starts_with('!'));
    if exclusions.iter().any(|c| fits(&c[1..])) {
        return None;
    }
    if inclusions.is_empty() {
        let described: Vec<String> = exclusions
            .iter()
            .map(|c| format!("not {}", &c[1..]))
            .collect();
        return Some(described.join(", "));
    }
    inclusions.iter().find(|c| fits(c)).map(|c| c.to_string())
}

/// OSV range evaluation: the events, sorted by version, switch the state on (introduced)
/// and off (fixed, after last_affected); versions at or past a limit are never affected.
fn in_range(events: &[Event], version: &str, scheme: &str, versions: &dyn VersionOrder) -> bool {
    let cmp = |other: &str| -> Option<Ordering> {
        if other == "0" {
            return Some(Ordering::Greater);
        }
        versions.compare(scheme, version, other).ok()
    };
    let mut affected = false;
    let mut ordered: Vec<&Event> = events.iter().collect();
    ordered.sort_by(|a, b| {
        let (va, vb) = (event_version(a), event_version(b));
        if va == "0" && vb != "0" {
            return Ordering::Less;
        }
        if vb == "0" && va != "0" {
            return Ordering::Greater;
        }
        versions.compare(scheme, va, vb).unwrap_or(Ordering::Equal)
    });
    for event in ordered {
        match event {
            Event::Introduced(at) => {
                if matches!(cmp(at), Some(Ordering::Greater | Ordering::Equal)) {
                    affected = true;
                }
            }
            Event::Fixed(at) => {
                if matches!(cmp(at), Some(Ordering::Greater | Ordering::Equal)) {
                    affected = false;
                }
            }
            Event::LastAffected(at) => {
                if matches!(cmp(at), Some(Ordering::Greater)) {
                    affected = false;
                }
            }
            Event::Limit(at) => {
                if matches!(cmp(at), Some(Ordering::Greater | Ordering::Equal)) {
                    return false;
                }
            }
        }
    }
    affected
}

fn event_version(event: &Event) -> &str {
    match event {
        Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
    }
}

fn describe(events: &[Event]) -> String {
    events
        .iter()
        .map(|event| match event {
            Event::Introduced(v) if v == "0" => ">= 0".to_string(),
            Event::Introduced(v) => format!(">= {v}"),
            Event::Fixed(v) => format!("< {v}"),
            Event::LastAffected(v) => format!("<= {v}"),
            Event::Limit(v) => format!("< {v} (limit)"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn build(
    index: usize,
    package: &Package,
    advisory: &Advisory,
    affected: &Affected,
    kind: MatchType,
    name: &str,
    constraint: String,
) -> Match {
    let distro_data = !matches!(
        affected.namespace.as_str(),
        "pypi"
            | "npm"
            | "maven"
            | "go"
            | "crates.io"
            | "rubygems"
            | "packagist"
            | "nuget"
            | "hex"
            | "pub"
    );
    // Distro data reports CVEs; ecosystem data reports its own advisory IDs.
    let id = if distro_data {
        advisory
            .aliases
            .iter()
            .find(|a| a.starts_with("CVE-"))
            .cloned()
            .unwrap_or_else(|| advisory.id.clone())
    } else {
        advisory.id.clone()
    };
    let mut related: BTreeSet<String> = advisory.aliases.iter().cloned().collect();
    related.insert(advisory.id.clone());
    related.remove(&id);
    Match {
        package: index,
        id,
        related: related.into_iter().collect(),
        namespace: affected.namespace.clone(),
        severity: severity_of(advisory),
        cvss: advisory.cvss.clone(),
        fix: affected.fix.clone(),
        description: if advisory.summary.is_empty() {
            advisory.details.clone()
        } else {
            advisory.summary.clone()
        },
        urls: advisory.references.clone(),
        published: advisory.published.clone(),
        exploit: ExploitInfo::default(),
        match_type: kind,
        searched_name: name.to_string(),
        searched_version: package.version.clone(),
        constraint,
    }
}

/// NVD matching for a package no ecosystem data covers: each of its CPEs' products is
/// looked up, and the vendor and version must fit the configuration.
fn cpe_matches(
    index: usize,
    package: &Package,
    source: &dyn AdvisorySource,
    versions: &dyn VersionOrder,
) -> Result<Vec<Match>, StoreError> {
    // Every vendor candidate of a product counts: a package's CPEs list several vendors for
    // one product (`georg_brandl_project:pygments`, `pygments:pygments`, …), and NVD may use
    // any of them. Each product is looked up once.
    let mut vendors_by_product: Vec<(&str, Vec<&str>)> = Vec::new();
    for cpe in &package.cpes {
        let fields: Vec<&str> = cpe.cpe.split(':').collect();
        let (Some(vendor), Some(product)) = (fields.get(3), fields.get(4)) else {
            continue;
        };
        match vendors_by_product.iter_mut().find(|(p, _)| p == product) {
            Some((_, vendors)) => vendors.push(vendor),
            None => vendors_by_product.push((product, vec![vendor])),
        }
    }
    let mut found = Vec::new();
    for (product, vendors) in vendors_by_product {
        for (advisory, affected) in source.lookup("nvd:cpe", product)? {
            let vendor_fits = affected.cpes.iter().any(|criteria| {
                let wanted = criteria.split(':').nth(3).unwrap_or("*");
                wanted == "*" || vendors.contains(&wanted)
            });
            if vendor_fits {
                if let Some(constraint) = affects(&affected, &package.version, versions) {
                    found.push(build(
                        index,
                        package,
                        &advisory,
                        &affected,
                        MatchType::Cpe,
                        product,
                        constraint,
                    ));
                }
            }
        }
    }
    Ok(found)
}

/// Merges matches of one package that describe the same vulnerability (shared IDs or
/// aliases): one match survives, with the union of IDs, fix versions and the highest
/// severity. Direct matches are preferred over indirect, and both over CPE matches.
fn merge_aliases(mut found: Vec<Match>) -> Vec<Match> {
    found.sort_by(|a, b| (a.match_type, &a.id).cmp(&(b.match_type, &b.id)));
    let mut merged: Vec<Match> = Vec::new();
    for candidate in found {
        let names: BTreeSet<&String> = std::iter::once(&candidate.id)
            .chain(&candidate.related)
            .collect();
        let existing = merged.iter_mut().find(|m| {
            std::iter::once(&m.id)
                .chain(&m.related)
                .any(|name| names.contains(name))
        });
        match existing {
            Some(kept) => {
                let mut related: BTreeSet<String> = kept.related.iter().cloned().collect();
                related.extend(candidate.related.iter().cloned());
                related.insert(candidate.id.clone());
                related.remove(&kept.id);
                kept.related = related.into_iter().collect();
                kept.severity = kept.severity.max(candidate.severity);
                if let (FixState::Fixed(mine), FixState::Fixed(theirs)) =
                    (&mut kept.fix, &candidate.fix)
                {
                    for version in theirs {
                        if !mine.contains(version) {
                            mine.push(version.clone());
                        }
                    }
                } else if !matches!(kept.fix, FixState::Fixed(_))
                    && matches!(candidate.fix, FixState::Fixed(_))
                {
                    kept.fix = candidate.fix.clone();
                }
                if kept.cvss.is_empty() {
                    kept.cvss = candidate.cvss.clone();
                }
            }
            None => merged.push(candidate),
        }
    }
    merged
}

fn exploit(source: &dyn AdvisorySource, found: &Match) -> Result<ExploitInfo, StoreError> {
    let cve = std::iter::once(&found.id)
        .chain(&found.related)
        .find(|id| id.starts_with("CVE-"));
    match cve {
        Some(cve) => source.exploit_info(cve),
        None => Ok(ExploitInfo::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_fix_announcements_date_a_fix() {
        let found = |id: &str, related: &[&str], fix: FixState| Match {
            package: 0,
            id: id.into(),
            related: related.iter().map(|r| r.to_string()).collect(),
            namespace: "debian:11".into(),
            severity: Severity::Unknown,
            cvss: Vec::new(),
            fix,
            description: String::new(),
            urls: Vec::new(),
            published: Some("2023-03-29".into()),
            exploit: ExploitInfo::default(),
            match_type: MatchType::ExactDirect,
            searched_name: String::new(),
            searched_version: String::new(),
            constraint: String::new(),
        };
        let fixed = || FixState::Fixed(vec!["2:1.20.11-1+deb11u6".into()]);
        assert_eq!(
            found("CVE-2023-1393", &["DSA-5380-1"], fixed()).fix_announced(),
            Some("2023-03-29")
        );
        assert_eq!(
            found("CVE-2023-1", &["DLA-3392-1"], fixed()).fix_announced(),
            Some("2023-03-29")
        );
        assert_eq!(
            found("GHSA-xxxx", &["CVE-2023-2"], fixed()).fix_announced(),
            None
        );
        assert_eq!(
            found("CVE-2023-3", &["DSA-1-1"], FixState::NotFixed).fix_announced(),
            None
        );
    }

    #[test]
    fn purls_split_into_parts() {
        assert_eq!(
            purl_parts("pkg:npm/%40babel/core@7.0.0").unwrap(),
            ("npm".into(), "@babel".into(), "core".into())
        );
        assert_eq!(
            purl_parts("pkg:pypi/requests@2.25.0").unwrap(),
            ("pypi".into(), "".into(), "requests".into())
        );
        assert_eq!(
            purl_parts("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar")
                .unwrap()
                .1,
            "org.apache.logging.log4j"
        );
        assert!(purl_parts("not a purl").is_none());
    }
}

#[cfg(test)]
mod semantics {
    use std::collections::HashMap;

    use plimsoll_model::{Cpe, PackageMetadata};

    use super::*;
    use crate::Range;

    /// Dotted numeric versions, enough to test range logic without a real scheme.
    struct Numeric;

    impl VersionOrder for Numeric {
        fn compare(&self, _: &str, a: &str, b: &str) -> Result<Ordering, String> {
            let parse = |v: &str| {
                v.split('.')
                    .map(|p| p.parse::<u64>().map_err(|e| e.to_string()))
                    .collect::<Result<Vec<_>, _>>()
            };
            Ok(parse(a)?.cmp(&parse(b)?))
        }
        fn satisfies(&self, scheme: &str, version: &str, constraint: &str) -> Result<bool, String> {
            let bound = constraint.trim_start_matches("< ");
            Ok(self.compare(scheme, version, bound)? == Ordering::Less)
        }
    }

    #[derive(Default)]
    struct Memory {
        entries: HashMap<(String, String), Vec<(Advisory, Affected)>>,
    }

    impl Memory {
        fn add(&mut self, advisory: Advisory) {
            for affected in &advisory.affected {
                self.entries
                    .entry((affected.namespace.clone(), affected.package.clone()))
                    .or_default()
                    .push((advisory.clone(), affected.clone()));
            }
        }
    }

    impl AdvisorySource for Memory {
        fn lookup(
            &self,
            namespace: &str,
            package: &str,
        ) -> Result<Vec<(Advisory, Affected)>, StoreError> {
            Ok(self
                .entries
                .get(&(namespace.to_string(), package.to_string()))
                .cloned()
                .unwrap_or_default())
        }
        fn covers(&self, namespace: &str) -> Result<bool, StoreError> {
            Ok(self.entries.keys().any(|(n, _)| n == namespace))
        }
        fn exploit_info(&self, _: &str) -> Result<ExploitInfo, StoreError> {
            Ok(ExploitInfo {
                kev_date_added: Some("2024-01-01".into()),
                ..ExploitInfo::default()
            })
        }
    }

    fn affected(namespace: &str, package: &str, events: Vec<Event>) -> Affected {
        Affected {
            namespace: namespace.into(),
            package: package.into(),
            scheme: "generic".into(),
            ranges: vec![Range { events }],
            versions: vec![],
            constraints: vec![],
            fix: FixState::Unknown,
            cpes: vec![],
        }
    }

    fn package(name: &str, version: &str, purl: &str) -> Package {
        Package {
            name: name.into(),
            version: version.into(),
            package_type: PackageType::Python,
            found_by: String::new(),
            locations: vec![],
            licenses: vec![],
            language: String::new(),
            cpes: vec![],
            purl: purl.into(),
            metadata: PackageMetadata::None,
        }
    }

    fn ids(packages: &[Package], source: &Memory) -> Vec<(usize, String)> {
        match_packages(packages, None, source, &Numeric)
            .unwrap()
            .into_iter()
            .map(|m| (m.package, m.id))
            .collect()
    }

    #[test]
    fn osv_events() {
        let mut source = Memory::default();
        let events = vec![
            Event::Introduced("1.0".into()),
            Event::Fixed("1.5".into()),
            Event::Introduced("2.0".into()),
            Event::LastAffected("2.3".into()),
        ];
        source.add(Advisory {
            id: "OSV-1".into(),
            affected: vec![affected("pypi", "demo", events)],
            ..Advisory::default()
        });
        let limit = vec![Event::Introduced("0".into()), Event::Limit("3.0".into())];
        source.add(Advisory {
            id: "OSV-2".into(),
            affected: vec![affected("pypi", "other", limit)],
            ..Advisory::default()
        });
        let version = |v: &str| package("demo", v, &format!("pkg:pypi/demo@{v}"));
        let hits = |v: &str| !ids(&[version(v)], &source).is_empty();
        assert!(!hits("0.9"));
        assert!(hits("1.0"));
        assert!(hits("1.4.9"));
        assert!(!hits("1.5"));
        assert!(hits("2.3"), "last_affected is inclusive");
        assert!(!hits("2.3.1"));
        let other = |v: &str| {
            !ids(
                &[package("other", v, &format!("pkg:pypi/other@{v}"))],
                &source,
            )
            .is_empty()
        };
        assert!(
            other("2.9") && !other("3.0") && !other("4.0"),
            "limit bounds the range"
        );
    }

    #[test]
    fn native_constraints_with_exclusions() {
        let patched = |list: &[&str], version: &str| {
            constraints_affect(
                &list.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                version,
                "generic",
                &Numeric,
            )
            .is_some()
        };
        assert!(
            patched(&["!< 1.0"], "1.5"),
            "only exclusions: everything else is affected"
        );
        assert!(!patched(&["!< 1.0"], "0.5"));
        assert!(!patched(&["!*"], "0.5"), "never affected");
        assert!(patched(&["< 2.0", "!< 1.0"], "1.5"));
        assert!(!patched(&["< 2.0", "!< 1.0"], "2.5"));
        assert!(!patched(&[], "1.0"));
    }

    #[test]
    fn explicit_versions_and_aliases_merge() {
        let mut source = Memory::default();
        let mut listed = affected("pypi", "demo", vec![]);
        listed.versions = vec!["1.2".into()];
        listed.fix = FixState::Fixed(vec!["1.3".into()]);
        source.add(Advisory {
            id: "PYSEC-1".into(),
            aliases: vec!["CVE-2024-1".into(), "GHSA-x".into()],
            affected: vec![listed.clone()],
            ..Advisory::default()
        });
        source.add(Advisory {
            id: "GHSA-x".into(),
            aliases: vec!["CVE-2024-1".into()],
            severity: Some(Severity::High),
            affected: vec![listed],
            ..Advisory::default()
        });
        let matches = match_packages(
            &[package("demo", "1.2", "pkg:pypi/demo@1.2")],
            None,
            &source,
            &Numeric,
        )
        .unwrap();
        assert_eq!(matches.len(), 1, "two advisories, one vulnerability");
        assert_eq!(matches[0].severity, Severity::High);
        assert!(matches[0].related.contains(&"CVE-2024-1".to_string()));
        assert_eq!(
            matches[0].exploit.kev_date_added.as_deref(),
            Some("2024-01-01")
        );
    }

    #[test]
    fn nvd_only_for_packages_no_ecosystem_covers() {
        let mut source = Memory::default();
        let mut nvd = affected("nvd:cpe", "demo", vec![]);
        nvd.constraints = vec!["< 2.0".into()];
        nvd.cpes = vec!["cpe:2.3:a:acme:demo:*:*:*:*:*:*:*:*".into()];
        source.add(Advisory {
            id: "CVE-2024-9".into(),
            affected: vec![nvd],
            ..Advisory::default()
        });
        let mut binary = package("demo", "1.0", "pkg:generic/demo@1.0");
        binary.package_type = PackageType::Binary;
        binary.cpes = vec![Cpe {
            cpe: "cpe:2.3:a:acme:demo:1.0:*:*:*:*:*:*:*".into(),
            source: "declared".into(),
        }];
        assert_eq!(
            ids(std::slice::from_ref(&binary), &source),
            vec![(0, "CVE-2024-9".to_string())]
        );

        let mut other_vendor = binary.clone();
        other_vendor.cpes[0].cpe = "cpe:2.3:a:someone:demo:1.0:*:*:*:*:*:*:*".into();
        assert!(
            ids(&[other_vendor], &source).is_empty(),
            "the vendor must fit"
        );

        // Any vendor candidate of the product may be the one NVD uses, not only the first.
        let mut candidates = binary.clone();
        candidates.cpes = ["someone", "acme"]
            .iter()
            .map(|vendor| Cpe {
                cpe: format!("cpe:2.3:a:{vendor}:demo:1.0:*:*:*:*:*:*:*"),
                source: "syft-generated".into(),
            })
            .collect();
        assert_eq!(
            ids(&[candidates], &source),
            vec![(0, "CVE-2024-9".to_string())]
        );

        source.add(Advisory {
            id: "PYSEC-2".into(),
            affected: vec![affected(
                "pypi",
                "unrelated",
                vec![Event::Introduced("0".into())],
            )],
            ..Advisory::default()
        });
        let mut python = binary.clone();
        python.package_type = PackageType::Python;
        python.purl = "pkg:pypi/demo@1.0".into();
        assert!(
            ids(&[python], &source).is_empty(),
            "PyPI data covers Python packages: no CPE fallback"
        );
    }
}
