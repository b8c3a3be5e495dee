//! A package's originator and supplier, as Syft writes them: the dpkg or apk maintainer and a
//! Python or npm author as a `Person`, the RPM vendor as an `Organization`, each reformatted
//! from `Name <email>` to `Name (email)`. Syft accepts only `Name`, `Name <local@word.word>` and either followed by
//! ` (url)`; anything else (a three-part mail domain, a `+` address, a comment in parentheses
//! before the address) gives no originator and a `NOASSERTION` supplier, and so does
//! Plimsoll.

use plimsoll_model::PackageMetadata;

use super::license::NOASSERTION;

/// The `originator` (empty when there is none) and `supplier` of a package.
pub(crate) fn originator_and_supplier(metadata: &PackageMetadata) -> (String, String) {
    let (kind, text) = match metadata {
        PackageMetadata::Dpkg(entry) => ("Person", entry.maintainer.clone()),
        PackageMetadata::Apk(entry) => ("Person", entry.maintainer.clone()),
        PackageMetadata::Rpm(entry) => ("Organization", entry.vendor.clone()),
        PackageMetadata::Npm(entry) => ("Person", entry.author.clone()),
        PackageMetadata::Python(entry) => {
            let author = match (entry.author.is_empty(), entry.author_email.is_empty()) {
                (false, false) => format!("{} <{}>", entry.author, entry.author_email),
                (true, false) => entry.author_email.clone(),
                _ => entry.author.clone(),
            };
            ("Person", author)
        }
        _ => ("", String::new()),
    };
    let formatted = parse(&text).map(format).unwrap_or_default();
    if formatted.is_empty() {
        return (String::new(), NOASSERTION.to_string());
    }
    let originator = format!("{kind}: {formatted}");
    (originator.clone(), originator)
}

/// The parts of `Name <email> (url)`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Contact<'a> {
    name: &'a str,
    email: &'a str,
    url: &'a str,
}

/// Parses a contact the way Syft's pattern does; `None` when it does not match.
fn parse(text: &str) -> Option<Contact<'_>> {
    let Some(special) = text.find(['<', '>', '(', ')']) else {
        return Some(Contact {
            name: text.trim(),
            ..Default::default()
        });
    };
    // The name may not contain any of `<>()`, and what follows it starts with a space.
    let name = text[..special].strip_suffix(' ')?;
    let mut rest = &text[special..];
    let mut contact = Contact {
        name: name.trim(),
        ..Default::default()
    };
    if let Some(after_bracket) = rest.strip_prefix('<') {
        let (email, after) = email(after_bracket)?;
        contact.email = email;
        rest = after;
        if rest.is_empty() {
            return Some(contact);
        }
        rest = rest.strip_prefix(' ')?;
    }
    let url = rest.strip_prefix('(')?.strip_suffix(')')?;
    contact.url = url.trim();
    Some(contact)
}

/// `local@word.word>`: returns the address and what follows the `>`.
fn email(text: &str) -> Option<(&str, &str)> {
    let at = text.find('@')?;
    if at == 0 {
        return None;
    }
    let domain = &text[at + 1..];
    let first = word_length(domain);
    let after_first = domain.get(first..)?.strip_prefix('.')?;
    let second = word_length(after_first);
    if first == 0 || second == 0 {
        return None;
    }
    let after_second = after_first.get(second..)?.strip_prefix('>')?;
    let end = text.len() - after_second.len() - 1;
    Some((text[..end].trim(), after_second))
}

/// How many leading bytes are ASCII word characters (`[0-9A-Za-z_]`).
fn word_length(text: &str) -> usize {
    text.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count()
}

/// `Name (email)`, `Name` or `email`; an address can also come from a name or URL that looks
/// like one.
fn format(contact: Contact<'_>) -> String {
    let mut name = contact.name;
    let mut email = contact.email;
    if email.is_empty() {
        if looks_like_email(contact.url) {
            email = contact.url;
        } else if looks_like_email(name) {
            email = name;
            name = "";
        }
    }
    match (name.is_empty(), email.is_empty()) {
        (false, false) => format!("{name} ({email})"),
        (false, true) => name.to_string(),
        (true, false) => email.to_string(),
        (true, true) => String::new(),
    }
}

fn looks_like_email(text: &str) -> bool {
    text.split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_model::metadata::{DpkgDbEntry, RpmDbEntry};

    fn dpkg(maintainer: &str) -> (String, String) {
        originator_and_supplier(&PackageMetadata::Dpkg(DpkgDbEntry {
            maintainer: maintainer.into(),
            ..Default::default()
        }))
    }

    #[test]
    fn matches_syft() {
        // Every case was observed in Syft 1.18.1's SPDX output for the conformance goldens.
        let person = |s: &str| (format!("Person: {s}"), format!("Person: {s}"));
        let none = (String::new(), NOASSERTION.to_string());
        assert_eq!(
            dpkg("Guillem Jover <guillem@debian.org>"),
            person("Guillem Jover (guillem@debian.org)")
        );
        assert_eq!(
            dpkg("Timo Teräs <timo.teras@iki.fi>"),
            person("Timo Teräs (timo.teras@iki.fi)")
        );
        assert_eq!(
            dpkg("Marco d'Itri <md@linux.it>"),
            person("Marco d'Itri (md@linux.it)")
        );
        assert_eq!(dpkg("APT Development Team <deity@lists.debian.org>"), none);
        assert_eq!(dpkg("Sören Tempel <soeren+alpine@soeren-tempel.net>"), none);
        assert_eq!(dpkg("Laszlo Boszormenyi (GCS) <gcs@debian.org>"), none);
        assert_eq!(dpkg(""), none);

        let rpm = |vendor: &str| {
            originator_and_supplier(&PackageMetadata::Rpm(RpmDbEntry {
                vendor: vendor.into(),
                ..Default::default()
            }))
        };
        let organisation = "Organization: Microsoft Corporation".to_string();
        assert_eq!(
            rpm("Microsoft Corporation"),
            (organisation.clone(), organisation)
        );
        assert_eq!(rpm("SUSE LLC <https://www.suse.com/>"), none);
        assert_eq!(originator_and_supplier(&PackageMetadata::None), none);

        let npm = originator_and_supplier(&PackageMetadata::Npm(
            plimsoll_model::metadata::NpmPackage {
                author: "Isaac Z. Schlueter <i@izs.me> (http://blog.izs.me)".into(),
                ..Default::default()
            },
        ));
        assert_eq!(npm, person("Isaac Z. Schlueter (i@izs.me)"));
        let python = originator_and_supplier(&PackageMetadata::Python(
            plimsoll_model::metadata::PythonPackage {
                author: "Georg Brandl".into(),
                author_email: "georg@python.org".into(),
                ..Default::default()
            },
        ));
        assert_eq!(python, person("Georg Brandl (georg@python.org)"));
    }

    #[test]
    fn contact_forms() {
        assert_eq!(
            dpkg("Joe <joe@x.org> (https://joe.example)").0,
            "Person: Joe (joe@x.org)"
        );
        assert_eq!(dpkg("Joe (joe@x.org)").0, "Person: Joe (joe@x.org)");
        assert_eq!(dpkg("joe@x.org").0, "Person: joe@x.org");
        assert_eq!(dpkg("<joe@x.org>").1, NOASSERTION);
        assert_eq!(dpkg("Joe <joe@x.org").1, NOASSERTION);
    }
}
