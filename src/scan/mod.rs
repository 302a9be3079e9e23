//! The scan pipeline, written once: walk the inputs, scan them in
//! parallel (large files split across threads), and hand results, in path
//! order, to one [`Sink`] on the calling thread.
//!
//! - `order`: inputs claimed and written in order, bounded ahead;
//! - `scanner`: shared state, a worker per thread, documents to findings;
//! - `pieces`: how a document is read (whole, split, streamed, UTF-16);
//! - `join`: split pieces fitted back together as if scanned whole;
//! - `result`: what one input produces, handed over in batches.
//!
//! Workers produce data; the calling thread owns the output, so writes are
//! never torn and the order is the same whatever the thread count.

mod allow;
pub mod examples;
mod join;
mod order;
mod pieces;
pub mod progress;
mod result;
mod scanner;

use self::order::{Msg, Queue};
pub use self::result::{Batch, FileResult, Segment};
use self::scanner::{Documents, Scanner};

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use crate::config::ScanConfig;
use crate::detect::Detector;
use crate::error::{Error, Result};
use crate::input::open;
use crate::input::unpack::Budget;
use crate::input::walk;
use crate::input::SkipReason;
use crate::rules::RuleSet;
use crate::sink::{Content, InputDone, Sink};
use crate::summary::Summary;

/// How a scan ended.
#[derive(Debug)]
pub struct Outcome {
    /// Totals.
    pub summary: Summary,
    /// The highest severity among reported findings.
    pub worst: Option<crate::finding::Severity>,
    /// The reader of our output went away (`| head`); not an error.
    pub closed_pipe: bool,
    /// [`ScanConfig::stop`] was set: the scan ended early.
    pub stopped: bool,
    /// Paths named to scan that could not be read (each also a gap in the
    /// summary): the run did not do its whole job.
    pub failed: Vec<Error>,
}

/// Runs a scan and hands its results to `sink`, in input order. Warnings
/// go to `warn` as they arrive, in path order.
pub fn run<S: Sink + ?Sized>(
    config: &ScanConfig,
    rules: &RuleSet,
    sink: &mut S,
    warn: &mut dyn FnMut(&str),
) -> Result<Outcome> {
    let detector = Detector::with_min_confidence(rules, config.min_confidence)?;
    run_with(config, rules, &detector, sink, warn)
}

