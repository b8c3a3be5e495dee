//! Turning a source argument into an SBOM: open it, read its layers or files once, and run
//! the catalogers (or read an SBOM). Shared by `scan`, `vulns` and `evaluate`.

use anyhow::Context;
use plimsoll_catalog::content::{analyse, ContentSearch};
use plimsoll_catalog::{default_catalogers, CatalogerSet, Wanted};
use plimsoll_image::{
    open_with, read_directory, LayerCache, Limits, Opened, Progress, RegistryOptions, Scope,
    SourceSpec,
};
use plimsoll_model::{ImageContent, Sbom, SourceKind};

use crate::progress::Reporter;

/// What to catalog and how.
#[derive(Debug, Clone)]
pub struct SourceOptions {
    pub source: String,
    pub scope: Scope,
    pub platform: Option<String>,
    /// How registry sources are reached.
    pub registry: RegistryOptions,
    /// Where image layers' file indexes are cached, if anywhere, and the bound in bytes on
    /// that folder.
    pub layer_cache: Option<(std::path::PathBuf, u64)>,
    /// Globs of paths left out of cataloging (`--exclude`).
    pub exclude: Vec<String>,
}

/// The `--exclude` globs as one matcher over paths without their leading `/`. A glob is
/// absolute (`/etc/**`) or relative to the root (`./out/**`, `**/*.log`), as in Syft.
pub fn exclusions(globs: &[String]) -> anyhow::Result<Option<globset::GlobSet>> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut set = globset::GlobSetBuilder::new();
    for glob in globs {
        let relative = glob.trim_start_matches("./").trim_start_matches('/');
        if !(glob.starts_with('/') || glob.starts_with("./") || glob.starts_with("*")) {
            anyhow::bail!(
                "exclude `{glob}` must start with `/`, `./`, `*/` or `**/` (it names paths from the root)"
            );
        }
        let pattern = globset::GlobBuilder::new(relative)
            .literal_separator(true)
            .build()
            .with_context(|| format!("exclude `{glob}` is not a valid glob"))?;
        set.add(pattern);
    }
    Ok(Some(
        set.build().context("the exclude globs do not combine")?,
    ))
}

/// Reads `sbom:PATH` (syft-json, CycloneDX, SPDX), or catalogs any other source, with
/// its content analysis when `search` is given and the source is not an SBOM.
pub fn catalog_or_read(
    options: &SourceOptions,
    reporter: &Reporter,
    search: Option<&ContentSearch>,
) -> anyhow::Result<(Sbom, Option<ImageContent>)> {
    let Some(path) = options.source.strip_prefix("sbom:") else {
        return catalog_inspected(options, reporter, search);
    };
    let bytes = std::fs::read(path).with_context(|| format!("failed to read `{path}`"))?;
    let sbom = plimsoll_sbom::decode(&bytes)
        .with_context(|| format!("failed to read the SBOM `{path}`"))?;
    reporter.done(
        &format!("Read SBOM [{} packages]", sbom.packages.len()),
        path,
    );
    Ok((sbom, None))
}

/// Catalogs a source into an SBOM, reporting progress on stderr; with a content search it
/// also analyses the files' content (digests, the password file, secrets) for the policy
/// gates that look at them.
pub fn catalog_inspected(
    options: &SourceOptions,
    reporter: &Reporter,
    search: Option<&ContentSearch>,
) -> anyhow::Result<(Sbom, Option<ImageContent>)> {
    let input = options.source.as_str();
    let limits = Limits::default();
    let spec = SourceSpec::parse(input).with_context(|| format!("failed to open `{input}`"))?;
    let opened = open_with(
        &spec,
        options.platform.as_deref(),
        &limits,
        &options.registry,
    )
    .with_context(|| format!("failed to open `{input}`"))?;
    let set = match opened {
        Opened::Image(_) => CatalogerSet::Image,
        Opened::Directory(_) | Opened::File(_) => CatalogerSet::Directory,
    };
    let catalogers = default_catalogers(set);
    let wants = match search {
        Some(search) => Wanted::new(&catalogers).inspecting(search),
        None => Wanted::new(&catalogers),
    };
    let display_name = spec.path.display().to_string();

    let (index, kind, noun) = match opened {
        Opened::Image(mut image) => {
            reporter.done("Loaded image", &display_name);
            if let Some((dir, max_bytes)) = &options.layer_cache {
                // Inspecting content keeps more per layer, so it is a capture set of its own.
                let capture_set = match search {
                    Some(search) => search.capture_set(),
                    None => "image".into(),
                };
                image
                    .use_layer_cache(LayerCache::new(dir, &capture_set).with_max_bytes(*max_bytes));
            }
            let progress = Progress::default();
            let index = reporter
                .while_reading("Parsing image", &progress, || {
                    image.read_layers(&wants, limits, &progress)
                })
                .with_context(|| format!("failed to read the layers of `{input}`"))?;
            reporter.done("Parsed image", &image.metadata.manifest_digest);
            (index, SourceKind::Image(Box::new(image.metadata)), "image")
        }
        Opened::Directory(path) => {
            let index = read_directory(&path, input, &wants, limits)
                .with_context(|| format!("failed to read `{input}`"))?;
            reporter.done("Indexed file system", &display_name);
            (
                index,
                SourceKind::Directory {
                    path: display_name.clone(),
                },
                "directory",
            )
        }
        Opened::File(path) => {
            let index = read_directory(&path, input, &wants, limits)
                .with_context(|| format!("failed to read `{input}`"))?;
            reporter.done("Indexed file", &display_name);
            (
                index,
                SourceKind::File {
                    path: display_name.clone(),
                },
                "file",
            )
        }
    };

    let mut index = index;
    if let Some(excluded) = exclusions(&options.exclude)? {
        index.retain_paths(|path| !excluded.is_match(path.trim_start_matches('/')));
    }
    let content = search.map(|search| analyse(&index, search));
    let catalog = plimsoll_catalog::catalog(&index, options.scope, &catalogers)
        .with_context(|| format!("failed to catalog `{input}`"))?;
    reporter.done(
        &format!("Cataloged {noun} [{} packages]", catalog.packages.len()),
        "",
    );

    Ok((
        plimsoll_catalog::sbom(kind, &display_name, catalog),
        content,
    ))
}
