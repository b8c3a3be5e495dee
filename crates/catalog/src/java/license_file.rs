//! Licenses identified from the text of a license file inside an archive (`LICENSE`,
//! `META-INF/LICENSE.txt`, …), used when neither the manifest nor the POM declares one.
//!
//! Not yet: only the Apache License 2.0, by far the most common text in Java archives, is
//! recognised; Syft runs a full license classifier over these files.

use plimsoll_model::{License, Location};

/// The license file names looked for, at the archive's root or under `META-INF/`,
/// compared without regard to case.
const FILE_NAMES: &[&str] = &[
    "AL2.0",
    "COPYING",
    "COPYING.md",
    "COPYING.markdown",
    "COPYING.txt",
    "LGPL2.1",
    "LICENCE",
    "LICENCE.md",
    "LICENCE.markdown",
    "licence.txt",
    "LICENCE.txt",
    "LICENSE",
    "LICENSE.md",
    "LICENSE.markdown",
    "LICENSE.txt",
    "LICENSE-2.0.txt",
    "LICENCE-2.0.txt",
    "LICENSE-APACHE",
    "LICENCE-APACHE",
    "LICENSE-APACHE-2.0.txt",
    "LICENCE-APACHE-2.0.txt",
    "LICENSE-MIT",
    "LICENCE-MIT",
    "LICENSE.MIT",
    "LICENCE.MIT",
    "LICENSE.code",
    "LICENCE.code",
    "LICENSE.docs",
    "LICENCE.docs",
    "LICENSE.rst",
    "LICENCE.rst",
    "MIT-LICENSE",
    "MIT-LICENCE",
    "MIT-LICENSE.md",
    "MIT-LICENCE.md",
    "MIT-LICENSE.markdown",
    "MIT-LICENCE.markdown",
    "MIT-LICENSE.txt",
    "MIT-LICENCE.txt",
    "MIT_LICENSE",
    "MIT_LICENCE",
    "UNLICENSE",
    "UNLICENCE",
];

/// The entries of an archive (from `names`) that may hold license text, in the order they
/// are consulted: for each known file name, the `META-INF/` copy, else the root one.
pub(crate) fn candidates(names: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for file_name in FILE_NAMES {
        let lower = file_name.to_ascii_lowercase();
        let matching = |prefix: &str| -> Vec<String> {
            names
                .iter()
                .filter(|name| {
                    let name = name.trim_start_matches('/').to_ascii_lowercase();
                    name.strip_prefix(prefix).is_some_and(|rest| rest == lower)
                })
                .cloned()
                .collect()
        };
        let mut matches = matching("meta-inf/");
        if matches.is_empty() {
            matches = matching("");
        }
        found.extend(matches);
    }
    found
}

/// The license a file's text is, if recognised.
pub(crate) fn identify(text: &str, location: &Location) -> Option<License> {
    // The license's own title and date line; the NOTICE boilerplate that refers to the
    // license lacks the terms heading.
    let apache = text.contains("Apache License")
        && text.contains("Version 2.0, January 2004")
        && text.contains("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION");
    apache.then(|| License {
        value: "Apache-2.0".to_string(),
        spdx_expression: "Apache-2.0".to_string(),
        license_type: "concluded".to_string(),
        urls: Vec::new(),
        locations: vec![location.clone()],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_inf_copies_come_before_root_ones() {
        let names: Vec<String> = [
            "LICENSE",
            "META-INF/license.txt",
            "META-INF/LICENSE",
            "x/LICENSE",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            candidates(&names),
            ["META-INF/license.txt", "META-INF/LICENSE"]
                .iter()
                .rev()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn only_the_full_apache_text_is_recognised() {
        let location = Location::new("/a.jar", None);
        let text = "Apache License\nVersion 2.0, January 2004\nTERMS AND CONDITIONS FOR USE, \
                    REPRODUCTION, AND DISTRIBUTION\n";
        assert_eq!(identify(text, &location).unwrap().value, "Apache-2.0");
        assert!(identify("Licensed under the Apache License, Version 2.0", &location).is_none());
    }
}
