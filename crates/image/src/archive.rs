//! Random access to the members of a plain tar archive (`docker save` output, OCI archives):
//! one pass over the headers records where each member's data starts, then members are read
//! by seeking.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::blobs::BlobStore;
use crate::path::{join_in_root, normalise_entry, parent};
use crate::ImageError;

/// The most members an image archive may have; real ones have tens to hundreds.
const MAX_MEMBERS: usize = 1_000_000;
/// How many symbolic links are followed to reach a member before giving up.
const MAX_LINK_HOPS: usize = 16;

#[derive(Debug, Clone)]
struct Member {
    offset: u64,
    size: u64,
    /// For a symbolic or hard link, the absolute path inside the archive it points at.
    link: Option<String>,
}

/// A tar archive whose members can be opened by name.
#[derive(Debug)]
pub(crate) struct TarArchive {
    path: PathBuf,
    input: String,
    members: HashMap<String, Member>,
}

impl TarArchive {
    /// Reads the archive's headers. Fails on anything that is not a readable tar.
    pub(crate) fn open(path: &Path, input: &str) -> Result<Self, ImageError> {
        let format_error = |reason: String| ImageError::Format {
            input: input.to_string(),
            kind: "tar archive",
            reason,
        };
        let file = File::open(path).map_err(|e| ImageError::io(path.display().to_string(), e))?;
        let length = file.metadata().map_err(|e| ImageError::io(input, e))?.len();
        let mut reader = BufReader::new(file);
        let mut magic = [0u8; 4];
        let read = reader
            .read(&mut magic)
            .map_err(|e| ImageError::io(input, e))?;
        if read >= 2 && magic[..2] == [0x1f, 0x8b] {
            return Err(format_error(
                "it is gzip-compressed; decompress it first (`gunzip`)".to_string(),
            ));
        }
        reader
            .seek(SeekFrom::Start(0))
            .map_err(|e| ImageError::io(input, e))?;

        let mut archive = tar::Archive::new(reader);
        let entries = archive
            .entries_with_seek()
            .map_err(|e| format_error(e.to_string()))?;
        let mut members = HashMap::new();
        for entry in entries {
            let entry = entry.map_err(|e| format_error(e.to_string()))?;
            if members.len() >= MAX_MEMBERS {
                return Err(format_error(format!("more than {MAX_MEMBERS} members")));
            }
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let Some(name) = normalise_entry(&name) else {
                // A member outside the archive root cannot be named by a manifest; skip it.
                continue;
            };
            let header = entry.header();
            let kind = header.entry_type();
            let link = if kind.is_symlink() || kind.is_hard_link() {
                let target = entry
                    .link_name_bytes()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                Some(if kind.is_symlink() {
                    join_in_root(parent(&name), &target)
                } else {
                    join_in_root("/", &target)
                })
            } else {
                None
            };
            let size = entry.size();
            if entry.raw_file_position().saturating_add(size) > length {
                return Err(format_error(format!(
                    "it is truncated: member `{name}` ends past the end of the file"
                )));
            }
            members.insert(
                name,
                Member {
                    offset: entry.raw_file_position(),
                    size,
                    link,
                },
            );
        }
        if members.is_empty() {
            return Err(format_error("it has no members".to_string()));
        }
        Ok(TarArchive {
            path: path.to_path_buf(),
            input: input.to_string(),
            members,
        })
    }

    fn member(&self, name: &str) -> Option<&Member> {
        let mut current = join_in_root("/", name);
        for _ in 0..MAX_LINK_HOPS {
            let member = self.members.get(&current)?;
            match &member.link {
                Some(target) => current = target.clone(),
                None => return Some(member),
            }
        }
        None
    }
}

impl BlobStore for TarArchive {
    fn input(&self) -> &str {
        &self.input
    }

    fn exists(&self, name: &str) -> bool {
        self.member(name).is_some()
    }

    fn open(&self, name: &str) -> Result<(Box<dyn Read + Send>, u64), ImageError> {
        let member = self.member(name).ok_or_else(|| ImageError::Format {
            input: self.input.clone(),
            kind: "image archive",
            reason: format!("it has no member `{name}`"),
        })?;
        let mut file = File::open(&self.path)
            .map_err(|e| ImageError::io(self.path.display().to_string(), e))?;
        file.seek(SeekFrom::Start(member.offset))
            .map_err(|e| ImageError::io(&self.input, e))?;
        Ok((Box::new(file.take(member.size)), member.size))
    }
}
