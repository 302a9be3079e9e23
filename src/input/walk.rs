//! Walking: turns the paths given on the command line into the sorted list
//! of inputs to scan. Ignore files are not honoured unless asked (personal
//! data hides in ignored exports), `.git` folders are skipped, symbolic
//! links are followed only with `--follow` (and loops are detected), and
//! anything that is not a regular file is listed as skipped, not read.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::{Error, Result};
use crate::input::SkipReason;

/// What to walk and how.
#[derive(Debug, Clone, Default)]
pub struct WalkConfig {
    /// Only files matching one of these globs (relative path or file name).
    pub include: Vec<String>,
    /// Never files or folders matching one of these globs.
    pub exclude: Vec<String>,
    /// Follow symbolic links (loops are detected).
    pub follow: bool,
    /// Honour `.gitignore`, `.ignore` and git's exclude files.
    pub respect_ignore: bool,
}

/// One thing to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-`).
    Stdin,
    /// A file on disk.
    File {
        /// How findings name it: the command-line path joined with the
        /// relative path; also where to open it, unless `raw` is set.
        display: Arc<str>,
        /// The path itself, kept only when it is not valid UTF-8 (then
        /// `display` is a lossy copy). A million inputs cost one string
        /// each.
        raw: Option<Box<Path>>,
    },
}

impl Input {
    /// How findings name this input.
    pub fn display(&self) -> Arc<str> {
        match self {
            Input::Stdin => Arc::from("-"),
            Input::File { display, .. } => display.clone(),
        }
    }

    /// Where to open this input (`None` for standard input).
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::Stdin => None,
            Input::File { display, raw } => Some(raw.as_deref().unwrap_or(Path::new(&**display))),
        }
    }

    fn file(path: PathBuf) -> Input {
        match path.to_str() {
            Some(text) => Input::File {
                display: Arc::from(text),
                raw: None,
            },
            None => Input::File {
                display: Arc::from(path.to_string_lossy().as_ref()),
                raw: Some(path.into_boxed_path()),
            },
        }
    }
}

/// The result of a walk: inputs in path order, and what was passed over.
#[derive(Debug, Default)]
pub struct Walked {
    /// Inputs, sorted by display path (standard input first).
    pub inputs: Vec<Input>,
    /// Paths not scanned, with the reason.
    pub skipped: Vec<(Arc<str>, SkipReason)>,
}

/// Compiled include and exclude globs.
struct Filter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Filter {
    fn new(cfg: &WalkConfig) -> Result<Filter> {
        let set = |globs: &[String]| -> Result<Option<GlobSet>> {
            if globs.is_empty() {
                return Ok(None);
            }
            let mut b = GlobSetBuilder::new();
            for g in globs {
                b.add(Glob::new(g).map_err(|cause| Error::Glob {
                    glob: g.to_string(),
                    cause,
                })?);
            }
            b.build().map(Some).map_err(|cause| Error::Glob {
                glob: globs.join(", "),
                cause,
            })
        };
        Ok(Filter {
            include: set(&cfg.include)?,
            exclude: set(&cfg.exclude)?,
        })
    }

    fn hits(set: &GlobSet, rel: &Path) -> bool {
        set.is_match(rel) || rel.file_name().is_some_and(|n| set.is_match(n))
    }

    fn excluded(&self, rel: &Path) -> bool {
        self.exclude.as_ref().is_some_and(|s| Self::hits(s, rel))
    }

    fn included(&self, rel: &Path) -> bool {
        self.include.as_ref().is_none_or(|s| Self::hits(s, rel))
    }
}

/// Walks `paths`. A path that does not exist is an error (exit code 2);
/// problems below a root are recorded as skipped inputs.
pub fn walk(paths: &[PathBuf], cfg: &WalkConfig) -> Result<Walked> {
    let filter = Filter::new(cfg)?;
    let mut walked = Walked::default();
    for path in paths {
        if path.as_os_str() == "-" {
            walked.inputs.push(Input::Stdin);
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            walk_dir(path, cfg, &filter, &mut walked);
        } else if meta.is_file() {
            // Named explicitly: always scanned, whatever the globs say.
            walked.inputs.push(Input::file(path.clone()));
        } else {
            walked.skipped.push((
                Arc::from(path.to_string_lossy().as_ref()),
                SkipReason::Special,
            ));
        }
    }
    walked.inputs.sort_by_key(Input::display);
    walked.inputs.dedup();
    walked.skipped.sort();
    Ok(walked)
}

