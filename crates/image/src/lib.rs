//! Image sources and the file index.
