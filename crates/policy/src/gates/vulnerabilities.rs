//! The `vulnerabilities` gate: findings by severity, CVSS scores, fix state and age; stale or
//! missing vulnerability data; refused vulnerability IDs.

use std::cmp::Ordering;

use jiff::{SignedDuration, Timestamp};
use plimsoll_model::{Package, PackageType};

use super::{Context, Fire, TriggerError};
use crate::input::{CvssV3Scores, Severity, VulnerabilityFinding};
use crate::params;

/// Whether a package type is an operating-system package (Anchore's `os` class); all others
/// are `non-os`. The same split as the server's vulnerability report.
pub fn is_os_package(package_type: PackageType) -> bool {
    matches!(
        package_type,
        PackageType::Deb
            | PackageType::Rpm
            | PackageType::Apk
            | PackageType::Alpm
            | PackageType::Portage
            | PackageType::LinuxKernel
            | PackageType::LinuxKernelModule
    )
}

/// The package type name Anchore shows (`APKG`, `dpkg`, `java`, …).
pub fn anchore_package_type(package_type: PackageType) -> &'static str {
    match package_type {
        PackageType::Apk => "APKG",
        PackageType::Deb => "dpkg",
        PackageType::Rpm => "rpm",
        PackageType::JavaArchive | PackageType::JenkinsPlugin => "java",
        PackageType::GoModule => "go",
        PackageType::DotNet => "nuget",
        PackageType::PhpComposer => "composer",
        PackageType::RustCrate => "rust",
        other => other.as_str(),
    }
}

pub(super) fn evaluate(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    match context.trigger {
        "package" => package(context),
        "stale_feed_data" => stale_feed_data(context),
        "vulnerability_data_unavailable" => Ok(data_unavailable(context)),
        "blacklist" => blacklist(context),
        _ => Ok(Vec::new()),
    }
}

/// A comparison operator of the `*_comparison` parameters.
#[derive(Clone, Copy)]
enum Comparison {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

impl Comparison {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "=" => Comparison::Eq,
            "!=" => Comparison::Ne,
            "<" => Comparison::Lt,
            ">" => Comparison::Gt,
            "<=" => Comparison::Le,
            ">=" => Comparison::Ge,
            _ => return None,
        })
    }

    fn holds(self, ordering: Option<Ordering>) -> bool {
        let Some(ordering) = ordering else {
            return false;
        };
        match self {
            Comparison::Eq => ordering.is_eq(),
            Comparison::Ne => ordering.is_ne(),
            Comparison::Lt => ordering.is_lt(),
            Comparison::Gt => ordering.is_gt(),
            Comparison::Le => ordering.is_le(),
            Comparison::Ge => ordering.is_ge(),
        }
    }
}

/// One CVSS criterion: a score parameter with its comparison (default `>=`).
struct ScoreCheck {
    label: &'static str,
    comparison: Comparison,
    threshold: f64,
    pick: fn(&CvssV3Scores) -> f64,
}

impl ScoreCheck {
    fn read(
        context: &Context<'_>,
        label: &'static str,
        pick: fn(&CvssV3Scores) -> f64,
    ) -> Result<Option<Self>, TriggerError> {
        let Some(threshold) = context.parsed(label, params::parse_float)? else {
            return Ok(None);
        };
        let comparison_name = format!("{label}_comparison");
        let comparison = context
            .parsed(&comparison_name, Comparison::parse)?
            .unwrap_or(Comparison::Ge);
        Ok(Some(ScoreCheck {
            label,
            comparison,
            threshold,
            pick,
        }))
    }

    /// The highest score of the kind among `scores` (`-1.0` when there are none), if it
    /// passes the check.
    fn passing(&self, scores: &[CvssV3Scores]) -> Option<f64> {
        let score = scores.iter().map(self.pick).fold(-1.0_f64, f64::max);
        self.comparison
            .holds(score.partial_cmp(&self.threshold))
            .then_some(score)
    }
}

