//! Ctrl-C and SIGTERM: the first one stops the scan (no new input is
//! started, nothing half-written replaces an output), the second one ends
//! the process at once. The exit code is 128 + the signal, as shells use.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use anyhow::{Context, Result};

/// Which signal stopped the run, once one has.
pub(crate) struct Stop {
    signal: Arc<AtomicUsize>,
}

impl Stop {
    /// Sets `flag` on SIGINT or SIGTERM; a second signal exits at once.
    pub(crate) fn install(flag: &Arc<AtomicBool>) -> Result<Stop> {
        let signal = Arc::new(AtomicUsize::new(0));
        #[cfg(unix)]
        for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            let code = 128 + sig;
            // Registered first, so it sees the flag as the previous signal
            // left it.
            signal_hook::flag::register_conditional_shutdown(sig, code, flag.clone())
                .and_then(|_| signal_hook::flag::register(sig, flag.clone()))
                .and_then(|_| signal_hook::flag::register_usize(sig, signal.clone(), sig as usize))
                .context("cannot install the signal handlers")?;
        }
        Ok(Stop { signal })
    }

    /// The signal that stopped the run: its name and the exit code.
    pub(crate) fn caught(&self) -> Option<(&'static str, u8)> {
        match self.signal.load(Ordering::Relaxed) {
            0 => None,
            2 => Some(("SIGINT", 130)),
            15 => Some(("SIGTERM", 143)),
            n => Some(("a signal", 128u8.saturating_add(n as u8))),
        }
    }
}
