//! The module text of Go build information, as `runtime/debug.BuildInfo.String` writes it:
//! tab-separated `path`, `mod`, `dep`, `=>` (replaces the module on the line above) and
//! `build key=value` lines, keys and values Go-quoted where they hold spaces or quotes.

use plimsoll_model::metadata::KeyValue;

/// A module as the build information records it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Module {
    pub path: String,
    pub version: String,
    pub sum: String,
    pub replace: Option<Box<Module>>,
}

impl Module {
    fn is_empty(&self) -> bool {
        self.path.is_empty()
            && self.version.is_empty()
            && self.sum.is_empty()
            && self.replace.is_none()
    }

    /// The module that was built: the replacement if there is one.
    pub fn effective(&self) -> &Module {
        self.replace.as_deref().unwrap_or(self)
    }
}

/// The parsed module text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ModuleInfo {
    /// The main package's import path.
    pub path: String,
    /// The main module; `None` when the binary was not built in module mode.
    pub main: Option<Module>,
    pub deps: Vec<Module>,
    pub settings: Vec<KeyValue>,
}

/// Why module text could not be read; Go rejects the same lines, and so the binary.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum ModuleInfoError {
    #[error("line {0} of the Go module information has the wrong number of columns")]
    Columns(usize),
    #[error("line {0} of the Go module information replaces no module")]
    OrphanReplacement(usize),
    #[error("line {0} of the Go module information has a malformed build setting")]
    Setting(usize),
}

/// Which record the last `=>` line may replace.
enum Last {
    None,
    Main,
    Dep(usize),
}

pub(crate) fn parse(text: &str) -> Result<ModuleInfo, ModuleInfoError> {
    let mut info = ModuleInfo::default();
    let mut last = Last::None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if let Some(path) = line.strip_prefix("path\t") {
            info.path = path.to_string();
        } else if let Some(rest) = line.strip_prefix("mod\t") {
            info.main = Some(module_line(rest).ok_or(ModuleInfoError::Columns(number))?);
            last = Last::Main;
        } else if let Some(rest) = line.strip_prefix("dep\t") {
            info.deps
                .push(module_line(rest).ok_or(ModuleInfoError::Columns(number))?);
            last = Last::Dep(info.deps.len() - 1);
        } else if let Some(rest) = line.strip_prefix("=>\t") {
            let columns: Vec<&str> = rest.split('\t').collect();
            let [path, version, sum] = columns[..] else {
                return Err(ModuleInfoError::Columns(number));
            };
            let replacement = Box::new(Module {
                path: path.to_string(),
                version: version.to_string(),
                sum: sum.to_string(),
                replace: None,
            });
            let target = match last {
                Last::Main => info.main.as_mut(),
                Last::Dep(position) => info.deps.get_mut(position),
                Last::None => None,
            };
            target
                .ok_or(ModuleInfoError::OrphanReplacement(number))?
                .replace = Some(replacement);
            last = Last::None;
        } else if let Some(rest) = line.strip_prefix("build\t") {
            info.settings
                .push(setting(rest).ok_or(ModuleInfoError::Setting(number))?);
        }
    }
    Ok(info)
}

impl ModuleInfo {
    /// The main module, or `None` when the text names none that is usable.
    pub fn main_module(&self) -> Option<&Module> {
        self.main.as_ref().filter(|m| !m.is_empty())
    }
}

/// `path version [sum]`.
fn module_line(rest: &str) -> Option<Module> {
    let columns: Vec<&str> = rest.split('\t').collect();
    if columns.len() != 2 && columns.len() != 3 {
        return None;
    }
    Some(Module {
        path: columns[0].to_string(),
        version: columns[1].to_string(),
        sum: columns.get(2).unwrap_or(&"").to_string(),
        replace: None,
    })
}

/// `key=value`, either side possibly a quoted Go string.
fn setting(text: &str) -> Option<KeyValue> {
    let (key, raw_value) = if text.starts_with(['"', '`']) {
        let (key, length) = unquote_prefix(text)?;
        (key, text[length..].strip_prefix('=')?)
    } else {
        let (key, value) = text.split_once('=')?;
        (key.to_string(), value)
    };
    if key.is_empty() {
        return None;
    }
    let value = if raw_value.starts_with(['"', '`']) {
        let (value, length) = unquote_prefix(raw_value)?;
        (length == raw_value.len()).then_some(value)?
    } else {
        raw_value.to_string()
    };
    Some(KeyValue { key, value })
}

