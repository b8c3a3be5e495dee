//! Limits that keep hostile input from exhausting memory or time.

/// Bounds on what a scan will read. The defaults are far above any real image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest file whose content a cataloger may capture into memory.
    pub max_captured_file: u64,
    /// The largest file read whole to be condensed (see `Capture::sniffs`); larger ones
    /// are skipped with a warning, since every executable of an image may be sniffed.
    pub max_sniffed_file: u64,
    /// The largest file read whole for content inspection (digest and content search);
    /// larger files are listed without a digest.
    pub max_inspected_file: u64,
    /// The largest JSON document (manifest, config, index) read whole.
    pub max_json_document: u64,
    /// The most uncompressed bytes read from all layers together.
    pub max_uncompressed_total: u64,
    /// Above `ratio_floor` uncompressed bytes, the largest expansion ratio of a compressed
    /// layer. Real layers expand 2–10 times; a decompression bomb expands hundreds of times.
    pub max_expansion_ratio: u64,
    /// Uncompressed bytes below which the ratio is not checked.
    pub ratio_floor: u64,
    /// The most entries (files, directories, whiteouts) in one layer; real layers have at
    /// most a few hundred thousand, and each costs memory in the index.
    pub max_entries_per_layer: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_captured_file: 512 << 20,
            max_sniffed_file: 256 << 20,
            max_inspected_file: 64 << 20,
            max_json_document: 16 << 20,
            max_uncompressed_total: 256 << 30,
            max_expansion_ratio: 200,
            ratio_floor: 1 << 30,
            max_entries_per_layer: 4_000_000,
        }
    }
}