fn walk_dir(root: &Path, cfg: &WalkConfig, filter: &Filter, walked: &mut Walked) {
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .standard_filters(false)
        .hidden(false)
        .follow_links(cfg.follow)
        .git_ignore(cfg.respect_ignore)
        .git_exclude(cfg.respect_ignore)
        .git_global(cfg.respect_ignore)
        .ignore(cfg.respect_ignore)
        .parents(cfg.respect_ignore)
        .require_git(false);
    let prune_root = root.to_path_buf();
    let exclude = filter.exclude.clone();
    builder.filter_entry(move |e| {
        if e.file_name() == ".git" && e.file_type().is_some_and(|t| t.is_dir()) {
            return false;
        }
        let rel = e.path().strip_prefix(&prune_root).unwrap_or(e.path());
        rel.as_os_str().is_empty() || !exclude.as_ref().is_some_and(|s| Filter::hits(s, rel))
    });
    for entry in builder.build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let reason = if is_loop(&err) {
                    SkipReason::Loop
                } else {
                    SkipReason::Unreadable
                };
                let at = error_path(&err).unwrap_or_else(|| root.to_path_buf());
                walked
                    .skipped
                    .push((Arc::from(at.to_string_lossy().as_ref()), reason));
                continue;
            }
        };
        let Some(kind) = entry.file_type() else {
            continue; // standard input; never produced for a folder walk
        };
        if kind.is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if filter.excluded(rel) || !filter.included(rel) {
            continue;
        }
        let display = || Arc::from(entry.path().to_string_lossy().as_ref());
        if kind.is_file() {
            walked.inputs.push(Input::file(entry.into_path()));
        } else if kind.is_symlink() {
            walked.skipped.push((display(), SkipReason::Symlink));
        } else {
            walked.skipped.push((display(), SkipReason::Special));
        }
    }
}

fn is_loop(err: &ignore::Error) -> bool {
    match err {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => is_loop(err),
        _ => false,
    }
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => error_path(err),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(w: &Walked, root: &Path) -> Vec<String> {
        w.inputs
            .iter()
            .map(|i| match i.path() {
                Some(path) => path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                None => "-".into(),
            })
            .collect()
    }

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        fs::create_dir_all(p.join("sub/deep")).unwrap();
        fs::create_dir_all(p.join(".git")).unwrap();
        fs::write(p.join(".git/config"), "x").unwrap();
        fs::write(p.join("a.csv"), "x").unwrap();
        fs::write(p.join("b.txt"), "x").unwrap();
        fs::write(p.join("sub/c.csv"), "x").unwrap();
        fs::write(p.join("sub/deep/d.log"), "x").unwrap();
        fs::write(p.join(".gitignore"), "*.log\n").unwrap();
        dir
    }

    #[test]
    fn walks_sorted_skipping_git_and_honouring_no_ignore_files_by_default() {
        let dir = tree();
        let w = walk(&[dir.path().to_path_buf()], &WalkConfig::default()).unwrap();
        assert_eq!(
            names(&w, dir.path()),
            [
                ".gitignore",
                "a.csv",
                "b.txt",
                "sub/c.csv",
                "sub/deep/d.log"
            ]
        );
        let cfg = WalkConfig {
            respect_ignore: true,
            ..Default::default()
        };
        let w = walk(&[dir.path().to_path_buf()], &cfg).unwrap();
        assert!(!names(&w, dir.path()).contains(&"sub/deep/d.log".to_string()));
    }

    #[test]
    fn globs_filter_files_and_prune_folders() {
        let dir = tree();
        let cfg = WalkConfig {
            include: vec!["*.csv".into()],
            exclude: vec!["sub".into()],
            ..Default::default()
        };
        let w = walk(&[dir.path().to_path_buf()], &cfg).unwrap();
        assert_eq!(names(&w, dir.path()), ["a.csv"]);
    }

    #[test]
    fn explicit_files_are_always_scanned_and_missing_roots_fail() {
        let dir = tree();
        let cfg = WalkConfig {
            exclude: vec!["*.txt".into()],
            ..Default::default()
        };
        let w = walk(&[dir.path().join("b.txt")], &cfg).unwrap();
        assert_eq!(w.inputs.len(), 1);
        assert!(walk(&[dir.path().join("missing")], &cfg).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_listed_and_loops_detected() {
        let dir = tree();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("a.csv"), dir.path().join("link.csv")).unwrap();
        let w = walk(&[dir.path().to_path_buf()], &WalkConfig::default()).unwrap();
        assert!(w.skipped.iter().any(|(_, r)| *r == SkipReason::Symlink));
        let cfg = WalkConfig {
            follow: true,
            ..Default::default()
        };
        let w = walk(&[dir.path().to_path_buf()], &cfg).unwrap();
        assert!(
            w.skipped.iter().any(|(_, r)| *r == SkipReason::Loop),
            "{:?}",
            w.skipped
        );
        assert!(names(&w, dir.path()).contains(&"link.csv".to_string()));
    }
}
