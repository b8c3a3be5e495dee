//! License names from Debian copyright files (machine-readable DEP-5 `License:` fields and
//! references to `/usr/share/common-licenses/`).

/// The license names a copyright file states, deduplicated and sorted.
pub(crate) fn licenses(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(value) = line.strip_prefix("License:") {
            let value = value.trim();
            if !value.is_empty() && !value.contains(char::is_whitespace) {
                found.push(clean(value));
            }
        }
        let mut rest = line;
        while let Some(at) = rest.find("/usr/share/common-licenses/") {
            rest = &rest[at + "/usr/share/common-licenses/".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '+'))
                .collect();
            let name = clean(&name);
            if !name.is_empty() {
                found.push(name);
            }
        }
    }
    found.retain(|name| !name.is_empty());
    found.sort();
    found.dedup();
    found
}

fn clean(value: &str) -> String {
    value
        .trim_end_matches(['.', ',', ';', '\'', '"', ')'])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_references() {
        let text = "License: public-domain\nFiles: *\nLicense: GPL-2+\n can be found in the file `/usr/share/common-licenses/GPL-2'.\nLicense: GPL-2+ or Artistic\n";
        assert_eq!(licenses(text), vec!["GPL-2", "GPL-2+", "public-domain"]);
    }
}
