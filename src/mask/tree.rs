//! Where masked copies go: under the output folder, at the input's path
//! relative to the root it was found under; compressed as the input was
//! (gzip, zstd, bzip2, xz); written to a temporary file beside the target
//! and renamed into place only when complete, with the input's
//! permissions and modification time. Standard input's copy goes to
//! standard output. An archive's members are masked into anonymous
//! temporary files ([`Tree::scratch`]) until the archive is rebuilt into
//! its own copy ([`Tree::create_archive`]).

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use tempfile::NamedTempFile;

use crate::input::read::{self, Sniffed};
use crate::input::unpack::{Budget, Limits};

/// The output folder and the roots inputs are found under.
#[derive(Debug, Clone)]
pub struct Tree {
    /// The output folder.
    pub out: PathBuf,
    /// The paths given to scan, to which inputs are relative.
    pub roots: Vec<PathBuf>,
    /// Replace outputs that exist.
    pub force: bool,
    /// The temporary files being written now, for a process that must end
    /// at once to remove.
    pub live: Live,
    /// Every target of this run so far: two inputs never share a copy.
    pub claimed: Arc<Mutex<HashSet<PathBuf>>>,
}

/// Temporary files being written, shared with whoever may have to remove
/// them (a signal handler ending the process).
pub type Live = Arc<Mutex<HashSet<PathBuf>>>;

/// Why a copy could not be started.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The target exists and `--force` was not given.
    #[error("{0}: exists (--force replaces it)")]
    Exists(String),
    /// A container the input is not: an archive copied as text, or text
    /// as an archive.
    #[error("not the kind of file it was taken for: no copy written")]
    Mismatch,
    /// Two inputs whose copies would have the same path (`a/x.txt` and
    /// `b/x.txt` given as roots).
    #[error("{0}: the copy of another input goes there (give the inputs' common folder instead)")]
    Collision(String),
    /// A folder on the way to the target is a symbolic link out of the
    /// output folder.
    #[error(
        "{0}: a folder on the way is a symbolic link out of the output folder: no copy written"
    )]
    Escapes(String),
    /// The file system said no.
    #[error("{0}")]
    Io(#[from] io::Error),
}

impl Tree {
    /// Where the copy of `input` (as findings name it) goes: its path
    /// below the root it was found under (a file named as a root: its
    /// name), under the output folder.
    pub fn target(&self, input: &str) -> PathBuf {
        let path = Path::new(input);
        let below = self
            .roots
            .iter()
            .filter(|root| root.is_dir())
            .filter_map(|root| path.strip_prefix(root).ok())
            .min_by_key(|rest| rest.components().count());
        let relative = match below {
            Some(rest) => rest.to_path_buf(),
            None => path.file_name().map(PathBuf::from).unwrap_or_default(),
        };
        // Never above the output folder, whatever the input's name.
        let safe: PathBuf = relative
            .components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .collect();
        self.out.join(safe)
    }

    /// Starts the copy of `input`, a text file (perhaps compressed).
    pub fn create(&self, input: &str) -> Result<Copy, CopyError> {
        self.start(input, false)
    }

    /// Starts the copy of `input`, an archive: the caller writes an
    /// archive of the same kind into it (a tar compressed as its input
    /// was). Says which kind.
    pub fn create_archive(&self, input: &str) -> Result<(Copy, Archive), CopyError> {
        let (_, container) = sniff(Path::new(input))?;
        let kind = match container {
            Container::Tar => Archive::Tar,
            Container::Zip => Archive::Zip,
            Container::None => return Err(CopyError::Mismatch),
        };
        Ok((self.start(input, true)?, kind))
    }

    /// A copy into an anonymous temporary file, for an archive member
    /// until its archive is rebuilt: the file, and the copy writing it.
    pub fn scratch(&self) -> io::Result<(File, Copy)> {
        scratch()
    }

    fn start(&self, input: &str, tar: bool) -> Result<Copy, CopyError> {
        if input == "-" {
            // Standard output, and a copy of it to scan again afterwards.
            let tee = NamedTempFile::new()?;
            let out = Output::Stdout(io::stdout(), tee.as_file().try_clone()?);
            return Ok(Copy {
                sink: Encoder::Plain(BufWriter::new(out)),
                file: None,
                tee: Some(tee),
            });
        }
        let source = Path::new(input);
        let target = self.target(input);
        let shown = || crate::sanitize::sanitize(&target.to_string_lossy());
        if !lock(&self.claimed).insert(target.clone()) {
            return Err(CopyError::Collision(shown()));
        }
        if !self.force && fs::symlink_metadata(&target).is_ok() {
            return Err(CopyError::Exists(crate::sanitize::sanitize(
                &target.to_string_lossy(),
            )));
        }
        let (compression, container) = sniff(source)?;
        if (container == Container::None) == tar {
            return Err(CopyError::Mismatch);
        }
        let folder = target.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(folder)?;
        // A symbolic link inside the output folder (left by an earlier
        // run, or planted) must not lead the copy out of it, into an input.
        if !fs::canonicalize(folder)?.starts_with(fs::canonicalize(&self.out)?) {
            return Err(CopyError::Escapes(shown()));
        }
        let temp = tempfile::Builder::new()
            .prefix(".piiscan-")
            .suffix(".tmp")
            .tempfile_in(folder)?;
        let file = Output::File(temp.as_file().try_clone()?);
        lock(&self.live).insert(temp.path().to_path_buf());
        Ok(Copy {
            sink: compression.encoder(BufWriter::with_capacity(1 << 16, file))?,
            file: Some(Pending {
                temp,
                target,
                source: source.to_path_buf(),
                live: self.live.clone(),
            }),
            tee: None,
        })
    }
}

