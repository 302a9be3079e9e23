//! How a document is read: a small file at once, a large file in pieces
//! read and scanned on all threads, a stream in chunks (decompressed while
//! the previous group is scanned), UTF-16 decoded chunk by chunk.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::formats::Layout;
use crate::input::open::Encoding;
use crate::input::read::{self, Chunk, Sniffed};
use crate::input::SkipReason;

use super::join::{read_group, ChunkOut, Joiner, LineCarry, Piece, SplitPiece};
use super::result::{FileResult, Job};
use super::scanner::{Scanner, Worker};

impl<'a> Scanner<'a> {
    /// A small file: one read, one chunk.
    pub(super) fn scan_whole(
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
    pub(super) fn scan_parallel(
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
        let mut joiner = Joiner::new(
            layout,
            self.content.then(|| display.clone()),
            self.config.fields,
        );
        let scan_group = |group: &[(Range<u64>, Range<u64>)], template: Option<Layout>| {
            self.pool.install(|| {
                group
                    .par_iter()
                    .map(|(owned, range)| {
                        if self.cancelled() {
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
    pub(super) fn join_group(
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
    pub(super) fn scan_piece(
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
    pub(super) fn scan_text(
        &self,
        reader: impl Read,
        head: &[u8],
        job: &Job<'_>,
        result: &mut FileResult,
    ) -> io::Result<()> {
        let display = &job.display;
        result.files += 1;
        let layout = self.with_worker(|w| Layout::of(display, head, self.detector, &mut w.scratch));
        let mut joiner = Joiner::new(
            layout,
            self.content.then(|| display.clone()),
            self.config.fields,
        );
        let mut chunker = read::Chunker::new(reader, 0, self.margins, self.config.chunk_size);
        // Two groups: one is scanned while the next is read (decompressed).
        let (mut group, mut next) = (Vec::new(), Vec::new());
        // Enough chunks to keep every thread busy, few enough to keep
        // memory small: two groups are held at once.
        let size = self.group_size();
        let (mut n, mut failed) = read_group(&mut chunker, &mut group, size);
        while n > 0 && !self.cancelled() {
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
    pub(super) fn scan_utf16(
        &self,
        mut reader: impl Read,
        big_endian: bool,
        bom: bool,
        job: &Job<'_>,
        result: &mut FileResult,
    ) -> io::Result<()> {
        let display = &job.display;
        result.files += 1;
        let mut carry = LineCarry::default();
        let mut resume = 0u64;
        let start = if bom { 2 } else { 0 };
        (&mut reader).take(start).read_to_end(&mut Vec::new())?;
        // A spreadsheet saves "Unicode text" as UTF-16: its header names
        // the columns as in any delimited file, read from the decoded text.
        let (mut layout, mut first) = (None, true);
        // The worker is taken per chunk, not held across a hand-over that
        // may wait for this input's turn.
        let streamed = read::stream_utf16(
            BufReader::with_capacity(1 << 16, reader),
            big_endian,
            start,
            self.margins,
            self.config.chunk_size,
            |chunk| {
                if self.cancelled() {
                    return;
                }
                let from = (resume.saturating_sub(chunk.pos) as usize).max(chunk.search.start);
                let (buf, owned) = (chunk.buf, chunk.search.start..chunk.owned_end);
                let offset = chunk.offsets.at(owned.start);
                let out = self.with_worker(|w| {
                    if std::mem::take(&mut first) {
                        let head = &chunk.buf[chunk.search.start..];
                        layout = Layout::of(display, head, self.detector, &mut w.scratch);
                    }
                    self.scan_chunk(w, chunk, from, display, layout.as_mut())
                });
                resume = out.resume;
                result.bytes += out.bytes;
                carry.apply(out, &mut result.findings);
                if self.content {
                    let encoding = Encoding::Utf16 { big_endian, bom };
                    result.push_content(display, offset, &buf[owned], encoding);
                }
                job.maybe_flush(result);
            },
        );
        if let Some(layout) = layout {
            result.end_layout(display, layout);
        }
        streamed
    }

    /// Scans one piece of a split input, its layout (if any) tracked from
    /// `layout` (a [`Layout::fresh`] start, or a [`Layout::resume`] when
    /// scanned again), for [`Joiner::join`] to fit to what came before.
    pub(super) fn scan_split(
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
}
