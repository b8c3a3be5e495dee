//! What a reader keeps of the files it streams past: whole files wanted by their path, and
//! a condensed form of files recognised by their first bytes (executables, whose path says
//! nothing about whether a cataloger needs them).

use crate::index::SearchHit;

/// How many leading bytes of a file are offered to [`Capture::sniffs`].
pub const SNIFF_LENGTH: usize = 16;

/// Decides which file contents a source reader keeps.
///
/// A closure `Fn(&str) -> bool` is a `Capture` that wants files by path and sniffs nothing.
pub trait Capture: Sync {
    /// Whether the whole content of the regular file at `path` (absolute, as stored) is
    /// kept. Called for every entry of every layer, so it must be cheap.
    fn wants(&self, path: &str) -> bool;

    /// Whether a regular file that is not wanted by its path, and whose content starts
    /// with `head` (at most [`SNIFF_LENGTH`] bytes), is read whole and given to
    /// [`Capture::condense`].
    fn sniffs(&self, head: &[u8]) -> bool {
        let _ = head;
        false
    }

    /// What to keep of a sniffed file: a small digest of what catalogers need from it,
    /// or `None` to keep nothing. The file's own bytes are dropped either way, so memory
    /// stays bounded by the largest single file read.
    fn condense(&self, path: &str, content: &[u8]) -> Option<Vec<u8>> {
        let _ = (path, content);
        None
    }

    /// Whether every regular file (up to `Limits::max_inspected_file`) is read whole,
    /// hashed with SHA-256 and offered to [`Capture::search`]: the content analysis that
    /// policy gates look at. Off by default, since it reads every byte of every file.
    fn inspects(&self) -> bool {
        false
    }

    /// The lines of the file at `path` that content patterns match.
    fn search(&self, path: &str, content: &[u8]) -> Vec<SearchHit> {
        let _ = (path, content);
        Vec::new()
    }
}

impl<F: Fn(&str) -> bool + Sync> Capture for F {
    fn wants(&self, path: &str) -> bool {
        self(path)
    }
}
