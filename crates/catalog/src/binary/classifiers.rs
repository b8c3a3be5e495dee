//! The classifiers, in Syft's order (which decides the order of a merged package's
//! matches), with Syft's file names, version patterns, PURLs and CPEs.
//!
//! Not yet: Syft's other classifiers (Go, Java, Redis, PHP, Perl, Ruby, databases, web
//! servers and more, 58 in all); and, for `python*` programs, Syft's first try of reading
//! the version from the `libpython` the program links to, which needs ELF dynamic-section
//! reading. Programs that embed their version (as the fixtures do) are found without it.

use std::sync::LazyLock;

use regex::bytes::Regex;

use super::classifier::{Classifier, Evidence};

/// How CPython writes its version into the interpreter and `libpython`: `[NUL]3.11.2[NUL]`.
const PYTHON_VERSION_TEMPLATE: &str = r"(?m)\x00(?P<version>{version}[-._a-zA-Z0-9]*)\x00";

const PYTHON_CPES: &[(&str, &str)] = &[
    ("python_software_foundation", "python"),
    ("python", "python"),
];

fn content(pattern: &str) -> Option<Evidence> {
    Regex::new(pattern).ok().map(Evidence::Content)
}

fn name_then_content(name: &str, content_template: &'static str) -> Option<Evidence> {
    Some(Evidence::NameThenContent {
        name: regex::Regex::new(name).ok()?,
        content_template,
    })
}

fn libpython() -> Option<Evidence> {
    name_then_content(
        r"(?:.*/|^)libpython(?P<version>[0-9]+(?:\.[0-9]+)+)[a-z]?\.so.*$",
        PYTHON_VERSION_TEMPLATE,
    )
}

/// Every classifier; empty if a pattern failed to compile, which the tests rule out.
pub(super) static CLASSIFIERS: LazyLock<Vec<Classifier>> =
    LazyLock::new(|| classifiers().unwrap_or_default());

fn classifiers() -> Option<Vec<Classifier>> {
    Some(vec![
        Classifier {
            class: "python-binary",
            file_names: &["python*"],
            evidence: Evidence::FirstOf(vec![name_then_content(
                r"(?:.*/|^)python(?P<version>[0-9]+(?:\.[0-9]+)+)$",
                PYTHON_VERSION_TEMPLATE,
            )?]),
            package: "python",
            purl_namespace: "",
            purl_name: "python",
            cpes: PYTHON_CPES,
        },
        Classifier {
            class: "python-binary-lib",
            file_names: &["libpython*.so*"],
            evidence: libpython()?,
            package: "python",
            purl_namespace: "",
            purl_name: "python",
            cpes: PYTHON_CPES,
        },
        Classifier {
            class: "nodejs-binary",
            file_names: &["node"],
            // Old releases write `[NUL]node v0.10.48[NUL]` or `[NUL]v4.9.1[NUL]`; newer
            // ones `node.js/v22.9.0`.
            evidence: Evidence::FirstOf(vec![
                content(r"(?m)\x00(node )?v(?P<version>(0|4|5|6)\.[0-9]+\.[0-9]+)\x00")?,
                content(r"(?m)node\.js/v(?P<version>[0-9]+\.[0-9]+\.[0-9]+)")?,
            ]),
            package: "node",
            purl_namespace: "",
            purl_name: "node",
            cpes: &[("nodejs", "node.js")],
        },
        Classifier {
            class: "busybox-binary",
            file_names: &["busybox"],
            evidence: content(r"(?m)BusyBox\s+v(?P<version>[0-9]+\.[0-9]+\.[0-9]+)")?,
            package: "busybox",
            purl_namespace: "",
            purl_name: "busybox",
            cpes: &[("busybox", "busybox")],
        },
        Classifier {
            class: "openssl-binary",
            file_names: &["openssl"],
            // `[NUL]OpenSSL 3.1.4` or `[NUL]OpenSSL 1.1.1w`.
            evidence: content(
                r"\x00OpenSSL (?P<version>[0-9]+\.[0-9]+\.[0-9]+([a-z]|-alpha[0-9]|-beta[0-9]|-rc[0-9])?)",
            )?,
            package: "openssl",
            purl_namespace: "",
            purl_name: "openssl",
            cpes: &[("openssl", "openssl")],
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(class: &str, path: &str, content: &[u8]) -> Option<String> {
        let classifier = CLASSIFIERS.iter().find(|c| c.class == class).unwrap();
        assert!(classifier.wants(path), "{class} wants {path}");
        classifier.version(path, content)
    }

    #[test]
    fn versions_from_content() {
        let node = |content: &[u8]| classify("nodejs-binary", "/usr/bin/node", content);
        assert_eq!(node(b"x\x00node v0.10.48\x00y").as_deref(), Some("0.10.48"));
        assert_eq!(node(b"x\x00v4.9.1\x00y").as_deref(), Some("4.9.1"));
        assert_eq!(node(b"...node.js/v19.2.0...").as_deref(), Some("19.2.0"));
        assert_eq!(node(b"\x00v19.2.0\x00"), None);
        assert_eq!(
            classify("busybox-binary", "/bin/busybox", b"BusyBox v1.36.1 (2023)").as_deref(),
            Some("1.36.1")
        );
        assert_eq!(
            classify(
                "openssl-binary",
                "/usr/bin/openssl",
                b"\x00OpenSSL 1.1.1w  11 Sep"
            )
            .as_deref(),
            Some("1.1.1w")
        );
        assert_eq!(
            classify(
                "python-binary-lib",
                "/l/libpython3.7m.so.1.0",
                b"\x003.7.4\x00"
            )
            .as_deref(),
            Some("3.7.4")
        );
        assert_eq!(
            classify("openssl-binary", "/usr/bin/openssl", b"\xff\xfe"),
            None
        );
    }

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(CLASSIFIERS.len(), 5);
    }
}
