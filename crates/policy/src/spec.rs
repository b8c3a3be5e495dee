//! The gates, triggers and parameters Plimsoll implements, as data: validation reads it, and
//! [`policy_spec`] renders it as Anchore's `GET /system/policy_spec` document.
//!
//! Names, parameters, required flags and allowed values follow anchore-engine's gates so that
//! its bundles validate here unchanged; the descriptions are Plimsoll's own.

use serde_json::{json, Value};

/// Comparisons shared by the severity and CVSS parameters of `vulnerabilities/package`.
pub const COMPARISONS: &[&str] = &["=", "!=", "<", ">", "<=", ">="];

/// Severity names, lowest first, as policies spell them.
pub const SEVERITIES: &[&str] = &["unknown", "negligible", "low", "medium", "high", "critical"];

/// The Dockerfile instructions `dockerfile/instruction` can check.
pub const DOCKERFILE_INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "COPY",
    "CMD",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "USER",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "VOLUME",
    "WORKDIR",
];

/// The checks of `dockerfile/instruction`.
pub const INSTRUCTION_CHECKS: &[&str] = &[
    "=",
    "!=",
    "exists",
    "not_exists",
    "like",
    "not_like",
    "in",
    "not_in",
];

/// The image facts `metadata/attribute` can check.
pub const METADATA_ATTRIBUTES: &[&str] = &[
    "size",
    "architecture",
    "os_type",
    "distro",
    "distro_version",
    "like_distro",
    "layer_count",
];

/// The checks of `metadata/attribute`.
pub const METADATA_CHECKS: &[&str] = &[
    "=",
    "!=",
    ">",
    "<",
    ">=",
    "<=",
    "exists",
    "not_exists",
    "like",
    "not_like",
    "in",
    "not_in",
];

/// What a parameter value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validator {
    /// Exactly one of these strings.
    Enum(&'static [&'static str]),
    /// `true` or `false`, in any case.
    Boolean,
    /// A non-negative whole number.
    Integer,
    /// A decimal number.
    Float,
    /// Any string.
    Text,
    /// A regular expression.
    Regex,
    /// Comma-separated strings.
    CommaList,
    /// Comma-separated whole numbers.
    CommaNumbers,
    /// The `value` of `metadata/attribute`: a size with an optional unit (`1GB`) for `size`,
    /// a whole number for `layer_count`, any string otherwise.
    MetadataValue,
}

impl Validator {
    /// Anchore's validator type name.
    pub fn type_name(self) -> &'static str {
        match self {
            Validator::Enum(_) => "EnumString",
            Validator::Boolean => "BooleanString",
            Validator::Integer => "IntegerString",
            Validator::Float => "FloatString",
            Validator::Text | Validator::Regex => "type",
            Validator::CommaList => "CommaDelimitedStringList",
            Validator::CommaNumbers => "CommaDelimitedStringOfNumbers",
            Validator::MetadataValue => "LinkedValidator",
        }
    }

    /// A one-line description of the accepted values.
    pub fn description(self) -> String {
        match self {
            Validator::Enum(values) => format!("One of {values:?}"),
            Validator::Boolean => "`true` or `false`, in any case".to_string(),
            Validator::Integer => "a whole number".to_string(),
            Validator::Float => "a decimal number".to_string(),
            Validator::Text => "a string".to_string(),
            Validator::Regex => "a regular expression".to_string(),
            Validator::CommaList => "comma-separated strings".to_string(),
            Validator::CommaNumbers => "comma-separated whole numbers".to_string(),
            Validator::MetadataValue => {
                "a size such as `1GB` for size, a whole number for layer_count, else a string"
                    .to_string()
            }
        }
    }

    /// The JSON-schema-like criteria Anchore publishes for the validator.
    pub fn criteria(self) -> Value {
        match self {
            Validator::Enum(values) => json!({"type": "string", "enum": values}),
            Validator::Boolean => json!({"type": "string", "enum": ["true", "false"]}),
            Validator::Integer => json!({"type": "string", "pattern": r"^\s*[\d]+\s*$"}),
            Validator::Float => json!({"type": "string", "pattern": r"^\s*-?\d*(\.\d*)?\s*$"}),
            Validator::Text | Validator::Regex => json!({"type": "string"}),
            Validator::CommaList => {
                json!({"type": "string", "pattern": r"^\s*[^,]+(\s*,\s*[^,]+)*\s*$"})
            }
            Validator::CommaNumbers => {
                json!({"type": "string", "pattern": r"^\s*\d+(\s*,\s*\d+)*\s*$"})
            }
            Validator::MetadataValue => json!({"anyOf": [
                {"type": "string", "pattern": "^([0-9]+)([kmgt]b)?$"},
                {"type": "string", "pattern": r"^\s*[\d]+\s*$"},
                {"type": "string"},
            ]}),
        }
    }
}

