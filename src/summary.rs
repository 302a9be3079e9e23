//! What a scan looked at, what it skipped and why, and what it found: the
//! summary printed on stderr and returned to the caller for the exit code.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::finding::Finding;
use crate::formats::table::ColumnStats;
use crate::input::walk::Ignored;
use crate::input::SkipReason;
use crate::sanitize::sanitize;
use crate::spool::Spool;

/// How many inputs that could not be examined the summary names before it
/// only counts.
const SHOWN_GAPS: usize = 20;

/// Totals of one scan.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Inputs scanned (fully or partly).
    pub files: u64,
    /// Bytes examined (after decompression and decoding).
    pub bytes: u64,
    /// Inputs skipped or cut short, by reason.
    pub skipped: BTreeMap<SkipReason, u64>,
    /// Every input skipped or cut short, in path order.
    pub incomplete_inputs: Vec<(Arc<str>, SkipReason)>,
    /// What ignore files left out (counted, not listed).
    pub ignored: Ignored,
    /// Reported findings by kind.
    pub by_kind: BTreeMap<String, u64>,
    /// Reported findings.
    pub findings: u64,
    /// Wall-clock time of the scan.
    pub elapsed: Duration,
    /// Per-column counts of every delimited file scanned, in path order
    /// (spooled to disk: they grow with the file count).
    pub tables: Spool<TableEntry>,
    /// Every input with its size and age, in path order (kept with the
    /// tables, for the coverage file).
    pub inputs: Spool<InputFacts>,
}

/// The columns of one delimited file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TableEntry {
    /// As findings name the file.
    pub path: Arc<str>,
    /// Per column: name, cells, non-empty cells, findings by kind.
    pub columns: Vec<ColumnStats>,
}

/// One input's size and age, for the report (and read back from a
/// coverage file by `report --from`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct InputFacts {
    /// As findings name it.
    pub path: Arc<str>,
    /// Bytes examined (after decompression).
    pub bytes: u64,
    /// Last modified, in Unix seconds, when known.
    pub modified: Option<u64>,
}

impl Summary {
    /// Counts one reported finding.
    pub fn add_finding(&mut self, finding: &Finding) {
        self.findings += 1;
        match self.by_kind.get_mut(&*finding.kind) {
            Some(n) => *n += 1,
            None => {
                self.by_kind.insert(finding.kind.to_string(), 1);
            }
        }
    }

    /// Records one skipped input.
    pub fn add_skip(&mut self, path: Arc<str>, reason: SkipReason) {
        *self.skipped.entry(reason).or_default() += 1;
        self.incomplete_inputs.push((path, reason));
    }

    /// Number of inputs that could not be (fully) examined; what was left
    /// out by choice does not count.
    pub fn incomplete(&self) -> u64 {
        self.skipped
            .iter()
            .filter(|(reason, _)| !reason.by_choice())
            .map(|(_, n)| n)
            .sum()
    }

    fn gaps(&self, by_choice: bool) -> impl Iterator<Item = &(Arc<str>, SkipReason)> {
        self.incomplete_inputs
            .iter()
            .filter(move |(_, reason)| reason.by_choice() == by_choice)
    }

    /// The coverage section: what was examined, and every input not fully
    /// examined with its reason.
    pub fn coverage(&self) -> Coverage<'_> {
        let gaps = |by_choice| {
            self.gaps(by_choice)
                .map(|(path, reason)| Gap {
                    path,
                    reason: reason.code(),
                    detail: reason.as_str(),
                })
                .collect()
        };
        Coverage {
            complete: self.incomplete() == 0,
            files: self.files,
            bytes: self.bytes,
            findings: self.findings,
            by_kind: &self.by_kind,
            incomplete: gaps(false),
            skipped: gaps(true),
            ignored: self.ignored,
            tables: &self.tables,
            inputs: &self.inputs,
        }
    }
}

/// What a scan covered, as the `--coverage` file holds it.
#[derive(Debug, Serialize)]
pub struct Coverage<'a> {
    /// True when every input was fully examined (what was left out by
    /// choice aside).
    pub complete: bool,
    /// Files (and archive members) examined.
    pub files: u64,
    /// Bytes examined, after decompression.
    pub bytes: u64,
    /// Findings reported.
    pub findings: u64,
    /// Findings reported, by kind.
    pub by_kind: &'a BTreeMap<String, u64>,
    /// Every input or member that could not be (fully) examined, in path
    /// order.
    pub incomplete: Vec<Gap<'a>>,
    /// Every input or member left out by choice (binary, a symbolic link
    /// not followed, excluded by a glob, …), in path order.
    pub skipped: Vec<Gap<'a>>,
    /// What ignore files left out, counted.
    pub ignored: Ignored,
    /// Every delimited file, with cell and finding counts per column.
    pub tables: &'a Spool<TableEntry>,
    /// Every input, with its size and age.
    pub inputs: &'a Spool<InputFacts>,
}

