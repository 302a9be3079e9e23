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
    /// Arguments that cannot work together, or a bad value.
    #[error("{0}")]
    Usage(String),
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
