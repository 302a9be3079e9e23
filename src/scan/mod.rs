//! The scan pipeline: walk the inputs, scan them in parallel (large files
//! split across threads), and hand results, in path order, to one writer.
//!
//! Workers produce data; the calling thread owns the output, so writes are
//! never torn and the order is the same whatever the thread count.

pub mod examples;
pub mod progress;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::ScanConfig;
use crate::detect::{Detector, Hit, Scratch};
use crate::error::{Error, Result};
use crate::finding::mask::mask_into;
use crate::finding::{Finding, Fingerprinter};
use crate::formats::table::ColumnStats;
use crate::formats::Layout;
use crate::input::open::{self, Document, Encoding, Source, Visit};
use crate::input::read::{self, Chunk, Margins, Sniffed};
use crate::input::unpack::Budget;
use crate::input::walk::{self, Input};
use crate::input::SkipReason;
use crate::rules::RuleSet;
use crate::sanitize::sanitize;
use crate::sink::{Content, InputDone, Sink};
use crate::summary::Summary;

/// How many inputs may be scanned ahead of the one the writer waits for.
/// Results arrive out of order and wait for their turn; this bounds how
/// many wait, and so the memory they hold. Large enough that the other
/// threads rarely wait while one thread works through a large file
/// (measured: 16 gave 1.33× on two threads, 256 gives 1.8×).
const IN_FLIGHT: usize = 256;

/// Findings that finished inputs may hold while they wait for their turn
/// (about 250 bytes each): past this, workers wait for the writer before
/// they start another input, so dense data cannot pile up.
const PENDING_FINDINGS: usize = 128 * 1024;

/// Hands out inputs in order and keeps workers within [`IN_FLIGHT`] inputs
/// and [`PENDING_FINDINGS`] findings of the writer, so results waiting for
/// their turn stay few.
#[derive(Default)]
struct Queue {
    next: AtomicUsize,
    written: AtomicUsize,
    /// Findings of finished inputs not yet written.
    pending: AtomicUsize,
}

impl Queue {
    /// The next input to scan, once the writer is close enough behind. The
    /// input the writer waits for is never held back.
    fn claim(&self, len: usize) -> Option<usize> {
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

    /// Waits a moment. Only input threads wait, and they are not the
    /// pool's: no job can be stolen onto a waiting stack.
    fn pause(&self) {
        std::thread::sleep(std::time::Duration::from_micros(100));
    }

    /// A finished input's findings now wait for their turn.
    fn hold(&self, findings: usize) {
        self.pending.fetch_add(findings, Ordering::Relaxed);
    }

    /// A finished input's findings were written.
    fn release(&self, findings: usize) {
        self.pending.fetch_sub(findings, Ordering::Relaxed);
    }

    /// Waits until every input before `i` has been written.
    fn wait_turn(&self, i: usize) {
        while self.written() != i {
            self.pause();
        }
    }

    fn written(&self) -> usize {
        self.written.load(Ordering::Acquire)
    }

    fn advance(&self) {
        self.written.fetch_add(1, Ordering::Release);
    }
}

/// What workers send the writer.
enum Msg {
    /// Findings (and text, for a sink that wants it) of the input whose
    /// turn it is, before it is finished: a large input hands them over in
    /// batches so memory stays bounded.
    Batch(Batch),
    /// An input is finished: its last findings and its totals.
    Done(usize, FileResult),
}

/// Most pieces of a large input scanned in parallel before their findings
/// are joined and handed on.
const PIECES_AT_ONCE: usize = 16;

/// Pieces per thread in a group.
const GROUP_PER_THREAD: usize = 4;

/// Findings a large input accumulates before handing them to the writer.
const BATCH: usize = 16 * 1024;

/// Bytes of text a large input accumulates (for a sink that wants them)
/// before handing them to the writer.
const CONTENT_BATCH: usize = 8 << 20;

/// A batch of an input's results handed over before it is finished.
#[derive(Debug, Default)]
pub struct Batch {
    /// Findings in offset order.
    pub findings: Vec<Finding>,
    /// Text, if the sink wants it (see [`Sink::wants_content`]).
    pub content: Vec<Segment>,
}

/// A piece of a document's text, held until it is handed to the sink.
#[derive(Debug)]
pub struct Segment {
    /// The document.
    pub path: Arc<str>,
    /// Offset of the first byte in the document.
    pub offset: u64,
    /// The text.
    pub bytes: Vec<u8>,
    /// How the text relates to the document's bytes.
    pub encoding: Encoding,
    /// How many of the batch's findings come before it.
    pub after: usize,
}

/// What scanning one input produced.
#[derive(Debug, Default)]
pub struct FileResult {
    /// Findings in offset order, above the confidence threshold.
    pub findings: Vec<Finding>,
    /// The scanned text, for a sink that wants it, each piece after the
    /// findings that start before its end.
    pub content: Vec<Segment>,
    /// Bytes examined.
    pub bytes: u64,
    /// Files examined, fully or in part: 1 for a text file, the number of
    /// members for an archive, 0 for a skipped input.
    pub files: u64,
    /// Every part of the input not fully examined (the input itself or an
    /// archive member), and why.
    pub gaps: Vec<(Arc<str>, SkipReason)>,
    /// Messages for stderr: a sanitised path and what went wrong.
    pub warnings: Vec<String>,
    /// Per-column cell counts of each delimited file (or member) scanned.
    pub tables: Vec<(Arc<str>, Vec<ColumnStats>)>,
}

impl FileResult {
    /// Adds the next piece of `path`'s text, after the findings so far.
    fn push_content(&mut self, path: &Arc<str>, offset: u64, bytes: &[u8], encoding: Encoding) {
        if bytes.is_empty() {
            return;
        }
        self.content.push(Segment {
            path: path.clone(),
            offset,
            bytes: bytes.to_vec(),
            encoding,
            after: self.findings.len(),
        });
    }

