//! Image records and their tags (Anchore's `image_detail`).

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::{compress, Job, JobKind, Store};
use crate::references::TagReference;
use crate::time::now_rfc3339;
use crate::ServerError;

/// One image of one account, keyed by manifest digest.
#[derive(Debug, Clone)]
pub struct ImageRecord {
    pub account: String,
    pub digest: String,
    pub parent_digest: String,
    pub image_id: String,
    pub image_type: String,
    pub analysis_status: String,
    pub image_status: String,
    pub analyzed_at: Option<String>,
    pub created_at: String,
    pub last_updated: String,
    /// A JSON object.
    pub annotations: String,
    pub arch: Option<String>,
    pub distro: Option<String>,
    pub distro_version: Option<String>,
    pub dockerfile_mode: Option<String>,
    pub image_size: Option<i64>,
    pub layer_count: Option<i64>,
    pub analysis_error: Option<String>,
    /// How many analyses of the image completed (a forced re-import starts another).
    pub analyses: i64,
    pub tags: Vec<ImageTag>,
}

/// One tag an image carries.
#[derive(Debug, Clone)]
pub struct ImageTag {
    pub registry: String,
    pub repo: String,
    pub tag: String,
    pub image_id: String,
    pub dockerfile: Option<String>,
    pub created_at: String,
    pub last_updated: String,
    pub tag_detected_at: String,
}

impl ImageTag {
    pub fn reference(&self) -> TagReference {
        TagReference {
            registry: self.registry.clone(),
            repo: self.repo.clone(),
            tag: self.tag.clone(),
        }
    }
}

/// What an import adds or updates.
#[derive(Debug, Clone)]
pub struct NewImage {
    pub account: String,
    pub digest: String,
    pub parent_digest: String,
    pub image_id: String,
    pub tags: Vec<TagReference>,
    /// Base64 of the Dockerfile, when one was uploaded.
    pub dockerfile: Option<String>,
    /// A JSON object.
    pub annotations: String,
    pub force: bool,
}

/// The facts analysis fills in.
#[derive(Debug, Clone, Default)]
pub struct AnalysisFacts {
    pub arch: String,
    pub distro: String,
    pub distro_version: String,
    pub image_size: i64,
    pub layer_count: i64,
    /// The layers' diff IDs, lowest first, from the config's `rootfs`.
    pub diff_ids: Vec<String>,
}

const IMAGE_COLUMNS: &str = "account, digest, parent_digest, image_id, image_type, \
    analysis_status, image_status, analyzed_at, created_at, last_updated, annotations, arch, \
    distro, distro_version, dockerfile_mode, image_size, layer_count, analysis_error, analyses";

const TAG_COLUMNS: &str =
    "digest, registry, repo, tag, image_id, dockerfile, created_at, last_updated, tag_detected_at";

fn image_from(row: &AnyRow) -> Result<ImageRecord, sqlx::Error> {
    Ok(ImageRecord {
        account: row.try_get("account")?,
        digest: row.try_get("digest")?,
        parent_digest: row.try_get("parent_digest")?,
        image_id: row.try_get("image_id")?,
        image_type: row.try_get("image_type")?,
        analysis_status: row.try_get("analysis_status")?,
        image_status: row.try_get("image_status")?,
        analyzed_at: row.try_get("analyzed_at")?,
        created_at: row.try_get("created_at")?,
        last_updated: row.try_get("last_updated")?,
        annotations: row.try_get("annotations")?,
        arch: row.try_get("arch")?,
        distro: row.try_get("distro")?,
        distro_version: row.try_get("distro_version")?,
        dockerfile_mode: row.try_get("dockerfile_mode")?,
        image_size: row.try_get("image_size")?,
        layer_count: row.try_get("layer_count")?,
        analysis_error: row.try_get("analysis_error")?,
        analyses: row.try_get("analyses")?,
        tags: Vec::new(),
    })
}

