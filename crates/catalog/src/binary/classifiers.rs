//! The classifiers, in Syft 1.18.1's order (which decides the order of a merged package's
//! matches), with the file names, version patterns, PURLs and CPEs Syft gives them: these
//! are the facts a compatible scanner has to reproduce.
//!
//! Mach-O and PE programs are not read for the libraries they link to (Syft reads them);
//! ELF programs are.

use std::sync::LazyLock;

use regex::bytes::Regex;

use super::classifier::{Classifier, Evidence};

/// How CPython writes its version into the interpreter and `libpython`: `[NUL]3.11.2[NUL]`.
const PYTHON_VERSION_TEMPLATE: &str = r"(?m)\x00(?P<version>{version}[-._a-zA-Z0-9]*)\x00";

/// A content pattern, matched over raw bytes as Go matches a pattern over a binary's text:
/// `.` and negated classes take any byte, `\d`, `\s` and `\w` are ASCII.
pub(super) fn bytes_pattern(pattern: &str) -> Option<Regex> {
    Regex::new(&format!("(?-u){pattern}")).ok()
}

fn content(pattern: &str) -> Option<Evidence> {
    bytes_pattern(pattern).map(Evidence::Content)
}

fn excluding(evidence: Evidence, patterns: &[&str]) -> Option<Evidence> {
    let patterns = patterns
        .iter()
        .map(|p| bytes_pattern(p))
        .collect::<Option<Vec<_>>>()?;
    Some(Evidence::Excluding(Box::new(evidence), patterns))
}

fn name_then_content(name: &str, content_template: &'static str) -> Option<Evidence> {
    Some(Evidence::NameThenContent {
        name: regex::Regex::new(name).ok()?,
        content_template,
    })
}

/// The version from a library the program needs whose name matches `library`.
fn shared_library(library: &str, evidence: Evidence) -> Option<Evidence> {
    Some(Evidence::SharedLibrary {
        library: regex::Regex::new(library).ok()?,
        evidence: Box::new(evidence),
    })
}

/// Libraries whose content a shared-library lookup reads and that no classifier's own
/// file names cover (`libpython*.so*` is covered by `python-binary-lib`).
pub(super) const LIBRARY_FILE_NAMES: &[&str] = &["libruby.so*"];

fn libpython() -> Option<Evidence> {
    name_then_content(
        r"(?:.*/|^)libpython(?P<version>[0-9]+(?:\.[0-9]+)+)[a-z]?\.so.*$",
        PYTHON_VERSION_TEMPLATE,
    )
}

fn ruby() -> Option<Evidence> {
    content(r"(?m)ruby (?P<version>[0-9]+\.[0-9]+\.[0-9]+((p|preview|rc|dev)[0-9]*)?) ")
}

/// Every classifier; empty if a pattern failed to compile, which the tests rule out.
pub(super) static CLASSIFIERS: LazyLock<Vec<Classifier>> =
    LazyLock::new(|| classifiers().unwrap_or_default());