    /// The findings and text so far, taken out as a batch.
    fn take_batch(&mut self) -> Batch {
        Batch {
            findings: std::mem::take(&mut self.findings),
            content: std::mem::take(&mut self.content),
        }
    }

    /// Ends a structured input: a delimited file's column counts, and a
    /// gap where its structure broke (its later findings lose their place).
    fn end_layout(&mut self, path: &Arc<str>, layout: Layout) {
        let ended = layout.finish();
        ended.unlocate(path, &mut self.findings);
        if let Some(reason) = ended.gap {
            self.gap(path, reason, None);
        }
        if let Some(columns) = ended.columns {
            self.tables.push((path.clone(), columns));
        }
    }

    /// Records that `path` was not fully examined, with a warning on
    /// stderr when something went wrong (rather than a limit applying).
    fn gap(&mut self, path: &Arc<str>, reason: SkipReason, error: Option<&io::Error>) {
        if let Some(e) =
            error.filter(|_| matches!(reason, SkipReason::Unreadable | SkipReason::Corrupt))
        {
            let after = if self.bytes > 0 {
                format!(" after {} bytes", self.bytes)
            } else {
                String::new()
            };
            let what = match reason {
                SkipReason::Corrupt => "corrupt or truncated compressed data".to_string(),
                _ => io_message(e),
            };
            self.warnings
                .push(format!("{}: {what}{after}", sanitize(path)));
        }
        self.gaps.push((path.clone(), reason));
    }
}

/// How a scan ended.
#[derive(Debug)]
pub struct Outcome {
    /// Totals.
    pub summary: Summary,
    /// The highest severity among reported findings.
    pub worst: Option<crate::finding::Severity>,
    /// The reader of our output went away (`| head`); not an error.
    pub closed_pipe: bool,
}

/// Runs a scan and hands its results to `sink`, in input order. Warnings
/// go to `warn` as they arrive, in path order.
pub fn run<S: Sink + ?Sized>(
    config: &ScanConfig,
    rules: &RuleSet,
    sink: &mut S,
    warn: &mut dyn FnMut(&str),
) -> Result<Outcome> {
    let started = Instant::now();
    let walked = walk::walk(&config.paths, &config.walk)?;
    let detector = Detector::with_min_confidence(rules, config.min_confidence)
        .map_err(|e| Error::Usage(e.to_string()))?;
    let threads = if config.threads == 0 {
        num_cpus()
    } else {
        config.threads
    };
    let mut scanner = Scanner::new(config, rules, &detector, threads)?;
    scanner.content = sink.wants_content();

    let mut summary = Summary::default();
    for (path, reason) in &walked.skipped {
        summary.add_skip(path.clone(), *reason);
    }
    let progress = config
        .progress
        .then(|| progress::Progress::start(&scanner.bytes, &scanner.files));
    let mut worst = None;
    let mut closed_pipe = false;
    // Few messages in the channel: a batch holds thousands of findings, and
    // a writer slower than the workers must slow them down, not pile up.
    let (tx, rx) = crossbeam_channel::bounded::<Msg>(2 * threads + 2);
    let queue = Queue::default();
    std::thread::scope(|s| {
        let (inputs, scanner, queue) = (&walked.inputs, &scanner, &queue);
        // Inputs are claimed in order by plain threads, one per worker; the
        // pool only scans pieces of large inputs. A thread that waits (for
        // its turn, or for the writer) is never a pool thread, so rayon can
        // never start a later input on the stack of an earlier one that
        // waits on it, whatever the thread count.
        for slot in 0..threads {
            let tx = tx.clone();
            s.spawn(move || {
                INPUT_SLOT.set(Some(slot));
                while let Some(i) = queue.claim(inputs.len()) {
                    let flush = |batch| {
                        queue.wait_turn(i);
                        let _ = tx.send(Msg::Batch(batch));
                    };
                    let result = scanner.scan_input(&inputs[i], &flush);
                    queue.hold(result.findings.len());
                    let _ = tx.send(Msg::Done(i, result));
                }
            });
        }
        drop(tx);
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
                        let held = result.findings.len();
                        queue.advance();
                        if written.is_ok() && !closed_pipe {
                            let keep = config.column_stats;
                            written = emit(result, keep, sink, &mut summary, &mut worst, warn);
                        }
                        queue.release(held);
                    }
                    written
                }
            };
            if let Err(e) = written {
                if !closed_pipe && e.kind() != io::ErrorKind::BrokenPipe {
                    warn(&format!("writing output: {e}"));
                }
                closed_pipe = true;
                scanner.cancel.store(true, Ordering::Relaxed);
            }
        }
    });
    summary.elapsed = started.elapsed();
    if !closed_pipe {
        if let Err(e) = sink.finish(&summary) {
            if e.kind() != io::ErrorKind::BrokenPipe {
                return Err(Error::Io {
                    path: "<output>".into(),
                    cause: e,
                });
            }
            closed_pipe = true;
        }
    }
    if let Some(p) = progress {
        p.stop();
    }
    Ok(Outcome {
        summary,
        worst,
        closed_pipe,
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
    let detector = Detector::with_min_confidence(rules, config.min_confidence)
        .map_err(|e| Error::Usage(e.to_string()))?;
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
    let scanner = Scanner::new(config, rules, detector, 1)?;
    let flushed = std::cell::RefCell::new(Vec::new());
    let flush = |batch: Batch| flushed.borrow_mut().extend(batch.findings);
    let budget = Budget::new(config.limits);
    let mut result = FileResult::default();
    let mut visit = Documents {
        scanner: &scanner,
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
        findings: result.findings,
        content: result.content,
    };
    deliver(&batch, sink, summary, worst)?;
    sink.input_done(&InputDone {
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
        summary.tables.extend(result.tables);
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

/// One input being scanned: how findings name it, and where a large input
/// hands over batches of findings before it is finished.
struct Job<'a> {
    display: Arc<str>,
    flush: &'a dyn Fn(Batch),
}

impl Job<'_> {
    /// Hands the findings and text so far over once they make a batch.
    fn maybe_flush(&self, result: &mut FileResult) {
        let text: usize = result.content.iter().map(|c| c.bytes.len()).sum();
        if result.findings.len() >= BATCH || text >= CONTENT_BATCH {
            (self.flush)(result.take_batch());
        }
    }
}

/// The scanner as the input stage's [`Visit`]: one input's documents
/// scanned into its result, batches handed over between members.
struct Documents<'s, 'a> {
    scanner: &'s Scanner<'a>,
    flush: &'s dyn Fn(Batch),
    result: &'s mut FileResult,
}

impl Visit for Documents<'_, '_> {
    fn text(&mut self, doc: Document<'_>) -> io::Result<()> {
        self.scanner.scan_document(doc, self.flush, self.result)
    }

    fn gap(&mut self, display: &Arc<str>, reason: SkipReason, error: Option<&io::Error>) {
        self.result.gap(display, reason, error);
    }

    fn bytes(&self) -> u64 {
        self.result.bytes
    }

    fn member_done(&mut self) {
        let job = Job {
            display: Arc::from(""),
            flush: self.flush,
        };
        job.maybe_flush(self.result);
    }

    fn cancelled(&self) -> bool {
        self.scanner.cancel.load(Ordering::Relaxed)
    }
}

/// Per-thread state, reused across files.
struct Worker {
    scratch: Scratch,
    buf: Vec<u8>,
    masked: String,
    normalized: Vec<u8>,
}

/// Findings of one chunk, with line numbers relative to the chunk until
/// [`LineCarry::apply`] makes them absolute.
struct ChunkOut {
    findings: Vec<Finding>,
    /// For each finding, the input offset of its line's start if that line
    /// starts inside the chunk.
    line_starts: Vec<Option<u64>>,
    /// Newlines in the chunk's owned bytes.
    newlines: u64,
    /// Input offset just past the chunk's last owned newline.
    last_line_start: Option<u64>,
    /// Owned bytes.
    bytes: u64,
    /// Stream position of the first detector candidate, if any.
    first_candidate: Option<u64>,
    /// Stream position where the next chunk's detection must start.
    resume: u64,
    /// A piece of a split structured input: its layout, tracked as if the
    /// piece started at a boundary.
    layout: Option<Layout>,
}

/// Line count and line start carried from one chunk to the next.
#[derive(Default)]
struct LineCarry {
    lines: u64,
    line_start: u64,
    /// End of the last finding passed on.
    last_end: u64,
}

impl LineCarry {
    fn apply(&mut self, mut out: ChunkOut, into: &mut Vec<Finding>) {
        into.reserve(out.findings.len());
        for (mut f, ls) in out.findings.drain(..).zip(&out.line_starts) {
            if f.start < self.last_end {
                continue; // a keyword rule's hit seen by both chunks
            }
            self.last_end = f.end;
            f.line += self.lines + 1;
            f.column = f.start - ls.unwrap_or(self.line_start) + 1;
            into.push(f);
        }
        self.lines += out.newlines;
        if let Some(ls) = out.last_line_start {
            self.line_start = ls;
        }
    }
}

/// Hands a piece's owned bytes to a callback (reading them again if need be).
type OwnedBytes<'a> = &'a dyn Fn(&mut dyn FnMut(&[u8])) -> io::Result<()>;

/// A piece of a split input, as [`Joiner::join`] sees it.
struct SplitPiece<'a> {
    /// Input offset of its first owned byte.
    owned_start: u64,
    /// Scans it again with detection from input offset `from`.
    rescan: &'a dyn Fn(u64, Option<&Layout>) -> io::Result<ChunkOut>,
    /// Hands its owned bytes to the callback.
    owned: OwnedBytes<'a>,
}

/// Fits the pieces of a split input, scanned in parallel, back together in
/// order: the detector's chain, line numbers and the layout carry on from
/// piece to piece exactly as if the input had been scanned whole.
struct Joiner {
    carry: LineCarry,
    /// Stream position where the whole scan's detection would go on.
    resume: u64,
    layout: Option<Layout>,
    /// The document's name, when the sink wants its text.
    content: Option<Arc<str>>,
}

impl Joiner {
    fn new(layout: Option<Layout>, content: Option<Arc<str>>) -> Self {
        Joiner {
            carry: LineCarry::default(),
            resume: 0,
            layout,
            content,
        }
    }

    /// Adds the next piece's output to `result`.
    fn join(
        &mut self,
        mut out: ChunkOut,
        piece: &SplitPiece<'_>,
        result: &mut FileResult,
    ) -> io::Result<()> {
        // The previous piece's last candidate ran into this one and this
        // piece's chain started inside it: redo it from where the whole
        // scan would have continued (rare; keeps split == whole).
        // Or the piece was read from a state the input is not in there (an
        // SQL dump's statement, a table it did not know): redo it from the
        // true state.
        let chain =
            self.resume > piece.owned_start && out.first_candidate.is_some_and(|c| c < self.resume);
        let state = (self.layout.as_ref())
            .zip(out.layout.as_ref())
            .is_some_and(|(truth, fresh)| truth.needs_rescan(fresh));
        if chain || state {
            let resumed = self.layout.as_ref().map(Layout::resume);
            out = (piece.rescan)(self.resume.max(piece.owned_start), resumed.as_ref())?;
        }
        // A piece without candidates leaves the chain where it was, which
        // may lie past the piece.
        self.resume = self.resume.max(out.resume);
        if let Some(layout) = self.layout.as_mut() {
            let fresh = out.layout.take().expect("a piece has its layout");
            if layout.at_boundary() {
                layout.join(fresh, &mut out.findings);
            } else {
                // The piece did not start where a fresh layout does (a CSV
                // piece inside a quoted field): track it from the true state.
                let findings = &mut out.findings;
                (piece.owned)(&mut |bytes| {
                    let mut fed = 0;
                    for f in findings.iter_mut() {
                        let at = (f.start - piece.owned_start) as usize;
                        layout.feed(&bytes[fed..at]);
                        fed = at;
                        layout.locate(f);
                    }
                    layout.feed(&bytes[fed..]);
                })?;
            }
        }
        result.bytes += out.bytes;
        self.carry.apply(out, &mut result.findings);
        if let Some(path) = &self.content {
            (piece.owned)(&mut |bytes| {
                result.push_content(path, piece.owned_start, bytes, Encoding::Utf8);
            })?;
        }
        Ok(())
    }

    /// Ends the input.
    fn end(self, display: &Arc<str>, result: &mut FileResult) {
        if let Some(layout) = self.layout {
            result.end_layout(display, layout);
        }
    }
}

/// A chunk of a stream, copied out of the reader's buffer so a group of
/// them can be scanned in parallel. Buffers are reused from group to group.
#[derive(Default)]
struct Piece {
    buf: Vec<u8>,
    search_start: usize,
    owned_end: usize,
    /// Stream position of `buf[0]`.
    pos: u64,
}

impl Piece {
    fn copy(&mut self, chunk: &Chunk<'_>) {
        self.buf.clear();
        self.buf.extend_from_slice(chunk.buf);
        self.search_start = chunk.search.start;
        self.owned_end = chunk.owned_end;
        self.pos = chunk.pos;
    }

    fn chunk(&self) -> Chunk<'_> {
        Chunk {
            buf: &self.buf,
            search: self.search_start..self.buf.len(),
            owned_end: self.owned_end,
            offsets: read::Offsets::Linear { base: self.pos },
            pos: self.pos,
        }
    }

    /// Buffer position of stream position `from`, within the owned bytes.
    fn at(&self, from: u64) -> usize {
        (from.saturating_sub(self.pos) as usize).max(self.search_start)
    }
}

