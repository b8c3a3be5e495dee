//! The `dockerfile` gate: instruction checks, the effective user, exposed ports, and whether
//! the real Dockerfile was supplied.

use super::{anchored, Context, Fire, TriggerError};
use crate::dockerfile::{Dockerfile, DockerfileMode};
use crate::params;

pub(super) fn evaluate(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    let dockerfile = context.input.dockerfile.as_ref();
    if context.trigger == "no_dockerfile_provided" {
        return Ok(no_dockerfile_provided(dockerfile));
    }

    // Like Anchore, the content triggers stay silent when there is nothing to read: no
    // Dockerfile at all, or one with no instructions.
    let Some(dockerfile) = dockerfile.filter(|d| !d.instructions.is_empty()) else {
        return Ok(Vec::new());
    };
    let actual_only = context.trigger != "effective_user"
        && context.boolean("actual_dockerfile_only")?.unwrap_or(false);
    if actual_only && dockerfile.mode != DockerfileMode::Actual {
        return Ok(Vec::new());
    }

    match context.trigger {
        "instruction" => instruction(context, dockerfile),
        "effective_user" => effective_user(context, dockerfile),
        "exposed_ports" => exposed_ports(context, dockerfile),
        _ => Ok(Vec::new()),
    }
}

/// `instruction`: one firing per instruction whose arguments pass the check, or one when a
/// `not_exists` instruction is absent.
fn instruction(context: &Context<'_>, dockerfile: &Dockerfile) -> Result<Vec<Fire>, TriggerError> {
    let keyword = context.required("instruction")?.to_ascii_uppercase();
    let check = context.required("check")?;
    let value = context.text("value");

    let needs_value = matches!(check, "=" | "!=" | "like" | "not_like" | "in" | "not_in");
    if needs_value && value.is_none() {
        return Ok(Vec::new());
    }
    let value_text = value.unwrap_or_default();
    let pattern = match check {
        "like" | "not_like" => {
            Some(anchored(value_text).map_err(|_| context.bad("value", value_text))?)
        }
        _ => None,
    };
    let listed = || params::comma_list(value_text);

    let mut fires = Vec::new();
    for arguments in dockerfile.arguments_of(&keyword) {
        let matched = match check {
            "=" => arguments == value_text,
            "!=" => arguments != value_text,
            "exists" => true,
            "not_exists" => false,
            "like" => pattern.as_ref().is_some_and(|p| p.is_match(arguments)),
            "not_like" => pattern.as_ref().is_some_and(|p| !p.is_match(arguments)),
            "in" => listed().contains(&arguments),
            "not_in" => !listed().contains(&arguments),
            _ => return Err(context.bad("check", check)),
        };
        if matched {
            fires.push(Fire::message(format!(
                "Dockerfile directive '{keyword}' check '{check}' matched against '{value_text}' for line '{arguments}'"
            )));
        }
    }
    if check == "not_exists" && !dockerfile.has(&keyword) {
        fires.push(Fire::message(format!(
            "Dockerfile directive '{keyword}' not found, matching condition '{check}' check"
        )));
    }
    Ok(fires)
}

/// `effective_user`: the last `USER` (root when there is none) against the list.
fn effective_user(
    context: &Context<'_>,
    dockerfile: &Dockerfile,
) -> Result<Vec<Fire>, TriggerError> {
    let users = params::comma_list(context.required("users")?);
    let list_type = context.required("type")?;
    let allow_list = match list_type.to_ascii_lowercase().as_str() {
        "whitelist" => true,
        "blacklist" => false,
        _ => return Err(context.bad("type", list_type)),
    };

    let user = dockerfile
        .arguments_of("USER")
        .last()
        .unwrap_or("root")
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim();
    let listed = users.contains(&user);
    // "explicity" is Anchore's spelling; trigger IDs hash the message, so it stays.
    let message = match (allow_list, listed) {
        (true, false) => {
            format!("User {user} found as effective user, which is not on the allowed list")
        }
        (false, true) => {
            format!("User {user} found as effective user, which is explicity not allowed")
        }
        _ => return Ok(Vec::new()),
    };
    Ok(vec![Fire::message(message)])
}

