//! `plimsoll scan SOURCE`: catalog an image or directory and write the SBOM.

use std::process::ExitCode;

use anyhow::Context;
use plimsoll_catalog::{default_catalogers, wanted, CatalogerSet};
use plimsoll_image::{open, read_directory, Limits, Opened, Progress, Scope, SourceSpec};
use plimsoll_model::{Relationship, RelationshipType, Sbom, Source, SourceKind};
use sha2::{Digest, Sha256};

use crate::cli::{ScanArgs, ScopeArg};
use crate::output::{parse_outputs, write_all};
use crate::progress::Reporter;

pub fn run(args: ScanArgs) -> anyhow::Result<ExitCode> {
    let outputs = parse_outputs(&args.output)?;
    let reporter = Reporter::new(args.quiet);
    let scope = match args.scope {
        ScopeArg::Squashed => Scope::Squashed,
        ScopeArg::AllLayers => Scope::AllLayers,
    };
    let limits = Limits::default();
    let spec = SourceSpec::parse(&args.source)
        .with_context(|| format!("failed to open `{}`", args.source))?;
    let opened = open(&spec, args.platform.as_deref(), &limits)
        .with_context(|| format!("failed to open `{}`", args.source))?;
    let set = match opened {
        Opened::Image(_) => CatalogerSet::Image,
        Opened::Directory(_) | Opened::File(_) => CatalogerSet::Directory,
    };
    let catalogers = default_catalogers(set);
    let wants = |path: &str| wanted(&catalogers, path);
    let display_name = spec.path.display().to_string();

    let (index, kind, noun) = match opened {
        Opened::Image(mut image) => {
            reporter.done("Loaded image", &display_name);
            let progress = Progress::default();
            let index = reporter
                .while_reading("Parsing image", &progress, || {
                    image.read_layers(&wants, limits, &progress)
                })
                .with_context(|| format!("failed to read the layers of `{}`", args.source))?;
            reporter.done("Parsed image", &image.metadata.manifest_digest);
            (index, SourceKind::Image(Box::new(image.metadata)), "image")
        }
        Opened::Directory(path) => {
            let index = read_directory(&path, &args.source, &wants, limits)
                .with_context(|| format!("failed to read `{}`", args.source))?;
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
            let index = read_directory(&path, &args.source, &wants, limits)
                .with_context(|| format!("failed to read `{}`", args.source))?;
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

    let catalog = plimsoll_catalog::catalog(&index, scope, &catalogers)
        .with_context(|| format!("failed to catalog `{}`", args.source))?;
    reporter.done(
        &format!("Cataloged {noun} [{} packages]", catalog.packages.len()),
        "",
    );

    let source = describe_source(kind, &display_name);
    let mut relationships: Vec<Relationship> = catalog
        .packages
        .iter()
        .map(|package| Relationship {
            parent: source.id.clone(),
            child: package.id(),
            relationship_type: RelationshipType::Contains,
            metadata: None,
        })
        .collect();
    relationships.extend(catalog.relationships);
    let sbom = Sbom {
        source,
        distro: catalog.distro,
        packages: catalog.packages,
        relationships,
    };
    write_all(&sbom, &outputs)?;
    Ok(ExitCode::SUCCESS)
}

/// The source's identity: an image by its manifest digest, a path by a digest of the path.
fn describe_source(mut kind: SourceKind, name: &str) -> Source {
    if let SourceKind::Image(image) = &mut kind {
        image.user_input = name.to_string();
        return Source {
            id: image
                .manifest_digest
                .trim_start_matches("sha256:")
                .to_string(),
            name: name.to_string(),
            version: image.manifest_digest.clone(),
            kind,
        };
    }
    Source {
        id: hex_digest(name),
        name: name.to_string(),
        version: String::new(),
        kind,
    }
}

fn hex_digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