/// One trigger parameter.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub example: &'static str,
    pub required: bool,
    pub validator: Validator,
}

/// One trigger of a gate.
#[derive(Debug, Clone, Copy)]
pub struct TriggerSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub params: &'static [ParamSpec],
}

impl TriggerSpec {
    /// The parameter with this name (case-insensitive, as Anchore reads parameter names).
    pub fn param(&self, name: &str) -> Option<&'static ParamSpec> {
        self.params
            .iter()
            .find(|param| param.name.eq_ignore_ascii_case(name))
    }
}

/// One gate: a family of triggers over one kind of image data.
#[derive(Debug, Clone, Copy)]
pub struct GateSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub triggers: &'static [TriggerSpec],
}

impl GateSpec {
    /// The trigger with this name (case-insensitive).
    pub fn trigger(&self, name: &str) -> Option<&'static TriggerSpec> {
        self.triggers
            .iter()
            .find(|trigger| trigger.name.eq_ignore_ascii_case(name))
    }
}

/// The gate with this name (case-insensitive).
pub fn gate(name: &str) -> Option<&'static GateSpec> {
    GATES
        .iter()
        .find(|gate| gate.name.eq_ignore_ascii_case(name))
}

/// The `GET /system/policy_spec` document: every gate with its triggers and parameters.
pub fn policy_spec() -> Value {
    let gates: Vec<Value> = GATES.iter().map(gate_json).collect();
    Value::Array(gates)
}

fn gate_json(gate: &GateSpec) -> Value {
    let triggers: Vec<Value> = gate.triggers.iter().map(trigger_json).collect();
    json!({
        "name": gate.name,
        "description": gate.description,
        "state": "active",
        "superceded_by": null,
        "triggers": triggers,
    })
}

fn trigger_json(trigger: &TriggerSpec) -> Value {
    let params: Vec<Value> = trigger
        .params
        .iter()
        .map(|param| {
            json!({
                "name": param.name,
                "description": param.description,
                "example": param.example,
                "state": "active",
                "superceded_by": null,
                "required": param.required,
                "validator": {
                    "type": param.validator.type_name(),
                    "description": param.validator.description(),
                    "criteria": param.validator.criteria(),
                },
            })
        })
        .collect();
    json!({
        "name": trigger.name,
        "description": trigger.description,
        "state": "active",
        "superceded_by": null,
        "parameters": params,
    })
}

const fn param(
    name: &'static str,
    description: &'static str,
    example: &'static str,
    required: bool,
    validator: Validator,
) -> ParamSpec {
    ParamSpec {
        name,
        description,
        example,
        required,
        validator,
    }
}

const fn comparison(name: &'static str, what: &'static str) -> ParamSpec {
    param(name, what, ">", false, Validator::Enum(COMPARISONS))
}

const fn score(name: &'static str, what: &'static str) -> ParamSpec {
    param(name, what, "5.0", false, Validator::Float)
}

