//! `/metrics`: what Prometheus scrapes. Requests, job outcomes and durations are counted
//! by this process; the queue depth and the feed state are read from the database at each
//! scrape, so every process reports the same cluster-wide figures for them.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::store::{JobKind, Store};
use crate::ServerError;

/// The `Content-Type` of the exposition, OpenMetrics text, which Prometheus reads.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    /// The matched route template (`/images/{digest}`), never the concrete path, so
    /// digests and names do not each make a series.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabels {
    kind: String,
    state: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: String,
}

/// The process's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    jobs: Family<JobLabels, Counter>,
    analysis_duration: Histogram,
    queue: Family<QueueLabels, Gauge>,
    feed_syncs: Family<OutcomeLabels, Counter>,
    feed_last_sync: Gauge,
    feed_records: Gauge,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("plimsoll");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            requests.clone(),
        );
        let jobs = Family::<JobLabels, Counter>::default();
        registry.register(
            "jobs_completed",
            "Jobs this process completed and recorded, by kind",
            jobs.clone(),
        );
        // 5 ms to about 80 s.
        let analysis_duration = Histogram::new(exponential_buckets(0.005, 2.0, 15));
        registry.register(
            "analysis_duration_seconds",
            "Time from claiming an analysis job to recording its results",
            analysis_duration.clone(),
        );
        let queue = Family::<QueueLabels, Gauge>::default();
        registry.register(
            "queue_jobs",
            "Jobs in the database queue, by kind and state (queued or running)",
            queue.clone(),
        );
        let feed_syncs = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "feed_syncs",
            "Feed syncs this process ran, by outcome",
            feed_syncs.clone(),
        );
        let feed_last_sync = Gauge::default();
        registry.register(
            "feed_last_sync_timestamp_seconds",
            "When the last feed sync anywhere succeeded (Unix time; 0 before the first)",
            feed_last_sync.clone(),
        );
        let feed_records = Gauge::default();
        registry.register(
            "feed_records",
            "Vulnerability records the feeds hold, over every group",
            feed_records.clone(),
        );
        Metrics {
            registry,
            requests,
            jobs,
            analysis_duration,
            queue,
            feed_syncs,
            feed_last_sync,
            feed_records,
        }
    }

    /// Counts an answered request.
    pub fn request(&self, method: &str, route: &str, status: u16) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_string(),
                route: route.to_string(),
                status,
            })
            .inc();
    }

    /// Counts a completed job and, for an analysis, its duration.
    pub fn job_done(&self, kind: JobKind, elapsed: Duration) {
        self.jobs
            .get_or_create(&JobLabels {
                kind: kind.as_str().to_string(),
            })
            .inc();
        if kind == JobKind::Analyze {
            self.analysis_duration.observe(elapsed.as_secs_f64());
        }
    }

    /// Counts a finished feed sync.
    pub fn feed_sync_finished(&self, succeeded: bool) {
        let outcome = if succeeded { "success" } else { "failure" };
        self.feed_syncs
            .get_or_create(&OutcomeLabels {
                outcome: outcome.to_string(),
            })
            .inc();
    }

    /// Reads the cluster-wide figures from the database, then encodes everything.
    pub async fn render(&self, store: &Store) -> Result<String, ServerError> {
        for kind in [JobKind::Analyze, JobKind::Rematch] {
            for state in ["queued", "running"] {
                self.queue_gauge(kind.as_str(), state).set(0);
            }
        }
        for (kind, state, count) in store.queue_counts().await? {
            self.queue_gauge(&kind, &state).set(count);
        }

        let feeds = store.feeds().await?;
        let last_sync = feeds
            .iter()
            .filter_map(|feed| feed.last_full_sync.as_deref())
            .filter_map(|time| time.parse::<jiff::Timestamp>().ok())
            .map(|time| time.as_second())
            .max()
            .unwrap_or(0);
        self.feed_last_sync.set(last_sync);
        let records = feeds
            .iter()
            .flat_map(|feed| &feed.groups)
            .map(|group| group.record_count)
            .sum();
        self.feed_records.set(records);

        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .map_err(|error| ServerError::Corrupt(format!("failed to encode metrics: {error}")))?;
        Ok(text)
    }

    fn queue_gauge(&self, kind: &str, state: &str) -> Gauge {
        self.queue
            .get_or_create(&QueueLabels {
                kind: kind.to_string(),
                state: state.to_string(),
            })
            .clone()
    }
}