fn tag_from(row: &AnyRow) -> Result<(String, ImageTag), sqlx::Error> {
    Ok((
        row.try_get("digest")?,
        ImageTag {
            registry: row.try_get("registry")?,
            repo: row.try_get("repo")?,
            tag: row.try_get("tag")?,
            image_id: row.try_get("image_id")?,
            dockerfile: row.try_get("dockerfile")?,
            created_at: row.try_get("created_at")?,
            last_updated: row.try_get("last_updated")?,
            tag_detected_at: row.try_get("tag_detected_at")?,
        },
    ))
}

/// What [`Store::import_image`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    /// A new analysis was queued.
    Queued,
    /// The image was already known and its analysis kept (tags may have been added).
    Kept,
}

impl Store {
    /// Records an imported image, its documents and (unless an earlier analysis is kept) an
    /// analysis job, and moves the import operation from `pending` to `processing`, all in
    /// one transaction: either everything lands or nothing does. `Ok(None)` when the
    /// operation is no longer pending.
    pub async fn import_image(
        &self,
        image: &NewImage,
        operation: &str,
        documents: &[(&str, Vec<u8>)],
    ) -> Result<Option<ImportOutcome>, ServerError> {
        let now = now_rfc3339();
        let mut transaction = self.pool().begin().await?;

        let moved = sqlx::query(
            "UPDATE imports SET status = 'processing', last_updated = $1 \
             WHERE uuid = $2 AND account = $3 AND status = 'pending'",
        )
        .bind(&now)
        .bind(operation)
        .bind(&image.account)
        .execute(&mut *transaction)
        .await?;
        if moved.rows_affected() != 1 {
            return Ok(None);
        }

        let keep = upsert_image(&mut transaction, image, documents, Some(operation), &now).await?;
        transaction.commit().await?;
        Ok(Some(if keep {
            ImportOutcome::Kept
        } else {
            ImportOutcome::Queued
        }))
    }

    /// Records an image that the server pulls itself (`POST /images` with a tag or digest),
    /// with the documents known before the pull (manifest, config, where to pull from), and
    /// queues its analysis unless an earlier one is kept; one transaction.
    pub async fn add_pulled_image(
        &self,
        image: &NewImage,
        documents: &[(&str, Vec<u8>)],
    ) -> Result<ImportOutcome, ServerError> {
        let now = now_rfc3339();
        let mut transaction = self.pool().begin().await?;
        let keep = upsert_image(&mut transaction, image, documents, None, &now).await?;
        transaction.commit().await?;
        Ok(if keep {
            ImportOutcome::Kept
        } else {
            ImportOutcome::Queued
        })
    }

    /// Stores one document of an image (the SBOM a pull produced).
    pub async fn put_document(
        &self,
        account: &str,
        digest: &str,
        kind: &str,
        body: &[u8],
    ) -> Result<(), ServerError> {
        let mut transaction = self.pool().begin().await?;
        put_document(&mut transaction, account, digest, kind, body).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// One image of an account, with its tags.
    pub async fn image(
        &self,
        account: &str,
        digest: &str,
    ) -> Result<Option<ImageRecord>, ServerError> {
        let row = sqlx::query(&format!(
            "SELECT {IMAGE_COLUMNS} FROM images WHERE account = $1 AND digest = $2"
        ))
        .bind(account)
        .bind(digest)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut image = image_from(&row)?;
        image.tags = self
            .tags_of(account, Some(digest))
            .await?
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        Ok(Some(image))
    }

    /// Every image of an account, newest first, with their tags.
    pub async fn images(&self, account: &str) -> Result<Vec<ImageRecord>, ServerError> {
        let rows = sqlx::query(&format!(
            "SELECT {IMAGE_COLUMNS} FROM images WHERE account = $1 ORDER BY created_at DESC, digest"
        ))
        .bind(account)
        .fetch_all(self.pool())
        .await?;
        let mut images: Vec<ImageRecord> = rows.iter().map(image_from).collect::<Result<_, _>>()?;
        let tags = self.tags_of(account, None).await?;
        for image in &mut images {
            image.tags = tags
                .iter()
                .filter(|(digest, _)| *digest == image.digest)
                .map(|(_, tag)| tag.clone())
                .collect();
        }
        Ok(images)
    }

    /// The images carrying a tag, most recently tagged first.
    pub async fn images_by_tag(
        &self,
        account: &str,
        reference: &TagReference,
    ) -> Result<Vec<ImageRecord>, ServerError> {
        let digests: Vec<String> = sqlx::query(
            "SELECT digest FROM image_tags WHERE account = $1 AND registry = $2 AND repo = $3 \
             AND tag = $4 ORDER BY tag_detected_at DESC",
        )
        .bind(account)
        .bind(&reference.registry)
        .bind(&reference.repo)
        .bind(&reference.tag)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|row| row.try_get(0))
        .collect::<Result<_, _>>()?;
        self.images_with_digests(account, &digests).await
    }

