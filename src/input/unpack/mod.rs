//! Compressed files and archives: decoded as streams, never to disk, with
//! limits that stop a zip bomb at a set size instead of running the machine
//! out of time or memory.
//!
//! Each layer (a compressed stream or an archive) is one level of nesting.
//! A member of an archive is named `outer.zip!dir/inner.csv`; a compressed
//! file keeps its own name, and offsets are into the decompressed bytes.
//! Zip archives are read in [`zips`]; tar archives here.

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufReader, Read, Seek};
use std::rc::Rc;

use crate::input::read::Sniffed;
use crate::input::SkipReason;

mod zips;

pub use self::zips::{zip_members, zip_stream_members};

/// Bounds on unpacking, per top-level input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Containers inside containers: a `.tar.gz` is two levels.
    pub depth: u32,
    /// Decompressed bytes of one member or compressed stream.
    pub member_bytes: u64,
    /// Decompressed bytes of everything inside one input.
    pub total_bytes: u64,
    /// Decompressed bytes per compressed byte, checked once a member has
    /// produced [`RATIO_GRACE`] bytes (tiny files compress oddly).
    pub ratio: u64,
    /// Members of one archive.
    pub members: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            depth: 6,
            member_bytes: 8 << 30,
            total_bytes: 64 << 30,
            // Text and logs compress 3–50×; deflate tops out near 1030×, so
            // a run of one byte (the classic bomb) stops, real data does not.
            ratio: 500,
            members: 100_000,
        }
    }
}

/// Bytes a member may produce before the ratio limit applies.
pub const RATIO_GRACE: u64 = 1 << 20;

/// Why unpacking stopped, carried inside an `io::Error` so it passes
/// through readers and decoders unchanged.
#[derive(Debug, Clone, Copy)]
pub struct Stop(pub SkipReason);

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl std::error::Error for Stop {}

impl Stop {
    fn error(reason: SkipReason) -> io::Error {
        io::Error::other(Stop(reason))
    }

    /// The reason, if `e` is a limit or an archive problem of ours.
    pub fn of(e: &io::Error) -> Option<SkipReason> {
        e.get_ref()
            .and_then(|inner| inner.downcast_ref::<Stop>())
            .map(|s| s.0)
    }
}

/// Counts the bytes read through it, for the ratio check.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R> Counting<R> {
    fn new(inner: R) -> Self {
        Counting {
            inner,
            count: Rc::default(),
        }
    }

    /// The compressed size of what is read from here on.
    fn packed(&self) -> Packed {
        Packed {
            count: self.count.clone(),
            start: self.count.get(),
        }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// The unpacking state shared by every layer of one top-level input.
#[derive(Debug, Clone)]
pub struct Budget {
    limits: Limits,
    total: Rc<Cell<u64>>,
}

impl Budget {
    /// A fresh budget for one input.
    pub fn new(limits: Limits) -> Self {
        Budget {
            limits,
            total: Rc::default(),
        }
    }

    /// The limits this budget enforces.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// `reader`'s compressed stream, decoded and held to the limits.
    pub fn decode<'r>(&self, kind: Sniffed, reader: impl Read + 'r) -> io::Result<Limited<'r>> {
        let input = Counting::new(reader);
        let packed = input.packed();
        let decoded: Box<dyn Read + 'r> = match kind {
            Sniffed::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(input))),
            Sniffed::Zstd => {
                let mut d = zstd::stream::read::Decoder::new(input)?;
                // Bounds the decoder's window (memory) to 32 MiB.
                d.window_log_max(25)?;
                Box::new(d)
            }
            Sniffed::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(input)),
            Sniffed::Xz => {
                let stream = liblzma::stream::Stream::new_stream_decoder(
                    XZ_MEMORY,
                    liblzma::stream::CONCATENATED,
                )
                .map_err(io::Error::other)?;
                Box::new(liblzma::read::XzDecoder::new_stream(
                    BufReader::new(input),
                    stream,
                ))
            }
            _ => return Err(Stop::error(SkipReason::Unsupported)),
        };
        Ok(self.limit(decoded, packed))
    }

    /// `reader` held to the limits, its compressed size given by `packed`.
    fn limit<'r>(&self, reader: Box<dyn Read + 'r>, packed: Packed) -> Limited<'r> {
        Limited {
            inner: reader,
            read: 0,
            packed,
            budget: self.clone(),
        }
    }
}

