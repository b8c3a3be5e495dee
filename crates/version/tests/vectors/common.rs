//! Reading the vector files.

use std::cmp::Ordering;
use std::path::PathBuf;

/// The path of a file under `shared/vulndata/version-vectors`.
pub fn path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/vulndata/version-vectors")
        .join(relative)
}

/// The text of a vector file.
pub fn read(relative: &str) -> String {
    let path = path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// A JSON vector file.
pub fn json(relative: &str) -> serde_json::Value {
    serde_json::from_str(&read(relative)).unwrap_or_else(|error| panic!("{relative}: {error}"))
}

/// `-1`, `0` or `1` as an ordering.
pub fn ordering(sign: i64) -> Ordering {
    sign.cmp(&0)
}

/// `<`, `=` or `>` as an ordering.
pub fn ordering_of(op: &str) -> Option<Ordering> {
    match op {
        "<" => Some(Ordering::Less),
        "=" => Some(Ordering::Equal),
        ">" => Some(Ordering::Greater),
        _ => None,
    }
}

/// Collects failures so a test reports all of them at once.
#[derive(Default)]
pub struct Failures(Vec<String>);

impl Failures {
    pub fn push(&mut self, failure: String) {
        self.0.push(failure);
    }

    /// Panics with every failure, if there are any.
    pub fn check(self, file: &str) {
        if !self.0.is_empty() {
            let shown: Vec<&String> = self.0.iter().take(400).collect();
            panic!("{file}: {} failures:\n{:#?}", self.0.len(), shown);
        }
    }
}
