//! The `secret_scans` gate: secret-search matches, filtered by expression and file path,
//! reported when found or when absent.

use super::{Context, Fire, TriggerError};

pub(super) fn evaluate(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    if context.trigger != "content_regex_checks" {
        return Ok(Vec::new());
    }
    let wanted = context.text("content_regex_name");
    let filename_regex = context.text("filename_regex");
    let path_pattern = context.regex("filename_regex")?;
    let match_type = context.text("match_type").unwrap_or("found");
    if !matches!(match_type, "found" | "notfound") {
        return Err(context.bad("match_type", match_type));
    }
    // No secret search ran: there is nothing to report either way.
    let Some(matches) = &context.input.secret_search else {
        return Ok(Vec::new());
    };

    let selected: Vec<_> = matches
        .iter()
        .filter(|found| {
            path_pattern
                .as_ref()
                .is_none_or(|p| p.is_match(&found.path))
        })
        .filter(|found| {
            wanted
                .is_none_or(|wanted| found.regex == wanted || found.name.as_deref() == Some(wanted))
        })
        .collect();

    if match_type == "found" {
        let fires = selected
            .iter()
            .map(|found| {
                Fire::message(format!(
                    "Secret content search analyzer found regexp match in container: file={} regexp={}",
                    found.path,
                    found.display()
                ))
            })
            .collect();
        return Ok(fires);
    }
    if !selected.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![Fire::message(format!(
        "Secret content search analyzer did not find regexp match in container: filename_regex={} content_regex_name={}",
        filename_regex.unwrap_or("*"),
        wanted.unwrap_or("all"),
    ))])
}

#[cfg(test)]
mod tests {
    use crate::gates::evaluate_rule;
    use crate::gates::test_support::{now, rule, Case};
    use crate::input::{EvaluationInput, RegexMatch};

    fn messages(params: &[(&str, &str)], scanned: bool) -> Vec<String> {
        let found = |path: &str, name: &str, regex: &str| RegexMatch {
            path: path.into(),
            name: Some(name.into()),
            regex: regex.into(),
        };
        let input = EvaluationInput {
            secret_search: scanned.then(|| {
                vec![
                    found(
                        "/root/.aws/credentials",
                        "AWS_ACCESS_KEY",
                        "(?i).*aws_access_key_id.*",
                    ),
                    found(
                        "/etc/ssl/private/key.pem",
                        "PRIV_KEY",
                        "(?i)-+BEGIN(.*)PRIVATE KEY-+",
                    ),
                ]
            }),
            ..Default::default()
        };
        evaluate_rule(
            &rule("secret_scans", "content_regex_checks", params),
            &input,
            now(),
        )
        .unwrap()
        .into_iter()
        .map(|fired| fired.message)
        .collect()
    }

    #[test]
    fn found_and_notfound() {
        let aws = "Secret content search analyzer found regexp match in container: file=/root/.aws/credentials regexp=AWS_ACCESS_KEY=(?i).*aws_access_key_id.*";
        let cases: &[Case] = &[
            (&[], &[aws, "Secret content search analyzer found regexp match in container: file=/etc/ssl/private/key.pem regexp=PRIV_KEY=(?i)-+BEGIN(.*)PRIVATE KEY-+"]),
            (&[("content_regex_name", "AWS_ACCESS_KEY")], &[aws]),
            (&[("filename_regex", "/root/.*")], &[aws]),
            (&[("filename_regex", "/etc/.*"), ("content_regex_name", "AWS_ACCESS_KEY")], &[]),
            (&[("content_regex_name", "AWS_ACCESS_KEY"), ("match_type", "notfound")], &[]),
            (
                &[("content_regex_name", "DOCKER_AUTH"), ("match_type", "notfound")],
                &["Secret content search analyzer did not find regexp match in container: filename_regex=* content_regex_name=DOCKER_AUTH"],
            ),
        ];
        for (params, expected) in cases {
            assert_eq!(messages(params, true), *expected, "{params:?}");
        }
        assert!(messages(&[("match_type", "notfound")], false).is_empty());
    }
}
