//! Image ancestry by layers: an analyzed image X is a base of image Y when X's layers (diff
//! IDs, lowest first) are the first layers of Y and Y has more.

use std::collections::BTreeMap;

use sqlx::{Any, Row, Transaction};

use super::Store;
use crate::ServerError;

/// Records an analyzed image's layers, replacing any earlier record.
pub(super) async fn put_layers(
    transaction: &mut Transaction<'_, Any>,
    account: &str,
    digest: &str,
    diff_ids: &[String],
) -> Result<(), ServerError> {
    sqlx::query("DELETE FROM image_layers WHERE account = $1 AND digest = $2")
        .bind(account)
        .bind(digest)
        .execute(&mut **transaction)
        .await?;
    for (position, diff_id) in diff_ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO image_layers (account, digest, position, diff_id) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(account)
        .bind(digest)
        .bind(position as i64)
        .bind(diff_id)
        .execute(&mut **transaction)
        .await?;
    }
    Ok(())
}

/// A base image of another: its digest and how many layers it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ancestor {
    pub digest: String,
    pub layer_count: usize,
}

impl Store {
    /// The analyzed images whose layers are the first layers of `digest`'s, nearest (most
    /// layers) first. Empty when the image has no recorded layers.
    pub async fn ancestors(
        &self,
        account: &str,
        digest: &str,
    ) -> Result<Vec<Ancestor>, ServerError> {
        let own = self.layers(account, digest).await?;
        let Some(first) = own.first() else {
            return Ok(Vec::new());
        };
        // Every image that starts with the same layer is a candidate.
        let rows = sqlx::query(
            "SELECT l.digest, l.position, l.diff_id FROM image_layers l \
             JOIN images i ON i.account = l.account AND i.digest = l.digest \
             WHERE l.account = $1 AND l.digest <> $2 AND i.analysis_status = 'analyzed' \
             AND l.digest IN (SELECT digest FROM image_layers \
                              WHERE account = $1 AND position = 0 AND diff_id = $3)",
        )
        .bind(account)
        .bind(digest)
        .bind(first)
        .fetch_all(self.pool())
        .await?;
        let mut candidates: BTreeMap<String, BTreeMap<i64, String>> = BTreeMap::new();
        for row in &rows {
            let candidate: String = row.try_get(0)?;
            let position: i64 = row.try_get(1)?;
            let diff_id: String = row.try_get(2)?;
            candidates
                .entry(candidate)
                .or_default()
                .insert(position, diff_id);
        }
        let mut ancestors: Vec<Ancestor> = candidates
            .into_iter()
            .filter_map(|(candidate, layers)| {
                let layers: Vec<String> = layers.into_values().collect();
                let is_base = layers.len() < own.len() && own.starts_with(&layers);
                is_base.then_some(Ancestor {
                    digest: candidate,
                    layer_count: layers.len(),
                })
            })
            .collect();
        ancestors.sort_by(|a, b| {
            b.layer_count
                .cmp(&a.layer_count)
                .then_with(|| a.digest.cmp(&b.digest))
        });
        Ok(ancestors)
    }

    /// An image's recorded layer diff IDs, lowest first.
    pub async fn layers(&self, account: &str, digest: &str) -> Result<Vec<String>, ServerError> {
        let rows = sqlx::query(
            "SELECT diff_id FROM image_layers WHERE account = $1 AND digest = $2 \
             ORDER BY position",
        )
        .bind(account)
        .bind(digest)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|row| row.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?)
    }
}
