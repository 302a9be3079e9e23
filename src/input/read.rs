//! Reading: recognises what an input holds (a compressed stream, an
//! archive, UTF-16, binary, text) and cuts text into overlapping chunks with
//! bounded memory.
//!
//! A chunk is a buffer with three parts: a few bytes before the chunk
//! (context only), the bytes the chunk owns, and an overlap after them as
//! long as the longest possible match plus its context. A match is reported
//! by the chunk that owns its first byte, so nothing at a boundary is lost
//! or reported twice.

use std::fs::File;
use std::io::{self, Read};
use std::ops::Range;

/// Bytes looked at to recognise an input.
pub const HEAD_LEN: usize = 8 * 1024;

/// How big a chunk is (bytes owned) when streaming.
pub const STREAM_CHUNK: usize = 1 << 20;

/// Plain files larger than this are split across threads.
pub const PARALLEL_MIN: u64 = 8 << 20;

/// Owned bytes of each piece of a file split across threads.
pub const PARALLEL_CHUNK: u64 = 1 << 20;

/// What an input's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// gzip data (magic `1f 8b`).
    Gzip,
    /// Zstandard data (magic `28 b5 2f fd`).
    Zstd,
    /// bzip2 data (`BZh` and a block size digit).
    Bzip2,
    /// xz data (magic `fd 37 7a 58 5a 00`).
    Xz,
    /// A zip archive (a local file header, or the end record of an empty one).
    Zip,
    /// A tar archive (a header block whose checksum is right).
    Tar,
    /// UTF-16, with a byte-order mark or recognised by its zero bytes.
    Utf16 {
        /// Big-endian, else little-endian.
        big_endian: bool,
        /// The text starts with a byte-order mark (two bytes to skip).
        bom: bool,
    },
    /// UTF-32 with a byte-order mark: text this build does not decode.
    Utf32,
    /// Zero bytes in the first block, neither as UTF-16 nor as stray bytes
    /// in text: not text.
    Binary,
    /// UTF-8 (with or without BOM) or another ASCII-compatible text.
    Text,
}

/// Recognises an input from its first bytes.
pub fn sniff(head: &[u8]) -> Sniffed {
    match head {
        [0x1f, 0x8b, ..] => Sniffed::Gzip,
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Sniffed::Zstd,
        [b'B', b'Z', b'h', b'1'..=b'9', ..] => Sniffed::Bzip2,
        [0xfd, b'7', b'z', b'X', b'Z', 0, ..] => Sniffed::Xz,
        [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => Sniffed::Zip,
        _ if is_tar_header(head) => Sniffed::Tar,
        [0xff, 0xfe, 0, 0, ..] | [0, 0, 0xfe, 0xff, ..] => Sniffed::Utf32,
        [0xff, 0xfe, rest @ ..] if !is_8bit_text(rest) => Sniffed::Utf16 {
            big_endian: false,
            bom: true,
        },
        [0xfe, 0xff, rest @ ..] if !is_8bit_text(rest) => Sniffed::Utf16 {
            big_endian: true,
            bom: true,
        },
        _ if memchr::memchr(0, head).is_none() => Sniffed::Text,
        _ => with_zeros(head),
    }
}

/// What a head with zero bytes holds. Tools write UTF-16 without a
/// byte-order mark (a zero in every other byte), and exports and logs pick
/// up a stray NUL; both are text to scan, or coverage would call a file
/// examined that was not. What is left, with zeros and control bytes
/// throughout, is binary.
fn with_zeros(head: &[u8]) -> Sniffed {
    let block = &head[..head.len().min(4096) & !1];
    for big_endian in [false, true] {
        if is_bare_utf16(block, big_endian) {
            return Sniffed::Utf16 {
                big_endian,
                bom: false,
            };
        }
    }
    let zeros = memchr::memchr_iter(0, head).count();
    let controls = head.iter().filter(|&&b| is_control(b)).count();
    // At most one zero in a thousand bytes (one in a short file), and few
    // other control bytes: text with stray NULs. Binary formats that open
    // with text (compiled code's strings, a sound file's note) have more.
    if zeros * 1000 <= head.len().max(1000) && (controls - zeros) * 100 <= head.len() {
        Sniffed::Text
    } else {
        Sniffed::Binary
    }
}

/// True for a byte below a space that text does not hold (tabs, line and
/// page ends, and the escape of coloured logs aside), and DEL.
fn is_control(b: u8) -> bool {
    (b < b' ' && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)) || b == 0x7f
}

