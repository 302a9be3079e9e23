//! What changed in a git work tree, asked of the `git` program: the files
//! staged for commit (`--git-staged`) or changed since a revision
//! (`--git-diff REV`), and in each the lines added, so that a pre-commit
//! hook or a merge-request job looks at what the change brings and not at
//! what was there before.
//!
//! Paths are relative to the current folder (`../x` for a file above it),
//! as a scan names them. The working-tree copy of each file is what is
//! scanned: `pre-commit` stashes unstaged changes first, so for a hook it
//! is the staged content.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Which change to look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// What is staged for the next commit.
    Staged,
    /// What differs between a revision and the working tree.
    Since(String),
}

/// The files a change touches and the lines it adds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changed {
    /// Files added, copied, modified or renamed (deleted ones are gone).
    pub files: Vec<PathBuf>,
    /// Per file (as `files` names it), the 1-based line ranges added,
    /// inclusive; a file absent here (a binary file, a name git quotes)
    /// counts as changed throughout.
    pub added: HashMap<String, Vec<(u64, u64)>>,
}

impl Changed {
    /// True when line `line` of `path` is new in the change. A finding in
    /// an archive member (`a.zip!b.csv`) has a line of the member: the
    /// member is new if the archive changed at all.
    pub fn is_added(&self, path: &str, line: u64) -> bool {
        if path.contains('!') {
            return true;
        }
        let path = crate::gate::baseline::normal_path(path);
        match self.added.get(path) {
            Some(ranges) => ranges.iter().any(|&(a, b)| (a..=b).contains(&line)),
            None => true,
        }
    }
}

/// Why git could not say what changed.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The program could not be run.
    #[error("cannot run git: {0}")]
    Spawn(std::io::Error),
    /// The current folder is not in a git work tree.
    #[error("not inside a git work tree: --git-staged and --git-diff ask git what changed")]
    NotWorkTree,
    /// `--git-diff` names no commit.
    #[error(
        "--git-diff: `{0}` is not a revision git knows (a commit, a branch, origin/main, A...B)"
    )]
    BadRevision(String),
    /// A range that does not end at `HEAD`.
    #[error(
        "--git-diff {0}: piiscan reads the files on disk, which are HEAD's: give a range \
         that ends at HEAD (A..HEAD, A...HEAD) or a revision (the change since it)"
    )]
    NotHead(String),
    /// No common ancestor with `HEAD` (a shallow clone).
    #[error(
        "--git-diff {0}: it has no common ancestor with HEAD here (a shallow clone? fetch the \
         history, e.g. fetch-depth: 0 or GIT_DEPTH: 0)"
    )]
    NoMergeBase(String),
    /// Staged files whose working-tree copy differs from what is staged.
    #[error(
        "{} ha{} changes that are not staged: the copy on disk is not what the commit holds. \
         Stage them, or stash them (git stash --keep-index) as pre-commit does",
        shown(.0), if .0.len() == 1 { "s" } else { "ve" }
    )]
    Unstaged(Vec<PathBuf>),
    /// It ran and refused.
    #[error("git {args} failed: {message}")]
    Failed {
        /// The arguments, for the message.
        args: String,
        /// What git said.
        message: String,
    },
}

/// Asks git what `change` touches.
pub fn changed(change: &Change) -> Result<Changed, GitError> {
    let top = git(["rev-parse", "--show-toplevel"]).map_err(|_| GitError::NotWorkTree)?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end_matches(['\n', '\r']));
    let cwd = std::env::current_dir().map_err(GitError::Spawn)?;
    let base = match change {
        Change::Staged => None,
        Change::Since(rev) => Some(base_of(rev)?),
    };
    let mut args = vec![
        "diff",
        "--no-ext-diff",
        "--no-color",
        "-M",
        "--diff-filter=ACMR",
    ];
    match &base {
        None => args.push("--cached"),
        // A commit id git gave: never taken for an option.
        Some(base) => args.push(base.as_str()),
    }
    let files = names(&git(args.iter().copied().chain([
        "--name-only",
        "-z",
        "--",
    ]))?);
    let patch = git(args.iter().copied().chain(["-U0", "--"]))?;
    if base.is_none() {
        refuse_unstaged(&files)?;
    }
    let mut added = added_lines(&String::from_utf8_lossy(&patch));
    // A file git filters (Git LFS) is diffed as its pointer: its lines say
    // nothing of the file on disk, which counts as changed throughout.
    for filtered in filtered(&files)? {
        added.remove(&filtered);
    }
    let here = |root_relative: &str| relative(&top.join(root_relative), &cwd);
    Ok(Changed {
        files: files
            .iter()
            .map(|f| PathBuf::from(here(&f.to_string_lossy())))
            .collect(),
        added: added
            .into_iter()
            .map(|(file, lines)| (here(&file), lines))
            .collect(),
    })
}