    /// The images with an image ID (the config digest's hex).
    pub async fn images_by_id(
        &self,
        account: &str,
        image_id: &str,
    ) -> Result<Vec<ImageRecord>, ServerError> {
        let digests: Vec<String> =
            sqlx::query("SELECT digest FROM images WHERE account = $1 AND image_id = $2")
                .bind(account)
                .bind(image_id)
                .fetch_all(self.pool())
                .await?
                .iter()
                .map(|row| row.try_get(0))
                .collect::<Result<_, _>>()?;
        self.images_with_digests(account, &digests).await
    }

    /// The images with these digests, in the order given; unknown digests are skipped.
    async fn images_with_digests(
        &self,
        account: &str,
        digests: &[String],
    ) -> Result<Vec<ImageRecord>, ServerError> {
        let mut images = Vec::new();
        for digest in digests {
            if let Some(image) = self.image(account, digest).await? {
                images.push(image);
            }
        }
        Ok(images)
    }

    async fn tags_of(
        &self,
        account: &str,
        digest: Option<&str>,
    ) -> Result<Vec<(String, ImageTag)>, ServerError> {
        let rows = match digest {
            Some(digest) => {
                sqlx::query(&format!(
                    "SELECT {TAG_COLUMNS} FROM image_tags WHERE account = $1 AND digest = $2 \
                     ORDER BY created_at, registry, repo, tag"
                ))
                .bind(account)
                .bind(digest)
                .fetch_all(self.pool())
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {TAG_COLUMNS} FROM image_tags WHERE account = $1 \
                     ORDER BY created_at, registry, repo, tag"
                ))
                .bind(account)
                .fetch_all(self.pool())
                .await?
            }
        };
        Ok(rows.iter().map(tag_from).collect::<Result<_, _>>()?)
    }

    /// Deletes an image with its tags, documents and pending jobs; false when unknown.
    pub async fn delete_image(&self, account: &str, digest: &str) -> Result<bool, ServerError> {
        let mut transaction = self.pool().begin().await?;
        for table in [
            "image_documents",
            "image_tags",
            "evaluations",
            "image_layers",
        ] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE account = $1 AND digest = $2"
            ))
            .bind(account)
            .bind(digest)
            .execute(&mut *transaction)
            .await?;
        }
        sqlx::query("DELETE FROM jobs WHERE account = $1 AND subject = $2 AND state = 'queued'")
            .bind(account)
            .bind(digest)
            .execute(&mut *transaction)
            .await?;
        let result = sqlx::query("DELETE FROM images WHERE account = $1 AND digest = $2")
            .bind(account)
            .bind(digest)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(result.rows_affected() == 1)
    }

    /// Marks an image as being analyzed; `false` when it is not waiting for analysis (a
    /// duplicate job found it already analyzed).
    pub async fn mark_analyzing(&self, account: &str, digest: &str) -> Result<bool, ServerError> {
        let result = sqlx::query(
            "UPDATE images SET analysis_status = 'analyzing', last_updated = $1 \
             WHERE account = $2 AND digest = $3 \
             AND analysis_status IN ('not_analyzed', 'analyzing')",
        )
        .bind(now_rfc3339())
        .bind(account)
        .bind(digest)
        .execute(self.pool())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Records a finished analysis — the facts, the result documents, the status, the import
    /// operation as complete — and removes its job, in one transaction. Returns `false`, and
    /// records nothing, when the job's claim passed to another worker; the job is removed
    /// without recording anything when the image is no longer being analyzed (another
    /// analysis of it finished first, or a new import reset it).
    pub async fn finish_analysis(
        &self,
        job: &Job,
        facts: &AnalysisFacts,
        results: &[(&str, Vec<u8>)],
    ) -> Result<bool, ServerError> {
        let (account, digest) = (job.account.as_str(), job.subject.as_str());
        let now = now_rfc3339();
        let mut transaction = self.pool().begin().await?;
        if !super::jobs::complete(&mut transaction, job).await? {
            transaction.rollback().await?;
            return Ok(false);
        }
        let updated = sqlx::query(
            "UPDATE images SET analysis_status = 'analyzed', analyzed_at = $1, last_updated = $1, \
             arch = $2, distro = $3, distro_version = $4, image_size = $5, layer_count = $6, \
             analysis_error = NULL, analyses = analyses + 1 \
             WHERE account = $7 AND digest = $8 AND analysis_status = 'analyzing'",
        )
        .bind(&now)
        .bind(&facts.arch)
        .bind(&facts.distro)
        .bind(&facts.distro_version)
        .bind(facts.image_size)
        .bind(facts.layer_count)
        .bind(account)
        .bind(digest)
        .execute(&mut *transaction)
        .await?;
        if updated.rows_affected() == 1 {
            super::ancestry::put_layers(&mut transaction, account, digest, &facts.diff_ids).await?;
            for (kind, body) in results {
                put_document(&mut transaction, account, digest, kind, body).await?;
            }
            complete_operation(&mut transaction, account, digest, "complete", &now).await?;
        }
        transaction.commit().await?;
        Ok(true)
    }

    /// Replaces result documents of an analyzed image (after re-matching) and removes the
    /// job; `false`, recording nothing, when the job's claim passed to another worker.
    pub async fn replace_results(
        &self,
        job: &Job,
        results: &[(&str, Vec<u8>)],
    ) -> Result<bool, ServerError> {
        let mut transaction = self.pool().begin().await?;
        if !super::jobs::complete(&mut transaction, job).await? {
            transaction.rollback().await?;
            return Ok(false);
        }
        for (kind, body) in results {
            put_document(&mut transaction, &job.account, &job.subject, kind, body).await?;
        }
        transaction.commit().await?;
        Ok(true)
    }

    /// Records a failed analysis with its reason and removes the job; `false`, recording
    /// nothing, when the job's claim passed to another worker.
    pub async fn fail_analysis(&self, job: &Job, reason: &str) -> Result<bool, ServerError> {
        let (account, digest) = (job.account.as_str(), job.subject.as_str());
        let now = now_rfc3339();
        let mut transaction = self.pool().begin().await?;
        if !super::jobs::complete(&mut transaction, job).await? {
            transaction.rollback().await?;
            return Ok(false);
        }
        let updated = sqlx::query(
            "UPDATE images SET analysis_status = 'analysis_failed', last_updated = $1, \
             analysis_error = $2 WHERE account = $3 AND digest = $4 \
             AND analysis_status = 'analyzing'",
        )
        .bind(&now)
        .bind(reason)
        .bind(account)
        .bind(digest)
        .execute(&mut *transaction)
        .await?;
        if updated.rows_affected() == 1 {
            complete_operation(&mut transaction, account, digest, "failed", &now).await?;
        }
        transaction.commit().await?;
        Ok(true)
    }

    /// Every analyzed image, as (account, digest): what re-matching walks.
    pub async fn analyzed_images(&self) -> Result<Vec<(String, String)>, ServerError> {
        let rows = sqlx::query(
            "SELECT account, digest FROM images WHERE analysis_status = 'analyzed' \
             ORDER BY account, digest",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()?)
    }
}

