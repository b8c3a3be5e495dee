//! Progress on stderr: a live line on a terminal, plain `✔` lines otherwise, nothing with
//! `-q`.

use std::io::IsTerminal;
use std::sync::atomic::Ordering;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use plimsoll_image::Progress;

/// Reports the steps of a scan.
#[derive(Debug)]
pub struct Reporter {
    quiet: bool,
    live: bool,
}

impl Reporter {
    pub fn new(quiet: bool) -> Self {
        Reporter {
            quiet,
            live: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// Prints a finished step.
    pub fn done(&self, step: &str, detail: &str) {
        if self.quiet {
            return;
        }
        if detail.is_empty() {
            eprintln!(" ✔ {step}");
        } else {
            eprintln!(" ✔ {step:<17} {detail}");
        }
    }

    /// Runs `work` while a live line shows the progress counters (terminals only).
    pub fn while_reading<T>(&self, step: &str, progress: &Progress, work: impl FnOnce() -> T) -> T {
        if !self.live {
            return work();
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template(" {spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(100));
        let result = std::thread::scope(|scope| {
            let watcher = scope.spawn(|| {
                while !bar.is_finished() {
                    let read = progress.bytes_read.load(Ordering::Relaxed);
                    let total = progress.bytes_total.load(Ordering::Relaxed);
                    let done = progress.layers_done.load(Ordering::Relaxed);
                    let layers = progress.layers_total.load(Ordering::Relaxed);
                    bar.set_message(format!(
                        "{step}  [{} / {} MiB, {done}/{layers} layers]",
                        read >> 20,
                        total >> 20
                    ));
                    std::thread::sleep(Duration::from_millis(100));
                }
            });
            let result = work();
            bar.finish_and_clear();
            let _ = watcher.join();
            result
        });
        result
    }
}