/// One input or archive member not fully examined.
#[derive(Debug, Serialize)]
pub struct Gap<'a> {
    /// As findings name it (`archive.zip!inner/file.csv` for a member).
    pub path: &'a str,
    /// A stable code: `binary`, `corrupt`, `too_deep`, `ratio`, …
    pub reason: &'static str,
    /// The reason in words.
    pub detail: &'static str,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        write!(
            f,
            "scanned {}, {} in {secs:.2}s",
            count(self.files, "file", "files"),
            Bytes(self.bytes),
        )?;
        // A rate over a few kilobytes or milliseconds says nothing.
        if secs >= 0.1 && self.bytes >= 1_000_000 {
            write!(f, " ({}/s)", Bytes((self.bytes as f64 / secs) as u64))?;
        }
        writeln!(f)?;
        self.fmt_skipped(f)?;
        self.fmt_incomplete(f)?;
        if self.by_kind.is_empty() {
            writeln!(f, "no findings")
        } else {
            let parts: Vec<String> = self
                .by_kind
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            let total = count(self.findings, "finding", "findings");
            writeln!(f, "{total}: {}", parts.join(", "))
        }
    }
}

impl Summary {
    /// What was left out by choice, counted by reason.
    fn fmt_skipped(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = self
            .skipped
            .iter()
            .filter(|(reason, _)| reason.by_choice())
            .map(|(reason, n)| format!("{reason} ({n})"))
            .collect();
        let Ignored { files, folders } = self.ignored;
        if files + folders > 0 {
            let mut what = Vec::new();
            if files > 0 {
                what.push(count(files, "file", "files"));
            }
            if folders > 0 {
                what.push(count(folders, "folder", "folders"));
            }
            parts.push(format!(
                "ignore files ({}; --no-ignore scans them)",
                what.join(" and ")
            ));
        }
        if parts.is_empty() {
            return Ok(());
        }
        writeln!(f, "left out: {}", parts.join(", "))
    }

    /// What could not be examined: counts by reason, then the first paths.
    fn fmt_incomplete(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.incomplete();
        if total == 0 {
            return Ok(());
        }
        let parts: Vec<String> = self
            .skipped
            .iter()
            .filter(|(reason, _)| !reason.by_choice())
            .map(|(reason, n)| format!("{reason} ({n})"))
            .collect();
        writeln!(
            f,
            "could not examine {}: {}",
            count(total, "input", "inputs"),
            parts.join(", ")
        )?;
        for (path, reason) in self.gaps(false).take(SHOWN_GAPS) {
            writeln!(f, "  {} ({reason})", sanitize(path))?;
        }
        let more = total.saturating_sub(SHOWN_GAPS as u64);
        if more > 0 {
            writeln!(f, "  … and {more} more (--coverage FILE lists them all)")?;
        }
        Ok(())
    }
}

/// `1 file`, `2 files`.
pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A byte count in decimal units, as the progress bar shows it too.
pub struct Bytes(pub u64);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
        if self.0 < 1000 {
            return write!(f, "{} B", self.0);
        }
        let mut value = self.0 as f64 / 1000.0;
        let mut unit = 0;
        while value >= 1000.0 && unit + 1 < UNITS.len() {
            value /= 1000.0;
            unit += 1;
        }
        write!(f, "{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_read_in_decimal_units() {
        let shown: Vec<String> = [0, 999, 1000, 16_610_000, 2_500_000_000]
            .iter()
            .map(|&n| Bytes(n).to_string())
            .collect();
        assert_eq!(shown, ["0 B", "999 B", "1.0 kB", "16.6 MB", "2.5 GB"]);
    }

    #[test]
    fn only_what_could_not_be_examined_is_incomplete() {
        let mut summary = Summary::default();
        summary.add_skip(Arc::from("a.bin"), SkipReason::Binary);
        summary.add_skip(Arc::from("link"), SkipReason::Symlink);
        assert_eq!(summary.incomplete(), 0);
        assert!(summary.coverage().complete);
        summary.add_skip(Arc::from("x.zip!y"), SkipReason::Encrypted);
        assert_eq!(summary.incomplete(), 1);
        let text = summary.to_string();
        assert!(
            text.contains("left out: binary (1), symlink not followed (1)"),
            "{text}"
        );
        assert!(
            text.contains("could not examine 1 input: encrypted (1)"),
            "{text}"
        );
        assert!(text.contains("  x.zip!y (encrypted)"), "{text}");
    }

    #[test]
    fn counts_read_as_words() {
        let mut summary = Summary {
            files: 1,
            ..Summary::default()
        };
        summary.findings = 1;
        summary.by_kind.insert("email".into(), 1);
        let text = summary.to_string();
        assert!(text.starts_with("scanned 1 file, 0 B in 0.00s\n"), "{text}");
        assert!(text.contains("1 finding: email 1"), "{text}");
    }
}
