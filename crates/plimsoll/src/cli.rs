//! The command-line surface (see the README for the list of commands and flags).

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Container-image supply-chain security: catalog packages, find vulnerabilities.
#[derive(Debug, Parser)]
#[command(name = "plimsoll", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// More logging on stderr (-v info, -vv debug, -vvv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Catalog the packages of an image or directory.
    Scan(ScanArgs),
    /// Find known vulnerabilities in an image, directory or SBOM.
    Vulns(VulnsArgs),
    /// Evaluate an image, directory or SBOM against a policy bundle.
    Evaluate(EvaluateArgs),
    /// Manage the local vulnerability database.
    Db(DbArgs),
    /// Run the server: the Anchore v1 API, analysis workers and feed sync.
    Server(ServerArgs),
    /// Images on a server: add, get, list, wait, vuln, content, metadata, del.
    Image(ImageArgs),
    /// A server's services and feeds.
    System(SystemArgs),
    /// Accounts and users on a server.
    Account(AccountArgs),
    /// Policy bundles on a server: add, list, get, activate, del.
    Policy(PolicyArgs),
    /// Registries a server pulls from, with credentials: add, list, get, update, del.
    Registry(RegistryCommandArgs),
    /// Repositories a server watches for new tags: add, list, get, del, watch, unwatch.
    Repo(RepoArgs),
    /// Subscriptions on a server: list, get, activate, deactivate, del.
    Subscription(SubscriptionArgs),
}

#[derive(Debug, Args)]
pub struct ServerArgs {
    /// Address and port to listen on.
    #[arg(long, env = "PLIMSOLL_LISTEN", value_name = "ADDR:PORT")]
    pub listen: Option<std::net::SocketAddr>,
    /// Folder for the SQLite database and the vulnerability store.
    #[arg(long, env = "PLIMSOLL_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<std::path::PathBuf>,
    /// `postgres://…` for PostgreSQL; SQLite in the data directory when absent.
    #[arg(long, env = "PLIMSOLL_DATABASE_URL", value_name = "URL")]
    pub database: Option<String>,
    /// Which parts to run in this process.
    #[arg(long, env = "PLIMSOLL_ROLE", value_parser = ["all", "api", "worker"])]
    pub role: Option<String>,
    /// A vulnerability feed (file, directory, archive or URL); repeatable.
    #[arg(
        long = "feed",
        env = "PLIMSOLL_FEEDS",
        value_delimiter = ',',
        value_name = "PATH_OR_URL"
    )]
    pub feeds: Vec<String>,
    /// A TOML config file (keys are the long flag names).
    #[arg(long, env = "PLIMSOLL_CONFIG", value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// Analysis workers in this process.
    #[arg(long, env = "PLIMSOLL_WORKERS")]
    pub workers: Option<usize>,
    /// How long a worker holds a claimed job before another may take it over (the worker
    /// renews it while it works, so this is how long a dead worker's job waits).
    #[arg(
        long,
        env = "PLIMSOLL_JOB_LEASE_SECONDS",
        value_name = "SECONDS",
        value_parser = clap::value_parser!(u64).range(1..=86_400)
    )]
    pub job_lease_seconds: Option<u64>,
    /// Database connections this process keeps open at most.
    #[arg(
        long,
        env = "PLIMSOLL_DATABASE_POOL_SIZE",
        value_name = "CONNECTIONS",
        value_parser = clap::value_parser!(u32).range(1..=1000)
    )]
    pub database_pool_size: Option<u32>,
    /// The key that seals registry passwords and webhook secrets in the database (64 hex
    /// digits; made if missing). Default: `secret.key` in the data directory on SQLite;
    /// on PostgreSQL give every process the same file.
    #[arg(long, env = "PLIMSOLL_SECRET_KEY_FILE", value_name = "FILE")]
    pub secret_key_file: Option<std::path::PathBuf>,
    /// Log lines as text, or as one JSON object each.
    #[arg(long, env = "PLIMSOLL_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
}

