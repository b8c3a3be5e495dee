//! Whole evaluations: the default bundle on small images, mapping precedence, whitelists with
//! expiry, whitelisted and blacklisted images, and the result documents.

use jiff::Timestamp;
use plimsoll_model::{Package, PackageType};
use plimsoll_policy::{
    default_bundle, evaluate, result_document, Action, Dockerfile, DockerfileMode, EvaluationInput,
    FeedGroupSync, FeedState, FinalActionReason, PolicyBundle, Severity, VulnerabilityFinding,
};

fn now() -> Timestamp {
    "2024-06-01T00:00:00Z".parse().unwrap()
}

fn package(name: &str, version: &str) -> Package {
    Package {
        name: name.into(),
        version: version.into(),
        package_type: PackageType::Apk,
        found_by: String::new(),
        locations: Vec::new(),
        licenses: Vec::new(),
        language: String::new(),
        cpes: Vec::new(),
        purl: String::new(),
        metadata: Default::default(),
    }
}

/// An Alpine image with fresh feed data, a guessed Dockerfile without HEALTHCHECK, and one
/// vulnerability of the given severity.
fn alpine(severity: Severity) -> EvaluationInput {
    EvaluationInput {
        image_digest: "sha256:d1".into(),
        image_id: "a1b2".into(),
        tag: "docker.io/library/alpine:3.12".into(),
        packages: vec![package("libssl1.1", "1.1.1g-r0")],
        vulnerabilities: vec![VulnerabilityFinding {
            id: "CVE-2021-3711".into(),
            severity,
            package: 0,
            fix_versions: vec!["1.1.1l-r0".into()],
            link: "https://nvd.nist.gov/vuln/detail/CVE-2021-3711".into(),
            ..Default::default()
        }],
        feeds: FeedState {
            distro_namespace: "alpine:3.12".into(),
            distro_data_available: true,
            groups: vec![FeedGroupSync {
                namespace: "alpine:3.12".into(),
                last_sync: Some("2024-05-31T12:00:00Z".parse().unwrap()),
            }],
        },
        dockerfile: Some(Dockerfile::parse(
            DockerfileMode::Guessed,
            "FROM alpine:3.12\nCMD [\"/bin/sh\"]\n",
        )),
        ..Default::default()
    }
}

fn triggers(evaluation: &plimsoll_policy::PolicyEvaluation) -> Vec<(&str, &str, Action)> {
    evaluation
        .rows
        .iter()
        .map(|row| (row.fired.gate, row.fired.trigger, row.action))
        .collect()
}

#[test]
fn default_bundle_stops_on_a_high_vulnerability() {
    let evaluation = evaluate(&default_bundle(), &alpine(Severity::High), now());
    assert_eq!(
        triggers(&evaluation),
        [
            ("dockerfile", "instruction", Action::Warn),
            ("vulnerabilities", "package", Action::Stop),
        ]
    );
    assert_eq!(evaluation.final_action, Action::Stop);
    assert_eq!(
        evaluation.final_action_reason,
        FinalActionReason::PolicyEvaluation
    );
    assert_eq!(evaluation.status(), "fail");
    assert_eq!(
        evaluation.rows[1].fired.trigger_id,
        "CVE-2021-3711+libssl1.1"
    );
    assert_eq!(
        evaluation.rows[1].fired.message,
        "HIGH Vulnerability found in os package type (APKG) - libssl1.1 (fixed in: 1.1.1l-r0)\
         (CVE-2021-3711 - https://nvd.nist.gov/vuln/detail/CVE-2021-3711)"
    );
    assert_eq!(
        evaluation.rows[0].fired.trigger_id,
        "41cb7cdf04850e33a11f80c42bf660b3"
    );
}

#[test]
fn default_bundle_warns_but_passes_with_only_a_low_vulnerability() {
    let evaluation = evaluate(&default_bundle(), &alpine(Severity::Low), now());
    assert_eq!(
        triggers(&evaluation),
        [("dockerfile", "instruction", Action::Warn)]
    );
    assert_eq!(evaluation.final_action, Action::Warn);
    assert_eq!(evaluation.status(), "pass");

    // A medium one adds the medium warning, still a pass.
    let evaluation = evaluate(&default_bundle(), &alpine(Severity::Medium), now());
    assert_eq!(
        triggers(&evaluation),
        [
            ("dockerfile", "instruction", Action::Warn),
            ("vulnerabilities", "package", Action::Warn),
        ]
    );
    assert_eq!(evaluation.status(), "pass");
}