/// `package`: one firing per finding that meets every criterion the rule gives.
fn package(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    let package_type = context.required("package_type")?;
    if !matches!(package_type, "all" | "os" | "non-os") {
        return Err(context.bad("package_type", package_type));
    }
    let severity_comparison = context
        .parsed("severity_comparison", Comparison::parse)?
        .unwrap_or(Comparison::Gt);
    let severity = context
        .parsed("severity", Severity::from_name)?
        .unwrap_or(Severity::Unknown);
    let fix_available = context.boolean("fix_available")?;
    let vendor_only = context.boolean("vendor_only")?.unwrap_or(true);
    let max_days_since_creation =
        context.parsed("max_days_since_creation", params::parse_integer)?;
    let max_days_since_fix = context.parsed("max_days_since_fix", params::parse_integer)?;
    let path_exclude = context.regex("package_path_exclude")?;

    let nvd_checks = [
        ScoreCheck::read(context, "cvss_v3_base_score", |s| s.base)?,
        ScoreCheck::read(context, "cvss_v3_exploitability_score", |s| {
            s.exploitability
        })?,
        ScoreCheck::read(context, "cvss_v3_impact_score", |s| s.impact)?,
    ];
    let vendor_checks = [
        ScoreCheck::read(context, "vendor_cvss_v3_base_score", |s| s.base)?,
        ScoreCheck::read(context, "vendor_cvss_v3_exploitability_score", |s| {
            s.exploitability
        })?,
        ScoreCheck::read(context, "vendor_cvss_v3_impact_score", |s| s.impact)?,
    ];

    let mut fires = Vec::new();
    'findings: for finding in &context.input.vulnerabilities {
        let Some(package) = context.input.packages.get(finding.package) else {
            continue;
        };
        let os = is_os_package(package.package_type);
        let class = if os { "os" } else { "non-os" };
        if package_type != "all" && package_type != class {
            continue;
        }
        if !severity_comparison.holds(Some(finding.severity.cmp(&severity))) {
            continue;
        }

        let path = package_path(finding, package);
        if let (false, Some(exclude)) = (os, &path_exclude) {
            if exclude.is_match(&path) {
                continue;
            }
        }
        if vendor_only && finding.will_not_fix {
            continue;
        }

        let mut times = Vec::new();
        if let Some(days) = max_days_since_creation {
            // Without a date the finding cannot be shown to be old enough.
            let Some(created) = finding.created_at else {
                continue;
            };
            if created > days_before(context.now, days) {
                continue;
            }
            times.push(format!("max_days_since_creation={}", date(created)));
        }
        let has_fix = !finding.fix_versions.is_empty();
        if let (Some(true), Some(days), true, Some(observed)) = (
            fix_available,
            max_days_since_fix,
            has_fix,
            finding.fix_observed_at,
        ) {
            if observed > days_before(context.now, days) {
                continue;
            }
            times.push(format!("max_days_since_fix={}", date(observed)));
        }

        let mut nvd_scores = Vec::new();
        for check in nvd_checks.iter().flatten() {
            let Some(score) = check.passing(&finding.nvd_cvss_v3) else {
                continue 'findings;
            };
            nvd_scores.push((check.label, score));
        }
        if fix_available.is_some_and(|wanted| wanted != has_fix) {
            continue;
        }
        let mut vendor_scores = Vec::new();
        for check in vendor_checks.iter().flatten() {
            let Some(score) = check.passing(&finding.vendor_cvss_v3) else {
                continue 'findings;
            };
            vendor_scores.push((check.label, score));
        }

        fires.push(package_fire(
            finding,
            package,
            os,
            &path,
            &nvd_scores,
            &times,
            &vendor_scores,
        ));
    }
    Ok(fires)
}

