//! Schema migrations, applied at start. Each runs once, in order, inside a transaction; on
//! PostgreSQL an advisory lock makes concurrent starters wait for the first one.

use sqlx::Row;

use super::{Backend, Store};
use crate::ServerError;

/// Arbitrary, fixed: the advisory lock key that serialises migrations on PostgreSQL.
const MIGRATION_LOCK: i64 = 0x706c_696d_736f;

/// The migrations, in order. Never edit one that has shipped; add a new one.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, INITIAL),
    (2, POLICIES),
    (3, SCALE_OUT),
    (4, REGISTRIES),
    (5, BASES_CORRECTIONS_VEX),
    (6, SUBSCRIPTIONS_AND_WEBHOOKS),
    (7, SUBSCRIPTION_CHECKS),
];

const INITIAL: &str = r#"
CREATE TABLE accounts (
    name TEXT PRIMARY KEY,
    email TEXT,
    type TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_updated TEXT NOT NULL
);
CREATE TABLE users (
    username TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES accounts (name),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_updated TEXT NOT NULL
);
CREATE TABLE images (
    account TEXT NOT NULL,
    digest TEXT NOT NULL,
    parent_digest TEXT NOT NULL,
    image_id TEXT NOT NULL,
    image_type TEXT NOT NULL,
    analysis_status TEXT NOT NULL,
    image_status TEXT NOT NULL,
    analyzed_at TEXT,
    created_at TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    annotations TEXT NOT NULL,
    arch TEXT,
    distro TEXT,
    distro_version TEXT,
    dockerfile_mode TEXT,
    image_size BIGINT,
    layer_count BIGINT,
    analysis_error TEXT,
    PRIMARY KEY (account, digest)
);
CREATE INDEX images_by_id ON images (account, image_id);
CREATE TABLE image_tags (
    account TEXT NOT NULL,
    digest TEXT NOT NULL,
    registry TEXT NOT NULL,
    repo TEXT NOT NULL,
    tag TEXT NOT NULL,
    image_id TEXT NOT NULL,
    dockerfile TEXT,
    created_at TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    tag_detected_at TEXT NOT NULL,
    PRIMARY KEY (account, digest, registry, repo, tag)
);
CREATE INDEX image_tags_by_tag ON image_tags (account, registry, repo, tag);
CREATE TABLE image_documents (
    account TEXT NOT NULL,
    digest TEXT NOT NULL,
    kind TEXT NOT NULL,
    body BYTEA NOT NULL,
    PRIMARY KEY (account, digest, kind)
);
CREATE TABLE imports (
    uuid TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_updated TEXT NOT NULL
);
CREATE TABLE import_contents (
    uuid TEXT NOT NULL,
    content_type TEXT NOT NULL,
    digest TEXT NOT NULL,
    body BYTEA NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (uuid, content_type, digest)
);
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    account TEXT NOT NULL,
    subject TEXT NOT NULL,
    state TEXT NOT NULL,
    lease_until BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    error TEXT
);
CREATE INDEX jobs_by_state ON jobs (state, created_at);
CREATE TABLE feeds (
    name TEXT PRIMARY KEY,
    enabled BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_full_sync TEXT
);
CREATE TABLE feed_groups (
    feed TEXT NOT NULL,
    name TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    last_sync TEXT,
    record_count BIGINT NOT NULL,
    PRIMARY KEY (feed, name)
);
"#;

const POLICIES: &str = r#"
CREATE TABLE policies (
    account TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    name TEXT,
    active BIGINT NOT NULL,
    policy_source TEXT NOT NULL,
    bundle TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    PRIMARY KEY (account, policy_id)
);
CREATE TABLE evaluations (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    digest TEXT NOT NULL,
    tag TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    status TEXT NOT NULL,
    final_action TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- Orders evaluations made within the same second.
    sequence BIGINT NOT NULL,
    result BYTEA NOT NULL
);
CREATE INDEX evaluations_by_image ON evaluations (account, digest, tag, sequence);
"#;

