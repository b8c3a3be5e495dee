//! Pulling an image the server was asked to add by tag or digest: its layers are streamed
//! from the registry through the catalogers, exactly as `plimsoll scan registry:REF` reads
//! them, and the SBOM is stored as an upload's would be.

use std::path::PathBuf;

use plimsoll_catalog::content::{analyse, ContentSearch};
use plimsoll_catalog::{catalog, default_catalogers, CatalogerSet, Wanted};
use plimsoll_image::{
    open_with, LayerCache, Limits, Opened, Progress, RegistryOptions, Scope, SourceKind, SourceSpec,
};

use super::Failure;

/// What a pull produced: the syft-json SBOM and the content analysis (file digests, the
/// password file, secrets), as `plimsoll scan -H` uploads them.
pub(crate) struct Pulled {
    pub sbom: Vec<u8>,
    pub image_content: Vec<u8>,
}

/// Pulls, catalogs and inspects `pullstring` (`REGISTRY/REPO@DIGEST`), with the layer
/// cache's folder and size bound when there is one.
pub(crate) fn pull_sbom(
    pullstring: &str,
    options: &RegistryOptions,
    layer_cache: Option<(PathBuf, u64)>,
) -> Result<Pulled, Failure> {
    let failed = |error: &dyn std::error::Error| Failure(error_chain(error));
    let limits = Limits::default();
    let spec = SourceSpec {
        kind: SourceKind::Registry,
        path: PathBuf::from(pullstring),
        tag: None,
        input: pullstring.to_string(),
    };
    let Opened::Image(mut image) =
        open_with(&spec, None, &limits, options).map_err(|e| failed(&e))?
    else {
        return Err(Failure(format!("`{pullstring}` is not an image")));
    };
    let search = ContentSearch::default_secrets();
    if let Some((dir, max_bytes)) = layer_cache {
        image
            .use_layer_cache(LayerCache::new(dir, &search.capture_set()).with_max_bytes(max_bytes));
    }
    let catalogers = default_catalogers(CatalogerSet::Image);
    let wants = Wanted::new(&catalogers).inspecting(&search);
    let index = image
        .read_layers(&wants, limits, &Progress::default())
        .map_err(|e| failed(&e))?;
    let found = catalog(&index, Scope::Squashed, &catalogers).map_err(|e| failed(&e))?;
    let content = analyse(&index, &search);
    let sbom = plimsoll_catalog::sbom(
        plimsoll_model::SourceKind::Image(Box::new(image.metadata)),
        pullstring,
        found,
    );
    Ok(Pulled {
        sbom: plimsoll_sbom::encode_syft_json(&sbom, env!("CARGO_PKG_VERSION")).into_bytes(),
        image_content: serde_json::to_vec(&content).unwrap_or_default(),
    })
}

/// An error and its causes, joined: "failed to pull `x`: the registry …".
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
