//! The `files` gate: file names, setuid/setgid bits, checksums and modes, and content-search
//! matches.

use super::{Context, Fire, TriggerError};
use crate::input::FileEntry;

/// The setuid and setgid bits of `st_mode`.
const SUID_OR_SGID: u32 = 0o4000 | 0o2000;

pub(super) fn evaluate(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    match context.trigger {
        "name_match" => name_match(context),
        "suid_or_guid_set" => Ok(suid_or_guid_set(&context.input.files)),
        "attribute_match" => attribute_match(context),
        "content_regex_match" => Ok(content_regex_match(context)),
        _ => Ok(Vec::new()),
    }
}

/// `name_match`: one firing per file whose path matches (from its start).
fn name_match(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    let raw = context.required("regex")?;
    let Some(pattern) = context.regex("regex")? else {
        return Ok(Vec::new());
    };
    let fires = context
        .input
        .files
        .iter()
        .filter(|file| pattern.is_match(&file.path))
        .map(|file| {
            Fire::message(format!(
                "Application of regex matched file found in container: file={} regexp={raw}",
                file.path
            ))
        })
        .collect();
    Ok(fires)
}

/// `suid_or_guid_set`: one firing per file with either bit; the mode is printed as Python's
/// `oct()` prints it (`0o104755`).
fn suid_or_guid_set(files: &[FileEntry]) -> Vec<Fire> {
    files
        .iter()
        .filter(|file| file.mode & SUID_OR_SGID != 0)
        .map(|file| {
            Fire::message(format!(
                "SUID or SGID found set on file {}. Mode: 0o{:o}",
                file.path, file.mode
            ))
        })
        .collect()
}

/// `attribute_match`: fires when the file's checksum and mode pass every check given, or
/// when the file is missing and `skip_missing` is false.
fn attribute_match(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    let filename = context.required("filename")?;
    let checksum = context.text("checksum");
    let checksum_op = context.text("checksum_match").unwrap_or("equals");
    let mode = context.text("mode");
    let mode_op = context.text("mode_op").unwrap_or("equals");
    let skip_missing = context.boolean("skip_missing")?.unwrap_or(true);

    let mut details = Vec::new();
    match context
        .input
        .files
        .iter()
        .find(|file| file.path == filename)
    {
        Some(file) => {
            if let Some(wanted) = checksum {
                let actual = file.sha256.as_deref().unwrap_or_default();
                if !holds(context, "checksum_match", checksum_op, actual == wanted)? {
                    return Ok(Vec::new());
                }
                details.push(format!(
                    "checksum={actual} op={checksum_op} specified_checksum={wanted}"
                ));
            }
            if let Some(wanted) = mode {
                let wanted_bits =
                    u32::from_str_radix(wanted, 8).map_err(|_| context.bad("mode", wanted))?;
                let actual_bits = file.mode & 0o7777;
                if !holds(context, "mode_op", mode_op, actual_bits == wanted_bits)? {
                    return Ok(Vec::new());
                }
                details.push(format!(
                    "mode=0o{actual_bits:o} op={mode_op} specified_mode=0o{wanted_bits:o}"
                ));
            }
        }
        None if skip_missing => return Ok(Vec::new()),
        None => details.push("skip_missing=False".to_string()),
    }
    if details.is_empty() {
        return Ok(Vec::new());
    }

    let mut message = format!("filename={filename}");
    for detail in details {
        message.push_str(" and ");
        message.push_str(&detail);
    }
    Ok(vec![Fire::message(message)])
}

/// Whether an `equals`/`not_equals` check passes, given whether the values are equal.
fn holds(context: &Context<'_>, name: &str, op: &str, equal: bool) -> Result<bool, TriggerError> {
    match op {
        "equals" => Ok(equal),
        "not_equals" => Ok(!equal),
        _ => Err(context.bad(name, op)),
    }
}