/// What a change is diffed from, always against the files on disk (what
/// the scan reads): `REV` is its merge base with `HEAD`, so what the base
/// branch changed meanwhile is not the change's doing; `A..` or `A..HEAD`
/// is `A`; `A...` or `A...HEAD` is their merge base. A range that ends
/// elsewhere than `HEAD` describes files that are not on disk: refused.
fn base_of(rev: &str) -> Result<String, GitError> {
    if rev.starts_with('-') {
        return Err(GitError::BadRevision(rev.to_string()));
    }
    let (from, to, merge) = match (rev.split_once("..."), rev.split_once("..")) {
        (Some((a, b)), _) => (a, b, true),
        (None, Some((a, b))) => (a, b, false),
        (None, None) => (rev, "HEAD", true),
    };
    let from = if from.is_empty() { "HEAD" } else { from };
    let to = if to.is_empty() { "HEAD" } else { to };
    let head = commit(rev, "HEAD")?;
    if commit(rev, to)? != head {
        return Err(GitError::NotHead(rev.to_string()));
    }
    let from = commit(rev, from)?;
    if !merge {
        return Ok(from);
    }
    match git(["merge-base", "--end-of-options", &from, &head]) {
        Ok(out) => Ok(String::from_utf8_lossy(&out).trim().to_string()),
        Err(_) => Err(GitError::NoMergeBase(rev.to_string())),
    }
}

/// The commit `name` names (for messages, `rev` as given).
fn commit(rev: &str, name: &str) -> Result<String, GitError> {
    let spec = format!("{name}^{{commit}}");
    let out = git([
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        &spec,
    ])
    .map_err(|_| GitError::BadRevision(rev.to_string()))?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// Staged files must be on disk as staged: a copy changed since is not
/// what the commit holds. A mode changed alone is no change of content.
fn refuse_unstaged(staged: &[PathBuf]) -> Result<(), GitError> {
    let modified = git([
        "-c",
        "core.fileMode=false",
        "diff",
        "--no-ext-diff",
        "--name-only",
        "-z",
        "--",
    ])?;
    let modified = names(&modified);
    let unstaged: Vec<PathBuf> = staged
        .iter()
        .filter(|f| modified.contains(f))
        .cloned()
        .collect();
    match unstaged.is_empty() {
        true => Ok(()),
        false => Err(GitError::Unstaged(unstaged)),
    }
}

/// The files (root-relative) that a git filter stores in another form.
fn filtered(files: &[PathBuf]) -> Result<Vec<String>, GitError> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let mut list = Vec::new();
    for f in files {
        list.extend_from_slice(f.to_string_lossy().as_bytes());
        list.push(0);
    }
    let out = git_with_input(["check-attr", "-z", "--stdin", "filter"], &list)?;
    let fields: Vec<&[u8]> = out.split(|&b| b == 0).collect();
    Ok(fields
        .chunks_exact(3)
        .filter(|f| !matches!(f[2], b"unspecified" | b"unset"))
        .map(|f| String::from_utf8_lossy(f[0]).into_owned())
        .collect())
}

/// `path` (absolute) as seen from `cwd` (absolute): `a/b`, or `../x/b`.
fn relative(path: &Path, cwd: &Path) -> String {
    let path = crate::paths::tidy(path);
    let cwd = crate::paths::tidy(cwd);
    let common = path
        .components()
        .zip(cwd.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = cwd.components().count() - common;
    let mut out: Vec<String> = vec!["..".to_string(); ups];
    out.extend(
        path.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    out.join("/")
}

/// Paths for a message: the first few, sanitised.
fn shown(paths: &[PathBuf]) -> String {
    let mut names: Vec<String> = paths
        .iter()
        .take(3)
        .map(|p| crate::sanitize::sanitize(&p.to_string_lossy()))
        .collect();
    if paths.len() > 3 {
        names.push(format!("{} more", paths.len() - 3));
    }
    names.join(", ")
}

/// The paths of a `-z` name list.
fn names(list: &[u8]) -> Vec<PathBuf> {
    list.split(|&b| b == 0)
        .filter(|name| !name.is_empty())
        .map(path_of)
        .collect()
}

/// Runs git with `args` in the current folder and returns its output.
fn git<'a>(args: impl IntoIterator<Item = &'a str>) -> Result<Vec<u8>, GitError> {
    git_with_input(args, &[])
}

/// Runs git with `args`, `input` on its standard input.
fn git_with_input<'a>(
    args: impl IntoIterator<Item = &'a str>,
    input: &[u8],
) -> Result<Vec<u8>, GitError> {
    use std::io::Write;
    use std::process::Stdio;
    let args: Vec<&str> = args.into_iter().collect();
    let mut child = Command::new("git")
        .args(["-c", "core.quotePath=false"])
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(GitError::Spawn)?;
    let mut stdin = child.stdin.take();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            let _ = stdin.write_all(&input);
        }
    });
    let out = child.wait_with_output().map_err(GitError::Spawn)?;
    let _ = writer.join();
    if !out.status.success() {
        let message = String::from_utf8_lossy(&out.stderr);
        return Err(GitError::Failed {
            args: args.join(" "),
            message: crate::sanitize::sanitize(message.trim()),
        });
    }
    Ok(out.stdout)
}

