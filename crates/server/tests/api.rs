//! The API over real HTTP against a real database (SQLite, and PostgreSQL where the machine
//! has it): authentication, the import flow with Syft 1.18.1's own syft-json, lookups by
//! tag, digest and image ID, bad input, account isolation, and restart recovery.

mod common;

use common::{golden, import, import_with, Api, TestServer};
use plimsoll_server::{Role, NO_SUCH_ROUTE, ROUTES};
use serde_json::{json, Value};

#[tokio::test]
async fn ping_authentication_swagger_and_routes() {
    let dir = tempfile::tempdir().unwrap();
    for database in common::database_urls(dir.path()).await {
        let data = tempfile::tempdir().unwrap();
        let server = TestServer::start(TestServer::config(data.path(), database)).await;
        let http = reqwest::Client::new();

        for path in ["/v1", "/"] {
            let response = http
                .get(format!("{}{path}", server.base))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            assert_eq!(response.json::<Value>().await.unwrap(), json!("v1"));
        }

        let response = http.get(server.url("system")).send().await.unwrap();
        assert_eq!(response.status(), 401);
        assert!(response.headers().contains_key("www-authenticate"));
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["httpcode"], 401);
        assert_eq!(body["message"], "Unauthorized");
        let (status, _) = Api::new(&server, "admin", "wrong-password")
            .get("system")
            .await;
        assert_eq!(status, 401);
        let (status, _) = Api::new(&server, "nobody", "whatever").get("system").await;
        assert_eq!(status, 401);

        let admin = Api::admin(&server);
        for path in ["/swagger.json", "/v1/swagger.json"] {
            let document: Value = http
                .get(format!("{}{path}", server.base))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(document["info"]["version"], "0.1.20");
            assert_eq!(document["paths"].as_object().unwrap().len(), ROUTES.len());
        }

        // Every documented route reaches a handler, under /v1 and unprefixed.
        for (path, methods, _) in ROUTES {
            let concrete = path
                .replace("{imageDigest}", &format!("sha256:{}", "0".repeat(64)))
                .replace("{imageId}", &"0".repeat(64))
                .replace("{vtype}", "all")
                .replace("{operation_id}", "unknown-operation")
                .replace("{content_type}", "packages")
                .replace("{accountname}", "admin")
                .replace("{username}", "admin")
                .replace("{ctype}", "os")
                .replace("{mtype}", "manifest");
            for prefix in ["/v1", ""] {
                for method in *methods {
                    let url = format!("{}{prefix}{concrete}", server.base);
                    let request = match *method {
                        "get" => http.get(&url),
                        "post" => http.post(&url).body("{}"),
                        "put" => http.put(&url).body("{}"),
                        "delete" => http.delete(&url),
                        other => panic!("unexpected method {other}"),
                    };
                    if *path == "/metrics" {
                        // Not JSON: checked on its own in the metrics test.
                        let response = request.send().await.unwrap();
                        assert_eq!(response.status(), 200, "{method} {prefix}{concrete}");
                        continue;
                    }
                    let (status, body) = admin.send(request).await;
                    assert_ne!(status, 405, "{method} {prefix}{concrete}");
                    assert_ne!(
                        body["message"], NO_SUCH_ROUTE,
                        "{method} {prefix}{concrete}"
                    );
                }
            }
        }

        let response = http.get(server.url("ready")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let readiness: Value = response.json().await.unwrap();
        assert_eq!(readiness["ready"], true, "{readiness}");

        let (status, body) = admin.get("no/such/route").await;
        assert_eq!(
            (status, body["message"].clone()),
            (404, json!(NO_SUCH_ROUTE))
        );

        let (status, system) = admin.get("system").await;
        assert_eq!(status, 200);
        let services: Vec<&str> = system["service_states"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["servicename"].as_str().unwrap())
            .collect();
        assert_eq!(
            services,
            [
                "apiext",
                "catalog",
                "policy_engine",
                "simplequeue",
                "analyzer"
            ]
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn the_import_flow_takes_syft_json_from_syft_itself() {
    let dir = tempfile::tempdir().unwrap();
    for database in common::database_urls(dir.path()).await {
        let data = tempfile::tempdir().unwrap();
        let server = TestServer::start(TestServer::config(data.path(), database)).await;
        let admin = Api::admin(&server);
        let document = golden("img-own-img-squashed.json");

        let (uuid, contents, (status, added)) = import(&admin, &document).await;
        assert_eq!(status, 200, "{added}");
        assert_eq!(added[0]["imageDigest"], json!(document.digest));
        assert_eq!(added[0]["analysis_status"], "not_analyzed");
        assert_eq!(
            added[0]["annotations"]["anchore.system/import_operation_id"],
            json!(uuid)
        );
        // Uploads answer the sha256 of the body, without a prefix.
        let expected = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&document.packages))
        };
        assert_eq!(contents["packages"], json!(expected));

        let image = admin.wait_analyzed(&document.digest).await;
        assert_eq!(image["analysis_status"], "analyzed", "{image}");
        let metadata = &image["image_content"]["metadata"];
        assert_eq!(metadata["distro"], "debian");
        assert_eq!(metadata["distro_version"], "12");
        assert_eq!(metadata["dockerfile_mode"], "Guessed");
        assert!(metadata["layer_count"].as_i64().unwrap() >= 1);
        assert!(metadata["image_size"].as_i64().unwrap() > 0);
        let detail = &image["image_detail"][0];
        assert_eq!(detail["fulltag"], "docker.io/own:latest");
        assert_eq!(
            detail["imageId"],
            json!(document.image_id.trim_start_matches("sha256:"))
        );

        // The same image by every spelling of its tag, by digest and by image ID.
        for tag in [
            "own",
            "own:latest",
            "docker.io/library/own:latest",
            "index.docker.io/library/own:latest",
        ] {
            let (status, found) = admin
                .get(&format!("images?fulltag={tag}&history=false"))
                .await;
            assert_eq!(status, 200, "{tag}: {found}");
            assert_eq!(found[0]["imageDigest"], json!(document.digest), "{tag}");
        }
        let id = document.image_id.trim_start_matches("sha256:");
        let (status, found) = admin.get(&format!("images/by_id/{id}")).await;
        assert_eq!(
            (status, found[0]["imageDigest"].clone()),
            (200, json!(document.digest))
        );
        let encoded = document.digest.replace(':', "%3A");
        let (status, _) = admin.get(&format!("images/{encoded}")).await;
        assert_eq!(status, 200, "percent-encoded digests are decoded");

        // The Python package that the deb owns by file overlap is not reported twice.
        let (status, os) = admin.get(&format!("images/{encoded}/content/os")).await;
        assert_eq!(status, 200);
        let names: Vec<&str> = os["content"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["package"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["python3-yaml"]);
        assert_eq!(os["content"][0]["location"], "pkgdb");
        let (_, python) = admin.get(&format!("images/{encoded}/content/python")).await;
        assert_eq!(python["content"], json!([]));

        let (status, manifest) = admin
            .get(&format!("images/{encoded}/metadata/manifest"))
            .await;
        assert_eq!(status, 200);
        use base64::Engine;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(manifest["metadata"].as_str().unwrap())
            .unwrap();
        assert_eq!(decoded, document.manifest);

        let (status, types) = admin.get(&format!("images/{encoded}/vuln")).await;
        assert_eq!((status, types), (200, json!(["os", "non-os", "all"])));
        let (status, report) = admin
            .get(&format!("images/{encoded}/vuln/all?vendor_only=True"))
            .await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["vulnerability_type"], "all");
        assert!(report["vulnerabilities"].is_array());
        let (status, body) = admin
            .get(&format!("images/{encoded}/vuln/everything"))
            .await;
        assert_eq!(
            (status, body["message"].clone()),
            (404, json!("content type (everything) not available"))
        );

        // The operation is closed: more uploads are refused, as is a second POST /images.
        let (status, _) = admin
            .post_bytes(&format!("imports/images/{uuid}/packages"), b"{}".to_vec())
            .await;
        assert_eq!(status, 409);
        let (status, operation) = admin.get(&format!("imports/images/{uuid}")).await;
        assert_eq!(
            (status, operation["status"].clone()),
            (200, json!("complete"))
        );

        // Re-importing without force keeps the analysis.
        let (_, _, (status, again)) = import(&admin, &document).await;
        assert_eq!(status, 200);
        assert_eq!(again[0]["analysis_status"], "analyzed");

        let (status, deleted) = admin.delete(&format!("images/{encoded}")).await;
        assert_eq!(
            (status, deleted["status"].clone()),
            (200, json!("deleting"))
        );
        let (status, _) = admin.get(&format!("images/{encoded}")).await;
        assert_eq!(status, 404);
        server.stop().await;
    }
}