/// [`run`] with `detector` compiled from `rules` at the configured
/// confidence, for a caller that runs many scans (a fuzz target).
pub fn run_with<S: Sink + ?Sized>(
    config: &ScanConfig,
    rules: &RuleSet,
    detector: &Detector,
    sink: &mut S,
    warn: &mut dyn FnMut(&str),
) -> Result<Outcome> {
    let started = Instant::now();
    let walked = walk::walk(&config.paths, &config.walk)?;
    for glob in &walked.unmatched_globs {
        let did = if glob.starts_with('!') {
            "excluded nothing"
        } else {
            "let in no file"
        };
        warn(&format!(
            "glob `{}` {did} (globs match as ripgrep's -g: `*.csv`, `!vendor`, `data/**/*.json`)",
            crate::sanitize::sanitize(glob)
        ));
    }
    let threads = thread_count(config.threads, warn);
    let mut scanner = Scanner::new(config, rules, detector, threads)?;
    scanner.content = sink.wants_content();

    let mut summary = Summary {
        ignored: walked.ignored,
        ..Summary::default()
    };
    for (path, reason) in &walked.skipped {
        summary.add_skip(path.clone(), *reason);
    }
    let mut failed = Vec::new();
    for (path, cause) in walked.failed {
        let reason = if cause.kind() == io::ErrorKind::NotFound {
            SkipReason::Missing
        } else {
            SkipReason::Unreadable
        };
        summary.add_skip(path.clone(), reason);
        failed.push(Error::Io {
            path: crate::sanitize::sanitize(&path),
            cause,
        });
    }
    let progress = config
        .progress
        .as_ref()
        .map(|bar| bar.start(&scanner.bytes, &scanner.files));
    let mut worst = None;
    let mut closed_pipe = false;
    let mut write_failed = None;
    // Few messages in the channel: a batch holds thousands of findings, and
    // a writer slower than the workers must slow them down, not pile up.
    let (tx, rx) = crossbeam_channel::bounded::<Msg>(2 * threads + 2);
    let queue = Queue::default();
    std::thread::scope(|s| {
        let (inputs, scanner, queue) = (&walked.inputs, &scanner, &queue);
        // One loop per pool thread claims inputs in order. The loops are
        // broadcast: each is pinned to its own thread, so a thread that
        // waits inside rayon (for its pieces, its turn, the writer) can only
        // pick up pieces, never another input's loop, which would wait for
        // a turn that comes after the one this thread holds: no hang at any
        // thread count.
        s.spawn(move || {
            scanner.pool.broadcast(|_| {
                let tx = tx.clone();
                while let Some(i) = queue.claim(inputs.len()) {
                    let flush = |batch| {
                        queue.wait_turn(i);
                        let _ = tx.send(Msg::Batch(batch));
                    };
                    let result = scanner.scan_input_caught(&inputs[i], &flush);
                    queue.hold(result.held());
                    let _ = tx.send(Msg::Done(i, result));
                }
            });
            drop(tx);
        });
        let mut pending = BTreeMap::new();
        for msg in rx {
            let written = match msg {
                // Only the input whose turn it is sends batches.
                Msg::Batch(_) if closed_pipe => Ok(()),
                Msg::Batch(batch) => deliver(&batch, sink, &mut summary, &mut worst),
                Msg::Done(i, result) => {
                    pending.insert(i, result);
                    let mut written = Ok(());
                    while let Some(result) = pending.remove(&queue.written()) {
                        let held = result.held();
                        queue.advance();
                        if written.is_ok() && !closed_pipe && !result.not_started {
                            let keep = config.column_stats;
                            written = emit(result, keep, sink, &mut summary, &mut worst, warn);
                        }
                        queue.release(held);
                    }
                    written
                }
            };
            if let Err(e) = written {
                // A reader that went away (`| head`) is not an error; a
                // full disk is, and the run stops.
                if !closed_pipe && e.kind() != io::ErrorKind::BrokenPipe {
                    write_failed = Some(e);
                }
                closed_pipe = true;
                scanner.cancel.store(true, Ordering::Relaxed);
            }
        }
    });
    if let Some(p) = progress {
        p.stop();
    }
    summary.elapsed = started.elapsed();
    summary.incomplete_inputs.sort();
    let stopped = config.stop.load(Ordering::Relaxed);
    // A run stopped from outside leaves its output unfinished (a JSON
    // array without its `]`), so that it cannot pass for a whole one.
    let finished = match write_failed {
        Some(e) => Err(e),
        None if closed_pipe || stopped => Ok(()),
        None => sink.finish(&summary),
    };
    match finished {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => closed_pipe = true,
        Err(cause) => {
            return Err(Error::Io {
                path: "writing the output".into(),
                cause,
            })
        }
        Ok(()) => {}
    }
    Ok(Outcome {
        summary,
        worst,
        closed_pipe,
        stopped,
        failed,
    })
}

/// Scans one stream (text, UTF-16 with BOM, a compressed file or an
/// archive) with the pipeline of [`run`], for library users and tests that
/// hold data in memory.
pub fn scan_reader(
    config: &ScanConfig,
    rules: &RuleSet,
    display: &str,
    reader: impl Read,
) -> Result<FileResult> {
    let detector = Detector::with_min_confidence(rules, config.min_confidence)?;
    scan_with(config, rules, &detector, display, reader)
}

/// [`scan_reader`] with a detector built once for many streams (rule
/// examples): the same path as every input of [`run`].
pub fn scan_with(
    config: &ScanConfig,
    rules: &RuleSet,
    detector: &Detector,
    display: &str,
    reader: impl Read,
) -> Result<FileResult> {
    Streams::new(config, rules, detector)?.scan(display, reader)
}

/// Scans many small streams in turn (rule examples) with one detector and
/// one set of search caches: a cache per rule made once, not once per
/// stream (5,000 rules' examples would allocate gigabytes each).
pub struct Streams<'a> {
    scanner: Scanner<'a>,
    limits: crate::input::unpack::Limits,
}