/// How the server writes its log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// How to reach a server: flags, else `PLIMSOLL_*`, else `ANCHORE_CLI_*` variables.
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// The server's API URL (default http://localhost:8228/v1).
    #[arg(long, global = true)]
    pub url: Option<String>,
    /// User name.
    #[arg(short = 'u', long = "user", global = true)]
    pub user: Option<String>,
    /// Password.
    #[arg(short = 'p', long = "pass", global = true)]
    pub pass: Option<String>,
    /// Act as another account (administrators).
    #[arg(long, global = true)]
    pub as_account: Option<String>,
    /// Print the server's JSON instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ImageArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    #[command(subcommand)]
    pub command: ImageCommand,
}

#[derive(Debug, Subcommand)]
pub enum ImageCommand {
    /// Ask the server to pull and analyze an image: REGISTRY/REPO:TAG or REPO@sha256:….
    Add { reference: String },
    /// Show an image (by tag, digest or image ID).
    Get { image: String },
    /// List images.
    List,
    /// Wait until an image is analyzed (or failed), then show it.
    Wait {
        image: String,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
        /// Seconds between checks.
        #[arg(long, default_value_t = 1.0)]
        interval: f64,
    },
    /// Vulnerabilities of an image: os, non-os or all.
    Vuln {
        image: String,
        #[arg(default_value = "all", value_parser = ["os", "non-os", "all"])]
        vuln_type: String,
        /// Hide findings the vendor will not fix.
        #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
        vendor_only: bool,
        /// Compare with a base image (a digest, or `auto` for the nearest analyzed one) and
        /// mark each finding inherited from it or not.
        #[arg(long, value_name = "DIGEST|auto")]
        base: Option<String>,
    },
    /// Packages of an image by content type (os, python, npm, java, go, ...), or the types.
    Content {
        image: String,
        content_type: Option<String>,
    },
    /// Manifest, docker_history or dockerfile of an image, or the types.
    Metadata {
        image: String,
        metadata_type: Option<String>,
    },
    /// Delete an image.
    Del { image: String },
    /// Packages and vulnerabilities added, removed and changed from one image to another.
    Diff { from: String, to: String },
}

#[derive(Debug, Args)]
pub struct SystemArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    #[command(subcommand)]
    pub command: SystemCommand,
}

#[derive(Debug, Subcommand)]
pub enum SystemCommand {
    /// Service states.
    Status,
    /// Vulnerability feeds and their groups.
    Feeds,
    /// Wait until the services are up and the feeds synced.
    Wait {
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
}

#[derive(Debug, Args)]
pub struct AccountArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    #[command(subcommand)]
    pub command: AccountCommand,
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// The caller's user and account.
    Whoami,
    /// Create an account.
    Add {
        name: String,
        #[arg(long)]
        email: Option<String>,
    },
    /// List accounts.
    List,
    /// Add a user to an account (the caller's own by default).
    UserAdd {
        username: String,
        password: String,
        #[arg(long)]
        account: Option<String>,
    },
    /// List the users of an account.
    UserList {
        #[arg(long)]
        account: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Import vulnerability feeds (OSV, distro trackers, NVD, KEV, EPSS) from files,
    /// directories or archives; the format is recognised by content.
    Import {
        #[arg(required = true, value_name = "PATH")]
        inputs: Vec<std::path::PathBuf>,
        /// The database file (default: $PLIMSOLL_DB, else under the user's data directory).
        #[arg(long)]
        db: Option<std::path::PathBuf>,
    },
    /// Show the feeds and groups in the database.
    Status {
        #[arg(long)]
        db: Option<std::path::PathBuf>,
    },
}

/// Report formats of `vulns`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VulnsFormat {
    Table,
    Json,
    Sarif,
    /// The SBOM as CycloneDX 1.6 JSON with a `vulnerabilities` section.
    #[value(name = "cyclonedx-json")]
    CycloneDxJson,
}

#[derive(Debug, Args)]
pub struct VulnsArgs {
    /// What to scan: any `scan` source, or `sbom:PATH` (syft-json, CycloneDX, SPDX).
    pub source: String,

    /// The database file (default: $PLIMSOLL_DB, else under the user's data directory).
    #[arg(long)]
    pub db: Option<std::path::PathBuf>,

