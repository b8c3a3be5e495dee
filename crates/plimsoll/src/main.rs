//! The `plimsoll` command: catalog container images and directories.

/// `print!` to stdout, except that a reader that went away (`plimsoll … | head`) ends the
/// program quietly instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::stdout(format_args!($($arg)*))
    };
}

/// `println!` with the same care as [`out!`].
macro_rules! outln {
    () => {
        $crate::output::stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {{
        $crate::output::stdout(format_args!($($arg)*));
        $crate::output::stdout(format_args!("\n"));
    }};
}

mod catalog;
mod cli;
mod commands;
mod output;
mod policy_input;
mod progress;
mod report;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

/// Exit status for an error (0 is success, 1 a failed gate).
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A server logs at info by default (one event per request, jobs, feed syncs); the
    // command-line tools only warn unless asked.
    let (server, json) = match &cli.command {
        Command::Server(args) => (true, args.log_format == cli::LogFormat::Json),
        _ => (false, false),
    };
    init_logging(cli.verbose + u8::from(server && cli.verbose == 0), json);
    let result = match cli.command {
        Command::Scan(args) => commands::scan::run(args),
        Command::Vulns(args) => commands::vulns::run(args),
        Command::Evaluate(args) => commands::evaluate::run(args),
        Command::Db(args) => commands::db::run(args),
        Command::Server(args) => commands::server::run(args),
        Command::Image(args) => commands::remote::image(args),
        Command::System(args) => commands::remote::system(args),
        Command::Account(args) => commands::remote::account(args),
        Command::Policy(args) => commands::remote::policy(args),
        Command::Registry(args) => commands::remote::registry(args),
        Command::Repo(args) => commands::remote::repo(args),
        Command::Subscription(args) => commands::remote::subscription(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            report(&error);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Prints an error and its causes as `error:` / `Caused by:` lines, with a hint where one
/// is known.
fn report(error: &anyhow::Error) {
    eprintln!("error: {error}");
    let causes: Vec<String> = error
        .chain()
        .skip(1)
        .map(|cause| cause.to_string())
        .collect();
    if !causes.is_empty() {
        eprintln!("\nCaused by:");
        for cause in causes {
            eprintln!("    {cause}");
        }
    }
    if let Some(hint) = commands::hint_for(error) {
        eprintln!("\nhint: {hint}");
    }
}

fn init_logging(verbose: u8, json: bool) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("PLIMSOLL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    if json {
        // One JSON object a line, the event's fields flattened beside `message`.
        builder.json().flatten_event(true).init();
    } else {
        builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init();
    }
}
