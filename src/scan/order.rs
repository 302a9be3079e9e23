//! Input order: inputs are claimed in order and their results written in
//! order, whatever the thread count, with bounds on how far the scan runs
//! ahead of the writer (inputs in flight, findings held).

use std::sync::atomic::{AtomicUsize, Ordering};

use super::result::{Batch, FileResult};

/// How many inputs may be scanned ahead of the one the writer waits for.
/// Results arrive out of order and wait for their turn; this bounds how
/// many wait, and so the memory they hold. Large enough that the other
/// threads rarely wait while one thread works through a large file
/// (measured: 16 gave 1.33× on two threads, 256 gives 1.8×).
pub(super) const IN_FLIGHT: usize = 256;

/// Findings that finished inputs may hold while they wait for their turn
/// (about 250 bytes each; 256 bytes of text held for a sink that wants it
/// count as one): past this, workers wait for the writer before they start
/// another input, so neither dense data nor text can pile up.
pub(super) const PENDING_FINDINGS: usize = 128 * 1024;

/// Hands out inputs in order and keeps workers within [`IN_FLIGHT`] inputs
/// and [`PENDING_FINDINGS`] findings of the writer, so results waiting for
/// their turn stay few.
#[derive(Default)]
pub(super) struct Queue {
    pub(super) next: AtomicUsize,
    pub(super) written: AtomicUsize,
    /// Findings of finished inputs not yet written.
    pub(super) pending: AtomicUsize,
}

impl Queue {
    /// The next input to scan, once the writer is close enough behind. The
    /// input the writer waits for is never held back.
    pub(super) fn claim(&self, len: usize) -> Option<usize> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        if i >= len {
            return None;
        }
        while i >= self.written() + IN_FLIGHT
            || (i > self.written() && self.pending.load(Ordering::Relaxed) > PENDING_FINDINGS)
        {
            self.pause();
        }
        Some(i)
    }

    /// Waits a moment, helping with the pieces of a large input another
    /// thread is splitting, if there are any (pure work that never waits,
    /// since every input's loop is pinned to its own thread).
    pub(super) fn pause(&self) {
        if rayon::yield_now() != Some(rayon::Yield::Executed) {
            std::thread::sleep(std::time::Duration::from_micros(100));
        }
    }

    /// A finished input's findings now wait for their turn.
    pub(super) fn hold(&self, findings: usize) {
        self.pending.fetch_add(findings, Ordering::Relaxed);
    }

    /// A finished input's findings were written.
    pub(super) fn release(&self, findings: usize) {
        self.pending.fetch_sub(findings, Ordering::Relaxed);
    }

    /// Waits until every input before `i` has been written.
    pub(super) fn wait_turn(&self, i: usize) {
        while self.written() != i {
            self.pause();
        }
    }

    pub(super) fn written(&self) -> usize {
        self.written.load(Ordering::Acquire)
    }

    pub(super) fn advance(&self) {
        self.written.fetch_add(1, Ordering::Release);
    }
}

/// What workers send the writer.
pub(super) enum Msg {
    /// Findings (and text, for a sink that wants it) of the input whose
    /// turn it is, before it is finished: a large input hands them over in
    /// batches so memory stays bounded.
    Batch(Batch),
    /// An input is finished: its last findings and its totals.
    Done(usize, FileResult),
}