/// The firing for one finding: ID `<vuln>+<package>`, and Anchore's message
/// `{SEV} Vulnerability found in {class} package type ({type}) - {package} {fix}{scores}{times}{vendor scores}({vuln} - {link})`.
fn package_fire(
    finding: &VulnerabilityFinding,
    package: &Package,
    os: bool,
    path: &str,
    nvd_scores: &[(&str, f64)],
    times: &[String],
    vendor_scores: &[(&str, f64)],
) -> Fire {
    let (class, shown_name, id_name) = if os {
        ("os", package.name.clone(), package.name.clone())
    } else {
        (
            "non-os",
            path.to_string(),
            non_os_trigger_name(package, path),
        )
    };
    let fix = if finding.fix_versions.is_empty() {
        String::new()
    } else {
        format!("(fixed in: {})", finding.fix_versions.join(", "))
    };
    let link = if finding.link.is_empty() {
        "None"
    } else {
        &finding.link
    };
    let message = format!(
        "{} Vulnerability found in {class} package type ({}) - {shown_name} {fix}{}{}{}({} - {link})",
        finding.severity.as_str().to_ascii_uppercase(),
        anchore_package_type(package.package_type),
        group(&scores_text(nvd_scores)),
        group(times),
        group(&scores_text(vendor_scores)),
        finding.id,
    );
    Fire {
        id: Some(format!("{}+{id_name}", finding.id)),
        message,
    }
}

/// The package part of a non-OS finding's trigger ID: the jar or gem file name, the npm
/// package directory, else `name-version`.
fn non_os_trigger_name(package: &Package, path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    let from_path = match anchore_package_type(package.package_type) {
        "java" | "gem" => parts.last().copied(),
        "npm" if parts.len() >= 2 => parts.get(parts.len() - 2).copied(),
        _ => None,
    };
    match from_path {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => format!("{}-{}", package.name, package.version),
    }
}

fn package_path(finding: &VulnerabilityFinding, package: &Package) -> String {
    finding
        .package_path
        .clone()
        .or_else(|| package.locations.first().map(|l| l.path.clone()))
        .unwrap_or_default()
}

/// Scores as `name=value`, leaving out zeros as Anchore does (it tests the value's truth).
fn scores_text(scores: &[(&str, f64)]) -> Vec<String> {
    scores
        .iter()
        .filter(|(_, score)| *score != 0.0)
        .map(|(label, score)| format!("{label}={}", python_float(*score)))
        .collect()
}

fn group(items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!("({})", items.join(" "))
    }
}

/// A float as Python prints it: `9.8`, `10.0`, `-1.0`.
fn python_float(value: f64) -> String {
    if value.fract() == 0.0 && value.is_finite() {
        format!("{value:.1}")
    } else {
        format!("{value}")
    }
}

fn days_before(now: Timestamp, days: u64) -> Timestamp {
    let seconds = i64::try_from(days.saturating_mul(86_400)).unwrap_or(i64::MAX);
    now.checked_sub(SignedDuration::from_secs(seconds))
        .unwrap_or(Timestamp::MIN)
}

fn date(timestamp: Timestamp) -> String {
    timestamp.strftime("%Y-%m-%d").to_string()
}

/// `stale_feed_data`: fires when the oldest feed group serving the image synced longer ago
/// than allowed, or never.
fn stale_feed_data(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    let name = "max_days_since_sync";
    let raw = context.required(name)?;
    let days = params::parse_integer(raw).ok_or_else(|| context.bad(name, raw))?;

    let groups = &context.input.feeds.groups;
    let oldest = groups.iter().map(|group| group.last_sync).min().flatten();
    let stale = match oldest {
        Some(oldest) => oldest < days_before(context.now, days),
        None => true,
    };
    if !stale {
        return Ok(Vec::new());
    }
    Ok(vec![Fire::message(format!(
        "The vulnerability feed for this image distro is older than MAXAGE ({days}) days"
    ))])
}

/// `vulnerability_data_unavailable`: fires when there is no data for the image's distro.
fn data_unavailable(context: &Context<'_>) -> Vec<Fire> {
    let feeds = &context.input.feeds;
    if feeds.distro_data_available {
        return Vec::new();
    }
    vec![Fire::message(format!(
        "Distro-specific feed data not found for distro namespace: {}. Cannot perform CVE scan OS/distro packages",
        feeds.distro_namespace
    ))]
}

