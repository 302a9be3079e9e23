//! Typed errors. Library code returns these; the binary adds context at the
//! edge and maps them to exit code 2.

use std::fmt;
use std::path::Path;

/// Something that stops a command from doing its job (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input or output path could not be used.
    #[error("{path}: {cause}")]
    Io {
        /// The path, sanitised for display.
        path: String,
        /// What the operating system said (shown in the message, not
        /// chained, so it is said once).
        cause: std::io::Error,
    },
    /// One or more rule files are invalid; every problem is listed.
    #[error("{0}")]
    Rules(RuleErrors),
    /// Valid rules whose patterns could not be compiled together.
    #[error(transparent)]
    Build(#[from] crate::detect::BuildError),
    /// `--only`, `--disable` or `--country` named something no rule has.
    #[error(transparent)]
    Select(#[from] crate::rules::SelectError),
    /// A bad value for a setting.
    #[error(transparent)]
    Value(#[from] ValueError),
    /// A `--glob`, `--include` or `--exclude` pattern that is not a glob.
    #[error("bad glob `{glob}`: {cause}")]
    Glob {
        /// The pattern as given.
        glob: String,
        /// Why it is not a glob.
        cause: ignore::Error,
    },
    /// An output path that is also a path named as an input: writing it
    /// would destroy what is about to be scanned.
    #[error("{path}: is both an input and the output of this run; write the output elsewhere")]
    OutputIsInput {
        /// The path, sanitised for display.
        path: String,
    },
    /// A saved scan output given to `report --from` that is not one: the
    /// line and what kind of problem, never the text (it may hold values).
    #[error(
        "{file}:{line}: {problem}: not `scan --format ndjson` findings or a `--coverage` file"
    )]
    Saved {
        /// The file, sanitised for display.
        file: String,
        /// 1-based line.
        line: u64,
        /// `bad JSON`, `a field is missing or of the wrong type`, …
        problem: &'static str,
    },
    /// No fingerprint key could be had.
    #[error(transparent)]
    Key(#[from] crate::key::KeyError),
    /// The worker threads could not be started.
    #[error("cannot start {threads} threads: {cause}")]
    Threads {
        /// How many were asked for.
        threads: usize,
        /// What the thread pool said.
        cause: rayon::ThreadPoolBuildError,
    },
}

/// A value that a setting, a flag or a rule field does not take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// Not one of the names the setting takes.
    #[error("`{value}` is not a {what}: use {}", or_list(.choices))]
    NotOneOf {
        /// What the setting is (`severity`, `mask`, …).
        what: &'static str,
        /// The value given.
        value: String,
        /// The names it takes.
        choices: &'static [&'static str],
    },
    /// A mask that would show more of a value than PCI DSS allows.
    #[error("`{0}` shows too much: at most keep:6:4")]
    ShowsTooMuch(String),
    /// A setting that is not `NAME=VALUE`.
    #[error("`{0}` is not a KIND=VALUE setting")]
    Setting(String),
    /// A size that is not a number with an optional K, M, G or T suffix.
    #[error("`{0}` is not a size: use a number with an optional K, M, G or T suffix")]
    Size(String),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: crate::sanitize::sanitize(&path.to_string_lossy()),
            cause: source,
        }
    }
}

/// `a, b or c`.
fn or_list(choices: &[&str]) -> String {
    match choices {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// One problem in a rule file: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleProblem {
    /// The rule file, or `<builtin>/NAME.toml`.
    pub file: String,
    /// 1-based line of the rule (or of the syntax error), when known.
    pub line: Option<usize>,
    /// The rule id, when the problem belongs to one rule.
    pub rule: Option<String>,
    /// The field at fault, e.g. `pattern` or `examples[2]`.
    pub field: Option<String>,
    /// What is wrong. Never contains a matched value from scanned data.
    pub message: String,
}

impl fmt::Display for RuleProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(rule) = &self.rule {
            write!(f, ": rule `{rule}`")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in a set of rule files, not only the first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleErrors(pub Vec<RuleProblem>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "{n} problem{} in rule files:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.0 {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// Result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
