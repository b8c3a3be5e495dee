//! The server commands (`image`, `system`, `account`, `policy`, `registry`, `evaluate check`): the same requests anchore-cli makes,
//! printed as small tables, or the server's JSON with `--json`.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use plimsoll_client::{Client, ClientError};
use serde_json::{json, Value};

use crate::cli::{
    AccountArgs, AccountCommand, ConnectionArgs, ImageArgs, ImageCommand, PolicyArgs,
    PolicyCommand, RegistryCommand, RegistryCommandArgs, RegistrySettings, RepoArgs, RepoCommand,
    SubscriptionArgs, SubscriptionCommand, SystemArgs, SystemCommand,
};

/// The first set variable of `names`.
fn env_first(names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|value| !value.is_empty()))
}

fn connect(args: &ConnectionArgs) -> anyhow::Result<Client> {
    let url = args
        .url
        .clone()
        .or_else(|| env_first(&["PLIMSOLL_URL", "ANCHORE_CLI_URL"]))
        .unwrap_or_else(|| "http://localhost:8228/v1".to_string());
    let user = args
        .user
        .clone()
        .or_else(|| env_first(&["PLIMSOLL_USER", "ANCHORE_CLI_USER"]))
        .context("no user given\nhint: pass `-u USER` or set PLIMSOLL_USER")?;
    let pass = args
        .pass
        .clone()
        .or_else(|| env_first(&["PLIMSOLL_PASS", "ANCHORE_CLI_PASS"]))
        .context("no password given\nhint: pass `-p PASS` or set PLIMSOLL_PASS")?;
    let account = args
        .as_account
        .clone()
        .or_else(|| env_first(&["ANCHORE_CLI_ACCOUNT"]));
    Ok(Client::new(&url, &user, &pass)?.as_account(account))
}

