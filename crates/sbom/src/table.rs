//! Syft's table: NAME, VERSION, TYPE, one row per distinct package, duplicates counted.

use plimsoll_model::Package;

/// Renders packages as Syft's `syft-table` format. Rows are sorted by name, version and
/// type; identical rows collapse into one with `(+N duplicates)` in an unnamed fourth
/// column. Every cell is padded to its column's width and followed by two spaces (the
/// header's last cell by one), as Syft writes it.
pub fn render(packages: &[Package]) -> String {
    if packages.is_empty() {
        return "No packages discovered\n".to_string();
    }
    let mut rows: Vec<[String; 3]> = packages
        .iter()
        .map(|p| {
            [
                p.name.clone(),
                p.version.clone(),
                p.package_type.as_str().to_string(),
            ]
        })
        .collect();
    rows.sort();
    let mut counted: Vec<([String; 3], usize)> = Vec::new();
    for row in rows {
        match counted.last_mut() {
            Some((last, count)) if *last == row => *count += 1,
            _ => counted.push((row, 1)),
        }
    }
    let lines: Vec<[String; 4]> = counted
        .into_iter()
        .map(|([name, version, kind], count)| {
            let note = match count {
                1 => String::new(),
                2 => "(+1 duplicate)".to_string(),
                n => format!("(+{} duplicates)", n - 1),
            };
            [name, version, kind, note]
        })
        .collect();
    let header = ["NAME", "VERSION", "TYPE", ""].map(str::to_string);
    let mut widths = [0usize; 4];
    for line in lines.iter().chain(std::iter::once(&header)) {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let format_line = |cells: &[String; 4], tail: &str| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        format!("{}{tail}\n", padded.join("  "))
    };
    let mut out = format_line(&header, " ");
    for line in &lines {
        out.push_str(&format_line(line, "  "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_model::{PackageMetadata, PackageType};

    fn package(name: &str, version: &str) -> Package {
        Package {
            name: name.into(),
            version: version.into(),
            package_type: PackageType::Deb,
            found_by: String::new(),
            locations: vec![],
            licenses: vec![],
            language: String::new(),
            cpes: vec![],
            purl: String::new(),
            metadata: PackageMetadata::None,
        }
    }

    #[test]
    fn matches_syft_byte_for_byte() {
        let table = render(&[package("apt", "1.8.2")]);
        assert_eq!(table, "NAME  VERSION  TYPE   \napt   1.8.2    deb     \n");
    }

    #[test]
    fn duplicates_collapse_with_a_count() {
        let table = render(&[
            package("b", "2"),
            package("a", "1"),
            package("a", "1"),
            package("a", "1"),
        ]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[1].trim_end(), "a     1        deb   (+2 duplicates)");
        assert_eq!(lines[2].trim_end(), "b     2        deb");
    }

    #[test]
    fn empty() {
        assert_eq!(render(&[]), "No packages discovered\n");
    }
}
