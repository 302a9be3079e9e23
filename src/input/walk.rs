//! Walking: turns the paths given on the command line into the sorted list
//! of inputs to scan, the way ripgrep walks.
//!
//! - Ignore files are honoured as ripgrep honours them (`.gitignore` inside
//!   a git work tree, `.ignore` anywhere, git's exclude files), unless
//!   `no_ignore`; what they leave out is counted, never silent.
//! - Hidden files are scanned (`.env` and shell histories hold personal
//!   data); `.git` folders are not.
//! - Globs have ripgrep's `-g` semantics ([`Globs`]); a glob that matched
//!   nothing is reported, so a typo does not pass as a clean scan.
//! - A path named on the command line that cannot be read is a failure of
//!   the run (exit 2), reported after the others are scanned; a pipe or a
//!   device named there is read as a stream. Below a folder, such things
//!   are listed as skipped with a reason.
//! - The run's own output files are never read as inputs.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

use crate::error::{Error, Result};
use crate::input::SkipReason;
use crate::paths::RepoPaths;

/// What to walk and how.
#[derive(Debug, Clone, Default)]
pub struct WalkConfig {
    /// Path filters, as ripgrep's `-g`: gitignore-style globs matched
    /// against the path as the walk names it (relative to the current
    /// folder); `!glob` excludes; when any glob includes, files matching
    /// none are left out. A later glob wins over an earlier one.
    pub globs: Vec<String>,
    /// Follow symbolic links (loops are detected).
    pub follow: bool,
    /// Do not honour ignore files.
    pub no_ignore: bool,
    /// Files this run writes: never read as inputs, listed as skipped.
    pub outputs: Vec<FileId>,
    /// Where globs are anchored when not at the current folder (a settings
    /// file's globs are relative to its folder).
    pub glob_paths: Option<RepoPaths>,
    /// Filter files named as paths by the globs too, as files below a
    /// folder are: for a list of paths that stands for a folder (the files
    /// git says changed), not for files a user named one by one.
    pub filter_named: bool,
    /// Files this run writes and deletes or renames (a half-written
    /// output): never read, not listed.
    pub temporary: Vec<FileId>,
}

/// The identity of a file on disk, whatever path names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    /// The identity of the file at `path`.
    pub fn of(path: &Path) -> io::Result<FileId> {
        Ok(FileId::from_meta(&fs::metadata(path)?))
    }

    /// The identity of an open file.
    pub fn of_file(file: &File) -> io::Result<FileId> {
        Ok(FileId::from_meta(&file.metadata()?))
    }

    #[cfg(unix)]
    fn from_meta(meta: &fs::Metadata) -> FileId {
        use std::os::unix::fs::MetadataExt;
        FileId {
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }

    #[cfg(not(unix))]
    fn from_meta(_meta: &fs::Metadata) -> FileId {
        FileId { dev: 0, ino: 0 }
    }
}

