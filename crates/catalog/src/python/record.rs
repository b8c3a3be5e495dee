//! The file lists of an installed Python distribution: a wheel's `RECORD` (PEP 376, CSV
//! rows of path, `algorithm=digest` and size) and an egg's `installed-files.txt` (one path
//! per line, relative to the metadata directory).

use plimsoll_model::metadata::{FileDigest, PythonFileRecord};

use crate::paths::{clean, parent};

/// Reads a `RECORD` file. Rows that are not well-formed CSV, or whose field count differs
/// from the first row's or from three, are skipped, as Syft skips them.
pub(crate) fn parse_record(text: &str) -> Vec<PythonFileRecord> {
    let mut records = Vec::new();
    let mut expected_fields = None;
    for row in CsvRows::new(text) {
        let fields = match row {
            Ok(fields) => fields,
            Err(fields) => {
                expected_fields.get_or_insert(fields.len());
                continue;
            }
        };
        if *expected_fields.get_or_insert(fields.len()) != fields.len() || fields.len() != 3 {
            continue;
        }
        let [path, digest, size]: [String; 3] = match fields.try_into() {
            Ok(fields) => fields,
            Err(_) => continue,
        };
        let digest = match digest.split_once('=') {
            Some((algorithm, value)) if !digest.is_empty() => Some(FileDigest {
                algorithm: algorithm.to_string(),
                value: value.to_string(),
            }),
            _ => None,
        };
        records.push(PythonFileRecord { path, digest, size });
    }
    records
}

/// Reads an `installed-files.txt` beside the metadata file at `metadata_path`, turning each
/// path into one relative to `site_packages` (the paths are written relative to the metadata
/// directory). A last line with no newline is not read, as Syft does not read it.
pub(crate) fn parse_installed_files(
    text: &str,
    metadata_path: &str,
    site_packages: &str,
) -> Vec<PythonFileRecord> {
    let directory = parent(metadata_path);
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.last().is_some_and(|line| !line.ends_with('\n')) {
        lines.pop();
    }
    lines
        .into_iter()
        .map(|line| {
            // Syft joins the line with its newline and strips the newline afterwards.
            let path = if metadata_path.is_empty() || site_packages.is_empty() {
                line.to_string()
            } else {
                relative(site_packages, &clean(&format!("{directory}/{line}")))
            };
            PythonFileRecord {
                path: path.replace('\n', ""),
                digest: None,
                size: String::new(),
            }
        })
        .collect()
}

/// The path of absolute `target` relative to absolute `base`, both clean.
fn relative(base: &str, target: &str) -> String {
    let base: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    let target: Vec<&str> = target.split('/').filter(|p| !p.is_empty()).collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; base.len() - common];
    parts.extend(&target[common..]);
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// Rows of comma-separated values with the rules of Go's `encoding/csv` reader (which Syft
/// uses): `""` escapes a quote inside a quoted field, quoted fields may span lines, blank
/// lines are skipped, and a stray quote makes the row an error (`Err` holds the fields read
/// before it).
struct CsvRows<'a> {
    lines: std::iter::Peekable<std::str::SplitInclusive<'a, char>>,
}

impl<'a> CsvRows<'a> {
    fn new(text: &'a str) -> Self {
        CsvRows {
            lines: text.split_inclusive('\n').peekable(),
        }
    }

    /// The next line with its end normalised to a single `\n`.
    fn next_line(&mut self) -> Option<String> {
        let line = self.lines.next()?;
        let body = line
            .strip_suffix('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .unwrap_or_else(|| line.strip_suffix('\r').unwrap_or(line));
        Some(format!("{body}\n"))
    }
}

impl Iterator for CsvRows<'_> {
    type Item = Result<Vec<String>, Vec<String>>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut rest = loop {
            let line = self.next_line()?;
            if line != "\n" {
                break line;
            }
        };
        let mut fields = Vec::new();
        loop {
            let Some(quoted) = rest.strip_prefix('"') else {
                let end = rest.find(',');
                let field = &rest[..end.unwrap_or(rest.len() - 1)];
                if field.contains('"') {
                    return Some(Err(fields));
                }
                fields.push(field.to_string());
                match end {
                    Some(i) => rest = rest[i + 1..].to_string(),
                    None => return Some(Ok(fields)),
                }
                continue;
            };
            // A quoted field, possibly continued on the following lines.
            let mut field = String::new();
            let mut quoted = quoted.to_string();
            rest = loop {
                let Some(i) = quoted.find('"') else {
                    field.push_str(&quoted);
                    match self.next_line() {
                        Some(next) => quoted = next,
                        // The input ends inside the quotes.
                        None => return Some(Err(fields)),
                    }
                    continue;
                };
                field.push_str(&quoted[..i]);
                let after = &quoted[i + 1..];
                if let Some(tail) = after.strip_prefix('"') {
                    field.push('"');
                    quoted = tail.to_string();
                } else if let Some(tail) = after.strip_prefix(',') {
                    break tail.to_string();
                } else if after == "\n" || after.is_empty() {
                    fields.push(field);
                    return Some(Ok(fields));
                } else {
                    return Some(Err(fields));
                }
            };
            fields.push(field);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_rows_become_file_records() {
        let text = "pygments/util.py,sha256=586x,10778\r\n\
            \"with,comma.py\",,\n\
            Pygments-2.6.1.dist-info/RECORD,,\n\
            <<<<<<< HEAD\n\
            bad\"quote,sha256=x,1\n\
            four,fields,in,row\n\
            nodigest.py,md5,3\n";
        let records = parse_record(text);
        let paths: Vec<&str> = records.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "pygments/util.py",
                "with,comma.py",
                "Pygments-2.6.1.dist-info/RECORD",
                "nodigest.py"
            ]
        );
        assert_eq!(records[0].digest.as_ref().unwrap().value, "586x");
        assert_eq!(records[0].size, "10778");
        assert_eq!(records[1].digest, None);
        assert_eq!(records[3].digest, None);
    }

    #[test]
    fn quoted_fields_span_lines_and_escape_quotes() {
        let rows: Vec<_> = CsvRows::new("\"a\nb\",\"say \"\"hi\"\"\",c\n\"open").collect();
        assert_eq!(
            rows,
            vec![
                Ok(vec![
                    "a\nb".to_string(),
                    "say \"hi\"".to_string(),
                    "c".into()
                ]),
                Err(vec![])
            ]
        );
    }

    #[test]
    fn installed_files_are_made_relative_to_site_packages() {
        let text = "../__pycache__/dicttoxml.cpython-36.pyc\n../dicttoxml.py\nPKG-INFO\nlast";
        let records = parse_installed_files(
            text,
            "/usr/lib/python3/site-packages/dicttoxml.egg-info/PKG-INFO",
            "/usr/lib/python3/site-packages",
        );
        let paths: Vec<&str> = records.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "__pycache__/dicttoxml.cpython-36.pyc",
                "dicttoxml.py",
                "dicttoxml.egg-info/PKG-INFO"
            ]
        );
    }

    #[test]
    fn paths_relate() {
        assert_eq!(relative("/a/b", "/a/c"), "../c");
        assert_eq!(relative("/a", "/a"), ".");
    }
}