#[tokio::test]
async fn bad_imports_are_refused_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    for database in common::database_urls(dir.path()).await {
        let data = tempfile::tempdir().unwrap();
        let server = TestServer::start(TestServer::config(data.path(), database)).await;
        let admin = Api::admin(&server);
        let document = golden("img-wh-img-squashed.json");

        let (status, body) = admin
            .post_bytes("imports/images/no-such-operation/packages", b"{}".to_vec())
            .await;
        assert_eq!(
            (status, body["message"].clone()),
            (404, json!("Resource no-such-operation not found"))
        );

        let (_, operation) = admin.post("imports/images", &Value::Null).await;
        let uuid = operation["uuid"].as_str().unwrap().to_string();
        let (status, body) = admin
            .post_bytes(
                &format!("imports/images/{uuid}/packages"),
                b"{\"artifacts\": [".to_vec(),
            )
            .await;
        assert_eq!(status, 400, "{body}");
        let (status, _) = admin
            .post_bytes(
                &format!("imports/images/{uuid}/packages"),
                vec![b' '; 600 * 1024],
            )
            .await;
        assert_eq!(status, 413);
        let (status, body) = admin
            .post_bytes(&format!("imports/images/{uuid}/nonsense"), b"{}".to_vec())
            .await;
        assert_eq!(status, 404, "{body}");

        let (_, uploaded) = admin
            .post_bytes(
                &format!("imports/images/{uuid}/packages"),
                document.packages.clone(),
            )
            .await;
        let request = |contents: Value, tags: Value, digest: &str| {
            json!({"source": {"import": {"contents": contents, "tags": tags, "digest": digest,
                   "operation_uuid": uuid}}})
        };
        let missing = request(
            json!({"packages": uploaded["digest"]}),
            json!(["wh:latest"]),
            &document.digest,
        );
        let (status, body) = admin.post("images", &missing).await;
        assert_eq!(status, 400);
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("must have digest for content type manifest"),
            "{body}"
        );

        let unknown = request(
            json!({"packages": uploaded["digest"], "manifest": "ab".repeat(32), "image_config": "cd".repeat(32)}),
            json!(["wh:latest"]),
            &document.digest,
        );
        let (status, body) = admin.post("images", &unknown).await;
        assert_eq!(status, 400);
        assert_eq!(
            body["message"],
            "One or more referenced content digests not found for the operation id"
        );

        let (status, body) = admin
            .post("images", &json!({"source": {"import": {"contents": 5}}}))
            .await;
        assert_eq!(status, 400);
        assert!(
            body["detail"]["path"]
                .as_str()
                .unwrap()
                .contains("source.import"),
            "{body}"
        );
        let (status, _) = admin
            .send(
                admin
                    .http
                    .post(format!("{}/images", admin.base))
                    .body("not json"),
            )
            .await;
        assert_eq!(status, 400);

        // Nothing of the refused requests became an image, and the operation is still open.
        let (status, images) = admin.get("images").await;
        assert_eq!((status, images), (200, json!([])));
        let (_, operation) = admin.get(&format!("imports/images/{uuid}")).await;
        assert_eq!(operation["status"], "pending");
        server.stop().await;
    }
}