/// An anonymous temporary file, and a plain copy writing it.
pub(super) fn scratch() -> io::Result<(File, Copy)> {
    let file = tempfile::tempfile()?;
    let sink = BufWriter::with_capacity(1 << 16, Output::File(file.try_clone()?));
    let copy = Copy {
        sink: Encoder::Plain(sink),
        file: None,
        tee: None,
    };
    Ok((file, copy))
}

/// A masked copy being written.
pub struct Copy {
    sink: Encoder,
    file: Option<Pending>,
    /// What went to standard output, kept to be scanned again.
    tee: Option<NamedTempFile>,
}

struct Pending {
    temp: NamedTempFile,
    target: PathBuf,
    source: PathBuf,
    live: Live,
}

impl Drop for Pending {
    fn drop(&mut self) {
        lock(&self.live).remove(self.temp.path());
    }
}

fn lock(live: &Live) -> std::sync::MutexGuard<'_, HashSet<PathBuf>> {
    live.lock().unwrap_or_else(|e| e.into_inner())
}

impl Write for Copy {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.sink.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sink.flush()
    }
}

/// A zip is written with seeks back to its local headers: a copy into a
/// file (never compressed as a whole) can seek.
impl Seek for Copy {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match &mut self.sink {
            Encoder::Plain(w) => w.seek(pos),
            _ => Err(io::Error::other("a compressed copy cannot seek")),
        }
    }
}

impl Seek for Output {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match self {
            Output::File(f) => f.seek(pos),
            Output::Stdout(..) => Err(io::Error::other("standard output cannot seek")),
        }
    }
}

impl Copy {
    /// The file that holds what this copy wrote to standard output, to
    /// be scanned again (`None` for a copy into a file).
    pub fn take_tee(&mut self) -> Option<NamedTempFile> {
        self.tee.take()
    }

    /// Finishes the copy and moves it into place (`keep`), or drops it.
    /// Returns where it went.
    pub fn finish(self, keep: bool) -> io::Result<Option<PathBuf>> {
        self.sink.finish()?;
        let Some(pending) = self.file else {
            return Ok(None);
        };
        if !keep {
            return Ok(None);
        }
        let temp = pending.temp.as_file();
        if let Ok(meta) = fs::metadata(&pending.source) {
            temp.set_permissions(meta.permissions())?;
            if let Ok(modified) = meta.modified() {
                temp.set_modified(modified)?;
            }
        }
        let target = pending.target.clone();
        let path = pending.temp.path().to_path_buf();
        fs::rename(&path, &target)?;
        Ok(Some(target))
    }
}

enum Output {
    File(File),
    Stdout(io::Stdout, File),
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::File(f) => f.write(buf),
            Output::Stdout(s, tee) => {
                s.write_all(buf)?;
                tee.write_all(buf)?;
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::File(f) => f.flush(),
            Output::Stdout(s, _) => s.flush(),
        }
    }
}

/// A stream compression piiscan reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Compression {
    None,
    Gzip,
    Zstd,
    Bzip2,
    Xz,
}

/// The kinds of archive rebuilt around masked members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archive {
    /// A tar, plain or compressed as a whole.
    Tar,
    /// A zip.
    Zip,
}

/// What an input file holds besides text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    None,
    Tar,
    Zip,
}

/// The compression of an input file, and whether it holds a tar or a zip,
/// recognised as the scan recognises them ([`read::sniff`]).
fn sniff(path: &Path) -> io::Result<(Compression, Container)> {
    // A pipe named as an input cannot be read twice: its copy is plain,
    // as its text came.
    if !fs::metadata(path)?.is_file() {
        return Ok((Compression::None, Container::None));
    }
    let first = read::sniff(&head(File::open(path)?)?);
    let compression = Compression::of(first);
    let inner = match compression {
        Compression::None => first,
        _ => read::sniff(&head(compression.decoder(File::open(path)?)?)?),
    };
    let container = match (inner, compression) {
        (Sniffed::Tar, _) => Container::Tar,
        // A zip is rebuilt in place, never inside a compressed stream.
        (Sniffed::Zip, Compression::None) => Container::Zip,
        _ => Container::None,
    };
    Ok((compression, container))
}

