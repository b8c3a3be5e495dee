//! `pnpm-lock.yaml`: the direct `dependencies` (name to version, or to a `{specifier,
//! version}` map from lockfile 6 on) and every key of `packages` (`/name/1.0.0` before
//! lockfile 6, `/name@1.0.0(peer@2.0.0)` from it on).
//!
//! pnpm writes a plain subset of YAML: block mappings, quoted or plain keys, inline scalars
//! and small flow mappings. That subset is read here; a document outside it (a top-level
//! line that is not a `key:`, say) is rejected as a YAML parser would reject it.

/// A YAML node, as far as this reader needs to know it.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    /// A scalar that is a string (quoted, or plain and not a number, boolean or null).
    Text(String),
    /// A plain scalar that resolves to a null, number or boolean; its text as written.
    Scalar(String),
    /// A mapping, keys in document order.
    Map(Vec<(String, Node)>),
    /// A sequence or other value that is neither text nor a mapping.
    Other,
}

/// A lock file that is not the YAML subset pnpm writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line} of the pnpm lock file is not a mapping entry")]
pub(crate) struct PnpmLockError {
    line: usize,
}

/// The name and version of every package the lock file lists, each pair once.
pub(crate) fn parse(text: &str) -> Result<Vec<(String, String)>, PnpmLockError> {
    let document = parse_document(text)?;
    let field = |name: &str| {
        document
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, node)| node)
    };
    // A scalar of any kind decodes into Syft's string field as written (`5.4`, `'6.0'`).
    let lock_version = match field("lockfileVersion") {
        Some(Node::Text(text) | Node::Scalar(text)) => text.parse::<f64>().unwrap_or(0.0),
        _ => 0.0,
    };

    let mut packages: Vec<(String, String)> = Vec::new();
    let mut add = |name: String, version: String| {
        if !packages.iter().any(|(n, v)| *n == name && *v == version) {
            packages.push((name, version));
        }
    };
    if let Some(Node::Map(dependencies)) = field("dependencies") {
        for (name, info) in dependencies {
            let version = match info {
                Node::Text(version) => version.clone(),
                Node::Map(entries) => match entries.iter().rev().find(|(k, _)| k == "version") {
                    Some((_, Node::Text(version))) => without_peers(version).to_string(),
                    _ => String::new(),
                },
                Node::Scalar(_) | Node::Other => continue,
            };
            add(name.clone(), version);
        }
    }
    if let Some(Node::Map(entries)) = field("packages") {
        let separator = if lock_version >= 6.0 { '@' } else { '/' };
        for (key, _) in entries {
            let key = strip_peer_suffix(key);
            let key = key.strip_prefix('/').unwrap_or(key);
            let (name, version) = match key.rsplit_once(separator) {
                Some((name, version)) => (name.to_string(), version.to_string()),
                None => (String::new(), key.to_string()),
            };
            add(name, version);
        }
    }
    Ok(packages)
}

/// A dependency version without its peer suffix: `13.4.0(react@18.2.0)` is `13.4.0`.
fn without_peers(version: &str) -> &str {
    version.split('(').next().unwrap_or(version)
}

/// A package key without its leading peer-dependency groups, as Syft's pattern
/// `^/?([^(]*)(?:\(.*\))*$` keeps them: the text before the first `(`, when the rest runs
/// to a closing `)` at the end; otherwise the key unchanged (its leading `/` included).
fn strip_peer_suffix(key: &str) -> &str {
    match key.find('(') {
        Some(open) if key.ends_with(')') => {
            let head = &key[..open];
            // Syft's pattern also drops the leading `/` when it rewrites the key.
            head.strip_prefix('/').unwrap_or(head)
        }
        Some(_) => key,
        None => key.strip_prefix('/').unwrap_or(key),
    }
}

/// One meaningful line: its indentation and its text.
struct Line<'a> {
    number: usize,
    indent: usize,
    text: &'a str,
}

/// Parses the top-level mapping of a document.
fn parse_document(text: &str) -> Result<Vec<(String, Node)>, PnpmLockError> {
    let lines: Vec<Line<'_>> = text
        .lines()
        .enumerate()
        .filter_map(|(number, raw)| {
            let text = raw.trim_start_matches(' ');
            let text = text.trim_end();
            let meaningful = !(text.is_empty() || text.starts_with('#') || text == "---");
            meaningful.then_some(Line {
                number: number + 1,
                indent: raw.len() - raw.trim_start_matches(' ').len(),
                text,
            })
        })
        .collect();
    let Some(first) = lines.first() else {
        return Ok(Vec::new());
    };
    let mut position = 0;
    let document = parse_map(&lines, &mut position, first.indent)?;
    match lines.get(position) {
        Some(line) => Err(PnpmLockError { line: line.number }),
        None => Ok(document),
    }
}

