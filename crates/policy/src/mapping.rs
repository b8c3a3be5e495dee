//! Choosing what applies to an image: the first mapping whose registry, repository and image
//! patterns match, and whether the image is whitelisted or blacklisted outright.

use crate::bundle::{ImageRef, ImageRefType, ImageSelectionRule, MappingRule, PolicyBundle};
use crate::glob;
use crate::input::EvaluationInput;

/// A tag split as mappings see it: `docker.io/library/alpine:3.18` is registry `docker.io`,
/// repository `library/alpine`, tag `3.18`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagParts {
    pub registry: String,
    pub repository: String,
    pub tag: String,
}

impl TagParts {
    /// Splits a full tag. A first component without `.` or `:` (and not `localhost`) is
    /// not a registry, so Docker Hub (`docker.io`) is assumed, with `library/` for
    /// single-name repositories; a missing tag is `latest`; a trailing `@digest` is ignored.
    pub fn parse(full_tag: &str) -> Self {
        let reference = full_tag.split('@').next().unwrap_or_default();
        let (name, tag) = match reference.rsplit_once(':') {
            Some((name, tag)) if !tag.contains('/') => (name, tag),
            _ => (reference, "latest"),
        };
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first.to_string(), rest.to_string())
            }
            Some(_) => ("docker.io".to_string(), name.to_string()),
            None => ("docker.io".to_string(), format!("library/{name}")),
        };
        TagParts {
            registry,
            repository,
            tag: tag.to_string(),
        }
    }
}

/// The first mapping that selects the image, if any.
pub fn select_mapping<'a>(
    bundle: &'a PolicyBundle,
    input: &EvaluationInput,
) -> Option<&'a MappingRule> {
    let parts = TagParts::parse(&input.tag);
    bundle.mappings.iter().find(|mapping| {
        selects(
            &mapping.registry,
            &mapping.repository,
            &mapping.image,
            &parts,
            input,
        )
    })
}

/// The first image selection rule (of `whitelisted_images` or `blacklisted_images`) that
/// selects the image, if any.
pub fn select_image<'a>(
    rules: &'a [ImageSelectionRule],
    input: &EvaluationInput,
) -> Option<&'a ImageSelectionRule> {
    let parts = TagParts::parse(&input.tag);
    rules
        .iter()
        .find(|rule| selects(&rule.registry, &rule.repository, &rule.image, &parts, input))
}

fn selects(
    registry: &str,
    repository: &str,
    image: &ImageRef,
    parts: &TagParts,
    input: &EvaluationInput,
) -> bool {
    if !glob::matches(registry, &parts.registry) || !glob::matches(repository, &parts.repository) {
        return false;
    }
    match image.ref_type {
        ImageRefType::Tag => glob::matches(&image.value, &parts.tag),
        ImageRefType::Digest => !input.image_digest.is_empty() && image.value == input.image_digest,
        ImageRefType::Id => !input.image_id.is_empty() && image.value == input.image_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_into_registry_repository_and_tag() {
        let cases = [
            (
                "docker.io/library/alpine:3.18",
                ("docker.io", "library/alpine", "3.18"),
            ),
            ("alpine", ("docker.io", "library/alpine", "latest")),
            ("myorg/app:1", ("docker.io", "myorg/app", "1")),
            (
                "localhost:5000/team/app:dev",
                ("localhost:5000", "team/app", "dev"),
            ),
            ("quay.io/org/app", ("quay.io", "org/app", "latest")),
            ("ghcr.io/org/app:2@sha256:abc", ("ghcr.io", "org/app", "2")),
        ];
        for (tag, (registry, repository, tag_part)) in cases {
            let parts = TagParts::parse(tag);
            assert_eq!(
                (
                    parts.registry.as_str(),
                    parts.repository.as_str(),
                    parts.tag.as_str()
                ),
                (registry, repository, tag_part),
                "{tag}"
            );
        }
    }

    fn bundle() -> PolicyBundle {
        PolicyBundle::from_json(
            r#"{"id":"b","version":"1_0","policies":[],"mappings":[
                {"id":"by-digest","name":"d","registry":"*","repository":"*",
                 "image":{"type":"digest","value":"sha256:feed"},"policy_ids":["p"]},
                {"id":"prod","name":"p","registry":"registry.example.com","repository":"prod/*",
                 "image":{"type":"tag","value":"*"},"policy_ids":["p"]},
                {"id":"by-id","name":"i","registry":"*","repository":"*",
                 "image":{"type":"id","value":"abc123"},"policy_ids":["p"]},
                {"id":"releases","name":"r","registry":"*","repository":"*",
                 "image":{"type":"tag","value":"v*"},"policy_ids":["p"]}
            ]}"#,
        )
        .unwrap()
    }

    #[test]
    fn the_first_matching_mapping_wins() {
        let bundle = bundle();
        let cases = [
            ("registry.example.com/prod/api:v2", "", "", Some("prod")),
            (
                "registry.example.com/prod/api:v2",
                "sha256:feed",
                "",
                Some("by-digest"),
            ),
            (
                "registry.example.com/dev/api:v2",
                "",
                "abc123",
                Some("by-id"),
            ),
            ("registry.example.com/dev/api:v2", "", "", Some("releases")),
            ("registry.example.com/dev/api:latest", "", "", None),
        ];
        for (tag, digest, id, expected) in cases {
            let input = EvaluationInput {
                tag: tag.into(),
                image_digest: digest.into(),
                image_id: id.into(),
                ..Default::default()
            };
            let found = select_mapping(&bundle, &input).and_then(|m| m.id.as_deref());
            assert_eq!(found, expected, "{tag} {digest} {id}");
        }
    }
}