impl<'a> Streams<'a> {
    /// A scanner of streams with `config` (one thread), `rules` and
    /// `detector` compiled from them.
    pub fn new(config: &'a ScanConfig, rules: &'a RuleSet, detector: &'a Detector) -> Result<Self> {
        Ok(Streams {
            scanner: Scanner::new(config, rules, detector, 1)?,
            limits: config.limits,
        })
    }

    /// The findings of one stream, named `display`.
    pub fn scan(&self, display: &str, reader: impl Read) -> Result<FileResult> {
        let flushed = std::cell::RefCell::new(Vec::new());
        let flush = |batch: Batch| flushed.borrow_mut().extend(batch.findings);
        let budget = Budget::new(self.limits);
        let mut result = FileResult::default();
        let mut visit = Documents {
            scanner: &self.scanner,
            flush: &flush,
            result: &mut result,
        };
        open::open_stream(reader, &Arc::from(display), &budget, 0, &mut visit).map_err(|e| {
            Error::Io {
                path: display.to_string(),
                cause: e,
            }
        })?;
        let mut findings = flushed.into_inner();
        findings.append(&mut result.findings);
        result.findings = findings;
        Ok(result)
    }
}

/// Hands a finished input to the sink and adds it to the totals.
fn emit<S: Sink + ?Sized>(
    result: FileResult,
    keep_tables: bool,
    sink: &mut S,
    summary: &mut Summary,
    worst: &mut Option<crate::finding::Severity>,
    warn: &mut dyn FnMut(&str),
) -> io::Result<()> {
    for w in &result.warnings {
        warn(w);
    }
    let batch = Batch {
        input: result.input.clone(),
        findings: result.findings,
        content: result.content,
    };
    deliver(&batch, sink, summary, worst)?;
    sink.input_done(&InputDone {
        path: &result.input,
        bytes: result.bytes,
        files: result.files,
        gaps: &result.gaps,
        tables: &result.tables,
    })?;
    for (path, reason) in result.gaps {
        summary.add_skip(path, reason);
    }
    summary.files += result.files;
    summary.bytes += result.bytes;
    if keep_tables {
        for (path, columns) in result.tables {
            summary
                .tables
                .push(&crate::summary::TableEntry { path, columns })?;
        }
        summary.inputs.push(&crate::summary::InputFacts {
            modified: crate::input::modified(&result.input),
            path: result.input,
            bytes: result.bytes,
        })?;
    }
    Ok(())
}

/// Hands a batch to the sink: findings, each piece of text after the
/// findings that come before it.
fn deliver<S: Sink + ?Sized>(
    batch: &Batch,
    sink: &mut S,
    summary: &mut Summary,
    worst: &mut Option<crate::finding::Severity>,
) -> io::Result<()> {
    let findings = &batch.findings;
    for finding in findings {
        summary.add_finding(finding);
        *worst = (*worst).max(Some(finding.severity));
    }
    let mut handed = 0;
    for segment in &batch.content {
        if segment.after > handed {
            sink.findings(&findings[handed..segment.after])?;
            handed = segment.after;
        }
        sink.content(&Content {
            input: &batch.input,
            path: &segment.path,
            offset: segment.offset,
            bytes: &segment.bytes,
            encoding: segment.encoding,
        })?;
    }
    if handed < findings.len() {
        sink.findings(&findings[handed..])?;
    }
    Ok(())
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Threads beyond this many per core only cost memory (each holds its
/// chunk buffers and caches) and, by the thousand, never finish starting.
const THREADS_PER_CORE: usize = 4;

/// The worker thread count: one per core by default, at most
/// [`THREADS_PER_CORE`] per core.
fn thread_count(asked: usize, warn: &mut dyn FnMut(&str)) -> usize {
    let cores = num_cpus();
    let most = cores * THREADS_PER_CORE;
    match asked {
        0 => cores,
        n if n > most => {
            warn(&format!(
                "{n} threads asked for, {most} used ({THREADS_PER_CORE} per core on {cores} cores)"
            ));
            most
        }
        n => n,
    }
}