#[test]
fn default_bundle_on_stale_data_exposed_ssh_and_an_unknown_distro() {
    let mut input = alpine(Severity::Low);
    input.feeds.groups[0].last_sync = Some("2024-05-20T00:00:00Z".parse().unwrap());
    input.feeds.distro_data_available = false;
    input.dockerfile = Some(Dockerfile::parse(
        DockerfileMode::Actual,
        "FROM alpine\nEXPOSE 22\nHEALTHCHECK CMD true\n",
    ));
    let evaluation = evaluate(&default_bundle(), &input, now());
    assert_eq!(
        triggers(&evaluation),
        [
            ("dockerfile", "exposed_ports", Action::Stop),
            ("vulnerabilities", "stale_feed_data", Action::Warn),
            (
                "vulnerabilities",
                "vulnerability_data_unavailable",
                Action::Warn
            ),
        ]
    );
    assert_eq!(evaluation.status(), "fail");
}

fn bundle(extra: &str) -> PolicyBundle {
    let text = format!(
        r#"{{"id":"b1","version":"1_0","name":"test",
            "policies":[
              {{"id":"strict","version":"1_0","rules":[
                {{"id":"r-always","gate":"always","trigger":"always","action":"STOP"}}]}},
              {{"id":"lenient","version":"1_0","rules":[
                {{"id":"r-vuln","gate":"vulnerabilities","trigger":"package","action":"WARN",
                  "params":[{{"name":"package_type","value":"all"}}]}}]}}],
            "whitelists":[
              {{"id":"wl-vulns","name":"Accepted vulnerabilities","version":"1_0","items":[
                {{"id":"i-expired","gate":"vulnerabilities","trigger_id":"CVE-2021-3711+*",
                  "expires_on":"2024-05-01T00:00:00Z"}},
                {{"id":"i-later","gate":"VULNERABILITIES","trigger_id":"CVE-2021-*",
                  "expires_on":"2024-07-01T00:00:00Z"}}]}},
              {{"id":"wl-always","name":"Always","version":"1_0","items":[
                {{"id":"i-always","gate":"always","trigger_id":"always"}}]}}],
            "mappings":[
              {{"id":"m-prod","name":"prod","registry":"docker.io","repository":"prod/*",
                "image":{{"type":"tag","value":"*"}},"policy_ids":["strict","lenient"],
                "whitelist_ids":[]}},
              {{"id":"m-rest","name":"rest","registry":"*","repository":"library/*",
                "image":{{"type":"tag","value":"*"}},"policy_id":"lenient",
                "whitelist_ids":["wl-vulns"]}}]
            {extra}}}"#
    );
    let bundle = PolicyBundle::from_json(&text).unwrap();
    assert_eq!(plimsoll_policy::validate(&bundle), []);
    bundle
}

#[test]
fn mappings_pick_the_first_match_and_no_match_means_go() {
    let bundle = bundle("");

    let mut input = alpine(Severity::Critical);
    input.tag = "docker.io/prod/api:1".into();
    let evaluation = evaluate(&bundle, &input, now());
    assert_eq!(
        evaluation
            .matched_mapping
            .as_ref()
            .and_then(|m| m.id.as_deref()),
        Some("m-prod")
    );
    // Both policies run in order; the strictest action wins.
    assert_eq!(
        triggers(&evaluation),
        [
            ("always", "always", Action::Stop),
            ("vulnerabilities", "package", Action::Warn),
        ]
    );
    assert_eq!(
        evaluation
            .rows
            .iter()
            .map(|r| r.policy_id.as_str())
            .collect::<Vec<_>>(),
        ["strict", "lenient"]
    );
    assert_eq!(evaluation.final_action, Action::Stop);

    input.tag = "quay.io/other/api:1".into();
    let evaluation = evaluate(&bundle, &input, now());
    assert!(evaluation.matched_mapping.is_none());
    assert!(evaluation.rows.is_empty());
    assert_eq!(evaluation.final_action, Action::Go);
    assert_eq!(evaluation.status(), "pass");
}

#[test]
fn whitelists_skip_expired_items_and_whitelisted_rows_do_not_count() {
    let bundle = bundle("");
    let input = alpine(Severity::Critical);

    let evaluation = evaluate(&bundle, &input, now());
    assert_eq!(evaluation.rows.len(), 1);
    let whitelisted = evaluation.rows[0].whitelisted.as_ref().unwrap();
    assert_eq!(whitelisted.matched_rule_id, "i-later");
    assert_eq!(whitelisted.whitelist_name, "Accepted vulnerabilities");
    assert_eq!(evaluation.final_action, Action::Go);

    // After both items expire the warning counts again.
    let evaluation = evaluate(&bundle, &input, "2024-08-01T00:00:00Z".parse().unwrap());
    assert!(evaluation.rows[0].whitelisted.is_none());
    assert_eq!(evaluation.final_action, Action::Warn);
}