/// The first bytes of a stream, as many as the scan sniffs.
pub(super) fn head(reader: impl Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(read::HEAD_LEN);
    reader.take(read::HEAD_LEN as u64).read_to_end(&mut head)?;
    Ok(head)
}

impl Compression {
    /// The compression of a stream the scan recognised as `sniffed`.
    pub(super) fn of(sniffed: Sniffed) -> Compression {
        match sniffed {
            Sniffed::Gzip => Compression::Gzip,
            Sniffed::Zstd => Compression::Zstd,
            Sniffed::Bzip2 => Compression::Bzip2,
            Sniffed::Xz => Compression::Xz,
            _ => Compression::None,
        }
    }

    /// A reader that decompresses `reader`, with the scan's own decoders.
    /// The input passed the run's limits when it was scanned, so none is
    /// set here.
    pub(super) fn decoder<'a>(self, reader: impl Read + 'a) -> io::Result<Box<dyn Read + 'a>> {
        let kind = match self {
            Compression::None => return Ok(Box::new(reader)),
            Compression::Gzip => Sniffed::Gzip,
            Compression::Zstd => Sniffed::Zstd,
            Compression::Bzip2 => Sniffed::Bzip2,
            Compression::Xz => Sniffed::Xz,
        };
        let unbounded = Limits {
            depth: u32::MAX,
            member_bytes: u64::MAX,
            total_bytes: u64::MAX,
            ratio: u64::MAX,
            members: u64::MAX,
        };
        Ok(Box::new(Budget::new(unbounded).decode(kind, reader)?))
    }

    /// What `plain` holds, compressed this way into an anonymous
    /// temporary file, rewound.
    pub(super) fn compress(self, plain: &mut File) -> io::Result<File> {
        let file = tempfile::tempfile()?;
        let out = BufWriter::with_capacity(1 << 16, Output::File(file.try_clone()?));
        let mut encoder = self.encoder(out)?;
        plain.seek(SeekFrom::Start(0))?;
        io::copy(plain, &mut encoder)?;
        encoder.finish()?;
        let mut file = file;
        file.seek(SeekFrom::Start(0))?;
        Ok(file)
    }

    fn encoder(self, out: BufWriter<Output>) -> io::Result<Encoder> {
        Ok(match self {
            Compression::None => Encoder::Plain(out),
            Compression::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(
                out,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Encoder::Zstd(zstd::stream::write::Encoder::new(out, 3)?),
            Compression::Bzip2 => Encoder::Bzip2(bzip2::write::BzEncoder::new(
                out,
                bzip2::Compression::default(),
            )),
            Compression::Xz => Encoder::Xz(liblzma::write::XzEncoder::new(out, 6)),
        })
    }
}

/// A writer that may compress, finished explicitly (trailers, flush).
enum Encoder {
    Plain(BufWriter<Output>),
    Gzip(flate2::write::GzEncoder<BufWriter<Output>>),
    Zstd(zstd::stream::write::Encoder<'static, BufWriter<Output>>),
    Bzip2(bzip2::write::BzEncoder<BufWriter<Output>>),
    Xz(liblzma::write::XzEncoder<BufWriter<Output>>),
}

impl Encoder {
    fn inner(&mut self) -> &mut dyn Write {
        match self {
            Encoder::Plain(w) => w,
            Encoder::Gzip(w) => w,
            Encoder::Zstd(w) => w,
            Encoder::Bzip2(w) => w,
            Encoder::Xz(w) => w,
        }
    }

    fn finish(self) -> io::Result<()> {
        let mut out = match self {
            Encoder::Plain(w) => w,
            Encoder::Gzip(w) => w.finish()?,
            Encoder::Zstd(w) => w.finish()?,
            Encoder::Bzip2(w) => w.finish()?,
            Encoder::Xz(w) => w.finish()?,
        };
        out.flush()
    }
}

impl Write for Encoder {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner().write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_keep_the_layout_below_their_root_and_never_climb() {
        let root = tempfile::tempdir().unwrap();
        let tree = Tree {
            out: PathBuf::from("/out"),
            roots: vec![root.path().to_path_buf(), PathBuf::from("x/one.csv")],
            force: false,
            live: Live::default(),
            claimed: Default::default(),
        };
        let inside = root.path().join("a/b.csv");
        assert_eq!(
            tree.target(inside.to_str().unwrap()),
            Path::new("/out/a/b.csv")
        );
        assert_eq!(tree.target("x/one.csv"), Path::new("/out/one.csv"));
        assert_eq!(tree.target("../../etc/passwd"), Path::new("/out/passwd"));
    }
}
