//! Executables (ELF, Mach-O, PE) as the binary catalogers see them. Which files are
//! executables cannot be told from their paths, so the source reader sniffs the first bytes
//! of every file and, for executables, keeps only a condensed record of the facts the Go
//! and Rust catalogers need (Go build information, the `cargo auditable` dependency
//! record) instead of the whole file. The catalogers read either form.

use object::read::macho::{FatArch, MachOFatFile32, MachOFatFile64};
use object::{FileKind, Object};
use serde::{Deserialize, Serialize};

use crate::golang::buildinfo::{self, RawBuildInfo};
use crate::rust::audit;

/// The first line of a condensed record; no executable format starts with it.
const CONDENSED_MAGIC: &[u8] = b"plimsoll-executable-facts\n";

/// What the binary catalogers need from one executable: one entry per image it holds
/// (a universal Mach-O file holds several).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct ExecutableFacts {
    /// Go build information, for each image that has it.
    pub go_builds: Vec<RawBuildInfo>,
    /// The inflated `cargo auditable` JSON, for each image that has it.
    pub cargo_audits: Vec<String>,
}

impl ExecutableFacts {
    fn is_empty(&self) -> bool {
        self.go_builds.is_empty() && self.cargo_audits.is_empty()
    }
}

/// Whether a file starting with `head` is an ELF, PE or (thin or universal) Mach-O file,
/// the formats Syft's executable MIME types cover.
pub(crate) fn is_executable(head: &[u8]) -> bool {
    const MAGICS: &[&[u8]] = &[
        b"\x7fELF",
        b"MZ",
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
        // Universal binaries; Java class files share the first magic and fail to parse.
        b"\xca\xfe\xba\xbe",
        b"\xca\xfe\xba\xbf",
    ];
    MAGICS.iter().any(|magic| head.starts_with(magic))
}

/// Whether captured content is something the binary catalogers read: a condensed record,
/// or a whole executable captured for another cataloger.
pub(crate) fn is_candidate(content: &[u8]) -> bool {
    content.starts_with(CONDENSED_MAGIC) || is_executable(content)
}

/// The condensed record of an executable, or `None` when it holds nothing the binary
/// catalogers report (most executables).
pub(crate) fn condense(path: &str, content: &[u8]) -> Option<Vec<u8>> {
    let facts = analyze(path, content);
    if facts.is_empty() {
        return None;
    }
    record(&facts)
}

/// The condensed record of some facts.
pub(crate) fn record(facts: &ExecutableFacts) -> Option<Vec<u8>> {
    let mut record = CONDENSED_MAGIC.to_vec();
    serde_json::to_writer(&mut record, facts).ok()?;
    Some(record)
}

/// The facts of captured content, condensed or whole.
pub(crate) fn facts(path: &str, content: &[u8]) -> ExecutableFacts {
    match content.strip_prefix(CONDENSED_MAGIC) {
        Some(record) => serde_json::from_slice(record).unwrap_or_else(|error| {
            tracing::warn!(path, %error, "skipping an unreadable condensed executable record");
            ExecutableFacts::default()
        }),
        None => analyze(path, content),
    }
}

/// Reads every image of an executable. Files that are not executables, or are truncated
/// or corrupt, give no facts; a warning says so where the file looked like one.
fn analyze(path: &str, content: &[u8]) -> ExecutableFacts {
    let mut facts = ExecutableFacts::default();
    for image in images(path, content) {
        let file = match object::File::parse(image) {
            Ok(file) => file,
            Err(error) => {
                tracing::debug!(path, %error, "skipping an unparseable executable");
                continue;
            }
        };
        match buildinfo::read(&file, image) {
            Ok(Some(build)) => facts.go_builds.push(build),
            Ok(None) => {}
            Err(error) => tracing::warn!(path, %error, "skipping unreadable Go build information"),
        }
        match audit::read_section(&file) {
            Ok(Some(json)) => facts.cargo_audits.push(json),
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(path, %error, "skipping an unreadable cargo auditable record")
            }
        }
    }
    facts
}

/// The images in a file: the file itself, or each architecture of a universal Mach-O.
fn images<'a>(path: &str, content: &'a [u8]) -> Vec<&'a [u8]> {
    let arches = match FileKind::parse(content) {
        Ok(FileKind::MachOFat32) => MachOFatFile32::parse(content).map(|fat| {
            fat.arches()
                .iter()
                .filter_map(|arch| arch.data(content).ok())
                .collect()
        }),
        Ok(FileKind::MachOFat64) => MachOFatFile64::parse(content).map(|fat| {
            fat.arches()
                .iter()
                .filter_map(|arch| arch.data(content).ok())
                .collect()
        }),
        _ => return vec![content],
    };
    arches.unwrap_or_else(|error| {
        tracing::debug!(path, %error, "skipping an unparseable universal binary");
        Vec::new()
    })
}

