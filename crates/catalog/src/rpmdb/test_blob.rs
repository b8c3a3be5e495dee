//! Builds header blobs for tests, so that parsers can be checked on small, named inputs.

/// Accumulates index entries and their data, then serialises them as rpm does.
#[derive(Debug, Default)]
pub(crate) struct BlobBuilder {
    index: Vec<[u32; 4]>,
    data: Vec<u8>,
}

impl BlobBuilder {
    /// Adds a `STRING` entry.
    pub(crate) fn string(self, tag: u32, value: &str) -> Self {
        let mut bytes = value.as_bytes().to_vec();
        bytes.push(0);
        self.raw(tag, 6, 1, &bytes)
    }

    /// Adds a `STRING_ARRAY` entry.
    pub(crate) fn strings(self, tag: u32, values: &[&str]) -> Self {
        let mut bytes = Vec::new();
        for value in values {
            bytes.extend_from_slice(value.as_bytes());
            bytes.push(0);
        }
        self.raw(tag, 8, values.len() as u32, &bytes)
    }

    /// Adds an `INT16` entry.
    pub(crate) fn int16(self, tag: u32, values: &[u16]) -> Self {
        let bytes: Vec<u8> = values
            .iter()
            .flat_map(|value| value.to_be_bytes())
            .collect();
        self.raw(tag, 3, values.len() as u32, &bytes)
    }

    /// Adds an `INT32` entry.
    pub(crate) fn int32(self, tag: u32, values: &[u32]) -> Self {
        let bytes: Vec<u8> = values
            .iter()
            .flat_map(|value| value.to_be_bytes())
            .collect();
        self.raw(tag, 4, values.len() as u32, &bytes)
    }

    /// Adds an `INT64` entry.
    pub(crate) fn int64(self, tag: u32, values: &[u64]) -> Self {
        let bytes: Vec<u8> = values
            .iter()
            .flat_map(|value| value.to_be_bytes())
            .collect();
        self.raw(tag, 5, values.len() as u32, &bytes)
    }

    /// Adds an entry of any type with the given data bytes.
    pub(crate) fn raw(mut self, tag: u32, kind: u32, count: u32, bytes: &[u8]) -> Self {
        self.index.push([tag, kind, self.data.len() as u32, count]);
        self.data.extend_from_slice(bytes);
        self
    }

    /// Adds an index entry without data, pointing wherever the test wants.
    pub(crate) fn entry(mut self, tag: u32, kind: u32, offset: u32, count: u32) -> Self {
        self.index.push([tag, kind, offset, count]);
        self
    }

    /// Serialises the blob: counts, index, data.
    pub(crate) fn build(&self) -> Vec<u8> {
        let mut blob = Vec::new();
        blob.extend_from_slice(&(self.index.len() as u32).to_be_bytes());
        blob.extend_from_slice(&(self.data.len() as u32).to_be_bytes());
        for field in self.index.iter().flatten() {
            blob.extend_from_slice(&field.to_be_bytes());
        }
        blob.extend_from_slice(&self.data);
        blob
    }
}
