//! The scanner: shared read-only state, a worker per thread, and how one
//! input is scanned: the input stage hands it documents, each chunk of a
//! document is detected, and its hits become findings.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::config::ScanConfig;
use crate::detect::{Detector, Hit, Scratch};
use crate::error::{Error, Result};
use crate::finding::mask::mask_into;
use crate::finding::{Field, Finding, Fingerprint, Fingerprinter};
use crate::formats::Layout;
use crate::input::open::{self, Document, Encoding, Source, Visit};
use crate::input::read::{self, Chunk, Margins, Offsets};
use crate::input::unpack::Budget;
use crate::input::walk::Input;
use crate::input::SkipReason;
use crate::rules::RuleSet;

use super::allow::{reason_text, Markers};
use super::join::{ChunkOut, GROUP_PER_THREAD, PIECES_AT_ONCE};
use super::result::{Batch, FileResult, Job};

/// Scans inputs: shared, read-only state plus a worker per thread.
pub(super) struct Scanner<'a> {
    pub(super) config: &'a ScanConfig,
    pub(super) rules: &'a RuleSet,
    pub(super) detector: &'a Detector,
    pub(super) fingerprinter: Fingerprinter,
    pub(super) margins: Margins,
    pub(super) workers: Vec<Mutex<Worker>>,
    pub(super) cancel: AtomicBool,
    pub(super) bytes: Arc<AtomicU64>,
    pub(super) files: Arc<AtomicU64>,
    pub(super) threads: usize,
    /// Runs the input loops (one per thread) and the pieces of large inputs.
    pub(super) pool: rayon::ThreadPool,
    /// The sink wants the scanned text (see [`Sink::wants_content`]).
    pub(super) content: bool,
    /// Inline `piiscan:allow` markers, when the scan looks for them.
    pub(super) markers: Option<Markers>,
}

/// The scanner as the input stage's [`Visit`]: one input's documents
/// scanned into its result, batches handed over between members.
pub(super) struct Documents<'s, 'a> {
    pub(super) scanner: &'s Scanner<'a>,
    pub(super) flush: &'s dyn Fn(Batch),
    pub(super) result: &'s mut FileResult,
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
        self.result.flush_full(self.flush);
    }

    fn cancelled(&self) -> bool {
        self.scanner.cancelled()
    }
}