fn classifiers() -> Option<Vec<Classifier>> {
    Some(vec![
        Classifier {
            class: "python-binary",
            file_names: &["python*"],
            evidence: Evidence::FirstOf(vec![
                shared_library(r"^libpython[0-9]+(?:\.[0-9]+)+[a-z]?\.so.*$", libpython()?)?,
                name_then_content(
                    r#"(?:.*/|^)python(?P<version>[0-9]+(?:\.[0-9]+)+)$"#,
                    PYTHON_VERSION_TEMPLATE,
                )?,
            ]),
            package: "python",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "python",
            cpes: &[
                ("python_software_foundation", "python", "nvd-cpe-dictionary"),
                ("python", "python", "nvd-cpe-dictionary"),
            ],
        },
        Classifier {
            class: "python-binary-lib",
            file_names: &["libpython*.so*"],
            evidence: libpython()?,
            package: "python",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "python",
            cpes: &[
                ("python_software_foundation", "python", "nvd-cpe-dictionary"),
                ("python", "python", "nvd-cpe-dictionary"),
            ],
        },
        Classifier {
            class: "pypy-binary-lib",
            file_names: &["libpypy*.so*"],
            evidence: content(r#"(?m)\[PyPy (?P<version>[0-9]+\.[0-9]+\.[0-9]+)"#)?,
            package: "pypy",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "pypy",
            cpes: &[],
        },
        Classifier {
            class: "go-binary",
            file_names: &["go"],
            evidence: content(
                r#"(?m)go(?P<version>[0-9]+\.[0-9]+(\.[0-9]+|beta[0-9]+|alpha[0-9]+|rc[0-9]+)?)\x00"#,
            )?,
            package: "go",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "go",
            cpes: &[("golang", "go", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "julia-binary",
            file_names: &["libjulia-internal.so"],
            evidence: content(r#"(?m)__init__\x00(?P<version>[0-9]+\.[0-9]+\.[0-9]+)\x00verify"#)?,
            package: "julia",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "julia",
            cpes: &[("julialang", "julia", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "helm",
            file_names: &["helm"],
            evidence: content(r#"(?m)\x00v(?P<version>[0-9]+\.[0-9]+\.[0-9]+)\x00"#)?,
            package: "helm",
            purl_type: "golang",
            purl_namespace: "helm.sh",
            purl_name: "helm",
            cpes: &[("helm", "helm", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "redis-binary",
            file_names: &["redis-server"],
            evidence: Evidence::FirstOf(vec![
                content(r#"(?s)payload %5.*?(?P<version>\d.\d\.\d\d*)[a-z0-9]{12,15}-[0-9]{19}"#)?,
                content(
                    r#"(?s)\x00(?P<version>\d.\d\.\d\d*)[a-z0-9]{12,15}-[0-9]{19}\x00.*?payload %5"#,
                )?,
            ]),
            package: "redis",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "redis",
            cpes: &[
                ("redislabs", "redis", "nvd-cpe-dictionary"),
                ("redis", "redis", "nvd-cpe-dictionary"),
            ],
        },
        Classifier {
            class: "java-binary-openjdk",
            file_names: &["java"],
            evidence: excluding(
                Evidence::FirstOf(vec![
                    content(
                        r#"(?m)\x00openjdk\x00java\x00(?P<release>[0-9]+[.0-9]*)\x00(?P<version>[0-9]+[^\x00]+)\x00"#,
                    )?,
                    content(
                        r#"(?m)\x00(?P<release>[0-9]+[.0-9]*)\x00+(?P<version>[0-9]+[^\x00]+)\x00+openjdk\x00java"#,
                    )?,
                ]),
                &[r#"-jvmci-"#],
            )?,
            package: "java/jre",
            purl_type: "generic",
            purl_namespace: "java",
            purl_name: "jre",
            cpes: &[("oracle", "openjdk", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "java-binary-ibm",
            file_names: &["java"],
            evidence: content(
                r#"(?m)\x00java\x00(?P<release>[0-9]+[.0-9]+)\x00{4}(?P<version>[0-9]+[-._a-zA-Z0-9]+)\x00"#,
            )?,
            package: "java/jre",
            purl_type: "generic",
            purl_namespace: "java",
            purl_name: "jre",
            cpes: &[("ibm", "java", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "java-binary-oracle",
            file_names: &["java"],
            evidence: excluding(
                content(r#"(?m)\x00(?P<version>[0-9]+[.0-9]+[+][-0-9]+)\x00"#)?,
                &[r#"\x00openjdk\x00"#],
            )?,
            package: "java/jre",
            purl_type: "generic",
            purl_namespace: "java",
            purl_name: "jre",
            cpes: &[("oracle", "jre", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "java-binary-graalvm",
            file_names: &["java"],
            evidence: content(
                r#"(?m)\x00(?P<version>[0-9]+[.0-9]+[.0-9]+\+[0-9]+-jvmci-[0-9]+[.0-9]+-b[0-9]+)\x00"#,
            )?,
            package: "java/graalvm",
            purl_type: "generic",
            purl_namespace: "java",
            purl_name: "graalvm",
            cpes: &[("oracle", "graalvm", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "java-binary-jdk",
            file_names: &["jdb"],
            evidence: content(
                r#"(?m)\x00(?P<version>[0-9]+\.[0-9]+\.[0-9]+(\+[0-9]+)?([-._a-zA-Z0-9]+)?)\x00"#,
            )?,
            package: "java/jdk",
            purl_type: "generic",
            purl_namespace: "java",
            purl_name: "jdk",
            cpes: &[("oracle", "jdk", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "nodejs-binary",
            file_names: &["node"],
            evidence: Evidence::FirstOf(vec![
                content(r#"(?m)\x00(node )?v(?P<version>(0|4|5|6)\.[0-9]+\.[0-9]+)\x00"#)?,
                content(r#"(?m)node\.js\/v(?P<version>[0-9]+\.[0-9]+\.[0-9]+)"#)?,
            ]),
            package: "node",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "node",
            cpes: &[("nodejs", "node.js", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "go-binary-hint",
            file_names: &["VERSION"],
            evidence: content(
                r#"(?m)go(?P<version>[0-9]+\.[0-9]+(\.[0-9]+|beta[0-9]+|alpha[0-9]+|rc[0-9]+)?)"#,
            )?,
            package: "go",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "go",
            cpes: &[("golang", "go", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "busybox-binary",
            file_names: &["busybox"],
            evidence: content(r#"(?m)BusyBox\s+v(?P<version>[0-9]+\.[0-9]+\.[0-9]+)"#)?,
            package: "busybox",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "busybox",
            cpes: &[("busybox", "busybox", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "util-linux-binary",
            file_names: &["getopt"],
            evidence: content(r#"\x00util-linux\s(?P<version>[0-9]+\.[0-9]+\.[0-9]+)\x00"#)?,
            package: "util-linux",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "util-linux",
            cpes: &[("kernel", "util-linux", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "haproxy-binary",
            file_names: &["haproxy"],
            evidence: Evidence::FirstOf(vec![
                content(
                    r#"(?m)version (?P<version>[0-9]+\.[0-9]+(\.|-dev|-rc)[0-9]+)(-[a-z0-9]{7})?, released 20"#,
                )?,
                content(r#"(?m)HA-Proxy version (?P<version>[0-9]+\.[0-9]+(\.|-dev)[0-9]+)"#)?,
                content(
                    r#"(?m)(?P<version>[0-9]+\.[0-9]+(\.|-dev)[0-9]+)-[0-9a-zA-Z]{7}.+HAProxy version"#,
                )?,
            ]),
            package: "haproxy",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "haproxy",
            cpes: &[("haproxy", "haproxy", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "perl-binary",
            file_names: &["perl"],
            evidence: content(
                r#"(?m)\/usr\/local\/lib\/perl\d\/(?P<version>[0-9]+\.[0-9]+\.[0-9]+)"#,
            )?,
            package: "perl",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "perl",
            cpes: &[("perl", "perl", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "php-cli-binary",
            file_names: &["php*"],
            evidence: name_then_content(
                r#"(.*/|^)php[0-9]*$"#,
                r#"(?m)X-Powered-By: PHP\/(?P<version>[0-9]+\.[0-9]+\.[0-9]+(beta[0-9]+|alpha[0-9]+|RC[0-9]+)?)"#,
            )?,
            package: "php-cli",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "php-cli",
            cpes: &[("php", "php", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "php-fpm-binary",
            file_names: &["php-fpm*"],
            evidence: content(
                r#"(?m)X-Powered-By: PHP\/(?P<version>[0-9]+\.[0-9]+\.[0-9]+(beta[0-9]+|alpha[0-9]+|RC[0-9]+)?)"#,
            )?,
            package: "php-fpm",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "php-fpm",
            cpes: &[("php", "php", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "php-apache-binary",
            file_names: &["libphp*.so"],
            evidence: content(
                r#"(?m)X-Powered-By: PHP\/(?P<version>[0-9]+\.[0-9]+\.[0-9]+(beta[0-9]+|alpha[0-9]+|RC[0-9]+)?)"#,
            )?,
            package: "libphp",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "php",
            cpes: &[("php", "php", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "php-composer-binary",
            file_names: &["composer*"],
            evidence: content(
                r#"(?m)'pretty_version'\s*=>\s*'(?P<version>[0-9]+\.[0-9]+\.[0-9]+(beta[0-9]+|alpha[0-9]+|RC[0-9]+)?)'"#,
            )?,
            package: "composer",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "composer",
            cpes: &[("getcomposer", "composer", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "httpd-binary",
            file_names: &["httpd"],
            evidence: content(r#"(?m)Apache\/(?P<version>[0-9]+\.[0-9]+\.[0-9]+)"#)?,
            package: "httpd",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "httpd",
            cpes: &[("apache", "http_server", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "memcached-binary",
            file_names: &["memcached"],
            evidence: content(r#"(?m)memcached\s(?P<version>[0-9]+\.[0-9]+\.[0-9]+)"#)?,
            package: "memcached",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "memcached",
            cpes: &[("memcached", "memcached", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "traefik-binary",
            file_names: &["traefik"],
            evidence: content(
                r#"(?m)(\x00|(?:\xEF\xBF\xBD|[\x80-\xFF]))?v?(?P<version>[0-9]+\.[0-9]+\.[0-9]+(-alpha[0-9]|-beta[0-9]|-rc[0-9])?)\x00"#,
            )?,
            package: "traefik",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "traefik",
            cpes: &[("traefik", "traefik", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "arangodb-binary",
            file_names: &["arangosh"],
            evidence: content(
                r#"(?m)\x00*(?P<version>[0-9]+\.[0-9]+\.[0-9]+(-[0-9]+)?)\s\[linux\]"#,
            )?,
            package: "arangodb",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "arangodb",
            cpes: &[("arangodb", "arangodb", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "postgresql-binary",
            file_names: &["postgres"],
            evidence: content(
                r#"(?m)(\x00|\?)PostgreSQL (?P<version>[0-9]+(\.[0-9]+)?(\.[0-9]+)?(alpha[0-9]|beta[0-9]|rc[0-9])?)"#,
            )?,
            package: "postgresql",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "postgresql",
            cpes: &[("postgresql", "postgresql", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "mysql-binary",
            file_names: &["mysql"],
            evidence: Evidence::FirstOf(vec![
                content(
                    r#"\x00(?P<version>[0-9]+(\.[0-9]+)?(\.[0-9]+)?(alpha[0-9]|beta[0-9]|rc[0-9])?)\x00+mysql"#,
                )?,
                content(
                    r#"(?m).*/mysql-(?P<version>[0-9]+(\.[0-9]+)?(\.[0-9]+)?(alpha[0-9]|beta[0-9]|rc[0-9])?)"#,
                )?,
            ]),
            package: "mysql",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "mysql",
            cpes: &[("oracle", "mysql", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "mysql-binary",
            file_names: &["mysql"],
            evidence: content(
                r#"(?m).*/percona-server-(?P<version>[0-9]+(\.[0-9]+)?(\.[0-9]+)?(alpha[0-9]|beta[0-9]|rc[0-9])?)"#,
            )?,
            package: "percona-server",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "percona-server",
            cpes: &[
                ("oracle", "mysql", "nvd-cpe-dictionary"),
                ("percona", "percona_server", "nvd-cpe-dictionary"),
            ],
        },
        Classifier {
            class: "mysql-binary",
            file_names: &["mysql"],
            evidence: content(
                r#"(?m).*/Percona-XtraDB-Cluster-(?P<version>[0-9]+(\.[0-9]+)?(\.[0-9]+)?(alpha[0-9]|beta[0-9]|rc[0-9])?)"#,
            )?,
            package: "percona-xtradb-cluster",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "percona-xtradb-cluster",
            cpes: &[
                ("oracle", "mysql", "nvd-cpe-dictionary"),
                ("percona", "percona_server", "nvd-cpe-dictionary"),
                ("percona", "xtradb_cluster", "nvd-cpe-dictionary"),
            ],
        },
        Classifier {
            class: "xtrabackup-binary",
            file_names: &["xtrabackup"],
            evidence: content(
                r#"(?m).*/percona-xtrabackup-(?P<version>[0-9]+(\.[0-9]+)?(\.[0-9]+)?(alpha[0-9]|beta[0-9]|rc[0-9])?)"#,
            )?,
            package: "percona-xtrabackup",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "percona-xtrabackup",
            cpes: &[("percona", "xtrabackup", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "mariadb-binary",
            file_names: &["mariadb", "mysql"],
            evidence: content(
                r#"(?m)(?P<version>[0-9]+(\.[0-9]+)?(\.[0-9]+)?(alpha[0-9]|beta[0-9]|rc[0-9])?)-MariaDB"#,
            )?,
            package: "mariadb",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "mariadb",
            cpes: &[("mariadb", "mariadb", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "rust-standard-library-linux",
            file_names: &["libstd-????????????????.so"],
            evidence: content(
                r#"(?m)(\x00)clang LLVM \(rustc version (?P<version>[0-9]+(\.[0-9]+)?(\.[0-9]+)) \(\w+ \d{4}\-\d{2}\-\d{2}\)"#,
            )?,
            package: "rust",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "rust",
            cpes: &[("rust-lang", "rust", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "rust-standard-library-macos",
            file_names: &["libstd-????????????????.dylib"],
            evidence: content(
                r#"(?m)c (?P<version>[0-9]+(\.[0-9]+)?(\.[0-9]+)) \(\w+ \d{4}\-\d{2}\-\d{2}\)"#,
            )?,
            package: "rust",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "rust",
            cpes: &[("rust-lang", "rust", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "ruby-binary",
            file_names: &["ruby"],
            evidence: Evidence::FirstOf(vec![
                ruby()?,
                shared_library(r"^libruby\.so.*$", ruby()?)?,
            ]),
            package: "ruby",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "ruby",
            cpes: &[("ruby-lang", "ruby", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "erlang-binary",
            file_names: &["erlexec"],
            evidence: Evidence::FirstOf(vec![
                content(
                    r#"(?m)/src/otp_src_(?P<version>[0-9]+\.[0-9]+(\.[0-9]+){0,2}(-rc[0-9])?)/erts/"#,
                )?,
                content(
                    r#"(?m)/usr/local/src/otp-(?P<version>[0-9]+\.[0-9]+(\.[0-9]+){0,2}(-rc[0-9])?)/erts/"#,
                )?,
            ]),
            package: "erlang",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "erlang",
            cpes: &[("erlang", "erlang\\/otp", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "erlang-alpine-binary",
            file_names: &["beam.smp"],
            evidence: Evidence::FirstOf(vec![
                content(
                    r#"(?m)/src/otp_src_(?P<version>[0-9]+\.[0-9]+(\.[0-9]+){0,2}(-rc[0-9])?)/erts/"#,
                )?,
                content(
                    r#"(?m)/usr/local/src/otp-(?P<version>[0-9]+\.[0-9]+(\.[0-9]+){0,2}(-rc[0-9])?)/erts/"#,
                )?,
            ]),
            package: "erlang",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "erlang",
            cpes: &[("erlang", "erlang\\/otp", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "erlang-library",
            file_names: &["liberts_internal.a"],
            evidence: Evidence::FirstOf(vec![
                content(
                    r#"(?m)/src/otp_src_(?P<version>[0-9]+\.[0-9]+(\.[0-9]+){0,2}(-rc[0-9])?)/erts/"#,
                )?,
                content(
                    r#"(?m)/usr/local/src/otp-(?P<version>[0-9]+\.[0-9]+(\.[0-9]+){0,2}(-rc[0-9])?)/erts/"#,
                )?,
            ]),
            package: "erlang",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "erlang",
            cpes: &[("erlang", "erlang\\/otp", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "swipl-binary",
            file_names: &["swipl"],
            evidence: content(r#"(?m)swipl-(?P<version>[0-9]+\.[0-9]+\.[0-9]+)\/"#)?,
            package: "swipl",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "swipl",
            cpes: &[("erlang", "erlang\\/otp", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "dart-binary",
            file_names: &["dart"],
            evidence: content(
                r#"(?m)\x00(?P<version>[0-9]+\.[0-9]+\.[0-9]+(-[0-9]+(\.[0-9]+)?\.beta)?) "#,
            )?,
            package: "dart",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "dart",
            cpes: &[(
                "dart",
                "dart_software_development_kit",
                "nvd-cpe-dictionary",
            )],
        },
        Classifier {
            class: "haskell-ghc-binary",
            file_names: &["ghc*"],
            evidence: content(r#"(?m)\x00GHC (?P<version>[0-9]+\.[0-9]+\.[0-9]+)\x00"#)?,
            package: "haskell/ghc",
            purl_type: "generic",
            purl_namespace: "haskell",
            purl_name: "ghc",
            cpes: &[("haskell", "ghc", "syft-generated")],
        },
        Classifier {
            class: "haskell-cabal-binary",
            file_names: &["cabal"],
            evidence: content(r#"(?m)\x00Cabal-(?P<version>[0-9]+\.[0-9]+\.[0-9]+(\.[0-9]+)?)-"#)?,
            package: "haskell/cabal",
            purl_type: "generic",
            purl_namespace: "haskell",
            purl_name: "cabal",
            cpes: &[("haskell", "cabal", "syft-generated")],
        },
        Classifier {
            class: "haskell-stack-binary",
            file_names: &["stack"],
            evidence: content(r#"(?m)Version\s*(?P<version>[0-9]+\.[0-9]+\.[0-9]+),\s*Git"#)?,
            package: "haskell/stack",
            purl_type: "generic",
            purl_namespace: "haskell",
            purl_name: "stack",
            cpes: &[("haskell", "stack", "syft-generated")],
        },
        Classifier {
            class: "consul-binary",
            file_names: &["consul"],
            evidence: content(r#"CONSUL_VERSION: (?P<version>\d+\.\d+\.\d+)"#)?,
            package: "consul",
            purl_type: "golang",
            purl_namespace: "github.com/hashicorp",
            purl_name: "consul",
            cpes: &[("hashicorp", "consul", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "nginx-binary",
            file_names: &["nginx"],
            evidence: content(
                r#"(?m)(\x00|\?)nginx version: [^\/]+\/(?P<version>[0-9]+\.[0-9]+\.[0-9]+(?:\+\d+)?(?:-\d+)?)"#,
            )?,
            package: "nginx",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "nginx",
            cpes: &[
                ("f5", "nginx", "nvd-cpe-dictionary"),
                ("nginx", "nginx", "nvd-cpe-dictionary"),
            ],
        },
        Classifier {
            class: "bash-binary",
            file_names: &["bash"],
            evidence: content(
                r#"(?m)@\(#\)Bash version (?P<version>[0-9]+\.[0-9]+\.[0-9]+)\([0-9]\) [a-z0-9]+ GNU"#,
            )?,
            package: "bash",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "bash",
            cpes: &[("gnu", "bash", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "openssl-binary",
            file_names: &["openssl"],
            evidence: content(
                r#"\x00OpenSSL (?P<version>[0-9]+\.[0-9]+\.[0-9]+([a-z]|-alpha[0-9]|-beta[0-9]|-rc[0-9])?)"#,
            )?,
            package: "openssl",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "openssl",
            cpes: &[("openssl", "openssl", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "gcc-binary",
            file_names: &["gcc"],
            evidence: content(r#"GCC: \(GNU\) (?P<version>[0-9]+\.[0-9]+\.[0-9]+)"#)?,
            package: "gcc",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "gcc",
            cpes: &[("gnu", "gcc", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "fluent-bit-binary",
            file_names: &["fluent-bit"],
            evidence: content(r#"\x00(?P<version>[0-9]+\.[0-9]+\.[0-9]+)\x00[^\d]*Fluent"#)?,
            package: "fluent-bit",
            purl_type: "github",
            purl_namespace: "fluent",
            purl_name: "fluent-bit",
            cpes: &[("treasuredata", "fluent_bit", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "wordpress-cli-binary",
            file_names: &["wp"],
            evidence: content(r#"(?m)wp-cli/wp-cli (?P<version>[0-9]+\.[0-9]+\.[0-9]+)"#)?,
            package: "wp-cli",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "wp-cli",
            cpes: &[("wp-cli", "wp-cli", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "curl-binary",
            file_names: &["curl"],
            evidence: content(r#"curl/(?P<version>[0-9]+\.[0-9]+\.[0-9]+)"#)?,
            package: "curl",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "curl",
            cpes: &[("haxx", "curl", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "lighttpd-binary",
            file_names: &["lighttpd"],
            evidence: content(r#"\x00lighttpd/(?P<version>[0-9]+\.[0-9]+\.[0-9]+)\x00"#)?,
            package: "lighttpd",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "lighttpd",
            cpes: &[("lighttpd", "lighttpd", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "proftpd-binary",
            file_names: &["proftpd"],
            evidence: content(
                r#"\x00ProFTPD Version (?P<version>[0-9]+\.[0-9]+\.[0-9]+[a-z]?)\x00"#,
            )?,
            package: "proftpd",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "proftpd",
            cpes: &[("proftpd", "proftpd", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "zstd-binary",
            file_names: &["zstd"],
            evidence: content(r#"\x00v(?P<version>[0-9]+\.[0-9]+\.[0-9]+)\x00"#)?,
            package: "zstd",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "zstd",
            cpes: &[("facebook", "zstandard", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "xz-binary",
            file_names: &["xz"],
            evidence: content(r#"\x00xz \(XZ Utils\) (?P<version>[0-9]+\.[0-9]+\.[0-9]+)\x00"#)?,
            package: "xz",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "xz",
            cpes: &[("tukaani", "xz", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "gzip-binary",
            file_names: &["gzip"],
            evidence: content(r#"\x00(?P<version>[0-9]+\.[0-9]+)\x00"#)?,
            package: "gzip",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "gzip",
            cpes: &[("gnu", "gzip", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "sqlcipher-binary",
            file_names: &["sqlcipher"],
            evidence: content(r#"[^0-9]\x00(?P<version>[0-9]+\.[0-9]+\.[0-9]+)\x00"#)?,
            package: "sqlcipher",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "sqlcipher",
            cpes: &[("zetetic", "sqlcipher", "nvd-cpe-dictionary")],
        },
        Classifier {
            class: "jq-binary",
            file_names: &["jq"],
            evidence: content(r#"\x00(?P<version>[0-9]{1,3}\.[0-9]{1,3}(\.[0-9]+)?)\x00"#)?,
            package: "jq",
            purl_type: "generic",
            purl_namespace: "",
            purl_name: "jq",
            cpes: &[("jqlang", "jq", "nvd-cpe-dictionary")],
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
        assert_eq!(CLASSIFIERS.len(), 58);
    }
}
