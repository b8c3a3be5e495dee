//! Filling a policy [`EvaluationInput`] from what a local scan knows: the SBOM, the
//! vulnerability matches, the store's feed groups and the image's config.

use jiff::Timestamp;
use plimsoll_model::{Distro, HistoryEntry, ImageMetadata, Package, Sbom, SourceKind};
use plimsoll_policy::gates::is_os_package;
use plimsoll_policy::mapping::TagParts;
use plimsoll_policy::{
    parse_source_date, CvssV3Scores, Dockerfile, DockerfileMode, EvaluationInput, FeedGroupSync,
    FeedState, ImageFacts, Severity, VulnerabilityFinding,
};
use plimsoll_vulndb::namespace::{ecosystem_of_purl_type, os_namespace};
use plimsoll_vulndb::{Cvss, FixState, GroupStatus, Match};

/// Everything an evaluation looks at, from one scan. `tag` is the name asked for on the
/// command line; without it the image's first repository tag is used, else the source's
/// name.
pub fn build(
    sbom: Sbom,
    matches: &[Match],
    groups: &[GroupStatus],
    tag: Option<&str>,
) -> EvaluationInput {
    let image = match &sbom.source.kind {
        SourceKind::Image(image) => Some(image.as_ref()),
        SourceKind::Directory { .. } | SourceKind::File { .. } => None,
    };
    let tag = tag
        .or_else(|| image.and_then(repository_tag))
        .map(full_tag)
        .unwrap_or_else(|| sbom.source.name.clone());

    let vulnerabilities = matches
        .iter()
        .map(|found| finding(found, &sbom.packages[found.package]))
        .collect();
    let feeds = feed_state(sbom.distro.as_ref(), &sbom.packages, groups);

    EvaluationInput {
        image_digest: image.map_or_else(String::new, |i| i.manifest_digest.clone()),
        image_id: image.map_or_else(String::new, |i| hex_of(&i.image_id).to_string()),
        tag,
        facts: facts(image, sbom.distro.as_ref()),
        dockerfile: image.and_then(|image| guess_dockerfile(&image.history)),
        distro: sbom.distro,
        packages: sbom.packages,
        vulnerabilities,
        feeds,
        ..Default::default()
    }
}

/// A tag as Anchore writes it, registry and repository in full: `alpine` is
/// `docker.io/library/alpine:latest`.
pub fn full_tag(tag: &str) -> String {
    let parts = TagParts::parse(tag);
    format!("{}/{}:{}", parts.registry, parts.repository, parts.tag)
}

/// The image's first tag that names a repository. An OCI layout's `ref.name` is often a bare
/// tag (`latest`), which would read as the Docker Hub repository `library/latest`.
fn repository_tag(image: &ImageMetadata) -> Option<&str> {
    image
        .tags
        .iter()
        .map(String::as_str)
        .find(|tag| tag.contains(':') || tag.contains('/'))
}

fn hex_of(digest: &str) -> &str {
    digest.strip_prefix("sha256:").unwrap_or(digest)
}

/// One match as a policy finding.
pub fn finding(found: &Match, package: &Package) -> VulnerabilityFinding {
    let (fix_versions, will_not_fix) = match &found.fix {
        FixState::Fixed(versions) => (versions.clone(), false),
        FixState::WontFix => (Vec::new(), true),
        FixState::NotFixed | FixState::Unknown => (Vec::new(), false),
    };
    let (nvd, vendor): (Vec<&Cvss>, Vec<&Cvss>) = found
        .cvss
        .iter()
        .filter(|cvss| cvss.version.starts_with('3'))
        .partition(|cvss| cvss.source.eq_ignore_ascii_case("nvd"));
    // Anchore keeps language packages apart by the file they were found in; OS packages are
    // named by the package database alone.
    let package_path = if is_os_package(package.package_type) {
        None
    } else {
        package
            .locations
            .first()
            .map(|location| location.path.clone())
    };

    VulnerabilityFinding {
        id: found.id.clone(),
        severity: severity(found.severity),
        package: found.package,
        package_path,
        fix_versions,
        will_not_fix,
        nvd_cvss_v3: nvd.into_iter().filter_map(scores).collect(),
        vendor_cvss_v3: vendor.into_iter().filter_map(scores).collect(),
        link: found.urls.first().cloned().unwrap_or_default(),
        created_at: found.published.as_deref().and_then(parse_source_date),
        // Only fix announcements (Debian's DSA and DLA) date a fix; without a date
        // `max_days_since_fix` does not hold a finding back, as in Anchore.
        fix_observed_at: found.fix_announced().and_then(parse_source_date),
    }
}

