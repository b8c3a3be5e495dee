//! `plimsoll evaluate` end to end: image A's real packages matched against PyPA advisories
//! under Anchore's default bundle (a stop), with its findings whitelisted (a pass), with only
//! warn rules (a pass), and with bundles that are invalid or not JSON (errors).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use common::{assert_error, plimsoll};
use plimsoll_policy::DEFAULT_BUNDLE_JSON;
use serde_json::{json, Value};

fn shared(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(path)
        .display()
        .to_string()
}

fn image_a() -> String {
    format!(
        "oci-archive:{}",
        shared("images/prebuilt/image-a/image-a.oci-archive.tar")
    )
}

/// One store for all tests, imported once from the OSV PyPI subset.
fn store() -> &'static str {
    static STORE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = STORE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        let output = plimsoll(&[
            "db",
            "import",
            "--db",
            path.to_str().unwrap(),
            &shared("vulndata/osv-pypi"),
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        (dir, path)
    });
    path.to_str().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Writes a bundle to a file that lives as long as the returned directory.
fn bundle_file(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.json");
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap().to_string();
    (dir, path)
}

fn evaluate(bundle: &str, extra: &[&str]) -> Output {
    let image = image_a();
    let mut args = vec![
        "evaluate",
        &image,
        "--policy",
        bundle,
        "--db",
        store(),
        "-q",
    ];
    args.extend_from_slice(extra);
    plimsoll(&args)
}

fn default_bundle() -> Value {
    serde_json::from_str(DEFAULT_BUNDLE_JSON).unwrap()
}

