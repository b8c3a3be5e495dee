//! The `licenses` gate: packages declaring refused licenses, by exact name or substring.

use plimsoll_model::Package;

use super::{Context, Fire, TriggerError};
use crate::params;

pub(super) fn evaluate(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    let refused = params::comma_list(context.required("licenses")?);
    let (exact, prefix) = match context.trigger {
        "blacklist_exact_match" => (true, "LICFULLMATCH"),
        "blacklist_partial_match" => (false, "LICSUBMATCH"),
        _ => return Ok(Vec::new()),
    };

    let mut matches = Vec::new();
    for (package, license) in license_tokens(&context.input.packages) {
        for candidate in &refused {
            let hit = if exact {
                license == *candidate
            } else {
                license.contains(candidate)
            };
            if hit {
                matches.push(format!("{}({license})", package.name));
                if exact {
                    break;
                }
            }
        }
    }
    if matches.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Fire::message(format!(
        "{prefix} Packages are installed that have blacklisted licenses: {}",
        matches.join(", ")
    ))])
}

/// Each package with each word of its licenses. Anchore keeps a package's licenses as one
/// space-joined string and splits it on whitespace, so `MIT OR Apache-2.0` yields `MIT`,
/// `OR` and `Apache-2.0`; the same words are compared here.
fn license_tokens(packages: &[Package]) -> impl Iterator<Item = (&Package, &str)> {
    packages.iter().flat_map(|package| {
        package
            .licenses
            .iter()
            .flat_map(|license| license.value.split_whitespace())
            .map(move |word| (package, word))
    })
}

#[cfg(test)]
mod tests {
    use plimsoll_model::{License, Location, PackageType};

    use crate::gates::evaluate_rule;
    use crate::gates::test_support::{now, package, rule};
    use crate::input::EvaluationInput;

    fn messages(trigger: &str, licenses: &str) -> Vec<String> {
        let mut bash = package("bash", "5.2", PackageType::Deb);
        bash.licenses.push(License::declared(
            "GPL-3.0-or-later",
            Location::new("/x", None),
        ));
        let mut both = package("dual", "1.0", PackageType::Npm);
        both.licenses.push(License::declared(
            "MIT OR Apache-2.0",
            Location::new("/y", None),
        ));
        let mut glibc = package("libc6", "2.36", PackageType::Deb);
        glibc
            .licenses
            .push(License::declared("LGPL-2.1", Location::new("/z", None)));
        let input = EvaluationInput {
            packages: vec![bash, both, glibc],
            ..Default::default()
        };
        let params = [("licenses", licenses)];
        evaluate_rule(&rule("licenses", trigger, &params), &input, now())
            .unwrap()
            .into_iter()
            .map(|fired| fired.message)
            .collect()
    }

    #[test]
    fn exact_and_partial_matches() {
        let cases = [
            ("blacklist_exact_match", "GPL-3.0-or-later, MIT", "LICFULLMATCH Packages are installed that have blacklisted licenses: bash(GPL-3.0-or-later), dual(MIT)"),
            ("blacklist_exact_match", "GPL", ""),
            ("blacklist_partial_match", "GPL", "LICSUBMATCH Packages are installed that have blacklisted licenses: bash(GPL-3.0-or-later), libc6(LGPL-2.1)"),
            ("blacklist_partial_match", "Apache", "LICSUBMATCH Packages are installed that have blacklisted licenses: dual(Apache-2.0)"),
            ("blacklist_partial_match", "BSD", ""),
        ];
        for (trigger, licenses, expected) in cases {
            let fired = messages(trigger, licenses);
            assert_eq!(
                fired.first().map_or("", String::as_str),
                expected,
                "{trigger} {licenses}"
            );
        }
    }
}