/// `blacklist`: one firing listing every refused vulnerability ID found.
fn blacklist(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    let ids = params::comma_list(context.required("vulnerability_ids")?);
    let vendor_only = context.boolean("vendor_only")?.unwrap_or(true);

    let found: Vec<String> = ids
        .iter()
        .filter(|id| {
            context
                .input
                .vulnerabilities
                .iter()
                .any(|finding| finding.id == **id && !(vendor_only && finding.will_not_fix))
        })
        .map(|id| format!("'{id}'"))
        .collect();
    if found.is_empty() {
        return Ok(Vec::new());
    }
    // The list is printed as Python prints a list of strings.
    Ok(vec![Fire::message(format!(
        "Blacklisted vulnerabilities detected: [{}]",
        found.join(", ")
    ))])
}

#[cfg(test)]
mod tests {
    use plimsoll_model::{Location, PackageType};

    use crate::gates::evaluate_rule;
    use crate::gates::test_support::{now, package, rule, Case};
    use crate::input::{
        CvssV3Scores, EvaluationInput, FeedGroupSync, Severity, VulnerabilityFinding,
    };

    fn image() -> EvaluationInput {
        let mut jar = package("log4j-core", "2.14.1", PackageType::JavaArchive);
        jar.locations
            .push(Location::new("/app/lib/log4j-core-2.14.1.jar", None));
        let mut npm = package("lodash", "4.17.20", PackageType::Npm);
        npm.locations
            .push(Location::new("/app/node_modules/lodash/package.json", None));
        EvaluationInput {
            packages: vec![
                package("libssl1.1", "1.1.1g-r0", PackageType::Apk),
                jar,
                npm,
            ],
            vulnerabilities: vec![
                VulnerabilityFinding {
                    id: "CVE-2021-3711".into(),
                    severity: Severity::Critical,
                    package: 0,
                    fix_versions: vec!["1.1.1l-r0".into()],
                    nvd_cvss_v3: vec![CvssV3Scores {
                        base: 9.8,
                        exploitability: 3.9,
                        impact: 5.9,
                    }],
                    link: "https://nvd.nist.gov/vuln/detail/CVE-2021-3711".into(),
                    created_at: Some("2021-08-24T00:00:00Z".parse().unwrap()),
                    fix_observed_at: Some("2024-05-30T00:00:00Z".parse().unwrap()),
                    ..Default::default()
                },
                VulnerabilityFinding {
                    id: "CVE-2021-44228".into(),
                    severity: Severity::Critical,
                    package: 1,
                    fix_versions: vec!["2.15.0".into()],
                    nvd_cvss_v3: vec![CvssV3Scores {
                        base: 10.0,
                        exploitability: 3.9,
                        impact: 6.0,
                    }],
                    vendor_cvss_v3: vec![CvssV3Scores {
                        base: 9.0,
                        exploitability: 2.2,
                        impact: 6.0,
                    }],
                    link: "https://example.test/log4shell".into(),
                    ..Default::default()
                },
                VulnerabilityFinding {
                    id: "GHSA-35jh-r3h4-6jhm".into(),
                    severity: Severity::Medium,
                    package: 2,
                    will_not_fix: true,
                    ..Default::default()
                },
            ],
            ..Default::default()
        }
    }

    fn ids(params: &[(&str, &str)]) -> Vec<String> {
        let rule = rule("vulnerabilities", "package", params);
        evaluate_rule(&rule, &image(), now())
            .unwrap()
            .into_iter()
            .map(|fired| fired.trigger_id)
            .collect()
    }

