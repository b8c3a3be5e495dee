//! The vulnerability table: NAME, INSTALLED, FIXED-IN, TYPE, VULNERABILITY, SEVERITY, most
//! severe first.

use plimsoll_model::Package;
use plimsoll_vulndb::Match;

/// Renders matches as an aligned table; `No vulnerabilities found` when there are none.
pub fn render(matches: &[Match], packages: &[Package]) -> String {
    if matches.is_empty() {
        return "No vulnerabilities found\n".to_string();
    }
    let mut rows: Vec<(&Match, [String; 6])> = matches
        .iter()
        .map(|m| {
            let package = &packages[m.package];
            (
                m,
                [
                    package.name.clone(),
                    package.version.clone(),
                    super::fixed_in(&m.fix),
                    package.package_type.as_str().to_string(),
                    m.id.clone(),
                    m.severity.as_str().to_string(),
                ],
            )
        })
        .collect();
    rows.sort_by(|(a, ra), (b, rb)| b.severity.cmp(&a.severity).then_with(|| ra.cmp(rb)));
    let header = [
        "NAME",
        "INSTALLED",
        "FIXED-IN",
        "TYPE",
        "VULNERABILITY",
        "SEVERITY",
    ]
    .map(str::to_string);
    let mut widths = [0usize; 6];
    for cells in rows.iter().map(|(_, r)| r).chain(std::iter::once(&header)) {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String; 6]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(&header);
    for (_, cells) in &rows {
        out.push_str(&line(cells));
    }
    out
}
