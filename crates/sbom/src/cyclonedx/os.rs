//! The distro as Syft's `operating-system` component: named by os-release `ID` and
//! `VERSION_ID`, described by `PRETTY_NAME`, with the os-release URLs as external references
//! and the identifying fields as `syft:distro:*` properties.

use plimsoll_model::Distro;

use super::document::{Component, ExternalReference, Property, Swid};
use crate::purl::percent_decode;

const PREFIX: &str = "syft:distro:";
const SUPPORT: &str = "support";
const PRIVACY_POLICY: &str = "privacyPolicy";

/// The component type that marks the distro.
pub(crate) const COMPONENT_TYPE: &str = "operating-system";

/// The operating-system component for a distro.
pub(crate) fn encode(distro: &Distro) -> Component {
    let bom_ref = if distro.version_id.is_empty() {
        format!("os:{}", distro.id)
    } else {
        format!("os:{}@{}", distro.id, distro.version_id)
    };

    let mut references = Vec::new();
    let mut reference = |url: &str, comment: &str, reference_type: &str| {
        if !url.is_empty() {
            references.push(ExternalReference {
                url: url.to_string(),
                comment: comment.to_string(),
                reference_type: reference_type.to_string(),
            });
        }
    };
    reference(&distro.bug_report_url, "", "issue-tracker");
    reference(&distro.home_url, "", "website");
    reference(&distro.support_url, SUPPORT, "other");
    reference(&distro.privacy_policy_url, PRIVACY_POLICY, "other");

    Component {
        bom_ref,
        component_type: COMPONENT_TYPE.to_string(),
        name: distro.id.clone(),
        version: distro.version_id.clone(),
        description: distro.pretty_name.clone(),
        cpe: cpe23(&distro.cpe_name),
        swid: Some(Swid {
            tag_id: distro.id.clone(),
            name: distro.id.clone(),
            version: distro.version_id.clone(),
        }),
        external_references: references,
        properties: properties(distro),
        ..Default::default()
    }
}

/// The `syft:distro:*` properties: the identifying os-release fields, sorted by name.
fn properties(distro: &Distro) -> Vec<Property> {
    let mut properties = Vec::new();
    let mut text = |field: &str, value: &str| {
        if !value.is_empty() {
            properties.push(Property::new(format!("{PREFIX}{field}"), value));
        }
    };
    text("buildID", &distro.build_id);
    text("id", &distro.id);
    text("imageID", &distro.image_id);
    text("imageVersion", &distro.image_version);
    text("prettyName", &distro.pretty_name);
    text("variant", &distro.variant);
    text("variantID", &distro.variant_id);
    text("versionCodename", &distro.version_codename);
    text("versionID", &distro.version_id);
    for (index, like) in distro.id_like.iter().enumerate() {
        properties.push(Property::new(format!("{PREFIX}idLike:{index}"), like));
    }
    properties.sort_by(|a, b| a.name.cmp(&b.name));
    properties
}

/// Reads an operating-system component back into a distro. `NAME`, `VERSION` and
/// `SUPPORT_END` are not written, so they stay empty; the CPE comes back in 2.3 form.
pub(crate) fn decode(component: &Component) -> Distro {
    let property = |field: &str| {
        component
            .property(&format!("{PREFIX}{field}"))
            .map(str::to_string)
    };
    let like_prefix = format!("{PREFIX}idLike:");
    let mut id_like: Vec<(usize, String)> = component
        .properties
        .iter()
        .filter_map(|p| {
            let index = p.name.strip_prefix(&like_prefix)?.parse().ok()?;
            Some((index, p.value.clone()))
        })
        .collect();
    id_like.sort_by_key(|(index, _)| *index);

    let url = |reference_type: &str, comment: &str| {
        component
            .external_references
            .iter()
            .find(|r| r.reference_type == reference_type && r.comment == comment)
            .map(|r| r.url.clone())
            .unwrap_or_default()
    };
    Distro {
        pretty_name: property("prettyName").unwrap_or_else(|| component.description.clone()),
        id: property("id").unwrap_or_else(|| component.name.clone()),
        id_like: id_like.into_iter().map(|(_, like)| like).collect(),
        version_id: property("versionID").unwrap_or_else(|| component.version.clone()),
        version_codename: property("versionCodename").unwrap_or_default(),
        build_id: property("buildID").unwrap_or_default(),
        image_id: property("imageID").unwrap_or_default(),
        image_version: property("imageVersion").unwrap_or_default(),
        variant: property("variant").unwrap_or_default(),
        variant_id: property("variantID").unwrap_or_default(),
        home_url: url("website", ""),
        support_url: url("other", SUPPORT),
        bug_report_url: url("issue-tracker", ""),
        privacy_policy_url: url("other", PRIVACY_POLICY),
        cpe_name: component.cpe.clone(),
        ..Default::default()
    }
}

