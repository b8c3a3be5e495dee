//! The file index: every layer's entries and whiteouts, and the captured file contents.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// What kind of file system object an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// A hard link; its content is the content of `Entry::link`.
    Hardlink,
    /// Devices, FIFOs and anything else with no content to read.
    Other,
}

/// One file system entry of a layer (or of a directory source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    /// The raw target of a symbolic link, or the absolute path a hard link names.
    pub link: Option<String>,
    pub size: u64,
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
}

/// One layer as read: its entries, the whiteouts it applies to the layers below, and the
/// contents of the files catalogers wanted.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    /// The layer's diff ID (`sha256:…`); `None` for a directory source.
    pub diff_id: Option<String>,
    /// Entries by absolute path.
    pub entries: BTreeMap<String, Entry>,
    /// Paths removed from lower layers by `.wh.NAME` markers.
    pub whiteouts: Vec<String>,
    /// Directories whose lower-layer contents are hidden by `.wh..wh..opq` markers.
    pub opaque_dirs: Vec<String>,
    /// Captured contents by absolute path.
    pub contents: HashMap<String, Arc<[u8]>>,
    /// What content inspection found, by absolute path (see `Capture::inspects`).
    pub inspected: HashMap<String, Inspected>,
    /// Bytes of the uncompressed layer tar (or of the files of a directory).
    pub uncompressed_size: u64,
}

/// What content inspection found in one regular file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspected {
    pub sha256: [u8; 32],
    /// The lines that content patterns matched (see `Capture::search`).
    pub matches: Vec<SearchHit>,
}

/// One line of a file that one content pattern matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SearchHit {
    /// The pattern's index in the searcher's own list.
    pub pattern: u32,
    /// The line, counted from 0.
    pub line: u32,
}

/// All layers of a source, lowest first.
#[derive(Debug, Clone, Default)]
pub struct FileIndex {
    pub layers: Vec<Layer>,
}

/// A merged view of the layers: each visible path and the layer that provides it.
pub(crate) type Tree = BTreeMap<String, u32>;

impl FileIndex {
    /// Drops every entry (with its captured and inspected content) whose path `keep`
    /// refuses, from every layer: what `--exclude` leaves out is not there to catalog.
    /// Whiteouts stay, so an excluded path still hides what lies below it.
    pub fn retain_paths(&mut self, keep: impl Fn(&str) -> bool) {
        for layer in &mut self.layers {
            layer.entries.retain(|path, _| keep(path));
            layer.contents.retain(|path, _| keep(path));
            layer.inspected.retain(|path, _| keep(path));
        }
    }

    /// Applies layer `index` on top of `tree`: first its whiteouts and opaque directories
    /// hide what lies below, then its own entries are laid over.
    pub(crate) fn apply_layer(&self, tree: &mut Tree, index: usize) {
        let layer = &self.layers[index];
        for dir in &layer.opaque_dirs {
            remove_below(tree, dir);
        }
        for path in &layer.whiteouts {
            tree.remove(path);
            remove_below(tree, path);
        }
        for path in layer.entries.keys() {
            tree.insert(path.clone(), index as u32);
        }
    }

    /// The view after every layer up to and including `last`.
    pub(crate) fn tree_through(&self, last: usize) -> Tree {
        let mut tree = Tree::new();
        for index in 0..=last.min(self.layers.len().saturating_sub(1)) {
            self.apply_layer(&mut tree, index);
        }
        tree
    }

    /// How many entries all layers hold together.
    pub fn entry_count(&self) -> usize {
        self.layers.iter().map(|l| l.entries.len()).sum()
    }
}

/// Removes every path strictly below `dir`.
fn remove_below(tree: &mut Tree, dir: &str) {
    let prefix = if dir == "/" {
        "/".to_string()
    } else {
        format!("{dir}/")
    };
    let doomed: Vec<String> = tree
        .range(prefix.clone()..)
        .take_while(|(p, _)| p.starts_with(&prefix))
        .map(|(p, _)| p.clone())
        .collect();
    for path in doomed {
        tree.remove(&path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> Entry {
        Entry {
            kind: EntryKind::File,
            link: None,
            size: 1,
            mode: 0o644,
            uid: 0,
            gid: 0,
        }
    }

    fn layer(paths: &[&str], whiteouts: &[&str], opaque: &[&str]) -> Layer {
        Layer {
            entries: paths.iter().map(|p| (p.to_string(), file())).collect(),
            whiteouts: whiteouts.iter().map(|p| p.to_string()).collect(),
            opaque_dirs: opaque.iter().map(|p| p.to_string()).collect(),
            ..Layer::default()
        }
    }

    #[test]
    fn whiteouts_hide_lower_files_and_their_subtrees() {
        let index = FileIndex {
            layers: vec![
                layer(&["/a", "/a/x", "/a/y", "/ab", "/b"], &[], &[]),
                layer(&["/c"], &["/a", "/b"], &[]),
            ],
        };
        let tree = index.tree_through(1);
        assert_eq!(tree.keys().collect::<Vec<_>>(), vec!["/ab", "/c"]);
    }

    #[test]
    fn opaque_directories_hide_only_lower_contents() {
        let index = FileIndex {
            layers: vec![
                layer(
                    &["/opt", "/opt/tools", "/opt/tools/old", "/opt/toolsx"],
                    &[],
                    &[],
                ),
                layer(&["/opt/tools", "/opt/tools/README"], &[], &["/opt/tools"]),
            ],
        };
        let tree = index.tree_through(1);
        assert_eq!(
            tree.iter()
                .map(|(p, l)| (p.as_str(), *l))
                .collect::<Vec<_>>(),
            vec![
                ("/opt", 0),
                ("/opt/tools", 1),
                ("/opt/tools/README", 1),
                ("/opt/toolsx", 0)
            ]
        );
    }
}