#[test]
fn blacklisted_images_win_over_whitelisted_images() {
    let selection = |id: &str, repository: &str| {
        format!(
            r#"{{"id":"{id}","name":"{id}","registry":"*","repository":"{repository}",
                 "image":{{"type":"tag","value":"*"}}}}"#
        )
    };
    let extra = format!(
        r#","whitelisted_images":[{}],"blacklisted_images":[{}]"#,
        selection("trusted", "library/*"),
        selection("banned", "library/alpine")
    );
    let bundle = bundle(&extra);

    let evaluation = evaluate(&bundle, &alpine(Severity::Low), now());
    assert_eq!(evaluation.policy_final_action, Action::Go);
    assert_eq!(evaluation.final_action, Action::Stop);
    assert_eq!(
        evaluation.final_action_reason,
        FinalActionReason::Blacklisted
    );

    let mut input = alpine(Severity::Critical);
    input.tag = "docker.io/library/busybox:1".into();
    input.vulnerabilities[0].id = "CVE-2099-1".into();
    let evaluation = evaluate(&bundle, &input, now());
    assert_eq!(evaluation.policy_final_action, Action::Warn);
    assert_eq!(evaluation.final_action, Action::Go);
    assert_eq!(
        evaluation.final_action_reason,
        FinalActionReason::Whitelisted
    );
}

#[test]
fn a_mapping_naming_a_missing_policy_fails_the_evaluation() {
    let mut bundle = bundle("");
    bundle.mappings[1].policy_id = Some("gone".into());
    let evaluation = evaluate(&bundle, &alpine(Severity::Low), now());
    assert_eq!(evaluation.final_action, Action::Stop);
    assert_eq!(
        evaluation.problems,
        ["policy `gone` named by the mapping is not in the bundle"]
    );
}

#[test]
fn the_result_document_has_anchores_shape() {
    let bundle = bundle("");
    let input = alpine(Severity::Critical);
    let evaluation = evaluate(&bundle, &input, now());
    let document = result_document(&evaluation, &bundle, "admin", now());

    assert_eq!(document["user_id"], "admin");
    assert_eq!(document["image_id"], "a1b2");
    assert_eq!(document["image_digest"], "sha256:d1");
    assert_eq!(document["tag"], "docker.io/library/alpine:3.12");
    assert_eq!(document["final_action"], "go");
    assert_eq!(document["final_action_reason"], "policy_evaluation");
    assert_eq!(document["status"], "pass");
    assert_eq!(document["created_at"], now().as_second());
    assert_eq!(document["matched_mapping_rule"]["id"], "m-rest");
    assert_eq!(document["matched_whitelisted_images_rule"], false);
    assert_eq!(document["bundle"]["id"], "b1");
    assert_eq!(
        document["bundle"]["policies"][0]["rules"][0]["action"],
        "STOP"
    );

    let table = &document["result"]["a1b2"]["result"];
    assert_eq!(table["header"][7], "Whitelisted");
    assert_eq!(table["row_count"], 1);
    assert_eq!(table["final_action"], "go");
    let row = &table["rows"][0];
    assert_eq!(row[0], "a1b2");
    assert_eq!(row[1], "docker.io/library/alpine:3.12");
    assert_eq!(row[2], "CVE-2021-3711+libssl1.1");
    assert_eq!(row[3], "vulnerabilities");
    assert_eq!(row[4], "package");
    assert_eq!(row[6], "warn");
    assert_eq!(
        row[7],
        serde_json::json!({"whitelist_name": "Accepted vulnerabilities",
                           "whitelist_id": "wl-vulns", "matched_rule_id": "i-later"})
    );
    assert_eq!(row[8], "lenient");
    assert_eq!(document["result"]["policy_name"], "");

    // A row nobody whitelisted says `false`.
    let later = evaluate(&bundle, &input, "2024-08-01T00:00:00Z".parse().unwrap());
    let document = result_document(&later, &bundle, "admin", now());
    assert_eq!(document["result"]["a1b2"]["result"]["rows"][0][7], false);
    assert_eq!(document["final_action"], "warn");
}