/// The text cells of every row of a JSON evaluation (Anchore's row layout: image ID, tag,
/// trigger ID, gate, trigger, message, action, ...).
fn row_cells(output: &Output) -> Vec<Vec<String>> {
    let response: Value = serde_json::from_slice(&output.stdout).unwrap();
    let by_tag = response[0].as_object().unwrap().values().next().unwrap();
    let record = &by_tag.as_object().unwrap().values().next().unwrap()[0];
    let result = &record["detail"]["result"];
    let image_id = result["image_id"].as_str().unwrap();
    result["result"][image_id]["result"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (0..7)
                .map(|i| row[i].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .collect()
}

/// The (gate, trigger, trigger ID, action) of every row of a JSON evaluation.
fn rows(output: &Output) -> Vec<(String, String, String, String)> {
    row_cells(output)
        .into_iter()
        .map(|c| (c[3].clone(), c[4].clone(), c[2].clone(), c[6].clone()))
        .collect()
}

#[test]
fn the_default_bundle_stops_image_a_on_high_python_vulnerabilities() {
    let (_dir, bundle) = bundle_file(DEFAULT_BUNDLE_JSON);
    let output = evaluate(&bundle, &["--detail", "--tag", "example.org/image-a:1"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));

    let text = stdout(&output);
    assert!(text.contains("Full Tag: example.org/image-a:1\n"), "{text}");
    assert!(text.contains("Status: fail\n"), "{text}");
    assert!(text.contains("Final Action: stop\n"), "{text}");
    assert!(
        text.contains("Final Action Reason: policy_evaluation\n"),
        "{text}"
    );
    assert!(
        text.contains("Policy ID: 2c53a13c-1765-11e8-82ef-23527761d060\n"),
        "{text}"
    );
    assert!(text.lines().any(|l| l.starts_with("Image Digest: sha256:")));

    let lines: Vec<&str> = text.lines().collect();
    let stop_high = lines.iter().any(|line| {
        line.starts_with("vulnerabilities")
            && line.contains("package")
            && line.contains("HIGH Vulnerability found in non-os package type (python)")
            && (line.contains("idna") || line.contains("urllib3"))
            && line.ends_with("stop")
    });
    assert!(stop_high, "{text}");
    let healthcheck = lines.iter().any(|line| {
        line.starts_with("dockerfile")
            && line.contains("instruction")
            && line.contains("HEALTHCHECK")
            && line.ends_with("warn")
    });
    assert!(healthcheck, "{text}");
}

#[test]
fn whitelisting_the_stopping_findings_passes_the_image() {
    let (_dir, plain) = bundle_file(DEFAULT_BUNDLE_JSON);
    let output = evaluate(&plain, &["-o", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let stops: Vec<Value> = rows(&output)
        .into_iter()
        .filter(|(_, _, _, action)| action == "stop")
        .enumerate()
        .map(|(n, (gate, _, trigger_id, _))| {
            json!({"id": format!("item-{n}"), "gate": gate, "trigger_id": trigger_id})
        })
        .collect();
    assert!(!stops.is_empty());

    let mut bundle = default_bundle();
    bundle["whitelists"][0]["name"] = json!("Accepted");
    bundle["whitelists"][0]["items"] = Value::Array(stops);
    let (_dir, whitelisted) = bundle_file(&bundle.to_string());
    let output = evaluate(&whitelisted, &["--detail"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let text = stdout(&output);
    assert!(text.contains("Status: pass\n"), "{text}");
    assert!(text.contains("Final Action: warn\n"), "{text}");
    assert!(
        text.lines()
            .any(|line| line.starts_with("vulnerabilities")
                && line.ends_with("whitelisted(Accepted)")),
        "{text}"
    );
    assert!(!text.lines().any(|line| line.ends_with(" stop")), "{text}");
}

#[test]
fn a_policy_of_warn_rules_only_passes() {
    let text = DEFAULT_BUNDLE_JSON.replace("\"STOP\"", "\"WARN\"");
    let (_dir, bundle) = bundle_file(&text);
    let output = evaluate(&bundle, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Status: pass\n"), "{text}");
    assert!(text.contains("Final Action: warn\n"), "{text}");
    // Without --detail there is no table.
    assert!(!text.contains("Gate"), "{text}");
}

#[test]
fn an_invalid_bundle_is_refused_with_every_problem_named() {
    let mut bundle = default_bundle();
    let rules = bundle["policies"][0]["rules"].as_array_mut().unwrap();
    rules[0]["gate"] = json!("no_such_gate");
    rules[1]["params"] = json!([{"name": "check", "value": "not_exists"}]);
    let (_dir, path) = bundle_file(&bundle.to_string());

    let output = evaluate(&path, &[]);
    let error = assert_error(&output, "rule `ce7b8000-829b-4c27-8122-69cd59018400`");
    assert!(error.contains("unknown gate `no_such_gate`"), "{error}");
    assert!(
        error.contains("rule `312d9e41-1c05-4e2f-ad89-b7d34b0855bb`"),
        "{error}"
    );
    assert!(error.contains("`instruction`"), "{error}");
    assert!(stdout(&output).is_empty());
}

#[test]
fn a_bundle_that_is_not_json_is_an_error() {
    let (_dir, path) = bundle_file("mappings: [this is yaml]\n");
    let output = evaluate(&path, &[]);
    assert_error(&output, "is not a valid bundle document");
    assert!(stdout(&output).is_empty());
}

/// A bundle of one policy holding `rules` (each `[gate, trigger, action, params]`), mapped
/// to every image.
fn rules_bundle(rules: &[(&str, &str, &str, Value)]) -> String {
    let rules: Vec<Value> = rules
        .iter()
        .enumerate()
        .map(|(n, (gate, trigger, action, params))| {
            let params: Vec<Value> = params
                .as_object()
                .unwrap()
                .iter()
                .map(|(name, value)| json!({"name": name, "value": value}))
                .collect();
            json!({"id": format!("r{n}"), "gate": gate, "trigger": trigger,
                   "action": action, "params": params})
        })
        .collect();
    json!({
        "id": "content", "name": "Content", "version": "1_0",
        "policies": [{"id": "p1", "version": "1_0", "name": "p1", "rules": rules}],
        "whitelists": [],
        "mappings": [{"id": "m1", "name": "all", "registry": "*", "repository": "*",
                      "image": {"type": "tag", "value": "*"}, "policy_ids": ["p1"],
                      "whitelist_ids": []}],
    })
    .to_string()
}

/// The (gate, trigger, message, action) of every row of a JSON evaluation.
fn messages(output: &Output) -> Vec<(String, String, String, String)> {
    row_cells(output)
        .into_iter()
        .map(|c| (c[3].clone(), c[4].clone(), c[5].clone(), c[6].clone()))
        .collect()
}

#[test]
fn content_gates_read_image_a_s_files_and_password_file() {
    let bundle = rules_bundle(&[
        (
            "passwd_file",
            "blacklist_usernames",
            "WARN",
            json!({"user_names": "root,nosuchuser"}),
        ),
        ("files", "suid_or_guid_set", "WARN", json!({})),
        (
            "files",
            "name_match",
            "WARN",
            json!({"regex": "/etc/debian_version"}),
        ),
        (
            "files",
            "attribute_match",
            "STOP",
            json!({"filename": "/etc/debian_version", "checksum_algorithm": "sha256",
                   "checksum": "0000", "checksum_match": "equals"}),
        ),
        (
            "files",
            "attribute_match",
            "WARN",
            json!({"filename": "/etc/debian_version", "checksum_algorithm": "sha256",
                   "checksum": "0000", "checksum_match": "not_equals"}),
        ),
        (
            "files",
            "attribute_match",
            "WARN",
            json!({"filename": "/etc/debian_version", "mode": "00644"}),
        ),
    ]);
    let (_dir, path) = bundle_file(&bundle);
    let output = evaluate(&path, &["-o", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rows = messages(&output);
    let fired = |gate: &str, trigger: &str, needle: &str| {
        rows.iter()
            .any(|(g, t, message, _)| g == gate && t == trigger && message.contains(needle))
    };
    assert!(
        fired(
            "passwd_file",
            "blacklist_usernames",
            "Blacklisted user 'root' found in image's /etc/passwd: pentry=root:x:0:0:root:/root:/bin/bash"
        ),
        "{rows:#?}"
    );
    assert!(!fired("passwd_file", "blacklist_usernames", "nosuchuser"));
    assert!(
        fired(
            "files",
            "suid_or_guid_set",
            "SUID or SGID found set on file /usr/bin/su. Mode: 0o104755"
        ),
        "{rows:#?}"
    );
    assert!(!fired("files", "suid_or_guid_set", "/etc/debian_version"));
    assert!(fired("files", "name_match", "file=/etc/debian_version"));
    // The checksum rules compare the file's real digest: "0000" is not it.
    assert!(
        !rows.iter().any(|(_, _, _, action)| action == "stop"),
        "{rows:#?}"
    );
    let digest = rows
        .iter()
        .find_map(|(_, _, message, _)| {
            message
                .strip_prefix("filename=/etc/debian_version and checksum=")?
                .strip_suffix(" op=not_equals specified_checksum=0000")
        })
        .unwrap_or_else(|| panic!("no checksum row: {rows:#?}"));
    assert!(
        digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()),
        "{digest}"
    );
    assert!(
        fired(
            "files",
            "attribute_match",
            "filename=/etc/debian_version and mode=0o644 op=equals specified_mode=0o644"
        ),
        "{rows:#?}"
    );
}

#[test]
fn secret_and_content_searches_find_planted_lines_in_a_directory() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("root/.aws")).unwrap();
    std::fs::write(
        root.path().join("root/.aws/credentials"),
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n",
    )
    .unwrap();
    std::fs::write(root.path().join("README"), "no secrets here\n").unwrap();
    std::fs::write(root.path().join("app.ini"), "mode=1\nlegacy_mode = on\n").unwrap();
    std::fs::write(root.path().join("deploy.sh"), "export T=tok_abcdefgh\n").unwrap();
    // Files over Anchore's 10,000-byte search limit are not searched.
    let mut large = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n".to_string();
    large.push_str(&"#".repeat(10_000));
    std::fs::write(root.path().join("large.txt"), large).unwrap();
    let source = format!("dir:{}", root.path().display());
    let bundle = rules_bundle(&[
        (
            "secret_scans",
            "content_regex_checks",
            "STOP",
            json!({"content_regex_name": "AWS_ACCESS_KEY"}),
        ),
        (
            "secret_scans",
            "content_regex_checks",
            "WARN",
            json!({"content_regex_name": "PRIV_KEY", "match_type": "notfound"}),
        ),
        (
            "secret_scans",
            "content_regex_checks",
            "WARN",
            json!({"content_regex_name": "TOKEN"}),
        ),
        (
            "files",
            "content_regex_match",
            "WARN",
            json!({"regex_name": "LEGACY"}),
        ),
    ]);
    let (_dir, path) = bundle_file(&bundle);
    let evaluate = |extra: &[&str]| {
        let mut args = vec![
            "evaluate",
            &source,
            "--policy",
            &path,
            "--db",
            store(),
            "-q",
            "-o",
            "json",
        ];
        args.extend_from_slice(extra);
        plimsoll(&args)
    };
    let output = evaluate(&[
        "--secret-search",
        "TOKEN=.*tok_[a-z]{8}",
        "--content-search",
        "LEGACY=legacy_mode",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let mut rows: Vec<String> = messages(&output)
        .into_iter()
        .map(|(gate, _, message, action)| format!("{gate} {action}: {message}"))
        .collect();
    rows.sort();
    assert_eq!(
        rows,
        [
            "files warn: File content analyzer found regexp match in container: file=/app.ini regexp=LEGACY=legacy_mode",
            "secret_scans stop: Secret content search analyzer found regexp match in container: file=/root/.aws/credentials regexp=AWS_ACCESS_KEY=(?i).*aws_access_key_id( *=+ *).*(?<![A-Z0-9])[A-Z0-9]{20}(?![A-Z0-9]).*",
            "secret_scans warn: Secret content search analyzer did not find regexp match in container: filename_regex=* content_regex_name=PRIV_KEY",
            "secret_scans warn: Secret content search analyzer found regexp match in container: file=/deploy.sh regexp=TOKEN=.*tok_[a-z]{8}",
        ]
    );

    // Without the extra patterns only the defaults are searched.
    let output = evaluate(&[]);
    assert_eq!(messages(&output).len(), 2, "{}", stderr(&output));

    let output = evaluate(&["--content-search", "BAD=(?<!x)y"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("(?<!x)y"), "{}", stderr(&output));
}

#[test]
fn max_days_since_creation_counts_from_the_advisory_s_publication() {
    let rule = |days: &str| {
        rules_bundle(&[(
            "vulnerabilities",
            "package",
            "STOP",
            json!({"package_type": "all", "severity_comparison": ">=", "severity": "unknown",
                   "max_days_since_creation": days}),
        )])
    };
    // Image A's PyPA advisories were published years ago: older than a day...
    let (_dir, old) = bundle_file(&rule("1"));
    let output = evaluate(&old, &["-o", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let rows = messages(&output);
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|(_, _, message, _)| message.contains("max_days_since_creation=")),
        "{rows:#?}"
    );
    // ...but none is older than a century.
    let (_dir, ancient) = bundle_file(&rule("36500"));
    let output = evaluate(&ancient, &["-o", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(messages(&output).is_empty());
}

#[test]
fn max_days_since_fix_counts_from_the_debian_advisory_that_announced_the_fix() {
    // A bullseye xorg-server one release short of DSA-5380-1's fix (29 Mar 2023).
    let dir = tempfile::tempdir().unwrap();
    let sbom = dir.path().join("bullseye.syft.json");
    let document = json!({
        "artifacts": [{
            "id": "xorg", "name": "xorg-server", "version": "2:1.20.11-1+deb11u5",
            "type": "deb", "foundBy": "dpkg-db-cataloger",
            "locations": [{"path": "/var/lib/dpkg/status"}], "licenses": [],
            "language": "", "cpes": [],
            "purl": "pkg:deb/debian/xorg-server@2:1.20.11-1%2Bdeb11u5?arch=amd64&distro=debian-11"
        }],
        "artifactRelationships": [],
        "source": {"id": "x", "name": "bullseye", "version": "", "type": "directory",
                   "metadata": {"path": "/"}},
        "distro": {"id": "debian", "versionID": "11", "name": "Debian GNU/Linux"},
        "descriptor": {"name": "syft", "version": "1.18.1"},
        "schema": {"version": "16.0.18",
                   "url": "https://raw.githubusercontent.com/anchore/syft/main/schema/json/schema-16.0.18.json"}
    });
    std::fs::write(&sbom, document.to_string()).unwrap();
    let db = dir.path().join("dsa.db");
    let output = plimsoll(&[
        "db",
        "import",
        "--db",
        db.to_str().unwrap(),
        &shared("vulndata/debian-security-tracker/DSA/list"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));

    let evaluate_with = |days: &str| {
        let bundle = rules_bundle(&[(
            "vulnerabilities",
            "package",
            "STOP",
            json!({"package_type": "os", "severity_comparison": ">=", "severity": "unknown",
                   "fix_available": "true", "max_days_since_fix": days}),
        )]);
        let (_bundle_dir, path) = bundle_file(&bundle);
        let output = plimsoll(&[
            "evaluate",
            &format!("sbom:{}", sbom.display()),
            "--policy",
            &path,
            "--db",
            db.to_str().unwrap(),
            "-q",
            "-o",
            "json",
        ]);
        (output.status.code(), messages(&output))
    };
    // The fix is years old: a rule allowing 30 days for fixing fires, with the fix's date.
    let (code, rows) = evaluate_with("30");
    assert_eq!(code, Some(1), "{rows:#?}");
    assert!(
        rows.iter()
            .any(|(_, _, message, _)| message.contains("CVE-2023-1393")
                && message.contains("max_days_since_fix=2023-03-29")),
        "{rows:#?}"
    );
    // Allowing ten thousand days holds it back.
    let (code, rows) = evaluate_with("10000");
    assert_eq!(code, Some(0), "{rows:#?}");
    assert!(rows.is_empty(), "{rows:#?}");
}
