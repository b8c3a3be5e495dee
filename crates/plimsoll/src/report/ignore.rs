//! Ignore rules for accepted risks, in Grype's shape (YAML or JSON):
//! `ignore: [{vulnerability, fix-state, package: {name, version, type, location}}]`. A rule
//! matches when every field it gives matches; `location` is a glob over location paths.

use std::path::Path;

use anyhow::Context;
use plimsoll_model::Package;
use plimsoll_vulndb::Match;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
struct IgnoreFile {
    #[serde(default)]
    ignore: Vec<Rule>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    vulnerability: Option<String>,
    #[serde(rename = "fix-state")]
    fix_state: Option<String>,
    package: Option<PackageRule>,
    /// Why the risk is accepted; kept for people, not used.
    #[serde(default)]
    #[expect(dead_code, reason = "a note for readers of the file")]
    reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackageRule {
    name: Option<String>,
    version: Option<String>,
    #[serde(rename = "type")]
    package_type: Option<String>,
    location: Option<String>,
}

/// Loaded ignore rules.
#[derive(Debug, Default)]
pub struct IgnoreRules {
    rules: Vec<Rule>,
}

impl IgnoreRules {
    /// Reads an ignore file; malformed files are errors naming the file.
    pub fn load(path: &Path) -> anyhow::Result<IgnoreRules> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("failed to read `{}`", path.display()))?;
        let file: IgnoreFile = serde_yaml_ng::from_str(&text)
            .with_context(|| format!("`{}` is not a valid ignore file", path.display()))?;
        Ok(IgnoreRules { rules: file.ignore })
    }

    /// Whether any rule drops this match.
    pub fn ignores(&self, found: &Match, package: &Package) -> bool {
        self.rules.iter().any(|rule| rule.matches(found, package))
    }
}

impl Rule {
    fn matches(&self, found: &Match, package: &Package) -> bool {
        let id_fits = self
            .vulnerability
            .as_ref()
            .is_none_or(|id| *id == found.id || found.related.contains(id));
        let fix_fits = self
            .fix_state
            .as_ref()
            .is_none_or(|state| state == super::fix_state(&found.fix));
        let package_fits = self.package.as_ref().is_none_or(|rule| {
            rule.name.as_ref().is_none_or(|n| *n == package.name)
                && rule.version.as_ref().is_none_or(|v| *v == package.version)
                && rule
                    .package_type
                    .as_ref()
                    .is_none_or(|t| t == package.package_type.as_str())
                && rule
                    .location
                    .as_ref()
                    .is_none_or(|glob| package.locations.iter().any(|l| glob_match(glob, &l.path)))
        });
        id_fits && fix_fits && package_fits
    }
}

/// Glob matching with `*` (within a path segment), `**` (across segments) and `?`.
fn glob_match(pattern: &str, path: &str) -> bool {
    fn matches(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) if p.get(1) == Some(&b'*') => {
                let rest = &p[2..];
                (0..=s.len()).any(|i| matches(rest, &s[i..]))
            }
            (Some(b'*'), _) => {
                let rest = &p[1..];
                (0..=s.len())
                    .take_while(|&i| i == 0 || s[i - 1] != b'/')
                    .any(|i| matches(rest, &s[i..]))
            }
            (Some(b'?'), Some(c)) if *c != b'/' => matches(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => matches(&p[1..], &s[1..]),
            _ => false,
        }
    }
    matches(pattern.as_bytes(), path.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match(
            "/usr/local/lib/node_modules/**",
            "/usr/local/lib/node_modules/a/package.json"
        ));
        assert!(glob_match("/app/*.json", "/app/package.json"));
        assert!(!glob_match("/app/*.json", "/app/x/package.json"));
        assert!(glob_match("**/status", "/var/lib/dpkg/status"));
    }
}
