//! Fitting the pieces of a split input back together: pieces are scanned
//! in parallel, then joined in order so that the detector's chain, line
//! numbers and the layout carry on exactly as if the input had been
//! scanned whole.

use std::io::{self, Read};
use std::sync::Arc;

use crate::finding::Finding;
use crate::formats::Layout;
use crate::input::open::Encoding;
use crate::input::read::{self, Chunk, Offsets};

use super::result::FileResult;

/// Most pieces of a large input scanned in parallel before their findings
/// are joined and handed on.
pub(super) const PIECES_AT_ONCE: usize = 16;

/// Pieces per thread in a group.
pub(super) const GROUP_PER_THREAD: usize = 4;

/// Findings of one chunk, with line numbers relative to the chunk until
/// [`LineCarry::apply`] makes them absolute.
pub(super) struct ChunkOut {
    pub(super) findings: Vec<Finding>,
    /// For each finding, the input offset of its line's start if that line
    /// starts inside the chunk.
    pub(super) line_starts: Vec<Option<u64>>,
    /// Newlines in the chunk's owned bytes.
    pub(super) newlines: u64,
    /// Input offset just past the chunk's last owned newline.
    pub(super) last_line_start: Option<u64>,
    /// Owned bytes.
    pub(super) bytes: u64,
    /// Stream position of the first detector candidate, if any.
    pub(super) first_candidate: Option<u64>,
    /// Stream position where the next chunk's detection must start.
    pub(super) resume: u64,
    /// A piece of a split structured input: its layout, tracked as if the
    /// piece started at a boundary.
    pub(super) layout: Option<Layout>,
}

/// Line count and line start carried from one chunk to the next.
#[derive(Default)]
pub(super) struct LineCarry {
    pub(super) lines: u64,
    pub(super) line_start: u64,
    /// End of the last finding passed on.
    pub(super) last_end: u64,
}

impl LineCarry {
    pub(super) fn apply(&mut self, mut out: ChunkOut, into: &mut Vec<Finding>) {
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
pub(super) type OwnedBytes<'a> = &'a dyn Fn(&mut dyn FnMut(&[u8])) -> io::Result<()>;

/// A piece of a split input, as [`Joiner::join`] sees it.
pub(super) struct SplitPiece<'a> {
    /// Input offset of its first owned byte.
    pub(super) owned_start: u64,
    /// Scans it again with detection from input offset `from`.
    pub(super) rescan: &'a dyn Fn(u64, Option<&Layout>) -> io::Result<ChunkOut>,
    /// Hands its owned bytes to the callback.
    pub(super) owned: OwnedBytes<'a>,
}

/// Fits the pieces of a split input, scanned in parallel, back together in
/// order: the detector's chain, line numbers and the layout carry on from
/// piece to piece exactly as if the input had been scanned whole.
pub(super) struct Joiner {
    pub(super) carry: LineCarry,
    /// Stream position where the whole scan's detection would go on.
    pub(super) resume: u64,
    pub(super) layout: Option<Layout>,
    /// The document's name, when the sink wants its text.
    pub(super) content: Option<Arc<str>>,
    /// Findings get their fields ([`crate::config::ScanConfig::fields`]).
    pub(super) fields: bool,
}

impl Joiner {
    pub(super) fn new(layout: Option<Layout>, content: Option<Arc<str>>, fields: bool) -> Self {
        Joiner {
            carry: LineCarry::default(),
            resume: 0,
            layout,
            content,
            fields,
        }
    }

    /// Adds the next piece's output to `result`.
    pub(super) fn join(
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
                let (findings, fields) = (&mut out.findings, self.fields);
                let offsets = Offsets::Linear {
                    base: piece.owned_start,
                };
                (piece.owned)(&mut |bytes| {
                    for f in findings.iter() {
                        let at = (f.start - piece.owned_start) as usize;
                        let end = (f.end - piece.owned_start) as usize;
                        layout.remember(&bytes[at..end.min(bytes.len())]);
                    }
                    let mut fed = 0;
                    for f in findings.iter_mut() {
                        let at = (f.start - piece.owned_start) as usize;
                        layout.feed(&bytes[fed..at]);
                        fed = at;
                        layout.locate(f);
                        if fields {
                            f.field = super::scanner::field(layout, bytes, at, &offsets);
                        }
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
    pub(super) fn end(self, display: &Arc<str>, result: &mut FileResult) {
        if let Some(layout) = self.layout {
            result.end_layout(display, layout);
        }
    }
}

/// A chunk of a stream, copied out of the reader's buffer so a group of
/// them can be scanned in parallel. Buffers are reused from group to group.
#[derive(Default)]
pub(super) struct Piece {
    pub(super) buf: Vec<u8>,
    pub(super) search_start: usize,
    pub(super) owned_end: usize,
    /// Stream position of `buf[0]`.
    pub(super) pos: u64,
}

impl Piece {
    pub(super) fn copy(&mut self, chunk: &Chunk<'_>) {
        self.buf.clear();
        self.buf.extend_from_slice(chunk.buf);
        self.search_start = chunk.search.start;
        self.owned_end = chunk.owned_end;
        self.pos = chunk.pos;
    }

    pub(super) fn chunk(&self) -> Chunk<'_> {
        Chunk {
            buf: &self.buf,
            search: self.search_start..self.buf.len(),
            owned_end: self.owned_end,
            offsets: read::Offsets::Linear { base: self.pos },
            pos: self.pos,
        }
    }

    /// Buffer position of stream position `from`, within the owned bytes.
    pub(super) fn at(&self, from: u64) -> usize {
        (from.saturating_sub(self.pos) as usize).max(self.search_start)
    }
}

/// Reads up to `size` chunks into `group`: how many, and the read error
/// that stopped it early, if one did (the chunks before it are still
/// scanned).
pub(super) fn read_group<R: Read>(
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
