//! A blob stream that checks, as it is read, that the content has the length and digest
//! its descriptor names. A registry that sends more than the descriptor's size is cut off
//! there, so an endless body cannot run a reader forever; a wrong digest is an error at the
//! end of the stream, before the reader sees end-of-file.

use std::io::{self, Read};

use sha2::{Digest as _, Sha256};

use crate::RegistryError;

/// A verified blob stream; errors carry a [`RegistryError`] inside the `io::Error`.
pub struct VerifiedBlob {
    inner: Box<dyn Read + Send>,
    hasher: Sha256,
    read: u64,
    /// The descriptor's size, when it gave one.
    expected_size: Option<u64>,
    expected_digest: String,
    registry: String,
    what: String,
    finished: bool,
}

impl VerifiedBlob {
    pub(crate) fn new(
        inner: Box<dyn Read + Send>,
        expected_digest: &str,
        expected_size: Option<u64>,
        registry: &str,
        what: String,
    ) -> VerifiedBlob {
        VerifiedBlob {
            inner,
            hasher: Sha256::new(),
            read: 0,
            expected_size,
            expected_digest: expected_digest.to_string(),
            registry: registry.to_string(),
            what,
            finished: false,
        }
    }

    fn fail(&self, error: RegistryError) -> io::Error {
        io::Error::other(error)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.finished = true;
        if let Some(size) = self.expected_size {
            if self.read != size {
                return Err(self.fail(RegistryError::Protocol {
                    registry: self.registry.clone(),
                    reason: format!(
                        "the {} ended after {} of its {size} bytes",
                        self.what, self.read
                    ),
                }));
            }
        }
        let actual = format!("sha256:{}", hex::encode(self.hasher.clone().finalize()));
        if actual != self.expected_digest {
            return Err(self.fail(RegistryError::DigestMismatch {
                registry: self.registry.clone(),
                what: self.what.clone(),
                expected: self.expected_digest.clone(),
                actual,
            }));
        }
        Ok(())
    }
}

impl Read for VerifiedBlob {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.finished || buf.is_empty() {
            return Ok(0);
        }
        // Ask for one byte past the expected end, to notice a body that is too long.
        let room = match self.expected_size {
            Some(size) => (size - self.read.min(size) + 1).min(buf.len() as u64) as usize,
            None => buf.len(),
        };
        let n = self.inner.read(&mut buf[..room]).map_err(|error| {
            self.fail(RegistryError::Protocol {
                registry: self.registry.clone(),
                reason: format!("the {} broke off: {error}", self.what),
            })
        })?;
        if n == 0 {
            self.finish()?;
            return Ok(0);
        }
        self.read += n as u64;
        if let Some(size) = self.expected_size {
            if self.read > size {
                self.finished = true;
                return Err(self.fail(RegistryError::TooLarge {
                    registry: self.registry.clone(),
                    what: format!(
                        "the {} is longer than the {size} bytes its descriptor names",
                        self.what
                    ),
                }));
            }
        }
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(content: &'static [u8], digest_of: &[u8], size: Option<u64>) -> VerifiedBlob {
        let digest = format!("sha256:{}", hex::encode(Sha256::digest(digest_of)));
        VerifiedBlob::new(Box::new(content), &digest, size, "r.io", "layer".into())
    }

    fn read_all(mut blob: VerifiedBlob) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        blob.read_to_end(&mut out)
            .map(|_| out)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn length_and_digest_are_checked_at_the_end() {
        assert_eq!(
            read_all(blob(b"hello", b"hello", Some(5))).unwrap(),
            b"hello"
        );
        assert_eq!(read_all(blob(b"hello", b"hello", None)).unwrap(), b"hello");
        let error = read_all(blob(b"hellO", b"hello", Some(5))).unwrap_err();
        assert!(error.contains("does not match its digest"), "{error}");
        let error = read_all(blob(b"hello world", b"hello", Some(5))).unwrap_err();
        assert!(error.contains("longer than the 5 bytes"), "{error}");
        let error = read_all(blob(b"hell", b"hello", Some(5))).unwrap_err();
        assert!(error.contains("ended after 4 of its 5 bytes"), "{error}");
    }
}
