//! Ctrl-C and SIGTERM. The first stops the scan: no new input is started,
//! nothing half-written replaces an output, and the run ends with 128 +
//! the signal (130, 143), as shells expect. A run that cannot stop within
//! [`GRACE`] (blocked reading a slow pipe), or a second signal, ends the
//! process at once, after removing its temporary files.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use anyhow::{Context, Result};

use piiscan::mask::tree::Live;

/// How long a stopped run may take to wind down by itself.
const GRACE: Duration = Duration::from_secs(2);

/// Watches for signals; tells whether one stopped the run.
pub(crate) struct Stop {
    signal: Arc<AtomicUsize>,
    state: Arc<Mutex<State>>,
}

/// What ending the process at once must clean up and say.
#[derive(Default)]
struct State {
    /// Temporary files to remove.
    temporary: Vec<PathBuf>,
    /// Sets of temporary files that change as the run goes (masked copies).
    live: Vec<Live>,
    /// What becomes of each output (`out.json left as it was`).
    outputs: Vec<String>,
    /// The run has ended by itself: the watcher does nothing more.
    over: bool,
}

impl Stop {
    /// Sets `flag` on the first SIGINT or SIGTERM.
    pub(crate) fn install(flag: &Arc<AtomicBool>) -> Result<Stop> {
        let stop = Stop {
            signal: Arc::default(),
            state: Arc::default(),
        };
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGINT, SIGTERM};
            let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])
                .context("cannot install the signal handlers")?;
            let (signal, state, flag) = (stop.signal.clone(), stop.state.clone(), flag.clone());
            std::thread::spawn(move || {
                for (n, sig) in signals.forever().enumerate() {
                    if n == 0 {
                        signal.store(sig as usize, Ordering::Relaxed);
                        flag.store(true, Ordering::Relaxed);
                        let state = state.clone();
                        std::thread::spawn(move || {
                            std::thread::sleep(GRACE);
                            end_now(&state, sig);
                        });
                    } else {
                        end_now(&state, sig);
                    }
                }
            });
        }
        #[cfg(not(unix))]
        let _ = flag;
        Ok(stop)
    }

    /// Registers an output: its temporary file, if any, and what becomes
    /// of it when the run is stopped.
    pub(crate) fn guard(&self, temporary: Option<PathBuf>, when_stopped: String) {
        let mut state = lock(&self.state);
        state.temporary.extend(temporary);
        state.outputs.push(when_stopped);
    }

    /// Registers a set of temporary files that changes as the run goes.
    pub(crate) fn watch(&self, live: Live) {
        lock(&self.state).live.push(live);
    }

    /// Called when the run has ended by itself: the exit code and message
    /// if a signal stopped it.
    pub(crate) fn over(&self) -> Option<(String, u8)> {
        let mut state = lock(&self.state);
        state.over = true;
        let sig = self.signal.load(Ordering::Relaxed);
        (sig != 0).then(|| (message(&state, sig), exit_code(sig)))
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

/// Ends the process now, unless the run already ended by itself.
fn end_now(state: &Mutex<State>, sig: i32) {
    let state = lock(state);
    if state.over {
        return;
    }
    for path in &state.temporary {
        let _ = std::fs::remove_file(path);
    }
    for live in &state.live {
        let live = live.lock().unwrap_or_else(|e| e.into_inner());
        for path in live.iter() {
            let _ = std::fs::remove_file(path);
        }
    }
    eprintln!("{}", message(&state, sig as usize));
    std::process::exit(i32::from(exit_code(sig as usize)));
}

fn message(state: &State, sig: usize) -> String {
    let name = match sig {
        2 => "SIGINT",
        15 => "SIGTERM",
        _ => "a signal",
    };
    let mut text = format!("piiscan: stopped by {name}");
    for output in &state.outputs {
        text.push_str("; ");
        text.push_str(output);
    }
    text
}

fn exit_code(sig: usize) -> u8 {
    u8::try_from(128 + sig).unwrap_or(u8::MAX)
}
