//! One input becomes the flat stream of text documents it holds: a plain
//! file, or what compressed streams and archives (nested to the depth
//! limit) hold, each named `outer.zip!dir/inner.csv`, with the limits of
//! [`Budget`] applied. Every part that is not text to scan (binary data,
//! corrupt or encrypted members, a limit reached) is handed over as a gap
//! instead, never skipped silently.
//!
//! The recursion into containers lives here and only here: the scanner is
//! a [`Visit`] that gets documents and gaps, in the input's order, and
//! never calls back into unpacking.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use crate::input::read::{self, Sniffed};
use crate::input::unpack::{self, Budget, Member, Stop};
use crate::input::SkipReason;

/// How a document's text is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without BOM, or another ASCII-compatible text.
    Utf8,
    /// UTF-16, with or without a byte-order mark.
    Utf16 {
        /// Big-endian, else little-endian.
        big_endian: bool,
        /// The text starts with a byte-order mark, kept in masked copies.
        bom: bool,
    },
}

/// Where a document's bytes come from.
pub enum Source<'a> {
    /// A plain file on disk of this many bytes, positioned at its start: it
    /// may be read again in pieces, and in parallel.
    File(&'a File, u64),
    /// A stream, read once in order from its first byte (the head
    /// included).
    Stream(&'a mut dyn Read),
}

/// A text document to scan.
pub struct Document<'a> {
    /// The name its findings carry.
    pub display: &'a Arc<str>,
    /// Its first bytes (up to [`read::HEAD_LEN`]), to recognise its format.
    pub head: &'a [u8],
    /// Its bytes.
    pub source: Source<'a>,
    /// Its encoding.
    pub encoding: Encoding,
}

/// What consumes an input's documents: the scanner.
pub trait Visit {
    /// Scans one document, reading its source to the end. An error is a
    /// read error of the document (corrupt compressed data, a limit): what
    /// was scanned before it stands.
    fn text(&mut self, doc: Document<'_>) -> io::Result<()>;
    /// Records a part of the input not (fully) examined, with the error
    /// that stopped it, if one did.
    fn gap(&mut self, display: &Arc<str>, reason: SkipReason, error: Option<&io::Error>);
    /// Bytes of text examined so far: tells an input that could not be
    /// read at all from one that broke part-way.
    fn bytes(&self) -> u64;
    /// An archive member is done (a place to hand over results).
    fn member_done(&mut self) {}
    /// The run was cancelled: stop early.
    fn cancelled(&self) -> bool;
}

/// Opens the file at `path` and hands its documents to `visit`. An error
/// means the file could not be read at all.
pub fn open_path(
    path: &Path,
    display: &Arc<str>,
    budget: &Budget,
    visit: &mut dyn Visit,
) -> io::Result<()> {
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        // A pipe or a device named on the command line (`<(zcat x.gz)`):
        // it cannot seek, so it is read once, as standard input is.
        return open_stream(file, display, budget, 0, visit);
    }
    let len = meta.len();
    let mut head = vec![0u8; read::HEAD_LEN];
    let n = read_head(&mut file, &mut head)?;
    head.truncate(n);
    let kind = read::sniff(&head);
    if matches!(kind, Sniffed::Text | Sniffed::Binary) && ends_in_zip(&mut file, &head, len)? {
        visit.gap(display, SkipReason::Embedded, None);
    }
    file.seek(SeekFrom::Start(0))?;
    match kind {
        Sniffed::Zip => {
            let reader = BufReader::with_capacity(1 << 16, file);
            members(display, budget, 1, visit, |each| {
                unpack::zip_members(reader, budget, each)
            });
            Ok(())
        }
        Sniffed::Text if len > 0 => visit.text(Document {
            display,
            head: &head,
            source: Source::File(&file, len),
            encoding: Encoding::Utf8,
        }),
        _ => open_stream(file, display, budget, 0, visit),
    }
}

/// True when a file that does not start as a zip ends as one: a zip after
/// other bytes (a script or an installer before it). Its end record, with
/// a comment of up to [`TAIL`] bytes, closes the file, and its central
/// directory lies before that record.
fn ends_in_zip(file: &mut File, head: &[u8], len: u64) -> io::Result<bool> {
    let n = TAIL.min(len as usize);
    // Every file comes here: a small one's tail is in its head, a larger
    // one's is read into the stack, never a fresh allocation.
    let mut read = [0u8; TAIL];
    let tail = if len as usize <= head.len() {
        &head[head.len() - n..]
    } else {
        file.seek(SeekFrom::Start(len - n as u64))?;
        file.read_exact(&mut read[..n])?;
        &read[..n]
    };
    let field = |at: usize, n: usize| {
        tail[at..at + n]
            .iter()
            .rev()
            .fold(0u64, |v, &b| v << 8 | u64::from(b))
    };
    let closes = |at: &usize| {
        let end = len - (tail.len() - at) as u64;
        at + 22 <= tail.len()
            && at + 22 + field(at + 20, 2) as usize == tail.len()
            && field(at + 16, 4) + field(at + 12, 4) <= end
    };
    Ok(memchr::memmem::find_iter(tail, b"PK\x05\x06").any(|at| closes(&at)))
}

