//! Native constraint strings, as the feeds that write ranges in their ecosystem's own syntax
//! (RustSec, RubySec, the npm advisories) give them, and the `!` convention of
//! [`Affected::constraints`](crate::Affected::constraints) that marks versions not affected.
//!
//! The checks here are syntactic only: they keep text that is no range at all (a sentence, a
//! number) out of the store. Comparing versions is the matcher's work.

use crate::FixState;

/// The entry that matches every version.
pub(super) const EVERY_VERSION: &str = "*";

/// The entry that says no version is affected.
pub(super) const NO_VERSION: &str = "!*";

/// Marks a requirement as describing versions that are not affected.
pub(super) fn not_affected(requirement: &str) -> String {
    format!("!{}", requirement.trim())
}

/// The constraints and fix of an entry that is affected unless patched or unaffected, as
/// RustSec and RubySec describe them: a `!` entry per requirement, or `*` when there is
/// none; fixed in the versions the patched requirements start at.
pub(super) fn unless_patched(patched: &[String], unaffected: &[String]) -> (Vec<String>, FixState) {
    let mut constraints: Vec<String> = patched
        .iter()
        .chain(unaffected)
        .map(|r| not_affected(r))
        .collect();
    if constraints.is_empty() {
        constraints.push(EVERY_VERSION.to_string());
    }
    let fixed: Vec<String> = patched.iter().filter_map(|r| first_version(r)).collect();
    let fix = match (patched.is_empty(), fixed.is_empty()) {
        (true, _) => FixState::NotFixed,
        (false, true) => FixState::Unknown,
        (false, false) => FixState::Fixed(fixed),
    };
    (constraints, fix)
}

/// Operators of every syntax read here, longest first so that `>=` is not read as `>`.
const OPERATORS: [&str; 9] = ["~>", ">=", "<=", "!=", "=", ">", "<", "~", "^"];

/// Splits a leading operator off a comparator: `(">=", "1.2")`, or `("", "1.2")`.
fn split_operator(comparator: &str) -> (&str, &str) {
    let comparator = comparator.trim();
    for operator in OPERATORS {
        if let Some(rest) = comparator.strip_prefix(operator) {
            return (operator, rest.trim_start());
        }
    }
    ("", comparator)
}

/// Whether `text` is a (possibly partial) semantic version: `1`, `1.2`, `1.2.x`, `1.2.3`,
/// `1.2.3-rc.1+build`. `*`, `x` and `X` stand for any number (Cargo, node-semver).
fn is_partial_semver(text: &str) -> bool {
    let (rest, build) = match text.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (text, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (rest, None),
    };
    let label_ok = |label: &str| {
        !label.is_empty()
            && label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    };
    let parts: Vec<&str> = core.split('.').collect();
    let core_ok = parts.len() <= 3
        && parts.iter().all(|part| {
            !part.is_empty()
                && (part.chars().all(|c| c.is_ascii_digit()) || matches!(*part, "*" | "x" | "X"))
        });
    core_ok && pre.is_none_or(label_ok) && build.is_none_or(label_ok)
}

/// Checks a Cargo version requirement, as RustSec writes them: comparators joined by `,`
/// (`>= 1.8.4, < 1.9.0`, `^0.4.2`, `*`).
pub(super) fn check_cargo_requirement(text: &str) -> Result<(), String> {
    for comparator in text.split(',') {
        let (operator, version) = split_operator(comparator);
        let valid = !matches!(operator, "~>" | "!=") && is_partial_semver(version);
        if !valid {
            return Err(format!("`{text}` is not a Cargo version requirement"));
        }
    }
    Ok(())
}

/// Checks a RubyGems requirement: comparators joined by `,` (`~> 5.2.4, >= 5.2.4.3`).
pub(super) fn check_gem_requirement(text: &str) -> Result<(), String> {
    for comparator in text.split(',') {
        let (operator, version) = split_operator(comparator);
        let gem_version = version.starts_with(|c: char| c.is_ascii_digit())
            && version
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if matches!(operator, "~" | "^") || !gem_version {
            return Err(format!("`{text}` is not a RubyGems requirement"));
        }
    }
    Ok(())
}

/// Checks a node-semver range: sets joined by `||`, each a hyphen range (`1.2 - 2.3`) or
/// comparators separated by spaces, where an operator may stand apart from its version
/// (`< 2.0.5`). An empty set means any version.
pub(super) fn check_npm_range(text: &str) -> Result<(), String> {
    let invalid = || format!("`{text}` is not a node-semver range");
    for set in text.split("||") {
        if let Some((low, high)) = set.split_once(" - ") {
            if !is_npm_version(low.trim()) || !is_npm_version(high.trim()) {
                return Err(invalid());
            }
            continue;
        }
        let mut tokens = set.split_whitespace().peekable();
        while let Some(token) = tokens.next() {
            let (operator, version) = split_operator(token);
            let version = if version.is_empty() && !operator.is_empty() {
                tokens.next().unwrap_or("")
            } else {
                version
            };
            if operator == "!=" || !is_npm_version(version) {
                return Err(invalid());
            }
        }
    }
    Ok(())
}