/// One thing to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-`).
    Stdin,
    /// A file on disk (or a pipe or device named on the command line).
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

    fn name(&self) -> &str {
        match self {
            Input::Stdin => "-",
            Input::File { display, .. } => display,
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

/// The result of a walk.
#[derive(Debug, Default)]
pub struct Walked {
    /// Inputs, sorted by display path (standard input first).
    pub inputs: Vec<Input>,
    /// Paths not scanned, with the reason, in path order.
    pub skipped: Vec<(Arc<str>, SkipReason)>,
    /// Paths named on the command line that could not be read: the run
    /// could not do its whole job.
    pub failed: Vec<(Arc<str>, io::Error)>,
    /// What ignore files left out.
    pub ignored: Ignored,
    /// Globs that did nothing (an include that let in no file, an
    /// exclude that excluded nothing), as given.
    pub unmatched_globs: Vec<String>,
}

/// Paths that ignore files left out (a folder counts once, its contents
/// are not walked).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Ignored {
    /// Files left out.
    pub files: u64,
    /// Folders left out with everything in them.
    pub folders: u64,
}

/// The `-g` globs, compiled as gitignore lines are. In gitignore terms a
/// user's plain glob is an "ignore" line and `!glob` a "whitelist" one;
/// here the meaning is inverted, as ripgrep's overrides invert it: a plain
/// glob includes, `!glob` excludes.
#[derive(Debug)]
struct Globs {
    set: Gitignore,
    /// Paths as the globs see them, when not as the walk names them.
    paths: Option<RepoPaths>,
    includes: bool,
    /// Globs that matched something, by their text.
    hit: Mutex<HashSet<String>>,
}

impl Globs {
    fn new(globs: &[String], paths: Option<RepoPaths>) -> Result<Globs> {
        let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let mut builder = GitignoreBuilder::new(root);
        for glob in globs {
            builder.add_line(None, glob).map_err(|cause| Error::Glob {
                glob: glob.clone(),
                cause,
            })?;
        }
        let set = builder.build().map_err(|cause| Error::Glob {
            glob: globs.join(", "),
            cause,
        })?;
        Ok(Globs {
            includes: globs.iter().any(|g| !g.starts_with('!')),
            set,
            paths,
            hit: Mutex::default(),
        })
    }

    /// Whether the path is left out. A folder is left out only by an
    /// excluding glob; a file also when globs include and none matched it.
    fn excludes(&self, path: &Path, is_dir: bool) -> bool {
        if self.set.is_empty() {
            return false;
        }
        let anchored = self
            .paths
            .as_ref()
            .map(|p| PathBuf::from(p.of(&path.to_string_lossy())));
        match self
            .set
            .matched(anchored.as_deref().unwrap_or(path), is_dir)
        {
            Match::Ignore(glob) => {
                // An include has done its job only when it let in a file.
                if !is_dir {
                    self.record(glob.original());
                }
                false
            }
            Match::Whitelist(glob) => {
                self.record(glob.original());
                true
            }
            Match::None => self.includes && !is_dir,
        }
    }

    fn record(&self, glob: &str) {
        let mut hit = self.hit.lock().unwrap_or_else(|e| e.into_inner());
        if !hit.contains(glob) {
            hit.insert(glob.to_string());
        }
    }

    /// The globs (as given) that matched nothing.
    fn unmatched(&self, given: &[String]) -> Vec<String> {
        let hit = self.hit.lock().unwrap_or_else(|e| e.into_inner());
        given
            .iter()
            .filter(|g| !hit.contains(g.as_str()))
            .cloned()
            .collect()
    }
}

/// Shared by a walk's entry filter and its loop.
struct Walker<'a> {
    cfg: &'a WalkConfig,
    globs: Arc<Globs>,
    /// The run's own files: true for those listed as skipped.
    outputs: HashMap<FileId, bool>,
}

/// Walks `paths`. Only a bad glob is an error; a path that cannot be read
/// is in [`Walked::failed`], problems below a folder in
/// [`Walked::skipped`].
pub fn walk(paths: &[PathBuf], cfg: &WalkConfig) -> Result<Walked> {
    let walker = Walker {
        cfg,
        globs: Arc::new(Globs::new(&cfg.globs, cfg.glob_paths.clone())?),
        outputs: (cfg.outputs.iter().map(|&id| (id, true)))
            .chain(cfg.temporary.iter().map(|&id| (id, false)))
            .collect(),
    };
    let mut walked = Walked::default();
    let mut folders = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            walked.inputs.push(Input::Stdin);
            continue;
        }
        match root(path, &walker.outputs) {
            Ok(Root::Folder) => {
                let entered = walker.walk_folder(path, &mut walked);
                folders.push((path, entered));
            }
            Ok(Root::File) if cfg.filter_named && walker.globs.excludes(path, false) => {
                walked.skipped.push((
                    Arc::from(path.to_string_lossy().as_ref()),
                    SkipReason::Excluded,
                ))
            }
            // A symbolic link in a list of changed files is the link, not
            // what it points to (git stores the link).
            Ok(Root::File) if cfg.filter_named && !cfg.follow && is_symlink(path) => {
                walked.skipped.push((
                    Arc::from(path.to_string_lossy().as_ref()),
                    SkipReason::Symlink,
                ))
            }
            Ok(Root::File) => walked.inputs.push(Input::file(path.clone())),
            Err(RootError::Output) => {
                return Err(Error::OutputIsInput {
                    path: crate::sanitize::sanitize(&path.to_string_lossy()),
                })
            }
            Err(RootError::Io(e)) => walked
                .failed
                .push((Arc::from(path.to_string_lossy().as_ref()), e)),
        }
    }
    walked.inputs.sort_by(|a, b| a.name().cmp(b.name()));
    walked.inputs.dedup();
    walked.skipped.sort();
    walked.skipped.dedup();
    if !cfg.no_ignore {
        for (folder, entered) in folders {
            let Ignored { files, folders } = walker.count_ignored(folder, entered, &walked);
            walked.ignored.files += files;
            walked.ignored.folders += folders;
        }
    }
    walked.unmatched_globs = walker.globs.unmatched(&cfg.globs);
    Ok(walked)
}

