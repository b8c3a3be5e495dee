//! One module per command.

pub mod db;
pub mod evaluate;
pub mod remote;
pub mod scan;
pub mod server;
pub mod vulns;

use plimsoll_image::ImageError;
use plimsoll_registry::RegistryError;

/// A next step to suggest for errors that have an obvious one.
pub fn hint_for(error: &anyhow::Error) -> Option<String> {
    if let Some(registry) = error
        .chain()
        .find_map(|cause| cause.downcast_ref::<RegistryError>())
    {
        return registry_hint(registry);
    }
    match error
        .chain()
        .find_map(|cause| cause.downcast_ref::<ImageError>())?
    {
        ImageError::Ambiguous { input, choices } => {
            let first = choices.first()?;
            let tag = first
                .rsplit_once(':')
                .map_or(first.as_str(), |(_, tag)| tag);
            Some(format!("for example `plimsoll scan {input}:{tag}`"))
        }
        ImageError::Unrecognized { .. } => Some(
            "name the kind explicitly, e.g. `docker-archive:PATH`, `oci-dir:PATH` or `dir:PATH`"
                .to_string(),
        ),
        _ => None,
    }
}

fn registry_hint(error: &RegistryError) -> Option<String> {
    match error {
        RegistryError::Unauthorized { registry, .. } => Some(format!(
            "give credentials with `--registry-username USER --registry-password PASS`, or \
             log in with `docker login {registry}`"
        )),
        RegistryError::Connect { reason, .. }
            if reason.contains("InvalidContentType") || reason.contains("corrupt message") =>
        {
            Some("the registry may serve plain HTTP; allow it with `--insecure`".to_string())
        }
        RegistryError::UnsupportedPlatform { available, .. } => available
            .first()
            .map(|first| format!("choose one with `--platform {first}`")),
        _ => None,
    }
}
