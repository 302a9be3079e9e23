//! Output files written whole or not at all: the output goes to a
//! temporary file beside the target, which replaces the target only when
//! the run succeeds. An interrupted run, a failed one, or one that turns
//! out to have the output among its inputs leaves the old file intact.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tempfile::NamedTempFile;

use piiscan::input::walk::FileId;
use piiscan::output::sanitize;

/// A file being written for `target`.
pub(crate) struct Pending {
    target: PathBuf,
    temp: NamedTempFile,
}

impl Pending {
    /// Starts a file for `target`, in its folder (so that the final rename
    /// stays on one file system).
    pub(crate) fn create(target: &Path) -> Result<Pending> {
        let shown = || sanitize(&target.display().to_string());
        if target.is_dir() {
            anyhow::bail!("{}: is a folder, not a file to write", shown());
        }
        let folder = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let temp = tempfile::Builder::new()
            .prefix(".piiscan-")
            .suffix(".tmp")
            .tempfile_in(folder)
            .with_context(|| format!("cannot create {}", shown()))?;
        Ok(Pending {
            target: target.to_path_buf(),
            temp,
        })
    }

    /// The target, if it exists: a walk leaves it out and lists it.
    pub(crate) fn target_id(&self) -> Option<FileId> {
        FileId::of(&self.target).ok()
    }

    /// The temporary file: a walk leaves it out silently.
    pub(crate) fn temp_id(&self) -> Option<FileId> {
        FileId::of_file(self.temp.as_file()).ok()
    }

    /// A handle to write the output through.
    pub(crate) fn writer(&self) -> io::Result<File> {
        self.temp.as_file().try_clone()
    }

    /// Moves the finished file over the target, which keeps its
    /// permissions if it existed (a new one is private to its owner).
    pub(crate) fn commit(self) -> Result<()> {
        let target = self.target;
        if let Ok(meta) = std::fs::metadata(&target) {
            let _ = self.temp.as_file().set_permissions(meta.permissions());
        }
        self.temp
            .persist(&target)
            .map(drop)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {}", sanitize(&target.display().to_string())))
    }

    /// What the target is called, for messages.
    pub(crate) fn shown(&self) -> String {
        sanitize(&self.target.display().to_string())
    }
}

/// Whether two output paths name the same file (existing or not).
pub(crate) fn same_target(a: &Path, b: &Path) -> bool {
    match (FileId::of(a), FileId::of(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => std::path::absolute(a).ok() == std::path::absolute(b).ok(),
    }
}