const VULNERABILITY_PACKAGE_PARAMS: &[ParamSpec] = &[
    param(
        "package_type",
        "Which packages to consider: all, OS packages or language packages.",
        "all",
        true,
        Validator::Enum(&["all", "os", "non-os"]),
    ),
    comparison(
        "severity_comparison",
        "How the finding's severity compares with `severity` (default `>`).",
    ),
    param(
        "severity",
        "The severity the finding's is compared with (default `unknown`).",
        "high",
        false,
        Validator::Enum(SEVERITIES),
    ),
    comparison(
        "cvss_v3_base_score_comparison",
        "How the NVD CVSS v3 base score compares with `cvss_v3_base_score` (default `>=`).",
    ),
    score(
        "cvss_v3_base_score",
        "The NVD CVSS v3 base score to compare with.",
    ),
    comparison(
        "cvss_v3_exploitability_score_comparison",
        "How the NVD CVSS v3 exploitability sub-score compares (default `>=`).",
    ),
    score(
        "cvss_v3_exploitability_score",
        "The NVD CVSS v3 exploitability sub-score to compare with.",
    ),
    comparison(
        "cvss_v3_impact_score_comparison",
        "How the NVD CVSS v3 impact sub-score compares (default `>=`).",
    ),
    score(
        "cvss_v3_impact_score",
        "The NVD CVSS v3 impact sub-score to compare with.",
    ),
    param(
        "fix_available",
        "When given, fire only for findings whose fix availability equals this.",
        "true",
        false,
        Validator::Boolean,
    ),
    param(
        "vendor_only",
        "Skip findings the vendor will not fix (default true).",
        "true",
        false,
        Validator::Boolean,
    ),
    param(
        "max_days_since_creation",
        "Fire only for findings older than this many days.",
        "7",
        false,
        Validator::Integer,
    ),
    param(
        "max_days_since_fix",
        "With fix_available=true, fire only when the fix is older than this many days.",
        "30",
        false,
        Validator::Integer,
    ),
    comparison(
        "vendor_cvss_v3_base_score_comparison",
        "How the vendor's CVSS v3 base score compares (default `>=`).",
    ),
    score(
        "vendor_cvss_v3_base_score",
        "The vendor's CVSS v3 base score to compare with.",
    ),
    comparison(
        "vendor_cvss_v3_exploitability_score_comparison",
        "How the vendor's CVSS v3 exploitability sub-score compares (default `>=`).",
    ),
    score(
        "vendor_cvss_v3_exploitability_score",
        "The vendor's CVSS v3 exploitability sub-score to compare with.",
    ),
    comparison(
        "vendor_cvss_v3_impact_score_comparison",
        "How the vendor's CVSS v3 impact sub-score compares (default `>=`).",
    ),
    score(
        "vendor_cvss_v3_impact_score",
        "The vendor's CVSS v3 impact sub-score to compare with.",
    ),
    param(
        "package_path_exclude",
        "Skip language packages whose path matches this regular expression.",
        r".*test\.jar*",
        false,
        Validator::Regex,
    ),
];

const VULNERABILITIES: &[TriggerSpec] = &[
    TriggerSpec {
        name: "package",
        description: "Fires once per vulnerability finding that meets every given criterion.",
        params: VULNERABILITY_PACKAGE_PARAMS,
    },
    TriggerSpec {
        name: "stale_feed_data",
        description: "Fires when the vulnerability data for the image was last synced longer ago than allowed.",
        params: &[param("max_days_since_sync", "The most days allowed since the last sync.", "10", true, Validator::Integer)],
    },
    TriggerSpec {
        name: "vulnerability_data_unavailable",
        description: "Fires when there is no vulnerability data for the image's distribution, so its OS packages went unchecked.",
        params: &[],
    },
    TriggerSpec {
        name: "blacklist",
        description: "Fires when any of the listed vulnerabilities is found in the image.",
        params: &[
            param("vulnerability_ids", "The vulnerability IDs to look for.", "CVE-2019-1234", true, Validator::CommaList),
            param("vendor_only", "Skip findings the vendor will not fix (default true).", "true", false, Validator::Boolean),
        ],
    },
];