/// Scale-out: a count of completed analyses per image (a job must never be analyzed twice,
/// and this is how that is checked), which worker holds a running job, and the
/// vulnerability store shared by every process as numbered snapshots, each split into parts
/// small enough for one row.
const SCALE_OUT: &str = r#"
ALTER TABLE images ADD COLUMN analyses BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN claimed_by TEXT;
CREATE TABLE vulnerability_snapshots (
    generation BIGINT PRIMARY KEY,
    created_at TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    parts BIGINT NOT NULL
);
CREATE TABLE vulnerability_snapshot_parts (
    generation BIGINT NOT NULL,
    part BIGINT NOT NULL,
    body BYTEA NOT NULL,
    PRIMARY KEY (generation, part)
);
"#;

const REGISTRIES: &str = r#"
CREATE TABLE registries (
    account TEXT NOT NULL,
    registry TEXT NOT NULL,
    registry_name TEXT NOT NULL,
    registry_user TEXT NOT NULL,
    registry_pass TEXT NOT NULL,
    registry_type TEXT NOT NULL,
    registry_verify BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    last_updated TEXT NOT NULL,
    PRIMARY KEY (account, registry)
);
"#;

const BASES_CORRECTIONS_VEX: &str = r#"
-- The diff IDs of an analyzed image's layers, lowest first: image X is a base of image Y
-- when X's layers are the first layers of Y.
CREATE TABLE image_layers (
    account TEXT NOT NULL,
    digest TEXT NOT NULL,
    position BIGINT NOT NULL,
    diff_id TEXT NOT NULL,
    PRIMARY KEY (account, digest, position)
);
CREATE INDEX image_layers_by_layer ON image_layers (account, position, diff_id);
CREATE TABLE corrections (
    account TEXT NOT NULL,
    uuid TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (account, uuid)
);
CREATE TABLE vex_documents (
    account TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    statements BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (account, id)
);
"#;

const SUBSCRIPTIONS_AND_WEBHOOKS: &str = r#"
CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    subscription_type TEXT NOT NULL,
    subscription_key TEXT NOT NULL,
    subscription_value TEXT,
    active BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    last_updated TEXT NOT NULL
);
CREATE UNIQUE INDEX subscriptions_by_key
    ON subscriptions (account, subscription_type, subscription_key);
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
);
-- One row per notification and webhook, kept after delivery so failures stay visible.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    webhook TEXT NOT NULL,
    event_type TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt BIGINT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX notifications_due ON notifications (state, next_attempt);
"#;

/// When each subscription's periodic check (a `tag_update` lookup) is next due, in epoch
/// seconds: the process that moves it forward does the check, so workers share them.
const SUBSCRIPTION_CHECKS: &str = r#"
ALTER TABLE subscriptions ADD COLUMN next_check BIGINT NOT NULL DEFAULT 0;
"#;

/// Applies every migration the database does not have yet.
pub async fn apply(store: &Store) -> Result<(), ServerError> {
    let mut transaction = store.pool().begin().await?;
    if store.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *transaction)
            .await?;
    }
    sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)")
        .execute(&mut *transaction)
        .await?;
    let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations")
        .fetch_all(&mut *transaction)
        .await?
        .iter()
        .map(|row| row.try_get::<i64, _>(0))
        .collect::<Result<_, _>>()?;
    for (version, sql) in MIGRATIONS {
        if applied.contains(version) {
            continue;
        }
        sqlx::raw_sql(sql).execute(&mut *transaction).await?;
        sqlx::query("INSERT INTO schema_migrations (version) VALUES ($1)")
            .bind(*version)
            .execute(&mut *transaction)
            .await?;
        tracing::info!(version, "applied database migration");
    }
    transaction.commit().await?;
    Ok(())
}

/// The newest migration version; `/ready` compares the database against it.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |(version, _)| *version)
}