#[tokio::test]
async fn one_account_never_sees_another_accounts_images() {
    let dir = tempfile::tempdir().unwrap();
    for database in common::database_urls(dir.path()).await {
        let data = tempfile::tempdir().unwrap();
        let server = TestServer::start(TestServer::config(data.path(), database)).await;
        let admin = Api::admin(&server);
        let document = golden("img-wh-img-squashed.json");
        let (_, _, (status, _)) = import(&admin, &document).await;
        assert_eq!(status, 200);
        admin.wait_analyzed(&document.digest).await;

        let (status, _) = admin
            .post(
                "accounts",
                &json!({"name": "team2", "email": "t@example.com"}),
            )
            .await;
        assert_eq!(status, 200);
        let (status, user) = admin
            .post(
                "accounts/team2/users",
                &json!({"username": "dev", "password": "dev-password"}),
            )
            .await;
        assert_eq!((status, user["username"].clone()), (200, json!("dev")));
        let other = Api::new(&server, "dev", "dev-password");
        let (status, account) = other.get("account").await;
        assert_eq!((status, account["name"].clone()), (200, json!("team2")));

        let digest = &document.digest;
        let id = document.image_id.trim_start_matches("sha256:");
        let (status, images) = other.get("images").await;
        assert_eq!((status, images), (200, json!([])));
        for path in [
            format!("images/{digest}"),
            format!("images/{digest}/vuln"),
            format!("images/{digest}/vuln/all"),
            format!("images/{digest}/content"),
            format!("images/{digest}/content/os"),
            format!("images/{digest}/metadata"),
            format!("images/{digest}/metadata/manifest"),
            format!("images/by_id/{id}"),
            format!("images/by_id/{id}/vuln/all"),
            "images?fulltag=wh:latest".to_string(),
        ] {
            let (status, body) = other.get(&path).await;
            assert_eq!(status, 404, "{path}: {body}");
        }
        for path in [format!("images/{digest}"), format!("images/by_id/{id}")] {
            let (status, _) = other.delete(&path).await;
            assert_eq!(status, 404, "{path}");
        }
        let (_, results) = other.delete(&format!("images?imageDigests={digest}")).await;
        assert_eq!(results[0]["status"], "not_found");
        let (status, _) = other.get("accounts").await;
        assert_eq!(status, 403);
        let (status, _) = other
            .send(
                other
                    .http
                    .get(format!("{}/images", other.base))
                    .header("x-anchore-account", "admin"),
            )
            .await;
        assert_eq!(status, 403);

        // The image is untouched, and an admin acting as team2 sees team2's (empty) view.
        let (status, _) = admin.get(&format!("images/{digest}")).await;
        assert_eq!(status, 200);
        let (status, images) = admin
            .send(
                admin
                    .http
                    .get(format!("{}/images", admin.base))
                    .header("x-anchore-account", "team2"),
            )
            .await;
        assert_eq!((status, images), (200, json!([])));
        server.stop().await;
    }
}

