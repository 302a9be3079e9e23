//! Paths as a root folder names them. A finding's path is relative to the
//! folder piiscan ran in (or absolute); a baseline, code scanning and
//! workflow annotations need it relative to the work tree's root, and the
//! globs of a settings file are relative to the file's folder, the same
//! whichever folder a job or a developer ran in.

use std::path::{Component, Path, PathBuf};

/// Turns finding paths into paths relative to a root.
#[derive(Debug, Clone, Default)]
pub struct RepoPaths {
    /// The root, absolute, when there is one.
    root: Option<PathBuf>,
    /// The current folder, absolute.
    cwd: PathBuf,
    /// The current folder below the root (`src/app/`, or empty), when it is
    /// below it.
    prefix: Option<String>,
}

impl RepoPaths {
    /// Paths for a run in `cwd` (absolute): relative to the root of the git
    /// work tree `cwd` is in, else to `cwd` itself.
    pub fn new(cwd: &Path) -> RepoPaths {
        match cwd.ancestors().find(|dir| dir.join(".git").exists()) {
            Some(root) => RepoPaths::rooted(root, cwd),
            None => RepoPaths::default(),
        }
    }

    /// Paths relative to `root` (absolute), for a run in `cwd` (absolute).
    pub fn rooted(root: &Path, cwd: &Path) -> RepoPaths {
        let (root, cwd) = (&tidy(root), &tidy(cwd));
        let prefix = cwd.strip_prefix(root).ok().map(|below| {
            let mut prefix = below.to_string_lossy().replace('\\', "/");
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix
        });
        RepoPaths {
            root: Some(root.to_path_buf()),
            cwd: cwd.to_path_buf(),
            prefix,
        }
    }

    /// Paths for a run in the current folder over `roots`: relative to
    /// the work tree the current folder is in, else to the one the first
    /// root is in (a job that runs outside the checkout).
    pub fn for_run(roots: &[PathBuf]) -> RepoPaths {
        let Ok(cwd) = std::env::current_dir() else {
            return RepoPaths::default();
        };
        let here = RepoPaths::new(&cwd);
        if here.root.is_some() {
            return here;
        }
        let tree_of = |root: &PathBuf| {
            let root = tidy(&cwd.join(root));
            let tree = root.ancestors().find(|dir| dir.join(".git").exists())?;
            Some(RepoPaths::rooted(tree, &cwd))
        };
        roots.iter().find_map(tree_of).unwrap_or(here)
    }

    /// True when `roots` take in the whole tree these paths name files
    /// from: the work tree's root (or a folder above it), or the current
    /// folder outside a work tree.
    pub fn whole_tree(&self, roots: &[PathBuf]) -> bool {
        let Ok(cwd) = std::env::current_dir() else {
            return false;
        };
        let base = self.root.clone().unwrap_or_else(|| tidy(&cwd));
        roots.iter().any(|r| base.starts_with(tidy(&cwd.join(r))))
    }

    /// Where a repository path's file is on disk (an archive member's:
    /// its archive).
    pub fn on_disk(&self, repo_path: &str) -> PathBuf {
        let outer = repo_path.split('!').next().unwrap_or(repo_path);
        match &self.root {
            Some(root) => root.join(outer),
            None => self.cwd.join(outer),
        }
    }

    /// The repository path of a finding's path: `./a/../b.csv` run in
    /// `src/` is `src/b.csv`; an archive member keeps its `!inner` part; an
    /// absolute path outside the work tree stays absolute.
    pub fn of(&self, path: &str) -> String {
        let (outer, member) = match path.split_once('!') {
            Some((outer, member)) => (outer, Some(member)),
            None => (path, None),
        };
        let mut repo = match (Path::new(outer).is_absolute(), &self.prefix) {
            (false, Some(prefix)) => lexical(&format!("{prefix}{outer}")),
            (false, None) if self.root.is_none() => lexical(outer),
            (false, None) => self.under_root(&self.cwd.join(outer)),
            (true, _) => self.under_root(Path::new(outer)),
        };
        if let Some(member) = member {
            repo.push('!');
            repo.push_str(member);
        }
        repo
    }
}

impl RepoPaths {
    /// An absolute path relative to the root when it is below it, else as
    /// it is.
    fn under_root(&self, path: &Path) -> String {
        let path = tidy(path);
        let path = path.as_path();
        match self.root.as_deref().map(|root| path.strip_prefix(root)) {
            Some(Ok(inside)) => lexical(&inside.to_string_lossy()),
            _ => path.to_string_lossy().into_owned(),
        }
    }
}

/// An absolute path with `.` and `a/..` taken out.
pub fn tidy(path: &Path) -> PathBuf {
    let mut tidy = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                tidy.pop();
            }
            Component::CurDir => {}
            part => tidy.push(part),
        }
    }
    tidy
}

/// A relative path with `.` and `a/..` taken out (a `..` above the start
/// stays), `/`-separated.
fn lexical(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in Path::new(path).components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            Component::ParentDir => parts.push(".."),
            Component::Normal(name) => parts.push(name.to_str().unwrap_or("?")),
            Component::RootDir | Component::Prefix(_) => {}
        }
    }
    if parts.is_empty() {
        return ".".to_string();
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_work_tree_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("src/app")).unwrap();
        let here = RepoPaths::new(&root.join("src/app"));
        assert_eq!(here.of("./a.csv"), "src/app/a.csv");
        assert_eq!(here.of("../../docs/n.md"), "docs/n.md");
        assert_eq!(here.of("x.zip!in/./y.csv"), "src/app/x.zip!in/./y.csv");
        let inside = root.join("src/b.csv");
        assert_eq!(here.of(&inside.to_string_lossy()), "src/b.csv");
        assert_eq!(here.of("/elsewhere/c.csv"), "/elsewhere/c.csv");
        let top = RepoPaths::new(root);
        assert_eq!(top.of("./src/../a.csv"), "a.csv");
        assert_eq!(top.of("."), ".");
        // A root that is not above the current folder.
        let beside = RepoPaths::rooted(&root.join("src"), &root.join("docs"));
        assert_eq!(beside.of("../src/a.csv"), "a.csv");
        assert_eq!(
            beside.of("x.csv"),
            root.join("docs/x.csv").to_string_lossy()
        );
        assert_eq!(
            beside.of(&root.join("src/b.csv").to_string_lossy()),
            "b.csv"
        );
    }

    #[test]
    fn without_a_work_tree_paths_are_tidied_only() {
        let none = RepoPaths::default();
        assert_eq!(none.of("./a/./b/../c.csv"), "a/c.csv");
        assert_eq!(none.of("../x.csv"), "../x.csv");
    }
}