fn print_json(value: &Value) {
    outln!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

/// A JSON list of records as JSON, or as a table of one row each.
fn print_records(
    records: &Value,
    json_output: bool,
    header: &[&str],
    row: impl Fn(&Value) -> Vec<String>,
) {
    if json_output {
        print_json(records);
        return;
    }
    let mut rows: Vec<Vec<String>> = records.as_array().into_iter().flatten().map(row).collect();
    rows.sort();
    print_table(header, &rows);
}

/// A flag as anchore-cli prints it: `True` only for JSON `true`.
fn true_false(value: &Value) -> String {
    if *value == json!(true) {
        "True"
    } else {
        "False"
    }
    .to_string()
}

fn text(value: &Value) -> String {
    match value {
        Value::Null => "None".to_string(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Prints rows as columns padded to their widest cell.
/// An image diff as tables: packages added, removed and changed, then vulnerabilities.
fn print_diff(answer: &Value) {
    let list = |value: &Value| -> String {
        value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut rows = Vec::new();
    for (change, key) in [("added", "versions"), ("removed", "versions")] {
        for package in answer["packages"][change].as_array().into_iter().flatten() {
            rows.push(vec![
                change.to_string(),
                text(&package["name"]),
                text(&package["type"]),
                list(&package[key]),
            ]);
        }
    }
    for package in answer["packages"]["changed"]
        .as_array()
        .into_iter()
        .flatten()
    {
        rows.push(vec![
            "changed".to_string(),
            text(&package["name"]),
            text(&package["type"]),
            format!("{} -> {}", list(&package["from"]), list(&package["to"])),
        ]);
    }
    print_table(&["Change", "Package", "Type", "Version"], &rows);
    outln!();
    let mut rows = Vec::new();
    for change in ["added", "removed"] {
        for finding in answer["vulnerabilities"][change]
            .as_array()
            .into_iter()
            .flatten()
        {
            rows.push(vec![
                change.to_string(),
                text(&finding["vuln"]),
                text(&finding["package"]),
                text(&finding["severity"]),
                text(&finding["fix"]),
            ]);
        }
    }
    print_table(
        &["Change", "Vulnerability ID", "Package", "Severity", "Fix"],
        &rows,
    );
}

fn print_table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, cell)| format!("{cell:<width$}", width = widths[i]))
            .collect();
        outln!("{}", padded.join("  ").trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

/// The digest of an image given as a digest, tag or image ID.
fn resolve_digest(client: &Client, image: &str) -> anyhow::Result<String> {
    if let Some(digest) = image
        .rsplit('@')
        .next()
        .filter(|d| d.starts_with("sha256:"))
    {
        return Ok(digest.to_string());
    }
    let found = client.get(&format!("images?fulltag={}&history=false", encode(image)))?;
    found
        .get(0)
        .and_then(|record| record.get("imageDigest"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .with_context(|| format!("no image found for `{image}`"))
}

/// Percent-encodes a query or path value.
fn encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn print_image(record: &Value) {
    let detail = record["image_detail"]
        .get(0)
        .cloned()
        .unwrap_or(Value::Null);
    let metadata = &record["image_content"]["metadata"];
    let mut rows = vec![
        ("Image Digest", text(&record["imageDigest"])),
        ("Analysis Status", text(&record["analysis_status"])),
        ("Image Type", text(&record["image_type"])),
        ("Analyzed At", text(&record["analyzed_at"])),
        ("Image ID", text(&detail["imageId"])),
    ];
    if metadata.is_object() {
        rows.extend([
            ("Dockerfile Mode", text(&metadata["dockerfile_mode"])),
            ("Distro", text(&metadata["distro"])),
            ("Distro Version", text(&metadata["distro_version"])),
            ("Size", text(&metadata["image_size"])),
            ("Architecture", text(&metadata["arch"])),
            ("Layer Count", text(&metadata["layer_count"])),
        ]);
    }
    if let Some(reason) = record.get("analysis_error") {
        rows.push(("Analysis Error", text(reason)));
    }
    for (label, value) in rows {
        outln!("{label}: {value}");
    }
    for detail in record["image_detail"].as_array().into_iter().flatten() {
        outln!();
        outln!("Full Tag: {}", text(&detail["fulltag"]));
        outln!("Tag Detected At: {}", text(&detail["tag_detected_at"]));
    }
}

pub fn image(args: ImageArgs) -> anyhow::Result<ExitCode> {
    let client = connect(&args.connection)?;
    let json_output = args.connection.json;
    match args.command {
        ImageCommand::Add { reference } => {
            // A digest reference (`REPO@sha256:…`) is pulled by digest and recorded under
            // its repository's `latest` tag unless the reference also names a tag.
            let body = match reference.split_once('@') {
                Some((name, _)) => {
                    let tag = if name
                        .rsplit('/')
                        .next()
                        .is_some_and(|last| last.contains(':'))
                    {
                        name.to_string()
                    } else {
                        format!("{name}:latest")
                    };
                    json!({"source": {"digest": {"pullstring": reference, "tag": tag}}})
                }
                None => json!({"source": {"tag": {"pullstring": reference}}}),
            };
            let answer = client.post_json("images?autosubscribe=true", &body)?;
            if json_output {
                print_json(&answer);
            } else if let Some(record) = answer.get(0) {
                print_image(record);
            }
        }
        ImageCommand::Get { image } => {
            let digest = resolve_digest(&client, &image)?;
            let answer = client.get(&format!("images/{}", encode(&digest)))?;
            if json_output {
                print_json(&answer);
            } else if let Some(record) = answer.get(0) {
                print_image(record);
            }
        }
        ImageCommand::List => {
            let answer = client.get("images")?;
            if json_output {
                print_json(&answer);
            } else {
                let mut rows = Vec::new();
                for record in answer.as_array().into_iter().flatten() {
                    for detail in record["image_detail"].as_array().into_iter().flatten() {
                        rows.push(vec![
                            text(&detail["fulltag"]),
                            text(&record["imageDigest"]),
                            text(&record["analysis_status"]),
                        ]);
                    }
                }
                print_table(&["Full Tag", "Image Digest", "Analysis Status"], &rows);
            }
        }
        ImageCommand::Wait {
            image,
            timeout,
            interval,
        } => {
            let started = Instant::now();
            loop {
                let status = match resolve_digest(&client, &image) {
                    Ok(digest) => {
                        let answer = client.get(&format!("images/{}", encode(&digest)))?;
                        let status = text(&answer[0]["analysis_status"]);
                        if status == "analyzed" || status == "analysis_failed" {
                            if json_output {
                                print_json(&answer);
                            } else {
                                print_image(&answer[0]);
                            }
                            return Ok(if status == "analyzed" {
                                ExitCode::SUCCESS
                            } else {
                                ExitCode::from(1)
                            });
                        }
                        status
                    }
                    Err(_) => "not found".to_string(),
                };
                if started.elapsed() > Duration::from_secs(timeout) {
                    bail!("timed out after {timeout}s waiting for `{image}` (status: {status})");
                }
                eprintln!("Status: {status}");
                std::thread::sleep(Duration::from_secs_f64(interval.max(0.1)));
            }
        }
        ImageCommand::Vuln {
            image,
            vuln_type,
            vendor_only,
            base,
        } => {
            let digest = resolve_digest(&client, &image)?;
            let base_query = match &base {
                Some(base) => format!("&base_digest={}", encode(base)),
                None => String::new(),
            };
            let answer = client.get(&format!(
                "images/{}/vuln/{vuln_type}?vendor_only={vendor_only}{base_query}",
                encode(&digest)
            ));
            let answer = match answer {
                Err(ClientError::Api {
                    status: 404,
                    message,
                    ..
                }) if message.contains("analysis_status") => {
                    bail!("{message}");
                }
                other => other?,
            };
            if json_output {
                print_json(&answer);
            } else {
                let rows: Vec<Vec<String>> = answer["vulnerabilities"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|row| {
                        let mut cells = vec![
                            text(&row["vuln"]),
                            text(&row["package"]),
                            text(&row["severity"]),
                            text(&row["fix"]),
                            text(&row["package_type"]),
                            text(&row["package_path"]),
                        ];
                        if base.is_some() {
                            cells.push(match &row["inherited_from_base"] {
                                Value::Bool(true) => "yes".into(),
                                Value::Bool(false) => "no".into(),
                                _ => "unknown".into(),
                            });
                        }
                        cells
                    })
                    .collect();
                let mut header = vec![
                    "Vulnerability ID",
                    "Package",
                    "Severity",
                    "Fix",
                    "Type",
                    "Package Path",
                ];
                if base.is_some() {
                    header.push("Inherited From Base");
                }
                print_table(&header, &rows);
            }
        }
        ImageCommand::Content {
            image,
            content_type,
        } => {
            let digest = resolve_digest(&client, &image)?;
            let path = match &content_type {
                Some(kind) => format!("images/{}/content/{kind}", encode(&digest)),
                None => format!("images/{}/content", encode(&digest)),
            };
            let answer = client.get(&path)?;
            if json_output || content_type.is_none() {
                print_json(&answer);
            } else {
                let rows: Vec<Vec<String>> = answer["content"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|row| {
                        vec![
                            text(&row["package"]),
                            text(&row["version"]),
                            text(&row["location"]),
                        ]
                    })
                    .collect();
                print_table(&["Package", "Version", "Location"], &rows);
            }
        }
        ImageCommand::Metadata {
            image,
            metadata_type,
        } => {
            let digest = resolve_digest(&client, &image)?;
            let path = match &metadata_type {
                Some(kind) => format!("images/{}/metadata/{kind}", encode(&digest)),
                None => format!("images/{}/metadata", encode(&digest)),
            };
            let answer = client.get(&path)?;
            match (json_output, answer.get("metadata").and_then(Value::as_str)) {
                (false, Some(encoded)) => {
                    use base64::Engine;
                    let decoded = base64::engine::general_purpose::STANDARD
                        .decode(encoded)
                        .context("the server sent metadata that is not base64")?;
                    outln!("{}", String::from_utf8_lossy(&decoded));
                }
                _ => print_json(&answer),
            }
        }
        ImageCommand::Diff { from, to } => {
            let (from, to) = (
                resolve_digest(&client, &from)?,
                resolve_digest(&client, &to)?,
            );
            let answer = client.get(&format!("images/{}/diff/{}", encode(&from), encode(&to)))?;
            if json_output {
                print_json(&answer);
            } else {
                print_diff(&answer);
            }
        }
        ImageCommand::Del { image } => {
            let digest = resolve_digest(&client, &image)?;
            let answer = client.delete(&format!("images/{}", encode(&digest)))?;
            if json_output {
                print_json(&answer);
            } else {
                outln!("Success");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn system(args: SystemArgs) -> anyhow::Result<ExitCode> {
    let client = connect(&args.connection)?;
    let json_output = args.connection.json;
    match args.command {
        SystemCommand::Status => {
            let answer = client.get("system")?;
            if json_output {
                print_json(&answer);
            } else {
                for service in answer["service_states"].as_array().into_iter().flatten() {
                    let state = if service["status"] == json!(true) {
                        "up".to_string()
                    } else {
                        format!("down ({})", text(&service["status_message"]))
                    };
                    outln!(
                        "Service {} ({}, {}): {state}",
                        text(&service["servicename"]),
                        text(&service["hostid"]),
                        text(&service["base_url"])
                    );
                }
            }
        }
        SystemCommand::Feeds => {
            let answer = client.get("system/feeds")?;
            if json_output {
                print_json(&answer);
            } else {
                let mut rows = Vec::new();
                for feed in answer.as_array().into_iter().flatten() {
                    for group in feed["groups"].as_array().into_iter().flatten() {
                        let last_sync = match &group["last_sync"] {
                            Value::Null => "pending".to_string(),
                            other => text(other),
                        };
                        rows.push(vec![
                            text(&feed["name"]),
                            text(&group["name"]),
                            last_sync,
                            text(&group["record_count"]),
                        ]);
                    }
                }
                print_table(&["Feed", "Group", "LastSync", "RecordCount"], &rows);
            }
        }
        SystemCommand::Wait { timeout } => {
            let started = Instant::now();
            loop {
                let ready = client.get("system/feeds").ok().is_some_and(|feeds| {
                    feeds.as_array().into_iter().flatten().any(|feed| {
                        feed["name"] == json!("vulnerabilities")
                            && !feed["last_full_sync"].is_null()
                    })
                });
                if ready {
                    eprintln!("Server is up and feeds are synced");
                    break;
                }
                if started.elapsed() > Duration::from_secs(timeout) {
                    bail!("timed out after {timeout}s waiting for the server's feeds");
                }
                std::thread::sleep(Duration::from_secs(2));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn account(args: AccountArgs) -> anyhow::Result<ExitCode> {
    let client = connect(&args.connection)?;
    let json_output = args.connection.json;
    let own_account = || -> anyhow::Result<String> { Ok(text(&client.get("account")?["name"])) };
    let answer = match args.command {
        AccountCommand::Whoami => {
            let user = client.get("user")?;
            let account = client.get("account")?;
            if !json_output {
                outln!("Username: {}", text(&user["username"]));
                outln!("AccountName: {}", text(&account["name"]));
                outln!("AccountEmail: {}", text(&account["email"]));
                outln!("AccountType: {}", text(&account["type"]));
                return Ok(ExitCode::SUCCESS);
            }
            json!({"user": user, "account": account})
        }
        AccountCommand::Add { name, email } => {
            client.post_json("accounts", &json!({"name": name, "email": email}))?
        }
        AccountCommand::List => client.get("accounts")?,
        AccountCommand::UserAdd {
            username,
            password,
            account,
        } => {
            let account = match account {
                Some(account) => account,
                None => own_account()?,
            };
            client.post_json(
                &format!("accounts/{}/users", encode(&account)),
                &json!({"username": username, "password": password}),
            )?
        }
        AccountCommand::UserList { account } => {
            let account = match account {
                Some(account) => account,
                None => own_account()?,
            };
            client.get(&format!("accounts/{}/users", encode(&account)))?
        }
    };
    print_json(&answer);
    Ok(ExitCode::SUCCESS)
}

/// `plimsoll evaluate check IMAGE`: the server evaluates the image against its active
/// bundle; exit 0 on pass, 1 on fail, as anchore-cli.
pub fn evaluate_check(
    connection: &ConnectionArgs,
    image: &str,
    detail: bool,
    tag: Option<String>,
) -> anyhow::Result<ExitCode> {
    let client = connect(connection)?;
    let digest = resolve_digest(&client, image)?;
    let tag = match tag {
        Some(tag) => tag,
        None if !image.starts_with("sha256:") && !image.contains('@') => image.to_string(),
        None => bail!("a digest names no tag to evaluate\nhint: pass `--tag REPO:TAG`"),
    };
    let answer = client.get(&format!(
        "images/{}/check?tag={}&detail={detail}&history=false",
        encode(&digest),
        encode(&tag)
    ))?;
    if connection.json {
        print_json(&answer);
    }
    let by_tag = answer[0][digest.as_str()]
        .as_object()
        .and_then(|tags| tags.values().next())
        .and_then(Value::as_array)
        .and_then(|evaluations| evaluations.first())
        .cloned()
        .context("the server sent no evaluation")?;
    let status = text(&by_tag["status"]);
    if !connection.json {
        let result = &by_tag["detail"]["result"];
        outln!("Image Digest: {digest}");
        outln!(
            "Full Tag: {}",
            text(
                &answer[0][digest.as_str()]
                    .as_object()
                    .and_then(|t| t.keys().next().cloned())
                    .map(Value::String)
                    .unwrap_or(Value::Null)
            )
        );
        outln!("Status: {status}");
        outln!("Last Eval: {}", text(&by_tag["last_evaluation"]));
        outln!("Policy ID: {}", text(&by_tag["policyId"]));
        if detail {
            outln!("Final Action: {}", text(&result["final_action"]));
            outln!(
                "Final Action Reason: {}",
                text(&result["final_action_reason"])
            );
            let image_id = text(&result["image_id"]);
            let rows: Vec<Vec<String>> = result["result"][image_id.as_str()]["result"]["rows"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|row| {
                    let whitelisted = match &row[7] {
                        Value::Object(w) => format!(
                            "whitelisted({})",
                            w.get("whitelist_name").map(text).unwrap_or_default()
                        ),
                        _ => text(&row[6]),
                    };
                    vec![text(&row[3]), text(&row[4]), text(&row[5]), whitelisted]
                })
                .collect();
            outln!();
            print_table(&["Gate", "Trigger", "Detail", "Status"], &rows);
        }
    }
    Ok(match status.as_str() {
        "pass" => ExitCode::SUCCESS,
        "fail" => ExitCode::from(1),
        _ => ExitCode::from(2),
    })
}

pub fn policy(args: PolicyArgs) -> anyhow::Result<ExitCode> {
    let client = connect(&args.connection)?;
    let json_output = args.connection.json;
    let print_records = |records: &Value| {
        print_records(
            records,
            json_output,
            &["Policy ID", "Active", "Created", "Updated"],
            |record| {
                vec![
                    text(&record["policyId"]),
                    true_false(&record["active"]),
                    text(&record["created_at"]),
                    text(&record["last_updated"]),
                ]
            },
        )
    };
    match args.command {
        PolicyCommand::Add { bundle } => {
            let text = std::fs::read_to_string(&bundle)
                .with_context(|| format!("failed to read `{}`", bundle.display()))?;
            let value: Value = serde_json::from_str(&text)
                .with_context(|| format!("`{}` is not JSON", bundle.display()))?;
            let record = client.post_json("policies?detail=true", &value)?;
            print_records(&json!([record]));
        }
        PolicyCommand::List => print_records(&client.get("policies?detail=false")?),
        PolicyCommand::Get { id } => {
            let records = client.get(&format!("policies/{}?detail=true", encode(&id)))?;
            print_json(&records[0]["policybundle"]);
        }
        PolicyCommand::Activate { id } => {
            let mut record =
                client.get(&format!("policies/{}?detail=true", encode(&id)))?[0].clone();
            record["active"] = json!(true);
            client.put_json(&format!("policies/{}", encode(&id)), &record)?;
            outln!("Success: {id} activated");
        }
        PolicyCommand::Del { id } => {
            client.delete(&format!("policies/{}", encode(&id)))?;
            outln!("Success");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn registry(args: RegistryCommandArgs) -> anyhow::Result<ExitCode> {
    let client = connect(&args.connection)?;
    let json_output = args.connection.json;
    let print_records = |records: &Value| {
        print_records(
            records,
            json_output,
            &["Registry", "Name", "Type", "User", "Verify TLS"],
            |record| {
                vec![
                    text(&record["registry"]),
                    text(&record["registry_name"]),
                    text(&record["registry_type"]),
                    text(&record["registry_user"]),
                    // Verified unless it says otherwise.
                    true_false(&json!(record["registry_verify"] != json!(false))),
                ]
            },
        )
    };
    let body = |settings: &RegistrySettings| {
        json!({
            "registry": settings.registry,
            "registry_user": settings.registry_user,
            "registry_pass": settings.registry_pass,
            "registry_type": "docker_v2",
            "registry_verify": !settings.insecure,
            "registry_name": settings.registry_name.clone().unwrap_or_else(|| settings.registry.clone()),
        })
    };
    match args.command {
        RegistryCommand::Add(settings) => {
            let path = format!("registries?validate={}", !settings.skip_validate);
            print_records(&client.post_json(&path, &body(&settings))?);
        }
        RegistryCommand::Update(settings) => {
            let path = format!(
                "registries/{}?validate={}",
                encode(&settings.registry),
                !settings.skip_validate
            );
            print_records(&client.put_json(&path, &body(&settings))?);
        }
        RegistryCommand::List => print_records(&client.get("registries")?),
        RegistryCommand::Get { registry } => {
            print_records(&client.get(&format!("registries/{}", encode(&registry)))?)
        }
        RegistryCommand::Del { registry } => {
            client.delete(&format!("registries/{}", encode(&registry)))?;
            outln!("Success");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The one subscription of a type for a key (which the server completes), or an error
/// naming both.
fn subscription_by_key(client: &Client, kind: &str, key: &str) -> anyhow::Result<Value> {
    let found = client.get(&format!(
        "subscriptions?subscription_key={}&subscription_type={}",
        encode(key),
        encode(kind)
    ))?;
    found
        .as_array()
        .and_then(|records| records.first())
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no {kind} subscription for `{key}`"))
}

/// Sets the active flag of the subscription of a type for a key; returns the record.
fn set_active(client: &Client, kind: &str, key: &str, active: bool) -> anyhow::Result<Value> {
    let record = subscription_by_key(client, kind, key)?;
    let id = text(&record["subscription_id"]);
    Ok(client.put_json(
        &format!("subscriptions/{}", encode(&id)),
        &json!({"active": active, "subscription_key": key, "subscription_type": kind}),
    )?)
}

pub fn repo(args: RepoArgs) -> anyhow::Result<ExitCode> {
    let client = connect(&args.connection)?;
    let json_output = args.connection.json;
    let print_records = |records: &Value| {
        print_records(
            records,
            json_output,
            &["Repository", "Watched", "TagCount"],
            |record| {
                let value: Value = record["subscription_value"]
                    .as_str()
                    .and_then(|text| serde_json::from_str(text).ok())
                    .unwrap_or_default();
                let tags = value
                    .get("tagcount")
                    .map_or_else(|| "N/A".to_string(), text);
                vec![
                    text(&record["subscription_key"]),
                    true_false(&record["active"]),
                    tags,
                ]
            },
        )
    };
    // The server completes a short repository name (`alpine` is `docker.io/alpine`).
    let watched = |repository: Option<&str>| -> anyhow::Result<Value> {
        let mut path = "subscriptions?subscription_type=repo_update".to_string();
        if let Some(repository) = repository {
            path.push_str(&format!("&subscription_key={}", encode(repository)));
        }
        Ok(client.get(&path)?)
    };
    match args.command {
        RepoCommand::Add {
            repository,
            noautosubscribe,
            lookuptag,
            dryrun,
        } => {
            let mut path = format!(
                "repositories?repository={}&autosubscribe={}&dryrun={dryrun}",
                encode(&repository),
                !noautosubscribe
            );
            if let Some(tag) = lookuptag {
                path.push_str(&format!("&lookuptag={}", encode(&tag)));
            }
            let records = client.post_json(&path, &json!({}))?;
            if dryrun && !json_output {
                outln!("DRY RUN: Repository not added\n");
            }
            print_records(&records);
        }
        RepoCommand::List => print_records(&watched(None)?),
        RepoCommand::Get { repository } => {
            let found = watched(Some(&repository))?;
            if found.as_array().is_none_or(Vec::is_empty) {
                anyhow::bail!("repository `{repository}` is not watched");
            }
            print_records(&found);
        }
        RepoCommand::Del { repository } => {
            let record = subscription_by_key(&client, "repo_update", &repository)?;
            let id = text(&record["subscription_id"]);
            client.delete(&format!("subscriptions/{}", encode(&id)))?;
            outln!("Success");
        }
        RepoCommand::Watch { repository } => {
            print_records(&set_active(&client, "repo_update", &repository, true)?)
        }
        RepoCommand::Unwatch { repository } => {
            print_records(&set_active(&client, "repo_update", &repository, false)?)
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn subscription(args: SubscriptionArgs) -> anyhow::Result<ExitCode> {
    let client = connect(&args.connection)?;
    let json_output = args.connection.json;
    let print_records = |records: &Value, full: bool| {
        let mut header = vec!["Tag", "Subscription Type", "Active"];
        if full {
            header.push("Subscription ID");
        }
        print_records(records, json_output, &header, |record| {
            let mut row = vec![
                text(&record["subscription_key"]),
                text(&record["subscription_type"]),
                true_false(&record["active"]),
            ];
            if full {
                row.push(text(&record["subscription_id"]));
            }
            row
        })
    };
    match args.command {
        SubscriptionCommand::List { full } => print_records(&client.get("subscriptions")?, full),
        SubscriptionCommand::Get { id } => print_records(
            &client.get(&format!("subscriptions/{}", encode(&id)))?,
            true,
        ),
        SubscriptionCommand::Activate {
            subscription_type,
            subscription_key,
        } => {
            set_active(&client, &subscription_type, &subscription_key, true)?;
            outln!("Success");
        }
        SubscriptionCommand::Deactivate {
            subscription_type,
            subscription_key,
        } => {
            set_active(&client, &subscription_type, &subscription_key, false)?;
            outln!("Success");
        }
        SubscriptionCommand::Del { id } => {
            client.delete(&format!("subscriptions/{}", encode(&id)))?;
            outln!("Success");
        }
    }
    Ok(ExitCode::SUCCESS)
}
