//! The vulnerability store: one SQLite file holding normalised advisories, indexed by
//! (namespace, package) for matching, plus KEV and EPSS data by CVE.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction};

use crate::{Advisory, Affected, ExploitInfo, StoreError};

/// The schema this code writes and reads.
const SCHEMA_VERSION: i64 = 1;
/// Marks the file as ours, so that a foreign SQLite file is refused.
const APPLICATION: &str = "plimsoll-vulndb";

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE feeds (
    name TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    updated TEXT NOT NULL,
    imported INTEGER NOT NULL,
    skipped INTEGER NOT NULL
);
CREATE TABLE advisories (
    feed TEXT NOT NULL,
    id TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (feed, id)
);
CREATE TABLE affected (
    feed TEXT NOT NULL,
    advisory TEXT NOT NULL,
    namespace TEXT NOT NULL,
    package TEXT NOT NULL,
    entry TEXT NOT NULL
);
CREATE INDEX affected_by_package ON affected (namespace, package);
CREATE INDEX affected_by_advisory ON affected (feed, advisory);
CREATE TABLE kev (
    cve TEXT PRIMARY KEY,
    date_added TEXT,
    due_date TEXT,
    ransomware TEXT
);
CREATE TABLE epss (cve TEXT PRIMARY KEY, score REAL NOT NULL, percentile REAL NOT NULL);
";

/// One feed as `db status` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedStatus {
    pub name: String,
    pub source: String,
    /// When it was last imported (RFC 3339, UTC).
    pub updated: String,
    pub imported: u64,
    pub skipped: u64,
}

/// One namespace of a feed (`debian:12`, `pypi`) and how many advisories it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupStatus {
    pub feed: String,
    pub namespace: String,
    pub advisories: u64,
    pub updated: String,
}