#[tokio::test]
async fn an_analysis_cut_off_by_a_restart_finishes_after_it() {
    let dir = tempfile::tempdir().unwrap();
    for database in common::database_urls(dir.path()).await {
        let data = tempfile::tempdir().unwrap();
        let mut config = TestServer::config(data.path(), database);
        config.role = Role::Api;
        let server = TestServer::start(config.clone()).await;
        let admin = Api::admin(&server);
        let document = golden("img-wh-img-squashed.json");
        let (_, _, (status, _)) = import(&admin, &document).await;
        assert_eq!(status, 200);

        // With no worker the image waits; its report says why, as anchore-cli expects.
        let (status, body) = admin
            .get(&format!("images/{}/vuln/all", document.digest))
            .await;
        assert_eq!(status, 404);
        assert_eq!(
            body["message"],
            "image is not analyzed - analysis_status: not_analyzed"
        );
        let base = server.base.clone();
        server.stop().await;

        // A worker claims the job and dies without finishing it.
        let store = plimsoll_server::Store::connect(&config.database_url(), 2)
            .await
            .unwrap();
        let job = store
            .claim_job(1, "a worker that dies")
            .await
            .unwrap()
            .expect("the job is queued");
        assert_eq!(job.subject, document.digest);
        store.close().await;
        let _ = base;

        config.role = Role::All;
        let server = TestServer::start(config).await;
        let admin = Api::admin(&server);
        let image = admin.wait_analyzed(&document.digest).await;
        assert_eq!(image["analysis_status"], "analyzed");
        server.stop().await;
    }
}

