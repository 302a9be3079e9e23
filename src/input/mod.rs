//! The input stage: paths become inputs ([`walk`]), containers and
//! compressed streams are opened member by member ([`unpack`]), and bytes
//! are recognised, decoded and cut into chunks ([`read`]) for detection.
//! What could not be examined is recorded with a [`SkipReason`], never
//! skipped silently.

use std::fmt;

pub mod git;
pub(crate) mod open;
pub(crate) mod read;
pub mod unpack;
pub mod walk;

/// When the input at `path` was last modified, in Unix seconds; `None` for
/// standard input (`-`) or a path that cannot be read now.
pub fn modified(path: &str) -> Option<u64> {
    if path == "-" {
        return None;
    }
    let time = std::fs::metadata(path).ok()?.modified().ok()?;
    time.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

/// Why an input was not (fully) examined. Some reasons are choices (a
/// binary file, a symbolic link not followed, a path a glob left out), the
/// others mean the input could not be examined: only those make a run
/// incomplete ([`SkipReason::by_choice`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// Zeros and control bytes through the first block: not text.
    Binary,
    /// A FIFO, socket or device.
    Special,
    /// A symbolic link, not followed without `--follow`.
    Symlink,
    /// A symbolic link that leads back to one of its own parent folders.
    Loop,
    /// Left out by a `--glob`, `--include` or `--exclude` filter.
    Excluded,
    /// A file this run writes (its output or coverage file).
    Output,
    /// A path named on the command line that does not exist.
    Missing,
    /// Opening or reading failed (permissions, vanished, I/O error).
    Unreadable,
    /// Compressed data or an archive that does not decode.
    Corrupt,
    /// Containers nested deeper than the depth limit.
    TooDeep,
    /// More decompressed bytes than the per-member or total limit.
    TooLarge,
    /// Decompressed bytes grew past the compression-ratio limit.
    Ratio,
    /// An archive with more members than the member limit.
    TooManyMembers,
    /// A zip member whose bytes lie inside another's: a zip bomb that
    /// decompresses one stream over and over.
    Overlapping,
    /// An encrypted archive member.
    Encrypted,
    /// A compression method, container or text encoding (UTF-32) this
    /// build cannot decode.
    Unsupported,
    /// A zip after other bytes (a self-extracting archive, a script with
    /// a zip appended): the bytes are scanned as they are, the members
    /// the zip compresses are not read.
    Embedded,
    /// A delimited file whose quoting breaks: rows and columns are not
    /// reported from there on, the rest is scanned as plain text.
    NotCsv,
}

impl SkipReason {
    /// True when the input was left out on purpose (by a setting or
    /// because it is not text), false when it could not be examined.
    pub fn by_choice(self) -> bool {
        matches!(
            self,
            SkipReason::Binary
                | SkipReason::Special
                | SkipReason::Symlink
                | SkipReason::Loop
                | SkipReason::Excluded
                | SkipReason::Output
                | SkipReason::NotCsv
        )
    }

    /// The reason as a stable code, for the coverage file.
    pub fn code(self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::Special => "special",
            SkipReason::Symlink => "symlink",
            SkipReason::Loop => "symlink_loop",
            SkipReason::Excluded => "excluded",
            SkipReason::Output => "output",
            SkipReason::Missing => "missing",
            SkipReason::Unreadable => "unreadable",
            SkipReason::Corrupt => "corrupt",
            SkipReason::TooDeep => "too_deep",
            SkipReason::TooLarge => "too_large",
            SkipReason::Ratio => "ratio",
            SkipReason::TooManyMembers => "too_many_members",
            SkipReason::Overlapping => "overlapping",
            SkipReason::Encrypted => "encrypted",
            SkipReason::Unsupported => "unsupported",
            SkipReason::Embedded => "embedded_zip",
            SkipReason::NotCsv => "not_csv",
        }
    }

    /// The reason as the summary shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::Special => "not a regular file",
            SkipReason::Symlink => "symlink not followed",
            SkipReason::Loop => "symlink loop",
            SkipReason::Excluded => "excluded by a glob",
            SkipReason::Output => "output of this run",
            SkipReason::Missing => "no such file or folder",
            SkipReason::Unreadable => "unreadable",
            SkipReason::Corrupt => "corrupt compressed data or archive",
            SkipReason::TooDeep => "nested deeper than --archive-max-depth",
            SkipReason::TooLarge => {
                "decompressed size over --archive-max-size or --archive-max-total"
            }
            SkipReason::Ratio => "compression ratio over --archive-max-ratio",
            SkipReason::TooManyMembers => "more members than --archive-max-members",
            SkipReason::Overlapping => "zip member overlapping another (a zip bomb)",
            SkipReason::Encrypted => "encrypted",
            SkipReason::Unsupported => "unsupported compression method or encoding",
            SkipReason::Embedded => "a zip after other data (its members not read)",
            SkipReason::NotCsv => "not valid CSV (scanned as text from the first bad quote)",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
