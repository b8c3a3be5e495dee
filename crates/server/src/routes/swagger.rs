//! `/swagger.json`: a Swagger 2.0 description of the routes this server really serves.
//! anchore-cli reads `info.version` to choose its request forms; a test walks [`ROUTES`]
//! against the router so the document and the routes cannot drift apart.

use axum::Json;
use serde_json::{json, Map, Value};

/// Every documented route: path (under `/v1`), methods, and a one-line summary.
pub const ROUTES: &[(&str, &[&str], &str)] = &[
    ("/", &["get"], "Ping: answers \"v1\" without authentication"),
    ("/health", &["get"], "Liveness"),
    (
        "/ready",
        &["get"],
        "Readiness: the database answers and its schema is current",
    ),
    (
        "/metrics",
        &["get"],
        "Prometheus metrics: requests, queue depth, analysis durations, feed sync state",
    ),
    (
        "/version",
        &["get"],
        "Service, API and database schema versions",
    ),
    ("/swagger.json", &["get"], "This document"),
    ("/system", &["get"], "Service states"),
    ("/system/services", &["get"], "Services"),
    (
        "/system/feeds",
        &["get", "post"],
        "Vulnerability feeds; POST syncs them now",
    ),
    ("/imports/images", &["get", "post"], "Import operations"),
    (
        "/imports/images/{operation_id}",
        &["get", "delete"],
        "One import operation",
    ),
    (
        "/imports/images/{operation_id}/{content_type}",
        &["get", "post"],
        "Import contents: packages, manifest, parent_manifest, image_config, dockerfile",
    ),
    (
        "/images",
        &["get", "post", "delete"],
        "Images: list, add (source.import, or a tag or digest to pull), delete",
    ),
    (
        "/images/{imageDigest}",
        &["get", "delete"],
        "One image by manifest digest",
    ),
    (
        "/images/by_id/{imageId}",
        &["get", "delete"],
        "One image by image ID",
    ),
    (
        "/images/by_id/{imageId}/vuln/{vtype}",
        &["get"],
        "Vulnerabilities by image ID",
    ),
    (
        "/corrections",
        &["get", "post"],
        "Corrections of package fields before matching",
    ),
    ("/corrections/{uuid}", &["get", "delete"], "One correction"),
    (
        "/enterprise/corrections",
        &["get", "post"],
        "Corrections of package fields before matching",
    ),
    (
        "/enterprise/corrections/{uuid}",
        &["get", "delete"],
        "One correction",
    ),
    (
        "/vex",
        &["get", "post"],
        "VEX documents (OpenVEX, CycloneDX)",
    ),
    ("/vex/{vexId}", &["get", "delete"], "One VEX document"),
    (
        "/images/{imageDigest}/vex",
        &["get"],
        "The image's findings as OpenVEX",
    ),
    (
        "/subscriptions",
        &["get", "post"],
        "Subscriptions: tag_update, vuln_update, policy_eval, analysis_update",
    ),
    (
        "/subscriptions/{subscriptionId}",
        &["get", "put", "delete"],
        "One subscription",
    ),
    (
        "/webhooks",
        &["get", "post"],
        "Where the account's notifications are delivered",
    ),
    ("/webhooks/{webhookId}", &["delete"], "One webhook"),
    (
        "/notifications",
        &["get"],
        "Notifications and their delivery state",
    ),
    (
        "/images/{imageDigest}/diff/{otherDigest}",
        &["get"],
        "Packages and vulnerabilities added, removed and changed",
    ),
    (
        "/images/{imageDigest}/ancestors",
        &["get"],
        "Analyzed base images, by layers",
    ),
    (
        "/enterprise/images/{imageDigest}/ancestors",
        &["get"],
        "Analyzed base images, by layers",
    ),
    (
        "/images/{imageDigest}/vuln",
        &["get"],
        "Vulnerability report types",
    ),
    (
        "/images/{imageDigest}/vuln/{vtype}",
        &["get"],
        "Vulnerabilities: os, non-os, all",
    ),
    ("/images/{imageDigest}/content", &["get"], "Content types"),
    (
        "/images/{imageDigest}/content/{ctype}",
        &["get"],
        "Content of one type",
    ),
    ("/images/{imageDigest}/metadata", &["get"], "Metadata types"),
    (
        "/images/{imageDigest}/metadata/{mtype}",
        &["get"],
        "Manifest, history or Dockerfile",
    ),
    (
        "/images/{imageDigest}/artifacts/{artifactType}",
        &["get"],
        "Content analysis: retrieved_files, file_content_search, secret_search",
    ),
    (
        "/registries",
        &["get", "post"],
        "Registries to pull from, with credentials (never returned)",
    ),
    (
        "/repositories",
        &["post"],
        "Watch a repository: its tags are added, now and as new ones appear",
    ),
    (
        "/registries/{registry}",
        &["get", "put", "delete"],
        "One registry",
    ),
    ("/account", &["get"], "The caller's account"),
    ("/user", &["get"], "The caller"),
    (
        "/user/credentials",
        &["post"],
        "Change the caller's password",
    ),
    ("/accounts", &["get", "post"], "Accounts (administrators)"),
    ("/accounts/{accountname}", &["get", "delete"], "One account"),
    (
        "/accounts/{accountname}/state",
        &["put"],
        "Enable or disable an account",
    ),
    (
        "/accounts/{accountname}/users",
        &["get", "post"],
        "Users of an account",
    ),
    (
        "/accounts/{accountname}/users/{username}",
        &["get", "delete"],
        "One user",
    ),
    (
        "/accounts/{accountname}/users/{username}/credentials",
        &["post"],
        "Set a user's password",
    ),
];

/// The routes that answer without credentials.
const UNAUTHENTICATED: &[&str] = &["/", "/health", "/ready", "/metrics"];

/// `GET /swagger.json`.
pub async fn document() -> Json<Value> {
    let mut paths = Map::new();
    for (path, methods, summary) in ROUTES {
        let mut operations = Map::new();
        for method in *methods {
            operations.insert(
                method.to_string(),
                json!({
                    "summary": summary,
                    "security": if UNAUTHENTICATED.contains(path) { json!([]) } else { json!([{"basicAuth": []}]) },
                    "produces": [if *path == "/metrics" { crate::metrics::CONTENT_TYPE } else { "application/json" }],
                    "responses": {"200": {"description": "success"}, "default": {"description": "an error envelope {message, httpcode, detail}"}},
                }),
            );
        }
        paths.insert(path.to_string(), Value::Object(operations));
    }
    Json(json!({
        "swagger": "2.0",
        "info": {
            "title": "Plimsoll (Anchore Engine v1 API)",
            "version": crate::API_VERSION,
            "description": "The Anchore Engine v1 API as Plimsoll serves it; every path is also served without the /v1 prefix.",
        },
        "basePath": "/v1",
        "securityDefinitions": {"basicAuth": {"type": "basic"}},
        "paths": paths,
    }))
}
