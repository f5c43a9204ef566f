//! A one-line progress display on stderr, redrawn a few times a second while work runs.
//! Only on a terminal: a log or a CI job gets the final summary and nothing else.

use std::io::{IsTerminal, Write};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

const INTERVAL: Duration = Duration::from_millis(200);

/// Whether progress should be drawn: stderr is a terminal and the user did not ask for quiet.
pub fn wanted(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

/// Runs `work`, redrawing `render()` on stderr every 200 ms while it runs (if `enabled`), and
/// erases the line when it ends so the summary starts clean.
pub fn with_progress<R>(
    enabled: bool,
    render: impl Fn() -> String + Sync,
    work: impl FnOnce() -> R,
) -> R {
    if !enabled {
        return work();
    }
    let done = Mutex::new(false);
    let wake = Condvar::new();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut finished = done.lock().expect("progress lock");
            while !*finished {
                let (guard, _) = wake
                    .wait_timeout(finished, INTERVAL)
                    .expect("progress lock");
                finished = guard;
                if !*finished {
                    let mut err = std::io::stderr().lock();
                    let _ = write!(err, "\r\x1b[Kkeyhound: {}", render());
                    let _ = err.flush();
                }
            }
            let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
        });
        let result = work();
        *done.lock().expect("progress lock") = true;
        wake.notify_all();
        result
    })
}
