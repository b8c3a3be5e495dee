//! Readers for the three RPM database formats: SQLite, Berkeley DB hash and NDB.