/// Reads up to `size` chunks into `group`: how many, and the read error
/// that stopped it early, if one did (the chunks before it are still
/// scanned).
fn read_group<R: Read>(
    chunker: &mut read::Chunker<R>,
    group: &mut Vec<Piece>,
    size: usize,
) -> (usize, Option<io::Error>) {
    let mut n = 0;
    while n < size {
        match chunker.next_chunk() {
            Ok(Some(chunk)) => {
                if group.len() == n {
                    group.push(Piece::default());
                }
                group[n].copy(&chunk);
                n += 1;
            }
            Ok(None) => break,
            Err(e) => return (n, Some(e)),
        }
    }
    (n, None)
}

/// Scans inputs: shared, read-only state plus a worker per thread.
struct Scanner<'a> {
    config: &'a ScanConfig,
    rules: &'a RuleSet,
    detector: &'a Detector,
    fingerprinter: Fingerprinter,
    margins: Margins,
    workers: Vec<Mutex<Worker>>,
    cancel: AtomicBool,
    bytes: Arc<AtomicU64>,
    files: Arc<AtomicU64>,
    threads: usize,
    /// Scans the pieces of large inputs, and nothing that waits.
    pool: rayon::ThreadPool,
    /// The sink wants the scanned text (see [`Sink::wants_content`]).
    content: bool,
}