/// The bytes at a file's end searched for a zip's end record: the record
/// and a comment of up to a kilobyte.
const TAIL: usize = 22 + 1024;

/// Hands the documents of a stream `depth` containers down (standard
/// input, a compressed file, an archive member) to `visit`. What could not
/// be examined becomes a gap; only a top-level stream from which nothing
/// could be read is an error.
pub fn open_stream(
    reader: impl Read,
    display: &Arc<str>,
    budget: &Budget,
    depth: u32,
    visit: &mut dyn Visit,
) -> io::Result<()> {
    let bytes = visit.bytes();
    let Err(e) = recognise(reader, display, budget, depth, visit) else {
        return Ok(());
    };
    let reason = match Stop::of(&e) {
        Some(reason) => reason,
        // Nothing could be read from the input itself: the caller reports
        // it as unreadable.
        None if depth == 0 && visit.bytes() == bytes => return Err(e),
        None if depth == 0 => SkipReason::Unreadable,
        None => SkipReason::Corrupt,
    };
    // What was found before the data went bad stands.
    visit.gap(display, reason, Some(&e));
    Ok(())
}

/// Recognises what a stream holds: a container is opened (within the
/// depth limit), text is handed over, anything else is a gap.
fn recognise(
    mut reader: impl Read,
    display: &Arc<str>,
    budget: &Budget,
    depth: u32,
    visit: &mut dyn Visit,
) -> io::Result<()> {
    let mut head = Vec::with_capacity(read::HEAD_LEN);
    (&mut reader)
        .take(read::HEAD_LEN as u64)
        .read_to_end(&mut head)?;
    let kind = read::sniff(&head);
    let mut reader = io::Cursor::new(&head[..]).chain(reader);
    let container = kind.is_compressed() || matches!(kind, Sniffed::Zip | Sniffed::Tar);
    if container && depth >= budget.limits().depth {
        visit.gap(display, SkipReason::TooDeep, None);
        return Ok(());
    }
    let encoding = match kind {
        _ if kind.is_compressed() => {
            let decoded = budget.decode(kind, reader)?;
            return open_stream(decoded, display, budget, depth + 1, visit);
        }
        Sniffed::Zip => {
            members(display, budget, depth + 1, visit, |each| {
                unpack::zip_stream_members(reader, budget, each)
            });
            return Ok(());
        }
        Sniffed::Tar => {
            members(display, budget, depth + 1, visit, |each| {
                unpack::tar_members(reader, budget, each)
            });
            return Ok(());
        }
        Sniffed::Binary => {
            visit.gap(display, SkipReason::Binary, None);
            return Ok(());
        }
        // Not read, and said so: never scanned as bytes it is not.
        Sniffed::Utf32 => {
            visit.gap(display, SkipReason::Unsupported, None);
            return Ok(());
        }
        Sniffed::Utf16 { big_endian, bom } => Encoding::Utf16 { big_endian, bom },
        _ => Encoding::Utf8,
    };
    visit.text(Document {
        display,
        head: &head,
        source: Source::Stream(&mut reader),
        encoding,
    })
}

/// The members of an archive `depth` levels down, each opened as a stream
/// under the name `archive!member`, in the archive's order.
fn members(
    display: &Arc<str>,
    budget: &Budget,
    depth: u32,
    visit: &mut dyn Visit,
    walk: impl FnOnce(
        &mut dyn FnMut(&str, Member<'_>) -> io::Result<()>,
    ) -> io::Result<Option<SkipReason>>,
) {
    let mut each = |name: &str, member: Member<'_>| {
        if visit.cancelled() {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "cancelled"));
        }
        let member_display: Arc<str> = Arc::from(format!("{display}!{name}"));
        match member {
            Member::Gap(reason) => visit.gap(&member_display, reason, None),
            Member::Data(data) => {
                if let Err(e) = open_stream(data, &member_display, budget, depth, visit) {
                    visit.gap(&member_display, SkipReason::Corrupt, Some(&e));
                }
            }
        }
        visit.member_done();
        Ok(())
    };
    match walk(&mut each) {
        Ok(None) => {}
        Ok(Some(reason)) => visit.gap(display, reason, None),
        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
        Err(e) => {
            let reason = Stop::of(&e).unwrap_or(SkipReason::Corrupt);
            visit.gap(display, reason, Some(&e));
        }
    }
}

/// Reads up to `head.len()` bytes from the start of `file`.
fn read_head(file: &mut File, head: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