/// An open vulnerability store.
#[derive(Debug)]
pub struct Store {
    connection: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens the store at `path`, creating it if it does not exist.
    pub fn open_or_create(path: &Path) -> Result<Store, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(parent);
        }
        let fresh = !path.exists();
        let store = Store::connect(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )?;
        if fresh {
            store.create_schema()?;
        } else {
            store.check_schema()?;
        }
        Ok(store)
    }

    /// Opens an existing store for reading; a missing file is an error.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if !path.is_file() {
            return Err(StoreError::NotAStore {
                path: path.display().to_string(),
                reason: "the file does not exist; import feeds with `plimsoll db import`"
                    .to_string(),
            });
        }
        let store = Store::connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        store.check_schema()?;
        Ok(store)
    }

    fn connect(path: &Path, flags: OpenFlags) -> Result<Store, StoreError> {
        let connection = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|source| StoreError::Sqlite {
                path: path.display().to_string(),
                source,
            })?;
        let _ = connection.busy_timeout(std::time::Duration::from_secs(10));
        Ok(Store {
            connection,
            path: path.to_path_buf(),
        })
    }

    fn error(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sqlite {
            path: self.path.display().to_string(),
            source,
        }
    }

    fn create_schema(&self) -> Result<(), StoreError> {
        self.connection
            .execute_batch("PRAGMA journal_mode = WAL;")
            .map_err(self.error())?;
        let transaction = self
            .connection
            .unchecked_transaction()
            .map_err(self.error())?;
        transaction.execute_batch(SCHEMA).map_err(self.error())?;
        transaction
            .execute(
                "INSERT INTO meta (key, value) VALUES ('application', ?1), ('schema_version', ?2)",
                params![APPLICATION, SCHEMA_VERSION.to_string()],
            )
            .map_err(self.error())?;
        transaction.commit().map_err(self.error())
    }

    /// Refuses files that are not SQLite, not ours, or from a newer schema.
    fn check_schema(&self) -> Result<(), StoreError> {
        let not_ours = |reason: String| StoreError::NotAStore {
            path: self.path.display().to_string(),
            reason,
        };
        let application: Option<String> = self
            .connection
            .query_row(
                "SELECT value FROM meta WHERE key = 'application'",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| not_ours(e.to_string()))?;
        if application.as_deref() != Some(APPLICATION) {
            return Err(not_ours("it has no Plimsoll metadata".to_string()));
        }
        let version: String = self
            .connection
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |row| row.get(0),
            )
            .map_err(|e| not_ours(e.to_string()))?;
        let found: i64 = version
            .parse()
            .map_err(|_| not_ours(format!("schema version `{version}`")))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: self.path.display().to_string(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(())
    }

    /// Starts importing one feed; nothing is visible to readers until [`ImportBatch::finish`].
    pub fn begin_import(
        &mut self,
        feed: &str,
        source: &str,
    ) -> Result<ImportBatch<'_>, StoreError> {
        let path = self.path.display().to_string();
        let transaction = self
            .connection
            .transaction()
            .map_err(|source| StoreError::Sqlite {
                path: path.clone(),
                source,
            })?;
        Ok(ImportBatch {
            transaction,
            path,
            feed: feed.to_string(),
            source: source.to_string(),
            imported: 0,
            skipped: 0,
        })
    }

    /// The advisories that name `package` in `namespace`, each with the one affected entry
    /// that matched. Withdrawn advisories are left out.
    pub fn lookup(
        &self,
        namespace: &str,
        package: &str,
    ) -> Result<Vec<(Advisory, Affected)>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached(
                "SELECT a.record, f.entry FROM affected f
                 JOIN advisories a ON a.feed = f.feed AND a.id = f.advisory
                 WHERE f.namespace = ?1 AND f.package = ?2
                 ORDER BY a.id",
            )
            .map_err(self.error())?;
        let rows = statement
            .query_map(params![namespace, package], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(self.error())?;
        let mut found = Vec::new();
        for row in rows {
            let (record, entry) = row.map_err(self.error())?;
            let damaged = |e: serde_json::Error| StoreError::Damaged {
                path: self.path.display().to_string(),
                reason: e.to_string(),
            };
            let advisory: Advisory = serde_json::from_str(&record).map_err(damaged)?;
            if advisory.withdrawn.is_some() {
                continue;
            }
            let affected: Affected = serde_json::from_str(&entry).map_err(damaged)?;
            found.push((advisory, affected));
        }
        Ok(found)
    }

    /// KEV and EPSS facts for a CVE, where imported.
    pub fn exploit_info(&self, cve: &str) -> Result<ExploitInfo, StoreError> {
        let mut info = ExploitInfo::default();
        let kev = self
            .connection
            .prepare_cached("SELECT date_added, due_date, ransomware FROM kev WHERE cve = ?1")
            .map_err(self.error())?
            .query_row(params![cve], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .optional()
            .map_err(self.error())?;
        if let Some((added, due, ransomware)) = kev {
            info.kev_date_added = added;
            info.kev_due_date = due;
            info.kev_ransomware = ransomware;
        }
        let epss = self
            .connection
            .prepare_cached("SELECT score, percentile FROM epss WHERE cve = ?1")
            .map_err(self.error())?
            .query_row(params![cve], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()
            .map_err(self.error())?;
        if let Some((score, percentile)) = epss {
            info.epss_score = Some(score);
            info.epss_percentile = Some(percentile);
        }
        Ok(info)
    }

    /// Every feed, by name.
    pub fn feeds(&self) -> Result<Vec<FeedStatus>, StoreError> {
        let mut statement = self
            .connection
            .prepare("SELECT name, source, updated, imported, skipped FROM feeds ORDER BY name")
            .map_err(self.error())?;
        let rows = statement
            .query_map([], |row| {
                Ok(FeedStatus {
                    name: row.get(0)?,
                    source: row.get(1)?,
                    updated: row.get(2)?,
                    imported: row.get::<_, i64>(3)? as u64,
                    skipped: row.get::<_, i64>(4)? as u64,
                })
            })
            .map_err(self.error())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.error())
    }

    /// Every (feed, namespace) group with its advisory count.
    pub fn groups(&self) -> Result<Vec<GroupStatus>, StoreError> {
        let mut statement = self
            .connection
            .prepare(
                "SELECT f.feed, f.namespace, COUNT(DISTINCT f.advisory), feeds.updated
                 FROM affected f JOIN feeds ON feeds.name = f.feed
                 GROUP BY f.feed, f.namespace ORDER BY f.feed, f.namespace",
            )
            .map_err(self.error())?;
        let rows = statement
            .query_map([], |row| {
                Ok(GroupStatus {
                    feed: row.get(0)?,
                    namespace: row.get(1)?,
                    advisories: row.get::<_, i64>(2)? as u64,
                    updated: row.get(3)?,
                })
            })
            .map_err(self.error())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.error())
    }

    /// How many KEV and EPSS records are stored.
    pub fn exploit_counts(&self) -> Result<(u64, u64), StoreError> {
        let count = |table: &str| -> Result<u64, StoreError> {
            self.connection
                .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
                    row.get::<_, i64>(0)
                })
                .map(|n| n as u64)
                .map_err(self.error())
        };
        Ok((count("kev")?, count("epss")?))
    }
}

