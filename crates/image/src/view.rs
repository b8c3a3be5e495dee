//! Views over a file index: the squashed image, or one layer's own files, with paths
//! resolved through symbolic links inside the root.

use std::sync::Arc;

use plimsoll_model::Location;

use crate::index::{Entry, EntryKind, FileIndex, Inspected, Tree};

/// How many symbolic links one lookup may follow; beyond that it is a loop.
const MAX_LINK_HOPS: usize = 40;

/// Which files of an image are cataloged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// The final file system, whiteouts applied.
    #[default]
    Squashed,
    /// Every layer's own files, including those later layers delete or replace.
    AllLayers,
}

/// A merged view of an index through some layer, optionally limited to the files that one
/// layer itself provides.
#[derive(Debug)]
pub struct FileView<'a> {
    index: &'a FileIndex,
    tree: Tree,
    own_layer: Option<u32>,
}

impl FileIndex {
    /// The views that a scan of `scope` catalogs: one for the squashed image, or one per
    /// layer for all layers.
    pub fn views(&self, scope: Scope) -> Vec<FileView<'_>> {
        if self.layers.is_empty() {
            return Vec::new();
        }
        match scope {
            Scope::Squashed => {
                vec![FileView {
                    index: self,
                    tree: self.tree_through(self.layers.len() - 1),
                    own_layer: None,
                }]
            }
            Scope::AllLayers => {
                let mut tree = Tree::new();
                (0..self.layers.len())
                    .map(|i| {
                        self.apply_layer(&mut tree, i);
                        FileView {
                            index: self,
                            tree: tree.clone(),
                            own_layer: Some(i as u32),
                        }
                    })
                    .collect()
            }
        }
    }
}

impl<'a> FileView<'a> {
    fn entry(&self, path: &str) -> Option<(&'a Entry, u32)> {
        let layer = *self.tree.get(path)?;
        Some((self.index.layers[layer as usize].entries.get(path)?, layer))
    }