#[tokio::test]
async fn policies_validate_activate_and_evaluate() {
    let dir = tempfile::tempdir().unwrap();
    for database in common::database_urls(dir.path()).await {
        let data = tempfile::tempdir().unwrap();
        let server = TestServer::start(TestServer::config(data.path(), database)).await;
        let admin = Api::admin(&server);
        let document = golden("img-wh-img-squashed.json");
        let (_, _, (status, _)) = import(&admin, &document).await;
        assert_eq!(status, 200);
        admin.wait_analyzed(&document.digest).await;
        let digest = &document.digest;

        // Every account starts with Anchore's default bundle, active.
        let (status, policies) = admin.get("policies?detail=False").await;
        assert_eq!(status, 200);
        assert_eq!(
            policies[0]["policyId"],
            "2c53a13c-1765-11e8-82ef-23527761d060"
        );
        assert_eq!(policies[0]["active"], true);

        // The default bundle only warns here (no HEALTHCHECK; no feed data): pass.
        let (status, check) = admin
            .get(&format!(
                "images/{digest}/check?tag=wh:latest&detail=true&history=false"
            ))
            .await;
        assert_eq!(status, 200, "{check}");
        let evaluation = &check[0][digest.as_str()]["docker.io/wh:latest"][0];
        assert_eq!(evaluation["status"], "pass", "{evaluation}");
        let result = &evaluation["detail"]["result"];
        assert_eq!(result["final_action"], "warn");
        let image_id = result["image_id"].as_str().unwrap();
        let rows = result["result"][image_id]["result"]["rows"]
            .as_array()
            .unwrap();
        assert!(
            rows.iter()
                .any(|row| row[3] == "dockerfile" && row[6] == "warn"),
            "{rows:?}"
        );

        // A bundle with an unknown gate and a missing parameter is refused, naming both.
        let bad = json!({"id": "bad", "version": "1_0", "name": "bad", "whitelists": [],
            "policies": [{"id": "p", "version": "1_0", "rules": [
                {"id": "r1", "gate": "nonsense", "trigger": "x", "action": "STOP", "params": []},
                {"id": "r2", "gate": "vulnerabilities", "trigger": "stale_feed_data", "action": "WARN", "params": []}]}],
            "mappings": [{"id": "m", "name": "m", "registry": "*", "repository": "*",
                "image": {"type": "tag", "value": "*"}, "policy_ids": ["p"], "whitelist_ids": []}]});
        let (status, body) = admin.post("policies", &bad).await;
        assert_eq!(status, 400);
        assert_eq!(body["message"], "Bundle failed validation");
        let details = body["detail"]["validation_details"].to_string();
        assert!(
            details.contains("nonsense") && details.contains("max_days_since_sync"),
            "{details}"
        );

        // An `always` STOP bundle, once active, fails the image; the old one can then go.
        let always = json!({"id": "always-stop", "version": "1_0", "name": "always", "whitelists": [],
            "policies": [{"id": "p", "version": "1_0", "rules": [
                {"id": "r1", "gate": "always", "trigger": "always", "action": "STOP", "params": []}]}],
            "mappings": [{"id": "m", "name": "m", "registry": "*", "repository": "*",
                "image": {"type": "tag", "value": "*"}, "policy_ids": ["p"], "whitelist_ids": []}]});
        let (status, record) = admin.post("policies?detail=True", &always).await;
        assert_eq!(
            (status, record["active"].clone()),
            (200, json!(false)),
            "{record}"
        );
        let (status, _) = admin
            .delete("policies/2c53a13c-1765-11e8-82ef-23527761d060")
            .await;
        assert_eq!(status, 400, "the active bundle cannot be deleted");
        let mut activate = record.clone();
        activate["active"] = json!(true);
        let (status, _) = admin
            .send(
                admin
                    .http
                    .put(format!("{}/policies/always-stop", admin.base))
                    .body(activate.to_string()),
            )
            .await;
        assert_eq!(status, 200);
        let (_, check) = admin
            .get(&format!("images/{digest}/check?tag=wh:latest&history=true"))
            .await;
        let evaluations = check[0][digest.as_str()]["docker.io/wh:latest"]
            .as_array()
            .unwrap();
        assert_eq!(evaluations.len(), 2, "history holds both evaluations");
        assert_eq!(evaluations[0]["status"], "fail");
        assert_eq!(evaluations[0]["policyId"], "always-stop");
        let (status, _) = admin
            .delete("policies/2c53a13c-1765-11e8-82ef-23527761d060")
            .await;
        assert_eq!(status, 200);

        let (status, spec) = admin.get("system/policy_spec").await;
        assert_eq!(status, 200);
        assert!(spec
            .as_array()
            .unwrap()
            .iter()
            .any(|gate| gate["name"] == "vulnerabilities"));
        server.stop().await;
    }
}