/// Memory the xz decoder may use: enough for `xz -9` (64 MiB dictionary).
const XZ_MEMORY: u64 = 80 << 20;

/// The compressed bytes read so far for one member: what its reader has
/// counted since the member started.
struct Packed {
    count: Rc<Cell<u64>>,
    start: u64,
}

/// Decompressed bytes, checked against the member, total and ratio limits
/// as they are read. Past a limit every read fails with a [`Stop`].
pub struct Limited<'r> {
    inner: Box<dyn Read + 'r>,
    read: u64,
    packed: Packed,
    budget: Budget,
}

impl Read for Limited<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let limits = &self.budget.limits;
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        let total = &self.budget.total;
        total.set(total.get() + n as u64);
        if self.read > limits.member_bytes || total.get() > limits.total_bytes {
            return Err(Stop::error(SkipReason::TooLarge));
        }
        let packed = self.packed.count.get() - self.packed.start;
        if self.read > RATIO_GRACE && self.read / packed.max(1) > limits.ratio {
            return Err(Stop::error(SkipReason::Ratio));
        }
        Ok(n)
    }
}

/// What an archive hands over for each of its members.
pub enum Member<'a> {
    /// A member's content, held to the limits.
    Data(&'a mut dyn Read),
    /// A member that cannot be read, and why.
    Gap(SkipReason),
}