    #[test]
    fn package_criteria_select_findings() {
        let log4j = "CVE-2021-44228+log4j-core-2.14.1.jar";
        let ssl = "CVE-2021-3711+libssl1.1";
        let lodash = "GHSA-35jh-r3h4-6jhm+lodash";
        let cases: &[Case] = &[
            (&[("package_type", "all")], &[ssl, log4j]),
            (
                &[("package_type", "all"), ("vendor_only", "false")],
                &[ssl, log4j, lodash],
            ),
            (&[("package_type", "os")], &[ssl]),
            (
                &[("package_type", "non-os"), ("vendor_only", "false")],
                &[log4j, lodash],
            ),
            (
                &[
                    ("package_type", "all"),
                    ("severity_comparison", "<"),
                    ("severity", "high"),
                    ("vendor_only", "false"),
                ],
                &[lodash],
            ),
            (
                &[
                    ("package_type", "all"),
                    ("severity_comparison", "="),
                    ("severity", "critical"),
                ],
                &[ssl, log4j],
            ),
            (
                &[("package_type", "all"), ("cvss_v3_base_score", "10")],
                &[log4j],
            ),
            (
                &[
                    ("package_type", "all"),
                    ("cvss_v3_base_score_comparison", "<"),
                    ("cvss_v3_base_score", "10"),
                ],
                &[ssl],
            ),
            (
                &[("package_type", "all"), ("cvss_v3_impact_score", "6.0")],
                &[log4j],
            ),
            (
                &[
                    ("package_type", "all"),
                    ("cvss_v3_exploitability_score_comparison", "="),
                    ("cvss_v3_exploitability_score", "3.9"),
                ],
                &[ssl, log4j],
            ),
            (
                &[("package_type", "all"), ("vendor_cvss_v3_base_score", "1")],
                &[log4j],
            ),
            (
                &[
                    ("package_type", "all"),
                    ("vendor_cvss_v3_exploitability_score_comparison", "<"),
                    ("vendor_cvss_v3_exploitability_score", "2"),
                ],
                &[ssl],
            ),
            (
                &[
                    ("package_type", "all"),
                    ("fix_available", "false"),
                    ("vendor_only", "false"),
                ],
                &[lodash],
            ),
            (
                &[
                    ("package_type", "all"),
                    ("package_path_exclude", "/app/lib/.*"),
                ],
                &[ssl],
            ),
            // Only findings with a known date can be old enough.
            (
                &[("package_type", "all"), ("max_days_since_creation", "30")],
                &[ssl],
            ),
            (
                &[
                    ("package_type", "all"),
                    ("max_days_since_creation", "100000"),
                ],
                &[],
            ),
            // The fix was seen two days ago: too recent for seven days, old enough for one.
            (
                &[
                    ("package_type", "all"),
                    ("fix_available", "true"),
                    ("max_days_since_fix", "7"),
                ],
                &[log4j],
            ),
            (
                &[
                    ("package_type", "all"),
                    ("fix_available", "true"),
                    ("max_days_since_fix", "1"),
                ],
                &[ssl, log4j],
            ),
        ];
        for (params, expected) in cases {
            assert_eq!(ids(params), *expected, "{params:?}");
        }
    }

    #[test]
    fn package_messages_follow_anchore() {
        let rule = rule(
            "vulnerabilities",
            "package",
            &[
                ("package_type", "all"),
                ("cvss_v3_base_score", "9"),
                ("max_days_since_creation", "30"),
                ("vendor_cvss_v3_impact_score", "-1"),
            ],
        );
        let fired = evaluate_rule(&rule, &image(), now()).unwrap();
        assert_eq!(
            fired[0].message,
            "CRITICAL Vulnerability found in os package type (APKG) - libssl1.1 \
             (fixed in: 1.1.1l-r0)(cvss_v3_base_score=9.8)(max_days_since_creation=2021-08-24)\
             (vendor_cvss_v3_impact_score=-1.0)(CVE-2021-3711 - https://nvd.nist.gov/vuln/detail/CVE-2021-3711)"
        );

        let rule = rule_plain();
        let fired = evaluate_rule(&rule, &image(), now()).unwrap();
        assert_eq!(
            fired[1].message,
            "CRITICAL Vulnerability found in non-os package type (java) - \
             /app/lib/log4j-core-2.14.1.jar (fixed in: 2.15.0)(CVE-2021-44228 - https://example.test/log4shell)"
        );
        assert_eq!(
            fired[2].message,
            "MEDIUM Vulnerability found in non-os package type (npm) - \
             /app/node_modules/lodash/package.json (GHSA-35jh-r3h4-6jhm - None)"
        );
    }