/// The Go string literal at the start of `text` and its length in bytes.
fn unquote_prefix(text: &str) -> Option<(String, usize)> {
    if let Some(rest) = text.strip_prefix('`') {
        let end = rest.find('`')?;
        return Some((rest[..end].to_string(), end + 2));
    }
    let mut chars = text.char_indices().skip(1);
    let mut out = String::new();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return Some((out, at + 1)),
            '\\' => {
                let (_, escape) = chars.next()?;
                let mut hex = |digits: usize| -> Option<u32> {
                    let mut value = 0;
                    for _ in 0..digits {
                        value = value * 16 + chars.next()?.1.to_digit(16)?;
                    }
                    Some(value)
                };
                let decoded = match escape {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'a' => '\x07',
                    'b' => '\x08',
                    'f' => '\x0c',
                    'v' => '\x0b',
                    '\\' | '"' | '\'' => escape,
                    'x' => char::from_u32(hex(2)?)?,
                    'u' => char::from_u32(hex(4)?)?,
                    'U' => char::from_u32(hex(8)?)?,
                    _ => return None,
                };
                out.push(decoded);
            }
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "path\texample.com/app\n\
        mod\texample.com/app\t(devel)\t\n\
        dep\tgithub.com/a/b\tv1.0.0\th1:aaa=\n\
        dep\tgolang.org/x/net\tv0.7.0\th1:bbb=\n\
        =>\tgithub.com/fork/net\tv0.8.0\th1:ccc=\n\
        build\t-compiler=gc\n\
        build\t-ldflags=\"-X main.version=1.2.3\"\n\
        build\tCGO_ENABLED=0\n";

    #[test]
    fn modules_replacements_and_settings_parse() {
        let info = parse(TEXT).unwrap();
        assert_eq!(info.path, "example.com/app");
        let main = info.main_module().unwrap();
        assert_eq!(
            (main.path.as_str(), main.version.as_str()),
            ("example.com/app", "(devel)")
        );
        assert_eq!(info.deps.len(), 2);
        assert_eq!(info.deps[0].sum, "h1:aaa=");
        let replaced = info.deps[1].effective();
        assert_eq!(
            (replaced.path.as_str(), replaced.sum.as_str()),
            ("github.com/fork/net", "h1:ccc=")
        );
        let values: Vec<(&str, &str)> = info
            .settings
            .iter()
            .map(|kv| (kv.key.as_str(), kv.value.as_str()))
            .collect();
        assert_eq!(
            values,
            [
                ("-compiler", "gc"),
                ("-ldflags", "-X main.version=1.2.3"),
                ("CGO_ENABLED", "0")
            ]
        );
    }

    #[test]
    fn gopath_builds_have_a_path_and_no_main_module() {
        let info =
            parse("path\tgithub.com/restic/restic/cmd/restic\nbuild\tGOARCH=amd64\n").unwrap();
        assert_eq!(info.path, "github.com/restic/restic/cmd/restic");
        assert!(info.main_module().is_none());
    }

    #[test]
    fn malformed_lines_are_rejected() {
        assert_eq!(
            parse("dep\tonly-a-path\n"),
            Err(ModuleInfoError::Columns(1))
        );
        assert_eq!(
            parse("=>\ta\tb\tc\n"),
            Err(ModuleInfoError::OrphanReplacement(1))
        );
        assert_eq!(parse("build\t=x\n"), Err(ModuleInfoError::Setting(1)));
        assert_eq!(
            parse("build\t\"unterminated\n"),
            Err(ModuleInfoError::Setting(1))
        );
    }

    #[test]
    fn go_quoting_unescapes() {
        assert_eq!(
            unquote_prefix("\"a\\tb\\x41\"=rest"),
            Some(("a\tbA".to_string(), 10))
        );
        assert_eq!(unquote_prefix("`raw`"), Some(("raw".to_string(), 5)));
        assert_eq!(unquote_prefix("\"bad\\q\""), None);
    }
}