const PACKAGES: &[TriggerSpec] = &[
    TriggerSpec {
        name: "required_package",
        description:
            "Fires when a package is missing, or present at another version than required.",
        params: &[
            param(
                "name",
                "The package that must be installed.",
                "libssl",
                true,
                Validator::Text,
            ),
            param(
                "version",
                "The version it must have.",
                "1.10.3rc3",
                false,
                Validator::Text,
            ),
            param(
                "version_match_type",
                "Whether the version must match exactly or be at least `version` (default exact).",
                "exact",
                false,
                Validator::Enum(&["exact", "minimum"]),
            ),
        ],
    },
    TriggerSpec {
        name: "verify",
        description:
            "Fires for package files that changed or went missing since the package was installed.",
        params: &[
            param(
                "only_packages",
                "Check only these packages.",
                "libssl,openssl",
                false,
                Validator::CommaList,
            ),
            param(
                "only_directories",
                "Check only files under these directories.",
                "/usr,/var/lib",
                false,
                Validator::CommaList,
            ),
            param(
                "check",
                "Report only this kind of difference.",
                "changed",
                false,
                Validator::Enum(&["changed", "missing"]),
            ),
        ],
    },
    TriggerSpec {
        name: "blacklist",
        description: "Fires for each installed package with this name (and version, when given).",
        params: &[
            param(
                "name",
                "The package name to refuse.",
                "openssh-server",
                true,
                Validator::Text,
            ),
            param(
                "version",
                "Refuse only this version.",
                "1.0.1",
                false,
                Validator::Text,
            ),
        ],
    },
];

const LICENSES: &[TriggerSpec] = &[
    TriggerSpec {
        name: "blacklist_exact_match",
        description: "Fires when installed packages declare any of the listed licenses exactly.",
        params: &[param(
            "licenses",
            "The license names to refuse.",
            "GPLv2+,GPL-3+,BSD-2-clause",
            true,
            Validator::CommaList,
        )],
    },
    TriggerSpec {
        name: "blacklist_partial_match",
        description:
            "Fires when installed packages declare a license containing any of the listed strings.",
        params: &[param(
            "licenses",
            "The substrings to refuse.",
            "LGPL,BSD",
            true,
            Validator::CommaList,
        )],
    },
];

const METADATA: &[TriggerSpec] = &[TriggerSpec {
    name: "attribute",
    description: "Fires when an image fact satisfies the check.",
    params: &[
        param(
            "attribute",
            "The image fact to check.",
            "size",
            true,
            Validator::Enum(METADATA_ATTRIBUTES),
        ),
        param(
            "check",
            "The comparison to make.",
            ">",
            true,
            Validator::Enum(METADATA_CHECKS),
        ),
        param(
            "value",
            "The value to compare with; sizes take units such as 1GB.",
            "1073741824",
            false,
            Validator::MetadataValue,
        ),
    ],
}];

const ACTUAL_DOCKERFILE_ONLY: ParamSpec = param(
    "actual_dockerfile_only",
    "Skip the check when the Dockerfile was guessed from the image history (default false).",
    "true",
    false,
    Validator::Boolean,
);

const DOCKERFILE: &[TriggerSpec] = &[
    TriggerSpec {
        name: "instruction",
        description: "Fires for Dockerfile instructions that satisfy the check, or when a required instruction is absent.",
        params: &[
            param("instruction", "The instruction to check.", "FROM", true, Validator::Enum(DOCKERFILE_INSTRUCTIONS)),
            param("check", "The check to make on the instruction's arguments.", "=", true, Validator::Enum(INSTRUCTION_CHECKS)),
            param("value", "The value to check the arguments against.", "scratch", false, Validator::Text),
            ACTUAL_DOCKERFILE_ONLY,
        ],
    },
    TriggerSpec {
        name: "effective_user",
        description: "Fires when the user the image runs as (the last USER, else root) is refused by the list.",
        params: &[
            param("users", "The user names to check.", "root,docker", true, Validator::CommaList),
            param("type", "Whether the list holds the allowed or the refused users.", "blacklist", true, Validator::Enum(&["whitelist", "blacklist"])),
        ],
    },
    TriggerSpec {
        name: "exposed_ports",
        description: "Fires for exposed ports that the list refuses (blacklist) or does not allow (whitelist).",
        params: &[
            param("ports", "The port numbers.", "80,8080,8088", true, Validator::CommaNumbers),
            param("type", "Whether the list holds the allowed or the refused ports.", "blacklist", true, Validator::Enum(&["whitelist", "blacklist"])),
            ACTUAL_DOCKERFILE_ONLY,
        ],
    },
    TriggerSpec {
        name: "no_dockerfile_provided",
        description: "Fires when the image was analysed without its actual Dockerfile.",
        params: &[],
    },
];

