//! Progress on stderr while a long scan runs: a bar with a total, a rate and an ETA, drawn by
//! `indicatif` (redrawing, rate smoothing and ETA estimates are its whole job). Only on a
//! terminal that can redraw: a log, a pipe, a CI job or `TERM=dumb` gets the final summary
//! and nothing else.

use std::io::IsTerminal;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::run::history::ProgressSnapshot;

const INTERVAL: Duration = Duration::from_millis(200);

/// Whether progress should be drawn: stderr is a terminal that can redraw, and the user did
/// not ask for quiet.
pub fn wanted(quiet: bool) -> bool {
    !quiet && super::terminal::can_redraw(std::io::stderr().is_terminal())
}

/// Runs `work`, showing `snapshot()` as a bar on stderr every 200 ms while it runs (if
/// `enabled`), and clears it when it ends so the summary starts clean.
pub fn with_progress<R>(
    enabled: bool,
    snapshot: impl Fn() -> ProgressSnapshot + Sync,
    work: impl FnOnce() -> R,
) -> R {
    if !enabled {
        return work();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    let counting = ProgressStyle::with_template(
        "keyhound: {spinner} {pos}/{len} blobs scanned, {msg} (still listing blobs)",
    )
    .expect("progress template");
    let known = ProgressStyle::with_template(
        "keyhound: [{bar:30}] {pos}/{len} blobs, {msg}, {per_sec}, ETA {eta}",
    )
    .expect("progress template")
    .progress_chars("=> ");
    bar.set_style(counting);
    let done = Mutex::new(false);
    let wake = Condvar::new();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut total_known = false;
            let mut finished = done.lock().expect("progress lock");
            while !*finished {
                let (guard, _) = wake
                    .wait_timeout(finished, INTERVAL)
                    .expect("progress lock");
                finished = guard;
                if *finished {
                    break;
                }
                let now = snapshot();
                if now.listing_done && !total_known {
                    // The total is final once enumeration ends: from here on the bar, the
                    // rate and the ETA mean something.
                    bar.set_style(known.clone());
                    total_known = true;
                }
                bar.set_length(now.blobs_found);
                bar.set_position(now.blobs_scanned);
                bar.set_message(format!(
                    "{} commits, {:.1} MB",
                    now.commits,
                    now.bytes as f64 / 1e6
                ));
            }
            bar.finish_and_clear();
        });
        let result = work();
        *done.lock().expect("progress lock") = true;
        wake.notify_all();
        result
    })
}