/// True when `block` reads as UTF-16 with no byte-order mark: the high
/// byte of a unit is zero for a third or more of its units (spaces, digits
/// and line ends are, whatever the script), the low byte almost never, and
/// the units decode to text: no unpaired surrogate, few control
/// characters.
fn is_bare_utf16(block: &[u8], big_endian: bool) -> bool {
    let units = block.len() / 2;
    if units < 4 {
        return false;
    }
    let (hi, lo) = if big_endian { (0, 1) } else { (1, 0) };
    let pairs = || block.chunks_exact(2);
    let high_zero = pairs().filter(|p| p[hi] == 0).count();
    let low_zero = pairs().filter(|p| p[lo] == 0).count();
    if high_zero * 3 < units || low_zero * 100 > units {
        return false;
    }
    let code = |p: &[u8]| u16::from(p[hi]) << 8 | u16::from(p[lo]);
    // A surrogate pair cut by the block's end is no fault.
    let cut = usize::from((0xd800..0xdc00).contains(&code(&block[block.len() - 2..])));
    let mut bad = 0;
    for c in char::decode_utf16(pairs().take(units - cut).map(code)) {
        bad += match c {
            Ok(c) => usize::from(c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
            Err(_) => units,
        };
    }
    bad * 100 <= units
}

impl Sniffed {
    /// A compressed stream of one member, decoded by [`crate::input::unpack`].
    pub fn is_compressed(self) -> bool {
        matches!(
            self,
            Sniffed::Gzip | Sniffed::Zstd | Sniffed::Bzip2 | Sniffed::Xz
        )
    }
}

/// True when what follows a UTF-16 byte-order mark reads as 8-bit text
/// instead (`ÿþ` opening a Latin-1 file): no zero byte in its first block,
/// where UTF-16 has one in every space, digit and line end, and no byte
/// below a space but tabs and line ends, where UTF-16 of other scripts has
/// them by chance.
fn is_8bit_text(rest: &[u8]) -> bool {
    let block = &rest[..rest.len().min(4096)];
    !block.is_empty()
        && block
            .iter()
            .all(|&b| b >= b' ' || matches!(b, b'\t' | b'\n' | b'\r'))
}

/// A tar header block: the checksum field (octal, at 148) equals the sum of
/// the block's bytes with that field read as spaces. Text never passes.
fn is_tar_header(head: &[u8]) -> bool {
    let Some(block) = head.get(..512) else {
        return false;
    };
    let field = &block[148..156];
    let digits = field
        .iter()
        .skip_while(|&&b| b == b' ')
        .take_while(|b| (b'0'..=b'7').contains(b));
    let mut stored = 0u32;
    let mut n = 0;
    for &d in digits {
        stored = stored * 8 + u32::from(d - b'0');
        n += 1;
    }
    let sum: u32 = block.iter().map(|&b| u32::from(b)).sum::<u32>()
        - field.iter().map(|&b| u32::from(b)).sum::<u32>()
        + 8 * u32::from(b' ');
    n > 0 && block[0] != 0 && stored == sum
}

/// Where the bytes of a chunk buffer sit in the input.
#[derive(Debug, Clone, Copy)]
pub enum Offsets<'a> {
    /// Byte `i` of the buffer is byte `base + i` of the input.
    Linear {
        /// Input offset of the buffer's first byte.
        base: u64,
    },
    /// Decoded text: byte `i` of the buffer came from input offset
    /// `table[i]`; `table[len]` is the offset just past the last byte.
    Table(&'a [u64]),
}

impl Offsets<'_> {
    /// Input offset of buffer position `i` (may be the buffer's length).
    #[inline]
    pub fn at(&self, i: usize) -> u64 {
        match self {
            Offsets::Linear { base } => base + i as u64,
            Offsets::Table(t) => t[i],
        }
    }
}