enum Root {
    Folder,
    File,
}

fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

enum RootError {
    Output,
    Io(io::Error),
}

/// What a path named on the command line is, checked to be readable now,
/// so that a root that cannot be read fails the run instead of passing as
/// a clean scan. A pipe or a device is read as a stream, as ripgrep reads
/// `<(zcat x.gz)`.
fn root(path: &Path, outputs: &HashMap<FileId, bool>) -> std::result::Result<Root, RootError> {
    let meta = fs::metadata(path).map_err(RootError::Io)?;
    if meta.is_dir() {
        fs::read_dir(path).map_err(RootError::Io)?;
        return Ok(Root::Folder);
    }
    if !is_readable_kind(&meta) {
        return Err(RootError::Io(io::Error::other(
            "not a file, folder, pipe or device",
        )));
    }
    if !meta.is_file() {
        // Not opened here: a pipe's writer would see its only reader go
        // away and lose what it wrote.
        return Ok(Root::File);
    }
    File::open(path).map_err(RootError::Io)?;
    if outputs.contains_key(&FileId::from_meta(&meta)) {
        return Err(RootError::Output);
    }
    Ok(Root::File)
}

#[cfg(unix)]
fn is_readable_kind(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    kind.is_file() || kind.is_fifo() || kind.is_char_device() || kind.is_block_device()
}

#[cfg(not(unix))]
fn is_readable_kind(meta: &fs::Metadata) -> bool {
    meta.is_file()
}

/// Paths a filter left out during a walk, collected from the filter.
type Collected = Arc<Mutex<Vec<PathBuf>>>;

