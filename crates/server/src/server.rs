//! Starting and stopping a server process: the store, the first admin, the workers, the feed
//! scheduler and the HTTP listener, as the configured role asks.

use std::net::SocketAddr;
use std::sync::Arc;

use std::sync::atomic::AtomicBool;

use tokio::sync::{Mutex, Notify};
use tokio::task::JoinSet;

use crate::auth::CredentialCache;
use crate::feeds::cache::VulnerabilityCache;
use crate::metrics::Metrics;
use crate::store::Backend;
use crate::{analysis, feeds, routes, ServerConfig, ServerError, Store};

/// What every handler and worker shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<ServerConfig>,
    pub credentials: Arc<CredentialCache>,
    /// Wakes idle workers when jobs are queued.
    pub wake: Arc<Notify>,
    /// Whether this process hears the jobs other processes queue (PostgreSQL's `LISTEN`).
    pub listening: Arc<AtomicBool>,
    /// Serialises feed syncs within the process.
    pub feed_lock: Arc<Mutex<()>>,
    /// The name services report as their host.
    pub host_id: String,
    pub metrics: Arc<Metrics>,
    /// The vulnerability store this process matches against.
    pub vulnerabilities: Arc<VulnerabilityCache>,
}

/// A server being set up.
pub struct Server;

/// A started server; dropping it does not stop it, [`RunningServer::stop`] does.
pub struct RunningServer {
    /// Where the process listens: the API, or for a worker only `/health`, `/ready` and
    /// `/metrics`.
    pub address: Option<SocketAddr>,
    /// The admin password generated on first start, if one was.
    pub generated_admin_password: Option<String>,
    tasks: JoinSet<()>,
    shutdown: Arc<Notify>,
    store: Store,
}

impl Server {
    /// Opens the store, creates the admin on first start, and starts what the role asks.
    pub async fn start(config: ServerConfig) -> Result<RunningServer, ServerError> {
        tokio::fs::create_dir_all(&config.data_dir).await?;
        // A session frozen inside a transaction is ended once its job's lease has run out.
        let store = Store::connect_with(
            &config.database_url(),
            config.database_max_connections,
            config.job_lease.max(std::time::Duration::from_secs(1)),
        )
        .await?;
        let store = match config.secret_key_path() {
            Some(path) => {
                let store =
                    store.with_secret_key(crate::secrets::SecretKey::load_or_create(&path)?);
                let sealed = store.seal_stored_secrets().await?;
                if sealed > 0 {
                    tracing::info!(secrets = sealed, "sealed secrets stored without a key");
                }
                store
            }
            None => {
                tracing::warn!(
                    "no secret key is configured (`--secret-key-file`): registry passwords \
                     and webhook secrets are stored in the database as given"
                );
                store
            }
        };
        let generated_admin_password =
            crate::accounts::bootstrap_admin(&store, config.admin_password.as_deref()).await?;
        store.ensure_feed(feeds::FEED).await?;
        if store.backend() == Backend::Sqlite && config.role.runs_workers() {
            // Embedded mode has one worker process: jobs still marked running were cut off
            // by a stop or crash of this process, so they can be taken up at once.
            let released = store.release_all_jobs().await?;
            if released > 0 {
                tracing::info!(jobs = released, "resuming jobs interrupted by a restart");
            }
        }

        let state = AppState {
            store: store.clone(),
            config: Arc::new(config.clone()),
            credentials: Arc::new(CredentialCache::default()),
            wake: Arc::new(Notify::new()),
            listening: Arc::new(AtomicBool::new(false)),
            feed_lock: Arc::new(Mutex::new(())),
            host_id: host_id(),
            metrics: Arc::new(Metrics::new()),
            vulnerabilities: Arc::new(VulnerabilityCache::new(
                &config.data_dir,
                config.vulnerability_store(),
            )),
        };
        let shutdown = Arc::new(Notify::new());
        let mut tasks = JoinSet::new();

        if config.role.runs_workers() {
            for worker in 0..config.workers.max(1) {
                let state = state.clone();
                let stop = shutdown.clone();
                tasks.spawn(async move {
                    tokio::select! {
                        () = analysis::run_worker(state, worker) => {}
                        () = stop.notified() => {}
                    }
                });
            }
            {
                let state = state.clone();
                let stop = shutdown.clone();
                tasks.spawn(async move {
                    tokio::select! {
                        () = crate::notifications::run_notifier(state) => {}
                        () = stop.notified() => {}
                    }
                });
            }
            if store.backend() == crate::store::Backend::Postgres {
                let state = state.clone();
                let stop = shutdown.clone();
                tasks.spawn(async move {
                    tokio::select! {
                        () = analysis::listen_for_jobs(state) => {}
                        () = stop.notified() => {}
                    }
                });
            }
            if !config.tag_update_interval.is_zero() {
                let state = state.clone();
                let stop = shutdown.clone();
                tasks.spawn(async move {
                    tokio::select! {
                        () = crate::tag_updates::run_watcher(state) => {}
                        () = stop.notified() => {}
                    }
                });
            }
            if !config.feeds.is_empty() {
                let state = state.clone();
                let stop = shutdown.clone();
                tasks.spawn(async move {
                    tokio::select! {
                        () = feed_scheduler(state) => {}
                        () = stop.notified() => {}
                    }
                });
            }
        }

        // Every role listens: a worker-only process serves just the operational routes
        // (`/health`, `/ready`, `/metrics`), for probes and scrapes.
        let address = {
            let listener =
                tokio::net::TcpListener::bind(config.listen)
                    .await
                    .map_err(|source| ServerError::Bind {
                        address: config.listen.to_string(),
                        source,
                    })?;
            let address = listener.local_addr()?;
            let app = if config.role.serves_api() {
                routes::router(state.clone())
            } else {
                routes::operations_router(state.clone())
            };
            let stop = shutdown.clone();
            tasks.spawn(async move {
                let served = axum::serve(listener, app)
                    .with_graceful_shutdown(async move { stop.notified().await })
                    .await;
                if let Err(error) = served {
                    tracing::error!(error = %error, "the HTTP server stopped");
                }
            });
            if config.role.serves_api() {
                tracing::info!(address = %config.listen, "serving the Anchore v1 API");
            } else {
                tracing::info!(address = %config.listen, "serving health and metrics");
            }
            Some(address)
        };

        Ok(RunningServer {
            address,
            generated_admin_password,
            tasks,
            shutdown,
            store,
        })
    }
}

impl RunningServer {
    /// Waits until every task ends (which, without [`RunningServer::stop`], is never).
    pub async fn wait(&mut self) {
        while self.tasks.join_next().await.is_some() {}
    }

    /// Stops the listener and workers and closes the store.
    pub async fn stop(mut self) {
        self.shutdown.notify_waiters();
        self.tasks.abort_all();
        while self.tasks.join_next().await.is_some() {}
        self.store.close().await;
    }
}

/// Syncs feeds at start and then on the configured interval.
async fn feed_scheduler(state: AppState) {
    loop {
        match feeds::scheduled_sync(&state).await {
            Ok(Some(summary)) => tracing::info!(
                imported = summary.imported,
                skipped = summary.skipped,
                images = summary.rematched_images,
                "feed sync finished"
            ),
            Ok(None) => tracing::info!("feeds were synced recently by another process"),
            Err(error) => tracing::warn!(error = %error, "feed sync failed"),
        }
        if state.config.feed_sync_interval.is_zero() {
            return;
        }
        tokio::time::sleep(state.config.feed_sync_interval).await;
    }
}

fn host_id() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "plimsoll".to_string())
}