/// The same scale under the policy's names.
pub fn severity(severity: plimsoll_vulndb::Severity) -> Severity {
    match severity {
        plimsoll_vulndb::Severity::Unknown => Severity::Unknown,
        plimsoll_vulndb::Severity::Negligible => Severity::Negligible,
        plimsoll_vulndb::Severity::Low => Severity::Low,
        plimsoll_vulndb::Severity::Medium => Severity::Medium,
        plimsoll_vulndb::Severity::High => Severity::High,
        plimsoll_vulndb::Severity::Critical => Severity::Critical,
    }
}

/// A CVSS v3 record's scores: the base score as stored, the sub-scores computed from the
/// vector (`-1.0` where it does not parse, as Anchore writes unknown scores).
fn scores(cvss: &Cvss) -> Option<CvssV3Scores> {
    let (exploitability, impact) = plimsoll_vulndb::subscores(cvss).unwrap_or((-1.0, -1.0));
    Some(CvssV3Scores {
        base: cvss.base_score?,
        exploitability,
        impact,
    })
}

/// The facts `metadata/attribute` compares; zeros and empty strings where the source is not
/// an image.
pub fn facts(image: Option<&ImageMetadata>, distro: Option<&Distro>) -> ImageFacts {
    let mut facts = ImageFacts::default();
    if let Some(image) = image {
        // Anchore sums the manifest's (compressed) layer sizes; the uncompressed total is what
        // every source kind here can give, archives and layouts alike.
        facts.size = image.image_size;
        facts.architecture = image.architecture.clone();
        facts.os_type = image.os.clone();
        facts.layer_count = image.layers.len() as u64;
    }
    if let Some(distro) = distro {
        facts.distro = distro.id.clone();
        facts.distro_version = distro.version_id.clone();
        facts.like_distro = distro.id_like.join(",");
    }
    facts
}

/// How current the store is for this image: the groups of the distro's namespace and of the
/// ecosystems of its language packages, each with its last import.
pub fn feed_state(
    distro: Option<&Distro>,
    packages: &[Package],
    groups: &[GroupStatus],
) -> FeedState {
    let distro_namespace = distro.and_then(os_namespace).unwrap_or_default();
    let mut serving: Vec<&str> = packages
        .iter()
        .filter_map(|package| ecosystem_of_purl_type(purl_type(&package.purl)?))
        .collect();
    if !distro_namespace.is_empty() {
        serving.push(&distro_namespace);
    }

    let relevant: Vec<FeedGroupSync> = groups
        .iter()
        .filter(|group| serving.contains(&group.namespace.as_str()))
        .map(|group| FeedGroupSync {
            namespace: group.namespace.clone(),
            last_sync: group.updated.parse::<Timestamp>().ok(),
        })
        .collect();
    let distro_data_available =
        !distro_namespace.is_empty() && relevant.iter().any(|g| g.namespace == distro_namespace);

    FeedState {
        distro_namespace,
        distro_data_available,
        groups: relevant,
    }
}

/// The type of a package URL (`pkg:pypi/idna@3.4` → `pypi`).
fn purl_type(purl: &str) -> Option<&str> {
    let rest = purl.strip_prefix("pkg:")?;
    rest.split('/').next().filter(|kind| !kind.is_empty())
}

