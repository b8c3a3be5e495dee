//! `plimsoll scan SOURCE`: catalog an image or directory and write the SBOM.

use std::process::ExitCode;

use anyhow::{bail, Context};
use plimsoll_catalog::content::ContentSearch;
use plimsoll_client::Client;
use plimsoll_image::Scope;
use plimsoll_model::{ImageContent, Sbom, SourceKind};

use crate::catalog::{catalog_inspected, SourceOptions};
use crate::cli::{ScanArgs, ScopeArg};
use crate::output::{parse_outputs, write_all};
use crate::progress::Reporter;

pub fn run(args: ScanArgs) -> anyhow::Result<ExitCode> {
    let outputs = parse_outputs(&args.output)?;
    let reporter = Reporter::new(args.quiet);
    let options = SourceOptions {
        source: args.source,
        scope: scope(args.scope),
        platform: args.platform,
        registry: args.registry.options(),
        layer_cache: args.registry.layer_cache(),
        exclude: args.exclude.clone(),
    };
    // An upload carries the content analysis that the server's policy gates read.
    if args.host.is_none() && !args.search.is_empty() {
        bail!("`--secret-search` and `--content-search` feed an upload's policy gates: give `-H URL` too");
    }
    let search = match &args.host {
        Some(_) => Some(
            ContentSearch::new(&args.search.secrets, &args.search.content)
                .context("a search pattern is invalid")?,
        ),
        None => None,
    };
    let (sbom, content) = catalog_inspected(&options, &reporter, search.as_ref())?;
    write_all(&sbom, &outputs)?;
    if let Some(host) = &args.host {
        let upload = Upload {
            host: host.clone(),
            username: args.username.unwrap_or_default(),
            password: args.password.unwrap_or_default(),
            dockerfile: args.dockerfile,
            tags: args.tags,
            force: args.overwrite_existing_image,
        };
        upload_analysis(&sbom, content.as_ref(), &upload, &reporter)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Where and how to upload an analysis.
struct Upload {
    host: String,
    username: String,
    password: String,
    dockerfile: Option<std::path::PathBuf>,
    tags: Vec<String>,
    force: bool,
}

/// Sends the analysis through the server's import flow.
fn upload_analysis(
    sbom: &Sbom,
    content: Option<&ImageContent>,
    upload: &Upload,
    reporter: &Reporter,
) -> anyhow::Result<()> {
    let SourceKind::Image(image) = &sbom.source.kind else {
        bail!("only images can be uploaded to a server, not directories or files");
    };
    let tags = if upload.tags.is_empty() {
        image.tags.clone()
    } else {
        upload.tags.clone()
    };
    if tags.is_empty() {
        bail!(
            "the image carries no repository name to record it under\n\
             hint: name it with `--tag REPO:TAG`"
        );
    }
    let dockerfile = match &upload.dockerfile {
        Some(path) => Some(
            std::fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))?,
        ),
        None => None,
    };
    let client = Client::new(&upload.host, &upload.username, &upload.password)?;
    let analysis = plimsoll_client::Upload {
        packages: plimsoll_sbom::encode_syft_json(sbom, env!("CARGO_PKG_VERSION")).into_bytes(),
        manifest: image.raw_manifest.clone(),
        config: image.raw_config.clone(),
        dockerfile,
        image_content: content.map(|content| serde_json::to_vec(content).unwrap_or_default()),
        tags,
        digest: image.manifest_digest.clone(),
        image_id: image.image_id.clone(),
        force: upload.force,
    };
    client
        .upload(&analysis)
        .with_context(|| format!("failed to upload the analysis to `{}`", client.host()))?;
    reporter.done(&format!("Uploaded image [{}]", client.host()), "");
    Ok(())
}

/// The image crate's scope for a `--scope` value.
pub fn scope(arg: ScopeArg) -> Scope {
    match arg {
        ScopeArg::Squashed => Scope::Squashed,
        ScopeArg::AllLayers => Scope::AllLayers,
    }
}