    fn rule_plain() -> crate::bundle::PolicyRule {
        rule(
            "vulnerabilities",
            "package",
            &[("package_type", "all"), ("vendor_only", "false")],
        )
    }

    #[test]
    fn stale_feed_data_compares_the_oldest_group() {
        let fresh: jiff::Timestamp = "2024-05-31T00:00:00Z".parse().unwrap();
        let old: jiff::Timestamp = "2024-05-20T00:00:00Z".parse().unwrap();
        let cases = [
            (vec![Some(fresh)], false),
            (vec![Some(fresh), Some(old)], true),
            (vec![Some(fresh), None], true),
            (vec![], true),
        ];
        for (syncs, fires) in cases {
            let mut input = EvaluationInput::default();
            input.feeds.groups = syncs
                .iter()
                .map(|sync| FeedGroupSync {
                    namespace: "alpine:3.18".into(),
                    last_sync: *sync,
                })
                .collect();
            let rule = rule(
                "vulnerabilities",
                "stale_feed_data",
                &[("max_days_since_sync", "2")],
            );
            let fired = evaluate_rule(&rule, &input, now()).unwrap();
            assert_eq!(!fired.is_empty(), fires, "{syncs:?}");
            if fires {
                assert_eq!(
                    fired[0].message,
                    "The vulnerability feed for this image distro is older than MAXAGE (2) days"
                );
            }
        }
    }

    #[test]
    fn data_unavailable_names_the_namespace() {
        let mut input = EvaluationInput::default();
        input.feeds.distro_namespace = "busybox:1.36".into();
        let rule = rule("vulnerabilities", "vulnerability_data_unavailable", &[]);
        let fired = evaluate_rule(&rule, &input, now()).unwrap();
        assert_eq!(
            fired[0].message,
            "Distro-specific feed data not found for distro namespace: busybox:1.36. \
             Cannot perform CVE scan OS/distro packages"
        );
        input.feeds.distro_data_available = true;
        assert!(evaluate_rule(&rule, &input, now()).unwrap().is_empty());
    }

    #[test]
    fn blacklist_lists_the_ids_found() {
        let cases: [(&str, Option<&str>, &str); 4] = [
            (
                "CVE-2021-44228, CVE-0000-0000,CVE-2021-3711",
                None,
                "Blacklisted vulnerabilities detected: ['CVE-2021-44228', 'CVE-2021-3711']",
            ),
            ("GHSA-35jh-r3h4-6jhm", None, ""),
            (
                "GHSA-35jh-r3h4-6jhm",
                Some("false"),
                "Blacklisted vulnerabilities detected: ['GHSA-35jh-r3h4-6jhm']",
            ),
            ("CVE-0000-0000", None, ""),
        ];
        for (ids, vendor_only, expected) in cases {
            let mut params = vec![("vulnerability_ids", ids)];
            if let Some(value) = vendor_only {
                params.push(("vendor_only", value));
            }
            let rule = rule("vulnerabilities", "blacklist", &params);
            let fired = evaluate_rule(&rule, &image(), now()).unwrap();
            let message = fired.first().map_or("", |f| f.message.as_str());
            assert_eq!(message, expected, "{ids}");
        }
    }

    #[test]
    fn bad_parameters_are_errors() {
        let bad_severity = rule(
            "vulnerabilities",
            "package",
            &[("package_type", "all"), ("severity", "severe")],
        );
        assert!(evaluate_rule(&bad_severity, &image(), now()).is_err());
        let no_package_type = rule("vulnerabilities", "package", &[]);
        assert!(evaluate_rule(&no_package_type, &image(), now()).is_err());
    }
}