/// One piece of an input, ready for the detector.
#[derive(Debug, Clone)]
pub struct Chunk<'a> {
    /// The bytes: context before, owned bytes, overlap after.
    pub buf: &'a [u8],
    /// Where matches may lie: from the first owned byte to the buffer's end.
    pub search: Range<usize>,
    /// Matches must start before this.
    pub owned_end: usize,
    /// Maps buffer positions to input offsets.
    pub offsets: Offsets<'a>,
    /// Position of `buf[0]` in the scanned byte stream (the input offset for
    /// plain data, the decoded offset for UTF-16), to carry a detector's
    /// resume point from one chunk to the next.
    pub pos: u64,
}

/// Context and overlap sizes for chunking.
#[derive(Debug, Clone, Copy)]
pub struct Margins {
    /// Bytes kept before a chunk's owned bytes.
    pub before: usize,
    /// Bytes read past a chunk's owned bytes.
    pub after: usize,
}

/// Cuts a stream into chunks, one at a time, in one reused buffer.
pub struct Chunker<R> {
    reader: R,
    margins: Margins,
    chunk: usize,
    buf: Vec<u8>,
    /// Input offset of `buf[0]`.
    base: u64,
    /// Where the next chunk's owned bytes start in `buf`.
    owned_start: usize,
    /// Bytes of the last chunk handed out, dropped before the next read.
    consumed: usize,
    eof: bool,
    /// A read error, returned once the bytes read before it are handed out.
    failed: Option<io::Error>,
}

impl<R: Read> Chunker<R> {
    /// A chunker over `reader`, whose first byte is at input offset `base`.
    pub fn new(reader: R, base: u64, margins: Margins, chunk: usize) -> Self {
        Chunker {
            reader,
            margins,
            chunk,
            buf: Vec::with_capacity(chunk + margins.before + margins.after),
            base,
            owned_start: 0,
            consumed: 0,
            eof: false,
            failed: None,
        }
    }

    /// The next chunk, or `None` at the end. Owned bytes end at a line end
    /// when there is one, as split files do: a delimited file's chunks then
    /// start at a row. A read error comes after the bytes read before it.
    pub fn next_chunk(&mut self) -> io::Result<Option<Chunk<'_>>> {
        if self.consumed > 0 {
            if let Some(e) = self.failed.take() {
                return Err(e);
            }
            if self.eof {
                return Ok(None);
            }
            let keep = self.consumed.saturating_sub(self.margins.before);
            self.buf.drain(..keep);
            self.base += keep as u64;
            self.owned_start = self.consumed - keep;
        }
        let want = self.owned_start + self.chunk + self.margins.after;
        self.eof = match fill(&mut self.reader, &mut self.buf, want) {
            Ok(eof) => eof,
            Err(e) if self.buf.len() > self.owned_start => {
                self.failed = Some(e);
                true
            }
            Err(e) => return Err(e),
        };
        let owned_end = if self.eof {
            self.buf.len()
        } else {
            let end = self.buf.len() - self.margins.after;
            memchr::memrchr(b'\n', &self.buf[self.owned_start..end])
                .map_or(end, |i| self.owned_start + i + 1)
        };
        self.consumed = owned_end.max(1);
        if owned_end <= self.owned_start && !(self.eof && self.buf.len() > self.owned_start) {
            return Ok(None);
        }
        Ok(Some(Chunk {
            buf: &self.buf,
            search: self.owned_start..self.buf.len(),
            owned_end,
            offsets: Offsets::Linear { base: self.base },
            pos: self.base,
        }))
    }
}

/// The first read of a stream: enough for most small files in one call.
const FIRST_READ: usize = 16 << 10;

