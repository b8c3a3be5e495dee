//! `-o FORMAT[=FILE]`: which documents to write, and where.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use plimsoll_model::Sbom;
use plimsoll_sbom::Format;

/// Writes to stdout. A closed pipe ends the program with success, as the reader has what
/// it wanted; any other failure to write is an error exit.
pub fn stdout(text: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_fmt(text) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: failed to write to stdout: {error}");
        std::process::exit(2);
    }
}

/// One requested output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub format: Format,
    /// `None` writes to stdout.
    pub file: Option<PathBuf>,
}

/// Parses the `-o` values; table to stdout when none are given. At most one may go to
/// stdout, so that stdout holds exactly one document.
pub fn parse_outputs(values: &[String]) -> anyhow::Result<Vec<Output>> {
    if values.is_empty() {
        return Ok(vec![Output {
            format: Format::Table,
            file: None,
        }]);
    }
    let mut outputs = Vec::new();
    for value in values {
        let (name, file) = match value.split_once('=') {
            Some((name, file)) if !file.is_empty() => (name, Some(PathBuf::from(file))),
            Some((_, _)) => bail!("output `{value}` names no file after `=`"),
            None => (value.as_str(), None),
        };
        let Some(format) = Format::from_name(name) else {
            bail!("unknown output format `{name}` (known: table, syft-json, cyclonedx-json, cyclonedx-xml, spdx-json, spdx-tag-value)");
        };
        outputs.push(Output { format, file });
    }
    if outputs.iter().filter(|o| o.file.is_none()).count() > 1 {
        bail!("only one output can go to stdout; give the others a file with FORMAT=FILE");
    }
    Ok(outputs)
}

/// Renders the SBOM in the output's format. Syft trims the table's trailing padding when it
/// writes to stdout and keeps it in files.
fn render(sbom: &Sbom, output: &Output) -> String {
    match output.format {
        Format::Table => {
            let table = plimsoll_sbom::render_table(&sbom.packages);
            if output.file.is_none() {
                format!("{}\n", table.trim_end())
            } else {
                table
            }
        }
        Format::SyftJson => plimsoll_sbom::encode_syft_json(sbom, env!("CARGO_PKG_VERSION")),
        Format::CycloneDxJson => {
            plimsoll_sbom::encode_cyclonedx_json(sbom, env!("CARGO_PKG_VERSION"))
        }
        Format::CycloneDxXml => {
            plimsoll_sbom::encode_cyclonedx_xml(sbom, env!("CARGO_PKG_VERSION"))
        }
        Format::SpdxJson => plimsoll_sbom::encode_spdx_json(sbom, env!("CARGO_PKG_VERSION")),
        Format::SpdxTagValue => {
            plimsoll_sbom::encode_spdx_tag_value(sbom, env!("CARGO_PKG_VERSION"))
        }
    }
}

/// Writes every output.
pub fn write_all(sbom: &Sbom, outputs: &[Output]) -> anyhow::Result<()> {
    for output in outputs {
        let text = render(sbom, output);
        match &output.file {
            Some(path) => std::fs::write(path, text)
                .with_context(|| format!("failed to write `{}`", path.display()))?,
            None => {
                let mut stdout = std::io::stdout().lock();
                stdout
                    .write_all(text.as_bytes())
                    .context("failed to write to stdout")?;
                stdout.flush().context("failed to write to stdout")?;
            }
        }
    }
    Ok(())
}