/// An import of one feed in one transaction: re-importing an advisory replaces it.
pub struct ImportBatch<'a> {
    transaction: Transaction<'a>,
    path: String,
    feed: String,
    source: String,
    imported: u64,
    skipped: u64,
}

impl ImportBatch<'_> {
    fn error(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Stores an advisory, replacing any earlier version of it from the same feed.
    pub fn put(&mut self, advisory: &Advisory) -> Result<(), StoreError> {
        let mut record = advisory.clone();
        let affected = std::mem::take(&mut record.affected);
        let record = serde_json::to_string(&record).unwrap_or_default();
        self.transaction
            .execute(
                "DELETE FROM affected WHERE feed = ?1 AND advisory = ?2",
                params![self.feed, advisory.id],
            )
            .map_err(self.error())?;
        self.transaction
            .execute(
                "INSERT OR REPLACE INTO advisories (feed, id, record) VALUES (?1, ?2, ?3)",
                params![self.feed, advisory.id, record],
            )
            .map_err(self.error())?;
        let mut insert = self
            .transaction
            .prepare_cached("INSERT INTO affected (feed, advisory, namespace, package, entry) VALUES (?1, ?2, ?3, ?4, ?5)")
            .map_err(self.error())?;
        for entry in &affected {
            let json = serde_json::to_string(entry).unwrap_or_default();
            insert
                .execute(params![
                    self.feed,
                    advisory.id,
                    entry.namespace,
                    entry.package,
                    json
                ])
                .map_err(|source| StoreError::Sqlite {
                    path: self.path.clone(),
                    source,
                })?;
        }
        self.imported += 1;
        Ok(())
    }

    /// Stores a CISA KEV entry.
    pub fn put_kev(
        &mut self,
        cve: &str,
        date_added: Option<&str>,
        due_date: Option<&str>,
        ransomware: Option<&str>,
    ) -> Result<(), StoreError> {
        self.transaction
            .execute("INSERT OR REPLACE INTO kev (cve, date_added, due_date, ransomware) VALUES (?1, ?2, ?3, ?4)", params![cve, date_added, due_date, ransomware])
            .map_err(self.error())?;
        self.imported += 1;
        Ok(())
    }

    /// Stores an EPSS score.
    pub fn put_epss(&mut self, cve: &str, score: f64, percentile: f64) -> Result<(), StoreError> {
        self.transaction
            .execute(
                "INSERT OR REPLACE INTO epss (cve, score, percentile) VALUES (?1, ?2, ?3)",
                params![cve, score, percentile],
            )
            .map_err(self.error())?;
        self.imported += 1;
        Ok(())
    }

    /// Counts a record that could not be imported.
    pub fn skip(&mut self) {
        self.skipped += 1;
    }

    /// Records the feed and commits everything; returns (imported, skipped).
    pub fn finish(self, updated: &str) -> Result<(u64, u64), StoreError> {
        let (imported, skipped) = (self.imported, self.skipped);
        self.transaction
            .execute(
                "INSERT INTO feeds (name, source, updated, imported, skipped) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (name) DO UPDATE SET source = ?2, updated = ?3, imported = ?4, skipped = ?5",
                params![self.feed, self.source, updated, imported as i64, skipped as i64],
            )
            .map_err(|source| StoreError::Sqlite { path: self.path.clone(), source })?;
        let path = self.path.clone();
        self.transaction
            .commit()
            .map_err(|source| StoreError::Sqlite { path, source })?;
        Ok((imported, skipped))
    }
}