/// Reads until `buf` holds `want` bytes or the reader ends; true at the end.
fn fill<R: Read>(reader: &mut R, buf: &mut Vec<u8>, want: usize) -> io::Result<bool> {
    while buf.len() < want {
        let start = buf.len();
        // Grow by at most what the buffer holds: a stream of a few hundred
        // bytes (an archive member) must not zero a whole chunk each time.
        let step = (want - start).min(start.max(FIRST_READ));
        buf.resize(start + step, 0);
        match reader.read(&mut buf[start..]) {
            Ok(0) => {
                buf.truncate(start);
                return Ok(true);
            }
            Ok(n) => buf.truncate(start + n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => buf.truncate(start),
            Err(e) => {
                buf.truncate(start);
                return Err(e);
            }
        }
    }
    Ok(false)
}

/// Decodes UTF-16 (after its byte-order mark) to UTF-8 chunks whose
/// positions map back to offsets in the UTF-16 bytes, so findings report
/// the file's own offsets. Unpaired surrogates become U+FFFD.
pub fn stream_utf16<R: Read>(
    mut reader: R,
    big_endian: bool,
    start: u64,
    margins: Margins,
    chunk: usize,
    mut each: impl FnMut(Chunk<'_>),
) -> io::Result<()> {
    let mut raw = vec![0u8; 64 * 1024];
    let mut raw_len = 0usize;
    // The byte-order mark, if any, was consumed by the caller.
    let mut raw_base = start;
    let mut buf: Vec<u8> = Vec::with_capacity(chunk + margins.before + margins.after + 4);
    let mut table: Vec<u64> = Vec::with_capacity(buf.capacity() + 1);
    let mut owned_start = 0;
    let mut pos = 0u64;
    let mut eof = false;
    // A read error ends the text: what was decoded before it is handed out
    // first, then the error is returned.
    let mut failed = None;
    loop {
        let want = owned_start + chunk + margins.after;
        while buf.len() < want && !eof {
            let n = match reader.read(&mut raw[raw_len..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    failed = Some(e);
                    0
                }
            };
            eof = n == 0;
            raw_len += n;
            let used = decode_utf16(
                &raw[..raw_len],
                big_endian,
                raw_base,
                eof,
                &mut buf,
                &mut table,
            );
            raw.copy_within(used..raw_len, 0);
            raw_len -= used;
            raw_base += used as u64;
        }
        table.push(raw_base);
        let owned_end = if eof {
            buf.len()
        } else {
            buf.len().saturating_sub(margins.after).max(owned_start)
        };
        if buf.len() > owned_start {
            each(Chunk {
                buf: &buf,
                search: owned_start..buf.len(),
                owned_end,
                offsets: Offsets::Table(&table),
                pos,
            });
        }
        table.pop();
        if eof {
            return failed.map_or(Ok(()), Err);
        }
        let keep = owned_end.saturating_sub(margins.before);
        buf.drain(..keep);
        table.drain(..keep);
        pos += keep as u64;
        owned_start = owned_end - keep;
    }
}

/// Decodes whole code units of `raw` (starting at input offset `base`) into
/// `out`, recording each output byte's source offset; returns the bytes of
/// `raw` consumed. A trailing high surrogate waits for more input unless
/// `eof`.
fn decode_utf16(
    raw: &[u8],
    big_endian: bool,
    base: u64,
    eof: bool,
    out: &mut Vec<u8>,
    table: &mut Vec<u64>,
) -> usize {
    let unit = |i: usize| {
        let b = [raw[i], raw[i + 1]];
        if big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        }
    };
    let mut i = 0;
    let mut utf8 = [0u8; 4];
    while i + 1 < raw.len() {
        let u = unit(i);
        let (c, width) = if (0xD800..0xDC00).contains(&u) {
            if i + 3 < raw.len() {
                let low = unit(i + 2);
                if (0xDC00..0xE000).contains(&low) {
                    let c = 0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    (char::from_u32(c).unwrap_or('\u{FFFD}'), 4)
                } else {
                    ('\u{FFFD}', 2)
                }
            } else if eof {
                ('\u{FFFD}', 2)
            } else {
                break;
            }
        } else {
            (char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'), 2)
        };
        let bytes = c.encode_utf8(&mut utf8).as_bytes();
        out.extend_from_slice(bytes);
        table.extend(std::iter::repeat_n(base + i as u64, bytes.len()));
        i += width;
    }
    if eof && i < raw.len() {
        i = raw.len(); // a dangling odd byte: not a code unit
    }
    i
}

/// The pieces a large plain file is split into for parallel scanning:
/// `(owned range, read range)` in file offsets. Each boundary is moved to
/// just after the next newline (looking at most `seek` bytes ahead, at
/// least [`BOUNDARY_SEEK`]), because no built-in pattern crosses a line: a
/// match then never straddles two pieces and the pieces are scanned
/// independently.
pub fn split_ranges(
    file: &File,
    len: u64,
    margins: Margins,
    piece: u64,
    seek: u64,
) -> io::Result<Vec<(Range<u64>, Range<u64>)>> {
    let mut out = Vec::new();
    let mut probe = Vec::new();
    let mut start = 0;
    while start < len {
        let mut end = (start + piece).min(len);
        let mut looked = 0;
        while end < len && looked < seek.max(BOUNDARY_SEEK) {
            let at = end + looked;
            read_range(file, at..(at + BOUNDARY_SEEK).min(len), &mut probe)?;
            if let Some(nl) = memchr::memchr(b'\n', &probe) {
                end = at + nl as u64 + 1;
                break;
            }
            looked += BOUNDARY_SEEK;
            if at + BOUNDARY_SEEK >= len {
                break;
            }
        }
        let read =
            start.saturating_sub(margins.before as u64)..(end + margins.after as u64).min(len);
        out.push((start..end, read));
        start = end;
    }
    Ok(out)
}

/// How far past a nominal piece boundary to look for a newline, at least.
pub const BOUNDARY_SEEK: u64 = 64 * 1024;

/// Reads `range` of `file` into `buf` (positional, so threads share the
/// file handle).
pub fn read_range(file: &File, range: Range<u64>, buf: &mut Vec<u8>) -> io::Result<()> {
    buf.clear();
    buf.resize((range.end - range.start) as usize, 0);
    read_exact_at(file, buf, range.start)
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::io::{Seek, SeekFrom};
    let mut f = file.try_clone()?;
    f.seek(SeekFrom::Start(offset))?;
    f.read_exact(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks_of(
        data: &[u8],
        margins: Margins,
        size: usize,
    ) -> Vec<(Vec<u8>, Range<usize>, usize, u64)> {
        let mut out = Vec::new();
        let mut chunker = Chunker::new(data, 0, margins, size);
        while let Some(c) = chunker.next_chunk().unwrap() {
            out.push((
                c.buf.to_vec(),
                c.search.clone(),
                c.owned_end,
                c.offsets.at(0),
            ));
        }
        out
    }

    #[test]
    fn owned_regions_tile_the_input_exactly() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
        let margins = Margins {
            before: 7,
            after: 13,
        };
        assert!(data.contains(&b'\n'));
        for size in [1, 5, 64, 999, 1000, 4096] {
            let mut next = 0u64;
            for (buf, search, owned_end, base) in chunks_of(&data, margins, size) {
                assert_eq!(base + search.start as u64, next, "size {size}");
                assert_eq!(&buf[..], &data[base as usize..base as usize + buf.len()]);
                // Owned bytes end at the last line end before the overlap.
                let overlap = search.end.saturating_sub(margins.after).max(owned_end);
                assert!(!buf[owned_end..overlap].contains(&b'\n'));
                next = base + owned_end as u64;
            }
            assert_eq!(next, 1000, "size {size}");
        }
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(&[0x1f, 0x8b, 8]), Sniffed::Gzip);
        assert_eq!(sniff(&[0xff, 0xfe, b'a', 0]), LE_BOM);
        // UTF-16 of a script without zero bytes, and Latin-1 text that
        // happens to open with `ÿþ`.
        assert_eq!(
            sniff(
                "\u{feff}你好世界"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect::<Vec<_>>()
                    .as_slice()
            ),
            LE_BOM
        );
        assert_eq!(
            sniff(b"\xff\xfeNa\xefve caf\xe9 a.b@example.com\n"),
            Sniffed::Text
        );
        assert_eq!(sniff(b"\xfe\xffplain\r\n"), Sniffed::Text);
        assert_eq!(sniff(b"\xff\xfe\0\0a\0\0\0"), Sniffed::Utf32);
        assert_eq!(sniff(b"\0\0\0\x01ab"), Sniffed::Binary);
        assert_eq!(sniff(b"\xEF\xBB\xBFhello"), Sniffed::Text);
    }

    const LE_BOM: Sniffed = Sniffed::Utf16 {
        big_endian: false,
        bom: true,
    };

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let bytes = |u: u16| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        };
        text.encode_utf16().flat_map(bytes).collect()
    }

    #[test]
    fn zeros_tell_bare_utf16_and_stray_nuls_from_binary() {
        let bare = |big_endian| Sniffed::Utf16 {
            big_endian,
            bom: false,
        };
        let csv = "name,email\r\nAda,ada@example.com\r\n";
        assert_eq!(sniff(&utf16(csv, false)), bare(false));
        assert_eq!(sniff(&utf16(csv, true)), bare(true));
        // Cyrillic: high bytes of 4, zeros only in spaces and digits.
        let cyrillic = "Иван Петров 12 ул. Ленина 7\n".repeat(20);
        assert_eq!(sniff(&utf16(&cyrillic, false)), bare(false));
        // A surrogate pair cut by the block's end.
        let emoji = format!("{}😀 smile", "a".repeat(2047));
        assert_eq!(sniff(&utf16(&emoji, false)), bare(false));
        // One NUL in a CSV header, a few in a log: text.
        assert_eq!(sniff(b"name\0,email\nAda,a@example.com\n"), Sniffed::Text);
        let log = "GET /index.html 200\n".repeat(400);
        let nuls = |every: usize| -> Vec<u8> {
            let bytes = log.bytes().enumerate();
            bytes
                .map(|(i, b)| if i % every == 0 { 0 } else { b })
                .collect()
        };
        assert_eq!(sniff(&nuls(1000)), Sniffed::Text);
        assert_eq!(sniff(&nuls(500)), Sniffed::Binary);
        // Images, executables, databases: binary.
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0";
        assert_eq!(sniff(png), Sniffed::Binary);
        let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0\x01\0\0\0";
        assert_eq!(sniff(elf), Sniffed::Binary);
        let mut sqlite = b"SQLite format 3\0".to_vec();
        sqlite.extend([0x10, 0, 1, 1, 0, 0x40, 0x20, 0x20].repeat(8));
        assert_eq!(sniff(&sqlite), Sniffed::Binary);
        // Little-endian integers: zeros in every other byte, not text.
        let ints: Vec<u8> = (1u16..2000).flat_map(u16::to_le_bytes).collect();
        assert_eq!(sniff(&ints), Sniffed::Binary);
    }

    #[test]
    fn utf16_maps_back_to_file_offsets() {
        let text = "é a😀b";
        let mut bytes: Vec<u8> = vec![];
        for u in text.encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let mut seen = Vec::new();
        stream_utf16(
            &bytes[..],
            false,
            2,
            Margins {
                before: 2,
                after: 2,
            },
            3,
            |c| {
                for i in c.search.start..c.owned_end {
                    seen.push((c.buf[i], c.offsets.at(i)));
                }
            },
        )
        .unwrap();
        let decoded: Vec<u8> = seen.iter().map(|s| s.0).collect();
        assert_eq!(decoded, text.as_bytes());
        // 'a' is the third UTF-16 unit: offset 2 (BOM) + 4.
        let a = seen.iter().find(|s| s.0 == b'a').unwrap();
        assert_eq!(a.1, 6);
        let b = seen.iter().find(|s| s.0 == b'b').unwrap();
        assert_eq!(b.1, 12);
    }

    #[test]
    fn utf16_read_error_comes_after_the_text_before_it() {
        /// Gives its bytes, then fails.
        struct Failing(&'static [u8]);
        impl Read for Failing {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Err(io::Error::other("disk gone"));
                }
                let n = self.0.len().min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut seen = Vec::new();
        let margins = Margins {
            before: 2,
            after: 2,
        };
        let result = stream_utf16(Failing(b"h\0i\0"), false, 2, margins, 1 << 10, |c| {
            seen.extend_from_slice(&c.buf[c.search.start..c.owned_end]);
        });
        assert_eq!(result.unwrap_err().to_string(), "disk gone");
        assert_eq!(seen, b"hi");
    }

    #[test]
    fn split_ranges_cover_the_file_and_end_at_newlines() {
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, b"abcdef\nghijklmnopq\nrs").unwrap();
        let margins = Margins {
            before: 2,
            after: 3,
        };
        let r = split_ranges(&file, 21, margins, 4, BOUNDARY_SEEK).unwrap();
        assert_eq!(r, vec![(0..7, 0..10), (7..19, 5..21), (19..21, 17..21)]);
        let mut flat = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut flat, &[b'x'; 10]).unwrap();
        let r = split_ranges(&flat, 10, margins, 4, BOUNDARY_SEEK).unwrap();
        assert_eq!(r, vec![(0..4, 0..7), (4..8, 2..10), (8..10, 6..10)]);
    }
}