/// A node-semver version in a range: a partial version, optionally after `v` or `=`.
fn is_npm_version(text: &str) -> bool {
    let text = text.trim_start_matches(['v', '=']);
    is_partial_semver(text)
}

/// The version a requirement starts at, when it names one: the first comparator's version
/// for `>=`, `=`, `^`, `~`, `~>` or no operator (`>= 1.13.1` and `~> 1.2.5` give `1.13.1` and
/// `1.2.5`). Feeds list patched versions as such requirements; these are the fixed versions
/// a report shows. `> 1.2` names no first fixed version and gives `None`, as do wildcards.
pub(super) fn first_version(requirement: &str) -> Option<String> {
    let first = requirement.split(',').next()?.trim();
    let first = first.split(" - ").next()?.trim();
    let (operator, rest) = split_operator(first);
    let version = rest
        .split_whitespace()
        .next()?
        .trim_start_matches(['v', '=']);
    let starts = matches!(operator, "" | ">=" | "=" | "^" | "~" | "~>");
    let concrete =
        version.starts_with(|c: char| c.is_ascii_digit()) && !version.contains(['*', 'x', 'X']);
    (starts && concrete).then(|| version.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_requirements() {
        for good in [
            ">= 1.8.4, < 1.9.0",
            "^0.4.2",
            "*",
            "= 0.1.0-alpha.3",
            "<0.3",
            "~1.2",
            ">= 1.2.x",
        ] {
            assert!(check_cargo_requirement(good).is_ok(), "{good}");
        }
        for bad in ["", "patched", ">= 1.2,", "~> 1.2", "1.2.3.4", ">= 1.a"] {
            assert!(check_cargo_requirement(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn gem_requirements() {
        for good in [
            "~> 1.1.3",
            ">= 1.4.0",
            "~> 5.2.4, >= 5.2.4.3",
            "1.8.2-r2",
            "< 2.0.0.beta1",
            "!= 1.3",
        ] {
            assert!(check_gem_requirement(good).is_ok(), "{good}");
        }
        for bad in ["", "^1.2", "later", ">= ", "~> 1.0, "] {
            assert!(check_gem_requirement(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn npm_ranges() {
        let good = [
            "<=1.5.1",
            "*",
            "< 2.0.5",
            "<1.6.5 || >=1.7.0 <1.7.2",
            "8.x || 7.x",
            "1.2 - 2.3.4",
            "",
            ">=v2.0.0-alpha8",
            "^4.8.2 || ^6.10.2  || 8.x",
        ];
        for good in good {
            assert!(check_npm_range(good).is_ok(), "{good}");
        }
        for bad in ["none", ">= 1.0 <", "1.2 -", "!= 1.0", "1.0.0.0.1"] {
            assert!(check_npm_range(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn first_versions() {
        assert_eq!(first_version(">= 1.13.1").as_deref(), Some("1.13.1"));
        assert_eq!(first_version(">= 1.8.4, < 1.9.0").as_deref(), Some("1.8.4"));
        assert_eq!(first_version("~> 1.2.5").as_deref(), Some("1.2.5"));
        assert_eq!(first_version("^8.1.4").as_deref(), Some("8.1.4"));
        assert_eq!(first_version(">=3.1.3 < 4.0.0").as_deref(), Some("3.1.3"));
        assert_eq!(first_version("1.2.0 - 1.4.0").as_deref(), Some("1.2.0"));
        assert_eq!(first_version("> 1.2"), None);
        assert_eq!(first_version("< 0.1.14"), None);
        assert_eq!(first_version(">= 2.2.x"), None);
        assert_eq!(not_affected(" >= 1.2 "), "!>= 1.2");
    }

    #[test]
    fn affected_unless_patched() {
        let patched = [">= 1.13.1".to_string(), "> 2".to_string()];
        let (constraints, fix) = unless_patched(&patched, &["< 0.1".to_string()]);
        assert_eq!(constraints, ["!>= 1.13.1", "!> 2", "!< 0.1"]);
        assert_eq!(fix, FixState::Fixed(vec!["1.13.1".into()]));
        assert_eq!(
            unless_patched(&[], &[]),
            (vec![EVERY_VERSION.to_string()], FixState::NotFixed)
        );
        assert_eq!(
            unless_patched(&["> 2".to_string()], &[]).1,
            FixState::Unknown
        );
    }
}
