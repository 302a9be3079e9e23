//! Output files written whole or not at all: the output goes to a
//! temporary file beside the target, which replaces the target only when
//! the run succeeds. An interrupted run, a failed one, or one that turns
//! out to have the output among its inputs leaves the old file intact.
//! A symbolic link is followed (the file it names is replaced, not the
//! link); a target that is not a regular file (`/dev/null`, a pipe,
//! `>(wc -c)`) is written in place, as the shell's `>` writes it.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tempfile::NamedTempFile;

use piiscan::input::walk::FileId;
use piiscan::output::sanitize;

/// An output being written.
pub(crate) struct Pending {
    /// As the user named it, for messages.
    shown: String,
    how: How,
}

enum How {
    /// Into `temp`, then renamed over `target` (which `existed` or not).
    Replace {
        target: PathBuf,
        temp: NamedTempFile,
        existed: bool,
    },
    /// Straight into a device or pipe.
    InPlace(File),
}

impl Pending {
    /// Starts the output for `target`.
    pub(crate) fn create(target: &Path) -> Result<Pending> {
        let shown = sanitize(&target.display().to_string());
        let how = match fs::metadata(target) {
            Ok(meta) if meta.is_dir() => {
                anyhow::bail!("{shown}: is a folder, not a file to write")
            }
            Ok(meta) if !meta.is_file() => How::InPlace(
                OpenOptions::new()
                    .write(true)
                    .open(target)
                    .with_context(|| format!("cannot write {shown}"))?,
            ),
            found => {
                // Through symbolic links to the file they name.
                let target = fs::canonicalize(target).unwrap_or_else(|_| target.to_path_buf());
                let folder = match target.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                // Beside the target: the final rename stays on one file
                // system.
                let temp = tempfile::Builder::new()
                    .prefix(".piiscan-")
                    .suffix(".tmp")
                    .tempfile_in(folder)
                    .with_context(|| format!("cannot create {shown}"))?;
                How::Replace {
                    existed: found.is_ok(),
                    target,
                    temp,
                }
            }
        };
        Ok(Pending { shown, how })
    }

    /// Refuses a target that already exists inside one of `roots` and is
    /// not an earlier output of piiscan: it is an input of this run, and
    /// writing the output would replace it. (An earlier output is left out
    /// of the walk and replaced, so that a run can be repeated.)
    pub(crate) fn refuse_replacing_an_input(&self, roots: &[PathBuf]) -> Result<()> {
        let How::Replace {
            target,
            existed: true,
            ..
        } = &self.how
        else {
            return Ok(());
        };
        // A root that is the target itself is the walk's to refuse.
        let inside = roots.iter().any(|root| {
            root.is_dir() && fs::canonicalize(root).is_ok_and(|root| target.starts_with(root))
        });
        let mut head = Vec::new();
        let read = File::open(target)
            .and_then(|f| io::Read::read_to_end(&mut io::Read::take(f, 1024), &mut head));
        if inside && read.is_ok() && !looks_like_output(&head) {
            anyhow::bail!(
                "{}: already exists inside a folder being read, and is not a piiscan output: writing there would replace an input; write the output elsewhere",
                self.shown
            );
        }
        Ok(())
    }

    /// The target, if it is an existing file: a walk leaves it out and
    /// lists it.
    pub(crate) fn target_id(&self) -> Option<FileId> {
        match &self.how {
            How::Replace { target, .. } => FileId::of(target).ok(),
            How::InPlace(_) => None,
        }
    }

    /// The temporary file: a walk leaves it out silently.
    pub(crate) fn temp_id(&self) -> Option<FileId> {
        match &self.how {
            How::Replace { temp, .. } => FileId::of_file(temp.as_file()).ok(),
            How::InPlace(_) => None,
        }
    }

    /// The temporary file's path, to remove if the process must end at once.
    pub(crate) fn temp_path(&self) -> Option<PathBuf> {
        match &self.how {
            How::Replace { temp, .. } => Some(temp.path().to_path_buf()),
            How::InPlace(_) => None,
        }
    }

    /// A handle to write the output through.
    pub(crate) fn writer(&self) -> io::Result<File> {
        match &self.how {
            How::Replace { temp, .. } => temp.as_file().try_clone(),
            How::InPlace(file) => file.try_clone(),
        }
    }

    /// Moves the finished file over the target, which keeps its
    /// permissions if it existed (a new one is private to its owner).
    pub(crate) fn commit(self) -> Result<()> {
        let How::Replace { target, temp, .. } = self.how else {
            return Ok(());
        };
        if let Ok(meta) = fs::metadata(&target) {
            let _ = temp.as_file().set_permissions(meta.permissions());
        }
        let shown = self.shown;
        temp.persist(&target)
            .map(drop)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {shown}"))
    }

    /// The target as the user named it, for messages.
    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }

    /// What became of the target when the run was stopped.
    pub(crate) fn when_stopped(&self) -> String {
        match &self.how {
            How::Replace { existed: true, .. } => format!("{} left as it was", self.shown),
            How::Replace { existed: false, .. } => format!("{} not written", self.shown),
            How::InPlace(_) => format!("{} incomplete", self.shown),
        }
    }
}

/// Whether two output paths name the same file (existing or not).
pub(crate) fn same_target(a: &Path, b: &Path) -> bool {
    match (FileId::of(a), FileId::of(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => std::path::absolute(a).ok() == std::path::absolute(b).ok(),
    }
}

/// True when `head`, the first bytes of a file, is empty or begins as one of
/// piiscan's outputs does: findings (JSON, NDJSON, CSV, SARIF, text), a
/// coverage file, or a report (text, JSON, CSV, HTML).
fn looks_like_output(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let has = |marks: &[&str]| marks.iter().all(|m| text.contains(m));
    head.iter().all(u8::is_ascii_whitespace)
        || text.trim() == "[]"
        || has(&["\"rule\":", "\"kind\":"])
        || has(&["\"complete\":", "\"files\":"])
        || has(&["\"schema\": \"piiscan-report/"])
        || has(&["\"$schema\"", "sarif"])
        || has(&["\"piiscan_baseline\":"])
        || text
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"piiscan\"")
        || text.starts_with("::error file=")
        || text.starts_with("::warning file=")
        || text.starts_with("::notice file=")
        || text.starts_with("rule,kind,category,")
        || text.starts_with("id,severity,check,")
        || text.starts_with("piiscan report (")
        || has(&["<title>Personal data report"])
        || has(&["\t", " confidence, "])
}