/// Per-thread state, reused across files.
pub(super) struct Worker {
    pub(super) scratch: Scratch,
    pub(super) buf: Vec<u8>,
    pub(super) masked: String,
    pub(super) normalized: Vec<u8>,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(
        config: &'a ScanConfig,
        rules: &'a RuleSet,
        detector: &'a Detector,
        threads: usize,
    ) -> Result<Self> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("piiscan-piece-{i}"))
            .build()
            .map_err(|cause| Error::Threads { threads, cause })?;
        // A worker per pool thread, and one spare.
        let workers = (0..=threads)
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
            markers: config.allow_markers.then(Markers::default),
        })
    }

    /// Pieces scanned in parallel before they are joined: enough to keep
    /// every thread busy, few enough to keep memory small.
    pub(super) fn group_size(&self) -> usize {
        (GROUP_PER_THREAD * self.threads).min(PIECES_AT_ONCE)
    }

    pub(super) fn worker(detector: &Detector) -> Worker {
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
    pub(super) fn with_worker<T>(&self, f: impl FnOnce(&mut Worker) -> T) -> T {
        let spare = self.workers.len() - 1;
        let slot = self.pool.current_thread_index().unwrap_or(spare);
        let slot = slot.min(spare);
        match self.workers[slot].try_lock() {
            Ok(mut w) => f(&mut w),
            Err(_) => f(&mut Scanner::worker(self.detector)),
        }
    }

    /// [`Scanner::scan_input`], with a panic (a bug) turned into a gap and
    /// a warning, so the other inputs' loops, which wait for this input's
    /// turn, do not wait forever. The message names the input, never what
    /// was read.
    pub(super) fn scan_input_caught(&self, input: &Input, flush: &dyn Fn(Batch)) -> FileResult {
        let scanned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.scan_input(input, flush)
        }));
        scanned.unwrap_or_else(|_| {
            let display = input.display();
            let mut out = FileResult {
                input: display.clone(),
                ..FileResult::default()
            };
            out.warnings.push(format!(
                "{}: internal error, input not fully scanned (please report it)",
                crate::sanitize::sanitize(&display)
            ));
            out.gap(&display, SkipReason::Unreadable, None);
            out
        })
    }

    /// The run is over early: the output closed, or the caller set
    /// [`ScanConfig::stop`].
    pub(super) fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed) || self.config.stop.load(Ordering::Relaxed)
    }

    pub(super) fn scan_input(&self, input: &Input, flush: &dyn Fn(Batch)) -> FileResult {
        let mut out = FileResult {
            input: input.display(),
            ..FileResult::default()
        };
        if self.cancelled() {
            out.not_started = true;
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
    pub(super) fn scan_document(
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
            (Source::Stream(reader), Encoding::Utf16 { big_endian, bom }) => {
                self.scan_utf16(reader, big_endian, bom, &job, result)
            }
        }
    }

    /// Detects, filters, masks and fingerprints the hits of one chunk, and
    /// counts its lines. The always-on rules' chain starts at buffer
    /// position `from` (at or after the owned start), where the previous
    /// chunk's chain left off.
    pub(super) fn scan_chunk(
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
        let markers = self.markers.as_ref().map(|m| (m, m.find(chunk.buf)));
        let markers = markers.filter(|(_, found)| !found.is_empty());
        if let Some(layout) = layout.as_mut() {
            for hit in w.scratch.hits() {
                if hit.confidence >= self.config.min_confidence && hit.start >= fed {
                    layout.remember(&chunk.buf[hit.start..hit.end]);
                }
            }
        }
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
                if let Layout::Sql(tracker) = &**layout {
                    f.sql_column = tracker.column_at(hit.start);
                }
                if self.config.fields {
                    f.field = field(layout, chunk.buf, hit.start, &chunk.offsets);
                }
            }
            if let Some((markers, found)) = &markers {
                let rule = self.rules.get(hit.rule);
                f.allowed = markers
                    .allowing(chunk.buf, found, hit.start, rule)
                    .map(|reason| Arc::from(reason_text(chunk.buf, reason, w.scratch.hits())));
            }
            out.findings.push(f);
            out.line_starts.push(out.last_line_start);
        }
        if let Some(layout) = layout.as_mut().filter(|_| fed < chunk.owned_end) {
            layout.feed(&chunk.buf[fed..chunk.owned_end]);
        }
        if let Some(Layout::Sql(tracker)) = layout {
            tracker.located_done();
        }
        count_to(chunk.owned_end, &mut out);
        self.bytes.fetch_add(out.bytes, Ordering::Relaxed);
        out
    }

    pub(super) fn finding(
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
        let fingerprint = match self.config.fingerprints {
            true => {
                rule.normalize.apply(value, normalized);
                self.fingerprinter.fingerprint(&rule.kind, normalized)
            }
            false => Fingerprint::UNSET,
        };
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
            sql_column: None,
            masked: masked.clone(),
            fingerprint,
            note: hit.test_value.then_some(crate::finding::TEST_VALUE_NOTE),
            field: None,
            allowed: None,
        }
    }
}

/// The field holding the finding whose first byte is `buf[at]` (see
/// [`Layout::field_around`]), in input offsets.
pub(super) fn field(
    layout: &Layout,
    buf: &[u8],
    at: usize,
    offsets: &Offsets<'_>,
) -> Option<Field> {
    let (range, kind) = layout.field_around(buf, at)?;
    Some(Field {
        start: offsets.at(range.start),
        end: offsets.at(range.end),
        kind,
    })
}