/// Adds or updates an image, its documents, its analysis job (unless an earlier analysis is
/// kept) and its tags inside `transaction`; returns whether the earlier analysis was kept.
/// An import's operation is completed when nothing new is analyzed.
async fn upsert_image(
    transaction: &mut Transaction<'_, Any>,
    image: &NewImage,
    documents: &[(&str, Vec<u8>)],
    operation: Option<&str>,
    now: &str,
) -> Result<bool, ServerError> {
    let existing: Option<String> =
        sqlx::query("SELECT analysis_status FROM images WHERE account = $1 AND digest = $2")
            .bind(&image.account)
            .bind(&image.digest)
            .fetch_optional(&mut **transaction)
            .await?
            .map(|row| row.try_get(0))
            .transpose()?;
    let keep = matches!(&existing, Some(status) if status != "analysis_failed") && !image.force;

    let dockerfile_mode = if image.dockerfile.is_some() {
        "Actual"
    } else {
        "Guessed"
    };
    if !keep {
        sqlx::query(
            "INSERT INTO images (account, digest, parent_digest, image_id, image_type, \
                 analysis_status, image_status, analyzed_at, created_at, last_updated, \
                 annotations, dockerfile_mode) \
                 VALUES ($1, $2, $3, $4, 'docker', 'not_analyzed', 'active', NULL, $5, $5, $6, $7) \
                 ON CONFLICT (account, digest) DO UPDATE SET parent_digest = $3, image_id = $4, \
                 analysis_status = 'not_analyzed', image_status = 'active', analyzed_at = NULL, \
                 last_updated = $5, annotations = $6, dockerfile_mode = $7, arch = NULL, \
                 distro = NULL, distro_version = NULL, image_size = NULL, layer_count = NULL, \
                 analysis_error = NULL",
        )
        .bind(&image.account)
        .bind(&image.digest)
        .bind(&image.parent_digest)
        .bind(&image.image_id)
        .bind(now)
        .bind(&image.annotations)
        .bind(dockerfile_mode)
        .execute(&mut **transaction)
        .await?;
        for (kind, body) in documents {
            put_document(transaction, &image.account, &image.digest, kind, body).await?;
        }
        super::jobs::enqueue(transaction, JobKind::Analyze, &image.account, &image.digest).await?;
    } else if let Some(operation) = operation {
        sqlx::query("UPDATE imports SET status = 'complete', last_updated = $1 WHERE uuid = $2")
            .bind(now)
            .bind(operation)
            .execute(&mut **transaction)
            .await?;
    }

    for tag in &image.tags {
        sqlx::query(
            "INSERT INTO image_tags (account, digest, registry, repo, tag, image_id, \
                 dockerfile, created_at, last_updated, tag_detected_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8) \
                 ON CONFLICT (account, digest, registry, repo, tag) DO UPDATE SET \
                 image_id = $6, dockerfile = $7, last_updated = $8, tag_detected_at = $8",
        )
        .bind(&image.account)
        .bind(&image.digest)
        .bind(&tag.registry)
        .bind(&tag.repo)
        .bind(&tag.tag)
        .bind(&image.image_id)
        .bind(&image.dockerfile)
        .bind(now)
        .execute(&mut **transaction)
        .await?;
    }
    Ok(keep)
}