/// `content_regex_match`: one firing per content-search match, only of the named expression
/// when `regex_name` is given (by name, by the expression, or by both as `NAME=regex`).
fn content_regex_match(context: &Context<'_>) -> Vec<Fire> {
    let wanted = context.text("regex_name");
    let Some(matches) = &context.input.content_search else {
        return Vec::new();
    };
    matches
        .iter()
        .filter(|found| {
            wanted.is_none_or(|wanted| {
                found.regex == wanted
                    || found.name.as_deref() == Some(wanted)
                    || found.display() == wanted
            })
        })
        .map(|found| {
            Fire::message(format!(
                "File content analyzer found regexp match in container: file={} regexp={}",
                found.path,
                found.display()
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::gates::evaluate_rule;
    use crate::gates::test_support::{now, rule};
    use crate::input::{EvaluationInput, FileEntry, RegexMatch};

    const SHA: &str = "832cd0f75b227d13aac82b1f70b7f90191a4186c151f9db50851d209c45ede11";

    fn input() -> EvaluationInput {
        let file = |path: &str, mode: u32| FileEntry {
            path: path.into(),
            mode,
            sha256: Some(SHA.into()),
            ..Default::default()
        };
        EvaluationInput {
            files: vec![
                file("/etc/passwd", 0o100644),
                file("/usr/bin/passwd", 0o104755),
                file("/etc/ssl/private/server.pem", 0o100600),
                file("/usr/bin/wall", 0o102755),
            ],
            content_search: Some(vec![RegexMatch {
                path: "/app/config.ini".into(),
                name: Some("PASSWORD".into()),
                regex: ".*password.*".into(),
            }]),
            ..Default::default()
        }
    }

    fn messages(trigger: &str, params: &[(&str, &str)]) -> Vec<String> {
        evaluate_rule(&rule("files", trigger, params), &input(), now())
            .unwrap()
            .into_iter()
            .map(|fired| fired.message)
            .collect()
    }

    #[test]
    fn name_match_anchors_at_the_start() {
        assert_eq!(
            messages("name_match", &[("regex", r".*\.pem")]),
            [
                r"Application of regex matched file found in container: file=/etc/ssl/private/server.pem regexp=.*\.pem"
            ]
        );
        assert!(messages("name_match", &[("regex", r"server\.pem")]).is_empty());
    }

    #[test]
    fn suid_and_sgid_files() {
        assert_eq!(
            messages("suid_or_guid_set", &[]),
            [
                "SUID or SGID found set on file /usr/bin/passwd. Mode: 0o104755",
                "SUID or SGID found set on file /usr/bin/wall. Mode: 0o102755",
            ]
        );
    }

    #[test]
    fn attribute_match() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("filename", "/etc/passwd"), ("checksum", SHA)], "filename=/etc/passwd and checksum=832cd0f75b227d13aac82b1f70b7f90191a4186c151f9db50851d209c45ede11 op=equals specified_checksum=832cd0f75b227d13aac82b1f70b7f90191a4186c151f9db50851d209c45ede11"),
            (&[("filename", "/etc/passwd"), ("checksum", "00"), ("checksum_match", "equals")], ""),
            (&[("filename", "/etc/passwd"), ("mode", "00644")], "filename=/etc/passwd and mode=0o644 op=equals specified_mode=0o644"),
            (&[("filename", "/etc/passwd"), ("mode", "0600"), ("mode_op", "not_equals")], "filename=/etc/passwd and mode=0o644 op=not_equals specified_mode=0o600"),
            // Every given check must hold.
            (&[("filename", "/etc/passwd"), ("checksum", SHA), ("mode", "0600")], ""),
            (&[("filename", "/etc/shadow"), ("mode", "0600")], ""),
            (&[("filename", "/etc/shadow"), ("skip_missing", "false")], "filename=/etc/shadow and skip_missing=False"),
            // With no check given, a present file does not fire.
            (&[("filename", "/etc/passwd")], ""),
        ];
        for (params, expected) in cases {
            let fired = messages("attribute_match", params);
            assert_eq!(
                fired.first().map_or("", String::as_str),
                *expected,
                "{params:?}"
            );
        }
    }

    #[test]
    fn content_regex_match_by_name_or_expression() {
        let expected = ["File content analyzer found regexp match in container: file=/app/config.ini regexp=PASSWORD=.*password.*"];
        assert_eq!(messages("content_regex_match", &[]), expected);
        assert_eq!(
            messages("content_regex_match", &[("regex_name", "PASSWORD")]),
            expected
        );
        assert_eq!(
            messages("content_regex_match", &[("regex_name", ".*password.*")]),
            expected
        );
        assert_eq!(
            messages(
                "content_regex_match",
                &[("regex_name", "PASSWORD=.*password.*")]
            ),
            expected
        );
        assert!(messages("content_regex_match", &[("regex_name", "AWS_KEY")]).is_empty());
    }
}