/// Visits every regular file in a tar archive. Long names (GNU `L` and pax
/// `path` records) are read here, at most [`MAX_NAME`] bytes of them: the
/// tar crate would read a name of any length into memory.
pub fn tar_members(
    reader: impl Read,
    budget: &Budget,
    each: &mut dyn FnMut(&str, Member<'_>) -> io::Result<()>,
) -> io::Result<Option<SkipReason>> {
    let mut archive = tar::Archive::new(reader);
    // Past the end blocks, as `tar --ignore-zeros` reads: concatenated
    // archives are read whole, and bytes that are no tar are a gap.
    archive.set_ignore_zeros(true);
    let mut count = 0u64;
    let mut long_name: Option<Vec<u8>> = None;
    for entry in archive.entries()?.raw(true) {
        let mut entry = entry?;
        let kind = entry.header().entry_type();
        if kind.is_gnu_longname() {
            long_name = Some(read_capped(&mut entry)?);
            continue;
        }
        if kind.is_pax_local_extensions() {
            long_name = pax_path(&read_capped(&mut entry)?).or(long_name);
            continue;
        }
        let name = long_name.take();
        if !holds_data(kind) {
            continue;
        }
        count += 1;
        if count > budget.limits.members {
            return Ok(Some(SkipReason::TooManyMembers));
        }
        let name = match name {
            Some(name) => String::from_utf8_lossy(trim_nul(&name)).into_owned(),
            None => String::from_utf8_lossy(&entry.header().path_bytes()).into_owned(),
        };
        each(&name, Member::Data(&mut entry))?;
    }
    Ok(None)
}

/// True for a tar entry whose bytes are a file's: regular files, and as GNU
/// tar extracts them, contiguous (`7`), sparse (`S`) and unknown types.
/// Links, devices, folders, fifos and header records hold none.
pub fn holds_data(kind: tar::EntryType) -> bool {
    !matches!(
        kind.as_byte(),
        b'1' | b'2' | b'3' | b'4' | b'5' | b'6' | b'g' | b'x' | b'L' | b'K' | b'V' | b'D' | b'N'
    )
}

/// Longest member name kept; the rest is cut off.
const MAX_NAME: u64 = 4096;

/// An entry's data, at most [`MAX_NAME`] bytes (the rest is skipped).
fn read_capped(entry: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    entry.take(MAX_NAME).read_to_end(&mut out)?;
    Ok(out)
}

/// The `path` record of pax extended headers (`"<len> path=<name>\n"`).
fn pax_path(records: &[u8]) -> Option<Vec<u8>> {
    records.split(|&b| b == b'\n').find_map(|record| {
        let (_, rest) = record.split_at(record.iter().position(|&b| b == b' ')? + 1);
        rest.strip_prefix(b"path=").map(<[u8]>::to_vec)
    })
}

fn trim_nul(name: &[u8]) -> &[u8] {
    name.split(|&b| b == 0).next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn read_all(mut r: impl Read) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        r.read_to_end(&mut out).map(|_| out)
    }

    #[test]
    fn every_compressor_round_trips() {
        let text = b"name,email\nAna,ana@example.com\n".repeat(100);
        let budget = Budget::new(Limits::default());
        let packed: Vec<(Sniffed, Vec<u8>)> = vec![
            (Sniffed::Gzip, gzip(&text)),
            (Sniffed::Zstd, zstd::encode_all(&text[..], 3).unwrap()),
            (Sniffed::Bzip2, {
                let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
                e.write_all(&text).unwrap();
                e.finish().unwrap()
            }),
            (Sniffed::Xz, {
                let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
                e.write_all(&text).unwrap();
                e.finish().unwrap()
            }),
        ];
        for (kind, bytes) in packed {
            assert_eq!(crate::input::read::sniff(&bytes), kind);
            let out = read_all(budget.decode(kind, &bytes[..]).unwrap()).unwrap();
            assert_eq!(out, text, "{kind:?}");
        }
    }

    #[test]
    fn a_bomb_stops_at_the_ratio_limit() {
        let bomb = gzip(&vec![0u8; 20 << 20]);
        let budget = Budget::new(Limits::default());
        let err = read_all(budget.decode(Sniffed::Gzip, &bomb[..]).unwrap()).unwrap_err();
        assert_eq!(Stop::of(&err), Some(SkipReason::Ratio));
    }

    #[test]
    fn member_and_total_sizes_are_capped() {
        let data = gzip(&vec![b'a'; 3 << 20]);
        let small = Limits {
            member_bytes: 1 << 20,
            ratio: u64::MAX,
            ..Limits::default()
        };
        let err = read_all(Budget::new(small).decode(Sniffed::Gzip, &data[..]).unwrap());
        assert_eq!(Stop::of(&err.unwrap_err()), Some(SkipReason::TooLarge));
        let total = Limits {
            total_bytes: 5 << 20,
            ratio: u64::MAX,
            ..Limits::default()
        };
        let budget = Budget::new(total);
        assert!(read_all(budget.decode(Sniffed::Gzip, &data[..]).unwrap()).is_ok());
        let err = read_all(budget.decode(Sniffed::Gzip, &data[..]).unwrap()).unwrap_err();
        assert_eq!(Stop::of(&err), Some(SkipReason::TooLarge));
    }

    #[test]
    fn long_tar_names_are_read_capped() {
        let long = "d/".repeat(3000) + "inner.csv";
        let mut builder = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_gnu();
        header.set_size(5);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, &long, &b"a@b.c"[..])
            .unwrap();
        let bytes = builder.into_inner().unwrap();
        let mut names = Vec::new();
        let budget = Budget::new(Limits::default());
        tar_members(&bytes[..], &budget, &mut |name, member| {
            names.push(name.to_string());
            if let Member::Data(r) = member {
                let mut v = Vec::new();
                r.read_to_end(&mut v)?;
                assert_eq!(v, b"a@b.c");
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(names.len(), 1);
        assert_eq!(names[0].len(), MAX_NAME as usize);
        assert!(long.starts_with(&names[0]));
        assert_eq!(
            pax_path(b"20 path=x/y.csv\n12 mtime=1\n"),
            Some(b"x/y.csv".to_vec())
        );
    }

    #[test]
    fn ordinary_text_is_not_taken_for_a_container() {
        for text in [
            &b"hello, world\n"[..],
            &[b' '; 600][..],
            b"PK but not a zip",
        ] {
            assert_eq!(crate::input::read::sniff(text), Sniffed::Text);
        }
    }
}
