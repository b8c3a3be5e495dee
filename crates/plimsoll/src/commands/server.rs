//! `plimsoll server`: settings from defaults, a config file, the environment and flags (in
//! that order), then the server runs until interrupted.

use std::process::ExitCode;

use anyhow::Context;
use plimsoll_server::{Role, Server, ServerConfig};

use crate::cli::{LogFormat, ServerArgs};

pub fn run(args: ServerArgs) -> anyhow::Result<ExitCode> {
    // With JSON logs stderr carries only log objects; the server logs where it listens.
    let banner = args.log_format == LogFormat::Text;
    let config = settings(args)?;
    let serves_api = config.role.serves_api();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("failed to start the async runtime")?;
    runtime.block_on(async move {
        let mut server = Server::start(config).await?;
        if let Some(password) = &server.generated_admin_password {
            // Shown once, on the terminal only: it is never logged.
            eprintln!(
                "created the `admin` user with the password {password}\n\
                 hint: set PLIMSOLL_ADMIN_PASSWORD before the first start to choose it"
            );
        }
        match server.address.filter(|_| banner) {
            Some(address) if serves_api => {
                eprintln!(" ✔ Serving the Anchore v1 API on http://{address}/v1");
            }
            Some(address) => {
                eprintln!(" ✔ Serving /health, /ready and /metrics on http://{address}")
            }
            None => {}
        }
        // Ctrl-C or SIGTERM (what service managers and orchestrators send) stops the
        // server gracefully: requests in flight finish, unfinished jobs stay queued.
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .context("failed to listen for SIGTERM")?;
        tokio::select! {
            () = server.wait() => return Ok(()),
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
        tracing::info!("stopping on a signal");
        server.stop().await;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn settings(args: ServerArgs) -> anyhow::Result<ServerConfig> {
    let mut config = ServerConfig::new(default_data_dir());
    if let Some(path) = &args.config {
        config.apply_file(path)?;
    }
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    if let Some(dir) = args.data_dir {
        config.data_dir = dir;
    }
    if args.database.is_some() {
        config.database_url = args.database;
    }
    if let Some(role) = args.role.as_deref().and_then(Role::parse) {
        config.role = role;
    }
    if !args.feeds.is_empty() {
        config.feeds = args
            .feeds
            .into_iter()
            .filter(|feed| !feed.is_empty())
            .collect();
    }
    if let Some(workers) = args.workers {
        config.workers = workers;
    }
    if let Some(seconds) = args.job_lease_seconds {
        config.job_lease = std::time::Duration::from_secs(seconds);
    }
    if let Some(connections) = args.database_pool_size {
        config.database_max_connections = connections;
    }
    if args.secret_key_file.is_some() {
        config.secret_key_file = args.secret_key_file;
    }
    if let Some(password) = std::env::var("PLIMSOLL_ADMIN_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
    {
        config.admin_password = Some(password);
    }
    Ok(config)
}

/// `$XDG_DATA_HOME/plimsoll/server`, else `~/.local/share/plimsoll/server`.
fn default_data_dir() -> std::path::PathBuf {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|p| !p.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| std::path::PathBuf::from(home).join(".local/share"))
        })
        .unwrap_or_else(|| std::path::PathBuf::from("."));
    data.join("plimsoll").join("server")
}