#[cfg(unix)]
fn path_of(name: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(OsStr::from_bytes(name))
}

#[cfg(not(unix))]
fn path_of(name: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(name).as_ref())
}

/// The added line ranges of each file in a `-U0` patch. A file whose name
/// git quoted (a tab, a newline, a quote in it) is left out: it counts as
/// changed throughout.
fn added_lines(patch: &str) -> HashMap<String, Vec<(u64, u64)>> {
    let mut added: HashMap<String, Vec<(u64, u64)>> = HashMap::new();
    let mut file: Option<String> = None;
    for line in patch.lines() {
        if let Some(name) = line
            .strip_prefix("rename to ")
            .or_else(|| line.strip_prefix("copy to "))
        {
            // A renamed or copied file adds only the lines its hunks add
            // (none for a pure rename).
            added.entry(name.to_string()).or_default();
        } else if let Some(name) = line.strip_prefix("+++ ") {
            file = name.strip_prefix("b/").map(str::to_string);
            if let Some(f) = &file {
                added.entry(f.clone()).or_default();
            }
        } else if let (Some(hunk), Some(f)) = (line.strip_prefix("@@ "), &file) {
            if let Some(range) = hunk_added(hunk) {
                added.entry(f.clone()).or_default().push(range);
            }
        } else if line.starts_with("Binary files ") {
            file = None;
        }
    }
    added
}

/// The added lines of a hunk header's `+start,count` (inclusive), none
/// when it only deletes.
fn hunk_added(hunk: &str) -> Option<(u64, u64)> {
    let plus = hunk.split(' ').find_map(|w| w.strip_prefix('+'))?;
    let (start, count) = match plus.split_once(',') {
        Some((s, c)) => (s.parse::<u64>().ok()?, c.parse::<u64>().ok()?),
        None => (plus.parse::<u64>().ok()?, 1),
    };
    (count > 0).then(|| (start, start + count - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_seen_from_the_current_folder() {
        let cwd = Path::new("/repo/src/app");
        assert_eq!(relative(Path::new("/repo/src/app/a.csv"), cwd), "a.csv");
        assert_eq!(
            relative(Path::new("/repo/docs/b.md"), cwd),
            "../../docs/b.md"
        );
    }

    #[test]
    fn hunks_give_added_ranges() {
        assert_eq!(hunk_added("-1,0 +1,3 @@"), Some((1, 3)));
        assert_eq!(hunk_added("-4 +4 @@ fn x()"), Some((4, 4)));
        assert_eq!(hunk_added("-7,2 +6,0 @@"), None);
    }

    #[test]
    fn a_patch_gives_each_files_added_lines() {
        let patch = "diff --git a/a.csv b/a.csv\n--- a/a.csv\n+++ b/a.csv\n@@ -2,0 +3,2 @@\n+x\n+y\n@@ -9 +10 @@\n-old\n+new\n\
diff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+z\n\
diff --git a/img.png b/img.png\nBinary files a/img.png and b/img.png differ\n\
diff --git a/old.txt b/moved.txt\nsimilarity index 100%\nrename from old.txt\nrename to moved.txt\n";
        let added = added_lines(patch);
        assert_eq!(added["a.csv"], [(3, 4), (10, 10)]);
        assert_eq!(added["new.txt"], [(1, 1)]);
        assert!(!added.contains_key("img.png"));
        assert_eq!(added["moved.txt"], []);
        let changed = Changed {
            files: vec![],
            added,
        };
        assert!(changed.is_added("./a.csv", 4));
        assert!(!changed.is_added("a.csv", 5));
        assert!(changed.is_added("img.png", 5));
        assert!(changed.is_added("a.csv!inner.csv", 99));
    }
}
