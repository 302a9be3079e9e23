//! Paths as the repository names them. A finding's path is relative to
//! the folder piiscan ran in (or absolute); a baseline, code scanning and
//! workflow annotations need it relative to the work tree's root, the same
//! whichever folder a job or a developer ran in.

use std::path::{Component, Path, PathBuf};

/// Turns finding paths into repository paths.
#[derive(Debug, Clone, Default)]
pub struct RepoPaths {
    /// The work tree's root, absolute, when there is one.
    root: Option<PathBuf>,
    /// The current folder below the root (`src/app/`), or empty.
    prefix: String,
}

impl RepoPaths {
    /// Paths for a run in `cwd` (absolute): relative to the root of the git
    /// work tree `cwd` is in, else to `cwd` itself.
    pub fn new(cwd: &Path) -> RepoPaths {
        let Some(root) = cwd.ancestors().find(|dir| dir.join(".git").exists()) else {
            return RepoPaths::default();
        };
        let below = cwd.strip_prefix(root).unwrap_or(Path::new(""));
        let mut prefix = below.to_string_lossy().replace('\\', "/");
        if !prefix.is_empty() {
            prefix.push('/');
        }
        RepoPaths {
            root: Some(root.to_path_buf()),
            prefix,
        }
    }

    /// Paths for a run in the current folder.
    pub fn here() -> RepoPaths {
        std::env::current_dir()
            .map(|cwd| RepoPaths::new(&cwd))
            .unwrap_or_default()
    }

    /// The repository path of a finding's path: `./a/../b.csv` run in
    /// `src/` is `src/b.csv`; an archive member keeps its `!inner` part; an
    /// absolute path outside the work tree stays absolute.
    pub fn of(&self, path: &str) -> String {
        let (outer, member) = match path.split_once('!') {
            Some((outer, member)) => (outer, Some(member)),
            None => (path, None),
        };
        let mut repo = match Path::new(outer).is_absolute() {
            true => match self
                .root
                .as_deref()
                .map(|r| Path::new(outer).strip_prefix(r))
            {
                Some(Ok(inside)) => lexical(&inside.to_string_lossy()),
                _ => outer.to_string(),
            },
            false => lexical(&format!("{}{outer}", self.prefix)),
        };
        if let Some(member) = member {
            repo.push('!');
            repo.push_str(member);
        }
        repo
    }
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
    }

    #[test]
    fn without_a_work_tree_paths_are_tidied_only() {
        let none = RepoPaths::default();
        assert_eq!(none.of("./a/./b/../c.csv"), "a/c.csv");
        assert_eq!(none.of("../x.csv"), "../x.csv");
    }
}