/// Parses the mapping whose keys sit at `indent`, starting at `position`.
fn parse_map(
    lines: &[Line<'_>],
    position: &mut usize,
    indent: usize,
) -> Result<Vec<(String, Node)>, PnpmLockError> {
    let mut entries = Vec::new();
    while let Some(line) = lines.get(*position).filter(|l| l.indent == indent) {
        let error = PnpmLockError { line: line.number };
        if line.text.starts_with('\t') {
            return Err(error);
        }
        let (key, rest) = split_key(line.text).ok_or(error.clone())?;
        *position += 1;
        let rest = rest.trim();
        let node = if !rest.is_empty() {
            // Deeper lines continue the value (a block scalar, a folded plain scalar).
            skip_deeper(lines, position, indent);
            inline_value(rest)
        } else {
            match lines.get(*position) {
                Some(next) if next.indent > indent && !is_sequence_item(next.text) => {
                    let node = Node::Map(parse_map(lines, position, next.indent)?);
                    if lines.get(*position).is_some_and(|l| l.indent > indent) {
                        return Err(PnpmLockError {
                            line: lines[*position].number,
                        });
                    }
                    node
                }
                Some(next)
                    if next.indent > indent
                        || (next.indent == indent && is_sequence_item(next.text)) =>
                {
                    skip_sequence(lines, position, indent);
                    Node::Other
                }
                _ => Node::Scalar(String::new()),
            }
        };
        entries.push((key, node));
    }
    Ok(entries)
}

fn is_sequence_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

fn skip_deeper(lines: &[Line<'_>], position: &mut usize, indent: usize) {
    while lines.get(*position).is_some_and(|l| l.indent > indent) {
        *position += 1;
    }
}

/// Skips a block sequence that is the value of a key at `indent` (its items may sit at the
/// key's own indentation).
fn skip_sequence(lines: &[Line<'_>], position: &mut usize, indent: usize) {
    while let Some(line) = lines.get(*position) {
        if line.indent > indent || (line.indent == indent && is_sequence_item(line.text)) {
            *position += 1;
        } else {
            break;
        }
    }
}

/// Splits `key: value` (the key plain or quoted) into the key and the rest of the line.
fn split_key(text: &str) -> Option<(String, &str)> {
    let (key, after) = match text.chars().next()? {
        quote @ ('\'' | '"') => {
            let (key, length) = quoted(text, quote)?;
            (key, &text[length..])
        }
        _ => {
            let colon = text
                .char_indices()
                .find(|&(i, c)| {
                    c == ':' && matches!(text[i + 1..].chars().next(), None | Some(' '))
                })
                .map(|(i, _)| i)?;
            let key = text[..colon].trim_end();
            if key.is_empty() || key.starts_with(['-', '?', '[', '{']) {
                return None;
            }
            (key.to_string(), &text[colon..])
        }
    };
    let rest = after.strip_prefix(':')?;
    (rest.is_empty() || rest.starts_with(' ')).then_some((key, rest))
}

/// A quoted scalar at the start of `text`: its value and the length it takes.
fn quoted(text: &str, quote: char) -> Option<(String, usize)> {
    let mut value = String::new();
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c == quote => {
                // In single quotes, `''` is a quote.
                if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                    chars.next();
                    value.push('\'');
                    continue;
                }
                return Some((value, i + 1));
            }
            '\\' if quote == '"' => {
                let (_, escaped) = chars.next()?;
                value.push(match escaped {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                });
            }
            c => value.push(c),
        }
    }
    None
}

/// The node an inline value stands for.
fn inline_value(text: &str) -> Node {
    match text.chars().next() {
        Some(quote @ ('\'' | '"')) => match quoted(text, quote) {
            Some((value, _)) => Node::Text(value),
            None => Node::Other,
        },
        Some('{') => Node::Map(flow_map(text)),
        Some('[' | '|' | '>' | '&' | '*' | '!') => Node::Other,
        _ => {
            let plain = match text.find(" #") {
                Some(comment) => text[..comment].trim_end(),
                None => text,
            };
            if is_text(plain) {
                Node::Text(plain.to_string())
            } else {
                Node::Scalar(plain.to_string())
            }
        }
    }
}

