//! The `packages` gate: required packages, refused packages, and package file verification.

use std::cmp::Ordering;

use plimsoll_model::{Package, PackageType};
use plimsoll_version::Scheme;

use super::{Context, Fire, TriggerError};

pub(super) fn evaluate(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    match context.trigger {
        "required_package" => required_package(context),
        "blacklist" => blacklist(context),
        // Not yet: `verify` compares each package's recorded file digests and modes with the
        // files in the image, and neither the SBOM nor the evaluation input carries the
        // package databases' per-file digests. Until they do it never fires.
        "verify" => Ok(Vec::new()),
        _ => Ok(Vec::new()),
    }
}

/// `required_package`: fires when no package has the name, or the first one with it is at
/// another version (`exact`, the default) or a lower one (`minimum`).
fn required_package(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    let name = context.required("name")?;
    let version = context.text("version");
    let match_type = context.text("version_match_type").unwrap_or("exact");
    if !matches!(match_type, "exact" | "minimum") {
        return Err(context.bad("version_match_type", match_type));
    }

    let found = context.input.packages.iter().find(|p| p.name == name);
    let message = match (found, version) {
        (Some(_), None) => return Ok(Vec::new()),
        (Some(package), Some(wanted)) => {
            if package.version == wanted {
                return Ok(Vec::new());
            }
            if match_type == "exact" {
                // Anchore prints the package name where the policy's version belongs; this
                // prints the version, so the message says what the policy asked for.
                format!(
                    "Required input package ({}) is present ({}), but not at the version specified in policy ({wanted})",
                    package.name, package.version
                )
            } else if is_lower(package, wanted) {
                format!(
                    "Required min-version input package ({}) is present ({}), but is lower version than what is specified in policy ({wanted})",
                    package.name, package.version
                )
            } else {
                return Ok(Vec::new());
            }
        }
        (None, Some(wanted)) => {
            format!("Required input package ({name},{wanted}) is not present in container image")
        }
        (None, None) => {
            format!("Required input package ({name}) is not present in container image")
        }
    };
    Ok(vec![Fire::message(message)])
}

/// Whether the package's version is below `wanted` in its ecosystem's order. Versions that
/// its scheme cannot read are compared by the generic scheme; if that fails too the package
/// is not reported.
fn is_lower(package: &Package, wanted: &str) -> bool {
    let ordering = scheme(package.package_type)
        .compare(&package.version, wanted)
        .or_else(|_| Scheme::Generic.compare(&package.version, wanted));
    matches!(ordering, Ok(Ordering::Less))
}

fn scheme(package_type: PackageType) -> Scheme {
    match package_type {
        PackageType::Deb => Scheme::Dpkg,
        PackageType::Rpm => Scheme::Rpm,
        PackageType::Apk => Scheme::Apk,
        PackageType::Python => Scheme::Pep440,
        PackageType::Npm | PackageType::RustCrate | PackageType::Hex => Scheme::Semver,
        PackageType::JavaArchive | PackageType::JenkinsPlugin => Scheme::Maven,
        PackageType::Gem => Scheme::Gem,
        PackageType::GoModule => Scheme::Golang,
        PackageType::DotNet => Scheme::NuGet,
        _ => Scheme::Generic,
    }
}

/// `blacklist`: one firing per installed package with the name (and version, when given).
fn blacklist(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    let name = context.required("name")?;
    let version = context.text("version").filter(|v| !v.is_empty());

    let fires = context
        .input
        .packages
        .iter()
        .filter(|p| p.name == name && version.is_none_or(|v| p.version == v))
        .map(|package| {
            Fire::message(match version {
                Some(_) => format!(
                    "Package is blacklisted: {}-{}",
                    package.name, package.version
                ),
                None => format!("Package is blacklisted: {}", package.name),
            })
        })
        .collect();
    Ok(fires)
}

#[cfg(test)]
mod tests {
    use plimsoll_model::PackageType;

    use crate::gates::evaluate_rule;
    use crate::gates::test_support::{now, package, rule, Case};
    use crate::input::EvaluationInput;

    fn messages(trigger: &str, params: &[(&str, &str)]) -> Vec<String> {
        let input = EvaluationInput {
            packages: vec![
                package("openssl", "1.1.1k-1+deb11u1", PackageType::Deb),
                package("openssh-server", "1:8.4p1-5", PackageType::Deb),
                package("requests", "2.9.0", PackageType::Python),
            ],
            ..Default::default()
        };
        evaluate_rule(&rule("packages", trigger, params), &input, now())
            .unwrap()
            .into_iter()
            .map(|fired| fired.message)
            .collect()
    }

    #[test]
    fn required_package() {
        let cases: &[Case] = &[
            (&[("name", "openssl")], &[]),
            (&[("name", "curl")], &["Required input package (curl) is not present in container image"]),
            (&[("name", "curl"), ("version", "7.0")], &["Required input package (curl,7.0) is not present in container image"]),
            (&[("name", "openssl"), ("version", "1.1.1k-1+deb11u1")], &[]),
            (
                &[("name", "openssl"), ("version", "1.1.1n-0+deb11u4")],
                &["Required input package (openssl) is present (1.1.1k-1+deb11u1), but not at the version specified in policy (1.1.1n-0+deb11u4)"],
            ),
            (
                &[("name", "openssl"), ("version", "1.1.1n-0+deb11u4"), ("version_match_type", "minimum")],
                &["Required min-version input package (openssl) is present (1.1.1k-1+deb11u1), but is lower version than what is specified in policy (1.1.1n-0+deb11u4)"],
            ),
            (&[("name", "openssl"), ("version", "1.1.1a-1"), ("version_match_type", "minimum")], &[]),
            // PEP 440 order, not string order: 2.9.0 < 2.10.0.
            (
                &[("name", "requests"), ("version", "2.10.0"), ("version_match_type", "minimum")],
                &["Required min-version input package (requests) is present (2.9.0), but is lower version than what is specified in policy (2.10.0)"],
            ),
        ];
        for (params, expected) in cases {
            assert_eq!(
                messages("required_package", params),
                *expected,
                "{params:?}"
            );
        }
    }

    #[test]
    fn blacklist() {
        assert_eq!(
            messages("blacklist", &[("name", "openssh-server")]),
            ["Package is blacklisted: openssh-server"]
        );
        assert_eq!(
            messages(
                "blacklist",
                &[("name", "openssh-server"), ("version", "1:8.4p1-5")]
            ),
            ["Package is blacklisted: openssh-server-1:8.4p1-5"]
        );
        assert!(messages("blacklist", &[("name", "openssh-server"), ("version", "9")]).is_empty());
        assert!(messages("blacklist", &[("name", "telnetd")]).is_empty());
    }

    #[test]
    fn verify_is_a_documented_no_op() {
        assert!(messages("verify", &[]).is_empty());
    }
}
