//! One module per command.

pub mod db;
pub mod evaluate;
pub mod remote;
pub mod scan;
pub mod server;
pub mod vulns;

use plimsoll_image::ImageError;

/// A next step to suggest for errors that have an obvious one.
pub fn hint_for(error: &anyhow::Error) -> Option<String> {
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