/// `exposed_ports`: refused ports that are exposed (blacklist), or exposed ports that are
/// not allowed (whitelist). `80`, `80/tcp` and `80/udp` all count as port 80.
fn exposed_ports(
    context: &Context<'_>,
    dockerfile: &Dockerfile,
) -> Result<Vec<Fire>, TriggerError> {
    let raw = context.required("ports")?;
    let ports: Vec<String> = params::comma_list(raw)
        .into_iter()
        .map(|port| params::parse_integer(port).map(|number| number.to_string()))
        .collect::<Option<_>>()
        .ok_or_else(|| context.bad("ports", raw))?;
    let list_type = context.required("type")?;
    let allow_list = match list_type.to_ascii_lowercase().as_str() {
        "whitelist" => true,
        "blacklist" => false,
        _ => return Err(context.bad("type", list_type)),
    };

    let mut fires = Vec::new();
    for arguments in dockerfile.arguments_of("EXPOSE") {
        let exposed: Vec<&str> = arguments.split_whitespace().collect();
        if allow_list {
            let is_allowed = |entry: &&str| {
                ports.iter().any(|port| {
                    *entry == port
                        || entry
                            .strip_prefix(port.as_str())
                            .is_some_and(|rest| rest == "/tcp" || rest == "/udp")
                })
            };
            for entry in exposed.iter().filter(|entry| !is_allowed(entry)) {
                fires.push(Fire::message(format!(
                    "Dockerfile exposes port ({entry}) which is not in policy file ALLOWEDPORTS list"
                )));
            }
        } else {
            for port in &ports {
                let shown = [port.clone(), format!("{port}/tcp"), format!("{port}/udp")]
                    .into_iter()
                    .find(|form| exposed.contains(&form.as_str()));
                if let Some(shown) = shown {
                    fires.push(Fire::message(format!(
                        "Dockerfile exposes port ({shown}) which is in policy file DENIEDPORTS list"
                    )));
                }
            }
        }
    }
    Ok(fires)
}

/// `no_dockerfile_provided`: fires unless the actual Dockerfile was supplied.
fn no_dockerfile_provided(dockerfile: Option<&Dockerfile>) -> Vec<Fire> {
    if dockerfile.is_some_and(|d| d.mode == DockerfileMode::Actual) {
        return Vec::new();
    }
    vec![Fire::message(
        "Image was not analyzed with an actual Dockerfile".to_string(),
    )]
}

#[cfg(test)]
mod tests {
    use crate::dockerfile::{Dockerfile, DockerfileMode};
    use crate::gates::evaluate_rule;
    use crate::gates::test_support::{now, rule, Case};
    use crate::input::EvaluationInput;

    const TEXT: &str =
        "FROM alpine:3.18\nRUN apk add curl\nUSER app\nEXPOSE 22/tcp 8080\nEXPOSE 9090/udp\n";

    fn messages(
        trigger: &str,
        params: &[(&str, &str)],
        dockerfile: Option<Dockerfile>,
    ) -> Vec<String> {
        let input = EvaluationInput {
            dockerfile,
            ..Default::default()
        };
        evaluate_rule(&rule("dockerfile", trigger, params), &input, now())
            .unwrap()
            .into_iter()
            .map(|fired| fired.message)
            .collect()
    }

    fn guessed() -> Option<Dockerfile> {
        Some(Dockerfile::parse(DockerfileMode::Guessed, TEXT))
    }

    fn actual() -> Option<Dockerfile> {
        Some(Dockerfile::parse(DockerfileMode::Actual, TEXT))
    }

