//! Reports of vulnerability matches: the table, Grype-shaped JSON, SARIF, CycloneDX with
//! vulnerabilities; the ignore rules that drop accepted findings; and policy evaluations as
//! anchore-cli shows them.

pub mod cyclonedx;
pub mod evaluation;
pub mod grype_json;
pub mod ignore;
pub mod sarif;
pub mod table;

use plimsoll_vulndb::FixState;

/// The fixed-in cell: versions, `(won't fix)`, or empty.
pub fn fixed_in(fix: &FixState) -> String {
    match fix {
        FixState::Fixed(versions) => versions.join(", "),
        FixState::WontFix => "(won't fix)".to_string(),
        FixState::NotFixed | FixState::Unknown => String::new(),
    }
}

/// The fix state's name, as Grype writes it.
pub fn fix_state(fix: &FixState) -> &'static str {
    match fix {
        FixState::Fixed(_) => "fixed",
        FixState::NotFixed => "not-fixed",
        FixState::WontFix => "wont-fix",
        FixState::Unknown => "unknown",
    }
}
