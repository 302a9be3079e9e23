//! A progress line on stderr: bytes, files and elapsed time (no ETA: the
//! total is unknown while walking and throughput varies by content).
//! Throttled: a background thread redraws a few times a second from
//! counters the workers bump. Whoever writes to the terminal meanwhile
//! (findings, warnings) does it inside [`Bar::suspend`], so the line is
//! never drawn into the middle of theirs.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{DecimalBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The progress line: cheap to clone, drawn only once a scan starts it.
#[derive(Clone)]
pub struct Bar(ProgressBar);

impl fmt::Debug for Bar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bar")
    }
}

impl Bar {
    /// A line on stderr, redrawn four times a second at most.
    pub fn stderr() -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4));
        let style = ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        Bar(bar)
    }

    /// Runs `write` with the line cleared; it is drawn again afterwards.
    pub fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        self.0.suspend(write)
    }

    /// Starts drawing; `bytes` and `files` are read, never written.
    pub(crate) fn start(&self, bytes: &Arc<AtomicU64>, files: &Arc<AtomicU64>) -> Ticker {
        let stop = Arc::new(AtomicBool::new(false));
        let (bytes, files, flag, bar) =
            (bytes.clone(), files.clone(), stop.clone(), self.0.clone());
        let thread = std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                let b = bytes.load(Ordering::Relaxed);
                let f = files.load(Ordering::Relaxed);
                let noun = if f == 1 { "file" } else { "files" };
                bar.set_message(format!("{} scanned, {f} {noun}", DecimalBytes(b)));
                bar.tick();
                std::thread::sleep(Duration::from_millis(250));
            }
            bar.finish_and_clear();
        });
        Ticker {
            stop,
            thread: Some(thread),
        }
    }
}

/// A running progress display.
pub(crate) struct Ticker {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Ticker {
    /// Stops and erases the display.
    pub(crate) fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