    /// Report format.
    #[arg(short, long, value_enum, default_value_t = VulnsFormat::Table)]
    pub output: VulnsFormat,

    /// Exit with status 1 when a vulnerability at or above this severity is found
    /// (negligible, low, medium, high, critical).
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,

    /// Report only vulnerabilities that have a fix.
    #[arg(long)]
    pub only_fixed: bool,

    /// Rules for accepted risks (Grype's `ignore:` list, YAML or JSON).
    #[arg(long, value_name = "FILE")]
    pub ignore: Option<std::path::PathBuf>,

    /// A VEX document (OpenVEX or CycloneDX); `not_affected` and `fixed` statements
    /// suppress the findings they name. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub vex: Vec<std::path::PathBuf>,

    /// Catalog the squashed image or every layer.
    #[arg(short, long, value_enum, default_value_t = ScopeArg::Squashed)]
    pub scope: ScopeArg,

    /// The platform to choose from a multi-platform image (OS/ARCH[/VARIANT]).
    #[arg(long)]
    pub platform: Option<String>,

    #[command(flatten)]
    pub registry: RegistryArgs,

    /// No progress on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Report formats of `evaluate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvaluateFormat {
    /// Anchore's `evaluate check` text.
    Table,
    /// The evaluation as Anchore's check response.
    Json,
}

/// `plimsoll evaluate SOURCE --policy BUNDLE.json`: a local policy gate; and
/// `plimsoll evaluate check IMAGE`, which asks a server to evaluate an image it holds.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct EvaluateArgs {
    #[command(subcommand)]
    pub command: Option<EvaluateCommand>,

    /// What to evaluate: any `scan` source, or `sbom:PATH` (syft-json, CycloneDX, SPDX).
    #[arg(required = true)]
    pub source: Option<String>,

    /// The policy bundle (Anchore's JSON, version `1_0`).
    #[arg(long, value_name = "BUNDLE.json", required = true)]
    pub policy: Option<std::path::PathBuf>,

    /// The database file (default: $PLIMSOLL_DB, else under the user's data directory).
    #[arg(long)]
    pub db: Option<std::path::PathBuf>,

    /// Show every fired trigger: gate, trigger, detail and status.
    #[arg(long)]
    pub detail: bool,

    /// The full tag to evaluate the image as (mappings match it); default: the image's first
    /// tag, else the source's name.
    #[arg(long, value_name = "REPO:TAG")]
    pub tag: Option<String>,

    /// Report format.
    #[arg(short, long, value_enum, default_value_t = EvaluateFormat::Table)]
    pub output: EvaluateFormat,

    /// The platform to choose from a multi-platform image (OS/ARCH[/VARIANT]).
    #[arg(long)]
    pub platform: Option<String>,

    #[command(flatten)]
    pub registry: RegistryArgs,

    #[command(flatten)]
    pub search: SearchArgs,

    /// No progress on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The content analysis's patterns beyond Anchore's default secret patterns. Files of up
/// to 10,000 bytes are searched, each line from its start.
#[derive(Debug, Clone, Default, Args)]
pub struct SearchArgs {
    /// Another secret pattern for the `secret_scans` gate, NAME=REGEX. Repeatable.
    #[arg(long = "secret-search", value_name = "NAME=REGEX")]
    pub secrets: Vec<String>,
    /// A pattern for the `files/content_regex_match` trigger, [NAME=]REGEX. Repeatable.
    #[arg(long = "content-search", value_name = "[NAME=]REGEX")]
    pub content: Vec<String>,
}

impl SearchArgs {
    /// Whether any pattern was given.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty() && self.content.is_empty()
    }
}