const FILES: &[TriggerSpec] = &[
    TriggerSpec {
        name: "content_regex_match",
        description: "Fires for each file whose content matched a content-search expression (only the named one, when given).",
        params: &[param("regex_name", "The name or expression of the content search to report.", ".*password.*", false, Validator::Text)],
    },
    TriggerSpec {
        name: "name_match",
        description: "Fires for each file whose path matches the regular expression.",
        params: &[param("regex", "The expression matched against file paths.", r".*\.pem", true, Validator::Regex)],
    },
    TriggerSpec {
        name: "attribute_match",
        description: "Fires when a file's checksum and mode satisfy the given checks, or when it is missing and skip_missing is false.",
        params: &[
            param("filename", "The file to check.", "/etc/passwd", true, Validator::Text),
            param("checksum_algorithm", "The checksum algorithm.", "sha256", false, Validator::Enum(&["sha256"])),
            param("checksum", "The checksum to compare with.", "832cd0f75b227d13aac82b1f70b7f90191a4186c151f9db50851d209c45ede11", false, Validator::Text),
            param("checksum_match", "How the checksums compare (default equals).", "equals", false, Validator::Enum(&["equals", "not_equals"])),
            param("mode", "The octal mode to compare with.", "00644", false, Validator::Text),
            param("mode_op", "How the modes compare (default equals).", "equals", false, Validator::Enum(&["equals", "not_equals"])),
            param("skip_missing", "Do not fire when the file is absent (default true).", "true", false, Validator::Boolean),
        ],
    },
    TriggerSpec {
        name: "suid_or_guid_set",
        description: "Fires for each file with the setuid or setgid bit.",
        params: &[],
    },
];

const PASSWD_FILE: &[TriggerSpec] = &[
    TriggerSpec {
        name: "content_not_available",
        description: "Fires when the image's /etc/passwd was not captured.",
        params: &[],
    },
    TriggerSpec {
        name: "blacklist_usernames",
        description: "Fires for each listed user name present in /etc/passwd.",
        params: &[param(
            "user_names",
            "The user names to refuse.",
            "daemon,ftp",
            true,
            Validator::CommaList,
        )],
    },
    TriggerSpec {
        name: "blacklist_userids",
        description: "Fires for each listed user ID present in /etc/passwd.",
        params: &[param(
            "user_ids",
            "The numeric user IDs to refuse.",
            "0,1",
            true,
            Validator::CommaNumbers,
        )],
    },
    TriggerSpec {
        name: "blacklist_groupids",
        description: "Fires for each listed group ID present in /etc/passwd.",
        params: &[param(
            "group_ids",
            "The numeric group IDs to refuse.",
            "999,20",
            true,
            Validator::CommaNumbers,
        )],
    },
    TriggerSpec {
        name: "blacklist_shells",
        description: "Fires for each /etc/passwd entry whose login shell is listed.",
        params: &[param(
            "shells",
            "The login shells to refuse.",
            "/bin/bash,/bin/zsh",
            true,
            Validator::CommaList,
        )],
    },
    TriggerSpec {
        name: "blacklist_full_entry",
        description: "Fires when this exact entry is in /etc/passwd.",
        params: &[param(
            "entry",
            "The whole passwd line.",
            "ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin",
            true,
            Validator::Text,
        )],
    },
];