    #[test]
    fn instruction_checks() {
        let cases: &[Case] = &[
            (
                &[("instruction", "HEALTHCHECK"), ("check", "not_exists")],
                &["Dockerfile directive 'HEALTHCHECK' not found, matching condition 'not_exists' check"],
            ),
            (&[("instruction", "USER"), ("check", "not_exists")], &[]),
            (
                &[("instruction", "FROM"), ("check", "="), ("value", "alpine:3.18")],
                &["Dockerfile directive 'FROM' check '=' matched against 'alpine:3.18' for line 'alpine:3.18'"],
            ),
            (&[("instruction", "FROM"), ("check", "!="), ("value", "alpine:3.18")], &[]),
            (
                &[("instruction", "RUN"), ("check", "like"), ("value", "apk add")],
                &["Dockerfile directive 'RUN' check 'like' matched against 'apk add' for line 'apk add curl'"],
            ),
            // `like` anchors at the start, as Python's re.match does.
            (&[("instruction", "RUN"), ("check", "like"), ("value", "curl")], &[]),
            (
                &[("instruction", "RUN"), ("check", "not_like"), ("value", "curl")],
                &["Dockerfile directive 'RUN' check 'not_like' matched against 'curl' for line 'apk add curl'"],
            ),
            (
                &[("instruction", "USER"), ("check", "in"), ("value", "root, app")],
                &["Dockerfile directive 'USER' check 'in' matched against 'root, app' for line 'app'"],
            ),
            (&[("instruction", "USER"), ("check", "not_in"), ("value", "root,app")], &[]),
            (
                &[("instruction", "USER"), ("check", "exists")],
                &["Dockerfile directive 'USER' check 'exists' matched against '' for line 'app'"],
            ),
            // A check that needs a value does nothing without one.
            (&[("instruction", "USER"), ("check", "=")], &[]),
            (&[("instruction", "HEALTHCHECK"), ("check", "not_exists"), ("actual_dockerfile_only", "true")], &[]),
        ];
        for (params, expected) in cases {
            assert_eq!(
                messages("instruction", params, guessed()),
                *expected,
                "{params:?}"
            );
        }

        let params = [
            ("instruction", "HEALTHCHECK"),
            ("check", "not_exists"),
            ("actual_dockerfile_only", "true"),
        ];
        assert_eq!(messages("instruction", &params, actual()).len(), 1);
        assert!(messages("instruction", &params[..2], None).is_empty());
    }

    #[test]
    fn effective_user_is_the_last_user_or_root() {
        let app_refused = messages(
            "effective_user",
            &[("users", "app"), ("type", "blacklist")],
            guessed(),
        );
        assert_eq!(
            app_refused,
            ["User app found as effective user, which is explicity not allowed"]
        );
        let app_allowed = messages(
            "effective_user",
            &[("users", "app,web"), ("type", "whitelist")],
            guessed(),
        );
        assert!(app_allowed.is_empty());

        let rootful = Some(Dockerfile::from_pairs(
            DockerfileMode::Actual,
            [("FROM", "debian")],
        ));
        let root = messages(
            "effective_user",
            &[("users", "app"), ("type", "whitelist")],
            rootful,
        );
        assert_eq!(
            root,
            ["User root found as effective user, which is not on the allowed list"]
        );
    }

    #[test]
    fn exposed_ports_by_list_type() {
        let denied = messages(
            "exposed_ports",
            &[("ports", "22,9090"), ("type", "blacklist")],
            guessed(),
        );
        assert_eq!(
            denied,
            [
                "Dockerfile exposes port (22/tcp) which is in policy file DENIEDPORTS list",
                "Dockerfile exposes port (9090/udp) which is in policy file DENIEDPORTS list",
            ]
        );
        let allowed = messages(
            "exposed_ports",
            &[("ports", "8080"), ("type", "whitelist")],
            guessed(),
        );
        assert_eq!(
            allowed,
            [
                "Dockerfile exposes port (22/tcp) which is not in policy file ALLOWEDPORTS list",
                "Dockerfile exposes port (9090/udp) which is not in policy file ALLOWEDPORTS list",
            ]
        );
        let only_actual = [
            ("ports", "22"),
            ("type", "blacklist"),
            ("actual_dockerfile_only", "true"),
        ];
        assert!(messages("exposed_ports", &only_actual, guessed()).is_empty());
        assert_eq!(messages("exposed_ports", &only_actual, actual()).len(), 1);
    }

    #[test]
    fn no_dockerfile_provided_unless_actual() {
        let expected = ["Image was not analyzed with an actual Dockerfile"];
        assert_eq!(messages("no_dockerfile_provided", &[], None), expected);
        assert_eq!(messages("no_dockerfile_provided", &[], guessed()), expected);
        assert!(messages("no_dockerfile_provided", &[], actual()).is_empty());
    }
}