#[derive(Debug, Subcommand)]
pub enum EvaluateCommand {
    /// Evaluate an image on a server against its active bundle (exit 1 on fail).
    Check {
        #[command(flatten)]
        connection: ConnectionArgs,
        /// The image: a tag, a digest, or `REPO@DIGEST`.
        image: String,
        /// Show every fired trigger.
        #[arg(long)]
        detail: bool,
        /// The tag to evaluate the image as (needed when IMAGE is a digest).
        #[arg(long, value_name = "REPO:TAG")]
        tag: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Add a bundle (inactive).
    Add { bundle: std::path::PathBuf },
    /// List the bundles.
    List,
    /// Show a bundle.
    Get { id: String },
    /// Make a bundle the active one.
    Activate { id: String },
    /// Delete a bundle (never the active one).
    Del { id: String },
}

/// How registry sources (`registry:REF` or a bare reference) are reached, and where layers
/// are cached.
#[derive(Debug, Clone, Args)]
pub struct RegistryArgs {
    /// Allow plain HTTP and unverified TLS for registry sources (never the default).
    #[arg(long)]
    pub insecure: bool,
    /// User for the registry (default: the Docker config file's credentials).
    #[arg(
        long,
        env = "PLIMSOLL_REGISTRY_USERNAME",
        value_name = "USER",
        requires = "registry_password"
    )]
    pub registry_username: Option<String>,
    /// Password or token for the registry.
    #[arg(
        long,
        env = "PLIMSOLL_REGISTRY_PASSWORD",
        value_name = "PASS",
        hide_env_values = true,
        requires = "registry_username"
    )]
    pub registry_password: Option<String>,
    /// A PEM file of CA certificates to trust for registry TLS, beside the system's roots.
    #[arg(long, value_name = "FILE")]
    pub registry_ca: Option<std::path::PathBuf>,
    /// Cache each image layer's file index in DIR, keyed by diff ID; later scans of images
    /// sharing layers neither download nor decompress them again.
    #[arg(long, env = "PLIMSOLL_LAYER_CACHE", value_name = "DIR")]
    pub layer_cache: Option<std::path::PathBuf>,
    /// The bound on the layer cache's folder, in MiB; the least recently used layers go
    /// first.
    #[arg(
        long,
        env = "PLIMSOLL_LAYER_CACHE_MAX_MB",
        value_name = "MIB",
        default_value_t = plimsoll_image::DEFAULT_LAYER_CACHE_BYTES >> 20
    )]
    pub layer_cache_max_mb: u64,
}

impl RegistryArgs {
    /// The layer cache's folder and size bound in bytes, when a cache is asked for.
    pub fn layer_cache(&self) -> Option<(std::path::PathBuf, u64)> {
        let max_bytes = self.layer_cache_max_mb.saturating_mul(1 << 20);
        self.layer_cache.clone().map(|dir| (dir, max_bytes))
    }

    /// The image crate's options for reaching a registry.
    pub fn options(&self) -> plimsoll_image::RegistryOptions {
        let credentials = match (&self.registry_username, &self.registry_password) {
            (Some(user), Some(password)) => Some(plimsoll_image::Credentials::new(user, password)),
            _ => None,
        };
        plimsoll_image::RegistryOptions {
            insecure: self.insecure,
            ca_file: self.registry_ca.clone(),
            credentials,
            ..plimsoll_image::RegistryOptions::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct RegistryCommandArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    #[command(subcommand)]
    pub command: RegistryCommand,
}

/// A registry's settings as `add` and `update` take them.
#[derive(Debug, Args)]
pub struct RegistrySettings {
    /// The registry: HOST[:PORT], optionally with a repository path prefix.
    pub registry: String,
    /// The user the server pulls as.
    pub registry_user: String,
    /// The password or token (default: $PLIMSOLL_REGISTRY_PASSWORD, which keeps it out of
    /// the process list).
    #[arg(env = "PLIMSOLL_REGISTRY_PASSWORD", hide_env_values = true)]
    pub registry_pass: String,
    /// Allow plain HTTP and unverified TLS for this registry.
    #[arg(long)]
    pub insecure: bool,
    /// Store the settings without logging in to the registry first.
    #[arg(long)]
    pub skip_validate: bool,
    /// A display name (default: the registry).
    #[arg(long)]
    pub registry_name: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Add a registry (the server logs in to it first unless --skip-validate).
    Add(RegistrySettings),
    /// Change a registry's credentials or settings.
    Update(RegistrySettings),
    /// List the registries.
    List,
    /// Show a registry.
    Get { registry: String },
    /// Delete a registry.
    Del { registry: String },
}

#[derive(Debug, Args)]
pub struct RepoArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    #[command(subcommand)]
    pub command: RepoCommand,
}

#[derive(Debug, Subcommand)]
pub enum RepoCommand {
    /// Watch a repository (REGISTRY/REPO): each of its tags is added, now and as new ones
    /// appear.
    Add {
        repository: String,
        /// Leave the added tags' `tag_update` subscriptions inactive.
        #[arg(long)]
        noautosubscribe: bool,
        /// The tag to look the repository up by (default: latest).
        #[arg(long)]
        lookuptag: Option<String>,
        /// Show what would be watched without adding anything.
        #[arg(long)]
        dryrun: bool,
    },
    /// List the watched repositories.
    List,
    /// Show a watched repository.
    Get { repository: String },
    /// Stop watching a repository (its images stay).
    Del { repository: String },
    /// Resume checking a repository for new tags.
    Watch { repository: String },
    /// Stop checking a repository for new tags, keeping it listed.
    Unwatch { repository: String },
}

#[derive(Debug, Args)]
pub struct SubscriptionArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    #[command(subcommand)]
    pub command: SubscriptionCommand,
}