thread_local! {
    /// The worker slot of an input thread (pool threads use their index).
    static INPUT_SLOT: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

impl<'a> Scanner<'a> {
    fn new(
        config: &'a ScanConfig,
        rules: &'a RuleSet,
        detector: &'a Detector,
        threads: usize,
    ) -> Result<Self> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("piiscan-piece-{i}"))
            .build()
            .map_err(|e| Error::Usage(format!("cannot start {threads} threads: {e}")))?;
        // A worker per pool thread, per input thread, and one spare.
        let workers = (0..=2 * threads)
            .map(|_| Mutex::new(Scanner::worker(detector)))
            .collect();
        Ok(Scanner {
            config,
            rules,
            detector,
            fingerprinter: Fingerprinter::new(&config.fingerprint_key),
            margins: Margins {
                before: detector.lookbehind(),
                after: detector.lookahead(),
            },
            workers,
            cancel: AtomicBool::new(false),
            bytes: Arc::default(),
            files: Arc::default(),
            threads,
            pool,
            content: false,
        })
    }

    /// Pieces scanned in parallel before they are joined: enough to keep
    /// every thread busy, few enough to keep memory small.
    fn group_size(&self) -> usize {
        (GROUP_PER_THREAD * self.threads).min(PIECES_AT_ONCE)
    }

    fn worker(detector: &Detector) -> Worker {
        Worker {
            scratch: detector.scratch(),
            buf: Vec::new(),
            masked: String::new(),
            normalized: Vec::new(),
        }
    }

    /// Runs `f` with this thread's worker. Workers are never held across a
    /// call into rayon, so a thread never finds its own worker busy; if one
    /// ever is, a fresh worker keeps the scan going.
    fn with_worker<T>(&self, f: impl FnOnce(&mut Worker) -> T) -> T {
        let spare = self.workers.len() - 1;
        let slot = match (self.pool.current_thread_index(), INPUT_SLOT.get()) {
            (Some(i), _) => i,
            (None, Some(i)) => self.threads + i,
            (None, None) => spare,
        };
        let slot = slot.min(spare);
        match self.workers[slot].try_lock() {
            Ok(mut w) => f(&mut w),
            Err(_) => f(&mut Scanner::worker(self.detector)),
        }
    }

    fn scan_input(&self, input: &Input, flush: &dyn Fn(Batch)) -> FileResult {
        let mut out = FileResult::default();
        if self.cancel.load(Ordering::Relaxed) {
            return out;
        }
        let display = input.display();
        let budget = Budget::new(self.config.limits);
        let mut visit = Documents {
            scanner: self,
            flush,
            result: &mut out,
        };
        let opened = match input.path() {
            None => open::open_stream(io::stdin().lock(), &display, &budget, 0, &mut visit),
            Some(path) => open::open_path(path, &display, &budget, &mut visit),
        };
        self.files.fetch_add(1, Ordering::Relaxed);
        if let Err(e) = opened {
            out.gap(&display, SkipReason::Unreadable, Some(&e));
        }
        out
    }

    /// Scans one text document the input stage hands over.
    fn scan_document(
        &self,
        doc: Document<'_>,
        flush: &dyn Fn(Batch),
        result: &mut FileResult,
    ) -> io::Result<()> {
        let job = Job {
            display: doc.display.clone(),
            flush,
        };
        match (doc.source, doc.encoding) {
            (Source::File(file, len), _) if len > read::PARALLEL_MIN => {
                self.scan_parallel(file, len, &job, result)
            }
            (Source::File(file, len), _) => self.scan_whole(file, len, &job.display, result),
            (Source::Stream(reader), Encoding::Utf8) => {
                self.scan_text(reader, doc.head, &job, result)
            }
            (Source::Stream(reader), Encoding::Utf16 { big_endian }) => {
                self.scan_utf16(reader, big_endian, &job, result)
            }
        }
    }

    /// A small file: one read, one chunk.
    fn scan_whole(
        &self,
        mut file: &File,
        len: u64,
        display: &Arc<str>,
        result: &mut FileResult,
    ) -> io::Result<()> {
        self.with_worker(|w| {
            w.buf.clear();
            w.buf.reserve(len as usize);
            (&mut file)
                .take(read::PARALLEL_MIN + 1)
                .read_to_end(&mut w.buf)?;
            if read::sniff(&w.buf[..w.buf.len().min(read::HEAD_LEN)]) == Sniffed::Binary {
                result.gap(display, SkipReason::Binary, None);
                return Ok(());
            }
            let buf = std::mem::take(&mut w.buf);
            let mut layout = Layout::of(display, &buf, self.detector, &mut w.scratch);
            let chunk = Chunk {
                buf: &buf,
                search: 0..buf.len(),
                owned_end: buf.len(),
                offsets: read::Offsets::Linear { base: 0 },
                pos: 0,
            };
            let out = self.scan_chunk(w, chunk, 0, display, layout.as_mut());
            result.bytes += out.bytes;
            result.files += 1;
            LineCarry::default().apply(out, &mut result.findings);
            if self.content {
                result.push_content(display, 0, &buf, Encoding::Utf8);
            }
            if let Some(layout) = layout {
                result.end_layout(display, layout);
            }
            w.buf = buf;
            Ok(())
        })
    }

    /// A large plain file: pieces read with positional reads and scanned on
    /// all threads, a group at a time; memory is a group of pieces and a
    /// batch of findings, whatever the file size.
    fn scan_parallel(
        &self,
        file: &File,
        len: u64,
        job: &Job<'_>,
        result: &mut FileResult,
    ) -> io::Result<()> {
        let mut head = vec![0u8; read::HEAD_LEN];
        read::read_range(file, 0..read::HEAD_LEN as u64, &mut head)?;
        let display = &job.display;
        if read::sniff(&head) == Sniffed::Binary {
            result.gap(display, SkipReason::Binary, None);
            return Ok(());
        }
        let layout =
            self.with_worker(|w| Layout::of(display, &head, self.detector, &mut w.scratch));
        let seek = layout
            .as_ref()
            .map_or(read::BOUNDARY_SEEK, Layout::boundary_seek);
        let pieces = read::split_ranges(file, len, self.margins, read::PARALLEL_CHUNK, seek)?;
        result.files += 1;
        let mut joiner = Joiner::new(layout, self.content.then(|| display.clone()));
        let scan_group = |group: &[(Range<u64>, Range<u64>)], template: Option<Layout>| {
            self.pool.install(|| {
                group
                    .par_iter()
                    .map(|(owned, range)| {
                        if self.cancel.load(Ordering::Relaxed) {
                            return Err(io::Error::new(io::ErrorKind::Interrupted, "cancelled"));
                        }
                        self.scan_piece(file, owned, range, owned.start, display, template.as_ref())
                    })
                    .collect::<Vec<io::Result<ChunkOut>>>()
            })
        };
        // The findings of two groups are held at once (one joined, in
        // order, on one thread, while the next is scanned, so no thread
        // waits for the join): a group is a few pieces per thread, so that
        // stays small even for dense data. Pieces start from a fresh
        // layout as of the last join.
        let groups: Vec<_> = pieces.chunks(self.group_size()).collect();
        let fresh = |joiner: &Joiner| joiner.layout.as_ref().map(Layout::fresh);
        let mut outs = match groups.first() {
            Some(first) => scan_group(first, fresh(&joiner)),
            None => Vec::new(),
        };
        for (k, group) in groups.iter().enumerate() {
            let mut next = Vec::new();
            let mut joined = Ok(());
            let template = fresh(&joiner);
            // The join (which may wait for this input's turn) runs here,
            // on the input's thread; only the scan goes to the pool.
            self.pool.in_place_scope(|s| {
                if let Some(following) = groups.get(k + 1) {
                    s.spawn(|_| next = scan_group(following, template));
                }
                joined = self.join_group(
                    &mut joiner,
                    std::mem::take(&mut outs),
                    group,
                    file,
                    job,
                    result,
                );
            });
            joined?;
            outs = next;
        }
        joiner.end(display, result);
        Ok(())
    }

    /// Joins a scanned group's pieces, in order, to what came before.
    fn join_group(
        &self,
        joiner: &mut Joiner,
        outs: Vec<io::Result<ChunkOut>>,
        group: &[(Range<u64>, Range<u64>)],
        file: &File,
        job: &Job<'_>,
        result: &mut FileResult,
    ) -> io::Result<()> {
        let display = &job.display;
        for (out, (owned, range)) in outs.into_iter().zip(group) {
            let piece = SplitPiece {
                owned_start: owned.start,
                rescan: &|from, layout| self.scan_piece(file, owned, range, from, display, layout),
                owned: &|f| {
                    self.with_worker(|w| {
                        read::read_range(file, owned.clone(), &mut w.buf)?;
                        f(&w.buf);
                        Ok(())
                    })
                },
            };
            joiner.join(out?, &piece, result)?;
            job.maybe_flush(result);
        }
        Ok(())
    }

    /// Reads one piece of a large file and scans it, detection starting at
    /// file offset `from`.
    fn scan_piece(
        &self,
        file: &File,
        owned: &Range<u64>,
        range: &Range<u64>,
        from: u64,
        display: &Arc<str>,
        layout: Option<&Layout>,
    ) -> io::Result<ChunkOut> {
        self.with_worker(|w| {
            let mut buf = std::mem::take(&mut w.buf);
            let read = read::read_range(file, range.clone(), &mut buf);
            let out = read.map(|()| {
                let chunk = Chunk {
                    buf: &buf,
                    search: (owned.start - range.start) as usize..buf.len(),
                    owned_end: (owned.end - range.start) as usize,
                    offsets: read::Offsets::Linear { base: range.start },
                    pos: range.start,
                };
                self.scan_split(w, chunk, (from - range.start) as usize, display, layout)
            });
            w.buf = buf;
            out
        })
    }

    /// Text read as a stream: chunks read in order, a group at a time, each
    /// group scanned on all threads like the pieces of a large file. Memory
    /// is one group of chunks whatever the stream's length.
    fn scan_text(
        &self,
        reader: impl Read,
        head: &[u8],
        job: &Job<'_>,
        result: &mut FileResult,
    ) -> io::Result<()> {
        let display = &job.display;
        result.files += 1;
        let layout = self.with_worker(|w| Layout::of(display, head, self.detector, &mut w.scratch));
        let mut joiner = Joiner::new(layout, self.content.then(|| display.clone()));
        let mut chunker = read::Chunker::new(reader, 0, self.margins, self.config.chunk_size);
        // Two groups: one is scanned while the next is read (decompressed).
        let (mut group, mut next) = (Vec::new(), Vec::new());
        // Enough chunks to keep every thread busy, few enough to keep
        // memory small: two groups are held at once.
        let size = self.group_size();
        let (mut n, mut failed) = read_group(&mut chunker, &mut group, size);
        while n > 0 && !self.cancel.load(Ordering::Relaxed) {
            let template = joiner.layout.as_ref().map(Layout::fresh);
            let layout = template.as_ref();
            let scan = |p: &Piece, from: u64, layout: Option<&Layout>| {
                self.with_worker(|w| self.scan_split(w, p.chunk(), p.at(from), display, layout))
            };
            let more = failed.is_none() && n == size;
            let mut outs: Vec<ChunkOut> = Vec::new();
            let (mut next_n, mut next_failed) = (0, None);
            self.pool.in_place_scope(|s| {
                s.spawn(|_| {
                    outs = group[..n]
                        .par_iter()
                        .map(|p| scan(p, p.pos + p.search_start as u64, layout))
                        .collect();
                });
                // The reader need not move between threads: it stays here.
                if more {
                    (next_n, next_failed) = read_group(&mut chunker, &mut next, size);
                }
            });
            for (out, p) in outs.into_iter().zip(&group) {
                let piece = SplitPiece {
                    owned_start: p.pos + p.search_start as u64,
                    rescan: &|from, layout| Ok(scan(p, from, layout)),
                    owned: &|f| {
                        f(&p.buf[p.search_start..p.owned_end]);
                        Ok(())
                    },
                };
                joiner.join(out, &piece, result)?;
            }
            job.maybe_flush(result);
            if failed.is_some() {
                break;
            }
            std::mem::swap(&mut group, &mut next);
            (n, failed) = (next_n, next_failed);
        }
        joiner.end(display, result);
        // A read error (a limit, corrupt data) after what was read before it.
        failed.map_or(Ok(()), Err)
    }

    /// UTF-16 text, decoded and scanned chunk by chunk on this thread.
    fn scan_utf16(
        &self,
        mut reader: impl Read,
        big_endian: bool,
        job: &Job<'_>,
        result: &mut FileResult,
    ) -> io::Result<()> {
        let display = &job.display;
        result.files += 1;
        let mut carry = LineCarry::default();
        let mut resume = 0u64;
        let mut bom = [0u8; 2];
        reader.read_exact(&mut bom)?;
        // A spreadsheet saves "Unicode text" as UTF-16: its header names
        // the columns as in any delimited file, read from the decoded text.
        let (mut layout, mut first) = (None, true);
        let streamed = self.with_worker(|w| {
            read::stream_utf16(
                BufReader::with_capacity(1 << 16, reader),
                big_endian,
                self.margins,
                self.config.chunk_size,
                |chunk| {
                    if self.cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    if std::mem::take(&mut first) {
                        let head = &chunk.buf[chunk.search.start..];
                        layout = Layout::of(display, head, self.detector, &mut w.scratch);
                    }
                    let from = (resume.saturating_sub(chunk.pos) as usize).max(chunk.search.start);
                    let (buf, owned) = (chunk.buf, chunk.search.start..chunk.owned_end);
                    let offset = chunk.offsets.at(owned.start);
                    let out = self.scan_chunk(w, chunk, from, display, layout.as_mut());
                    resume = out.resume;
                    result.bytes += out.bytes;
                    carry.apply(out, &mut result.findings);
                    if self.content {
                        let encoding = Encoding::Utf16 { big_endian };
                        result.push_content(display, offset, &buf[owned], encoding);
                    }
                    job.maybe_flush(result);
                },
            )
        });
        if let Some(layout) = layout {
            result.end_layout(display, layout);
        }
        streamed
    }

    /// Scans one piece of a split input, its layout (if any) tracked from
    /// `layout` (a [`Layout::fresh`] start, or a [`Layout::resume`] when
    /// scanned again), for [`Joiner::join`] to fit to what came before.
    fn scan_split(
        &self,
        w: &mut Worker,
        chunk: Chunk<'_>,
        from: usize,
        display: &Arc<str>,
        layout: Option<&Layout>,
    ) -> ChunkOut {
        let mut start = layout.cloned();
        let mut out = self.scan_chunk(w, chunk, from, display, start.as_mut());
        out.layout = start;
        out
    }

    /// Detects, filters, masks and fingerprints the hits of one chunk, and
    /// counts its lines. The always-on rules' chain starts at buffer
    /// position `from` (at or after the owned start), where the previous
    /// chunk's chain left off.
    fn scan_chunk(
        &self,
        w: &mut Worker,
        chunk: Chunk<'_>,
        from: usize,
        display: &Arc<str>,
        mut layout: Option<&mut Layout>,
    ) -> ChunkOut {
        // `from` may lie past the owned bytes when a candidate of an earlier
        // chunk covered them all: then this chunk's chain only passes it on.
        let from = from.max(chunk.search.start).min(chunk.search.end);
        if let Some(columns) = layout
            .as_mut()
            .and_then(|l| l.columns_for(&chunk, self.detector))
        {
            w.scratch.use_columns(columns);
        }
        self.detector.scan_from(
            chunk.buf,
            chunk.search.clone(),
            from,
            chunk.owned_end,
            &mut w.scratch,
        );
        let hits = w.scratch.hits().len();
        let mut out = ChunkOut {
            findings: Vec::with_capacity(hits),
            line_starts: Vec::with_capacity(hits),
            newlines: 0,
            last_line_start: None,
            bytes: (chunk.owned_end - chunk.search.start) as u64,
            first_candidate: w.scratch.first_candidate().map(|c| chunk.pos + c as u64),
            resume: chunk.pos + w.scratch.resume() as u64,
            layout: None,
        };
        // Bytes given to the layout so far (after a CSV header).
        let mut fed = match &layout {
            Some(l) => l.data_start_in(chunk.pos).max(chunk.search.start),
            None => 0,
        };
        let mut pos = chunk.search.start;
        let mut count_to = |end: usize, out: &mut ChunkOut| {
            for nl in memchr::memchr_iter(b'\n', &chunk.buf[pos..end]) {
                out.newlines += 1;
                out.last_line_start = Some(chunk.offsets.at(pos + nl + 1));
            }
            pos = end;
        };
        for hit in w.scratch.hits() {
            if hit.confidence < self.config.min_confidence {
                continue;
            }
            count_to(hit.start, &mut out);
            let mut f = self.finding(
                hit,
                &chunk,
                display,
                out.newlines,
                &mut w.masked,
                &mut w.normalized,
            );
            if let Some(layout) = layout.as_mut().filter(|_| hit.start >= fed) {
                layout.feed(&chunk.buf[fed..hit.start]);
                fed = hit.start;
                layout.locate(&mut f);
            }
            out.findings.push(f);
            out.line_starts.push(out.last_line_start);
        }
        if let Some(layout) = layout.as_mut().filter(|_| fed < chunk.owned_end) {
            layout.feed(&chunk.buf[fed..chunk.owned_end]);
        }
        count_to(chunk.owned_end, &mut out);
        self.bytes.fetch_add(out.bytes, Ordering::Relaxed);
        out
    }

    fn finding(
        &self,
        hit: &Hit,
        chunk: &Chunk<'_>,
        display: &Arc<str>,
        line: u64,
        masked: &mut String,
        normalized: &mut Vec<u8>,
    ) -> Finding {
        let rule = self.rules.get(hit.rule);
        let value = &chunk.buf[hit.start..hit.end];
        mask_into(rule.mask, self.config.mask, value, masked);
        rule.normalize.apply(value, normalized);
        Finding {
            rule: rule.id.clone(),
            kind: rule.kind.clone(),
            category: rule.category,
            severity: rule.severity,
            confidence: hit.confidence,
            path: display.clone(),
            line,
            column: 0,
            start: chunk.offsets.at(hit.start),
            end: chunk.offsets.at(hit.end),
            csv_row: None,
            csv_column: None,
            json_path: None,
            masked: masked.clone(),
            fingerprint: self.fingerprinter.fingerprint(&rule.kind, normalized),
            note: hit.test_value.then_some(crate::finding::TEST_VALUE_NOTE),
        }
    }
}

/// An I/O error without anything read from the file in it.
fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "not found".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => {
            "invalid or corrupt data".into()
        }
        io::ErrorKind::UnexpectedEof => "file shrank while being read".into(),
        _ => match e.raw_os_error() {
            Some(code) => io::Error::from_raw_os_error(code).to_string(),
            None => format!("{:?}", e.kind()),
        },
    }
}