const SECRET_SCANS: &[TriggerSpec] = &[TriggerSpec {
    name: "content_regex_checks",
    description: "Fires for secret-search matches (match_type=found, the default) or when there are none (notfound), filtered by expression name and file path.",
    params: &[
        param("content_regex_name", "Consider only the secret search with this name or expression.", "AWS_ACCESS_KEY", false, Validator::Text),
        param("filename_regex", "Consider only files whose path matches this regular expression.", "/etc/.*", false, Validator::Regex),
        param("match_type", "Fire when matches are found or when none are.", "found", false, Validator::Enum(&["notfound", "found"])),
    ],
}];

const ALWAYS: &[TriggerSpec] = &[TriggerSpec {
    name: "always",
    description: "Fires whenever it is evaluated; useful to block or test a mapping.",
    params: &[],
}];

/// Every gate Plimsoll evaluates.
pub const GATES: &[GateSpec] = &[
    GateSpec {
        name: "always",
        description: "Unconditional triggers, for testing mappings and blocking images outright.",
        triggers: ALWAYS,
    },
    GateSpec {
        name: "dockerfile",
        description:
            "Checks the image's Dockerfile, as supplied or as guessed from the layer history.",
        triggers: DOCKERFILE,
    },
    GateSpec {
        name: "files",
        description: "Checks the image's files: names, attributes and content-search matches.",
        triggers: FILES,
    },
    GateSpec {
        name: "licenses",
        description: "Checks the licenses of installed packages.",
        triggers: LICENSES,
    },
    GateSpec {
        name: "metadata",
        description: "Checks image facts: size, architecture, OS, distribution, layer count.",
        triggers: METADATA,
    },
    GateSpec {
        name: "packages",
        description: "Checks installed packages: required, refused and unmodified.",
        triggers: PACKAGES,
    },
    GateSpec {
        name: "passwd_file",
        description: "Checks the entries of the image's /etc/passwd.",
        triggers: PASSWD_FILE,
    },
    GateSpec {
        name: "secret_scans",
        description: "Checks the results of the secret search over the image's files.",
        triggers: SECRET_SCANS,
    },
    GateSpec {
        name: "vulnerabilities",
        description: "Checks vulnerability findings and the freshness of the vulnerability data.",
        triggers: VULNERABILITIES,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_ignore_case() {
        let gate = gate("Vulnerabilities").unwrap();
        assert_eq!(gate.name, "vulnerabilities");
        let trigger = gate.trigger("PACKAGE").unwrap();
        assert_eq!(trigger.param("Package_Type").unwrap().name, "package_type");
        assert!(gate.trigger("packages").is_none());
    }

    #[test]
    fn policy_spec_lists_gates_triggers_and_parameters() {
        let spec = policy_spec();
        let gates = spec.as_array().unwrap();
        assert_eq!(gates.len(), GATES.len());

        let dockerfile = gates.iter().find(|g| g["name"] == "dockerfile").unwrap();
        let triggers: Vec<&str> = dockerfile["triggers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            triggers,
            [
                "instruction",
                "effective_user",
                "exposed_ports",
                "no_dockerfile_provided"
            ]
        );

        let ports = &dockerfile["triggers"][2]["parameters"][0];
        assert_eq!(ports["name"], "ports");
        assert_eq!(ports["required"], true);
        assert_eq!(ports["validator"]["type"], "CommaDelimitedStringOfNumbers");
        let check = &dockerfile["triggers"][0]["parameters"][1];
        assert_eq!(check["validator"]["criteria"]["enum"][3], "not_exists");
    }

    #[test]
    fn names_are_unique() {
        for (index, gate) in GATES.iter().enumerate() {
            assert!(GATES[..index].iter().all(|other| other.name != gate.name));
            for (t, trigger) in gate.triggers.iter().enumerate() {
                assert!(gate.triggers[..t].iter().all(|o| o.name != trigger.name));
                for (p, param) in trigger.params.iter().enumerate() {
                    assert!(trigger.params[..p].iter().all(|o| o.name != param.name));
                }
            }
        }
    }
}
