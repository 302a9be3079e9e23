//! A progress line on stderr: bytes, files and elapsed time (no ETA: the
//! total is unknown while walking and throughput varies by content).
//! Throttled: a background thread redraws a few times a second from
//! counters the workers bump.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A running progress display.
pub struct Progress {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts drawing; `bytes` and `files` are read, never written.
    pub fn start(bytes: &Arc<AtomicU64>, files: &Arc<AtomicU64>) -> Progress {
        let stop = Arc::new(AtomicBool::new(false));
        let (bytes, files, flag) = (bytes.clone(), files.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4));
            let style = ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            while !flag.load(Ordering::Relaxed) {
                let b = bytes.load(Ordering::Relaxed);
                let f = files.load(Ordering::Relaxed);
                bar.set_message(format!("{} scanned, {f} files", HumanBytes(b)));
                bar.tick();
                std::thread::sleep(Duration::from_millis(250));
            }
            bar.finish_and_clear();
        });
        Progress {
            stop,
            thread: Some(thread),
        }
    }

    /// Stops and erases the display.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