    fn is_implicit_dir(&self, path: &str) -> bool {
        let prefix = format!("{path}/");
        self.tree
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(p, _)| p.starts_with(&prefix))
    }

    /// The real path of `path`, following symbolic links in every component. `None` when
    /// the path does not exist or the links loop.
    pub fn resolve(&self, path: &str) -> Option<String> {
        let mut pending: Vec<String> = path.split('/').rev().map(str::to_string).collect();
        let mut current = String::new();
        let mut hops = 0;
        while let Some(component) = pending.pop() {
            match component.as_str() {
                "" | "." => continue,
                ".." => {
                    current.truncate(current.rfind('/').unwrap_or(0));
                    continue;
                }
                _ => {}
            }
            let candidate = format!("{current}/{component}");
            match self.entry(&candidate) {
                Some((entry, _)) if entry.kind == EntryKind::Symlink => {
                    hops += 1;
                    if hops > MAX_LINK_HOPS {
                        return None;
                    }
                    let target = entry.link.as_deref().unwrap_or("");
                    if target.starts_with('/') {
                        current.clear();
                    }
                    pending.extend(target.split('/').rev().map(str::to_string));
                }
                Some(_) => current = candidate,
                None if self.is_implicit_dir(&candidate) => current = candidate,
                None => return None,
            }
        }
        Some(if current.is_empty() {
            "/".to_string()
        } else {
            current
        })
    }

    fn layer_id(&self, layer: u32) -> Option<String> {
        self.index.layers[layer as usize].diff_id.clone()
    }

    /// The location of a regular file reached from `path`, with its real path.
    pub fn file(&self, path: &str) -> Option<Location> {
        let real = self.resolve(path)?;
        let (entry, layer) = self.entry(&real)?;
        if !matches!(entry.kind, EntryKind::File | EntryKind::Hardlink) {
            return None;
        }
        Some(Location {
            path: real,
            access_path: path.to_string(),
            layer_id: self.layer_id(layer),
            evidence: None,
        })
    }

    /// Whether a regular file exists at `path` (after following links).
    pub fn exists(&self, path: &str) -> bool {
        self.file(path).is_some()
    }

    /// Locations of the regular files whose path (as stored, or as reached through a link)
    /// satisfies `wanted`, one per real path, in path order. In a per-layer view only the
    /// files that layer itself provides are returned.
    pub fn find(&self, wanted: &dyn Fn(&str) -> bool) -> Vec<Location> {
        let mut found: Vec<Location> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for path in self.tree.keys() {
            if !wanted(path) {
                continue;
            }
            let Some(location) = self.file(path) else {
                continue;
            };
            if let Some(own) = self.own_layer {
                if self.tree.get(&location.path) != Some(&own) {
                    continue;
                }
            }
            if seen.insert(location.path.clone()) {
                found.push(location);
            }
        }
        found
    }

    /// Locations of the regular files whose captured content satisfies `wanted`, in path
    /// order; only files that hold content are looked at, so this is cheap however large
    /// the view. In a per-layer view only the files that layer itself provides are
    /// returned.
    pub fn find_contents(&self, wanted: &dyn Fn(&[u8]) -> bool) -> Vec<Location> {
        let mut found = Vec::new();
        for (path, layer) in &self.tree {
            if self.own_layer.is_some_and(|own| own != *layer) {
                continue;
            }
            let layer_files = &self.index.layers[*layer as usize];
            let Some(content) = layer_files.contents.get(path) else {
                continue;
            };
            if !wanted(content) {
                continue;
            }
            if let Some(location) = self.file(path).filter(|l| &l.path == path) {
                found.push(location);
            }
        }
        found
    }

    /// The captured contents of the file at `location` (by its real path).
    pub fn contents(&self, location: &Location) -> Option<Arc<[u8]>> {
        self.read(&location.path)
    }

    /// The captured contents of the file reached from `path`.
    pub fn read(&self, path: &str) -> Option<Arc<[u8]>> {
        let real = self.resolve(path)?;
        let (_, layer) = self.entry(&real)?;
        self.index.layers[layer as usize]
            .contents
            .get(&real)
            .cloned()
    }

    /// What content inspection found in the visible file at `path` (not following links).
    pub fn inspected(&self, path: &str) -> Option<&'a Inspected> {
        let layer = *self.tree.get(path)?;
        self.index.layers[layer as usize].inspected.get(path)
    }

    /// Every visible entry with its path, in path order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &'a Entry)> + '_ {
        self.tree.iter().filter_map(|(path, layer)| {
            let entry = self.index.layers[*layer as usize].entries.get(path)?;
            Some((path.as_str(), entry))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Layer;

    fn entry(kind: EntryKind, link: Option<&str>) -> Entry {
        Entry {
            kind,
            link: link.map(str::to_string),
            size: 0,
            mode: 0,
            uid: 0,
            gid: 0,
        }
    }

    fn index() -> FileIndex {
        let mut layer = Layer {
            diff_id: Some("sha256:l1".into()),
            ..Layer::default()
        };
        let entries = [
            ("/usr", entry(EntryKind::Dir, None)),
            ("/usr/lib", entry(EntryKind::Dir, None)),
            ("/usr/lib/os-release", entry(EntryKind::File, None)),
            ("/etc", entry(EntryKind::Dir, None)),
            (
                "/etc/os-release",
                entry(EntryKind::Symlink, Some("../usr/lib/os-release")),
            ),
            ("/lib", entry(EntryKind::Symlink, Some("usr/lib"))),
            ("/loop1", entry(EntryKind::Symlink, Some("/loop2"))),
            ("/loop2", entry(EntryKind::Symlink, Some("loop1"))),
            (
                "/escape",
                entry(EntryKind::Symlink, Some("../../../../usr/lib/os-release")),
            ),
            ("/implicit/dir/file", entry(EntryKind::File, None)),
        ];
        for (path, e) in entries {
            layer.entries.insert(path.to_string(), e);
        }
        layer
            .contents
            .insert("/usr/lib/os-release".into(), Arc::from(&b"ID=debian\n"[..]));
        FileIndex {
            layers: vec![layer],
        }
    }

    #[test]
    fn links_resolve_inside_the_root() {
        let index = index();
        let view = &index.views(Scope::Squashed)[0];
        assert_eq!(
            view.resolve("/etc/os-release").as_deref(),
            Some("/usr/lib/os-release")
        );
        assert_eq!(
            view.resolve("/lib/os-release").as_deref(),
            Some("/usr/lib/os-release")
        );
        assert_eq!(
            view.resolve("/escape").as_deref(),
            Some("/usr/lib/os-release")
        );
        assert_eq!(
            view.resolve("/implicit/dir/file").as_deref(),
            Some("/implicit/dir/file")
        );
        assert_eq!(
            view.read("/etc/os-release").as_deref(),
            Some(&b"ID=debian\n"[..])
        );
        let location = view.file("/etc/os-release").unwrap();
        assert_eq!(location.access_path, "/etc/os-release");
        assert_eq!(location.layer_id.as_deref(), Some("sha256:l1"));
    }

    #[test]
    fn symlink_loops_end() {
        let index = index();
        let view = &index.views(Scope::Squashed)[0];
        assert_eq!(view.resolve("/loop1"), None);
        assert!(view.find(&|p| p.starts_with("/loop")).is_empty());
    }

    #[test]
    fn find_returns_each_real_file_once() {
        let index = index();
        let view = &index.views(Scope::Squashed)[0];
        let found = view.find(&|p| p.ends_with("os-release"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "/usr/lib/os-release");
    }
}
