//! What scanning one input produces, and how a large input hands its
//! results over in batches before it is done.

use std::io;
use std::sync::Arc;

use crate::finding::Finding;
use crate::formats::table::ColumnStats;
use crate::formats::Layout;
use crate::input::open::Encoding;
use crate::input::SkipReason;
use crate::sanitize::sanitize;

/// Findings a large input accumulates before handing them to the writer.
pub(super) const BATCH: usize = 16 * 1024;

/// Bytes of text a large input accumulates (for a sink that wants them)
/// before handing them to the writer.
pub(super) const CONTENT_BATCH: usize = 8 << 20;

/// A batch of an input's results handed over before it is finished.
#[derive(Debug, Default)]
pub struct Batch {
    /// The input they come from.
    pub input: Arc<str>,
    /// Findings in offset order.
    pub findings: Vec<Finding>,
    /// Text, if the sink wants it (see [`crate::sink::Sink::wants_content`]).
    pub content: Vec<Segment>,
}

/// A piece of a document's text, held until it is handed to the sink.
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
    /// The input, as findings name it.
    pub input: Arc<str>,
    /// The run was stopped before this input was opened: there is nothing
    /// to hand over, not even an empty input.
    pub not_started: bool,
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
    pub(super) fn push_content(
        &mut self,
        path: &Arc<str>,
        offset: u64,
        bytes: &[u8],
        encoding: Encoding,
    ) {
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

    /// What this result weighs against the held-results budget
    /// ([`super::order`]): a finding, or 256 bytes of text, count one.
    pub(super) fn held(&self) -> usize {
        let text: usize = self.content.iter().map(|c| c.bytes.len()).sum();
        self.findings.len() + text / 256
    }

    /// Hands the findings and text so far to `flush` once they make a
    /// batch.
    pub(super) fn flush_full(&mut self, flush: &dyn Fn(Batch)) {
        let text: usize = self.content.iter().map(|c| c.bytes.len()).sum();
        if self.findings.len() >= BATCH || text >= CONTENT_BATCH {
            flush(self.take_batch());
        }
    }

    /// The findings and text so far, taken out as a batch.
    pub(super) fn take_batch(&mut self) -> Batch {
        Batch {
            input: self.input.clone(),
            findings: std::mem::take(&mut self.findings),
            content: std::mem::take(&mut self.content),
        }
    }

    /// Ends a structured input: a delimited file's column counts, and a
    /// gap where its structure broke (its later findings lose their place).
    pub(super) fn end_layout(&mut self, path: &Arc<str>, layout: Layout) {
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
    pub(super) fn gap(&mut self, path: &Arc<str>, reason: SkipReason, error: Option<&io::Error>) {
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

/// One input being scanned: how findings name it, and where a large input
/// hands over batches of findings before it is finished.
pub(super) struct Job<'a> {
    pub(super) display: Arc<str>,
    pub(super) flush: &'a dyn Fn(Batch),
}

impl Job<'_> {
    /// Hands the findings and text so far over once they make a batch.
    pub(super) fn maybe_flush(&self, result: &mut FileResult) {
        result.flush_full(self.flush);
    }
}

/// An I/O error without anything read from the file in it.
pub(super) fn io_message(e: &io::Error) -> String {
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

/// Never the text itself: it holds the values findings mask.
impl std::fmt::Debug for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segment")
            .field("path", &self.path)
            .field("offset", &self.offset)
            .field("len", &self.bytes.len())
            .field("encoding", &self.encoding)
            .field("after", &self.after)
            .finish()
    }
}
