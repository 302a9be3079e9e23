//! What changed in a git work tree, asked of the `git` program: the files
//! staged for commit (`--git-staged`) or changed since a revision
//! (`--git-diff REV`), and in each the lines added, so that a pre-commit
//! hook or a merge-request job looks at what the change brings and not at
//! what was there before.
//!
//! Paths are relative to the current folder (`git diff --relative`), as a
//! scan of `.` names them. The working-tree copy of each file is what is
//! scanned: `pre-commit` stashes unstaged changes first, so for a hook it
//! is the staged content.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::PathBuf;
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
    if git(["rev-parse", "--is-inside-work-tree"]).is_err() {
        return Err(GitError::NotWorkTree);
    }
    let mut args = vec![
        "diff",
        "--relative",
        "--no-ext-diff",
        "--no-color",
        "-M",
        "--diff-filter=ACMR",
    ];
    let base;
    match change {
        Change::Staged => args.push("--cached"),
        Change::Since(rev) if rev.starts_with('-') => {
            return Err(GitError::BadRevision(rev.clone()));
        }
        Change::Since(rev) if rev.contains("..") => args.push(rev),
        Change::Since(rev) => {
            base = merge_base(rev)?;
            args.push(&base);
        }
    }
    let files = names(&git(args.iter().copied().chain([
        "--name-only",
        "-z",
        "--",
    ]))?);
    let patch = git(args.iter().copied().chain(["-U0", "--"]))?;
    if let Change::Staged = change {
        let modified = git([
            "diff",
            "--relative",
            "--no-ext-diff",
            "--name-only",
            "-z",
            "--",
        ])?;
        let modified = names(&modified);
        let unstaged: Vec<PathBuf> = files
            .iter()
            .filter(|f| modified.contains(f))
            .cloned()
            .collect();
        if !unstaged.is_empty() {
            return Err(GitError::Unstaged(unstaged));
        }
    }
    Ok(Changed {
        files,
        added: added_lines(&String::from_utf8_lossy(&patch)),
    })
}

/// Where `rev` and `HEAD` meet: what the base branch changed since is not
/// the change's doing. Without a common ancestor, `rev` itself.
fn merge_base(rev: &str) -> Result<String, GitError> {
    // The revision must exist: its own error says so.
    git([
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        &format!("{rev}^{{commit}}"),
    ])
    .map_err(|_| GitError::BadRevision(rev.to_string()))?;
    match git(["merge-base", "--end-of-options", rev, "HEAD"]) {
        Ok(out) => Ok(String::from_utf8_lossy(&out).trim().to_string()),
        Err(_) => Ok(rev.to_string()),
    }
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
    let args: Vec<&str> = args.into_iter().collect();
    let out = Command::new("git")
        .args(["-c", "core.quotePath=false"])
        .args(&args)
        .output()
        .map_err(GitError::Spawn)?;
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
