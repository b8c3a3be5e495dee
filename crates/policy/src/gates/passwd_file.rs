//! The `passwd_file` gate: refused user names, IDs, group IDs, shells or whole entries in
//! `/etc/passwd`, and its absence.

use super::{Context, Fire, TriggerError};
use crate::params;

/// One `/etc/passwd` line: the user name, then the other fields in order (password, uid,
/// gid, comment, home, shell).
struct Entry<'a> {
    user: &'a str,
    fields: Vec<&'a str>,
    line: &'a str,
}

/// The entries by user name; a later line for the same user replaces the earlier one, in the
/// earlier one's place, as Anchore's dictionary does.
fn entries(text: &str) -> Vec<Entry<'_>> {
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let mut fields = line.split(':');
        let user = fields.next().unwrap_or_default();
        let entry = Entry {
            user,
            fields: fields.collect(),
            line,
        };
        match entries.iter_mut().find(|existing| existing.user == user) {
            Some(existing) => *existing = entry,
            None => entries.push(entry),
        }
    }
    entries
}

pub(super) fn evaluate(context: &Context<'_>) -> Result<Vec<Fire>, TriggerError> {
    let entries = context
        .input
        .passwd
        .as_deref()
        .map(entries)
        .unwrap_or_default();
    if context.trigger == "content_not_available" {
        if !entries.is_empty() {
            return Ok(Vec::new());
        }
        return Ok(vec![Fire::message(
            "Cannot locate /etc/passwd in image stored files archive: check analyzer settings."
                .to_string(),
        )]);
    }

    // The field compared, the parameter listing refused values, and the message's label.
    let (field, param, label): (Option<usize>, &str, &str) = match context.trigger {
        "blacklist_usernames" => (None, "user_names", "user"),
        "blacklist_userids" => (Some(1), "user_ids", "uid"),
        "blacklist_groupids" => (Some(2), "group_ids", "gid"),
        "blacklist_shells" => (Some(5), "shells", "shell"),
        "blacklist_full_entry" => return full_entry(context, &entries),
        _ => return Ok(Vec::new()),
    };
    let raw = context.required(param)?;
    let mut refused: Vec<String> = params::comma_list(raw)
        .into_iter()
        .map(str::to_string)
        .collect();
    // Numeric lists are read as numbers, so `007` refuses uid 7.
    if matches!(param, "user_ids" | "group_ids") {
        refused = refused
            .iter()
            .map(|id| params::parse_integer(id).map(|n| n.to_string()))
            .collect::<Option<_>>()
            .ok_or_else(|| context.bad(param, raw))?;
    }

    let fires = entries
        .iter()
        .filter_map(|entry| {
            let candidate = match field {
                None => Some(entry.user),
                Some(index) => entry.fields.get(index).copied(),
            }?;
            refused.iter().any(|r| r == candidate).then(|| {
                Fire::message(format!(
                    "Blacklisted {label} '{candidate}' found in image's /etc/passwd: pentry={}",
                    entry.line
                ))
            })
        })
        .collect();
    Ok(fires)
}

/// `blacklist_full_entry`: fires when the whole line is present.
fn full_entry(context: &Context<'_>, entries: &[Entry<'_>]) -> Result<Vec<Fire>, TriggerError> {
    let wanted = context.required("entry")?.trim();
    let fires = entries
        .iter()
        .filter(|entry| entry.line == wanted)
        .map(|entry| {
            Fire::message(format!(
                "Blacklisted pentry '{0}' found in image's /etc/passwd: pentry={0}",
                entry.line
            ))
        })
        .collect();
    Ok(fires)
}

#[cfg(test)]
mod tests {
    use crate::gates::evaluate_rule;
    use crate::gates::test_support::{now, rule};
    use crate::input::EvaluationInput;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\n\
                          daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
                          \n\
                          ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin\n";

    fn messages(trigger: &str, params: &[(&str, &str)], passwd: Option<&str>) -> Vec<String> {
        let input = EvaluationInput {
            passwd: passwd.map(str::to_string),
            ..Default::default()
        };
        evaluate_rule(&rule("passwd_file", trigger, params), &input, now())
            .unwrap()
            .into_iter()
            .map(|fired| fired.message)
            .collect()
    }

    #[test]
    fn blacklists() {
        let cases: &[(&str, (&str, &str), &[&str])] = &[
            ("blacklist_usernames", ("user_names", "ftp, games"), &["Blacklisted user 'ftp' found in image's /etc/passwd: pentry=ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin"]),
            ("blacklist_userids", ("user_ids", "0,1"), &[
                "Blacklisted uid '0' found in image's /etc/passwd: pentry=root:x:0:0:root:/root:/bin/bash",
                "Blacklisted uid '1' found in image's /etc/passwd: pentry=daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin",
            ]),
            ("blacklist_groupids", ("group_ids", "050"), &["Blacklisted gid '50' found in image's /etc/passwd: pentry=ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin"]),
            ("blacklist_shells", ("shells", "/bin/bash"), &["Blacklisted shell '/bin/bash' found in image's /etc/passwd: pentry=root:x:0:0:root:/root:/bin/bash"]),
            ("blacklist_full_entry", ("entry", "ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin"), &["Blacklisted pentry 'ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin' found in image's /etc/passwd: pentry=ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin"]),
            ("blacklist_shells", ("shells", "/bin/zsh"), &[]),
        ];
        for (trigger, param, expected) in cases {
            assert_eq!(
                messages(trigger, &[*param], Some(PASSWD)),
                *expected,
                "{trigger}"
            );
            // Without the file, the blacklists say nothing.
            assert!(messages(trigger, &[*param], None).is_empty());
        }
    }

    #[test]
    fn content_not_available() {
        let expected =
            ["Cannot locate /etc/passwd in image stored files archive: check analyzer settings."];
        assert_eq!(messages("content_not_available", &[], None), expected);
        assert_eq!(messages("content_not_available", &[], Some("\n")), expected);
        assert!(messages("content_not_available", &[], Some(PASSWD)).is_empty());
    }
}