#[derive(Debug, Subcommand)]
pub enum SubscriptionCommand {
    /// List the subscriptions (`--full` adds their IDs).
    List {
        #[arg(long)]
        full: bool,
    },
    /// Show a subscription by ID.
    Get { id: String },
    /// Activate the subscription of a type (tag_update, vuln_update, policy_eval,
    /// analysis_update, repo_update) for a key (a full tag, or REGISTRY/REPO).
    Activate {
        subscription_type: String,
        subscription_key: String,
    },
    /// Deactivate the subscription of a type for a key.
    Deactivate {
        subscription_type: String,
        subscription_key: String,
    },
    /// Delete a subscription by ID.
    Del { id: String },
}

/// Which files are cataloged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    /// The final image, with deleted files gone.
    Squashed,
    /// Every layer, including files that later layers delete or replace.
    AllLayers,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// What to scan: docker-archive:PATH, oci-archive:PATH, oci-dir:PATH[:TAG], dir:PATH,
    /// file:PATH, registry:REF, or a path or image reference whose kind is detected.
    pub source: String,

    /// Output format, optionally to a file: table (default), syft-json (json). Repeatable.
    #[arg(short, long = "output", value_name = "FORMAT[=FILE]")]
    pub output: Vec<String>,

    /// Catalog the squashed image or every layer.
    #[arg(short, long, value_enum, default_value_t = ScopeArg::Squashed)]
    pub scope: ScopeArg,

    /// Leave out paths matching a glob (`/etc/**`, `./out/**`, `**/*.log`). Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// The platform to choose from a multi-platform image (OS/ARCH[/VARIANT]).
    #[arg(long)]
    pub platform: Option<String>,

    #[command(flatten)]
    pub registry: RegistryArgs,

    #[command(flatten)]
    pub search: SearchArgs,

    /// No progress on stderr.
    #[arg(short, long)]
    pub quiet: bool,

    /// Upload the analysis to this server (Anchore v1 API); `/v1` is added when missing.
    #[arg(short = 'H', long = "host", value_name = "URL")]
    pub host: Option<String>,
    /// User for the upload.
    #[arg(
        short = 'u',
        long = "username",
        env = "PLIMSOLL_USER",
        requires = "host"
    )]
    pub username: Option<String>,
    /// Password for the upload.
    #[arg(
        short = 'p',
        long = "password",
        env = "PLIMSOLL_PASS",
        requires = "host",
        hide_env_values = true
    )]
    pub password: Option<String>,
    /// A Dockerfile to upload with the analysis.
    #[arg(long, value_name = "FILE", requires = "host")]
    pub dockerfile: Option<std::path::PathBuf>,
    /// The name to record the image under (REPO:TAG), when the source has none; repeatable.
    #[arg(long = "tag", value_name = "REPO:TAG")]
    pub tags: Vec<String>,
    /// Replace an analysis the server already has for the image.
    #[arg(long)]
    pub overwrite_existing_image: bool,
}