#[tokio::test]
async fn uploaded_image_content_feeds_the_content_gates() {
    let dir = tempfile::tempdir().unwrap();
    for database in common::database_urls(dir.path()).await {
        let data = tempfile::tempdir().unwrap();
        let server = TestServer::start(TestServer::config(data.path(), database)).await;
        let admin = Api::admin(&server);
        let document = golden("img-wh-img-squashed.json");
        let content = json!({
            "files": [
                {"path": "/etc/passwd", "kind": "file", "mode": 0o644, "uid": 0, "gid": 0,
                 "size": 32, "sha256": "ab".repeat(32)},
                {"path": "/usr/bin/tool", "kind": "file", "mode": 0o4755, "uid": 0, "gid": 0,
                 "size": 10},
                {"path": "/usr/bin/alias", "kind": "symlink", "mode": 0o777, "uid": 0,
                 "gid": 0, "size": 0, "link": "tool"}],
            "passwd": "root:x:0:0:root:/root:/bin/sh\nbuilder:x:1000:1000::/home:/bin/sh\n",
            "secrets": [{"path": "/root/.aws/credentials", "name": "AWS_ACCESS_KEY",
                         "regex": "(?i).*aws_access_key_id.*", "lines": [1]}],
            "content_matches": [
                {"path": "/app/app.ini", "name": "", "regex": ".*password", "lines": [0, 4]},
                {"path": "/app/app.ini", "name": "LEGACY", "regex": "legacy_mode", "lines": [2]}],
        });
        let extra = [("image_content", content.to_string().into_bytes())];
        let (_, contents, (status, body)) = import_with(&admin, &document, &extra).await;
        assert_eq!(status, 200, "{body}");
        assert!(contents["image_content"].is_string());
        let digest = &document.digest;
        let image = admin.wait_analyzed(digest).await;
        assert_eq!(image["analysis_status"], "analyzed", "{image}");

        let (status, files) = admin.get(&format!("images/{digest}/content/files")).await;
        assert_eq!(status, 200, "{files}");
        assert_eq!(
            files["content"][1],
            json!({"filename": "/usr/bin/tool", "size": 10, "mode": "04755", "uid": 0,
                   "gid": 0, "type": "file", "linkdest": null, "sha256": null})
        );
        assert_eq!(files["content"][2]["type"], "slink");

        let artifacts = |kind: &str| format!("images/{digest}/artifacts/{kind}");
        let (status, secrets) = admin.get(&artifacts("secret_search")).await;
        assert_eq!(status, 200, "{secrets}");
        assert_eq!(
            secrets,
            json!([{"path": "/root/.aws/credentials", "matches": [
                {"name": "AWS_ACCESS_KEY", "regex": "(?i).*aws_access_key_id.*", "lines": [1]}]}])
        );
        let (_, found) = admin.get(&artifacts("file_content_search")).await;
        assert_eq!(
            found,
            json!([{"path": "/app/app.ini", "matches": [
                {"name": "", "regex": ".*password", "lines": [0, 4]},
                {"name": "LEGACY", "regex": "legacy_mode", "lines": [2]}]}])
        );
        let (_, retrieved) = admin.get(&artifacts("retrieved_files")).await;
        assert_eq!(retrieved[0]["path"], "/etc/passwd");
        assert_eq!(
            retrieved[0]["b64_content"],
            "cm9vdDp4OjA6MDpyb290Oi9yb290Oi9iaW4vc2gKYnVpbGRlcjp4OjEwMDA6MTAwMDo6L2hvbWU6L2Jpbi9zaAo="
        );
        assert_eq!(admin.get(&artifacts("malware")).await.0, 404);

        let bundle = json!({"id": "content", "version": "1_0", "name": "content", "whitelists": [],
            "policies": [{"id": "p", "version": "1_0", "rules": [
                {"id": "r1", "gate": "passwd_file", "trigger": "blacklist_usernames",
                 "action": "WARN", "params": [{"name": "user_names", "value": "builder"}]},
                {"id": "r2", "gate": "files", "trigger": "suid_or_guid_set", "action": "WARN",
                 "params": []},
                {"id": "r3", "gate": "secret_scans", "trigger": "content_regex_checks",
                 "action": "STOP", "params": []},
                {"id": "r4", "gate": "files", "trigger": "content_regex_match",
                 "action": "WARN", "params": [{"name": "regex_name", "value": "LEGACY"}]}]}],
            "mappings": [{"id": "m", "name": "m", "registry": "*", "repository": "*",
                "image": {"type": "tag", "value": "*"}, "policy_ids": ["p"], "whitelist_ids": []}]});
        let (status, record) = admin.post("policies", &bundle).await;
        assert_eq!(status, 200, "{record}");
        let mut active = record.clone();
        active["active"] = json!(true);
        let (status, body) = admin
            .send(
                admin
                    .http
                    .put(format!("{}/policies/content", admin.base))
                    .body(active.to_string()),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, check) = admin
            .get(&format!("images/{digest}/check?tag=wh:latest&detail=true"))
            .await;
        assert_eq!(status, 200, "{check}");
        let evaluation = &check[0][digest.as_str()]["docker.io/wh:latest"][0];
        assert_eq!(evaluation["status"], "fail", "{evaluation}");
        let result = &evaluation["detail"]["result"];
        let image_id = result["image_id"].as_str().unwrap();
        let mut messages: Vec<String> = result["result"][image_id]["result"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| format!("{} {}: {}", row[3], row[6], row[5]).replace('"', ""))
            .collect();
        messages.sort();
        assert_eq!(
            messages,
            [
                "files warn: File content analyzer found regexp match in container: file=/app/app.ini regexp=LEGACY=legacy_mode",
                "files warn: SUID or SGID found set on file /usr/bin/tool. Mode: 0o104755",
                "passwd_file warn: Blacklisted user 'builder' found in image's /etc/passwd: pentry=builder:x:1000:1000::/home:/bin/sh",
                "secret_scans stop: Secret content search analyzer found regexp match in container: file=/root/.aws/credentials regexp=AWS_ACCESS_KEY=(?i).*aws_access_key_id.*",
            ]
        );

        // Content that is JSON but not a content analysis fails the analysis, with the reason.
        let mut other = golden("img-wh-img-squashed.json");
        other.digest = format!("sha256:{}", "7".repeat(64));
        other.tags = vec!["wh:broken".into()];
        let extra = [("image_content", br#"{"files": 5}"#.to_vec())];
        let (_, _, (status, body)) = import_with(&admin, &other, &extra).await;
        assert_eq!(status, 200, "{body}");
        let image = admin.wait_analyzed(&other.digest).await;
        assert_eq!(image["analysis_status"], "analysis_failed", "{image}");
        assert!(
            image["analysis_error"]
                .as_str()
                .is_some_and(|reason| reason.contains("image content")),
            "{image}"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn registries_are_validated_and_never_show_passwords() {
    let dir = tempfile::tempdir().unwrap();
    for database in common::database_urls(dir.path()).await {
        let data = tempfile::tempdir().unwrap();
        let config = TestServer::config(data.path(), database);
        let server = TestServer::start(config.clone()).await;
        let admin = Api::admin(&server);
        let secret = "never-shown-secret";
        let body = |registry: &str| {
            json!({"registry": registry, "registry_user": "u", "registry_pass": secret,
                   "registry_type": "docker_v2", "registry_verify": false})
        };

        for (bad, needle) in [
            (body("https://r.example"), "is not a registry"),
            (body(""), "is not a registry"),
            (body("r.example/a b"), "is not a registry"),
            (
                json!({"registry": "r.example", "registry_pass": "p"}),
                "'registry_user' is a required property",
            ),
            (
                json!({"registry": "r.example", "registry_user": "u"}),
                "'registry_pass' is a required property",
            ),
            (
                json!({"registry": "r.example", "registry_user": "u", "registry_pass": "p", "registry_type": "awsecr"}),
                "registry type `awsecr` is not supported",
            ),
        ] {
            let (status, answer) = admin.post("registries?validate=false", &bad).await;
            assert_eq!(status, 400, "{bad}: {answer}");
            assert!(
                answer["message"].as_str().unwrap().contains(needle),
                "{answer}"
            );
        }

        // Validation logs in: a registry that is not there fails it.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let (status, answer) = admin
            .post(
                "registries?validate=True",
                &body(&format!("127.0.0.1:{port}")),
            )
            .await;
        assert_eq!(status, 400, "{answer}");
        assert!(
            answer["message"]
                .as_str()
                .unwrap()
                .contains("cannot validate"),
            "{answer}"
        );

        let (status, added) = admin
            .post("registries?validate=False", &body("Localhost:5000"))
            .await;
        assert_eq!(status, 200, "{added}");
        assert_eq!(added[0]["registry"], "localhost:5000");
        assert_eq!(added[0]["registry_verify"], false);
        let (status, _) = admin
            .post("registries?validate=false", &body("localhost:5000"))
            .await;
        assert_eq!(status, 409);

        let mut update = body("localhost:5000");
        update["registry_user"] = json!("other");
        let request = reqwest::Client::new()
            .put(server.url("registries/localhost%3A5000?validate=false"))
            .json(&update);
        let (status, updated) = admin.send(request).await;
        assert_eq!(status, 200, "{updated}");
        assert_eq!(updated[0]["registry_user"], "other");

        let (status, listed) = admin.get("registries").await;
        assert_eq!(status, 200);
        assert_eq!(listed.as_array().unwrap().len(), 1);
        let (_, got) = admin.get("registries/localhost%3A5000").await;
        for answer in [&added, &updated, &listed, &got] {
            assert!(!answer.to_string().contains(secret), "{answer}");
        }
        // Nor is it in the database: the password is sealed with the server's key.
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&config.database_url())
            .await
            .unwrap();
        let stored: String = sqlx::query_scalar("SELECT registry_pass FROM registries")
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        assert!(
            stored.starts_with("sealed:v1:") && !stored.contains(secret),
            "{stored}"
        );

        let (status, _) = admin.delete("registries/localhost%3A5000").await;
        assert_eq!(status, 200);
        let (status, _) = admin.get("registries/localhost%3A5000").await;
        assert_eq!(status, 404);

        // An image to pull from a registry that cannot be reached is refused at once.
        let (status, answer) = admin
            .post(
                "images",
                &json!({"source": {"tag": {"pullstring": format!("127.0.0.1:{port}/app:1")}}}),
            )
            .await;
        assert_eq!(status, 400, "{answer}");
        assert!(
            answer["message"]
                .as_str()
                .unwrap()
                .contains("cannot fetch image digest"),
            "{answer}"
        );
        let (status, answer) = admin
            .post("images", &json!({"source": {"digest": {"pullstring": format!("r.example/app@sha256:{}", "a".repeat(64))}}}))
            .await;
        assert_eq!(status, 400, "{answer}");
        server.stop().await;
    }
}

#[tokio::test]
async fn one_process_claims_each_subscription_check() {
    let dir = tempfile::tempdir().unwrap();
    for database in common::database_urls(dir.path()).await {
        let data = tempfile::tempdir().unwrap();
        let config = TestServer::config(data.path(), database);
        let server = TestServer::start(config.clone()).await;
        let admin = Api::admin(&server);
        let (status, created) = admin
            .post(
                "subscriptions",
                &json!({"subscription_type": "tag_update",
                        "subscription_key": "registry.example/app:1", "active": true}),
            )
            .await;
        assert_eq!(status, 200, "{created}");
        let id = created[0]["subscription_id"]
            .as_str()
            .unwrap_or_else(|| panic!("no subscription_id: {created}"))
            .to_string();

        // Repository keys are kept in full, so a short name finds the watch too.
        let (status, watch) = admin
            .post(
                "subscriptions",
                &json!({"subscription_type": "repo_update", "subscription_key": "alpine"}),
            )
            .await;
        assert_eq!(status, 200, "{watch}");
        assert_eq!(watch[0]["subscription_key"], "docker.io/alpine");
        for key in [
            "alpine",
            "docker.io/alpine",
            "index.docker.io/library/alpine",
        ] {
            let (_, found) = admin
                .get(&format!(
                    "subscriptions?subscription_type=repo_update&subscription_key={key}"
                ))
                .await;
            assert_eq!(found.as_array().map(Vec::len), Some(1), "{key}: {found}");
        }
        server.stop().await;

        // Two processes on one database: the first takes the check, the second finds it
        // taken until the period has passed.
        let first = plimsoll_server::Store::connect(&config.database_url(), 2)
            .await
            .unwrap();
        let second = plimsoll_server::Store::connect(&config.database_url(), 2)
            .await
            .unwrap();
        assert!(first.claim_subscription_check(&id, 3600).await.unwrap());
        assert!(!second.claim_subscription_check(&id, 3600).await.unwrap());
        assert!(!first.claim_subscription_check(&id, 3600).await.unwrap());
        assert!(!second
            .claim_subscription_check("no-such-subscription", 3600)
            .await
            .unwrap());
        first.close().await;
        second.close().await;
    }
}