impl crate::AdvisorySource for Store {
    fn lookup(
        &self,
        namespace: &str,
        package: &str,
    ) -> Result<Vec<(Advisory, Affected)>, StoreError> {
        Store::lookup(self, namespace, package)
    }

    fn covers(&self, namespace: &str) -> Result<bool, StoreError> {
        self.connection
            .prepare_cached("SELECT 1 FROM affected WHERE namespace = ?1 LIMIT 1")
            .map_err(self.error())?
            .exists(params![namespace])
            .map_err(self.error())
    }

    fn exploit_info(&self, cve: &str) -> Result<ExploitInfo, StoreError> {
        Store::exploit_info(self, cve)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Event, FixState, Range};

    fn advisory(id: &str, fixed: &str) -> Advisory {
        Advisory {
            id: id.into(),
            aliases: vec!["CVE-2099-0001".into()],
            affected: vec![Affected {
                namespace: "pypi".into(),
                package: "requests".into(),
                scheme: "pep440".into(),
                ranges: vec![Range {
                    events: vec![Event::Introduced("0".into()), Event::Fixed(fixed.into())],
                }],
                versions: vec![],
                constraints: vec![],
                fix: FixState::Fixed(vec![fixed.into()]),
                cpes: vec![],
            }],
            ..Advisory::default()
        }
    }

    #[test]
    fn import_lookup_and_reimport_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vulns.db");
        let mut store = Store::open_or_create(&path).unwrap();
        let mut batch = store.begin_import("osv", "test").unwrap();
        batch.put(&advisory("PYSEC-1", "2.0")).unwrap();
        batch.skip();
        assert_eq!(batch.finish("2026-01-01T00:00:00Z").unwrap(), (1, 1));

        let mut batch = store.begin_import("osv", "test").unwrap();
        batch.put(&advisory("PYSEC-1", "2.1")).unwrap();
        batch.finish("2026-01-02T00:00:00Z").unwrap();

        let store = Store::open(&path).unwrap();
        let found = store.lookup("pypi", "requests").unwrap();
        assert_eq!(found.len(), 1, "re-importing replaced the record");
        assert_eq!(found[0].1.fix, FixState::Fixed(vec!["2.1".into()]));
        let groups = store.groups().unwrap();
        assert_eq!(
            (groups[0].namespace.as_str(), groups[0].advisories),
            ("pypi", 1)
        );
        assert_eq!(store.feeds().unwrap()[0].updated, "2026-01-02T00:00:00Z");
    }

    #[test]
    fn foreign_and_corrupt_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let garbage = dir.path().join("garbage.db");
        std::fs::write(&garbage, vec![0x42; 4096]).unwrap();
        assert!(matches!(
            Store::open(&garbage),
            Err(StoreError::NotAStore { .. })
        ));

        let foreign = dir.path().join("foreign.db");
        Connection::open(&foreign)
            .unwrap()
            .execute_batch("CREATE TABLE t (x);")
            .unwrap();
        assert!(matches!(
            Store::open(&foreign),
            Err(StoreError::NotAStore { .. })
        ));
        assert!(matches!(
            Store::open(&dir.path().join("missing.db")),
            Err(StoreError::NotAStore { .. })
        ));
    }
}
