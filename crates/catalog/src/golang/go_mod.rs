//! The `go.mod` grammar as far as cataloging needs it (https://go.dev/ref/mod#go-mod-file):
//! directives one per line or grouped in `verb ( … )` blocks, `//` comments, quoted
//! tokens; the `require`, `replace` and `exclude` directives are kept. As with Go's own
//! parser, an unknown directive makes the whole file invalid.

/// A module path and version (`version` is empty where the directive gives none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ModuleVersion {
    pub path: String,
    pub version: String,
}

/// The directives of a `go.mod` file that name modules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct GoMod {
    pub require: Vec<ModuleVersion>,
    /// `(old, new)` pairs.
    pub replace: Vec<(ModuleVersion, ModuleVersion)>,
    pub exclude: Vec<ModuleVersion>,
}

/// Why a `go.mod` file is invalid.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum GoModError {
    #[error("line {0}: unknown directive `{1}`")]
    UnknownDirective(usize, String),
    #[error("line {0}: malformed `{1}` directive")]
    Malformed(usize, String),
    #[error("line {0}: unterminated quoted string")]
    Unterminated(usize),
    #[error("a `(` block is not closed")]
    UnclosedBlock,
}

const DIRECTIVES: &[&str] = &[
    "module",
    "go",
    "toolchain",
    "godebug",
    "require",
    "exclude",
    "replace",
    "retract",
    "tool",
    "ignore",
];

pub(crate) fn parse(text: &str) -> Result<GoMod, GoModError> {
    let mut go_mod = GoMod::default();
    let mut block: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let tokens = tokens(line).ok_or(GoModError::Unterminated(number))?;
        let Some(first) = tokens.first() else {
            continue;
        };
        if let Some(verb) = &block {
            if first == ")" {
                block = None;
                continue;
            }
            let verb = verb.clone();
            directive(&mut go_mod, &verb, &tokens, number)?;
            continue;
        }
        if !DIRECTIVES.contains(&first.as_str()) {
            return Err(GoModError::UnknownDirective(number, first.clone()));
        }
        match &tokens[1..] {
            [open] if open == "(" => block = Some(first.clone()),
            [open, close] if open == "(" && close == ")" => {}
            rest => directive(&mut go_mod, first, rest, number)?,
        }
    }
    if block.is_some() {
        return Err(GoModError::UnclosedBlock);
    }
    Ok(go_mod)
}

fn directive(
    go_mod: &mut GoMod,
    verb: &str,
    arguments: &[String],
    number: usize,
) -> Result<(), GoModError> {
    let malformed = || GoModError::Malformed(number, verb.to_string());
    let module = |path: &String, version: Option<&String>| ModuleVersion {
        path: path.clone(),
        version: version.cloned().unwrap_or_default(),
    };
    match verb {
        "require" | "exclude" => {
            let [path, version] = arguments else {
                return Err(malformed());
            };
            let entry = module(path, Some(version));
            if verb == "require" {
                go_mod.require.push(entry);
            } else {
                go_mod.exclude.push(entry);
            }
        }
        "replace" => {
            let arrow = arguments
                .iter()
                .position(|a| a == "=>")
                .ok_or_else(malformed)?;
            let (old, new) = (&arguments[..arrow], &arguments[arrow + 1..]);
            if old.is_empty() || old.len() > 2 || new.is_empty() || new.len() > 2 {
                return Err(malformed());
            }
            go_mod
                .replace
                .push((module(&old[0], old.get(1)), module(&new[0], new.get(1))));
        }
        _ => {}
    }
    Ok(())
}

/// The tokens of a line: words, quoted strings unquoted, `(`, `)` and `=>` apart; a `//`
/// comment ends the line. `None` for an unterminated quote.
fn tokens(line: &str) -> Option<Vec<String>> {
    let mut tokens = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        if rest.starts_with("//") {
            break;
        }
        let (token, length) = if rest.starts_with('"') {
            quoted(rest)?
        } else if let Some(raw) = rest.strip_prefix('`') {
            let end = raw.find('`')?;
            (raw[..end].to_string(), end + 2)
        } else if rest.starts_with(['(', ')']) {
            (rest[..1].to_string(), 1)
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '"')
                .unwrap_or(rest.len());
            let end = rest[..end].find("//").unwrap_or(end);
            (rest[..end].to_string(), end)
        };
        tokens.push(token);
        rest = rest[length..].trim_start();
    }
    Some(tokens)
}

/// A double-quoted string at the start of `text`, unescaped, and its length.
fn quoted(text: &str) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut escaped = false;
    for (at, c) in text.char_indices().skip(1) {
        match (escaped, c) {
            (true, c) => {
                out.push(c);
                escaped = false;
            }
            (false, '\\') => escaped = true,
            (false, '"') => return Some((out, at + 1)),
            (false, c) => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_comments_and_replacements_parse() {
        let go_mod = parse(
            "module (\n    example.com/x\n)\n\ngo 1.14\n// a v1\nrequire (\n\
             \ta.com/b v1.0.0 // indirect\n\t//c.com/d v9\n\te.com/f/v3 v3.5.1\n)\n\
             require g.com/h v0.1.0\n\
             replace e.com/f/v3 v3.5.1 => e.com/f/v3 v3.5.2\n\
             replace a.com/b => ../local\n\
             exclude g.com/h v0.1.0\n",
        )
        .unwrap();
        let required: Vec<&str> = go_mod.require.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(required, ["a.com/b", "e.com/f/v3", "g.com/h"]);
        assert_eq!(go_mod.replace[0].1.version, "v3.5.2");
        assert_eq!(
            go_mod.replace[1].1,
            ModuleVersion {
                path: "../local".into(),
                version: String::new()
            }
        );
        assert_eq!(go_mod.exclude[0].path, "g.com/h");
    }

    #[test]
    fn unknown_directives_and_broken_blocks_are_errors() {
        assert_eq!(
            parse("module x\nruire (\n\ta v1\n)\n"),
            Err(GoModError::UnknownDirective(2, "ruire".into()))
        );
        assert_eq!(parse("require (\n\ta v1\n"), Err(GoModError::UnclosedBlock));
        assert_eq!(
            parse("require a\n"),
            Err(GoModError::Malformed(1, "require".into()))
        );
        assert_eq!(parse("module \"x\n"), Err(GoModError::Unterminated(1)));
    }
}