/// The Dockerfile Anchore guesses from the config history when none is supplied: one
/// instruction per `created_by` line. Docker's classic builder writes metadata instructions
/// as `/bin/sh -c #(nop)  CMD …` and commands as `/bin/sh -c …`; BuildKit writes
/// `RUN /bin/sh -c … # buildkit` and bare instructions.
pub fn guess_dockerfile(history: &[HistoryEntry]) -> Option<Dockerfile> {
    let lines: Vec<String> = history
        .iter()
        .filter_map(|entry| entry.created_by.as_deref())
        .map(instruction_line)
        .filter(|line| !line.is_empty())
        .collect();
    if lines.is_empty() {
        return None;
    }
    let pairs = lines
        .iter()
        .map(|line| line.split_once(char::is_whitespace).unwrap_or((line, "")));
    Some(Dockerfile::from_pairs(DockerfileMode::Guessed, pairs))
}

/// Instructions a `created_by` line may start with.
const INSTRUCTIONS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

fn instruction_line(created_by: &str) -> String {
    let line = created_by.trim();
    let line = line.strip_suffix("# buildkit").unwrap_or(line).trim_end();
    if let Some(rest) = line.strip_prefix("/bin/sh -c #(nop)") {
        return rest.trim().to_string();
    }
    let keyword = line.split_whitespace().next().unwrap_or_default();
    if INSTRUCTIONS.contains(&keyword) {
        return line.to_string();
    }
    if let Some(command) = line.strip_prefix("/bin/sh -c ") {
        return format!("RUN {}", command.trim());
    }
    if line.is_empty() {
        return String::new();
    }
    format!("RUN {line}")
}

#[cfg(test)]
mod tests {
    use plimsoll_model::{Location, PackageType};
    use plimsoll_vulndb::{ExploitInfo, MatchType};

    use super::*;

    fn package(name: &str, package_type: PackageType, purl: &str, path: &str) -> Package {
        Package {
            name: name.into(),
            version: "1.0".into(),
            package_type,
            found_by: String::new(),
            locations: vec![Location {
                path: path.into(),
                access_path: path.into(),
                layer_id: None,
                evidence: None,
            }],
            licenses: Vec::new(),
            language: String::new(),
            cpes: Vec::new(),
            purl: purl.into(),
            metadata: Default::default(),
        }
    }

    fn cvss(source: &str, version: &str, base: Option<f64>) -> Cvss {
        Cvss {
            version: version.into(),
            vector: String::new(),
            base_score: base,
            source: source.into(),
        }
    }

    fn found(fix: FixState, cvss: Vec<Cvss>) -> Match {
        Match {
            package: 0,
            id: "GHSA-1".into(),
            related: Vec::new(),
            namespace: "pypi".into(),
            severity: plimsoll_vulndb::Severity::High,
            cvss,
            fix,
            description: String::new(),
            urls: vec!["https://example.org/GHSA-1".into()],
            published: Some("2021-11-16".into()),
            exploit: ExploitInfo::default(),
            match_type: MatchType::ExactDirect,
            searched_name: "idna".into(),
            searched_version: "1.0".into(),
            constraint: String::new(),
        }
    }

