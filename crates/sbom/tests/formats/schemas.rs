//! Every CycloneDX JSON and SPDX JSON document Plimsoll writes is valid against the official
//! schemas (copies and provenance in `tests/schemas/`).

use jsonschema::{Draft, Registry, Validator};
use serde_json::{json, Value};

use super::support::{golden, tests_dir, GOLDENS};

fn schema(name: &str) -> Value {
    let path = tests_dir(&format!("schemas/{name}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The CycloneDX 1.6 validator, its two referenced schemas registered under the URIs its
/// relative `$ref`s resolve to, so nothing is fetched.
fn with_cyclonedx<T>(check: impl FnOnce(&Validator) -> T) -> T {
    let registry = Registry::new()
        .add(
            "http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json",
            schema("spdx.SNAPSHOT.schema.json"),
        )
        .unwrap()
        .add(
            "http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json",
            schema("jsf-0.82.SNAPSHOT.schema.json"),
        )
        .unwrap()
        .prepare()
        .unwrap();
    let validator = jsonschema::options()
        .with_draft(Draft::Draft7)
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&schema("bom-1.6.SNAPSHOT.schema.json"))
        .expect("the CycloneDX schema compiles");
    check(&validator)
}

fn with_spdx<T>(check: impl FnOnce(&Validator) -> T) -> T {
    let validator = jsonschema::options()
        .with_draft(Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema("spdx-2.3.schema.json"))
        .expect("the SPDX schema compiles");
    check(&validator)
}

/// The schema errors of a document, at most five, as `path: message`.
fn errors(validator: &Validator, document: &Value) -> Vec<String> {
    validator
        .iter_errors(document)
        .take(5)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

#[test]
fn cyclonedx_json_documents_are_valid() {
    with_cyclonedx(|validator| {
        for case in GOLDENS {
            let text = plimsoll_sbom::encode_cyclonedx_json(&golden(case), "0.1.0");
            let document: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(errors(validator, &document), Vec::<String>::new(), "{case}");
            // The schema copy accepts any `$schema` and a missing `version`; the published one
            // does not.
            assert_eq!(
                document["$schema"],
                "http://cyclonedx.org/schema/bom-1.6.schema.json"
            );
            assert_eq!(document["version"], 1);
        }
    });
}

#[test]
fn spdx_json_documents_are_valid() {
    with_spdx(|validator| {
        for case in GOLDENS {
            let text = plimsoll_sbom::encode_spdx_json(&golden(case), "0.1.0");
            let document: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(errors(validator, &document), Vec::<String>::new(), "{case}");
        }
    });
}

#[test]
fn the_validators_accept_syft_and_reject_broken_documents() {
    let fixture = |name: &str| -> Value {
        let path = tests_dir(&format!("fixtures/syft-1.18.1/{name}"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    with_cyclonedx(|validator| {
        let mut document = fixture("apk-alpine-distro.cyclonedx.json");
        assert!(errors(validator, &document).is_empty());
        // An SPDX identifier that is not on the list is refused through the referenced
        // `spdx.SNAPSHOT.schema.json`, which proves the reference resolves.
        document["components"][0]["licenses"] = json!([{"license": {"id": "Not-A-License"}}]);
        assert!(!errors(validator, &document).is_empty());
        document["components"][0]["licenses"] = json!([]);
        document["components"][0]["type"] = json!("gadget");
        assert!(!errors(validator, &document).is_empty());
    });
    with_spdx(|validator| {
        let mut document = fixture("apk-alpine-distro.spdx.json");
        assert!(errors(validator, &document).is_empty());
        document["packages"][0]["externalRefs"][0]["referenceCategory"] = json!("NOT-A-CATEGORY");
        assert!(!errors(validator, &document).is_empty());
    });
}