/// os-release's `CPE_NAME` as a CPE 2.3 formatted string, as Syft writes it: a 2.2 URI
/// (`cpe:/o:suse:sles:15:sp2`) or a short 2.3 string is completed with `*` to all eleven
/// attributes, and letters are lower-cased; anything else gives no CPE.
fn cpe23(cpe_name: &str) -> String {
    let parts: Vec<String> = if let Some(formatted) = cpe_name.strip_prefix("cpe:2.3:") {
        split_unescaped(formatted)
            .into_iter()
            .map(|part| {
                if part.is_empty() {
                    "*".to_string()
                } else {
                    part
                }
            })
            .collect()
    } else if let Some(uri) = cpe_name.strip_prefix("cpe:/") {
        uri.split(':').map(uri_part_to_formatted).collect()
    } else {
        return String::new();
    };
    if parts.is_empty() || parts.len() > 11 {
        return String::new();
    }
    let mut parts = parts;
    parts.resize(11, "*".to_string());
    format!("cpe:2.3:{}", parts.join(":")).to_lowercase()
}

/// Splits a formatted string at `:`s that are not escaped with `\`.
fn split_unescaped(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut escaped = false;
    for c in text.chars() {
        match c {
            ':' if !escaped => parts.push(String::new()),
            _ => {
                escaped = c == '\\' && !escaped;
                if let Some(last) = parts.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    parts
}

/// One CPE 2.2 URI component as a 2.3 formatted-string component: percent-escapes decoded,
/// characters other than letters, digits, `_`, `-` and `.` quoted with `\`, empty as `*`.
fn uri_part_to_formatted(part: &str) -> String {
    if part.is_empty() {
        return "*".to_string();
    }
    let decoded = percent_decode(part);
    let mut out = String::with_capacity(decoded.len());
    for c in decoded.chars() {
        if !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpe_names() {
        assert_eq!(
            cpe23("cpe:/o:suse:sles:15:sp2"),
            "cpe:2.3:o:suse:sles:15:sp2:*:*:*:*:*:*"
        );
        assert_eq!(
            cpe23("cpe:/o:my:os:1.2"),
            "cpe:2.3:o:my:os:1.2:*:*:*:*:*:*:*"
        );
        assert_eq!(
            cpe23("cpe:/o:centos:centos:8"),
            "cpe:2.3:o:centos:centos:8:*:*:*:*:*:*:*"
        );
        assert_eq!(
            cpe23("cpe:/o:a%21b::1"),
            "cpe:2.3:o:a\\!b:*:1:*:*:*:*:*:*:*"
        );
        assert_eq!(
            cpe23("cpe:2.3:o:a:b:1:*:*:*:*:*:*:*"),
            "cpe:2.3:o:a:b:1:*:*:*:*:*:*:*"
        );
        // Observed in Syft's output for the os-* goldens.
        assert_eq!(
            cpe23("cpe:/o:almalinux:almalinux:8.4:GA"),
            "cpe:2.3:o:almalinux:almalinux:8.4:ga:*:*:*:*:*:*"
        );
        assert_eq!(
            cpe23("cpe:2.3:o:amazon:amazon_linux:2"),
            "cpe:2.3:o:amazon:amazon_linux:2:*:*:*:*:*:*:*"
        );
        assert_eq!(
            cpe23("cpe:/o:redhat:enterprise_linux:7.3:GA:server"),
            "cpe:2.3:o:redhat:enterprise_linux:7.3:ga:server:*:*:*:*:*"
        );
        assert_eq!(
            cpe23("cpe:2.3:a:x\\:y:z"),
            "cpe:2.3:a:x\\:y:z:*:*:*:*:*:*:*:*"
        );
        assert_eq!(cpe23("junk"), "");
        assert_eq!(cpe23(""), "");
    }

    #[test]
    fn round_trip_keeps_identifying_fields() {
        let distro = Distro {
            pretty_name: "P".into(),
            name: "N".into(),
            id: "myos".into(),
            id_like: (0..11).map(|i| format!("like{i}")).collect(),
            version: "V".into(),
            version_id: "1.2".into(),
            version_codename: "cc".into(),
            build_id: "bid".into(),
            image_id: "iid".into(),
            image_version: "iv".into(),
            variant: "var".into(),
            variant_id: "vid".into(),
            home_url: "https://h".into(),
            support_url: "https://s".into(),
            bug_report_url: "https://b".into(),
            privacy_policy_url: "https://pp".into(),
            cpe_name: "cpe:/o:my:os:1.2".into(),
            support_end: "2030".into(),
        };
        let component = encode(&distro);
        assert_eq!(component.bom_ref, "os:myos@1.2");
        let decoded = decode(&component);
        assert_eq!(
            decoded,
            Distro {
                name: String::new(),
                version: String::new(),
                support_end: String::new(),
                cpe_name: "cpe:2.3:o:my:os:1.2:*:*:*:*:*:*:*".into(),
                ..distro
            }
        );
    }
}