impl Walker<'_> {
    /// A walk below `root`; with `excluded`, what globs leave out is
    /// collected there, else it is left out silently (the count of a
    /// second walk).
    fn builder(
        &self,
        root: &Path,
        ignore_files: bool,
        excluded: Option<Collected>,
    ) -> ignore::WalkBuilder {
        let mut builder = ignore::WalkBuilder::new(root);
        builder
            .standard_filters(false)
            .follow_links(self.cfg.follow)
            .git_ignore(ignore_files)
            .git_exclude(ignore_files)
            .git_global(ignore_files)
            .ignore(ignore_files)
            .parents(ignore_files)
            .require_git(true);
        let globs = self.globs.clone();
        builder.filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            if is_dir && e.file_name() == ".git" {
                return false;
            }
            // The root is what the user named: never filtered.
            if e.depth() == 0 || !globs.excludes(e.path(), is_dir) {
                return true;
            }
            if let Some(excluded) = &excluded {
                let mut excluded = excluded.lock().unwrap_or_else(|e| e.into_inner());
                excluded.push(e.path().to_path_buf());
            }
            false
        });
        builder
    }

    /// Walks one folder named on the command line into `walked`; returns
    /// the folders it entered (when ignore files are honoured, to count
    /// what they left out).
    fn walk_folder(&self, root: &Path, walked: &mut Walked) -> HashSet<PathBuf> {
        let ignore_files = !self.cfg.no_ignore;
        let excluded = Collected::default();
        let mut entered = HashSet::new();
        for entry in self
            .builder(root, ignore_files, Some(excluded.clone()))
            .build()
        {
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
            // The root itself (perhaps a symbolic link to a folder, named
            // on purpose) is walked, not listed.
            let Some(kind) = entry.file_type().filter(|_| entry.depth() > 0) else {
                continue;
            };
            let display = || Arc::from(entry.path().to_string_lossy().as_ref());
            if kind.is_dir() {
                if ignore_files {
                    entered.insert(entry.into_path());
                }
            } else if kind.is_file() {
                match self.output(&entry) {
                    Some(true) => walked.skipped.push((display(), SkipReason::Output)),
                    Some(false) => {}
                    None => walked.inputs.push(Input::file(entry.into_path())),
                }
            } else if kind.is_symlink() {
                walked.skipped.push((display(), SkipReason::Symlink));
            } else {
                walked.skipped.push((display(), SkipReason::Special));
            }
        }
        let excluded = std::mem::take(&mut *excluded.lock().unwrap_or_else(|e| e.into_inner()));
        walked.skipped.extend(excluded.into_iter().map(|p| {
            (
                Arc::from(p.to_string_lossy().as_ref()),
                SkipReason::Excluded,
            )
        }));
        entered
    }

    /// Whether the entry is one of the run's own files, and if so whether
    /// it is listed.
    fn output(&self, entry: &ignore::DirEntry) -> Option<bool> {
        if self.outputs.is_empty() {
            return None;
        }
        // The inode number comes with the folder listing; only a match
        // costs a `stat`.
        let may_be = entry
            .ino()
            .is_none_or(|ino| self.outputs.keys().any(|o| o.ino == ino));
        if !may_be {
            return None;
        }
        let id = FileId::of(entry.path()).ok()?;
        self.outputs.get(&id).copied()
    }

    /// Counts what ignore files left out below `root`: a second walk
    /// without them, pruned at every folder the first walk did not enter,
    /// counting every file it did not see. It stops at the first ignored
    /// folder, so what ignore files keep out (`target/`, `node_modules/`)
    /// is still not walked.
    fn count_ignored(&self, root: &Path, entered: HashSet<PathBuf>, walked: &Walked) -> Ignored {
        let folders = Arc::new(Mutex::new(0u64));
        let mut builder = self.builder(root, false, None);
        let (globs, count) = (self.globs.clone(), folders.clone());
        builder.filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            if e.depth() == 0 {
                return true;
            }
            if (is_dir && e.file_name() == ".git") || globs.excludes(e.path(), is_dir) {
                return false;
            }
            if is_dir && !entered.contains(e.path()) {
                *count.lock().unwrap_or_else(|e| e.into_inner()) += 1;
                return false;
            }
            true
        });
        let mut ignored = Ignored::default();
        for entry in builder.build().flatten() {
            if entry.depth() == 0 || entry.file_type().is_none_or(|t| t.is_dir()) {
                continue;
            }
            if self.output(&entry).is_some() {
                continue;
            }
            let name = entry.path().to_string_lossy();
            let seen = walked
                .inputs
                .binary_search_by(|i| i.name().cmp(&name))
                .is_ok()
                || walked
                    .skipped
                    .binary_search_by(|(p, _)| (**p).cmp(&name))
                    .is_ok();
            ignored.files += u64::from(!seen);
        }
        ignored.folders += *folders.lock().unwrap_or_else(|e| e.into_inner());
        ignored
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

    /// A tree with a git work tree's marker, an ignore file and a hidden
    /// file.
    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        for folder in ["sub/deep", ".git", "target/debug"] {
            fs::create_dir_all(p.join(folder)).unwrap();
        }
        for file in [
            ".git/config",
            ".env",
            "a.csv",
            "b.txt",
            "sub/c.csv",
            "sub/deep/d.log",
            "target/debug/e.txt",
        ] {
            fs::write(p.join(file), "x").unwrap();
        }
        fs::write(p.join(".gitignore"), "*.log\ntarget/\n").unwrap();
        dir
    }

    fn walk_with(dir: &Path, cfg: WalkConfig) -> Walked {
        walk(&[dir.to_path_buf()], &cfg).unwrap()
    }

    fn globs(globs: &[&str]) -> WalkConfig {
        WalkConfig {
            globs: globs.iter().map(|g| g.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn honours_ignore_files_in_a_work_tree_and_counts_what_they_leave_out() {
        let dir = tree();
        let w = walk_with(dir.path(), WalkConfig::default());
        assert_eq!(
            names(&w, dir.path()),
            [".env", ".gitignore", "a.csv", "b.txt", "sub/c.csv"]
        );
        assert_eq!(
            w.ignored,
            Ignored {
                files: 1,
                folders: 1
            }
        );
        let all = walk_with(
            dir.path(),
            WalkConfig {
                no_ignore: true,
                ..Default::default()
            },
        );
        assert_eq!(all.inputs.len(), 7);
        assert_eq!(all.ignored, Ignored::default());
    }

    #[test]
    fn gitignore_outside_a_work_tree_is_not_honoured() {
        let dir = tree();
        fs::remove_dir_all(dir.path().join(".git")).unwrap();
        let w = walk_with(dir.path(), WalkConfig::default());
        assert_eq!(w.inputs.len(), 7);
    }

    #[test]
    fn globs_have_ripgreps_meaning() {
        let dir = tree();
        let p = dir.path();
        let cases: [(&[&str], &[&str]); 5] = [
            (&["*.csv"], &["a.csv", "sub/c.csv"]),
            (&["!*.csv"], &[".env", ".gitignore", "b.txt"]),
            (&["!sub"], &[".env", ".gitignore", "a.csv", "b.txt"]),
            // A later glob wins.
            (&["*.csv", "!c.csv"], &["a.csv"]),
            (&["*.csv", "!**/sub/**"], &["a.csv"]),
        ];
        for (given, expected) in cases {
            let w = walk_with(p, globs(given));
            assert_eq!(names(&w, p), expected, "{given:?}");
            assert!(w.unmatched_globs.is_empty(), "{given:?}");
        }
        // `*` stops at a `/` (anchoring at the path as given is tested on
        // relative paths, from the command line).
        let w = walk_with(p, globs(&["!*/sub/*"]));
        assert!(
            names(&w, p).contains(&"sub/c.csv".to_string()),
            "* stops at /"
        );
    }

    #[test]
    fn what_globs_leave_out_is_listed_and_a_glob_that_matched_nothing_is_named() {
        let dir = tree();
        let w = walk_with(dir.path(), globs(&["csv", "!sub"]));
        assert!(w.inputs.is_empty());
        assert_eq!(w.unmatched_globs, ["csv"]);
        let excluded: Vec<&str> = w
            .skipped
            .iter()
            .filter(|(_, r)| *r == SkipReason::Excluded)
            .map(|(p, _)| p.rsplit('/').next().unwrap())
            .collect();
        assert!(
            excluded.contains(&"sub") && excluded.contains(&"a.csv"),
            "{excluded:?}"
        );
    }

    #[test]
    fn explicit_files_are_always_scanned_and_bad_roots_fail_without_stopping_others() {
        let dir = tree();
        let w = walk_with(&dir.path().join("b.txt"), globs(&["!*.txt"]));
        assert_eq!(w.inputs.len(), 1);
        let paths = [dir.path().join("missing"), dir.path().join("a.csv")];
        let w = walk(&paths, &WalkConfig::default()).unwrap();
        assert_eq!(w.inputs.len(), 1);
        assert_eq!(w.failed.len(), 1);
        assert_eq!(w.failed[0].1.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn outputs_are_never_inputs() {
        let dir = tree();
        let out = dir.path().join("a.csv");
        let tmp = dir.path().join("b.txt");
        let cfg = WalkConfig {
            outputs: vec![FileId::of(&out).unwrap()],
            temporary: vec![FileId::of(&tmp).unwrap()],
            ..Default::default()
        };
        let w = walk_with(dir.path(), cfg.clone());
        let got = names(&w, dir.path());
        assert!(!got.contains(&"a.csv".into()) && !got.contains(&"b.txt".into()));
        let listed: Vec<_> = w
            .skipped
            .iter()
            .filter(|(_, r)| *r == SkipReason::Output)
            .collect();
        assert_eq!(listed.len(), 1, "the temporary file is not listed");
        assert_eq!(w.ignored.files, 1, "only d.log");
        assert!(matches!(
            walk(&[out], &cfg),
            Err(Error::OutputIsInput { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_listed_loops_detected_and_a_linked_root_walked() {
        let dir = tree();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("a.csv"), dir.path().join("link.csv")).unwrap();
        let w = walk_with(dir.path(), WalkConfig::default());
        assert!(w.skipped.iter().any(|(_, r)| *r == SkipReason::Symlink));
        let cfg = WalkConfig {
            follow: true,
            ..Default::default()
        };
        let w = walk_with(dir.path(), cfg);
        assert!(
            w.skipped.iter().any(|(_, r)| *r == SkipReason::Loop),
            "{:?}",
            w.skipped
        );
        assert!(names(&w, dir.path()).contains(&"link.csv".to_string()));
        let other = tempfile::tempdir().unwrap();
        let link = other.path().join("linked");
        std::os::unix::fs::symlink(dir.path().join("sub/deep"), &link).unwrap();
        fs::write(dir.path().join("sub/deep/f.csv"), "x").unwrap();
        let w = walk_with(&link, WalkConfig::default());
        assert_eq!(names(&w, &link), ["f.csv"], "{w:?}");
        assert!(w.skipped.is_empty(), "{:?}", w.skipped);
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_named_as_a_root_is_an_input() {
        let dir = tree();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        // Not opened by the walk (that would wait for a writer, or take
        // the reader away from one that is writing).
        let w = walk(std::slice::from_ref(&fifo), &WalkConfig::default()).unwrap();
        assert_eq!(w.inputs.len(), 1);
        // Met while walking, it is listed, not read.
        let w = walk_with(dir.path(), WalkConfig::default());
        assert!(w.skipped.iter().any(|(_, r)| *r == SkipReason::Special));
    }
}