/// The top-level entries of a one-line flow mapping, `{a: 1, b: c}`.
fn flow_map(text: &str) -> Vec<(String, Node)> {
    let inner = text.trim().trim_start_matches('{').trim_end_matches('}');
    let mut entries = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    let mut items = Vec::new();
    for (i, c) in inner.char_indices() {
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    for item in items {
        if let Some((key, rest)) = split_key(item.trim()) {
            entries.push((key, inline_value(rest.trim())));
        }
    }
    entries
}

/// Whether a plain scalar resolves to a string rather than a null, boolean or number (the
/// YAML 1.2 core schema, as Go's yaml.v3 resolves it).
fn is_text(plain: &str) -> bool {
    const NOT_TEXT: &[&str] = &[
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", ".nan",
        ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
        "-.INF",
    ];
    !(NOT_TEXT.contains(&plain) || is_integer(plain) || is_float(plain))
}

fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (digits, radix) = match digits.get(..2) {
        Some("0x") => (&digits[2..], 16),
        Some("0o") => (&digits[2..], 8),
        Some("0b") => (&digits[2..], 2),
        _ => (digits, 10),
    };
    !digits.is_empty() && digits.chars().all(|c| c == '_' || c.is_digit(radix))
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float(text: &str) -> bool {
    let text = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => !fraction.is_empty() && all_digits(fraction),
        Some((whole, fraction)) => all_digits(whole) && all_digits(fraction),
        None => !mantissa.is_empty() && all_digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut packages: Vec<(String, String)>) -> Vec<(String, String)> {
        packages.sort();
        packages
    }

    fn pair(name: &str, version: &str) -> (String, String) {
        (name.to_string(), version.to_string())
    }

    #[test]
    fn lockfile_6_splits_keys_at_the_last_at_sign() {
        let text = "lockfileVersion: '6.0'\n\ndependencies:\n  '@testing-library/react':\n    \
            specifier: ^13.4.0\n    version: 13.4.0(react-dom@18.2.0)(react@18.2.0)\n  \
            react:\n    specifier: ^18.2.0\n    version: 18.2.0\n\npackages:\n\n  \
            /@babel/core@7.21.4:\n    resolution: {integrity: sha512-qt/YV==}\n    \
            engines: {node: '>=6.9.0'}\n    dependencies:\n      '@ampproject/remapping': 2.2.1\n    \
            transitivePeerDependencies:\n      - supports-color\n    dev: false\n\n  \
            /react@18.2.0:\n    resolution: {integrity: sha512-x==}\n";
        assert_eq!(
            sorted(parse(text).unwrap()),
            vec![
                pair("@babel/core", "7.21.4"),
                pair("@testing-library/react", "13.4.0"),
                pair("react", "18.2.0"),
            ]
        );
    }

    #[test]
    fn lockfile_5_splits_keys_at_the_last_slash() {
        let text = "lockfileVersion: 5.4\n\nspecifiers:\n  nanoid: ^3.3.4\n\ndependencies:\n  \
            nanoid: 3.3.4\n  float: 1.0\n\npackages:\n\n  /@bcoe/v8-coverage/0.2.3:\n    \
            resolution: {integrity: sha512-0h==}\n    dev: true\n\n  /nanoid/3.3.4:\n    \
            resolution: {integrity: sha512-1==}\n    engines: {node: ^10 || ^12}\n    \
            hasBin: true\n";
        assert_eq!(
            sorted(parse(text).unwrap()),
            vec![pair("@bcoe/v8-coverage", "0.2.3"), pair("nanoid", "3.3.4")]
        );
    }

    #[test]
    fn documents_outside_the_subset_are_rejected() {
        assert!(parse("bogus pnpm-lock.yaml").is_err());
        assert!(parse("lockfileVersion: 5.4\n\nspecifi\nlution: {x: y}\n").is_err());
        assert!(parse("").unwrap().is_empty());
    }

    #[test]
    fn plain_scalars_resolve_as_yaml_does() {
        for text in ["1.0", "2", "-3", ".5", "1e3", "true", "null", "~", "0x1F"] {
            assert!(!is_text(text), "{text}");
        }
        for text in ["3.3.4", "1.0.0-beta", "v1", "yes", "^1.0"] {
            assert!(is_text(text), "{text}");
        }
    }

    #[test]
    fn peer_suffixes_are_stripped() {
        assert_eq!(strip_peer_suffix("/a@1.0.0(b@2)(c@3)"), "a@1.0.0");
        assert_eq!(strip_peer_suffix("/a@1.0.0(b@2"), "/a@1.0.0(b@2");
        assert_eq!(strip_peer_suffix("/a/1.0.0"), "a/1.0.0");
        assert_eq!(without_peers("13.4.0(react@18.2.0)"), "13.4.0");
    }
}