/// Stores a compressed document, replacing any of the same kind.
async fn put_document(
    transaction: &mut Transaction<'_, Any>,
    account: &str,
    digest: &str,
    kind: &str,
    body: &[u8],
) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO image_documents (account, digest, kind, body) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (account, digest, kind) DO UPDATE SET body = $4",
    )
    .bind(account)
    .bind(digest)
    .bind(kind)
    .bind(compress(body))
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Marks the import operation that brought an image in as finished.
async fn complete_operation(
    transaction: &mut Transaction<'_, Any>,
    account: &str,
    digest: &str,
    status: &str,
    now: &str,
) -> Result<(), ServerError> {
    let annotations: Option<String> =
        sqlx::query("SELECT annotations FROM images WHERE account = $1 AND digest = $2")
            .bind(account)
            .bind(digest)
            .fetch_optional(&mut **transaction)
            .await?
            .map(|row| row.try_get(0))
            .transpose()?;
    let operation = annotations
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|value| {
            value
                .get(crate::routes::IMPORT_OPERATION_ANNOTATION)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        });
    if let Some(operation) = operation {
        sqlx::query(
            "UPDATE imports SET status = $1, last_updated = $2 WHERE uuid = $3 AND status = 'processing'",
        )
        .bind(status)
        .bind(now)
        .bind(operation)
        .execute(&mut **transaction)
        .await?;
    }
    Ok(())
}