    fn history(lines: &[&str]) -> Vec<HistoryEntry> {
        lines
            .iter()
            .map(|line| HistoryEntry {
                created_by: Some(line.to_string()),
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn a_match_becomes_a_finding_with_fixes_scores_and_path() {
        let python = package(
            "idna",
            PackageType::Python,
            "pkg:pypi/idna@1.0",
            "/usr/lib/python3/idna-1.0.dist-info/METADATA",
        );
        let mut scores = vec![
            cvss("nvd", "3.1", Some(7.5)),
            cvss("github", "3.1", Some(6.5)),
            cvss("nvd", "2.0", Some(5.0)),
            cvss("nvd", "3.0", None),
        ];
        scores[0].vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H".into();
        let finding = finding(&found(FixState::Fixed(vec!["3.7".into()]), scores), &python);

        assert_eq!(finding.id, "GHSA-1");
        assert_eq!(finding.severity, Severity::High);
        assert_eq!(finding.fix_versions, ["3.7"]);
        assert!(!finding.will_not_fix);
        assert_eq!(finding.nvd_cvss_v3.len(), 1);
        assert_eq!(finding.nvd_cvss_v3[0].base, 7.5);
        // Sub-scores come from the vector; without one they are unknown.
        assert_eq!(finding.nvd_cvss_v3[0].exploitability, 3.9);
        assert_eq!(finding.nvd_cvss_v3[0].impact, 3.6);
        assert_eq!(finding.vendor_cvss_v3[0].base, 6.5);
        assert_eq!(finding.vendor_cvss_v3[0].impact, -1.0);
        assert_eq!(finding.link, "https://example.org/GHSA-1");
        assert_eq!(
            finding.created_at.map(|t| t.to_string()).as_deref(),
            Some("2021-11-16T00:00:00Z")
        );
        assert_eq!(
            finding.package_path.as_deref(),
            Some("/usr/lib/python3/idna-1.0.dist-info/METADATA")
        );
    }

    #[test]
    fn wont_fix_is_kept_and_os_packages_have_no_path() {
        let deb = package("openssl", PackageType::Deb, "", "/var/lib/dpkg/status");
        let finding = finding(&found(FixState::WontFix, Vec::new()), &deb);
        assert!(finding.will_not_fix);
        assert!(finding.fix_versions.is_empty());
        assert_eq!(finding.package_path, None);
    }

    #[test]
    fn severities_keep_their_rank() {
        let all = [
            plimsoll_vulndb::Severity::Unknown,
            plimsoll_vulndb::Severity::Negligible,
            plimsoll_vulndb::Severity::Low,
            plimsoll_vulndb::Severity::Medium,
            plimsoll_vulndb::Severity::High,
            plimsoll_vulndb::Severity::Critical,
        ];
        assert_eq!(all.map(severity), Severity::ALL);
    }

    #[test]
    fn the_dockerfile_is_guessed_from_classic_and_buildkit_history() {
        let guessed = guess_dockerfile(&history(&[
            "/bin/sh -c #(nop) ADD file:abc in / ",
            "/bin/sh -c #(nop)  CMD [\"bash\"]",
            "/bin/sh -c apt-get update",
            "RUN /bin/sh -c pip install idna # buildkit",
            "EXPOSE map[8080/tcp:{}]",
            "",
        ]))
        .unwrap();
        let lines: Vec<(&str, &str)> = guessed
            .instructions
            .iter()
            .map(|i| (i.instruction.as_str(), i.arguments.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                ("ADD", "file:abc in /"),
                ("CMD", "[\"bash\"]"),
                ("RUN", "apt-get update"),
                ("RUN", "/bin/sh -c pip install idna"),
                ("EXPOSE", "map[8080/tcp:{}]"),
            ]
        );
        assert_eq!(guessed.mode, DockerfileMode::Guessed);
        assert_eq!(guess_dockerfile(&[]), None);
    }

    #[test]
    fn feed_state_keeps_the_groups_that_serve_the_image() {
        let distro = Distro {
            id: "debian".into(),
            version_id: "12".into(),
            ..Default::default()
        };
        let packages = [package(
            "idna",
            PackageType::Python,
            "pkg:pypi/idna@1.0",
            "/a",
        )];
        let group = |namespace: &str| GroupStatus {
            feed: "osv".into(),
            namespace: namespace.into(),
            advisories: 1,
            updated: "2024-05-31T12:00:00Z".into(),
        };
        let groups = [group("pypi"), group("npm"), group("debian:11")];

        let state = feed_state(Some(&distro), &packages, &groups);
        assert_eq!(state.distro_namespace, "debian:12");
        assert!(!state.distro_data_available);
        assert_eq!(state.groups.len(), 1);
        assert_eq!(state.groups[0].namespace, "pypi");
        assert!(state.groups[0].last_sync.is_some());

        let state = feed_state(Some(&distro), &packages, &[group("debian:12")]);
        assert!(state.distro_data_available);
    }

    #[test]
    fn tags_are_written_in_full() {
        assert_eq!(full_tag("alpine"), "docker.io/library/alpine:latest");
        assert_eq!(full_tag("quay.io/org/app:1.2"), "quay.io/org/app:1.2");
    }
}
