//! Parsing dpkg's status database: RFC 822-style paragraphs, one per package
//! (deb-control(5), dpkg-query(1) for the `Status` field).

use plimsoll_model::metadata::{DpkgDbEntry, DpkgFileRecord, FileDigest};

/// One paragraph of a status file, with the fields a cataloger needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StatusEntry {
    pub entry: DpkgDbEntry,
    /// The third word of `Status` (`installed`, `config-files`, …); `None` when the field is
    /// absent, as in distroless `status.d` files.
    pub state: Option<String>,
}

impl StatusEntry {
    /// Whether dpkg considers the package installed. Entries without a `Status` field come
    /// from `status.d` directories, which only list installed packages.
    pub fn is_installed(&self) -> bool {
        self.state
            .as_deref()
            .is_none_or(|state| state == "installed")
    }
}

/// Parses every paragraph that names a package.
pub(crate) fn parse(text: &str) -> Vec<StatusEntry> {
    let mut entries = Vec::new();
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        if line.trim().is_empty() {
            if !fields.is_empty() {
                if let Some(entry) = paragraph(&fields) {
                    entries.push(entry);
                }
                fields.clear();
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push('\n');
                value.push_str(line.trim());
            }
        } else if let Some((key, value)) = line.split_once(':') {
            fields.push((key.trim().to_string(), value.trim().to_string()));
        }
    }
    entries
}

fn paragraph(fields: &[(String, String)]) -> Option<StatusEntry> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let package = get("Package");
    if package.is_empty() {
        return None;
    }
    // `Source: name (version)` when the source version differs from the binary's.
    let (source, source_version) = match get("Source").split_once('(') {
        Some((name, version)) => (
            name.trim().to_string(),
            version.trim_end_matches(')').trim().to_string(),
        ),
        None => (get("Source").to_string(), String::new()),
    };
    let state = fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Status"))
        .map(|(_, v)| v.split_whitespace().nth(2).unwrap_or("").to_string());
    let installed_size = get("Installed-Size").parse::<u64>().unwrap_or(0);

    let files = get("Conffiles")
        .lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let path = parts.next()?;
            let digest = parts.next().map(|value| FileDigest {
                algorithm: "md5".into(),
                value: value.into(),
            });
            Some(DpkgFileRecord {
                path: path.to_string(),
                digest,
                is_config_file: true,
            })
        })
        .collect();

    let entry = DpkgDbEntry {
        package: package.to_string(),
        source,
        version: get("Version").to_string(),
        source_version,
        architecture: get("Architecture").to_string(),
        maintainer: get("Maintainer").to_string(),
        installed_size,
        provides: split_list(get("Provides")),
        depends: split_list(get("Depends")),
        pre_depends: split_list(get("Pre-Depends")),
        files,
    };
    Some(StatusEntry { entry, state })
}

/// Splits a comma-separated relationship field.
fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parses an `md5sums` file: `DIGEST  relative/path` per line.
pub(crate) fn parse_md5sums(text: &str) -> Vec<DpkgFileRecord> {
    text.lines()
        .filter_map(|line| {
            let (digest, path) = line.split_once(char::is_whitespace)?;
            let path = path.trim();
            if path.is_empty() {
                return None;
            }
            Some(DpkgFileRecord {
                path: format!("/{}", path.trim_start_matches('/')),
                digest: Some(FileDigest {
                    algorithm: "md5".into(),
                    value: digest.to_string(),
                }),
                is_config_file: false,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "\
Package: e2fsprogs
Status: deinstall ok config-files
Version: 1.47.0-2+b2
Conffiles:
 /etc/mke2fs.conf 0123 obsolete

Package: libc6
Status: install ok installed
Source: glibc (2.36-9+deb12u4)
Version: 2.36-9+deb12u7
Architecture: amd64
Installed-Size: 12345
Depends: libgcc-s1,
 libcrypt1 (>= 1:4.4.10-10~)
Description: GNU C Library
 continued line

Package: base-files
Version: 12.4
";

    #[test]
    fn paragraphs_fields_and_states() {
        let entries = parse(STATUS);
        assert_eq!(entries.len(), 3);
        assert!(!entries[0].is_installed());
        assert_eq!(entries[0].entry.files[0].path, "/etc/mke2fs.conf");
        assert!(entries[0].entry.files[0].is_config_file);

        let libc = &entries[1];
        assert!(libc.is_installed());
        assert_eq!(libc.entry.source, "glibc");
        assert_eq!(libc.entry.source_version, "2.36-9+deb12u4");
        assert_eq!(libc.entry.installed_size, 12345);
        assert_eq!(
            libc.entry.depends,
            vec!["libgcc-s1", "libcrypt1 (>= 1:4.4.10-10~)"]
        );

        assert!(
            entries[2].is_installed(),
            "status.d entries carry no Status field"
        );
    }

    #[test]
    fn md5sums_paths_become_absolute() {
        let files = parse_md5sums("d41d8cd98f00b204e9800998ecf8427e  usr/bin/x\n\ngarbage\n");
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "/usr/bin/x");
    }

    #[test]
    fn garbage_yields_nothing() {
        assert!(parse("\u{0}\u{1}binary junk\n:::\n").is_empty());
    }
}