/// The executable's architecture as Go's `debug/*` packages name it after Syft's
/// clean-up (`EM_X86_64` → `x86_64`, `CpuArm64` → `arm64`, PE machine numbers in
/// decimal); used only when the build settings give no `GOARCH`.
/// Every executable of a view with its facts, located as primary evidence: what the Go and
/// cargo-auditable catalogers both walk.
pub(crate) fn located_facts(
    view: &plimsoll_image::FileView<'_>,
) -> Vec<(plimsoll_model::Location, ExecutableFacts)> {
    view.find_contents(&is_candidate)
        .into_iter()
        .filter_map(|location| {
            let content = view.contents(&location)?;
            let facts = facts(&location.path, &content);
            Some((
                location.with_evidence(plimsoll_model::Evidence::Primary),
                facts,
            ))
        })
        .collect()
}

pub(crate) fn header_architecture(file: &object::File<'_>) -> String {
    use object::Architecture as A;
    let elf = |name: &str| name.to_string();
    match file {
        object::File::Pe32(pe) => pe
            .nt_headers()
            .file_header
            .machine
            .get(object::LittleEndian)
            .to_string(),
        object::File::Pe64(pe) => pe
            .nt_headers()
            .file_header
            .machine
            .get(object::LittleEndian)
            .to_string(),
        object::File::MachO32(_) | object::File::MachO64(_) => match file.architecture() {
            A::X86_64 => "amd64",
            A::I386 => "386",
            A::Aarch64 => "arm64",
            A::Arm => "arm",
            A::PowerPc => "ppc",
            A::PowerPc64 => "ppc64",
            _ => "",
        }
        .to_string(),
        _ => elf(match file.architecture() {
            A::X86_64 | A::X86_64_X32 => "x86_64",
            A::I386 => "386",
            A::Aarch64 | A::Aarch64_Ilp32 => "aarch64",
            A::Arm => "arm",
            A::PowerPc64 => "ppc64",
            A::PowerPc => "ppc",
            A::S390x => "s390",
            A::Riscv64 | A::Riscv32 => "riscv",
            A::Mips | A::Mips64 => "mips",
            A::LoongArch64 => "loongarch",
            _ => "",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executables_are_recognised_by_their_first_bytes() {
        assert!(is_executable(b"\x7fELF\x02\x01"));
        assert!(is_executable(b"MZ\x90\x00"));
        assert!(is_executable(b"\xcf\xfa\xed\xfe"));
        assert!(!is_executable(b"#!/bin/sh\n"));
        assert!(!is_executable(b"\x7fEL"));
    }

    #[test]
    fn truncated_and_corrupt_executables_give_no_facts() {
        for content in [
            &b"\x7fELF"[..],
            b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff",
            b"MZ\x00\x00\xff\xff\xff\xff",
            b"\xca\xfe\xba\xbe\x00\x00\x00\x40",
            b"\xcf\xfa\xed\xfe\x07\x00\x00\x01",
        ] {
            assert_eq!(facts("/x", content), ExecutableFacts::default());
            assert_eq!(condense("/x", content), None);
        }
    }

    #[test]
    fn a_go_binary_condenses_to_the_same_facts() {
        use crate::golang::buildinfo::tests::{elf_with, inline_blob};
        let binary = elf_with(&inline_blob("go1.21.0", "path\tx\n"));
        let record = condense("/x", &binary).unwrap();
        assert!(record.len() < binary.len() + 200);
        assert_eq!(facts("/x", &record), facts("/x", &binary));
        assert_eq!(facts("/x", &record).go_builds[0].go_version, "go1.21.0");
    }

    #[test]
    fn a_condensed_record_reads_back() {
        let facts_in = ExecutableFacts {
            go_builds: vec![RawBuildInfo {
                go_version: "go1.22.1".into(),
                ..RawBuildInfo::default()
            }],
            cargo_audits: vec!["{}".into()],
        };
        let mut record = CONDENSED_MAGIC.to_vec();
        serde_json::to_writer(&mut record, &facts_in).unwrap();
        assert!(is_candidate(&record));
        assert_eq!(facts("/x", &record), facts_in);
        let garbled = [CONDENSED_MAGIC, b"{not json"].concat();
        assert_eq!(facts("/x", &garbled), ExecutableFacts::default());
    }
}
