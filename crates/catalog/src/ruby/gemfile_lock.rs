//! `Gemfile.lock` as Bundler writes it: sections at column 0, and in the sections that
//! list gems (`GEM`, `GIT`, `PATH`, `PLUGIN SOURCE`) each gem as `name (version)` indented
//! by exactly four spaces; deeper lines are that gem's own requirements.

/// The sections whose `specs:` lists name installed gems.
const GEM_SECTIONS: &[&str] = &["GEM", "GIT", "PATH", "PLUGIN SOURCE"];

/// The `(name, version)` pairs of the gems the lock file pins, in file order.
pub(super) fn parse(text: &str) -> Vec<(String, String)> {
    let mut gems = Vec::new();
    let mut section = "";
    for line in text.lines() {
        if line.len() > 1 && !line.starts_with(' ') {
            section = line.trim();
            continue;
        }
        if !GEM_SECTIONS.contains(&section) || !is_gem_line(line) {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        // `name (version)` only: a requirement with a constraint has more fields, and a
        // platform-less bare name fewer.
        if let [name, version] = fields.as_slice() {
            let version = version.trim_matches(|c| c == '(' || c == ')');
            gems.push((name.to_string(), version.to_string()));
        }
    }
    gems
}

/// A gem line is indented by exactly four spaces (a requirement under it by six).
fn is_gem_line(line: &str) -> bool {
    let head = line.as_bytes().get(..5);
    head.is_some_and(|head| head.iter().filter(|&&b| b == b' ').count() == 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gems_of_the_listed_sections_only() {
        let text = "PATH\n  remote: ../x\n  specs:\n    local-gem (1.3.0)\n\n\
                    GEM\n  remote: https://rubygems.example/\n  specs:\n    actionmailer (4.1.1)\n\
                    \x20     actionpack (= 4.1.1)\n    arel (5.0.1.20140414130214)\n\n\
                    PLATFORMS\n    ruby\n\nDEPENDENCIES\n    rails (= 4.1.1)\n";
        assert_eq!(
            parse(text),
            vec![
                ("local-gem".to_string(), "1.3.0".to_string()),
                ("actionmailer".to_string(), "4.1.1".to_string()),
                ("arel".to_string(), "5.0.1.20140414130214".to_string()),
            ]
        );
    }

    #[test]
    fn garbage_gives_nothing() {
        assert!(parse("bogus").is_empty());
        assert!(parse("GEM\n    \u{e9}\u{e9}\n").is_empty());
        assert!(parse("").is_empty());
    }
}
